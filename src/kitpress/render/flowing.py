"""Shared machinery for handouts whose text flows down the page (checklist, worksheet):
paragraph styles from the layout, the page frame, the footer with 'Page X of Y'."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError

from kitpress.errors import FitError, Source
from kitpress.layouts.models import TextStyle
from kitpress.render.context import RenderContext, Rendered

_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
# Nothing is printed closer than this to the sheet edge: office printers clip there.
MIN_EDGE = 36.0


class Styles:
    """ParagraphStyles built once per document from the layout's named styles."""

    def __init__(self, ctx: RenderContext) -> None:
        self.ctx = ctx
        self._cache: dict[str, ParagraphStyle] = {}

    def spec(self, name: str) -> TextStyle:
        return getattr(self.ctx.layout.styles, name)

    def __getitem__(self, name: str) -> ParagraphStyle:
        if name not in self._cache:
            s = self.spec(name)
            self._cache[name] = ParagraphStyle(
                name,
                fontName=self.ctx.fonts.text.face(s.bold, s.italic),
                fontSize=s.size,
                leading=s.leading or s.size * 1.25,
                textColor=HexColor(self.ctx.layout.color(s.color)),
                alignment=_ALIGN[s.align],
                spaceBefore=s.space_before,
                spaceAfter=s.space_after,
                keepWithNext=name in ("heading", "title", "subtitle"),
            )
        return self._cache[name]

    def para(self, text: str, name: str) -> Paragraph:
        s = self.spec(name)
        return Paragraph(self.ctx.fonts.markup(text, s.bold, s.italic), self[name])

    def color(self, name: str):
        return HexColor(self.ctx.layout.color(name))


def boxed_table(
    rows: list[list], col_widths: list[float], box, ink, extra: list = (), row_pad: float = 2
) -> Table:
    """A table inside a bordered (optionally rounded) box: tips, examples, swaps.
    `box` is a layout's box settings (border_width, padding, radius)."""
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOX", (0, 0), (-1, -1), box.border_width, ink),
        ("LEFTPADDING", (0, 0), (-1, -1), box.padding),
        ("RIGHTPADDING", (0, 0), (-1, -1), box.padding),
        ("TOPPADDING", (0, 0), (-1, -1), row_pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), row_pad),
        ("TOPPADDING", (0, 0), (-1, 0), box.padding),
        ("BOTTOMPADDING", (0, -1), (-1, -1), box.padding),
        *extra,
    ]
    if box.radius:
        style.append(("ROUNDEDCORNERS", [box.radius] * 4))
    return Table(rows, colWidths=col_widths, style=TableStyle(style), hAlign="LEFT")


def _paged_canvas(draw_footer: Callable[[Canvas, int, int], None]) -> type[Canvas]:
    """A canvas that holds its pages until the end, so each footer knows the page total."""

    class PagedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for number, state in enumerate(self._held, 1):
                self.__dict__.update(state)
                draw_footer(self, number, total)
                super().showPage()
            super().save()

    return PagedCanvas


def build_flowing(
    ctx: RenderContext, story: list[Flowable], source: Source, **doc_options: object
) -> Rendered:
    """Lay the story out in one frame per page, with the kit's footer, and return the PDF."""
    layout = ctx.layout
    m = layout.page.margins
    width, height = ctx.pagesize
    styles = Styles(ctx)
    footer = styles["footer"]
    rule_y = m.bottom - layout.footer.gap
    text_y = rule_y - layout.footer.gap - footer.fontSize
    if text_y - footer.fontSize * 0.3 < MIN_EDGE or min(m.left, m.right, m.top) < MIN_EDGE:
        raise FitError(
            f"layout '{layout.name}': text would come within 0.5in of the sheet edge, where "
            "office printers cut it off; make the page margins larger",
            source.at(),
        )
    org = ctx.manifest.organization
    left_text = org.name + (f"  ·  {org.contact}" if org.contact else "")

    @functools.cache
    def org_line(room: float) -> tuple[Paragraph, float]:
        # Parsed and wrapped once per width, not once per page: digits are equally wide,
        # so a 200-page handout needs three ("Page 9 of 200", "Page 10 …", "Page 100 …").
        p = Paragraph(ctx.fonts.markup(left_text), footer)
        _, h = p.wrap(room, footer.leading * 3)
        return p, h

    def draw_footer(canvas: Canvas, page: int, pages: int) -> None:
        canvas.saveState()
        canvas.setStrokeColor(styles.color("rule"))
        canvas.setLineWidth(layout.footer.rule_width)
        canvas.line(m.left, rule_y, width - m.right, rule_y)
        label = ctx.labels.page.format(page=page, pages=pages)
        canvas.setFont(footer.fontName, footer.fontSize)
        canvas.setFillColor(footer.textColor)
        label_w = canvas.stringWidth(label, footer.fontName, footer.fontSize)
        p, h = org_line(width - m.left - m.right - label_w - 18)
        p.drawOn(canvas, m.left, text_y - h + footer.fontSize)
        canvas.drawRightString(width - m.right, text_y, label)
        canvas.restoreState()

    frame = Frame(
        m.left,
        m.bottom,
        width - m.left - m.right,
        height - m.top - m.bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=ctx.pagesize,
        leftMargin=m.left,
        rightMargin=m.right,
        topMargin=m.top,
        bottomMargin=m.bottom,
        title=ctx.title,
        author=ctx.manifest.organization.name,
        subject=ctx.manifest.title,
        creator="kitpress",
        lang=ctx.lang,
        invariant=1,
        pageCompression=1,
        pageTemplates=[PageTemplate(id="page", frames=[frame])],
        **doc_options,
    )
    try:
        doc.build(story, canvasmaker=_paged_canvas(draw_footer))
    except LayoutError as e:
        raise FitError(
            f"a block is too tall to fit on one page ({_short(e)}); shorten it", source.at()
        ) from None
    pages = doc.page
    if layout.max_pages is not None and pages > layout.max_pages:
        raise FitError(
            f"the handout runs to {pages} pages but layout '{layout.name}' allows "
            f"{layout.max_pages}; shorten the text or raise max_pages in the layout",
            source.at(),
        )
    return Rendered(buffer.getvalue(), pages)


def _short(e: Exception) -> str:
    text = str(e).split("\n")[0]
    return text if len(text) < 80 else text[:77] + "..."
