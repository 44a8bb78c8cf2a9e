"""The few places kitpress reaches into ReportLab's private parts, gathered here so an
upgrade has one file to check. Each says why the public API is not enough.

ReportLab has no stable API for any of these; `reportlab<6` in pyproject.toml keeps
us on the major version they were written against.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFObjectReference
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, Table
from reportlab.platypus.doctemplate import BaseDocTemplate

Place = Callable[[Flowable, float, float, float], None]


class PlacingFrame(Frame):
    """A frame that lays flowables out but does not draw them: it tells `place` where
    each would be drawn, so a handout laid out once can be drawn on several canvases
    (its own PDF and kit.pdf) with no second layout.

    Frame.add decides the position and then calls flowable.drawOn(canvas, x, y, _sW)
    with no hook in between; the only way to learn the position without copying
    Frame.add is to shadow drawOn on the instance for that one call.
    """

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._place = place

    def add(self, flowable: Flowable, canv: Canvas, trySplit: int = 0) -> int:  # noqa: N803
        def placed(canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N803
            self._place(flowable, x, y, _sW)

        flowable.drawOn = placed
        try:
            return int(Frame.add(self, flowable, canv, trySplit))
        finally:
            del flowable.drawOn

    _add = add  # ReportLab's Frame aliases add = _add; keep both on the placing one


def layout_only(doc: BaseDocTemplate) -> None:
    """Let a document template lay out pages without writing a PDF at the end."""
    doc._doSave = 0  # BaseDocTemplate._endBuild skips canv.save() when this is false


def document_of(canv: Canvas) -> Any:
    """The PDFDocument behind a canvas: form fields must be registered in it to be
    referenced from a parent field (ReportLab's acroform has no API for hierarchies)."""
    return canv._doc


def object_of(canv: Canvas, ref: PDFObjectReference) -> PDFDictionary:
    """The object a reference made by canv.acroForm points to."""
    return canv._doc.idToObject[ref.name]


def table_rows(table: Table) -> int:
    """How many rows a table holds, header rows included: Table keeps its data only in
    private attributes, and a split table's halves are new tables made by ReportLab."""
    return int(table._nrows)


def subset_program(face: Any, codepoints: Sequence[int]) -> tuple[bytes, dict[int, int]]:
    """A TrueType program with the glyphs of `codepoints` (and the glyphs those are
    built from), and the glyph id each code point has in it.

    ReportLab embeds only the 8-bit subsets it draws text with; a form field needs a
    font for text not yet typed. TTFontFile.makeSubset (undocumented) builds a program
    from any list; it numbers glyphs after .notdef in order of first use, which the
    loop below repeats to know each character's glyph id.
    """
    data = face.makeSubset(list(codepoints))
    order = {0: 0}
    gids = {}
    for cp in codepoints:
        glyph = face.charToGlyph.get(cp, 0)
        if glyph not in order:
            order[glyph] = len(order)
        gids[cp] = order[glyph]
    return data, gids


def add_widget(canv: Canvas, widget: PDFDictionary) -> PDFObjectReference:
    """Put a widget annotation on the page being drawn; its reference, for the form.
    (ReportLab's acroform makes widgets only in the standard 14 fonts, with their own
    appearance streams; Canvas has no public way to add an annotation dictionary.)"""
    canv._addAnnotation(widget)
    return canv._doc.Reference(widget)


class TaggedTTFont(ttfonts.TTFont):
    """A TrueType font whose embedded subsets are named after what they hold.

    ReportLab names subset n of every font 'AAAAAA+Face', 'AAAAAB+Face', …: two
    different programs in one file may then share a name, and printers that cache fonts
    by name can draw one with the other's glyphs. TTFont.addObjects takes the prefix from
    the module function SUBSETN(n), with no other hook; it is swapped for the call.
    """

    def addObjects(self, doc: Any) -> None:  # noqa: N802 (ReportLab's name)
        state = self.state.get(doc)
        subsets = state.subsets if state is not None else []
        face = bytes(self.face.name)

        def tag(n: int, table: Any = None) -> bytes:
            digest = hashlib.sha256(face + b"/" + repr(list(subsets[n])).encode()).digest()
            return bytes(65 + b % 26 for b in digest[:6])

        original = ttfonts.SUBSETN
        ttfonts.SUBSETN = tag
        try:
            super().addObjects(doc)
        finally:
            ttfonts.SUBSETN = original
