"""Flowables for writing in: ruled lines, tick boxes and grid cells, each drawn in ink
for print and, unless the build is flat, covered by a form field of the same size.

None of them splits: a writing area is never divided between two pages.
"""

from __future__ import annotations

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable

from kitpress.render.form import Form


class WritingLines(Flowable):
    """`lines` ruled lines, `spacing` apart, across the available width; the lowest rule
    is the flowable's bottom edge and each rule has one line of writing room above it.
    Each rule has its own one-line field, `<name>.1` at the top (or `<name>` for a
    single unnumbered line), so typed text sits on the rules as handwriting would."""

    def __init__(
        self,
        lines: int,
        spacing: float,
        line_width: float,
        color: Color,
        form: Form,
        name: str,
        tooltip: str | None = None,
        numbered: bool = True,
    ) -> None:
        super().__init__()
        self.lines, self.spacing = lines, spacing
        self.line_width, self.color = line_width, color
        self.form, self.name, self.tooltip = form, name, tooltip
        self.numbered = numbered
        self.width = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.lines * self.spacing

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setStrokeColor(self.color)
        c.setLineWidth(self.line_width)
        c.setLineCap(0)
        for i in range(self.lines):
            c.line(0, i * self.spacing, self.width, i * self.spacing)
        c.restoreState()
        for n in range(1, self.lines + 1):  # top to bottom: the order Tab moves in
            name = f"{self.name}.{n}" if self.numbered else self.name
            tip = self.tooltip or ""
            if self.numbered and self.lines > 1:
                tip = f"{tip} ({n}/{self.lines})"
            self.form.line(c, name, self.width, (self.lines - n) * self.spacing, tip)


class TickBox(Flowable):
    """An empty square to tick with a pen, with a checkbox field over it."""

    def __init__(
        self, size: float, line_width: float, color: Color, form: Form, name: str, tooltip: str
    ) -> None:
        super().__init__()
        self.size, self.line_width, self.color = size, line_width, color
        self.form, self.name, self.tooltip = form, name, tooltip

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setStrokeColor(self.color)
        c.setLineWidth(self.line_width)
        c.rect(0, 0, self.size, self.size, stroke=1, fill=0)
        c.restoreState()
        self.form.checkbox(c, self.name, 0, 0, self.size, self.tooltip)


class CellField(Flowable):
    """Fills a grid cell (drawn by the table's GRID) with a one-line text field,
    kept `inset` inside the grid lines so typed text never touches them."""

    def __init__(self, height: float, inset: float, form: Form, name: str, tooltip: str) -> None:
        super().__init__()
        self.height, self.inset = height, inset
        self.form, self.name, self.tooltip = form, name, tooltip
        self.width = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.height

    def draw(self) -> None:
        i = self.inset
        rect = (i, i, self.width - 2 * i, self.height - 2 * i)
        self.form.text(self.canv, self.name, rect, tooltip=self.tooltip, centered=True)


class Whole(Flowable):
    """Wraps a flowable (say, a Table) so it is never split across pages: it moves to
    the next page whole, or the build stops with 'too tall to fit on one page'."""

    def __init__(self, inner: Flowable) -> None:
        super().__init__()
        self.inner = inner

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = self.inner.wrap(avail_width, avail_height)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return []

    def getSpaceBefore(self) -> float:  # noqa: N802 (ReportLab's name)
        return self.inner.getSpaceBefore()

    def getSpaceAfter(self) -> float:  # noqa: N802
        return self.inner.getSpaceAfter()

    def draw(self) -> None:
        self.inner.drawOn(self.canv, 0, 0)
