"""The combined kit.pdf: the cover, then every handout that goes inside, drawn onto
one canvas. Each handout keeps the layout it was given for its own PDF (laid out
once) with kit page numbers in its footers; its pages' bodies, drawn for its own PDF,
are put on again here where they can be (render/replay.py). The fonts are embedded
once for the whole kit instead of once per handout.

kit.pdf is drawn as the build goes (Binder): each handout goes in right after its own
PDF is drawn, so its layout can be let go before the next is laid out; holding every
layout until the end cost about 115 kB a page (a 2,000-page kit peaked at 550 MB). (A
build that makes kit.pdf in a process of its own, build._halves, draws no handout's own
PDF there: each handout is laid out and drawn straight in, the same bytes; the first
handout's pages are shared with the handouts' process, render/halves.py.)
The cover lists the page each handout starts on, so it is drawn last, and its pages
are then moved to the front."""

from __future__ import annotations

import io
from typing import BinaryIO

from kitpress.render.context import Bindable, Printing, RenderContext
from kitpress.render.cover import PageNumber
from kitpress.render.flowing import Flowed, new_canvas, tag_document
from kitpress.render.internals import move_to_front


class Binder:
    """One language's kit.pdf while it is drawn: `add` each handout inside in kit
    order, then `finish`. The cover is laid out before any handout is drawn, so its
    length is known; the page numbers it lists (`numbers`, by handout name) are set
    as the handouts are drawn, before the cover is."""

    def __init__(
        self, ctx: RenderContext, title: str, cover: Flowed, numbers: dict[str, PageNumber]
    ) -> None:
        # saved to the file `finish` is given (kit.pdf's temporary file, made then)
        self.canvas = new_canvas(io.BytesIO(), ctx, title)
        # one Document; the cover and each handout a Part of it, in kit order
        self.tagger = tag_document(self.canvas, ctx, title)
        self.title, self.cover, self.numbers = title, cover, numbers
        self.page = cover.pages + 1  # the kit page about to be drawn
        self.parts = 0
        self.canvas.addOutlineEntry(title, "cover", level=0)  # the cover's, read first

    def add(self, name: str, title: str, part: Bindable) -> None:
        """Draw a handout in, from the next right-hand (odd) page: printed
        double-sided, no handout shares a sheet with another."""
        while self.page % 2 == 0:  # a blank left-hand page
            self.canvas.showPage()
            self.page += 1
        self.numbers[name].value = self.page
        key = f"part{self.parts}"
        self.parts += 1
        self.canvas.bookmarkPage(key)
        self.canvas.addOutlineEntry(title, key, level=0)
        self.tagger.part("Part", title)
        part.draw_into(self.canvas, self.page)
        self.page += part.pages

    def finish(self, printing: Printing, file: BinaryIO) -> int:
        """Draw the cover, put it first, write the PDF to `file` (an open binary file)
        and return its page count; the PDF asks the print dialog for `printing`'s
        sides."""
        if self.parts != len(self.numbers):
            raise RuntimeError("kit.pdf's cover lists a handout that was not drawn into it")
        drawn = self.page - 1 - self.cover.pages  # the handouts' pages, blanks included
        self.canvas.bookmarkPage("cover")
        self.tagger.part("Part", self.title, first=True)
        self.cover.draw_into(self.canvas, 1)
        pages = self.page - 1
        self.canvas.setViewerPreference("Duplex", printing.duplex(pages))
        self.tagger.finish()
        move_to_front(self.canvas, drawn)
        self.canvas.save(file)
        return pages
