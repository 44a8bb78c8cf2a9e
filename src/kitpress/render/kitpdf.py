"""The combined kit.pdf: the cover, then every handout that goes inside, drawn onto
one canvas. Each handout keeps the layout it was given for its own PDF (laid out
once, drawn twice) with kit page numbers in its footers, and the fonts are embedded
once for the whole kit instead of once per handout."""

from __future__ import annotations

import io

from kitpress.render.context import Bindable, Printing
from kitpress.render.flowing import Flowed, new_canvas


def bind(
    cover: Flowed, parts: list[tuple[str, Bindable, int]], title: str, printing: Printing
) -> tuple[bytes, int]:
    """The cover, then each (title, handout, first kit page); a blank page comes before
    a handout that would otherwise start on a left-hand (even) page. Returns the PDF
    and its page count; the PDF asks the print dialog for `printing`'s sides."""
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, cover.ctx, title)
    canvas.bookmarkPage("cover")
    canvas.addOutlineEntry(title, "cover", level=0)
    cover.draw_into(canvas, 1)
    page = cover.pages + 1  # the page about to be drawn
    for n, (name, part, first) in enumerate(parts):
        while page < first:  # a blank left-hand page
            canvas.showPage()
            page += 1
        key = f"part{n}"
        canvas.bookmarkPage(key)
        canvas.addOutlineEntry(name, key, level=0)
        part.draw_into(canvas, first)
        page += part.pages
    canvas.setViewerPreference("Duplex", printing.duplex(page - 1))
    canvas.save()
    return buffer.getvalue(), page - 1
