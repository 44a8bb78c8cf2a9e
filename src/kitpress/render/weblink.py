"""From paper to phone (issue 16, item 4): when kit.yaml gives `web:`, the address
where the group publishes its web edition, each printed flowing handout carries a
small QR code of its own page there (in its own language), with the words from
labels.yaml's `web: phone:` and the short address beside it.

It goes at the foot of the first page with room for it above the footer, so it never
moves a line of the handout: the pages, and so kit.pdf's page numbers, are the same
with or without it. A page with too little room is passed over; a handout with no
such page is a one-line error.

For screen readers (render/tagging.py) the code and its words are one Link, inside a
paragraph of their own: the code a Figure whose alt text is the address.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from kitpress.errors import FitError, Source
from kitpress.markup import escape
from kitpress.render.internals import qrencoder
from kitpress.render.tagging import Node, link, marked
from kitpress.units import POINTS_PER_UNIT

if TYPE_CHECKING:
    from kitpress.layouts.models import BaseLayout
    from kitpress.render.context import RenderContext
    from kitpress.render.flowing import Footer, Placed

MM = POINTS_PER_UNIT["mm"]
Rows = tuple[tuple[tuple[int, int], ...], ...]  # each row's dark squares: (column, length)
# A square of the code: no smaller than this, or an office copy of a copy blurs it;
# no larger than the bigger size, or the code takes more of the page than it needs.
MIN_MODULE = 0.4 * MM
MAX_MODULE = 0.5 * MM
QUIET = 4  # white squares around the code, as the QR standard asks
GAP = 4.0  # between the code's quiet zone and the words beside it


def short_address(url: str) -> str:
    """The address as printed for a person to type: without https://."""
    return url.removeprefix("https://")


@dataclass(frozen=True)
class WebLink:
    """The QR code and the words beside it, placed on one page of a handout."""

    url: str
    page: int  # the page (from 0) that carries it
    x: float  # the lower left corner of the code's dark squares
    y: float
    module: float  # the side of one square
    rows: Rows
    words: Paragraph
    words_x: float
    words_y: float
    words_w: float
    words_h: float

    @property
    def size(self) -> float:
        return len(self.rows) * self.module

    def draw(self, canvas: Canvas) -> None:
        linked = Node("P").add("Link")
        top = self.y + self.size
        with marked(canvas, linked.add("Figure", alt=self.url)):
            draw_code(canvas, self.rows, self.x, self.y, self.module)
        with marked(canvas, linked):
            self.words.drawOn(canvas, self.words_x, self.words_y)
            box = (self.words_x, min(self.y, self.words_y), self.x + self.size, top)
            link(canvas, self.url, box)


def draw_code(canvas: Canvas, rows: Rows, x: float, y: float, module: float) -> None:
    """The code's dark squares in black, its lower left corner at (x, y); the quiet
    zone around it is left as it is (white paper)."""
    canvas.saveState()
    canvas.setFillColor("#000000")
    path = canvas.beginPath()
    top = y + len(rows) * module
    for r, runs in enumerate(rows):
        for column, length in runs:
            path.rect(x + column * module, top - (r + 1) * module, length * module, module)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


@lru_cache(maxsize=64)
def dark_runs(url: str, level: str = "M") -> Rows:
    """The code's dark squares, row by row, as runs (one rectangle each when drawn), at
    error-correction `level` (M: 15% may be lost). Remembered: encoding takes
    milliseconds, and the same address recurs (each language's sheets and cards, every
    facility's kit)."""
    encoder = qrencoder()
    code = encoder.QRCode(None, getattr(encoder.QRErrorCorrectLevel, level))
    code.addData(url)
    code.make()
    n = code.getModuleCount()
    rows = []
    for r in range(n):
        runs: list[tuple[int, int]] = []
        for c in range(n):
            if code.isDark(r, c):
                if runs and runs[-1][0] + runs[-1][1] == c:
                    runs[-1] = (runs[-1][0], runs[-1][1] + 1)
                else:
                    runs.append((c, 1))
        rows.append(tuple(runs))
    return tuple(rows)


def place_link(
    ctx: RenderContext[BaseLayout],
    footer: Footer,
    pages: list[list[Placed]],
    source: Source,
) -> WebLink | None:
    """The web link of this handout (ctx.web_link), on the first page with room for
    it between the last line of text and the footer; None when the kit has no `web:`."""
    url = ctx.web_link
    words = ctx.labels.web.phone if ctx.labels.web else None
    if url is None or words is None:
        return None
    rows = dark_runs(url)
    squares = len(rows) + 2 * QUIET
    m = ctx.layout.page.margins
    right = ctx.pagesize[0] - m.right  # the dark squares end at the text's right edge
    floor = footer.rule_y + ctx.layout.footer.rule_width / 2
    top = ctx.pagesize[1] - m.top
    for number, page in enumerate(pages):
        lowest = min((p.y for p in page), default=top)
        module = min(MAX_MODULE, (lowest - floor) / squares)
        if module < MIN_MODULE:
            continue
        size = len(rows) * module
        y = floor + QUIET * module
        words_right = right - size - QUIET * module - GAP  # clear of the quiet zone
        text, w, h = _words(ctx, footer, words, url, words_right - m.left)
        if h > size + 2 * QUIET * module:
            break  # no page gives the words more height than this: the address is too long
        x = words_right - w
        return WebLink(
            url, number, right - size, y, module, rows, text, x, y + (size - h) / 2, w, h
        )
    need = squares * MIN_MODULE / POINTS_PER_UNIT["in"]
    raise FitError(
        f"kit.yaml gives web:, but no page of this handout has {need:.2f} in free above "
        "its footer for the QR code of its web page; shorten the handout (or the address)",
        source.at(),
    )


def _words(
    ctx: RenderContext[BaseLayout], footer: Footer, words: str, url: str, room: float
) -> tuple[Paragraph, float, float]:
    """The words in bold over the short address, right-aligned in the footer's size, the
    address broken after a / where it must be; with their width and height."""
    style = ParagraphStyle("web-link", parent=footer.style, alignment=TA_RIGHT)
    bold = ctx.fonts.text.face(bold=True)
    lines: list[str] = []
    for piece in _pieces(short_address(url)):
        if lines and stringWidth(lines[-1] + piece, style.fontName, style.fontSize) <= room:
            lines[-1] += piece
        else:
            lines.append(piece)
    label = f'<font name="{bold}">{ctx.fonts.markup(words, bold=True)}</font>'
    para = Paragraph("<br/>".join([label, *(escape(line) for line in lines)]), style)
    widest = max(
        stringWidth(words, bold, style.fontSize),
        *(stringWidth(line, style.fontName, style.fontSize) for line in lines),
    )
    width = min(room, widest) + 1
    _, height = para.wrap(width, 10 * style.leading)
    return para, width, height


def _pieces(address: str) -> list[str]:
    """The address cut after each /, where a line may end."""
    out, start = [], 0
    for i, ch in enumerate(address):
        if ch == "/":
            out.append(address[start : i + 1])
            start = i + 1
    if start < len(address):
        out.append(address[start:])
    return out
