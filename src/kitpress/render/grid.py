"""Rows of cells in fixed columns, split between rows: the checklist's lists.

A platypus Table would draw them, but it is general and pays for it on every page: it
derives each cell's style again for every copy of itself, measures every cell again
each time it is wrapped or split, and a long list that runs over several pages is
rebuilt as a new Table at each page break. Tables were a fifth of the time of building
a 150-page checklist. A Grid's columns are fixed, so it measures each row once, and its
parts after a split share those measurements.

It places cells exactly as a platypus Table with the same column widths, paddings and
vertical alignment would (TableStyle's VALIGN, *PADDING, LINEBELOW, LINEBEFORE and
repeatRows are all it offers), so a page looks the same as it did when these were
Tables. It leaves out what drew nothing (a Table sets a fill colour and a font before
its first cell, and draws an empty string in each empty cell), and one thing that was
wrong: in the part of a split Table under its repeated header, a LINEBELOW meant for
the rows below the header was drawn under the header too, so the list's header had a
writing line under it on every page after the first. A Grid's rules stay with their
rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

from reportlab.platypus import Flowable

# A cell: a flowable, flowables one under the other, or None for an empty cell.
Cell: TypeAlias = "Flowable | Sequence[Flowable] | None"
# A cell's paddings: left, right, top, bottom.
Pad: TypeAlias = tuple[float, float, float, float]
# A rule along one edge of a cell: "below" or "before" (its left), width, colour.
Rule: TypeAlias = tuple[str, float, Any]

# An empty cell is as tall as one line of a Table's default cell text (10pt on 12pt
# leading): a row of short text beside an empty cell is no shorter than that.
EMPTY = 12.0
_MEASURE = 72000  # the height a Table measures its cells in: in effect, no limit


class Grid(Flowable):
    """`rows` of cells in columns of `widths`, each cell with its `pads` (one Pad per
    cell, row by row) and `rules`, contents aligned to the top or bottom of their row
    (`valign`: "TOP" or "BOTTOM"). The first `header` rows are drawn again above the
    rest after a page break."""

    def __init__(
        self,
        rows: Sequence[Sequence[Cell]],
        widths: Sequence[float],
        pads: Sequence[Sequence[Pad]],
        *,
        valign: str = "TOP",
        rules: Sequence[Sequence[Sequence[Rule]]] | None = None,
        header: int = 0,
    ) -> None:
        super().__init__()
        if valign not in ("TOP", "BOTTOM"):
            raise ValueError(f"valign must be TOP or BOTTOM, not {valign!r}")
        self.rows = [[_cells(c) for c in row] for row in rows]
        self.widths = list(widths)
        self.pads = [list(p) for p in pads]
        none: Sequence[Rule] = ()
        self.rules = [list(r) for r in rules] if rules else [[none] * len(row) for row in rows]
        self.valign, self.header = valign, header
        lengths = {len(self.widths)} | {
            len(r) for part in (self.rows, self.pads, self.rules) for r in part
        }
        if len(lengths) > 1:
            raise ValueError("every row needs one cell, one padding and one rule list per column")
        self.x = [0.0]  # the columns' left edges, then the right edge of the last
        for w in self.widths:
            self.x.append(self.x[-1] + w)
        # once measured: each cell's flowables' height, space before and space after
        self._sizes: list[list[list[tuple[float, float, float]]]] | None = None
        self._stacks: list[list[float]] = []  # each cell's contents' height (_stacked)
        self._heights: list[float] = []
        self._tops: list[float] = []  # each row's top, then the last row's bottom (0)

    # --- measuring ---------------------------------------------------------------

    def _measure(self) -> None:
        """Each cell's flowables and each row's height. A cell is measured at its
        column's width less its paddings, which no available width changes: a Grid is
        as wide as its columns, whatever the frame (as a Table is)."""
        if self._sizes is not None:
            return
        canv = getattr(self, "canv", None)
        self._sizes, self._stacks, self._heights = [], [], []
        for row, pads in zip(self.rows, self.pads, strict=True):
            sizes: list[list[tuple[float, float, float]]] = []
            stacks: list[float] = []
            tallest = 0.0
            for cell, width, (left, right, top, bottom) in zip(row, self.widths, pads, strict=True):
                room = width - left - right
                # each wrapped before its spaces are asked for, as a Table does
                heights = [f.wrapOn(canv, room, _MEASURE - top - bottom)[1] for f in cell]
                sizes.append(
                    [
                        (h, f.getSpaceBefore(), f.getSpaceAfter())
                        for f, h in zip(cell, heights, strict=True)
                    ]
                )
                stacks.append(_stacked(sizes[-1]))
                tallest = max(tallest, stacks[-1] + (bottom + top))
            self._sizes.append(sizes)
            self._stacks.append(stacks)
            self._heights.append(tallest)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._measure()
        if not self._tops:
            self._tops = _tops(self._heights)
        self.width, self.height = self.x[-1], self._tops[0]
        return self.width, self.height

    # --- splitting between rows ----------------------------------------------------

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        """The rows that fit in `availHeight`, and the rest under the header rows
        again; nothing if not even the first row under the header fits (as a Table)."""
        self._measure()
        used, n = 0.0, 0
        for h in self._heights:
            if used + h > availHeight:
                break
            used += h
            n += 1
        if n <= self.header:
            return []
        if n == len(self.rows):
            return [self]
        return [self._part(range(n)), self._part([*range(self.header), *range(n, len(self.rows))])]

    def _part(self, rows: Sequence[int]) -> Grid:
        part = Grid.__new__(Grid)
        Flowable.__init__(part)
        part.widths, part.x = self.widths, self.x
        part.valign, part.header = self.valign, self.header
        part.rows = [self.rows[i] for i in rows]
        part.pads = [self.pads[i] for i in rows]
        part.rules = [self.rules[i] for i in rows]
        assert self._sizes is not None
        part._sizes = [self._sizes[i] for i in rows]
        part._stacks = [self._stacks[i] for i in rows]
        part._heights = [self._heights[i] for i in rows]
        part._tops = []
        key = getattr(self, "kitpress_key", None)
        if key is not None:
            part.kitpress_key = key
        return part

    # --- drawing -------------------------------------------------------------------

    def draw(self) -> None:
        self.wrap(0, 0)
        assert self._sizes is not None
        canv = self.canv
        lines: list[tuple[float, Any, float, float, float, float]] = []
        for i, (row, pads, rules, sizes, stacks) in enumerate(
            zip(self.rows, self.pads, self.rules, self._sizes, self._stacks, strict=True)
        ):
            top, bottom = self._tops[i], self._tops[i + 1]
            for col, cell in enumerate(row):
                left, _, pad_top, pad_bottom = pads[col]
                x = self.x[col] + left
                if self.valign == "TOP":  # (from the bottom up, as a Table places it)
                    y = bottom + self._heights[i] - pad_top
                else:
                    y = bottom + pad_bottom + stacks[col]
                if cell:
                    y += sizes[col][0][1]
                for f, (h, before, after) in zip(cell, sizes[col], strict=True):
                    y -= before
                    y -= h
                    f.drawOn(canv, x, y)
                    y -= after
                for edge, width, color in rules[col]:
                    if edge == "below":
                        lines.append((width, color, self.x[col], bottom, self.x[col + 1], bottom))
                    else:
                        lines.append((width, color, self.x[col], bottom, self.x[col], top))
        if lines:
            # round caps and joins, as a Table draws its lines
            canv.saveState()
            canv.setLineCap(1)
            canv.setLineJoin(1)
            current: tuple[float, Any] | None = None
            for width, color, x0, y0, x1, y1 in lines:
                if current != (width, color):
                    canv.setStrokeColor(color)
                    canv.setLineWidth(width)
                    current = (width, color)
                canv.line(x0, y0, x1, y1)
            canv.restoreState()

    def rows_below_header(self) -> int:
        return len(self.rows) - self.header


def _cells(cell: Cell) -> list[Flowable]:
    if cell is None:
        return []
    return [cell] if isinstance(cell, Flowable) else list(cell)


def _stacked(sizes: Sequence[tuple[float, float, float]]) -> float:
    """The height of a cell's flowables (their heights and spaces) one under the other,
    the space between them included but not the space before the first or after the
    last (an empty cell: EMPTY). Added in the order a Table adds them (floating point is
    not associative)."""
    if not sizes:
        return EMPTY
    total = 0.0
    for h, before, after in sizes:
        total += h + after + before
    return total - sizes[0][1] - sizes[-1][2]


def _tops(heights: Sequence[float]) -> list[float]:
    """Each row's top, measured from the grid's bottom, then 0: the heights added from
    the last row up with the compensated sum a Table uses for its row positions, so a
    Grid places its rows where the Table it replaces did, to the last bit."""
    tops = [0.0]
    total = carry = 0.0
    for h in reversed(heights):
        y = h - carry
        t = total + y
        carry = (t - total) - y
        total = t
        tops.append(total)
    tops.reverse()
    return tops
