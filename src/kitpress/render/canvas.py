"""The one canvas class every kitpress PDF is drawn on (and platypus lays out on), so
each file is clean for a print shop from the first operator: no font a printer would
have to substitute, and black as pure K.

- ReportLab selects the canvas's initial font at the top of every page, and a platypus
  Table selects its default cell font before each cell, even one that holds a Paragraph
  with its own font. Both are Helvetica unless told otherwise: an unembedded font that
  preflight flags and Ghostscript substitutes, though no glyph is ever drawn with it.
  kitpress sets every glyph through its font chain (embedded TrueType subsets), so here
  the initial font is the kit's text face and a standard-14 font is never selected.
- A colour copier prints RGB black (0 0 0 rg) with all four toners, so fine lines and
  small text come out fuzzy where the toners do not line up. Every neutral colour
  (black, greys, white) is set as a K tint instead; other colours (the accent) stay RGB.
- Office printers and copiers drop lines finer than half a point: no stroke is thinner
  than MIN_STROKE, whatever a layout or an icon asks for.
"""

from __future__ import annotations

import functools
from typing import Any, BinaryIO

from reportlab.lib.colors import CMYKColor, Color, toColor
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from kitpress.render.internals import (
    binary_streams,
    encode_last_page,
    fast_pdfdoc_encoding,
    quick_dictionaries,
    release,
    save_streaming,
)

# every kitpress PDF is drawn on a KitCanvas, from this module
fast_pdfdoc_encoding()
quick_dictionaries()
binary_streams()

MIN_STROKE = 0.5  # points, at printed size (kitpress draws at 100%)


def one_black(color: Any) -> Any:
    """Canvas(enforceColorSpace=...) hook, applied to every fill and stroke colour the
    canvas and its text objects set: a neutral RGB colour becomes pure K."""
    c = toColor(color)
    if isinstance(c, Color) and not isinstance(c, CMYKColor) and c.red == c.green == c.blue:
        return _k_tint(c.red, c.alpha)
    return c


@functools.lru_cache(maxsize=256)
def _k_tint(grey: float, alpha: float) -> CMYKColor:
    # one colour object per grey: a page's text sets its colour once per paragraph line
    return CMYKColor(0, 0, 0, 1 - grey, alpha=alpha)


class KitCanvas(Canvas):
    """A reproducible, compressed canvas whose default font is `initialFontName` (the
    kit's text face, which must be a registered TrueType font)."""

    def __init__(self, filename: Any, *, initialFontName: str, **kwargs: Any) -> None:  # noqa: N803
        kwargs.setdefault("invariant", 1)
        kwargs.setdefault("pageCompression", 1)
        kwargs["enforceColorSpace"] = one_black
        self.text_face = initialFontName
        super().__init__(filename, initialFontName=initialFontName, **kwargs)

    def setFont(self, psfontname: str, size: float, leading: float | None = None) -> None:  # noqa: N802
        if not isinstance(getFont(psfontname), TTFont):  # a default, never drawn with
            psfontname = self.text_face
        super().setFont(psfontname, size, leading)

    def setLineWidth(self, width: float) -> None:  # noqa: N802
        super().setLineWidth(max(width, MIN_STROKE))

    def showPage(self) -> None:  # noqa: N802
        super().showPage()
        encode_last_page(self)  # a long kit.pdf would hold every page uncompressed

    def save(self, file: BinaryIO | None = None) -> None:
        """Write the PDF to `file` (else the file the canvas was made with) as it is
        formatted, and free its pages now, not when the process ends."""
        save_streaming(self, file, super().save)
        release(self)


class LayoutCanvas(KitCanvas):
    """The canvas platypus turns pages on while it only lays them out (flowing.py's
    document, internals.layout_only): nothing is drawn on it and it is never saved, so
    a page ends with no PDF page object made and no empty stream compressed, a 25th
    of laying out a long checklist."""

    def showPage(self) -> None:  # noqa: N802
        if self._onPage:  # as Canvas.showPage: the page-end callback, then a new page
            self._onPage(self._pageNumber)
        self._startPage()
