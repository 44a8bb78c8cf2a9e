"""Page flow for a heading and the rows under it: the rows split between pages where
they must, but a heading never ends a page.

Platypus's own KeepTogether moves a block that does not fit to the next page whole,
so a section two items too long moved whole and left half a page empty. KeepHead
fills the page instead: it splits its body between rows (a table between its rows,
a list of blocks between blocks) and keeps the heading with at least its first rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, Spacer, Table

from kitpress.render.grid import Grid
from kitpress.render.internals import table_rows
from kitpress.render.tagging import unwrap

_FUZZ = 1e-6
_TALL = 1e9  # room to measure a flowable's full height


def rows_of(flowable: Flowable) -> int:
    """How many rows of a section body a flowable holds: a table's or grid's rows below
    its repeated header, nothing for a spacer, one for anything else (marked for screen
    readers or not: render/tagging.py)."""
    flowable = unwrap(flowable)
    if isinstance(flowable, Grid):
        return flowable.rows_below_header()
    if isinstance(flowable, Table):
        return table_rows(flowable) - int(flowable.repeatRows or 0)
    return 0 if isinstance(flowable, Spacer) else 1


class Stack(Flowable):
    """Flowables one under the other, spaced as a frame would space them, moved and
    drawn as one block that never splits."""

    def __init__(self, parts: Sequence[Flowable]) -> None:
        super().__init__()
        self.parts = list(parts)
        self._sizes: list[tuple[float, float, float]] = []  # width, height, gap above

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._sizes = []
        height, after = 0.0, None
        for part in self.parts:
            w, h = part.wrap(availWidth, _TALL)
            # a frame leaves the larger of the space after one and before the next
            gap = 0.0 if after is None else max(after, part.getSpaceBefore())
            self._sizes.append((w, h, gap))
            height += gap + h
            after = part.getSpaceAfter()
        self.width, self.height = availWidth, height
        return availWidth, height

    def getSpaceBefore(self) -> float:  # noqa: N802 (ReportLab's name)
        return float(self.parts[0].getSpaceBefore()) if self.parts else 0.0

    def getSpaceAfter(self) -> float:  # noqa: N802
        return float(self.parts[-1].getSpaceAfter()) if self.parts else 0.0

    def draw(self) -> None:
        top = self.height
        for part, (w, h, gap) in zip(self.parts, self._sizes, strict=True):
            top -= gap + h
            part.drawOn(self.canv, 0, top, _sW=self.width - w)


class KeepHead(Stack):
    """A heading (and its note) above a body that may split between its rows: the
    heading always goes with at least the first `keep` rows (all, if fewer)."""

    def __init__(self, head: Sequence[Flowable], body: Sequence[Flowable], keep: int = 2) -> None:
        super().__init__([*head, *body])
        self.head, self.body = list(head), list(body)
        self.keep = min(keep, sum(rows_of(f) for f in body))

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        lead = Stack(self.head)
        room = availHeight - lead.wrap(availWidth, _TALL)[1]
        after = lead.getSpaceAfter()
        taken: list[Flowable] = []
        rest = list(self.body)
        while rest:  # as much of the body as fits below the heading
            gap = max(after, rest[0].getSpaceBefore())
            if room - gap <= 0:
                break
            _, h = rest[0].wrap(availWidth, room - gap)
            if h <= room - gap + _FUZZ:
                taken.append(rest.pop(0))
                room -= gap + h
                after = taken[-1].getSpaceAfter()
                continue
            parts = rest[0].split(availWidth, room - gap)
            if len(parts) > 1:
                taken.append(parts[0])
                rest[0:1] = parts[1:]
            break
        if sum(rows_of(f) for f in taken) < self.keep:
            return []  # the heading and its first rows go to the next page together
        key = getattr(self, "kitpress_key", None)
        out: list[Flowable] = [Stack([*self.head, *taken]), *rest]
        if key is not None:  # so a row too tall for any page is blamed on this section
            for f in out:
                f.kitpress_key = key
        return out
