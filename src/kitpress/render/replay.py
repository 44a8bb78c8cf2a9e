"""A flowing handout's pages drawn once for two PDFs: its own, and kit.pdf.

The two differ only in their footers ("Page 2 of 3" against "Page 7"). Drawing a page
is most of a long build's time, and drawing each page twice was half of that. Inside a
build every PDF gives a font's characters the same codes and names the font alike
(internals.shared_codes), so the content stream a page's body makes for the handout's
PDF is, piece for piece, what it would make in kit.pdf. `Recorder` keeps each page's
body as it is drawn, with what the structure tree was told about it (the same MCIDs);
`replay` puts it on kit.pdf's page, and the footer is then drawn for kit.pdf.

A page is drawn again only when its body made nothing but its content stream (a link,
a form field, an image or a transparency is an object of its own PDF) with fonts that
kit.pdf calls by the same names (kitpress's own fonts, with shared codes; a font first
drawn with on the page joins kit.pdf as drawing would make it). Any other page is
drawn in full instead, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.pdfgen.canvas import Canvas

from kitpress.render.internals import (
    codes_in_use,
    draw_again,
    drawn_length,
    drawn_since,
    font_names,
    join_font,
    side_effects,
)
from kitpress.render.tagging import tagger_of


@dataclass(frozen=True)
class Take:
    """One page's body as drawn for the handout's PDF."""

    pieces: tuple[str, ...]  # its content stream
    journal: tuple[tuple[str, Any], ...]  # what its drawing told the tagger
    fonts: tuple[tuple[str, str], ...]  # each font's resource name where it was drawn
    new_fonts: tuple[str, ...]  # the fonts first drawn with on this page, in that order


class Recorder:
    """The takes of one handout's pages, made while its own PDF is drawn."""

    def __init__(self) -> None:
        self.codes: object | None = None
        self.takes: dict[int, Take] = {}

    def begin(self) -> None:
        """Keep the pages drawn from now on with the codes in use (forgetting those kept
        before: a preview draws a layout again in later builds, with other codes)."""
        self.codes, self.takes = codes_in_use(), {}

    def draw(self, canvas: Canvas, number: int, body: Callable[[], None]) -> None:
        """Draw page `number`'s body, and keep it if it can be drawn again."""
        tagger = tagger_of(canvas)
        if self.codes is None or self.codes is not codes_in_use() or tagger is None:
            body()  # not to be kept (no begin), or kept for other codes
            return
        if not tagger.clean():
            body()
            return
        fonts, effects, start = font_names(canvas), side_effects(canvas), drawn_length(canvas)
        journal = tagger.record()
        try:
            body()
        finally:
            tagger.stop()
        if (
            side_effects(canvas) == effects
            and tagger.clean()
            and all(what != "annotation" for what, _ in journal)
        ):
            pieces = drawn_since(canvas, start)
            now = font_names(canvas)
            new = tuple(font for font in now if font not in fonts)
            self.takes[number] = Take(pieces, tuple(journal), tuple(sorted(now.items())), new)

    def replay(self, canvas: Canvas, number: int) -> bool:
        """Put page `number`'s body on `canvas`'s current page, if it was kept and is
        right for this PDF; False when it must be drawn."""
        take = self.takes.get(number)
        tagger = tagger_of(canvas)
        if take is None or codes_in_use() is not self.codes or tagger is None:
            return False
        if not tagger.clean():
            return False
        for font in take.new_fonts:
            if font not in font_names(canvas):
                join_font(canvas, font)  # as drawing the page would have, in its order
        names = font_names(canvas)
        if any(names.get(font) != name for font, name in take.fonts):
            return False
        draw_again(canvas, take.pieces)
        tagger.replay(take.journal)
        return True
