"""The benchmark's baseline: a checklist drawn by plain, hand-written ReportLab code.

This is what a competent ReportLab programmer would write to print the same pages as
kitpress's checklist: platypus paragraphs and tables, the bundled Andika fonts, the
sizes and colours of the bundled `base` and `checklist` layouts typed in as constants,
the well-known "NumberedCanvas" recipe for "Page X of Y", and a small flowable that
keeps a heading with the first two rows of a section whose rows split between pages
(as kitpress's does). It reads the same YAML
file, and uses no kitpress code (only the path of its bundled fonts), so the
benchmark can compare the two on identical pages.

    python benchmarks/baseline_reportlab.py HANDOUT.yaml OUT.pdf
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from xml.sax.saxutils import escape

import yaml
from reportlab.lib.colors import HexColor
from reportlab.lib.fonts import addMapping
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)

FONTS = Path(__file__).resolve().parent.parent / "fonts"
INK, ACCENT = HexColor("#000000"), HexColor("#1b3a5c")
TOP, BOTTOM, SIDE = 0.6 * inch, 0.95 * inch, 0.75 * inch
PAGE_W, PAGE_H = letter
WIDTH = PAGE_W - 2 * SIDE
ORG = "Bench"
PAGE_LABEL = "Page {page} of {pages}"
NOTICED, INSTEAD, TRY = "When I noticed", "Instead of", "Try"


# (bold, italic, style): the files are Andika-<Style>.ttf, the fonts Andika, Andika-Bold, …
FACES = ((0, 0, "Regular"), (1, 0, "Bold"), (0, 1, "Italic"), (1, 1, "BoldItalic"))


def register_fonts(folder: Path = FONTS) -> None:
    for bold, italic, style in FACES:
        name = "Andika" if style == "Regular" else f"Andika-{style}"
        pdfmetrics.registerFont(TTFont(name, str(folder / f"Andika-{style}.ttf")))
        addMapping("Andika", bold, italic, name)


def _style(name, size, leading, font="Andika", color=INK, before=0, after=0, keep=0):
    return ParagraphStyle(
        name,
        fontName=font,
        fontSize=size,
        leading=leading,
        textColor=color,
        spaceBefore=before,
        spaceAfter=after,
        keepWithNext=keep,
    )


def make_styles() -> dict[str, ParagraphStyle]:
    b, i = "Andika-Bold", "Andika-Italic"
    return {
        "title": _style("title", 26, 30, b, ACCENT, after=4, keep=1),
        "subtitle": _style("subtitle", 14, 18, after=10, keep=1),
        "intro": _style("intro", 13, 18, after=8),
        "heading": _style("heading", 17, 21, b, ACCENT, before=12, after=6, keep=1),
        "body": _style("body", 12, 16),
        "note": _style("note", 12, 16, i, after=4),
        "strong": _style("strong", 12, 16, b),
        "label": _style("label", 11, 13, b),
        "closing": _style("closing", 13, 18, i, before=12),
        "footer": _style("footer", 10, 12),
    }


class CheckBox(Flowable):
    def wrap(self, aw, ah):
        return 13, 13

    def draw(self):
        self.canv.setStrokeColor(INK)
        self.canv.setLineWidth(1.5)
        self.canv.rect(0, 0, 13, 13, stroke=1, fill=0)


class Badge(Flowable):
    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number

    def wrap(self, aw, ah):
        return 20, 20

    def draw(self):
        c = self.canv
        c.setStrokeColor(ACCENT)
        c.setFillColor(ACCENT)
        c.setLineWidth(1.5)
        c.circle(10, 10, 9.25, stroke=1, fill=0)
        c.setFont("Andika-Bold", 11)
        c.drawCentredString(10, 10 - 11 * 0.35, str(self.number))


class NumberedCanvas(Canvas):
    """Holds every page until the end, so each footer can say 'Page X of Y'."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved_page_states = []

    def showPage(self):  # noqa: N802
        self._saved_page_states.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._saved_page_states)
        for number, state in enumerate(self._saved_page_states, 1):
            self.__dict__.update(state)
            self.draw_footer(number, total)
            super().showPage()
        super().save()

    def draw_footer(self, page: int, pages: int) -> None:
        rule_y = BOTTOM - 6
        text_y = rule_y - 6 - 10
        self.saveState()
        self.setStrokeColor(INK)
        self.setLineWidth(1)
        self.line(SIDE, rule_y, PAGE_W - SIDE, rule_y)
        self.setFont("Andika", 10)
        self.setFillColor(INK)
        self.drawString(SIDE, text_y, ORG)
        self.drawRightString(PAGE_W - SIDE, text_y, PAGE_LABEL.format(page=page, pages=pages))
        self.restoreState()


def story(data: dict, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    def p(text: str, style: str) -> Paragraph:
        return Paragraph(escape(text), st[style])

    out: list[Flowable] = [p(data["title"], "title")]
    for key in ("subtitle", "intro"):
        if data.get(key):
            out.append(p(data[key], key))
    for section in data["sections"]:
        block = [p(section["heading"], "heading")]
        if section.get("note"):
            block.append(p(section["note"], "note"))
        head = len(block)
        if "reasons" in section:
            block.append(reasons(section["reasons"], p))
        elif "items" in section:
            block.append(items(section["items"], p))
        elif "tips" in section:
            block += [tip(n, t, p) for n, t in enumerate(section["tips"], 1)]
        else:
            block += [Spacer(1, 2), swaps(section["swaps"], p, st)]
        out.append(HeadWithRows(block[:head], block[head:]))
    if data.get("closing"):
        out.append(p(data["closing"], "closing"))
    return out


def reasons(points: list[dict], p) -> Table:
    col = (WIDTH - 14) / 2
    cells = [[p(r["title"], "strong"), p(r["text"], "body")] for r in points]
    if len(cells) % 2:
        cells.append("")
    rows = [[cells[i], "", cells[i + 1]] for i in range(0, len(cells), 2)]
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
    ]
    for r, row in enumerate(rows):
        for c in (0, 2):
            if row[c]:
                style += [
                    ("LINEBEFORE", (c, r), (c, r), 3, ACCENT),
                    ("LEFTPADDING", (c, r), (c, r), 11),
                ]
    return Table(rows, colWidths=[col, 14, col], style=style, hAlign="LEFT")


def items(texts: list[str], p, label: str = NOTICED) -> Table:
    noticed = 1.9 * inch
    rows = [["", "", p(label, "label")]] + [[CheckBox(), p(t, "body"), ""] for t in texts]
    style = [
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 1), (-1, -1), 10),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, 0), 0),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 0),
        ("LINEBELOW", (2, 1), (2, -1), 1, INK),
    ]
    widths = [23, WIDTH - 23 - noticed, noticed]
    return Table(rows, colWidths=widths, style=style, repeatRows=1, hAlign="LEFT")


def tip(number: int, t: dict, p) -> Table:
    return Table(
        [[Badge(number), [p(t["title"], "strong"), p(t["text"], "body")]]],
        colWidths=[30, WIDTH - 30],
        style=[
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ],
        hAlign="LEFT",
    )


def swaps(pairs: list[dict], p, st, instead: str = INSTEAD, try_: str = TRY) -> Table:
    label = st["label"]
    label_w = 26 + max(pdfmetrics.stringWidth(t, label.fontName, 11) for t in (instead, try_))
    rows = []
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOX", (0, 0), (-1, -1), 1.5, INK),
        ("LEFTPADDING", (0, 0), (-1, -1), 10),
        ("RIGHTPADDING", (0, 0), (-1, -1), 10),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, 0), 10),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 10),
    ]
    pair_style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (0, -1), 10),
        ("LEFTPADDING", (1, 0), (1, -1), 10),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 3),
        ("TOPPADDING", (0, 1), (-1, 1), 3),
    ]
    for i, s in enumerate(pairs):  # one row per swap: the box splits between swaps
        pair = [
            [p(instead, "label"), p(f"“{s['instead']}”", "body")],
            [p(try_, "label"), p(f"“{s['try']}”", "strong")],
        ]
        rows.append([Table(pair, colWidths=[label_w - 10, WIDTH - label_w - 10], style=pair_style)])
        if i:
            style += [
                ("LINEABOVE", (0, i), (-1, i), 0.75, INK),
                ("TOPPADDING", (0, i), (-1, i), 8),
                ("BOTTOMPADDING", (0, i - 1), (-1, i - 1), 8),
            ]
    style.append(("ROUNDEDCORNERS", [6] * 4))
    return Table(rows, colWidths=[WIDTH], style=style, hAlign="LEFT")


def rows_in(f: Flowable) -> int:
    if isinstance(f, Table):
        return f._nrows - (f.repeatRows or 0)
    return 0 if isinstance(f, Spacer) else 1


class Stacked(Flowable):
    """Flowables one under the other (spaced as a frame spaces them), never split."""

    def __init__(self, parts: list[Flowable]) -> None:
        super().__init__()
        self.parts = parts

    def wrap(self, aw, ah):
        self.placed, h, after = [], 0.0, None
        for f in self.parts:
            fw, fh = f.wrap(aw, 1e9)
            gap = 0.0 if after is None else max(after, f.getSpaceBefore())
            self.placed.append((f, fw, fh, gap))
            h += gap + fh
            after = f.getSpaceAfter()
        self.width, self.height = aw, h
        return aw, h

    def getSpaceBefore(self):  # noqa: N802
        return self.parts[0].getSpaceBefore()

    def getSpaceAfter(self):  # noqa: N802
        return self.parts[-1].getSpaceAfter()

    def draw(self):
        top = self.height
        for f, fw, fh, gap in self.placed:
            top -= gap + fh
            f.drawOn(self.canv, 0, top, _sW=self.width - fw)


class HeadWithRows(Stacked):
    """A heading whose rows may split between pages; it keeps its first two rows."""

    def __init__(self, head: list[Flowable], body: list[Flowable]) -> None:
        super().__init__(head + body)
        self.head, self.body = head, body
        self.keep = min(2, sum(map(rows_in, body)))

    def split(self, aw, ah):
        lead = Stacked(self.head)
        room = ah - lead.wrap(aw, 1e9)[1]
        after, taken, rest = lead.getSpaceAfter(), [], list(self.body)
        while rest:
            gap = max(after, rest[0].getSpaceBefore())
            if room - gap <= 0:
                break
            _, h = rest[0].wrap(aw, room - gap)
            if h <= room - gap + 1e-6:
                taken.append(rest.pop(0))
                room -= gap + h
                after = taken[-1].getSpaceAfter()
                continue
            parts = rest[0].split(aw, room - gap)
            if len(parts) > 1:
                taken.append(parts[0])
                rest[0:1] = parts[1:]
            break
        if sum(map(rows_in, taken)) < self.keep:
            return []
        return [Stacked(self.head + taken), *rest]


def render(data: dict) -> tuple[bytes, int]:
    """The checklist `data` (the YAML file, loaded): the PDF and its page count.
    Call register_fonts() first."""
    buffer = io.BytesIO()
    frame = Frame(SIDE, BOTTOM, WIDTH, PAGE_H - TOP - BOTTOM, 0, 0, 0, 0, id="body")
    doc = BaseDocTemplate(
        buffer,
        pagesize=letter,
        title=data["title"],
        author=ORG,
        invariant=1,
        pageCompression=1,
        pageTemplates=[PageTemplate(id="page", frames=[frame])],
    )
    doc.build(story(data, make_styles()), canvasmaker=NumberedCanvas)
    return buffer.getvalue(), doc.page


def load(path: Path) -> dict:
    """Safe loading with libyaml when PyYAML has it, as PyYAML's docs advise for speed."""
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def main() -> None:
    register_fonts()
    pdf, _ = render(load(Path(sys.argv[1])))
    Path(sys.argv[2]).write_bytes(pdf)


if __name__ == "__main__":
    main()
