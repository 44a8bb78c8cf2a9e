"""Where cards sit on a sheet: pure geometry in PostScript points, no drawing.

Page coordinates have (0, 0) at the bottom-left of the sheet. Rows count from the top
of the sheet, columns from the left. A card's own coordinates have (0, 0) at the
bottom-left of the upright card; `Slot.matrix` maps them onto the sheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Flip = Literal["long", "short"]
Matrix = tuple[float, float, float, float, float, float]  # PDF order: a b c d e f


class NoFit(ValueError):
    """Not even one card fits inside the margins."""


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def top(self) -> float:
        return self.y + self.h

    def grow(self, d: float) -> Rect:
        return Rect(self.x - d, self.y - d, self.w + 2 * d, self.h + 2 * d)

    def shift(self, dx: float, dy: float) -> Rect:
        return Rect(self.x + dx, self.y + dy, self.w, self.h)


@dataclass(frozen=True)
class Slot:
    """One card's place on one side of a sheet."""

    row: int
    col: int
    trim: Rect  # the cut outline on the sheet
    rotation: int  # degrees counter-clockwise the card's content is turned: 0/90/180/270

    def matrix(self) -> Matrix:
        """Map upright card coordinates onto the sheet, into `trim`, turned by `rotation`."""
        t = self.trim
        if self.rotation == 0:
            return (1, 0, 0, 1, t.x, t.y)
        if self.rotation == 90:
            return (0, 1, -1, 0, t.right, t.y)
        if self.rotation == 180:
            return (-1, 0, 0, -1, t.right, t.top)
        return (0, -1, 1, 0, t.x, t.top)


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return (a * x + c * y + e, b * x + d * y + f)


@dataclass(frozen=True)
class Segment:
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Imposition:
    page_w: float
    page_h: float
    card_w: float  # the upright card
    card_h: float
    bleed: float
    columns: int
    rows: int
    rotated: bool  # cards lie on their side on the sheet
    fronts: tuple[Slot, ...]  # row by row from the top-left: the order cards are dealt in

    @property
    def per_sheet(self) -> int:
        return len(self.fronts)

    def backs(self, flip: Flip, offset: tuple[float, float] = (0.0, 0.0)) -> tuple[Slot, ...]:
        """The back of each front slot, in the same order, as drawn on the back page.

        Turning the sheet over its long edge (portrait sheet: the vertical one) puts the
        back of front point (x, y) at (W - x, y): row r, column c -> r, C-1-c. Over the
        short edge: (x, H - y), so r, c -> R-1-r, c. A back reads upright when its card
        is turned over side to side, like a page: for content turned by t on the front
        that takes -t on the back for a long-edge flip and 180 - t for a short-edge one.
        `offset` (the printer's measured drift) moves backs only.
        """
        dx, dy = offset
        out = []
        for s in self.fronts:
            t = s.trim
            if flip == "long":
                rect = Rect(self.page_w - t.right, t.y, t.w, t.h)
                where, turn = (s.row, self.columns - 1 - s.col), -s.rotation
            else:
                rect = Rect(t.x, self.page_h - t.top, t.w, t.h)
                where, turn = (self.rows - 1 - s.row, s.col), 180 - s.rotation
            out.append(Slot(*where, rect.shift(dx, dy), turn % 360))
        return tuple(out)

    def crop_marks(
        self, offset: float, length: float, clearance: float, min_length: float
    ) -> tuple[Segment, ...]:
        """Short cut guides along every trim line, starting `offset` past each card corner.

        A mark is cut short before it would come within `offset` of another card's bleed
        box, or within `clearance` of the sheet edge, and left out if that leaves less
        than `min_length`: so with no gap marks sit in the sheet margin only, and with a
        gap they also fall in the gutters between cards.
        """
        eps = 1e-6
        boxes = [s.trim.grow(self.bleed) for s in self.fronts]
        marks: dict[tuple[float, ...], Segment] = {}

        def run(edge: float, step: int, stops: list[float]) -> tuple[float, float] | None:
            """A mark from `edge` outwards (step -1 or +1), cut short at the first stop."""
            start = edge + step * offset
            end = start + step * length
            end = min([end, *stops]) if step > 0 else max([end, *stops])
            return (start, end) if (end - start) * step >= min_length else None

        def add(seg: Segment) -> None:
            key = tuple(round(v, 3) for v in (seg.x0, seg.y0, seg.x1, seg.y1))
            marks.setdefault(key, seg)

        for s in self.fronts:
            t = s.trim
            for y in (t.y, t.top):  # horizontal marks, to the left and to the right
                near = [b for b in boxes if b.y - eps <= y <= b.top + eps]
                left = [clearance] + [b.right + offset for b in near if b.right <= t.x + eps]
                right = [self.page_w - clearance] + [
                    b.x - offset for b in near if b.x >= t.right - eps
                ]
                for edge, step, stops in ((t.x, -1, left), (t.right, 1, right)):
                    if found := run(edge, step, stops):
                        add(Segment(found[0], y, found[1], y))
            for x in (t.x, t.right):  # vertical marks, below and above
                near = [b for b in boxes if b.x - eps <= x <= b.right + eps]
                down = [clearance] + [b.top + offset for b in near if b.top <= t.y + eps]
                up = [self.page_h - clearance] + [b.y - offset for b in near if b.y >= t.top - eps]
                for edge, step, stops in ((t.y, -1, down), (t.top, 1, up)):
                    if found := run(edge, step, stops):
                        add(Segment(x, found[0], x, found[1]))
        return tuple(marks.values())


def _fit(space: float, size: float, gap: float) -> int:
    return max(0, int((space + gap + 1e-6) // (size + gap)))


def impose(
    page: tuple[float, float],
    margins: tuple[float, float, float, float],  # top, bottom, left, right
    card: tuple[float, float],
    gap: float = 0.0,
    bleed: float = 0.0,
    rotate: Literal["auto", "never", "always"] = "auto",
) -> Imposition:
    """As many cards as fit inside the margins, turned if that fits more, centred on the
    sheet (not on the margin box: then a back-side offset does not double)."""
    page_w, page_h = page
    top, bottom, left, right = margins
    # centring on the sheet keeps the larger margin on both sides
    space_w = page_w - 2 * max(left, right)
    space_h = page_h - 2 * max(top, bottom)
    card_w, card_h = card

    def grid(turned: bool) -> tuple[int, int]:
        w, h = (card_h, card_w) if turned else (card_w, card_h)
        return _fit(space_w, w + 2 * bleed, gap), _fit(space_h, h + 2 * bleed, gap)

    upright, turned = grid(False), grid(True)
    if rotate == "auto":
        use_turned = turned[0] * turned[1] > upright[0] * upright[1]
    else:
        use_turned = rotate == "always"
    cols, rows = turned if use_turned else upright
    if cols * rows == 0:
        raise NoFit(
            f"a {card_w / 72:g} x {card_h / 72:g} in card does not fit on a "
            f"{page_w / 72:g} x {page_h / 72:g} in sheet inside the margins"
        )
    w, h = (card_h, card_w) if use_turned else (card_w, card_h)
    pitch_x, pitch_y = w + 2 * bleed + gap, h + 2 * bleed + gap
    grid_w = cols * pitch_x - gap
    grid_h = rows * pitch_y - gap
    x0 = (page_w - grid_w) / 2 + bleed
    top_y = (page_h + grid_h) / 2 - bleed
    fronts = tuple(
        Slot(r, c, Rect(x0 + c * pitch_x, top_y - h - r * pitch_y, w, h), 90 if use_turned else 0)
        for r in range(rows)
        for c in range(cols)
    )
    return Imposition(page_w, page_h, card_w, card_h, bleed, cols, rows, use_turned, fronts)
