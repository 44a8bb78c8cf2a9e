"""What a card deck and its calibration sheet share: the canvas they are drawn on,
where the cards sit on the sheet, and the duplex settings (flip edge, back offset)
that put each back behind its front."""

from __future__ import annotations

import io

from reportlab.pdfgen.canvas import Canvas

from kitpress.errors import FitError, Source
from kitpress.layouts.cards import CardLayout
from kitpress.options import Flip
from kitpress.render.canvas import KitCanvas
from kitpress.render.context import Printing, RenderContext
from kitpress.render.imposition import Imposition, NoFit, impose

# A deck and its calibration sheet go through the printer on the same paper: the back
# offset measured on one paper path does not carry over to another.
CARDSTOCK = "cardstock"


def deck_printing(ctx: RenderContext[CardLayout]) -> Printing:
    """How a deck prints: fronts only on one side, else duplex turned on the flip edge."""
    return Printing("one" if ctx.options.fronts_only else flip_of(ctx), CARDSTOCK)


def new_canvas(ctx: RenderContext[CardLayout]) -> tuple[Canvas, io.BytesIO]:
    """A reproducible canvas that asks the print dialog for no scaling (cards must come
    out at their true size); `finish` adds the sides once the pages are known."""
    buffer = io.BytesIO()
    c = KitCanvas(
        buffer, pagesize=ctx.pagesize, initialFontName=ctx.fonts.text.face(), lang=ctx.lang
    )
    c.setTitle(ctx.title)
    c.setAuthor(ctx.manifest.organization.name)
    c.setSubject(ctx.manifest.title)
    c.setCreator("kitpress")
    c.setViewerPreference("PrintScaling", "None")
    return c, buffer


def finish(c: Canvas, buffer: io.BytesIO, printing: Printing, pages: int) -> bytes:
    """Ask for the sides the print plan gives the file, and write it."""
    c.setViewerPreference("Duplex", printing.duplex(pages))
    c.save()
    return buffer.getvalue()


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
