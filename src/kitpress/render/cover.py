"""The combined kit's cover: title, organisation, how to use the kit, and the contents
with the page each handout starts on."""

from __future__ import annotations

from dataclasses import dataclass, replace

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)

from kitpress.content.cover import Cover
from kitpress.errors import FitError, Source
from kitpress.layouts.models import CoverLayout
from kitpress.render.callout import callout
from kitpress.render.context import RenderContext
from kitpress.render.flowing import Flowed, Overflow, OverLimit, Styles, build_flowing, tagged
from kitpress.render.paragraph import Para
from kitpress.render.tagging import Node, container, content


class PageNumber:
    """A handout's first page in kit.pdf, as the cover lists it. kit.pdf's pages are
    drawn before its cover (render/kitpdf.py), so the cover is laid out with these
    and they are set once every handout is in: a number is one line in a column of
    its own, so its value changes nothing in the cover's layout."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __str__(self) -> str:
        return str(self.value)


class CellText(Flowable):
    """One line of text drawn as a table draws a plain string cell (its baseline 0.2 x
    the size above the cell's bottom padding), but a flowable, so it can be marked for
    screen readers: a contents page number, read when drawn (PageNumber)."""

    def __init__(self, text: object, font: str, size: float) -> None:
        super().__init__()
        self.text, self.font, self.size = text, font, size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        # a table wraps its cells again as it draws them: the width is the number's
        self.width = stringWidth(str(self.text), self.font, self.size)
        self.height = self.size * 1.2  # ReportLab's leading for a FONT with none given
        return self.width, self.height

    def draw(self) -> None:
        self.canv.setFont(self.font, self.size)
        self.canv.drawString(0, self.height - self.size, str(self.text))


@dataclass(frozen=True)
class Entry:
    title: str
    page: PageNumber | None  # None: printed on its own, not in the combined PDF
    note: str = ""  # e.g. the file to print instead


def render(
    cover: Cover,
    entries: list[Entry],
    ctx: RenderContext[CoverLayout],
    source: Source,
    back: bool = True,
) -> Flowed:
    """The front of the cover, then (with `back` and cover.back) its back on page 2.
    The cover is not a handout kind: it is laid out like one, but from the kit's
    contents (entries), and only ever drawn into kit.pdf."""
    s = Styles(ctx)
    m = ctx.layout.page.margins
    width = ctx.pagesize[0] - m.left - m.right
    org = ctx.manifest.organization
    story = [content(tagged(s.para(cover.title, "title"), ("title",)), "H1")]
    if cover.subtitle:
        story.append(content(tagged(s.para(cover.subtitle, "subtitle"), ("subtitle",)), "P"))
    story += [content(s.para(org.name, "strong"), "P")]
    if org.contact:
        story.append(content(s.para(org.contact, "body"), "P"))
    story += [Spacer(1, 18), tagged(content(s.para(cover.intro, "intro"), "P"), ("intro",))]

    # contents entries read at the intro's size, without its paragraph spacing
    entry = ParagraphStyle("entry", parent=s["intro"], spaceBefore=0, spaceAfter=0)

    def para(text: str, node: Node) -> Flowable:
        return content(
            Para(ctx.fonts.markup(text), entry, plain=text, markup=ctx.fonts.markup), node
        )

    def listing(heading: str, listed: list[Entry]) -> list:
        """A heading over a ruled table of handouts: for those inside, a table of
        contents (each title, then its page); for those printed apart, a list."""
        sect = Node("Sect")
        head = content(s.para(heading, "heading"), sect.add("H2"))
        group = sect.add("TOC" if listed[0].page else "L")
        rows: list[list] = []
        for e in listed:
            if e.page:
                item = group.add("TOCI")
                page = CellText(e.page, s["strong"].fontName, entry.fontSize)
                rows.append([para(e.title, item.add("P")), content(page, item.add("P"))])
            else:
                title = f"{e.title} ({e.note})" if e.note else e.title
                rows.append([para(title, group.add("LI").add("LBody")), ""])
        number_w = 48
        table = Table(
            rows,
            colWidths=[width - number_w, number_w],
            style=TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.75, s.color("rule")),
                    ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ]
            ),
        )
        return [head, container(table)]

    inside = [e for e in entries if e.page]
    apart = [e for e in entries if e.page is None]
    if inside:
        story += listing(cover.contents, inside)
    if apart:
        story += listing(cover.separately, apart)
    measured = [(f, getattr(f, "kitpress_key", None)) for f in story]  # the front's
    with_back = back and bool(cover.back)
    if with_back:
        story += back_page(cover, s, width, ctx)
    pages = 1 + ctx.layout.back_pages if with_back else 1
    try:
        flowed: Flowed | None = build_flowing(ctx, story, source, max_pages=pages)
    except (Overflow, OverLimit):  # (OverLimit: a preview's; the cover is not shown whole)
        flowed = None
    # The intro sends the reader to "the back of this page" for the crisis help: the
    # front stays one page even where the back may run on (large print), or the back
    # would start a sheet later, behind a nearly empty page.
    if flowed is not None and (not with_back or _back_on_page_two(flowed)):
        return flowed
    if with_back:
        render(cover, entries, replace(ctx, web_link=None), source, False)  # the front: raises
        # the front alone fits: the back is what does not
        n = ctx.layout.back_pages
        raise FitError(
            f"the back of the cover does not fit on {'one page' if n == 1 else f'{n} pages'}"
            "; shorten or remove some of its boxes",
            source.at(("back",)),
            ("back",),
        )
    raise _too_long(measured, width, ctx, source)


def _back_on_page_two(flowed: Flowed) -> bool:
    """Whether the back's first box starts on page 2 (the front took only page 1)."""
    return len(flowed.placed) > 1 and any(
        (getattr(p.flowable, "kitpress_key", None) or ("",))[0] == "back" for p in flowed.placed[1]
    )


def _too_long(
    story: list[tuple[Flowable, tuple | None]],
    width: float,
    ctx: RenderContext[CoverLayout],
    source: Source,
) -> FitError:
    """The front of the cover is one page: blame what takes the most room on it, the
    title, the subtitle, the intro (in cover.yaml) or the list of handouts (kit.yaml's)."""
    room: dict[tuple, float] = {}
    for flowable, key in story:
        h = flowable.wrap(width, 1e6)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()
        room[key or ("handouts",)] = room.get(key or ("handouts",), 0.0) + h
    worst = max(room, key=lambda k: room[k])
    if worst == ("handouts",) and ctx.manifest_source is not None:
        return FitError(
            "the cover lists more handouts than fit on its one page; shorten the cover's "
            "intro, or make two kits",
            ctx.manifest_source.at(worst),
            worst,
        )
    if worst == ("handouts",):
        worst = ("intro",)
    return FitError(
        f"the cover does not fit on one page; shorten the {worst[0]}", source.at(worst), worst
    )


def back_page(
    cover: Cover, s: Styles, width: float, ctx: RenderContext[CoverLayout]
) -> list[Flowable]:
    """The boxes on the back of the cover, each under its heading, from a new page."""
    cfg = ctx.layout.callout
    story: list = [PageBreak()]
    for i, headed in enumerate(cover.back or ()):
        sect = Node("Sect")
        head = content(s.para(headed.heading, "heading"), sect.add("H2"))
        head = tagged(head, ("back", i, "heading"))
        box = callout(headed.box, s, width, cfg, ctx.manifest.crisis, sect.add("Div"))
        box = tagged(box, ("back", i, "box"))
        story.append(tagged(KeepTogether([head, Spacer(1, 2), box]), ("back", i)))
    return story
