"""The calibration sheet written next to a card deck: one sheet, printed duplex like
the deck, to measure how far the printer puts the back side off and to check that
nothing was scaled.

Front: thin cross lines at five targets, and rulers (inches and millimetres) to
measure with a real ruler. Back: at each target's mirror position, moved by the
layout's current back_offset as a deck's backs are, a scale in millimetres across
each line. Held up to the light, the front's line crosses the back's scale at the
number to *add* to back_offset (x on the across scale, y on the up-down scale).
"""

from __future__ import annotations

from kitpress.content.cards import CardDeck
from kitpress.errors import FitError, Source
from kitpress.layouts.cards import CardLayout
from kitpress.options import Flip
from kitpress.render.context import Extra, Printing, RenderContext
from kitpress.render.imposition import Imposition, Rect, Slot
from kitpress.render.sheets import CARDSTOCK, back_offset, finish, flip_of, new_canvas
from kitpress.render.textfit import Setter, Setting, draw_setting

MM = 72 / 25.4
SCALE_MM = 10  # each scale reads -10 … +10 mm: printers drift up to about 3 mm
MIN_TEXT = 11.0  # the words, at least (points)
SCALE_NUMBERS = 9.0  # numbers on the rulers and scales
CLEARANCE = 6.0  # words keep this far from every line, ruler and scale
MIN_EDGE = 36.0  # and from the sheet edge, where office printers clip
Box = tuple[float, float, float, float]
TARGET_INSET = 1.5 * 72  # the four targets sit this far in from the sheet edges
ARM = 26 * MM  # half the length of each front cross line
APART = 16 * MM  # a back scale sits this far from its target, so the two never touch


def targets(page: tuple[float, float]) -> list[tuple[float, float]]:
    w, h = page
    i = TARGET_INSET
    return [(i, h - i), (w - i, h - i), (i, i), (w - i, i)]


def back_targets(
    page: tuple[float, float], flip: Flip, offset: tuple[float, float]
) -> list[tuple[float, float]]:
    """Where each target's back scale goes: the same mirroring as a deck's backs."""
    # a zero-size 'card' at each target, mirrored by the deck's own imposition rules
    imp = Imposition(
        page[0],
        page[1],
        0,
        0,
        0,
        1,
        1,
        False,
        tuple(Slot(0, 0, Rect(x, y, 0, 0), 0) for x, y in targets(page)),
    )
    return [(s.trim.x, s.trim.y) for s in imp.backs(flip, offset)]


def calibration_sheet(deck: CardDeck, ctx: RenderContext[CardLayout], source: Source) -> Extra:
    layout = ctx.layout
    flip, offset = flip_of(ctx), back_offset(ctx)
    page = ctx.pagesize
    style = layout.styles.calibration
    # text at least 11 pt and scale numbers 9 pt, whatever the layout: read at arm's length
    size = max(style.size, MIN_TEXT)
    leading = (style.leading or style.size * 1.3) * size / style.size
    setter = Setter(ctx.fonts, style.bold, style.italic)
    bold = Setter(ctx.fonts, True, style.italic)
    numbers = Setter(ctx.fonts)
    c, buffer = new_canvas(ctx)
    c.setLineCap(0)
    ink = layout.color("ink")
    c.setStrokeColor(ink)
    c.setFillColor(ink)
    words = deck.calibration
    text_w = page[0] - 2 * 72
    text_top = page[1] / 2 + 170  # between the targets, above the rulers

    def block(lines: list[str], side: str, marks: list[Box]) -> None:
        """The title and `lines`, centred under text_top; refused if any line would
        come near a mark, a ruler or a scale, or the sheet edge."""
        if words is None:
            return
        head = bold.set(words.title, text_w, size * 1.3, size * 1.6)
        body = [setter.set(line, text_w, size, leading) for line in lines]
        placed: list[tuple[Setting, float, tuple]] = []
        top = text_top
        for setting, key, gap in [(head, ("calibration", "title"), leading * 0.5)] + [
            (b, ("calibration", side, i), leading * 0.3) for i, b in enumerate(body)
        ]:
            if setting is None or not _clear(setting, top, page, marks):
                raise FitError(
                    "the calibration words do not fit between the marks on the sheet; shorten them",
                    source.at(key),
                    key,
                )
            placed.append((setting, top, key))
            top -= setting.height + gap
        for setting, line_top, _ in placed:
            draw_setting(c, setting, (page[0] - text_w) / 2, line_top, text_w, "center")

    # front: cross lines at the targets, the text, and rulers to check the scale
    c.setLineWidth(0.5)
    front_marks = []
    for x, y in targets(page):
        c.line(x - ARM, y, x + ARM, y)
        c.line(x, y - ARM, x, y + ARM)
        c.circle(x, y, 3 * MM, stroke=1, fill=0)
        front_marks.append((x - ARM, y - ARM, x + ARM, y + ARM))
    front_marks += _rulers(c, numbers, page, SCALE_NUMBERS)
    block(list(words.front) if words else [], "front", front_marks)
    c.showPage()

    # back: a millimetre scale across and up-down at each mirrored target
    back_marks = []
    for x, y in back_targets(page, flip, offset):
        back_marks += _scale(c, numbers, x, y, SCALE_NUMBERS)
    back_lines = []
    if words is not None:
        edge = words.long_edge if flip == "long" else words.short_edge
        back_lines = [
            line.format(x=_mm(offset[0]), y=_mm(offset[1]), flip=edge) for line in words.back
        ]
    block(back_lines, "back", back_marks)
    c.showPage()
    # duplex like the deck, on the deck's stock: the offset it measures is that paper path's
    printing = Printing(flip, CARDSTOCK)
    return Extra("calibration", finish(c, buffer, printing, 2), 2, printing)


def _clear(setting: Setting, top: float, page: tuple[float, float], marks: list[Box]) -> bool:
    """Whether each line of a centred setting, its top at `top`, keeps CLEARANCE from
    every mark and MIN_EDGE from the sheet edge."""
    for k, (_, width) in enumerate(setting.lines):
        x0 = (page[0] - width) / 2
        y1 = top - k * setting.leading
        box = (x0, y1 - setting.leading, x0 + width, y1)
        if box[1] < MIN_EDGE or box[3] > page[1] - MIN_EDGE:
            return False
        for m in marks:
            if (
                box[0] < m[2] + CLEARANCE
                and m[0] < box[2] + CLEARANCE
                and box[1] < m[3] + CLEARANCE
                and m[1] < box[3] + CLEARANCE
            ):
                return False
    return True


def _mm(points: float) -> str:
    return f"{points / MM:g}mm"


def _scale(c, setter: Setter, x: float, y: float, size: float) -> list[Box]:
    """An across scale above the target and an up-down scale to its right: each crosses
    one of the front's lines. Ticks every mm, longer every 5 mm, labels every 5 mm.
    Returns the box each scale fills, labels included."""
    c.setLineWidth(0.5)
    span = SCALE_MM * MM
    ax, ay = x, y + APART  # the across scale, read against the front's up-down line
    vx, vy = x + APART, y  # the up-down scale, read against the front's across line
    c.line(ax - span, ay, ax + span, ay)
    c.line(vx, vy - span, vx, vy + span)
    for k in range(-SCALE_MM, SCALE_MM + 1):
        d = k * MM
        tick = 7 if k == 0 else (5 if k % 5 == 0 else 2.5)
        c.line(ax + d, ay - tick, ax + d, ay + tick)
        c.line(vx - tick, vy + d, vx + tick, vy + d)
        if k % 5 == 0:
            label = setter.set(f"{k:+d}" if k else "0", 40, size, size)
            assert label is not None  # at most 9 pt, "+10" always fits 40 pt
            w = label.lines[0][1]
            draw_setting(c, label, ax + d - w / 2, ay + tick + 1 + size, w, "left")
            draw_setting(c, label, vx + tick + 2, vy + d + size * 0.35, w, "left")
    wide = size * 1.6  # "+10"
    return [
        (ax - span - wide / 2, ay - 7, ax + span + wide / 2, ay + 7 + 1 + size),
        (vx - 7, vy - span - size, vx + 7 + 2 + wide, vy + span + size),
    ]


def _rulers(c, setter: Setter, page: tuple[float, float], size: float) -> list[Box]:
    """A 5 in ruler (eighths) and a 120 mm ruler (mm) to check the print is not scaled.
    Returns the box each ruler fills, numbers included."""
    boxes = []
    w, h = page
    c.setLineWidth(0.5)
    for unit, count, per, label_every, y in (
        (72.0, 5, 8, 8, h / 2 - 20),
        (MM, 120, 1, 10, h / 2 - 65),
    ):
        length = count * unit
        x0 = (w - length) / 2
        c.line(x0, y, x0 + length, y)
        ticks = count * per
        for k in range(ticks + 1):
            x = x0 + k * unit / per
            tall = 9 if k % label_every == 0 else (6 if k % (per // 2 or 5) == 0 else 3.5)
            c.line(x, y, x, y + tall)
            if k % label_every == 0:
                value = k // per if per > 1 else k // 10
                label = setter.set(str(value), 40, size, size)
                assert label is not None  # at most 9 pt, "+10" always fits 40 pt
                lw = label.lines[0][1]
                draw_setting(c, label, x - lw / 2, y - 2, lw, "left")
        boxes.append((x0 - size, y - 2 - size, x0 + length + size, y + 9))
    return boxes
