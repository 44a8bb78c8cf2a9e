"""A laid-out handout that is asked for its PDF again and again: by every facility of
an outreach run whose copy of it is the same (kept.py), by the preview until its inputs
change (preview/live.py). Its own PDF is drawn once; its pages, kept as they were drawn
then, go into every kit.pdf it is bound into (render/replay.py) instead of being drawn
again for each.
"""

from __future__ import annotations

from typing import Any

from kitpress.render.context import Extra, Printing, Rendered


class DrawnOnce:
    """`laid`, with its PDF drawn once; asked to (keep_pages, before that drawing), its
    pages are kept from that drawing for as long as it is kept, for every kit.pdf it
    goes into. Not asked (a build with no kit.pdf: --only, or a plan without the
    combined file), it keeps none: a handout's pages are most of its layout's memory."""

    def __init__(self, laid: Rendered) -> None:
        self.laid = laid
        self._pdf: bytes | None = None
        self._keep = False

    @property
    def pages(self) -> int:
        return self.laid.pages

    @property
    def printing(self) -> Printing:
        return self.laid.printing

    @property
    def notes(self) -> tuple[str, ...]:
        return self.laid.notes

    @property
    def extras(self) -> tuple[Extra, ...]:
        return self.laid.extras

    def pdf(self) -> bytes:
        if self._pdf is None:
            keep = getattr(self.laid, "keep_pages", None)
            if self._keep and keep is not None:
                keep()
            self._pdf = self.laid.pdf()
        return self._pdf

    def keep_pages(self) -> None:
        """Keep its pages when its PDF is first drawn (pdf), for every kit.pdf it goes
        into from then on. Asked after that drawing, it has none kept: kit.pdf draws
        them (the same bytes, only slower)."""
        self._keep = True

    def __getattr__(self, name: str) -> Any:  # draw_into, for a handout that has it
        return getattr(self.laid, name)
