"""A flowing handout's pages drawn once for two PDFs: its own, and kit.pdf.

The two differ only in their footers ("Page 2 of 3" against "Page 7"), and drawing a
page is most of a long build's time. `Recorder` keeps each page's body as it is drawn
for the handout's own PDF (its content stream, and what its drawing told the structure
tree: the same MCIDs); `replay` puts that on kit.pdf's page as it is, and the footer is
then drawn for kit.pdf.

A content stream is right for another PDF only if the text in it is coded alike there.
ReportLab gives a TrueType font's characters their codes in the order each PDF first
draws them, so the codes of the handout's PDF and of kit.pdf agree while the handout is
the first thing drawn into kit.pdf (its cover is drawn last), and rarely after. Every
PDF keeps its own codes (each file is the same however the build was run); a page is
replayed only when kit.pdf gives every character exactly the handout's codes and calls
every font by the same name, and when the page's drawing gave out no new code and made
nothing but its content stream (a link, a form field, a bookmark, an image or a
transparency is an object of its own PDF). Any other page is drawn again, as before,
which keeps the two PDFs' codes in step for the pages after it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.pdfgen.canvas import Canvas

from kitpress.render.internals import (
    draw_again,
    drawn_length,
    drawn_since,
    font_codes,
    font_names,
    side_effects,
)
from kitpress.render.tagging import tagger_of


@dataclass(frozen=True)
class Take:
    """One page's body as drawn for the handout's PDF."""

    pieces: tuple[str, ...]  # its content stream
    journal: tuple[tuple[str, Any], ...]  # what its drawing told the tagger
    fonts: tuple[tuple[str, str], ...]  # each font's resource name where it was drawn
    codes: dict[str, dict[int, int]]  # each font's codes there (shared by pages alike)


class Recorder:
    """The takes of one handout's pages, made while its own PDF is drawn."""

    def __init__(self) -> None:
        self.keeping = False
        self.takes: dict[int, Take] = {}
        self._codes: dict[str, dict[int, int]] = {}

    def begin(self) -> None:
        """Keep the pages the next PDF draws (forgetting any kept before)."""
        self.keeping, self.takes, self._codes = True, {}, {}

    def end(self) -> None:
        """Let the kept pages go (drawn into kit.pdf)."""
        self.keeping, self.takes, self._codes = False, {}, {}

    def draw(self, canvas: Canvas, number: int, body: Callable[[], None]) -> None:
        """Draw page `number`'s body, and keep it if it can be drawn again."""
        tagger = tagger_of(canvas)
        if not self.keeping or tagger is None or not tagger.clean():
            body()
            return
        fonts, effects, start = font_names(canvas), side_effects(canvas), drawn_length(canvas)
        given = _given(font_codes(canvas))
        journal = tagger.record()
        try:
            body()
        finally:
            tagger.stop()
        codes = font_codes(canvas)
        if (
            font_names(canvas) == fonts  # no font first drawn with on this page
            and _given(codes) == given  # and no character given its code here
            and side_effects(canvas) == effects
            and tagger.clean()
            and all(what != "annotation" for what, _ in journal)
        ):
            if _given(self._codes) != given:  # pages alike share one copy
                self._codes = {font: dict(assigned) for font, assigned in codes.items()}
            pieces = drawn_since(canvas, start)
            names = tuple(sorted(fonts.items()))
            self.takes[number] = Take(pieces, tuple(journal), names, self._codes)

    def replay(self, canvas: Canvas, number: int) -> bool:
        """Put page `number`'s body on `canvas`'s current page, if it was kept and is
        right for this PDF; False when it must be drawn."""
        take = self.takes.get(number)
        tagger = tagger_of(canvas)
        if take is None or tagger is None or not tagger.clean():
            return False
        names, codes = font_names(canvas), font_codes(canvas)
        if any(names.get(font) != name for font, name in take.fonts):
            return False
        if any(codes.get(font) != assigned for font, assigned in take.codes.items()):
            return False
        draw_again(canvas, take.pieces)
        tagger.replay(take.journal)
        return True


def _given(codes: dict[str, dict[int, int]]) -> tuple[tuple[str, int], ...]:
    """How many codes each font has given out (codes are only ever added)."""
    return tuple((font, len(assigned)) for font, assigned in codes.items())
