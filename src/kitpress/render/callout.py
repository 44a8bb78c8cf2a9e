"""A box of things to know (content/box.py), drawn for a flowing page: a checklist
section's `box:` and the boxes on the back of kit.pdf's cover.

One bordered column: each part's bold title, its paragraph, then its list with round
bullets. Ink only, with a heavy border, so it stands out in black and white.
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Table

from kitpress.content.base import fill
from kitpress.content.box import BoxPart
from kitpress.layouts.models import Box
from kitpress.render.flowing import Styles, boxed_table

BULLET = "•"


def callout(
    parts: list[BoxPart], s: Styles, width: float, cfg: Box, numbers: dict[str, str]
) -> Table:
    """The box, `width` wide; `numbers` fill the {names} in its words (kit.yaml's crisis)."""
    body = s["body"]
    title = ParagraphStyle("callout-title", parent=s["strong"], spaceAfter=2)
    text = ParagraphStyle("callout-text", parent=body, spaceAfter=3)
    indent = body.fontSize * 1.2
    item = ParagraphStyle(
        "callout-item",
        parent=body,
        leftIndent=indent,
        bulletIndent=body.fontSize * 0.15,
        bulletFontName=body.fontName,
        bulletFontSize=body.fontSize,
        spaceBefore=2,
    )
    markup = s.ctx.fonts.markup

    def para(words: str, style: ParagraphStyle, bold: bool = False, **kw) -> Paragraph:
        return Paragraph(markup(fill(words, numbers), bold), style, **kw)

    rows: list[list[list[Flowable]]] = []
    for part in parts:
        cell: list[Flowable] = []
        if part.title:
            cell.append(para(part.title, title, bold=True))
        if part.text:
            cell.append(para(part.text, text))
        for line in part.list_ or ():
            cell.append(para(line, item, bulletText=BULLET))
        rows.append([cell])
    # a little air between one part and the next, inside the one border
    gaps = [("TOPPADDING", (0, i), (0, i), cfg.padding * 0.6) for i in range(1, len(rows))]
    return boxed_table(rows, [width], cfg, s.color("ink"), gaps, row_pad=0)
