"""The few places kitpress reaches into ReportLab's private parts, gathered here so an
upgrade has one file to check. Each says why the public API is not enough.

ReportLab has no stable API for any of these; `reportlab<6` in pyproject.toml keeps
us on the major version they were written against.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
