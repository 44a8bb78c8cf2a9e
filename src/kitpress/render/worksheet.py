"""kind: worksheet — sections of blocks to read, tick and write in; fillable on screen
unless the build (or the layout) is flat.

Page flow: a heading travels with its first block, a lead-in with what follows, every
block is kept together, and writing areas and the tracker never split (render.writing).
"""

from __future__ import annotations

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from kitpress.content.worksheet import (
    ChecklistBlock,
    ExampleBlock,
    PromptBlock,
    RewriteBlock,
    ShortBlock,
    TextBlock,
    TipBlock,
    TrackerBlock,
    Worksheet,
    label_name,
    label_text,
)
from kitpress.errors import FitError, Source
from kitpress.kinds import Kind
from kitpress.layouts.worksheet import WorksheetLayout
from kitpress.render import fieldfont
from kitpress.render.context import RenderContext
from kitpress.render.fieldfont import FieldFont
from kitpress.render.flowing import (
    Flowed,
    Styles,
    boxed_table,
    build_flowing,
    closing,
    opening,
    tagged,
)
from kitpress.render.form import Form
from kitpress.render.paragraph import Para
from kitpress.render.tagging import Node, container, content
from kitpress.render.writing import CellField, TickBox, Whole, WritingLines

_LEAD_INS = {"text", "tip", "example"}
ARROW_GAP = 4.0  # points between a rewrite block's arrow and the lines beside it
_NO_PADDING = [
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ("TOPPADDING", (0, 0), (-1, -1), 0),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
]


class _Worksheet:
    def __init__(
        self, content: Worksheet, ctx: RenderContext[WorksheetLayout], source: Source
    ) -> None:
        self.content, self.ctx = content, ctx
        self.layout = ctx.layout
        self.s = Styles(ctx)
        m = self.layout.page.margins
        self.width = ctx.pagesize[0] - m.left - m.right
        self.ink = self.s.color("ink")
        flat = ctx.options.flat or self.layout.flat
        font: FieldFont | None = None
        self.notes: tuple[str, ...] = ()
        if not flat:
            font, self.notes = field_font(content, ctx, source)
        self.form = Form(flat, font, self.layout.writing.field_font_size, self.ink)
        if self.form.line_height > self.layout.writing.line_spacing:
            raise FitError(
                f"layout '{self.layout.name}': typed answers at writing.field_font_size "
                f"{self.layout.writing.field_font_size:g} do not fit between lines "
                f"{self.layout.writing.line_spacing / 72 * 25.4:.1f}mm apart; make the "
                "font size smaller or the line spacing larger",
                source.at(),
            )

    def story(self) -> list[Flowable]:
        c, s = self.content, self.s
        out = opening(c, s)
        for n, section in enumerate(c.sections):
            # The heading travels with the first block, and a lead-in (text, tip, example)
            # with the block it leads to. (keepWithNext alone would not do: platypus does
            # not join a keepWithNext paragraph to a following KeepTogether.)
            key = ("sections", n)
            sect = Node("Sect")
            heading = content(s.para(section.heading, "heading"), sect.add("H2"))
            held: list[Flowable] = [tagged(heading, key)]
            for i, block in enumerate(section.blocks):
                if i:
                    held.append(Spacer(1, self.layout.block_gap))
                made = getattr(self, f"_{block.type}")(block, sect)
                held += [tagged(f, (*key, "blocks", i)) for f in made]
                if block.type not in _LEAD_INS or i == len(section.blocks) - 1:
                    out.append(tagged(KeepTogether(held), key))
                    held = []
        return out + closing(c, s)

    # --- blocks that only print -------------------------------------------------------

    def _text(self, block: TextBlock, sect: Node) -> list[Flowable]:
        return [content(self.s.para(block.text, "body"), sect.add("P"))]

    def _boxed(self, rows: list[list], col_widths: list[float], extra: list) -> Flowable:
        """A bordered box, never split; its border is an artifact."""
        return container(Whole(boxed_table(rows, col_widths, self.layout.box, self.ink, extra)))

    def _tip(self, block: TipBlock, sect: Node) -> list[Flowable]:
        fonts, body = self.ctx.fonts, self.s["body"]
        title = f"<b>{fonts.markup(block.title, bold=True)}</b>  " if block.title else ""
        text = fonts.markup(block.text)
        tip = Para(title + text, body, plain=block.text, markup=fonts.markup, prefix=title)
        return [self._boxed([[content(tip, sect.add("P"))]], [self.width], [])]

    def _example(self, block: ExampleBlock, sect: Node) -> list[Flowable]:
        s, cfg = self.s, self.layout.box
        label = s["label"]
        label_w = 6 + max(
            stringWidth(line.label, label.fontName, label.fontSize) for line in block.lines
        )
        label_w = min(label_w, self.width * 0.4)
        # its title, then a table: each line's label heads its row
        rows = [[content(s.para(block.label, "strong"), sect.add("P")), ""]]
        table = sect.add("Table")
        for line in block.lines:
            tr = table.add("TR")
            label = content(s.para(line.label, "label"), tr.add("TH", scope="Row"))
            rows.append([label, content(s.para(line.text, "body"), tr.add("TD"))])
        text_w = self.width - label_w - 2 * cfg.padding
        extra = [("SPAN", (0, 0), (-1, 0)), ("BOTTOMPADDING", (0, 0), (-1, 0), 6)]
        # label and text sit in one cell each; padding only on the outer sides
        extra += [("RIGHTPADDING", (0, 0), (0, -1), 0), ("LEFTPADDING", (1, 0), (1, -1), 0)]
        widths = [label_w + cfg.padding, text_w + cfg.padding]
        return [self._boxed(rows, widths, extra)]

    # --- blocks with fields --------------------------------------------------------------

    def _lines(self, n: int, name: str, tooltip: str, numbered: bool = True) -> WritingLines:
        w = self.layout.writing
        return WritingLines(
            n,
            w.line_spacing,
            w.line_width,
            self.s.color(w.line_color),
            self.form,
            name,
            tooltip,
            numbered,
        )

    def _prompt(self, block: PromptBlock, sect: Node) -> list[Flowable]:
        return [
            content(self.s.para(block.prompt, "strong"), sect.add("P")),
            Spacer(1, self.layout.writing.prompt_gap),
            container(self._lines(block.lines, block.name, block.prompt), sect.add("Form")),
        ]

    def _short(self, block: ShortBlock, sect: Node) -> list[Flowable]:
        strong = self.s["strong"]
        gap = 8
        text_w = stringWidth(block.prompt, strong.fontName, strong.fontSize) + gap + 1
        prompt_w = min(text_w, self.width - self.layout.writing.short_min_width)
        line = self._lines(1, block.name, block.prompt, numbered=False)
        style = [
            *_NO_PADDING,
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("RIGHTPADDING", (0, 0), (0, 0), gap),
            ("BOTTOMPADDING", (0, 0), (0, 0), 3),
        ]  # the prompt's baseline sits on the line
        prompt = content(self.s.para(block.prompt, "strong"), sect.add("P"))
        table = Table(
            [[prompt, container(line, sect.add("Form"))]],
            colWidths=[prompt_w, self.width - prompt_w],
            style=TableStyle(style),
            hAlign="LEFT",
        )
        return [container(Whole(table))]

    def _checklist(self, block: ChecklistBlock, sect: Node) -> list[Flowable]:
        cfg, s = self.layout.checkbox, self.s
        cols = cfg.columns
        col_gap = 14
        col_w = (self.width - col_gap * (cols - 1)) / cols
        per_col = -(-len(block.items) // cols)  # fill down each column first
        cells = []
        listing = sect.add("L")  # read in item order, though drawn row by row
        for n, item in enumerate(block.items, 1):
            li = listing.add("LI")
            box = TickBox(cfg.size, cfg.line_width, self.ink, self.form, f"{block.name}.{n}", item)
            label = li.add("Lbl")  # the tick box: a field when not flat
            cells.append(
                (
                    container(box, label.add("Form")),
                    content(s.para(item, "body"), li.add("LBody")),
                )
            )
        data = []
        for r in range(per_col):
            row: list = []
            for c in range(cols):
                i = c * per_col + r
                pair = cells[i] if i < len(cells) else ("", "")
                row += [*pair, ""] if c < cols - 1 else list(pair)
            data.append(row)
        widths = []
        for c in range(cols):
            widths += [cfg.size + cfg.gap, col_w - cfg.size - cfg.gap]
            if c < cols - 1:
                widths.append(col_gap)
        style = [
            *_NO_PADDING,
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), cfg.row_padding),
            ("BOTTOMPADDING", (0, 0), (-1, -1), cfg.row_padding),
        ]
        table = Table(data, colWidths=widths, style=TableStyle(style), hAlign="LEFT")
        return [container(Whole(table))]

    def _tracker(self, block: TrackerBlock, sect: Node) -> list[Flowable]:
        cfg, s = self.layout.tracker, self.s
        n_cols = len(block.columns)
        cell_w = (self.width - cfg.label_width) / n_cols
        # a table: the columns' labels head them, each row's label heads the row
        table = sect.add("Table")
        tr = table.add("TR")

        def th(text: str, row: Node, scope: str, style: str) -> Flowable:
            return content(s.para(text, style), row.add("TH", scope=scope))

        corner = tr.add("TH", scope="Column")  # may stay empty, but is a cell of the grid
        header: list = [content(s.para(block.corner, "label"), corner) if block.corner else ""]
        header += [th(label_text(c), tr, "Column", "label") for c in block.columns]
        data = [header]
        for row in block.rows:
            r_name, r_text = label_name(row), label_text(row)
            tr = table.add("TR")
            cells: list = [th(r_text, tr, "Row", "strong")]
            for col in block.columns:
                field = CellField(
                    cfg.cell_height,
                    cfg.line_width,
                    self.form,
                    f"{block.name}.{r_name}.{label_name(col)}",
                    f"{r_text}, {label_text(col)}",
                )
                cells.append(container(field, tr.add("TD").add("Form")))
            data.append(cells)
        style = [
            *_NO_PADDING,
            ("GRID", (0, 0), (-1, -1), cfg.line_width, self.ink),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (0, -1), cfg.padding),
            ("LEFTPADDING", (1, 0), (-1, 0), cfg.padding),
            ("TOPPADDING", (0, 0), (-1, 0), cfg.padding),
            ("BOTTOMPADDING", (0, 0), (-1, 0), cfg.padding),
        ]
        widths = [cfg.label_width] + [cell_w] * n_cols
        table_flow = Table(data, colWidths=widths, style=TableStyle(style), hAlign="LEFT")
        return [container(Whole(table_flow))]

    def _rewrite(self, block: RewriteBlock, sect: Node) -> list[Flowable]:
        cfg, s = self.layout.rewrite, self.s
        strong = s["strong"]
        arrow_style = ParagraphStyle(
            "arrow",
            parent=strong,
            fontSize=strong.fontSize * 1.6,
            leading=strong.fontSize * 2,
            alignment=TA_CENTER,
        )
        arrow = self.ctx.fonts.markup("→", bold=True)
        # room for the arrow clear of the writing lines either side (a large-print arrow
        # is wider than the 28pt that serves standard print)
        arrow_w = max(28.0, Paragraph(arrow, arrow_style).minWidth() + 2 * ARROW_GAP)
        col_w = (self.width - arrow_w) / 2
        # a table of two columns, headed by their labels; each cell a field (the arrow
        # between them is decoration)
        table_node = sect.add("Table")
        tr = table_node.add("TR")
        data: list[list] = [
            [
                content(s.para(block.hard_label, "label"), tr.add("TH", scope="Column")),
                "",
                content(s.para(block.kinder_label, "label"), tr.add("TH", scope="Column")),
            ]
        ]
        for r in range(1, block.rows + 1):
            base = f"{block.name}.{r}"
            tr = table_node.add("TR")
            hard = self._lines(block.lines, f"{base}.hard", f"{block.hard_label} ({r})")
            kinder = self._lines(block.lines, f"{base}.kinder", f"{block.kinder_label} ({r})")
            data.append(
                [
                    container(hard, tr.add("TD").add("Form")),
                    Paragraph(arrow, arrow_style),
                    container(kinder, tr.add("TD").add("Form")),
                ]
            )
        style = [
            *_NO_PADDING,
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("VALIGN", (1, 1), (1, -1), "MIDDLE"),
            ("BOTTOMPADDING", (0, 0), (-1, 0), cfg.label_gap),
            ("TOPPADDING", (0, 2), (-1, -1), cfg.padding),
        ]
        table = Table(data, colWidths=[col_w, arrow_w, col_w], style=TableStyle(style))
        return [container(Whole(table))]


def field_font(
    content: Worksheet, ctx: RenderContext[WorksheetLayout], source: Source
) -> tuple[FieldFont, tuple[str, ...]]:
    """The font typed answers are shown in, one that draws this worksheet's language,
    and a note if answers cannot be typed in a script the kit's fonts draw."""
    org = ctx.manifest.organization
    texts = [*_strings(content.model_dump()), *_strings(ctx.labels.model_dump()), org.name]
    try:
        font = fieldfont.choose(ctx.fonts, fieldfont.letters(texts))
    except fieldfont.NoFieldFont as e:
        raise FitError(
            f"typed answers would turn into '?': no one bundled font draws {e}; build with "
            "--flat (or flat: true in the layout) for a worksheet to print and write on",
            source.at(),
        ) from None
    lacking = [s for s in fieldfont.all_scripts(ctx.fonts) if s not in font.scripts]
    if not lacking:
        return font, ()
    return font, (
        f"{source.at()}: typed answers can be in {' and '.join(font.scripts)} but not "
        f"{' or '.join(lacking)}: no one bundled font draws {' or '.join(lacking)} and this "
        "worksheet's letters",
    )


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []


def render(content: Worksheet, ctx: RenderContext[WorksheetLayout], source: Source) -> Flowed:
    sheet = _Worksheet(content, ctx, source)
    return build_flowing(ctx, sheet.story(), source, sheet.notes)


KIND = Kind("worksheet", Worksheet, WorksheetLayout, render)
