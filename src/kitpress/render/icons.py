"""Category icons as plain vector shapes in one ink colour, so they print the same on
any black-and-white printer. Each draws into the square (0, 0)–(size, size)."""

from __future__ import annotations

import math
from collections.abc import Callable

from reportlab.pdfgen.canvas import Canvas

Draw = Callable[[Canvas, float], None]


def _polygon(c: Canvas, points: list[tuple[float, float]], fill: bool = True) -> None:
    p = c.beginPath()
    p.moveTo(*points[0])
    for pt in points[1:]:
        p.lineTo(*pt)
    p.close()
    c.drawPath(p, stroke=0 if fill else 1, fill=1 if fill else 0)


def sun(c: Canvas, s: float) -> None:
    c.circle(s / 2, s / 2, 0.2 * s, stroke=0, fill=1)
    c.setLineWidth(0.09 * s)
    c.setLineCap(1)
    for k in range(8):
        a = k * math.pi / 4
        dx, dy = math.cos(a), math.sin(a)
        c.line(
            s / 2 + 0.31 * s * dx,
            s / 2 + 0.31 * s * dy,
            s / 2 + 0.45 * s * dx,
            s / 2 + 0.45 * s * dy,
        )


def camera(c: Canvas, s: float) -> None:
    c.roundRect(0.04 * s, 0.14 * s, 0.92 * s, 0.6 * s, 0.1 * s, stroke=0, fill=1)
    c.rect(0.32 * s, 0.7 * s, 0.34 * s, 0.14 * s, stroke=0, fill=1)
    c.setFillGray(1)  # the lens is paper showing through, with an ink ring inside
    c.circle(0.5 * s, 0.44 * s, 0.21 * s, stroke=0, fill=1)
    c.setFillGray(0)
    c.circle(0.5 * s, 0.44 * s, 0.12 * s, stroke=0, fill=1)


def question(c: Canvas, s: float) -> None:
    c.circle(s / 2, s / 2, 0.46 * s, stroke=0, fill=1)
    c.setStrokeGray(1)
    c.setFillGray(1)
    c.setLineWidth(0.1 * s)
    c.setLineCap(1)
    p = c.beginPath()
    p.arc(0.35 * s, 0.5 * s, 0.65 * s, 0.8 * s, startAng=160, extent=-220)
    p.lineTo(0.5 * s, 0.4 * s)
    c.drawPath(p, stroke=1, fill=0)
    c.circle(0.5 * s, 0.22 * s, 0.065 * s, stroke=0, fill=1)


def heart(c: Canvas, s: float) -> None:
    p = c.beginPath()
    p.moveTo(0.5 * s, 0.08 * s)
    p.curveTo(0.2 * s, 0.32 * s, 0.0, 0.5 * s, 0.05 * s, 0.7 * s)
    p.curveTo(0.1 * s, 0.92 * s, 0.42 * s, 0.96 * s, 0.5 * s, 0.72 * s)
    p.curveTo(0.58 * s, 0.96 * s, 0.9 * s, 0.92 * s, 0.95 * s, 0.7 * s)
    p.curveTo(s, 0.5 * s, 0.8 * s, 0.32 * s, 0.5 * s, 0.08 * s)
    p.close()
    c.drawPath(p, stroke=0, fill=1)


def hand(c: Canvas, s: float) -> None:
    """An open hand, palm out: a palm, four fingers and a thumb."""
    c.roundRect(0.26 * s, 0.04 * s, 0.5 * s, 0.5 * s, 0.16 * s, stroke=0, fill=1)
    fw = 0.105 * s
    for x, top in ((0.27, 0.8), (0.39, 0.94), (0.51, 0.96), (0.63, 0.86)):
        c.roundRect(x * s, 0.36 * s, fw, (top - 0.36) * s, fw / 2, stroke=0, fill=1)
    c.saveState()
    c.translate(0.3 * s, 0.24 * s)
    c.rotate(40)
    c.roundRect(-0.02 * s, 0, fw * 1.05, 0.36 * s, fw / 2, stroke=0, fill=1)
    c.restoreState()
    c.setStrokeGray(1)  # gaps between the fingers, in paper colour
    c.setLineWidth(0.018 * s)
    for x in (0.383, 0.503, 0.623):
        c.line(x * s, 0.5 * s, x * s, 0.96 * s)


def leaf(c: Canvas, s: float) -> None:
    p = c.beginPath()
    p.moveTo(0.16 * s, 0.16 * s)
    p.curveTo(0.1 * s, 0.7 * s, 0.4 * s, 0.92 * s, 0.94 * s, 0.94 * s)
    p.curveTo(0.92 * s, 0.4 * s, 0.7 * s, 0.1 * s, 0.16 * s, 0.16 * s)
    p.close()
    c.drawPath(p, stroke=0, fill=1)
    c.setLineCap(1)
    c.setLineWidth(0.08 * s)
    c.line(0.06 * s, 0.06 * s, 0.24 * s, 0.24 * s)  # the stem
    c.setStrokeGray(1)
    c.setLineWidth(0.05 * s)
    c.line(0.24 * s, 0.24 * s, 0.78 * s, 0.78 * s)  # the vein, in paper colour


def star(c: Canvas, s: float) -> None:
    pts = []
    for k in range(10):
        r = 0.48 * s if k % 2 == 0 else 0.2 * s
        a = math.pi / 2 + k * math.pi / 5
        pts.append((s / 2 + r * math.cos(a), 0.47 * s + r * math.sin(a)))
    _polygon(c, pts)


def book(c: Canvas, s: float) -> None:
    _polygon(
        c, [(0.04 * s, 0.2 * s), (0.47 * s, 0.12 * s), (0.47 * s, 0.82 * s), (0.04 * s, 0.9 * s)]
    )
    _polygon(
        c, [(0.53 * s, 0.12 * s), (0.96 * s, 0.2 * s), (0.96 * s, 0.9 * s), (0.53 * s, 0.82 * s)]
    )


def pen(c: Canvas, s: float) -> None:
    c.saveState()
    c.translate(0.12 * s, 0.12 * s)
    c.rotate(45)
    w, body = 0.2 * s, 0.78 * s
    _polygon(c, [(0, 0), (0.2 * s, -w / 2), (0.2 * s, w / 2)])  # the tip
    c.rect(0.25 * s, -w / 2, body - 0.25 * s, w, stroke=0, fill=1)
    c.restoreState()


def smile(c: Canvas, s: float) -> None:
    c.circle(s / 2, s / 2, 0.46 * s, stroke=0, fill=1)
    c.setFillGray(1)
    c.setStrokeGray(1)
    c.circle(0.35 * s, 0.6 * s, 0.065 * s, stroke=0, fill=1)
    c.circle(0.65 * s, 0.6 * s, 0.065 * s, stroke=0, fill=1)
    c.setLineWidth(0.08 * s)
    c.setLineCap(1)
    p = c.beginPath()
    p.arc(0.25 * s, 0.2 * s, 0.75 * s, 0.6 * s, startAng=200, extent=140)
    c.drawPath(p, stroke=1, fill=0)


ICONS: dict[str, Draw] = {
    f.__name__: f for f in (sun, camera, question, heart, hand, leaf, star, book, pen, smile)
}


def draw_icon(c: Canvas, name: str, x: float, y: float, size: float, color) -> None:
    """Draw icon `name` with its bottom-left corner at (x, y)."""
    c.saveState()
    c.translate(x, y)
    c.setFillColor(color)
    c.setStrokeColor(color)
    ICONS[name](c, size)
    c.restoreState()
