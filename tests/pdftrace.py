"""What a renderer paints, read back with `mutool draw -F trace`: every stroked and
filled path, every glyph, with its colour space, on each page (form XObjects and
annotation appearances included, as a printer would see them).

Coordinates are PDF page coordinates (points, y up), after every transform.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pytest

Point = tuple[float, float]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1


@dataclass(frozen=True)
class Paint:
    """A stroke or fill: its colour, and for strokes the printed line width."""

    kind: str  # "stroke" or "fill"
    colorspace: str
    color: tuple[float, ...]
    width: float  # printed line width in points (strokes only)
    polylines: tuple[tuple[Point, ...], ...]  # each subpath, curves flattened


@dataclass(frozen=True)
class Glyph:
    char: str
    glyph: str  # the font's glyph id or name ("0" or ".notdef": a missing glyph)
    x: float  # origin on the baseline, in the user space of `matrix`
    y: float
    advance: float  # in that user space
    size: float
    font: str
    colorspace: str
    color: tuple[float, ...]
    matrix: tuple[float, ...]  # user space to device space
    page_height: float

    def to_page(self, x: float, y: float) -> Point:
        return _apply(self.matrix, x, y, self.page_height)


@dataclass
class Page:
    width: float
    height: float
    paints: list[Paint] = field(default_factory=list)
    glyphs: list[Glyph] = field(default_factory=list)


def trace(pdf: Path) -> list[Page]:
    if not shutil.which("mutool"):
        pytest.skip("mutool is not installed")
    out = subprocess.run(
        ["mutool", "draw", "-q", "-F", "trace", "-o", "-", str(pdf)],
        capture_output=True,
        check=True,
    ).stdout
    pages = []
    for page in ET.fromstring(out).iter("page"):
        x0, y0, x1, y1 = (float(v) for v in page.get("mediabox", "0 0 0 0").split())
        p = Page(x1 - x0, y1 - y0)
        _walk(page, p)
        pages.append(p)
    return pages


def _matrix(text: str | None) -> tuple[float, ...]:
    return tuple(float(v) for v in (text or "1 0 0 1 0 0").split())


def _apply(m: tuple[float, ...], x: float, y: float, height: float) -> Point:
    # the trace's transform maps to device space (y down, from the top): turn back to
    # PDF page coordinates (y up) so positions compare with what kitpress draws
    dx, dy = m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]
    return (dx, height - dy)


def _color(el: ET.Element) -> tuple[str, tuple[float, ...]]:
    return el.get("colorspace", ""), tuple(float(v) for v in el.get("color", "").split())


def _walk(node: ET.Element, page: Page) -> None:
    for el in node:
        tag = el.tag
        if tag in ("stroke_path", "fill_path"):
            m = _matrix(el.get("transform"))
            scale = math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))
            space, color = _color(el)
            page.paints.append(
                Paint(
                    "stroke" if tag == "stroke_path" else "fill",
                    space,
                    color,
                    float(el.get("linewidth", "0")) * scale,
                    _polylines(el, m, page.height),
                )
            )
        elif tag == "fill_text":
            m = _matrix(el.get("transform"))
            space, color = _color(el)
            for span in el.iter("span"):
                trm = _matrix(span.get("trm", "1 0 0 1") + " 0 0")
                size = math.hypot(trm[0], trm[1])
                for g in span.iter("g"):
                    page.glyphs.append(
                        Glyph(
                            g.get("unicode", ""),
                            g.get("glyph", ""),
                            float(g.get("x", 0)),
                            float(g.get("y", 0)),
                            float(g.get("adv", 0)) * size,
                            size,
                            span.get("font", ""),
                            space,
                            color,
                            m,
                            page.height,
                        )
                    )
        else:
            _walk(el, page)  # groups, clips, …


def _polylines(el: ET.Element, m: tuple[float, ...], height: float) -> tuple:
    lines: list[list[Point]] = []
    for seg in el:
        if seg.tag == "moveto":
            lines.append([_apply(m, float(seg.get("x", 0)), float(seg.get("y", 0)), height)])
        elif seg.tag == "lineto" and lines:
            lines[-1].append(_apply(m, float(seg.get("x", 0)), float(seg.get("y", 0)), height))
        elif seg.tag == "curveto" and lines:
            p0 = lines[-1][-1]
            pts = [
                _apply(m, float(seg.get(f"x{i}", 0)), float(seg.get(f"y{i}", 0)), height)
                for i in (1, 2, 3)
            ]
            for k in range(1, 9):  # flatten the Bézier into 8 segments
                t = k / 8
                a, b, c, d = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t**3
                lines[-1].append(
                    (
                        a * p0[0] + b * pts[0][0] + c * pts[1][0] + d * pts[2][0],
                        a * p0[1] + b * pts[0][1] + c * pts[1][1] + d * pts[2][1],
                    )
                )
        elif seg.tag == "closepath" and lines and lines[-1]:
            lines[-1].append(lines[-1][0])
    return tuple(tuple(line) for line in lines)


# --- geometry -------------------------------------------------------------------------


def text_lines(glyphs: list[Glyph]) -> list[tuple[str, Box]]:
    """Glyphs joined into runs on one baseline (a word or a line of text), each with the
    box its ink mostly fills, in page coordinates: from a little below the baseline to
    about the x-height, so neighbouring lines at normal leading do not touch."""
    runs: list[tuple[str, Box]] = []
    text, box, last = "", None, None

    def flush() -> None:
        if box is not None and last is not None:
            corners = [last.to_page(x, y) for x in (box[0], box[2]) for y in (box[1], box[3])]
            xs, ys = [c[0] for c in corners], [c[1] for c in corners]
            runs.append((text, (min(xs), min(ys), max(xs), max(ys))))

    for g in glyphs:
        if not g.char.strip():
            continue
        gb = (g.x, g.y - 0.1 * g.size, g.x + g.advance, g.y + 0.6 * g.size)
        if (
            last is not None
            and box is not None
            and g.matrix == last.matrix
            and abs(g.y - last.y) < 0.01
            and -0.5 <= g.x - box[2] <= 0.6 * g.size
        ):
            text, box = text + g.char, (box[0], min(box[1], gb[1]), gb[2], max(box[3], gb[3]))
        else:
            flush()
            text, box = g.char, gb
        last = g
    flush()
    return runs


def boxes_overlap(a: Box, b: Box, slack: float = 0.2) -> bool:
    return (
        a[0] + slack < b[2] and b[0] + slack < a[2] and a[1] + slack < b[3] and b[1] + slack < a[3]
    )


def segment_hits_box(p: Point, q: Point, box: Box, slack: float = 0.2) -> bool:
    """Whether the segment p–q passes through the box (shrunk by `slack`)."""
    x0, y0, x1, y1 = box[0] + slack, box[1] + slack, box[2] - slack, box[3] - slack
    if x0 >= x1 or y0 >= y1:
        return False
    # Liang–Barsky clipping
    t0, t1 = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for edge_p, edge_q in ((-dx, p[0] - x0), (dx, x1 - p[0]), (-dy, p[1] - y0), (dy, y1 - p[1])):
        if edge_p == 0:
            if edge_q < 0:
                return False
            continue
        r = edge_q / edge_p
        if edge_p < 0:
            t0 = max(t0, r)
        else:
            t1 = min(t1, r)
        if t0 > t1:
            return False
    return True


def inside(point: Point, polygon: tuple[Point, ...]) -> bool:
    """Even-odd point-in-polygon."""
    x, y = point
    hit = False
    for (ax, ay), (bx, by) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        if (ay > y) != (by > y) and x < (bx - ax) * (y - ay) / (by - ay) + ax:
            hit = not hit
    return hit


def clashes(page: Page) -> list[str]:
    """Where text prints over other text or over a drawing on this page: every pair of
    text runs whose boxes overlap, and every run that a stroke crosses or a filled
    shape covers."""
    runs = text_lines(page.glyphs)
    found = []
    for i, (text, box) in enumerate(runs):
        for other, obox in runs[i + 1 :]:
            if boxes_overlap(box, obox):
                found.append(f"text {text!r} overlaps text {other!r}")
        for paint in page.paints:
            for line in paint.polylines:
                if any(
                    segment_hits_box(p, q, box) for p, q in zip(line, line[1:], strict=False)
                ) or (paint.kind == "fill" and len(line) > 2 and inside(_centre(box), line)):
                    found.append(f"text {text!r} at {_fmt(box)} meets a {paint.kind}")
                    break
    return found


def _centre(box: Box) -> Point:
    return ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)


def _fmt(box: Box) -> str:
    return "(" + ", ".join(f"{v:.0f}" for v in box) + ")"
