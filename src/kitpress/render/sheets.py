"""What a card deck and its calibration sheet share: the canvas they are drawn on,
where the cards sit on the sheet, and the duplex settings (flip edge, back offset)
that put each back behind its front."""

from __future__ import annotations

import io

from reportlab.pdfgen.canvas import Canvas

from kitpress.errors import FitError, Source
from kitpress.layouts.cards import CardLayout
from kitpress.options import Flip
from kitpress.render.context import RenderContext
from kitpress.render.imposition import Imposition, NoFit, impose
from kitpress.render.tagging import Tagger, start


def new_canvas(ctx: RenderContext[CardLayout], duplex: Flip | None) -> tuple[Canvas, io.BytesIO]:
    """A reproducible canvas that asks the print dialog for no scaling (cards must come
    out at their true size) and, with backs, for duplex on the right edge."""
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=ctx.pagesize, invariant=1, pageCompression=1, lang=ctx.lang)
    c.setTitle(ctx.title)
    c.setAuthor(ctx.manifest.organization.name)
    c.setSubject(ctx.manifest.title)
    c.setCreator("kitpress")
    c.setViewerPreference("PrintScaling", "None")
    c.setViewerPreference(
        "Duplex",
        {"long": "DuplexFlipLongEdge", "short": "DuplexFlipShortEdge"}.get(duplex or "", "Simplex"),
    )
    return c, buffer


def tag_sheets(c: Canvas, ctx: RenderContext[CardLayout]) -> Tagger:
    """Tag what is drawn on a sheet canvas (render/tagging.py), with its metadata."""
    return start(c, ctx.title, ctx.lang, ctx.manifest.organization.name, ctx.manifest.title)


def imposition_for(ctx: RenderContext[CardLayout], source: Source) -> Imposition:
    layout = ctx.layout
    m, card = layout.page.margins, layout.card
    try:
        return impose(
            ctx.pagesize,
            (m.top, m.bottom, m.left, m.right),
            (card.width, card.height),
            card.gap,
            card.bleed,
            card.rotate,
        )
    except NoFit as e:
        raise FitError(
            f"layout '{layout.name}': {e}; use a smaller card or smaller page margins",
            source.at(("layout",)),
            ("layout",),
        ) from None


def flip_of(ctx: RenderContext[CardLayout]) -> Flip:
    """--flip, else the layout's."""
    return ctx.options.flip or ctx.layout.duplex.flip


def back_offset(ctx: RenderContext[CardLayout]) -> tuple[float, float]:
    o = ctx.layout.duplex.back_offset
    return (o.x, o.y)
