"""Drawing a paragraph of plain text, byte for byte as ReportLab draws it, faster.

Flowable.drawOn saves the canvas's whole state (two dozen attributes and a copy of its
extended graphics state), moves the origin, and has Paragraph.drawPara save it all
again, make a text object, and set each line through it; then both restore. For the
paragraphs most of a kit is made of (one run of text in one TrueType font, not
justified, nothing drawn around it), `draw` writes the same operators in the same
order itself and puts back by hand the only state drawing them changes: the fill
colour and the extended graphics state (a colour's alpha). The move to the paragraph's
place is written, not made: the matrix it changes would be put back at once. That was
a third of drawing a long checklist. Anything else is left to ReportLab (draw returns
False).
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.colors import CMYKColorSep
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph
from reportlab.rl_config import paraFontSizeHeightOffset

from kitpress.render.internals import SPACED_LINES

# what `draw` writes itself (a fill colour from the operator set before: its class's
# setFillColor and setFillAlpha are skipped); a canvas class that changes one of them
# draws through ReportLab
_CANVAS_METHODS = (
    "saveState",
    "restoreState",
    "transform",
    "beginText",
    "drawText",
    "setFillColor",
    "setFillAlpha",
)
_CANVASES: dict[type, bool] = {}
_FILLS = "kitpress_fills"  # on a canvas: the operator each colour object was set with


def draw(p: Paragraph, canvas: Any, x: float, y: float, sw: float = 0) -> bool:
    """Draw `p` (broken into lines, as drawOn(canvas, x, y, sw) would), or return False
    and draw nothing when it is not a plain paragraph this function can draw."""
    plain = _plain_lines(p, canvas)
    if plain is None:
        return False
    lines, font = plain
    x = p._hAlignAdjust(x, sw)
    blpara, style = p.blPara, p.style
    size = blpara.fontSize
    if paraFontSizeHeightOffset:
        top = p.height - size
    else:
        top = p.height - getattr(blpara, "ascent", size)
    saved = canvas._fillColorObj, canvas._extgstate
    code = canvas._code
    code.append("q")  # Flowable.drawOn: saveState, then translate (after a q, a move
    code.append(f"1 0 0 1 {fp_str(x, y)} cm")  # is never added to one before it)
    code.append("q")  # Paragraph.drawPara: saveState
    canvas._extgstate = saved[1].pushCopy()
    _fill(canvas, blpara.textColor)
    flip = "1 0 0 1" if canvas.bottomup else "1 0 0 -1"
    text = ["BT", f"{flip} {fp_str(style.leftIndent, top)} Tm"]
    _lines(text, canvas, font, size, style.leading, lines, style.alignment)
    text.append("ET")
    code.append(" ".join(text))  # Canvas.drawText
    code.append("Q")
    code.append("Q")
    canvas._fillColorObj, canvas._extgstate = saved
    return True


def _fill(canvas: Any, color: Any) -> None:
    """canvas.setFillColor(color), from the operator it wrote the first time this canvas
    set this colour object (with the same fill alpha in force): a colour is set for every
    paragraph, through the canvas's colour check (render/canvas.one_black) each time.
    What the first call does besides is done then: the PDF version transparency needs;
    a spot colour (a separation, a resource of each page) always goes to the canvas."""
    fills = canvas.__dict__.setdefault(_FILLS, {})
    alpha = canvas._extgstate._d.get("ca")
    known = fills.get(id(color))
    if known is not None and known[0] is color and known[1] == alpha:
        canvas._code.append(known[2])
        return
    mark = len(canvas._code)
    canvas.setFillColor(color)
    if len(canvas._code) == mark + 1 and not isinstance(canvas._fillColorObj, CMYKColorSep):
        fills[id(color)] = (color, alpha, canvas._code[-1])  # (the colour kept: its id kept)


def _lines(
    text: list[str], canvas: Any, font: Any, size: float, leading: float, lines: Any, align: int
) -> None:
    """Each line as Paragraph's _leftDrawParaLine, _centerDrawParaLine or
    _rightDrawParaLine sets it through PDFTextObject._textOut(line, 1): the font's
    subset selected when it changes, the line, the move to the next; a centred or
    right-aligned line moved along first and back after."""
    doc, escape = canvas._doc, canvas._escape
    spaced = canvas.__dict__.get(SPACED_LINES, False)
    select = f"{fp_str(size)} Tf {fp_str(leading)} TL"
    subset_now = -1
    for extra, words in lines:
        line = " ".join(words)
        spaces = 0
        if extra <= -1e-8:  # a line a little too long: its spaces narrowed (Tw)
            spaces = len(words) + line.count("\xa0") - 1
        if spaced and not line.endswith(" "):
            line += " "
        out = []
        for subset, chunk in font.splitString(line, doc):
            if subset != subset_now:
                out.append(f"{font.getSubsetInternalName(subset, doc)} {select}")
                subset_now = subset
            out.append(f"({escape(chunk)}) Tj")
        shift = 0.0
        if spaces > 0:
            text.append(f"{fp_str(extra / float(spaces))} Tw")
            text.append(" ".join(out) + " T*")
            text.append("0 Tw")
        else:
            if align == TA_CENTER:
                shift = 0.5 * extra
            elif align == TA_RIGHT:
                shift = extra
            _move(text, shift)
            text.append(" ".join(out) + " T*")
        _move(text, -shift)


def _move(text: list[str], dx: float) -> None:
    """Paragraph's setXPos(tx, dx): PDFTextObject.moveCursor(dx, 0) when dx is not
    nothing, which adds a move (Td) to the one just before it, as it does."""
    if not (dx > 1e-6 or dx < -1e-6):
        return
    dy: float = 0
    if text[-1].endswith(" Td"):
        last = text[-1].split()
        if len(last) == 3:
            del text[-1]
        else:
            text[-1] = "".join(last[:-4])
        dx += float(last[-3])
        dy -= float(last[-2])
    text.append(f"{fp_str(dx, -dy)} Td")


def _plain_lines(p: Paragraph, canvas: Any) -> tuple[Any, Any] | None:
    """The paragraph's lines and their font if `draw` can draw them, else None."""
    blpara = p.__dict__.get("blPara")
    if blpara is None or blpara.kind != 0 or not blpara.lines or not _plain_canvas(canvas):
        return None
    style = p.style
    if (
        style.alignment not in (TA_LEFT, TA_CENTER, TA_RIGHT)
        or p.bulletText
        or style.backColor
        or (style.borderColor and style.borderWidth)
        or style.firstLineIndent
        or style.wordWrap
        or getattr(style, "shaping", 0)  # (not in ReportLab 4.0)
        or getattr(p, "autoLeading", getattr(style, "autoLeading", "")) in ("max", "min")
        or blpara.us_lines
        or blpara.link
        or p.debug
        or "_offsets" in p.__dict__
        or getattr(p, "_showBoundary", False)
        or "preformatted" in type(p).__name__.lower()
    ):
        return None
    font = getFont(blpara.fontName)
    return (blpara.lines, font) if font._dynamicFont else None


def _plain_canvas(canvas: Any) -> bool:
    """A canvas that draws as ReportLab's Canvas does what `draw` writes itself: its
    beginText wrapped only by space_line_ends."""
    cls = type(canvas)
    plain = _CANVASES.get(cls)
    if plain is None:
        plain = _CANVASES[cls] = all(
            getattr(cls, name) is getattr(Canvas, name) for name in _CANVAS_METHODS
        )
    return plain and ("beginText" not in canvas.__dict__ or SPACED_LINES in canvas.__dict__)
