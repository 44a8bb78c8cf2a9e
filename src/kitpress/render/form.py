"""AcroForm fields laid over what is drawn on the page, so a handout can be filled in
on screen and still prints the same as the flat version.

Fields are made inside a flowable's draw(), at page coordinates from
canvas.absolutePosition. A dotted name ('tracker.letters.week_1') becomes a field
hierarchy (the PDF spec forbids periods in a field's own /T), so viewers and pypdf see
the fully qualified name.

The widgets are written here rather than by ReportLab's acroform, which knows only the
standard 14 fonts: typed text is set in the kit's own font, embedded (fieldfont.py),
and the form names no font that is not in the file. Each field is one line of text
that does not scroll, so what fits on screen is what prints; a writing area has one
field per ruled line, sized so viewers set the typed baseline just above the rule.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from functools import partial

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObjectReference,
    PDFStream,
    PDFString,
)
from reportlab.pdfgen.canvas import Canvas

from kitpress.render.canvas import MIN_STROKE
from kitpress.render.fieldfont import FieldFont, pdf_font
from kitpress.render.internals import add_annotation, document_of
from kitpress.render.tagging import field_drawn, made_again

PRINT = 1 << 2  # annotation flag: printed
DO_NOT_SCROLL = 1 << 23  # text field flag: typing stops when the field is full
# Where viewers put a single-line field's baseline: Poppler at half the field height
# less 0.4 x the font size; pypdf (and viewers like it) centre the font's ascent. The
# field height below puts the average of the two this far above the field's bottom.
BASELINE_LIFT = 1.25


@dataclass
class _Document:
    """What one PDF (a handout's own, or kit.pdf) holds of the form."""

    parents: dict[tuple[str, ...], tuple[PDFDictionary, PDFObjectReference]] = field(
        default_factory=dict
    )
    appearances: dict[object, PDFObjectReference] = field(default_factory=dict)


class Form:
    """The fields of one handout, drawn into each PDF it goes in; nothing when flat."""

    def __init__(
        self, flat: bool, font: FieldFont | None, font_size: float, text_color: Color
    ) -> None:
        self.flat = flat or font is None
        self.font = font
        self.font_size = font_size
        self.text_color = text_color
        self._docs: weakref.WeakKeyDictionary[object, _Document] = weakref.WeakKeyDictionary()

    @property
    def line_height(self) -> float:
        """The height of a field over a ruled line: Poppler's baseline (h/2 - 0.4 s) and
        an ascent-centring viewer's ((h - ascent) / 2) average BASELINE_LIFT."""
        ascent = (self.font.ascent if self.font else 750) / 1000
        return 2 * BASELINE_LIFT + (0.4 + ascent / 2) * self.font_size

    @property
    def _key(self) -> str:
        """The field font's name in the form's /DR (two worksheets in one kit.pdf may
        each bring their own)."""
        return f"Kp{self.font.tag if self.font else ''}"

    @property
    def _da(self) -> PDFString:
        return PDFString(f"/{self._key} {self.font_size:g} Tf {_fill(self.text_color)}")

    def line(self, canv: Canvas, name: str, width: float, rule_y: float, tooltip: str) -> None:
        """A one-line field for the ruled line at rule_y (flowable coordinates)."""
        self.text(canv, name, (0.0, rule_y, width, self.line_height), tooltip=tooltip)

    def text(
        self,
        canv: Canvas,
        name: str,
        rect: tuple[float, float, float, float],
        *,
        tooltip: str | None = None,
        centered: bool = False,
    ) -> None:
        """A one-line text field over rect = (x, y, width, height), flowable coordinates."""
        if self.flat:
            return
        x, y = canv.absolutePosition(rect[0], rect[1])
        placed = (x, y, rect[2], rect[3])
        with made_again(canv):
            ref, widget = self._text_at(canv, name, placed, tooltip, centered)
            again = partial(
                self._text_at, name=name, placed=placed, tooltip=tooltip, centered=centered
            )
            field_drawn(canv, ref, widget, again)  # into the structure tree, as a Form

    def _text_at(
        self,
        canv: Canvas,
        name: str,
        placed: tuple[float, float, float, float],
        tooltip: str | None,
        centered: bool,
    ) -> tuple[PDFObjectReference, PDFDictionary]:
        """The text field over `placed` (page coordinates) in canv's PDF."""
        doc = self._document(canv)
        w, h = placed[2], placed[3]
        widget = self._widget(canv, name, placed, tooltip)
        widget.dict.update(
            FT=PDFName("Tx"),
            Ff=DO_NOT_SCROLL,
            DA=self._da,
            BS=PDFDictionary({"W": 0}),  # no border: the printed rules show the place
            AP=PDFDictionary({"N": self._appearance(canv, doc, ("empty", w, h), "", w, h)}),
        )
        if centered:
            widget.dict["Q"] = 1  # quadding: centre typed text (tracker cells)
        return self._adopt(canv, doc, name, widget)

    def checkbox(
        self, canv: Canvas, name: str, x: float, y: float, size: float, tooltip: str | None
    ) -> None:
        """A checkbox over a drawn square of side `size` with its lower left at (x, y).
        Its ticked look is a drawn tick, so it needs no font."""
        if self.flat:
            return
        ax, ay = canv.absolutePosition(x, y)
        with made_again(canv):
            ref, widget = self._checkbox_at(canv, name, (ax, ay), size, tooltip)
            again = partial(self._checkbox_at, name=name, at=(ax, ay), size=size, tooltip=tooltip)
            field_drawn(canv, ref, widget, again)  # into the structure tree, as a Form

    def _checkbox_at(
        self, canv: Canvas, name: str, at: tuple[float, float], size: float, tooltip: str | None
    ) -> tuple[PDFObjectReference, PDFDictionary]:
        """The checkbox with its lower left at `at` (page coordinates) in canv's PDF."""
        doc = self._document(canv)
        widget = self._widget(canv, name, (*at, size, size), tooltip)
        s, k = size, _stroke(self.text_color)
        tick = (
            f"q {k} {max(0.12 * s, MIN_STROKE):.2f} w 1 J 1 j {0.22 * s:.2f} {0.52 * s:.2f} m "
            f"{0.42 * s:.2f} {0.26 * s:.2f} l {0.80 * s:.2f} {0.76 * s:.2f} l S Q"
        )
        widget.dict.update(
            FT=PDFName("Btn"),
            V=PDFName("Off"),
            AS=PDFName("Off"),
            MK=PDFDictionary({"CA": PDFString("4")}),  # a viewer redrawing it: ZapfDingbats ✔
            AP=PDFDictionary(
                {
                    "N": PDFDictionary(
                        {
                            "Yes": self._appearance(canv, doc, ("tick", s), tick, s, s),
                            "Off": self._appearance(canv, doc, ("empty", s, s), "", s, s),
                        }
                    )
                }
            ),
        )
        return self._adopt(canv, doc, name, widget)

    # --- the PDF objects --------------------------------------------------------------

    def _document(self, canv: Canvas) -> _Document:
        pdf = document_of(canv)
        doc = self._docs.get(pdf)
        if doc is None:
            assert self.font is not None  # not flat
            form = canv.acroForm
            if "DR" not in form.extras:  # the first form drawn into this PDF
                form.extras["DR"] = PDFDictionary({"Font": PDFDictionary({})})
                form.extras["DA"] = self._da
            fonts = form.extras["DR"].dict["Font"].dict
            if self._key not in fonts:
                fonts[self._key] = pdf_font(pdf, self.font)
            doc = self._docs[pdf] = _Document()
        return doc

    def _widget(
        self,
        canv: Canvas,
        name: str,
        rect: tuple[float, float, float, float],
        tooltip: str | None,
    ) -> PDFDictionary:
        x, y, w, h = rect
        widget = PDFDictionary(
            {
                "Type": PDFName("Annot"),
                "Subtype": PDFName("Widget"),
                "T": PDFString(name.split(".")[-1]),
                "Rect": PDFArray([round(v, 3) for v in (x, y, x + w, y + h)]),
                "F": PRINT,
                # ReportLab names page objects 'PageN'
                "P": PDFObjectReference(f"Page{canv.getPageNumber()}"),
            }
        )
        if tooltip:
            widget.dict["TU"] = PDFString(tooltip)
        return widget

    def _appearance(
        self, canv: Canvas, doc: _Document, key: object, content: str, w: float, h: float
    ) -> PDFObjectReference:
        """A form XObject drawn for the widget (shared by widgets that look the same)."""
        if key not in doc.appearances:
            stream = PDFStream(
                PDFDictionary(
                    {
                        "Type": PDFName("XObject"),
                        "Subtype": PDFName("Form"),
                        "BBox": PDFArray([0, 0, round(w, 3), round(h, 3)]),
                        "Resources": PDFDictionary({}),
                    }
                ),
                content or "/Tx BMC EMC",
            )
            doc.appearances[key] = document_of(canv).Reference(stream)
        return doc.appearances[key]

    def _adopt(
        self, canv: Canvas, doc: _Document, name: str, widget: PDFDictionary
    ) -> tuple[PDFObjectReference, PDFDictionary]:
        """Put the widget on the page and into the field tree under its parents."""
        ref = add_annotation(canv, widget)
        self._attach(canv, doc, tuple(name.split("."))[:-1], ref, widget)
        return ref, widget

    def _attach(
        self,
        canv: Canvas,
        doc: _Document,
        prefix: tuple[str, ...],
        ref: PDFObjectReference,
        node: PDFDictionary,
    ) -> None:
        if not prefix:
            canv.acroForm.fields.append(ref)
            return
        if prefix not in doc.parents:
            parent = PDFDictionary({"T": PDFString(prefix[-1]), "Kids": PDFArray([])})
            parent_ref = document_of(canv).Reference(parent)
            doc.parents[prefix] = (parent, parent_ref)
            self._attach(canv, doc, prefix[:-1], parent_ref, parent)
        parent, parent_ref = doc.parents[prefix]
        parent.dict["Kids"].sequence.append(ref)
        node.dict["Parent"] = parent_ref


def _gray_or_rgb(color: Color) -> tuple[str, str]:
    if color.red == color.green == color.blue:  # one black: DeviceGray, not RGB
        return f"{color.red:g}", "g"
    return f"{color.red:g} {color.green:g} {color.blue:g}", "rg"


def _fill(color: Color) -> str:
    value, op = _gray_or_rgb(color)
    return f"{value} {op}"


def _stroke(color: Color) -> str:
    value, op = _gray_or_rgb(color)
    return f"{value} {op.upper()}"
