"""AcroForm fields laid over what is drawn on the page, so a handout can be filled in
on screen and still prints the same as the flat version.

Fields are made inside a flowable's draw(), at page coordinates from
canvas.absolutePosition. A dotted name ('tracker.letters.week_1') becomes a field
hierarchy (the PDF spec forbids periods in a field's own /T), so viewers and pypdf see
the fully qualified name.

Text fields use Helvetica: ReportLab can give form fields only the standard 14 fonts,
and an embedded TrueType subset would lack the glyphs a reader types anyway.
"""

from __future__ import annotations

import weakref

from reportlab.lib.colors import Color
from reportlab.pdfbase.acroform import PDFFromString
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFObject,
    PDFObjectReference,
    PDFString,
)
from reportlab.pdfgen.canvas import Canvas

from kitpress.render.internals import document_of, object_of
from kitpress.render.tagging import field_drawn

FIELD_FONT = "Helvetica"


class Form:
    """The fields of one document; does nothing when the build is flat."""

    def __init__(self, flat: bool, font_size: float, text_color: Color) -> None:
        self.flat = flat
        self.font_size = font_size
        self.text_color = text_color
        # parent fields of each PDF the form is drawn into (its own PDF, kit.pdf)
        self._parents: weakref.WeakKeyDictionary[
            object, dict[tuple[str, ...], tuple[PDFDictionary, PDFObjectReference]]
        ] = weakref.WeakKeyDictionary()

    def text(
        self,
        canv: Canvas,
        name: str,
        rect: tuple[float, float, float, float],
        *,
        multiline: bool,
        tooltip: str | None = None,
        centered: bool = False,
    ) -> None:
        """A text field over rect = (x, y, width, height) in the flowable's coordinates."""
        if self.flat:
            return
        x, y = canv.absolutePosition(rect[0], rect[1])
        canv.acroForm.textfield(
            name=name,
            tooltip=tooltip,
            x=x,
            y=y,
            width=rect[2],
            height=rect[3],
            fontName=FIELD_FONT,
            fontSize=self.font_size,
            textColor=self.text_color,
            fillColor=None,  # transparent: the printed rules show through
            borderColor=None,
            borderWidth=0,
            maxlen=None,  # no 100-character cap
            fieldFlags="multiline" if multiline else "",
            annotationFlags="print",
        )
        widget = self._adopt(canv, name)
        if centered:
            widget.dict["Q"] = 1  # quadding: centre typed text (tracker cells)

    def checkbox(
        self, canv: Canvas, name: str, x: float, y: float, size: float, tooltip: str | None
    ) -> None:
        """A checkbox over a drawn square of side `size` with its lower left at (x, y)."""
        if self.flat:
            return
        ax, ay = canv.absolutePosition(x, y)
        canv.acroForm.checkbox(
            name=name,
            tooltip=tooltip,
            x=ax,
            y=ay,
            size=size,
            checked=False,
            buttonStyle="check",
            shape="square",
            textColor=self.text_color,
            fillColor=None,
            borderColor=None,
            borderWidth=0,
            fieldFlags="",  # not required
            annotationFlags="print",
        )
        self._adopt(canv, name)
        _add_zapf_dingbats(canv)

    def _adopt(self, canv: Canvas, name: str) -> PDFDictionary:
        """Move the widget ReportLab just made under its parents, and give it its page."""
        form = canv.acroForm
        ref = form.fields.pop()
        widget = object_of(canv, ref)
        parts = tuple(name.split("."))
        widget.dict["T"] = PDFString(parts[-1])
        # ReportLab's textfield takes /P from the document's page counter; name the page
        # being drawn (ReportLab names page objects 'PageN').
        widget.dict["P"] = PDFObjectReference(f"Page{canv.getPageNumber()}")
        self._attach(canv, parts[:-1], ref, widget)
        field_drawn(canv, ref, widget)  # into the structure tree, as a Form element
        return widget

    def _attach(
        self, canv: Canvas, prefix: tuple[str, ...], ref: PDFObjectReference, node: PDFDictionary
    ) -> None:
        if not prefix:
            canv.acroForm.fields.append(ref)
            return
        doc = document_of(canv)
        parents = self._parents.setdefault(doc, {})
        if prefix not in parents:
            parent = PDFDictionary({"T": PDFString(prefix[-1]), "Kids": PDFArray([])})
            parent_ref = doc.Reference(parent)
            parents[prefix] = (parent, parent_ref)
            self._attach(canv, prefix[:-1], parent_ref, parent)
        parent, parent_ref = parents[prefix]
        parent.dict["Kids"].sequence.append(ref)
        node.dict["Parent"] = parent_ref


class _Resources(PDFObject):
    """The form's /DR with every font in one /Font dictionary, written when the PDF is.
    (ReportLab writes one /Font key per font, so two fonts would give duplicate keys.)"""

    def __init__(self, form) -> None:
        self.form = form

    def format(self, doc) -> bytes:
        fonts = " ".join(f"/{k} {v}" for k, v in sorted(self.form.fonts.items()))
        return PDFFromString(
            f"<< /Encoding << /RLAFencoding {self.form.encRefStr} >> /Font << {fonts} >> >>"
        ).format(doc)


def _add_zapf_dingbats(canv: Canvas) -> None:
    """Checkboxes draw their tick in ZapfDingbats (/MK /CA); a viewer that redraws them
    (after filling, with NeedAppearances) looks the font up as /ZaDb in the form's /DR."""
    form = canv.acroForm
    if "ZaDb" in form.fonts:
        return
    form.fonts["ZaDb"] = form.getRefStr(
        PDFFromString("<< /BaseFont /ZapfDingbats /Name /ZaDb /Subtype /Type1 /Type /Font >>")
    )
    form.extras["DR"] = _Resources(form)
