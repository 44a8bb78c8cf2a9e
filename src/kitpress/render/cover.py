"""The combined kit's cover: title, organisation, how to use the kit, and the contents
with the page each handout starts on."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
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


@dataclass(frozen=True)
class Entry:
    title: str
    page: int | None  # None: printed on its own, not in the combined PDF
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
    story = [tagged(s.para(cover.title, "title"), ("title",))]
    if cover.subtitle:
        story.append(tagged(s.para(cover.subtitle, "subtitle"), ("subtitle",)))
    story += [s.para(org.name, "strong")]
    if org.contact:
        story.append(s.para(org.contact, "body"))
    story += [Spacer(1, 18), tagged(s.para(cover.intro, "intro"), ("intro",))]

    def listing(heading: str, rows: list[list]) -> list:
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
                    ("FONT", (1, 0), (1, -1), s["strong"].fontName, entry.fontSize),
                ]
            ),
        )
        return [s.para(heading, "heading"), table]

    # contents entries read at the intro's size, without its paragraph spacing
    entry = ParagraphStyle("entry", parent=s["intro"], spaceBefore=0, spaceAfter=0)

    def para(text: str) -> Paragraph:
        return Para(ctx.fonts.markup(text), entry, plain=text, markup=ctx.fonts.markup)

    inside: list[list] = [[para(e.title), str(e.page)] for e in entries if e.page]
    apart: list[list] = [
        [para(f"{e.title} ({e.note})" if e.note else e.title), ""]
        for e in entries
        if e.page is None
    ]
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
        return build_flowing(ctx, story, source, max_pages=pages)
    except (Overflow, OverLimit):  # (OverLimit: a preview's; the cover is not shown whole)
        if with_back:
            render(cover, entries, ctx, source, False)  # the front alone: raises if too long
            n = ctx.layout.back_pages
            raise FitError(
                f"the back of the cover does not fit on {'one page' if n == 1 else f'{n} pages'}"
                "; shorten or remove some of its boxes",
                source.at(("back",)),
                ("back",),
            ) from None
        raise _too_long(measured, width, ctx, source) from None


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
        head = tagged(s.para(headed.heading, "heading"), ("back", i, "heading"))
        box = tagged(callout(headed.box, s, width, cfg, ctx.manifest.crisis), ("back", i, "box"))
        story.append(tagged(KeepTogether([head, Spacer(1, 2), box]), ("back", i)))
    return story
