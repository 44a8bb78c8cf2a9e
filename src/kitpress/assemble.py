"""Saddle-stitch booklets, folded from finished PDFs with pypdf, and the page
arithmetic kit.pdf shares with them."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

# pypdf takes ~65 ms to import: only builds that combine or fold PDFs pay for it
if TYPE_CHECKING:
    from pypdf import PdfWriter


@dataclass(frozen=True)
class Meta:
    title: str
    author: str
    subject: str
    lang: str


def start_pages(counts: list[int]) -> list[int]:
    """First page number of each part when every part starts on a right-hand (odd)
    page, a blank page filling the gap."""
    starts, page = [], 1
    for count in counts:
        starts.append(page)
        page += count + count % 2
    return starts


def booklet(pdf: bytes, meta: Meta) -> bytes:
    """Two pages side by side on sheets twice as wide, in saddle-stitch order.

    Pages keep their full size (a Letter booklet prints on 11×17 in, A4 on A3): shrinking
    them onto the same paper would take body text well under 11 pt.
    """
    from pypdf import PageObject, PdfReader, PdfWriter, Transformation
    from pypdf.generic import DictionaryObject, NameObject

    pages = list(PdfReader(io.BytesIO(pdf)).pages)
    width = float(pages[0].mediabox.width)
    height = float(pages[0].mediabox.height)
    count = -(-len(pages) // 4) * 4  # pad to a multiple of four with blank pages
    writer = PdfWriter()
    # The sheets turn on their short edge. No scaling: "fit to page" on Letter paper
    # would shrink 12 pt body text to 7.8 pt. Form fields would sit at their old places.
    writer.root_object[NameObject("/ViewerPreferences")] = DictionaryObject(
        {
            NameObject("/Duplex"): NameObject("/DuplexFlipShortEdge"),
            NameObject("/PrintScaling"): NameObject("/None"),
        }
    )
    for page in pages:
        if "/Annots" in page:
            del page[NameObject("/Annots")]
    for left, right in booklet_order(count):
        sheet = PageObject.create_blank_page(width=2 * width, height=height)
        for slot, number in ((0, left), (1, right)):
            if number <= len(pages):
                sheet.merge_transformed_page(
                    pages[number - 1], Transformation().translate(tx=slot * width)
                )
        writer.add_page(sheet)
    return _finish(writer, meta)


def booklet_sides(pages: int) -> int:
    """How many sheet sides a booklet of `pages` pages prints: two per four pages."""
    return -(-pages // 4) * 2


def booklet_order(pages: int) -> list[tuple[int, int]]:
    """(left, right) page numbers for each sheet side, front then back, for a booklet of
    `pages` pages (a multiple of 4). Folding the stacked sheets gives pages 1..n in order."""
    order = []
    for i in range(pages // 4):
        order.append((pages - 2 * i, 2 * i + 1))  # front of sheet i
        order.append((2 * i + 2, pages - 2 * i - 1))  # back of sheet i
    return order


def _finish(writer: PdfWriter, meta: Meta) -> bytes:
    from pypdf.generic import NameObject, TextStringObject

    writer.add_metadata(
        {
            "/Title": meta.title,
            "/Author": meta.author,
            "/Subject": meta.subject,
            "/Creator": "kitpress",
            "/CreationDate": _pdf_date(),
            "/ModDate": _pdf_date(),
        }
    )
    writer.root_object[NameObject("/Lang")] = TextStringObject(meta.lang)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdf_date() -> str:
    """The same date ReportLab stamps: SOURCE_DATE_EPOCH if set, else a fixed date,
    so builds are reproducible."""
    from reportlab.lib.utils import TimeStamp

    stamp = TimeStamp(invariant=1)
    y, mo, d, h, mi, sec = stamp.YMDhms
    return f"D:{y:04d}{mo:02d}{d:02d}{h:02d}{mi:02d}{sec:02d}+00'00'"
