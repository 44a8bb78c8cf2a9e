"""A box of things to know (content/box.py), drawn for a flowing page: a checklist
section's `box:` and the boxes on the back of kit.pdf's cover.

One bordered column: each part's bold title, its paragraph, then its list with round
bullets. Ink only, with a heavy border, so it stands out in black and white.
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from kitpress.content.base import fill
from kitpress.content.box import BoxPart
from kitpress.layouts.models import Box
from kitpress.render.flowing import Styles, boxed_table
from kitpress.render.tagging import Node, container, content

BULLET = "•"


def callout(
    parts: list[BoxPart],
    s: Styles,
    width: float,
    cfg: Box,
    numbers: dict[str, str],
    node: Node | None = None,
) -> Flowable:
    """The box, `width` wide; `numbers` fill the {names} in its words (kit.yaml's crisis).
    Tagged as `node` (a Div; a new top-level one if None): each part's title an H3, its
    text a P, its lines a list."""
    div = node or Node("Div")
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
            cell.append(content(para(part.title, title, bold=True), div.add("H3")))
        if part.text:
            cell.append(content(para(part.text, text), div.add("P")))
        if part.list_:
            listing = div.add("L")
            for line in part.list_:  # the bullet is drawn with its line: both are the body
                body = listing.add("LI").add("LBody")
                cell.append(content(para(line, item, bulletText=BULLET), body))
        rows.append([cell])
    # a little air between one part and the next, inside the one border
    gaps = [("TOPPADDING", (0, i), (0, i), cfg.padding * 0.6) for i in range(1, len(rows))]
    return container(boxed_table(rows, [width], cfg, s.color("ink"), gaps, row_pad=0))
