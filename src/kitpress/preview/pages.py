"""PDF pages as pictures and text for the browser, drawn by PDFium (pypdfium2).

PDFium must not be called from two threads at once, and the server answers each
request on its own thread, so every call into it holds one lock.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict

import pypdfium2 as pdfium

DPI = 120  # sharp at the page sizes the preview shows, and quick to draw and compress
_KEPT = 200  # page pictures kept (about 45 MB): the default kit's pages six times over

_lock = threading.Lock()


class Pictures:
    """PNG pictures of PDF pages, drawn on first request and kept (the newest _KEPT).
    The picture of a page is asked for by the digest of its PDF, so a handout that did
    not change keeps its pictures from one rebuild to the next. A picture asked for
    while it is being drawn (the page wants it as the preview draws it ahead) is drawn
    once: the second asker waits for the first."""

    def __init__(self, dpi: int = DPI) -> None:
        self.scale = dpi / 72
        self._kept: OrderedDict[tuple[str, int], bytes] = OrderedDict()
        self._drawing: dict[tuple[str, int], threading.Event] = {}
        self._state = threading.Lock()  # guards _kept and _drawing

    def png(self, digest: str, pdf: bytes, index: int) -> bytes:
        key = (digest, index)
        while True:
            with self._state:
                kept = self._kept.get(key)
                if kept is not None:
                    self._kept.move_to_end(key)
                    return kept
                drawing = self._drawing.get(key)
                if drawing is None:
                    drawing = self._drawing[key] = threading.Event()
                    break
            drawing.wait()  # then it is kept (or its drawing failed: try it here)
        try:
            data = _png(pdf, index, self.scale)
            with self._state:
                self._kept[key] = data
                while len(self._kept) > _KEPT:
                    self._kept.popitem(last=False)
            return data
        finally:
            with self._state:
                del self._drawing[key]
            drawing.set()


def _png(pdf: bytes, index: int, scale: float) -> bytes:
    with _lock:
        doc = pdfium.PdfDocument(pdf)
        try:
            doc.init_forms()  # draw the worksheet's form fields as a PDF viewer does
            page = doc[index]
            bitmap = page.render(scale=scale, may_draw_forms=True)
            image = bitmap.to_pil().copy()  # its own pixels, so PDFium can let go
            bitmap.close()
            page.close()
        finally:
            doc.close()
    out = io.BytesIO()  # compressed outside the lock, while PDFium draws the next
    image.save(out, "PNG", compress_level=1)  # quickest; on 127.0.0.1 size hardly matters
    return out.getvalue()


def texts(pdf: bytes) -> list[str]:
    """The text of each page: the alt text of its picture, for a screen reader (and a
    test) to read what the page says."""
    with _lock:
        doc = pdfium.PdfDocument(pdf)
        try:
            out = []
            for page in doc:
                text = page.get_textpage()
                out.append(" ".join(text.get_text_range().split()))
                text.close()
                page.close()
            return out
        finally:
            doc.close()


def starts(pdf: bytes) -> list[int]:
    """The page index each top-level bookmark of a PDF points to (kit.pdf: the cover,
    then each handout inside)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    found = [
        reader.get_destination_page_number(i) for i in reader.outline if not isinstance(i, list)
    ]
    return [n for n in found if n is not None]
