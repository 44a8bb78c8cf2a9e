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

# Narrower or shorter than this, a text column is no use (and platypus may fail on it).
MIN_ROOM = 72.0
_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
# Nothing is printed closer than this to the sheet edge: office printers clip there.
MIN_EDGE = 36.0


def tagged(flowable: Flowable, key_path: tuple) -> Flowable:
    """Mark a flowable with the content it shows, so 'too tall' can say which."""
    flowable.kitpress_key = key_path
    return flowable


def opening(content, s: Styles) -> list[Flowable]:
    """Title, subtitle and intro of a flowing handout (content.Handout)."""
    out: list[Flowable] = [tagged(s.para(content.title, "title"), ("title",))]
    for key in ("subtitle", "intro"):
        if getattr(content, key):
            out.append(tagged(s.para(getattr(content, key), key), (key,)))
    return out


def closing(content, s: Styles) -> list[Flowable]:
    """The closing words of a flowing handout, if any."""
    return [tagged(s.para(content.closing, "closing"), ("closing",))] if content.closing else []


class _Document(BaseDocTemplate):
    """Remembers the key of the last tagged flowable it laid out: the one to blame
    when platypus gives up."""

    key_path: tuple = ()

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        key = getattr(flowables[0], "kitpress_key", None) if flowables else None
        if key is not None:
            self.key_path = key
        super().handle_flowable(flowables)


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
    room_w, room_h = width - m.left - m.right, height - m.top - m.bottom
    if min(room_w, room_h) < MIN_ROOM:
        raise FitError(
            f"layout '{layout.name}': the page margins leave {max(room_w, 0) / 72:.1f} x "
            f"{max(room_h, 0) / 72:.1f} in for the text on {ctx.paper} paper; make them smaller",
            source.at(),
        )
    org = ctx.manifest.organization
    org_markup = ctx.fonts.markup(
        ctx.labels.footer.format(name=org.name, contact=org.contact) if org.contact else org.name
    )
    right_style = ParagraphStyle("footer-right", parent=footer, alignment=TA_RIGHT)

    def page_label(page: int, pages: int) -> Paragraph:
        if ctx.first_page is not None:  # inside kit.pdf: number pages as the cover does
            text = ctx.labels.kit_page.format(page=ctx.first_page + page - 1)
        else:
            text = ctx.labels.page.format(page=page, pages=pages)
        return Paragraph(ctx.fonts.markup(text), right_style)

    frame_w = width - m.left - m.right

    def footer_parts(page: int, pages: int) -> tuple[Paragraph, float, float]:
        """The page label, its width, and the room left for the organisation."""
        label = page_label(page, pages)
        label.wrap(frame_w / 2, footer.leading * 2)
        label_w = max(label.getActualLineWidths0())
        return label, label_w, frame_w - label_w - 18

    @functools.cache
    def org_line(room: float) -> tuple[Paragraph, float]:
        # Parsed and wrapped once per width, not once per page: digits are equally wide,
        # so a 200-page handout needs three ("Page 9 of 200", "Page 10 …", "Page 100 …").
        p = Paragraph(org_markup, footer)
        _, h = p.wrap(room, footer.leading * 10)
        return p, h

    def org_fits(room: float) -> None:
        """The organisation line must stay above the 0.5in edge beside every page label
        (labels widen as page numbers grow, so each width is checked)."""
        if text_y + footer.fontSize - org_line(room)[1] < MIN_EDGE:
            raise FitError(
                "the footer (the organization's name and contact in kit.yaml) takes more "
                "than one line; shorten them",
                source.at(),
            )

    org_fits(footer_parts(1, 1)[2])  # the common case fails before any page is laid out

    def draw_footer(canvas: Canvas, page: int, pages: int) -> None:
        canvas.saveState()
        canvas.setStrokeColor(styles.color("rule"))
        canvas.setLineWidth(layout.footer.rule_width)
        canvas.line(m.left, rule_y, width - m.right, rule_y)
        label, label_w, room = footer_parts(page, pages)
        org_fits(room)
        left, h = org_line(room)
        left.drawOn(canvas, m.left, text_y - h + footer.fontSize)
        _, lh = label.wrap(label_w + 1, footer.leading * 2)
        label.drawOn(canvas, width - m.right - label_w - 1, text_y - lh + footer.fontSize)
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
    doc = _Document(
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
    except ValueError as e:
        if "negative" not in str(e):  # platypus: "flowable given negative availWidth"
            raise
        where = doc.key_path
        raise FitError(
            f"layout '{layout.name}' leaves no room across the page for "
            f"{'this' if where else 'a block'}; make its sizes (boxes, columns, padding) "
            "smaller",
            source.at(where),
            where,
        ) from None
    except LayoutError:
        where = doc.key_path
        raise FitError(
            f"{'this' if where else 'a block'} is too tall to fit on one page (a long list, "
            "table or writing area); shorten it or split it in two",
            source.at(where),
            where,
        ) from None
    pages = doc.page
    if layout.max_pages is not None and pages > layout.max_pages:
        raise FitError(
            f"the handout runs to {pages} pages but layout '{layout.name}' allows "
            f"{layout.max_pages}; shorten the text or raise max_pages in the layout",
            source.at(),
        )
    return Rendered(buffer.getvalue(), pages)
