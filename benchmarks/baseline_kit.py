"""The benchmark's full-kit baseline: every PDF of `kitpress build KIT -o OUT`, drawn by
plain, hand-written ReportLab code (issue 18, target 2).

What a competent ReportLab programmer would write to print the same pages from the same
YAML files: PyYAML reads the kit (kit.yaml, each language's labels, cover and
handouts); the sizes, colours and paddings of the bundled layouts (layouts/*.yaml) are
typed in as constants; platypus lays the flowing pages out (checklist, worksheet,
visiting-day resource sheet, the cover) and the canvas draws the card deck and its
calibration sheet. Only the paths of kitpress's bundled fonts (subset TrueType
embedding, as ReportLab does) are shared with kitpress; no kitpress code is imported.

Each flowing handout is laid out ONCE (a frame that records where each flowable goes)
and drawn twice: into its own PDF ("Page 1 of 2") and into its language's kit.pdf
("Page 3"), which holds the cover with its "when to worry" back, then the handouts,
each from a right-hand page (a blank page before one that would start on a left-hand
page), with a bookmark each. Cards are printed on their own: 8 poker cards a sheet,
turned, fronts then backs (turned over the long edge), crop marks in the margins; and
the calibration sheet next to them. The worksheet's writing areas and tick boxes are
fillable form fields (ReportLab's acroForm: Helvetica, as ReportLab makes them).
print-plan.txt is written too (the pages, sheets and sides of each file).

What it leaves out, so it is a little cheaper than kitpress for the same pages:
- no tagging (no structure tree, no marked content, no /Lang per page, no alt text),
  which kitpress writes for screen readers;
- form fields in ReportLab's Helvetica (kitpress embeds a subset of a bundled font
  for typed answers, so Spanish and other letters type right);
- no checks of any kind (kitpress validates the YAML and says what is wrong where),
  no typographic-quote rules beyond the simple ones this kit needs, no phone-number
  line-break rules, no font fallback (this kit needs none), and simpler card icons.

    python benchmarks/baseline_kit.py KIT_DIR OUT_DIR
    python benchmarks/baseline_kit.py --compare KITPRESS_OUT BASELINE_OUT
"""

from __future__ import annotations

import difflib
import io
import math
import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape

import baseline_reportlab as plain
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib.colors import transparent
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch, mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)

INK, ACCENT = plain.INK, plain.ACCENT
PAGE_W, PAGE_H = letter
TOP, BOTTOM, SIDE = plain.TOP, plain.BOTTOM, plain.SIDE  # layouts/base.yaml
WIDTH = plain.WIDTH
BOLD, REGULAR = "Andika-Bold", "Andika"
NO_PADDING = [
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ("TOPPADDING", (0, 0), (-1, -1), 0),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
]

# --- reading the kit -----------------------------------------------------------------


def load(path: Path):
    return plain.load(path)


def typeset(text: str) -> str:
    """Straight quotes made typographic: “ ” and ‘ ’, an apostrophe inside a word."""
    if "'" not in text and '"' not in text:
        return text
    out = []
    for i, c in enumerate(text):
        prev = text[i - 1] if i else ""
        opens = not prev or prev.isspace() or prev in "([{¿¡—–/“"
        if c == '"':
            out.append("“" if opens else "”")
        elif c == "'":
            out.append("‘" if opens else "’")
        else:
            out.append(c)
    return "".join(out)


def typeset_all(value, keep=("website", "email", "phone")):
    if isinstance(value, str):
        return typeset(value)
    if isinstance(value, list):
        return [typeset_all(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k in keep else typeset_all(v) for k, v in value.items()}
    return value


def text_of(value, lang: str):
    """A kit.yaml text: one for every language, or one per language."""
    return value.get(lang) if isinstance(value, dict) else value


def para(text: str, style: ParagraphStyle, **kw) -> Paragraph:
    return Paragraph(escape(text), style, **kw)


# --- laying out once, drawing twice ----------------------------------------------------


class PlacingFrame(Frame):
    """Lays flowables out without drawing them: tells `place` where each would go.
    (A function, not the list of pages: KeepTogether deep-copies the frame.)"""

    def __init__(self, *args, place, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.place = place

    def add(self, flowable, canv, trySplit=0):  # noqa: N803
        def placed(canvas, x, y, _sW=0):  # noqa: N803
            self.place((flowable, x, y, _sW))

        flowable.drawOn = placed
        try:
            return Frame.add(self, flowable, canv, trySplit)
        finally:
            del flowable.drawOn

    _add = add


def lay_out(story: list[Flowable]) -> list[list[tuple]]:
    """The story's pages, each the flowables on it and where they go."""
    pages: list[list[tuple]] = []

    def place(placed: tuple) -> None:
        pages[-1].append(placed)

    frame = PlacingFrame(
        SIDE, BOTTOM, WIDTH, PAGE_H - TOP - BOTTOM, 0, 0, 0, 0, id="body", place=place
    )
    doc = BaseDocTemplate(
        io.BytesIO(),
        pagesize=letter,
        pageTemplates=[PageTemplate("page", [frame], onPage=lambda c, d: pages.append([]))],
    )
    doc.build(story)
    return pages


class Whole(Flowable):
    """Never split: moves to the next page whole."""

    def __init__(self, inner: Flowable) -> None:
        super().__init__()
        self.inner = inner

    def wrap(self, aw, ah):
        self.width, self.height = self.inner.wrap(aw, ah)
        return self.width, self.height

    def split(self, aw, ah):
        return []

    def getSpaceBefore(self):  # noqa: N802
        return self.inner.getSpaceBefore()

    def getSpaceAfter(self):  # noqa: N802
        return self.inner.getSpaceAfter()

    def draw(self):
        self.inner.drawOn(self.canv, 0, 0)


class Handout:
    """A flowing handout laid out: draws itself as its own PDF or into kit.pdf."""

    def __init__(self, title: str, file: str, pages: list, kit: Kit) -> None:
        self.title, self.file, self.placed, self.kit = title, file, pages, kit

    @property
    def pages(self) -> int:
        return len(self.placed)

    def draw(self, canvas: Canvas, label) -> None:
        for number, page in enumerate(self.placed, 1):
            for f, x, y, spare in page:
                f.drawOn(canvas, x, y, _sW=spare)
            footer(canvas, self.kit.footer, label(number))
            canvas.showPage()

    def pdf(self) -> bytes:
        buffer = io.BytesIO()
        canvas = self.kit.canvas(buffer, self.title)
        total = self.pages
        self.draw(canvas, lambda n: self.kit.labels["page"].format(page=n, pages=total))
        canvas.setViewerPreference("Duplex", "DuplexFlipLongEdge" if total > 1 else "Simplex")
        canvas.save()
        return buffer.getvalue()


def footer(canvas: Canvas, org: str, label: str) -> None:
    """A rule, the organisation's line on the left, the page label on the right."""
    rule_y = BOTTOM - 6
    text_y = rule_y - 6 - 10
    canvas.saveState()
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(1)
    canvas.line(SIDE, rule_y, PAGE_W - SIDE, rule_y)
    canvas.setFont(REGULAR, 10)
    canvas.setFillColor(INK)
    canvas.drawString(SIDE, text_y, org)
    canvas.drawRightString(PAGE_W - SIDE, text_y, label)
    canvas.restoreState()


# --- styles (layouts/base.yaml, and the cover's) ------------------------------------------

S = plain._style


def base_styles() -> dict[str, ParagraphStyle]:
    return plain.make_styles()


def cover_styles() -> dict[str, ParagraphStyle]:
    st = base_styles()
    st["title"] = S("title", 34, 40, BOLD, ACCENT, after=8, keep=1)
    st["subtitle"] = S("subtitle", 16, 21, after=18, keep=1)
    st["intro"] = S("intro", 14, 20, after=14)
    st["body"] = S("body", 13, 18)
    st["strong"] = S("strong", 13, 18, BOLD)
    return st


def opening(data: dict, st) -> list[Flowable]:
    out: list[Flowable] = [para(data["title"], st["title"])]
    for key in ("subtitle", "intro"):
        if data.get(key):
            out.append(para(data[key], st[key]))
    return out


def closing(data: dict, st) -> list[Flowable]:
    return [para(data["closing"], st["closing"])] if data.get("closing") else []


def boxed(rows, widths, border, pad, radius, extra=(), row_pad=2.0) -> Table:
    """A table in a bordered, rounded box (tips, examples, callouts)."""
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOX", (0, 0), (-1, -1), border, INK),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), row_pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), row_pad),
        ("TOPPADDING", (0, 0), (-1, 0), pad),
        ("BOTTOMPADDING", (0, -1), (-1, -1), pad),
        *extra,
        ("ROUNDEDCORNERS", [radius] * 4),
    ]
    return Table(rows, colWidths=widths, style=style, hAlign="LEFT")


def callout(parts: list[dict], st, numbers: dict) -> Table:
    """A box of things to know: each part's bold title, its text, its bulleted list."""
    body = st["body"]
    title = ParagraphStyle("callout-title", parent=st["strong"], spaceAfter=2)
    text = ParagraphStyle("callout-text", parent=body, spaceAfter=3)
    item = ParagraphStyle(
        "callout-item",
        parent=body,
        leftIndent=body.fontSize * 1.2,
        bulletIndent=body.fontSize * 0.15,
        bulletFontName=body.fontName,
        bulletFontSize=body.fontSize,
        spaceBefore=2,
    )

    def fill(words: str) -> str:
        for name, number in numbers.items():
            words = words.replace("{" + name + "}", str(number))
        return words

    rows = []
    for part in parts:
        cell: list[Flowable] = []
        if part.get("title"):
            cell.append(para(fill(part["title"]), title))
        if part.get("text"):
            cell.append(para(fill(part["text"]), text))
        for line in part.get("list") or ():
            cell.append(para(fill(line), item, bulletText="•"))
        rows.append([cell])
    gaps = [("TOPPADDING", (0, i), (0, i), 12 * 0.6) for i in range(1, len(rows))]
    return boxed(rows, [WIDTH], 3, 12, 6, gaps, row_pad=0)


# --- the checklist (layouts/checklist.yaml) ---------------------------------------------


def checklist(data: dict, kit: Kit) -> list[Flowable]:
    st, labels = base_styles(), kit.labels

    def p(text: str, style: str) -> Paragraph:
        return para(text, st[style])

    out = opening(data, st)
    for section in data["sections"]:
        head = [p(section["heading"], "heading")]
        if section.get("note"):
            head.append(p(section["note"], "note"))
        if "reasons" in section:
            body = [plain.reasons(section["reasons"], p)]
        elif "items" in section:
            body = [plain.items(section["items"], p, labels["noticed"])]
        elif "tips" in section:
            body = [plain.tip(n, t, p) for n, t in enumerate(section["tips"], 1)]
        elif "swaps" in section:
            body = [
                Spacer(1, 2),
                plain.swaps(section["swaps"], p, st, labels["instead"], labels["try"]),
            ]
        else:
            body = [Spacer(1, 2), callout(section["box"], st, kit.crisis)]
        out.append(plain.HeadWithRows(head, body))
    return out + closing(data, st)


# --- the worksheet (layouts/worksheet.yaml), with form fields ----------------------------

LINE_SPACING, FIELD_H = 9 * mm, 20.0


class WritingLines(Flowable):
    """Ruled lines to write on, each with a one-line text field over it."""

    def __init__(self, lines: int, name: str, tooltip: str, numbered: bool = True) -> None:
        super().__init__()
        self.lines, self.name, self.tooltip, self.numbered = lines, name, tooltip, numbered

    def wrap(self, aw, ah):
        self.width = aw
        return aw, self.lines * LINE_SPACING

    def draw(self):
        c = self.canv
        c.setStrokeColor(INK)
        c.setLineWidth(1)
        for i in range(self.lines):
            c.line(0, i * LINE_SPACING, self.width, i * LINE_SPACING)
        for n in range(1, self.lines + 1):
            c.acroForm.textfield(
                name=f"{self.name}.{n}" if self.numbered else self.name,
                tooltip=self.tooltip,
                x=0,
                y=(self.lines - n) * LINE_SPACING,
                width=self.width,
                height=FIELD_H,
                borderWidth=0,
                fillColor=transparent,
                fontSize=12,
                relative=True,
            )


class TickBox(Flowable):
    """A check box field, its border drawn by the field."""

    def __init__(self, name: str, tooltip: str, size: float = 14) -> None:
        super().__init__()
        self.name, self.tooltip, self.size = name, tooltip, size

    def wrap(self, aw, ah):
        return self.size, self.size

    def draw(self):
        self.canv.acroForm.checkbox(
            name=self.name,
            tooltip=self.tooltip,
            size=self.size,
            borderWidth=1.5,
            borderColor=INK,
            fillColor=transparent,
            buttonStyle="check",
            relative=True,
        )


class CellField(Flowable):
    def __init__(self, name: str, tooltip: str, height: float) -> None:
        super().__init__()
        self.name, self.tooltip, self.height = name, tooltip, height

    def wrap(self, aw, ah):
        self.width = aw
        return aw, self.height

    def draw(self):
        self.canv.acroForm.textfield(
            name=self.name,
            tooltip=self.tooltip,
            x=1,
            y=1,
            width=self.width - 2,
            height=self.height - 2,
            borderWidth=0,
            fillColor=transparent,
            fontSize=12,
            relative=True,
        )


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def label_of(entry) -> tuple[str, str]:
    """A tracker row or column: (field name, printed label)."""
    if isinstance(entry, dict):
        return entry["name"], entry["label"]
    return slug(entry), entry


def worksheet(data: dict, kit: Kit) -> list[Flowable]:
    st = base_styles()

    def p(text: str, style: str) -> Paragraph:
        return para(text, st[style])

    def lines(n: int, name: str, tip: str, numbered: bool = True) -> WritingLines:
        return WritingLines(n, name, tip, numbered)

    def block_text(b):
        return [p(b["text"], "body")]

    def block_tip(b):
        title = f"<b>{escape(b['title'])}</b>  " if b.get("title") else ""
        tip = Paragraph(title + escape(b["text"]), st["body"])
        return [Whole(boxed([[tip]], [WIDTH], 1.5, 10, 6))]

    def block_example(b):
        label_w = 6 + max(stringWidth(line["label"], BOLD, 11) for line in b["lines"])
        label_w = min(label_w, WIDTH * 0.4)
        rows = [[p(b["label"], "strong"), ""]]
        rows += [[p(line["label"], "label"), p(line["text"], "body")] for line in b["lines"]]
        extra = [
            ("SPAN", (0, 0), (-1, 0)),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 6),
            ("RIGHTPADDING", (0, 0), (0, -1), 0),
            ("LEFTPADDING", (1, 0), (1, -1), 0),
        ]
        widths = [label_w + 10, WIDTH - label_w - 20 + 10]
        return [Whole(boxed(rows, widths, 1.5, 10, 6, extra))]

    def block_prompt(b):
        return [p(b["prompt"], "strong"), Spacer(1, 2), lines(b["lines"], b["name"], b["prompt"])]

    def block_short(b):
        prompt_w = min(stringWidth(b["prompt"], BOLD, 12) + 9, WIDTH - 2.4 * inch)
        style = [
            *NO_PADDING,
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("RIGHTPADDING", (0, 0), (0, 0), 8),
            ("BOTTOMPADDING", (0, 0), (0, 0), 3),
        ]
        row = [[p(b["prompt"], "strong"), lines(1, b["name"], b["prompt"], numbered=False)]]
        return [
            Whole(Table(row, colWidths=[prompt_w, WIDTH - prompt_w], style=style, hAlign="LEFT"))
        ]

    def block_checklist(b):
        items, cols, gap = b["items"], 2, 14
        col_w = (WIDTH - gap) / cols
        per_col = -(-len(items) // cols)
        cells = [
            (TickBox(f"{b['name']}.{n}", item), p(item, "body")) for n, item in enumerate(items, 1)
        ]
        data = []
        for r in range(per_col):
            row: list = []
            for c in range(cols):
                i = c * per_col + r
                pair = cells[i] if i < len(cells) else ("", "")
                row += [*pair, ""] if c < cols - 1 else list(pair)
            data.append(row)
        widths = [22, col_w - 22, gap, 22, col_w - 22]
        style = [
            *NO_PADDING,
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ]
        return [Whole(Table(data, colWidths=widths, style=style, hAlign="LEFT"))]

    def block_tracker(b):
        label_w, cell_h = 1.9 * inch, 0.42 * inch
        columns = [label_of(c) for c in b["columns"]]
        cell_w = (WIDTH - label_w) / len(columns)
        data = [[p(b["corner"], "label") if b.get("corner") else ""]]
        data[0] += [p(text, "label") for _, text in columns]
        for row in b["rows"]:
            r_name, r_text = label_of(row)
            cells: list = [p(r_text, "strong")]
            for c_name, c_text in columns:
                cells.append(
                    CellField(f"{b['name']}.{r_name}.{c_name}", f"{r_text}, {c_text}", cell_h)
                )
            data.append(cells)
        style = [
            *NO_PADDING,
            ("GRID", (0, 0), (-1, -1), 1, INK),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (0, -1), 5),
            ("LEFTPADDING", (1, 0), (-1, 0), 5),
            ("TOPPADDING", (0, 0), (-1, 0), 5),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 5),
        ]
        widths = [label_w] + [cell_w] * len(columns)
        return [Whole(Table(data, colWidths=widths, style=style, hAlign="LEFT"))]

    def block_rewrite(b):
        arrow_w = 28
        col_w = (WIDTH - arrow_w) / 2
        arrow = ParagraphStyle(
            "arrow", parent=st["strong"], fontSize=12 * 1.6, leading=24, alignment=TA_CENTER
        )
        data: list[list] = [[p(b["hard_label"], "label"), "", p(b["kinder_label"], "label")]]
        for r in range(1, b["rows"] + 1):
            hard = lines(b["lines"], f"{b['name']}.{r}.hard", f"{b['hard_label']} ({r})")
            kinder = lines(b["lines"], f"{b['name']}.{r}.kinder", f"{b['kinder_label']} ({r})")
            data.append([hard, Paragraph("→", arrow), kinder])
        style = [
            *NO_PADDING,
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("VALIGN", (1, 1), (1, -1), "MIDDLE"),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
            ("TOPPADDING", (0, 2), (-1, -1), 14),
        ]
        return [Whole(Table(data, colWidths=[col_w, arrow_w, col_w], style=style))]

    blocks = {
        "text": block_text,
        "tip": block_tip,
        "example": block_example,
        "prompt": block_prompt,
        "short": block_short,
        "checklist": block_checklist,
        "tracker": block_tracker,
        "rewrite": block_rewrite,
    }
    out = opening(data, st)
    for section in data["sections"]:
        # the heading goes with the first block, a lead-in with the block after it
        held: list[Flowable] = [p(section["heading"], "heading")]
        last = len(section["blocks"]) - 1
        for i, b in enumerate(section["blocks"]):
            if i:
                held.append(Spacer(1, 8))
            held += blocks[b["type"]](b)
            if b["type"] not in ("text", "tip", "example") or i == last:
                out.append(KeepTogether(held))
                held = []
    return out + closing(data, st)


# --- the resource sheet (layouts/resource-sheet.yaml) ------------------------------------

DETAILS = ("phone", "hours", "address", "website", "email")
QR_SIZE, QR_GAP = 0.85 * inch, 2.0


class QrCode(Flowable):
    """ReportLab's QR widget, its dark squares filled as one path, with a link."""

    def __init__(self, uri: str) -> None:
        super().__init__()
        self.uri = uri
        widget = QrCodeWidget(uri, barLevel="M", barBorder=4)
        shapes = widget.draw().contents
        modules = widget.qr.getModuleCount()
        self.size = QR_SIZE / modules * (modules + 8)
        k = self.size / widget.barWidth
        self.squares = [
            (r.x * k, r.y * k, r.width * k, r.height * k) for r in shapes if r.fillColor is not None
        ]

    def wrap(self, aw, ah):
        return self.size, self.size

    def draw(self):
        c = self.canv
        c.setFillColor(INK)
        path = c.beginPath()
        for x, y, w, h in self.squares:
            path.rect(x, y, w, h)
        c.drawPath(path, stroke=0, fill=1)
        c.linkURL(self.uri, (0, 0, self.size, self.size), relative=1)


def address_pieces(text: str) -> list[str]:
    """A web or e-mail address cut before each / . - @ (not inside //)."""
    pieces, start = [], 0
    for i in range(1, len(text)):
        ch = text[i]
        double = ch == "/" and "/" in (text[i - 1], text[i + 1 : i + 2])
        if (ch in "./-@" and not double) or (text[i - 2 : i] == "//" and ch != "/"):
            pieces.append(text[start:i])
            start = i
    pieces.append(text[start:])
    return pieces


class LinkLines(Flowable):
    """An address or phone number, broken only between its pieces, each line a link."""

    def __init__(self, pieces, style: ParagraphStyle, uri: str, width: float, centred=False):
        super().__init__()
        self.style, self.uri, self.width, self.centred = style, uri, width, centred
        font, size = style.fontName, style.fontSize
        lines: list[str] = []
        for piece in pieces:
            if lines and stringWidth(lines[-1] + piece, font, size) <= width + 1e-6:
                lines[-1] += piece
            else:
                lines.append(piece)
        self.lines = [(line, stringWidth(line, font, size)) for line in lines]

    def wrap(self, aw, ah):
        width = self.width if self.centred else max(w for _, w in self.lines)
        return width, len(self.lines) * self.style.leading

    def draw(self):
        c, s = self.canv, self.style
        height = len(self.lines) * s.leading
        c.setFont(s.fontName, s.fontSize)
        c.setFillColor(INK)
        for n, (line, width) in enumerate(self.lines):
            x = (self.width - width) / 2 if self.centred else 0
            top = height - n * s.leading
            c.drawString(x, top - s.fontSize, line)
            c.linkURL(self.uri, (x, top - s.leading, x + width, top), relative=1)


def website_uri(site: str) -> str:
    return site if re.match(r"^https?://", site) else "https://" + site


def short_url(site: str) -> str:
    return re.sub(r"^https?://", "", site).rstrip("/") or site


def resource_sheet(data: dict, kit: Kit) -> list[Flowable]:
    st, labels = base_styles(), kit.labels
    gap, indent = 14, 3 + 8
    col_w = (WIDTH - gap) / 2
    body = st["body"]
    qr_text = ParagraphStyle("qr-text", parent=body, fontSize=11, leading=11 * 1.25)

    def labelled(e: dict) -> list[str]:
        return [d for d in DETAILS if e.get(d) is not None and not (d == "website" and e.get("qr"))]

    used = {labels[d] for sec in data["sections"] for e in sec["entries"] for d in labelled(e)}
    widest = max((stringWidth(w, BOLD, 11) for w in used), default=0)
    label_w = min(widest + 6, (col_w - indent) * 0.4) if widest else 0.0

    def value(e: dict, detail: str, width: float) -> Flowable:
        text = e[detail]
        if detail == "phone":
            return LinkLines([text], body, "tel:" + re.sub(r"[^0-9+]", "", text), width)
        if detail == "website":
            return LinkLines(address_pieces(short_url(text)), body, website_uri(text), width)
        if detail == "email":
            return LinkLines(address_pieces(text), body, "mailto:" + text, width)
        return Paragraph(escape(text).replace("\n", "<br/>"), body)

    def details(e: dict, width: float) -> Table | None:
        rows = [[para(labels[d], st["label"]), value(e, d, width - label_w)] for d in labelled(e)]
        if not rows:
            return None
        style = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            *NO_PADDING,
            ("TOPPADDING", (0, 1), (-1, -1), 2),
            ("TOPPADDING", (0, 0), (0, 0), 1),
            ("TOPPADDING", (0, 1), (0, -1), 3),
        ]
        return Table(rows, colWidths=[label_w, width - label_w], style=style, hAlign="LEFT")

    def entry(e: dict, width: float):
        code = under = None
        qr_w = 0.0
        if e.get("qr"):
            code = QrCode(website_uri(e["website"]))
            url = short_url(e["website"])
            qr_w = max(code.size, min(stringWidth(url, REGULAR, 11), width / 3))
            under = LinkLines(address_pieces(url), qr_text, website_uri(e["website"]), qr_w, True)
        text_w = width - (qr_w + QR_GAP if code else 0)
        cell: list[Flowable] = [para(e["name"], st["strong"])]
        table = details(e, text_w)
        if table is not None:
            cell.append(table)
        if e.get("note"):
            cell.append(para(e["note"], body))
        if code is None:
            return cell
        style = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ALIGN", (1, 0), (1, 0), "CENTER"),
            *NO_PADDING,
        ]
        return Table(
            [[cell, [code, under]]], colWidths=[text_w + QR_GAP, qr_w], style=style, hAlign="LEFT"
        )

    def row(entries: list[dict]) -> Table:
        whole = len(entries) == 1 and bool(entries[0].get("qr"))
        w = WIDTH if whole else col_w
        cells = [entry(e, w - indent) for e in entries] + [""] * (2 - len(entries))
        style = [("VALIGN", (0, 0), (-1, -1), "TOP"), *NO_PADDING]
        if whole:
            style.append(("SPAN", (0, 0), (-1, 0)))
        for n in range(len(entries)):
            style += [
                ("LINEBEFORE", (2 * n, 0), (2 * n, 0), 3, ACCENT),
                ("LEFTPADDING", (2 * n, 0), (2 * n, 0), indent),
            ]
        data = [[cells[0], "", cells[1]]]
        return Table(data, colWidths=[col_w, gap, col_w], style=style, hAlign="LEFT", spaceAfter=10)

    out = opening(data, st)
    for section in data["sections"]:
        groups: list[list[dict]] = []
        for e in section["entries"]:  # a QR entry takes a row of its own
            if e.get("qr") or not groups or len(groups[-1]) == 2 or groups[-1][0].get("qr"):
                groups.append([])
            groups[-1].append(e)
        head = [para(section["heading"], st["heading"])]
        if section.get("note"):
            head.append(para(section["note"], st["note"]))
        rows = [row(g) for g in groups]
        out += [KeepTogether([*head, rows[0]]), *rows[1:]]
    return out + closing(data, st)


# --- the cover (layouts/cover.yaml) ---------------------------------------------------------


def cover(data: dict, kit: Kit, entries: list[tuple[str, int | None]]) -> list[Flowable]:
    """The front (title, organisation, intro, contents), then the back's boxes."""
    st = cover_styles()
    out = [para(data["title"], st["title"])]
    if data.get("subtitle"):
        out.append(para(data["subtitle"], st["subtitle"]))
    out.append(para(kit.org_name, st["strong"]))
    if kit.org_contact:
        out.append(para(kit.org_contact, st["body"]))
    out += [Spacer(1, 18), para(data["intro"], st["intro"])]
    entry = ParagraphStyle("entry", parent=st["intro"], spaceBefore=0, spaceAfter=0)

    def listing(heading: str, rows: list[list]) -> list[Flowable]:
        style = [
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            *NO_PADDING[:2],
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ("LINEBELOW", (0, 0), (-1, -1), 0.75, INK),
            ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ("FONT", (1, 0), (1, -1), BOLD, 14),
        ]
        return [para(heading, st["heading"]), Table(rows, colWidths=[WIDTH - 48, 48], style=style)]

    inside = [[para(t, entry), str(page)] for t, page in entries if page]
    apart = [[para(t, entry), ""] for t, page in entries if not page]
    if inside:
        out += listing(data["contents"], inside)
    if apart:
        out += listing(data["separately"], apart)
    if data.get("back"):
        out.append(PageBreak())
        for headed in data["back"]:
            box = callout(headed["box"], st, kit.crisis)
            out.append(KeepTogether([para(headed["heading"], st["heading"]), Spacer(1, 2), box]))
    return out


# --- the card deck (layouts/cards.yaml, poker.yaml) ------------------------------------------

CARD_W, CARD_H, SAFE = 2.5 * inch, 3.5 * inch, 0.16 * inch
ICON, HEADER_GAP = 16.0, 5.0
FIT_MIN, FIT_STEP = 11.0, 0.5
MARK_OFFSET, MARK_LENGTH, MARK_CLEAR, MARK_MIN = 6.0, 15.0, 0.25 * inch, 4.0


def set_text(text: str, font: str, size: float, width: float) -> list[tuple[str, float]]:
    """Greedy line breaking: (line, width) for each line."""
    out = []
    for part in text.split("\n"):
        line, line_w = "", 0.0
        for word in part.split():
            candidate = f"{line} {word}" if line else word
            w = stringWidth(candidate, font, size)
            if line and w > width:
                out.append((line, line_w))
                line, w = word, stringWidth(word, font, size)
            else:
                line = candidate
            line_w = w
        out.append((line, line_w))
    return out


def is_label(lines: list[str], k: int) -> bool:
    """'Write:', 'Ask them:': a line ending in a colon, with words after it, in bold."""
    return k < len(lines) - 1 and lines[k].rstrip().endswith(":") and bool(lines[k].strip(" :"))


def fit_card(text: str, width: float, height: float):
    """The largest size from 16 pt down to 11 pt at which the card's text fits:
    (size, leading, [(font, line, width)])."""
    parts = text.split("\n")
    size = 16.0
    while size >= FIT_MIN - 1e-9:
        leading = 20 * size / 16
        lines = []
        for k, part in enumerate(parts):
            font = BOLD if is_label(parts, k) else REGULAR
            lines += [(font, t, w) for t, w in set_text(part, font, size, width)]
        if len(lines) * leading <= height + 1e-6:
            return size, leading, lines
        size -= FIT_STEP
    raise SystemExit(f"card does not fit: {text[:40]!r}")


def draw_lines(c: Canvas, lines, size: float, leading: float, x: float, top: float, width: float):
    """Centred lines, the first baseline 0.93 size below top."""
    y = top - size * 0.93
    for font, text, w in lines:
        if text:
            c.setFont(font, size)
            c.drawString(x + (width - w) / 2, y, text)
        y -= leading


def icon(c: Canvas, name: str, x: float, y: float, s: float) -> None:
    """A category's icon, in ink (simpler shapes than kitpress's)."""
    c.saveState()
    c.setFillColor(INK)
    c.setStrokeColor(INK)
    c.translate(x, y)
    if name == "sun":
        c.circle(s / 2, s / 2, 0.2 * s, stroke=0, fill=1)
        c.setLineWidth(0.09 * s)
        c.setLineCap(1)
        for k in range(8):
            dx, dy = math.cos(k * math.pi / 4), math.sin(k * math.pi / 4)
            c.line(
                s / 2 + 0.31 * s * dx,
                s / 2 + 0.31 * s * dy,
                s / 2 + 0.45 * s * dx,
                s / 2 + 0.45 * s * dy,
            )
    elif name == "camera":
        c.roundRect(0.04 * s, 0.14 * s, 0.92 * s, 0.6 * s, 0.1 * s, stroke=0, fill=1)
        c.rect(0.32 * s, 0.7 * s, 0.34 * s, 0.14 * s, stroke=0, fill=1)
    else:
        c.circle(s / 2, s / 2, 0.42 * s, stroke=0, fill=1)
    c.restoreState()


def card_slots() -> tuple[list[tuple], list[tuple]]:
    """Eight cards turned on a Letter sheet, 2 across and 4 down, centred: each front's
    (x, y, w, h) and the matrix that turns the card into it; then the backs' (turned
    over the long edge)."""
    w, h, cols, rows = CARD_H, CARD_W, 2, 4
    x0, top = (PAGE_W - cols * w) / 2, (PAGE_H + rows * h) / 2
    fronts, backs = [], []
    for r in range(rows):
        for col in range(cols):
            x, y = x0 + col * w, top - h - r * h
            fronts.append(((x, y, w, h), (0, 1, -1, 0, x + w, y)))
            bx = PAGE_W - x - w
            backs.append(((bx, y, w, h), (0, -1, 1, 0, bx, y + h)))
    return fronts, backs


def crop_marks(slots: list[tuple]) -> list[tuple[float, float, float, float]]:
    """Cut guides past each card corner, in the margins, clear of the sheet edge."""
    marks = set()
    for x, y, w, h in slots:
        for yy in (y, y + h):
            near = [s for s in slots if s[1] - 1e-6 <= yy <= s[1] + s[3] + 1e-6]
            left = max(
                [MARK_CLEAR] + [s[0] + s[2] + MARK_OFFSET for s in near if s[0] + s[2] <= x + 1e-6]
            )
            right = min(
                [PAGE_W - MARK_CLEAR] + [s[0] - MARK_OFFSET for s in near if s[0] >= x + w - 1e-6]
            )
            a, b = x - MARK_OFFSET, max(x - MARK_OFFSET - MARK_LENGTH, left)
            if a - b >= MARK_MIN:
                marks.add((round(a, 3), yy, round(b, 3), yy))
            a, b = x + w + MARK_OFFSET, min(x + w + MARK_OFFSET + MARK_LENGTH, right)
            if b - a >= MARK_MIN:
                marks.add((round(a, 3), yy, round(b, 3), yy))
        for xx in (x, x + w):
            near = [s for s in slots if s[0] - 1e-6 <= xx <= s[0] + s[2] + 1e-6]
            down = max(
                [MARK_CLEAR] + [s[1] + s[3] + MARK_OFFSET for s in near if s[1] + s[3] <= y + 1e-6]
            )
            up = min(
                [PAGE_H - MARK_CLEAR] + [s[1] - MARK_OFFSET for s in near if s[1] >= y + h - 1e-6]
            )
            a, b = y - MARK_OFFSET, max(y - MARK_OFFSET - MARK_LENGTH, down)
            if a - b >= MARK_MIN:
                marks.add((xx, round(a, 3), xx, round(b, 3)))
            a, b = y + h + MARK_OFFSET, min(y + h + MARK_OFFSET + MARK_LENGTH, up)
            if b - a >= MARK_MIN:
                marks.add((xx, round(a, 3), xx, round(b, 3)))
    return sorted(marks)


def card_deck(data: dict, kit: Kit) -> tuple[bytes, int]:
    """Fronts and backs, 8 cards a sheet; each category's header and back a form."""
    width = CARD_W - 2 * SAFE
    rule_y = CARD_H - SAFE - ICON - HEADER_GAP
    bottom, top = SAFE, rule_y - HEADER_GAP
    faces = []
    for i, cat in enumerate(data["categories"]):
        for text in cat["cards"]:
            faces.append((i, fit_card(text, width, top - bottom)))
    buffer = io.BytesIO()
    c = kit.canvas(buffer, data["title"])
    c.setViewerPreference("PrintScaling", "None")
    c.setLineCap(0)
    note = set_text(data["back_note"], REGULAR, 10, width) if data.get("back_note") else []
    below = len(note) * 12.5 + 8 if note else 0.0
    for i, cat in enumerate(data["categories"]):
        c.beginForm(f"front{i}")
        icon(c, cat.get("icon"), SAFE, CARD_H - SAFE - ICON, ICON)
        c.setFillColor(INK)
        c.setFont(BOLD, 11)
        c.drawString(SAFE + ICON + HEADER_GAP, CARD_H - SAFE - ICON / 2 - 11 * 0.35, cat["name"])
        c.setStrokeColor(INK)
        c.setLineWidth(1)
        c.line(SAFE, rule_y, CARD_W - SAFE, rule_y)
        c.endForm()
        c.beginForm(f"back{i}")
        title = [(BOLD, t, w) for t, w in set_text(data["title"], BOLD, 17, width)]
        name = [(REGULAR, t, w) for t, w in set_text(cat["name"], REGULAR, 12, width)]
        block = len(title) * 21 + 46 + len(name) * 15
        y = (CARD_H + below + block) / 2  # title, icon and name: centred above the note
        c.setFillColor(INK)
        below_title = y - len(title) * 21
        icon(c, cat.get("icon"), (CARD_W - 46) / 2, below_title - 46, 46)
        draw_lines(c, name, 12, 15, SAFE, below_title - 46, width)
        draw_lines(c, title, 17, 21, SAFE, y, width)
        if note:
            lines = [(REGULAR, t, w) for t, w in note]
            draw_lines(c, lines, 10, 12.5, SAFE, SAFE + len(note) * 12.5, width)
        c.endForm()
    fronts, backs = card_slots()
    c.beginForm("marks")
    c.setStrokeColor(INK)
    c.setLineWidth(0.5)
    for x0, y0, x1, y1 in crop_marks([s for s, _ in fronts]):
        c.line(x0, y0, x1, y1)
    c.endForm()
    pages, marked = 0, set()
    for start in range(0, len(faces), len(fronts)):
        sheet = faces[start : start + len(fronts)]
        c.doForm("marks")
        for (cat, (size, leading, lines)), (_, matrix) in zip(sheet, fronts, strict=False):
            if cat not in marked:
                marked.add(cat)
                c.bookmarkPage(f"category{cat}")
                c.addOutlineEntry(data["categories"][cat]["name"], f"category{cat}", level=0)
            c.saveState()
            c.transform(*matrix)
            c.doForm(f"front{cat}")
            c.setFillColor(INK)
            mid = top - (top - bottom - len(lines) * leading) / 2
            draw_lines(c, lines, size, leading, SAFE, mid, width)
            c.restoreState()
        c.showPage()
        for (cat, _), (_, matrix) in zip(sheet, backs, strict=False):
            c.saveState()
            c.transform(*matrix)
            c.doForm(f"back{cat}")
            c.restoreState()
        c.showPage()
        pages += 2
    c.setViewerPreference("Duplex", "DuplexFlipLongEdge")
    c.save()
    return buffer.getvalue(), pages


# --- the calibration sheet ---------------------------------------------------------------

ARM, APART, INSET = 26 * mm, 16 * mm, 1.5 * inch


def calibration(data: dict, kit: Kit) -> bytes:
    """Front: cross lines at four targets, the words, rulers in inches and mm. Back:
    a mm scale across and up-down behind each target (mirrored over the long edge)."""
    words = data["calibration"]
    buffer = io.BytesIO()
    c = kit.canvas(buffer, data["title"])
    c.setViewerPreference("PrintScaling", "None")
    c.setLineCap(0)
    c.setStrokeColor(INK)
    c.setFillColor(INK)
    text_w = PAGE_W - 2 * 72
    targets = [
        (INSET, PAGE_H - INSET),
        (PAGE_W - INSET, PAGE_H - INSET),
        (INSET, INSET),
        (PAGE_W - INSET, INSET),
    ]

    def label(text: str, x: float, y: float) -> None:  # 9 pt, its left at x
        c.setFont(REGULAR, 9)
        c.drawString(x, y - 9 * 0.93, text)

    def block(lines: list[str]) -> None:
        top = PAGE_H / 2 + 170
        head = [(BOLD, t, w) for t, w in set_text(words["title"], BOLD, 11 * 1.3, text_w)]
        draw_lines(c, head, 11 * 1.3, 11 * 1.6, (PAGE_W - text_w) / 2, top, text_w)
        top -= len(head) * 11 * 1.6 + 14 * 0.5
        for line in lines:
            body = [(REGULAR, t, w) for t, w in set_text(line, REGULAR, 11, text_w)]
            draw_lines(c, body, 11, 14, (PAGE_W - text_w) / 2, top, text_w)
            top -= len(body) * 14 + 14 * 0.3

    c.setLineWidth(0.5)
    for x, y in targets:
        c.line(x - ARM, y, x + ARM, y)
        c.line(x, y - ARM, x, y + ARM)
        c.circle(x, y, 3 * mm, stroke=1, fill=0)
    for unit, count, per, every, y in (
        (72.0, 5, 8, 8, PAGE_H / 2 - 20),
        (mm, 120, 1, 10, PAGE_H / 2 - 65),
    ):
        x0 = (PAGE_W - count * unit) / 2
        c.line(x0, y, x0 + count * unit, y)
        for k in range(count * per + 1):
            x = x0 + k * unit / per
            c.line(x, y, x, y + (9 if k % every == 0 else (6 if k % (per // 2 or 5) == 0 else 3.5)))
            if k % every == 0:
                text = str(k // per if per > 1 else k // 10)
                label(text, x - stringWidth(text, REGULAR, 9) / 2, y - 2)
    block(words["front"])
    c.showPage()
    c.setLineWidth(0.5)
    span = 10 * mm
    for tx, ty in targets:
        x, y = PAGE_W - tx, ty  # behind the target, turned over the long edge
        ax, ay, vx, vy = x, y + APART, x + APART, y
        c.line(ax - span, ay, ax + span, ay)
        c.line(vx, vy - span, vx, vy + span)
        for k in range(-10, 11):
            d, tick = k * mm, 7 if k == 0 else (5 if k % 5 == 0 else 2.5)
            c.line(ax + d, ay - tick, ax + d, ay + tick)
            c.line(vx - tick, vy + d, vx + tick, vy + d)
            if k % 5 == 0:
                text = f"{k:+d}" if k else "0"
                w = stringWidth(text, REGULAR, 9)
                label(text, ax + d - w / 2, ay + tick + 1 + 9)
                label(text, vx + tick + 2, vy + d + 9 * 0.35)
    flip = words.get("long_edge", "long")
    block([line.format(x="0mm", y="0mm", flip=flip) for line in words["back"]])
    c.showPage()
    c.setViewerPreference("Duplex", "DuplexFlipLongEdge")
    c.save()
    return buffer.getvalue()


# --- the kit -----------------------------------------------------------------------------


class Kit:
    """One language of the kit: its manifest texts, labels and the canvas they share."""

    def __init__(self, manifest: dict, lang: str, labels: dict) -> None:
        self.manifest, self.lang, self.labels = manifest, lang, labels
        org = manifest["organization"]
        self.org_name = typeset(text_of(org["name"], lang))
        contact = org.get("contact")
        self.org_contact = typeset(text_of(contact, lang)) if contact else None
        self.title = text_of(manifest["title"], lang)
        self.crisis = manifest.get("crisis") or {}
        line = (
            labels["footer"].format(name=self.org_name, contact=self.org_contact)
            if self.org_contact
            else self.org_name
        )
        self.footer = " ".join(line.split())

    def canvas(self, buffer, title: str) -> Canvas:
        c = Canvas(buffer, pagesize=letter, invariant=1, pageCompression=1)
        c.setTitle(title)
        c.setAuthor(self.org_name)
        c.setSubject(self.title)
        c.setCreator("baseline_kit.py")
        return c


FLOWING = {"checklist": checklist, "worksheet": worksheet, "resource-sheet": resource_sheet}


def build(kit_dir: Path, out_dir: Path) -> list[tuple[str, int, str]]:
    """Every PDF of the kit, both languages; (file, pages, sides) for the print plan."""
    plain.register_fonts()
    manifest = load(kit_dir / "kit.yaml")
    plan: list[tuple[str, int, str]] = []
    kits: list[tuple[Path, Kit, list]] = []
    for lang in manifest["languages"]:
        folder = kit_dir / lang
        kit = Kit(manifest, lang, typeset_all(load(folder / "labels.yaml")))
        out = out_dir / lang
        out.mkdir(parents=True, exist_ok=True)
        parts = []  # (title, file, Handout or None)
        for name in manifest["handouts"]:
            data = typeset_all(load(folder / f"{name}.yaml"))
            file = data.get("file", name)
            if data["kind"] in FLOWING:
                handout = Handout(
                    data["title"], file, lay_out(FLOWING[data["kind"]](data, kit)), kit
                )
                (out / f"{file}.pdf").write_bytes(handout.pdf())
                plan.append(
                    (
                        f"{lang}/{file}.pdf",
                        handout.pages,
                        "double" if handout.pages > 1 else "single",
                    )
                )
                parts.append((data["title"], file, handout))
            else:  # a card deck, and its calibration sheet, printed on their own
                pdf, pages = card_deck(data, kit)
                (out / f"{file}.pdf").write_bytes(pdf)
                (out / f"{file}-calibration.pdf").write_bytes(calibration(data, kit))
                plan += [
                    (f"{lang}/{file}.pdf", pages, "double"),
                    (f"{lang}/{file}-calibration.pdf", 2, "double"),
                ]
                parts.append((data["title"], file, None))
        kits.append((out, kit, parts))
    for out, kit, parts in kits:
        pages = kit_pdf(kit_dir / kit.lang, out / "kit.pdf", kit, parts)
        plan.append((f"{kit.lang}/kit.pdf", pages, "double"))
    write_plan(out_dir / "print-plan.txt", manifest, plan)
    return plan


def kit_pdf(folder: Path, path: Path, kit: Kit, parts: list) -> int:
    """The cover (and its back), then each handout from a right-hand page."""
    data = typeset_all(load(folder / "cover.yaml"))
    page, first = 3 if data.get("back") else 2, {}
    for _, file, handout in parts:
        if handout is not None:
            page += page % 2 == 0  # start on an odd page
            first[file] = page
            page += handout.pages
    entries = [(t if h else f"{t} ({f}.pdf)", first.get(f)) for t, f, h in parts]
    front = Handout(data["title"], "kit", lay_out(cover(data, kit, entries)), kit)
    buffer = io.BytesIO()
    c = kit.canvas(buffer, data["title"])
    c.bookmarkPage("cover")
    c.addOutlineEntry(data["title"], "cover", level=0)
    label = kit.labels["kit_page"]
    front.draw(c, lambda n: label.format(page=n))
    page = front.pages + 1
    for n, (title, file, handout) in enumerate(p for p in parts if p[2] is not None):
        while page < first[file]:
            c.showPage()
            page += 1
        c.bookmarkPage(f"part{n}")
        c.addOutlineEntry(title, f"part{n}", level=0)
        start = first[file]
        handout.draw(c, lambda k, start=start: label.format(page=start + k - 1))
        page += handout.pages
    c.setViewerPreference("Duplex", "DuplexFlipLongEdge")
    c.save()
    path.write_bytes(buffer.getvalue())
    return page - 1


def write_plan(path: Path, manifest: dict, plan: list[tuple[str, int, str]]) -> None:
    lines = [
        "Print plan: "
        + " / ".join(text_of(manifest["title"], lang) for lang in manifest["languages"]),
        "",
    ]
    lines.append(f"{'file':<40} {'pages':>5}  {'sheets':>6}  sides")
    for file, pages, sides in plan:
        sheets = -(-pages // 2) if sides == "double" else pages
        lines.append(f"{file:<40} {pages:>5}  {sheets:>6}  {sides}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- checking that the pages are the same ------------------------------------------------


def page_texts(pdf: Path) -> list[str]:
    """Each page's text (pypdf), whitespace made single spaces."""
    from pypdf import PdfReader

    return [" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages]


def compare(kitpress_out: Path, baseline_out: Path) -> bool:
    """Per PDF: the same number of pages? the same text on each page?"""
    same = True
    for pdf in sorted(kitpress_out.rglob("*.pdf")):
        rel = pdf.relative_to(kitpress_out)
        other = baseline_out / rel
        if not other.exists():
            print(f"{rel}: missing from {baseline_out}")
            same = False
            continue
        a, b = page_texts(pdf), page_texts(other)
        differ = [n for n, (x, y) in enumerate(zip(a, b, strict=False), 1) if x != y]
        pages_ok = len(a) == len(b)
        print(
            f"{rel}: pages {'equal' if pages_ok else 'DIFFER'} ({len(a)}, {len(b)}), "
            f"text {'equal' if not differ and pages_ok else 'DIFFERS on pages ' + str(differ)}"
        )
        for n in differ:
            x, y = a[n - 1].split(), b[n - 1].split()
            ops = [
                op for op in difflib.SequenceMatcher(None, x, y).get_opcodes() if op[0] != "equal"
            ]
            for op in ops[:3]:  # the first few differences say enough
                ours, theirs = " ".join(x[op[1] : op[2]]), " ".join(y[op[3] : op[4]])
                print(f"  page {n}: kitpress {ours!r} / baseline {theirs!r}")
        same = same and pages_ok and not differ
    return same


def main(argv: list[str]) -> None:
    if len(argv) == 3 and argv[0] == "--compare":
        sys.exit(0 if compare(Path(argv[1]), Path(argv[2])) else 1)
    if len(argv) != 2:
        raise SystemExit(__doc__)
    build(Path(argv[0]), Path(argv[1]))


if __name__ == "__main__":
    main(sys.argv[1:])
