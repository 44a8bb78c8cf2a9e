"""kind: resource-sheet — sections of entries in a grid: the name in bold, each detail
after a small label, a QR code beside an entry that asks for one. A flowing handout
(in kit.pdf too), in the checklist's family: a dark bar at the left of each entry.

Phone numbers never break; web and e-mail addresses break only at / . - @ (before
the character, so a line never ends looking like the end of a sentence). That rule
lives in `address_pieces` and `LinkLines` below, small on purpose: a shared
line-break module can replace them. Every phone, web and e-mail address is a link.

Tagged (render/tagging.py): each section a Sect with its heading (H2) and note, its
entries a list (L, an LI and LBody each): the name, then each detail as a paragraph of
its label and value; a phone, web or e-mail value is a Link, and a QR code a Figure
whose alt text is its address, inside the Link of the address printed under it. The
bars and the grid are artifacts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from kitpress.content.resources import (
    WORDS,
    Entry,
    ResourceSheet,
    Section,
    phone_uri,
    short_url,
    website_uri,
)
from kitpress.errors import FitError, Source, quoted
from kitpress.kinds import Kind
from kitpress.layouts.resources import Qr, ResourcesLayout
from kitpress.render.context import RenderContext
from kitpress.render.flowing import Flowed, Styles, build_flowing, closing, opening, tagged
from kitpress.render.internals import qrencoder
from kitpress.render.paragraph import Para
from kitpress.render.tagging import Node, container, content, link
from kitpress.render.weblink import dark_runs
from kitpress.units import POINTS_PER_UNIT

# The QR encoder loaded with the sheet, not when its first code is drawn, as for the
# handouts' codes: a resource sheet nearly always has codes, and loading it later would
# fall in the middle of a build's writing.
qrencoder()
# QrCodeWidget's barWidth and barHeight (32 mm): its drawing arithmetic is done at that
# size (tests/test_resources.py checks the two against the widget).
WIDGET_SIDE = 32 * mm

# Squares smaller than this blur on an office printer or a copy of a copy.
MIN_MODULE = 0.5 * POINTS_PER_UNIT["mm"]
_BREAK_BEFORE = "./-@"
_NO_PADDING = [
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ("TOPPADDING", (0, 0), (-1, -1), 0),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
]


def address_pieces(text: str) -> list[str]:
    """A web or e-mail address cut before each / . - @ (but never inside the // of
    https://): the pieces that lines may be made of."""
    pieces, start = [], 0
    for i in range(1, len(text)):
        ch = text[i]
        in_double_slash = ch == "/" and "/" in (text[i - 1], text[i + 1 : i + 2])
        after_double_slash = text[i - 2 : i] == "//" and ch != "/"
        if (ch in _BREAK_BEFORE and not in_double_slash) or after_double_slash:
            pieces.append(text[start:i])
            start = i
    pieces.append(text[start:])
    return pieces


class TooWide(Exception):
    """A piece of text that may not be broken is wider than its line."""

    def __init__(self, piece: str) -> None:
        super().__init__(piece)
        self.piece = piece


def break_lines(pieces: list[str], measure: Callable[[str], float], width: float) -> list[str]:
    """As many pieces on each line as fit in `width`; TooWide if one piece alone is wider."""
    lines: list[str] = []
    for piece in pieces:
        if measure(piece) > width + 1e-6:
            raise TooWide(piece)
        if lines and measure(lines[-1] + piece) <= width + 1e-6:
            lines[-1] += piece
        else:
            lines.append(piece)
    return lines


class LinkLines(Flowable):
    """Lines of text set once for a known width (so a phone number that does not fit
    is an error while the story is built, not a break), with a link over each line.
    The text is ASCII (the content checks see to that), which every bundled text font
    draws, so no fallback font is needed."""

    def __init__(
        self, lines: list[str], style: ParagraphStyle, uri: str, width: float, centred: bool
    ) -> None:
        super().__init__()
        self.style, self.uri, self.width, self.centred = style, uri, width, centred
        self.lines = [(line, _measure(style)(line)) for line in lines]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        width = self.width if self.centred else max(w for _, w in self.lines)
        return width, len(self.lines) * self.style.leading

    def draw(self) -> None:
        c, s = self.canv, self.style
        height = len(self.lines) * s.leading
        c.saveState()
        c.setFont(s.fontName, s.fontSize)
        c.setFillColor(s.textColor)
        for n, (line, width) in enumerate(self.lines):
            x = (self.width - width) / 2 if self.centred else 0
            top = height - n * s.leading
            c.drawString(x, top - s.fontSize, line)  # the first baseline of a Paragraph
            link(c, self.uri, (x, top - s.leading, x + width, top))
        c.restoreState()


def _measure(style: ParagraphStyle) -> Callable[[str], float]:
    return lambda text: float(stringWidth(text, style.fontName, style.fontSize))


class QrCode(Flowable):
    """A QR code as ReportLab's QR widget draws it, quiet zone included in its size,
    with a link over it. Its dark squares are placed once, here, and filled as one path
    (the widget makes every square a validated shape of its own: slower than encoding)."""

    def __init__(self, uri: str, cfg: Qr, color: Any) -> None:
        super().__init__()
        self.uri, self.color = uri, color
        rows = dark_runs(uri, cfg.level)
        self.modules = len(rows)
        self.module = cfg.size / self.modules
        self.size = self.module * (self.modules + 2 * cfg.quiet_zone)
        # QrCodeWidget.draw's arithmetic at the widget's own size, then scaled to ours:
        # the same numbers to the last bit, so the same PDF bytes as the widget gave
        side, tall = WIDGET_SIDE, WIDGET_SIDE
        box = side / (self.modules + cfg.quiet_zone * 2.0)
        k = self.size / side
        border = cfg.quiet_zone
        self.squares = [
            ((c + border) * box * k, (tall - (r + border + 1) * box) * k, n * box * k, box * k)
            for r, runs in enumerate(rows)
            for c, n in runs
        ]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setFillColor(self.color)
        path = c.beginPath()
        for x, y, w, h in self.squares:
            path.rect(x, y, w, h)
        c.drawPath(path, stroke=0, fill=1)
        c.restoreState()
        link(c, self.uri, (0, 0, self.size, self.size))


class _Sheet:
    def __init__(
        self, content: ResourceSheet, ctx: RenderContext[ResourcesLayout], source: Source
    ) -> None:
        self.content, self.ctx, self.source = content, ctx, source
        self.layout = ctx.layout
        self.s = Styles(ctx)
        m = self.layout.page.margins
        self.width = ctx.pagesize[0] - m.left - m.right
        cfg = self.layout.entries
        self.col_w = (self.width - cfg.gap * (cfg.columns - 1)) / cfg.columns
        self.indent = cfg.bar_width + cfg.bar_gap  # from the bar to an entry's text
        label = self.s["label"]
        words = {
            content.label(d) for sec in content.sections for e in sec.entries for d in e.labelled()
        }
        widest = max(
            (stringWidth(w, label.fontName, label.fontSize) for w in words if w), default=0
        )
        # labels line up across the sheet; a long one wraps rather than squeeze its value
        inner = self.col_w - self.indent
        self.label_w = min(widest + cfg.label_gap, inner * 0.4) if widest else 0.0
        qr = self.layout.qr
        self.qr_text = ParagraphStyle(
            "qr-text", parent=self.s["body"], fontSize=qr.text_size, leading=qr.text_size * 1.25
        )

    def story(self) -> list[Flowable]:
        c = self.content
        out = opening(c, self.s)
        for i, section in enumerate(c.sections):
            out.extend(self.section(section, ("sections", i)))
        return out + closing(c, self.s)

    def section(self, section: Section, key: tuple) -> list[Flowable]:
        """Entries fill the grid's columns in order; one with a QR code takes a whole
        row, so its details keep their room beside the code. The heading travels with
        the first row; the rows after it fill the page one by one, so a long section
        flows on without leaving a gap."""
        cols = self.layout.entries.columns
        groups: list[list[int]] = []
        for j, entry in enumerate(section.entries):
            whole = entry.qr and cols > 1
            if whole or not groups or len(groups[-1]) == cols or section.entries[groups[-1][0]].qr:
                groups.append([])
            groups[-1].append(j)
        sect = Node("Sect")
        head = [tagged(content(self.s.para(section.heading, "heading"), sect.add("H2")), key)]
        if section.note:
            head.append(tagged(content(self.s.para(section.note, "note"), sect.add("P")), key))
        listing = sect.add("L")
        rows = [
            tagged(
                self.row([(section.entries[j], (*key, "entries", j)) for j in g], listing),
                (*key, "entries", g[0]),
            )
            for g in groups
        ]
        return [tagged(KeepTogether([*head, rows[0]]), key), *rows[1:]]

    def row(self, entries: list[tuple[Entry, tuple]], listing: Node) -> Flowable:
        """One row of the grid: entries side by side, or one entry across the page; each
        an item of the section's list (the bars and the grid are artifacts)."""
        cfg, cols = self.layout.entries, self.layout.entries.columns
        whole = len(entries) == 1 and entries[0][0].qr
        col_w = self.width if whole else self.col_w
        cells: list[Any] = [
            self.entry(e, key, col_w - self.indent, listing.add("LI").add("LBody"))
            for e, key in entries
        ]
        cells += [""] * (cols - len(cells))
        data = [[cell for c in cells for cell in (c, "")][:-1]]
        widths = [w for _ in range(cols) for w in (self.col_w, cfg.gap)][:-1]
        style: list[tuple] = [("VALIGN", (0, 0), (-1, -1), "TOP"), *_NO_PADDING]
        if whole:
            style.append(("SPAN", (0, 0), (-1, 0)))
        for n in range(len(entries)):
            style += [
                ("LINEBEFORE", (2 * n, 0), (2 * n, 0), cfg.bar_width, self.s.color("accent")),
                ("LEFTPADDING", (2 * n, 0), (2 * n, 0), self.indent),
            ]
        return container(
            Table(
                data,
                colWidths=widths,
                style=TableStyle(style),
                hAlign="LEFT",
                spaceAfter=cfg.space_after,
            )
        )

    def entry(
        self, entry: Entry, key: tuple, width: float, item: Node
    ) -> list[Flowable] | Flowable:
        """The name, the labelled details and the note; the QR code at the right. Read
        in that order, as the list item `item`: the code last."""
        gap = self.layout.qr.gap
        code = self.code(entry.website, (*key, "website"), width) if entry.qr else None
        text_w = width - (code[1] + gap if code else 0)
        body: list[Flowable] = [content(self.s.para(entry.name, "strong"), item.add("P"))]
        details = self.details(entry, key, text_w, item)
        if details is not None:
            body.append(details)
        if entry.note:
            body.append(content(self.s.para(entry.note, "body"), item.add("P")))
        if code is None:
            return body
        style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "CENTER")]
        # the code and the address under it: one Link, the code a Figure saying the address
        linked = item.add("P").add("Link")
        qr, under = code[0]
        figure = content(qr, linked.add("Figure", alt=qr.uri))
        return container(
            Table(
                [[body, [figure, content(under, linked)]]],
                colWidths=[text_w + gap, code[1]],
                style=TableStyle([*style, *_NO_PADDING]),
                hAlign="LEFT",
            )
        )

    def code(
        self, website: str | None, key: tuple, width: float
    ) -> tuple[tuple[QrCode, LinkLines], float] | None:
        """The QR code with the short address under it, and the width they take: as
        wide as the address, up to a third of the entry (it breaks to fit)."""
        if website is None:
            return None
        qr = QrCode(website_uri(website), self.layout.qr, self.s.color("ink"))
        if qr.module < MIN_MODULE:
            mm = POINTS_PER_UNIT["mm"]
            raise FitError(
                f"the web address is too long for a QR code of {self.layout.qr.size / 72:.2f}in "
                f"(its squares would be {qr.module / mm:.2f}mm; they must be at least "
                f"{MIN_MODULE / mm:.1f}mm to print); use a shorter address, or a bigger qr "
                "size in the layout",
                self.source.at(key),
                key,
            )
        url = short_url(website)
        url_w = _measure(self.qr_text)(url)
        qr_w = max(qr.size, min(url_w, width / 3))
        under = self.link(url, website_uri(website), key, self.qr_text, qr_w, centred=True)
        return (qr, under), qr_w

    def details(self, entry: Entry, key: tuple, width: float, item: Node) -> Flowable | None:
        """Each detail a row of the label and its value, read as one paragraph (a link's
        value a Link inside it); the grid they sit in is an artifact."""
        rows: list[list[Any]] = []
        for detail in entry.labelled():
            label = self.content.label(detail)
            value = self.value(entry, detail, (*key, detail), width - self.label_w)
            para = item.add("P")
            # a word too long for the label column is blamed where the label is written:
            # this handout's `phone:`, or labels.yaml's (kit.py gives the word its marks)
            said = content(tagged(self.s.para(label, "label"), (detail,)), para) if label else ""
            rows.append([said, content(value, para.add("Link") if _links(value) else para)])
        if not rows:
            return None
        style: list[tuple] = [("VALIGN", (0, 0), (-1, -1), "TOP"), *_NO_PADDING]
        style.append(("TOPPADDING", (0, 1), (-1, -1), 2))
        # the smaller label sits on the same baseline as its value's first line
        drop = self.s["body"].fontSize - self.s["label"].fontSize
        style.append(("TOPPADDING", (0, 0), (0, 0), max(drop, 0)))
        style.append(("TOPPADDING", (0, 1), (0, -1), 2 + max(drop, 0)))
        return container(
            Table(
                rows,
                colWidths=[self.label_w, width - self.label_w],
                style=TableStyle(style),
                hAlign="LEFT",
            )
        )

    def value(self, entry: Entry, detail: str, key: tuple, width: float) -> Flowable:
        text: str = getattr(entry, detail)
        body = self.s["body"]
        if detail == "phone":
            return self.link(text, phone_uri(text), key, body, width, phone=True)
        if detail == "website":
            return self.link(short_url(text), website_uri(text), key, body, width)
        if detail == "email":
            return self.link(text, "mailto:" + text, key, body, width)
        # hours and addresses keep the line breaks they were written with; a word too
        # wide for the column stops the build (Para), never prints over the code beside it
        fonts = self.ctx.fonts

        def markup(text: str) -> str:
            return fonts.markup(text).replace("\n", "<br/>")

        return tagged(Para(markup(text), body, plain=text, markup=markup), key)

    def link(
        self,
        text: str,
        uri: str,
        key: tuple,
        style: ParagraphStyle,
        width: float,
        phone: bool = False,
        centred: bool = False,
    ) -> LinkLines:
        try:
            lines = break_lines([text] if phone else address_pieces(text), _measure(style), width)
        except TooWide as e:
            why = (
                "the phone number is wider than its column, and a phone number is never broken"
                if phone
                else f"{quoted(e.piece)} is wider than its column, and a web or e-mail address "
                "breaks only at / . - @"
            )
            raise FitError(
                f"{why}; shorten it, or give the layout fewer entries.columns",
                self.source.at(key),
                key,
            ) from None
        return LinkLines(lines, style, uri, width, centred)


def _links(value: Flowable) -> bool:
    return isinstance(value, LinkLines)


def render(content: ResourceSheet, ctx: RenderContext[ResourcesLayout], source: Source) -> Flowed:
    return build_flowing(ctx, _Sheet(content, ctx, source).story(), source)


KIND = Kind("resource-sheet", ResourceSheet, ResourcesLayout, render, WORDS)
