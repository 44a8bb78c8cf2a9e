"""kind: checklist — title, reasons grid, checkbox rows with a 'when I noticed' line,
numbered tips and an 'instead of … try …' box."""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer

from kitpress.content.box import BoxPart
from kitpress.content.checklist import WORDS, Checklist, Point, Section, Swap
from kitpress.errors import FitError, Source, quoted
from kitpress.kinds import Kind
from kitpress.layouts.models import ChecklistLayout
from kitpress.render.callout import callout
from kitpress.render.context import RenderContext
from kitpress.render.flowing import (
    MIN_ROOM,
    Flowed,
    Styles,
    boxed_table,
    build_flowing,
    closing,
    opening,
    tagged,
)
from kitpress.render.grid import Cell, Grid, Pad, Rule
from kitpress.render.keep import KeepHead
from kitpress.render.tagging import CHECK_BOX, Node, container, content


class CheckBox(Flowable):
    """An empty square to tick with a pen."""

    def __init__(self, size: float, line_width: float, color) -> None:
        super().__init__()
        self.size, self.line_width, self.color = size, line_width, color

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(self.color)
        c.setLineWidth(self.line_width)
        c.rect(0, 0, self.size, self.size, stroke=1, fill=0)


class NumberBadge(Flowable):
    """A number in a circle, drawn in ink only (reads the same in black and white)."""

    def __init__(self, number: int, size: float, font: str, color, line_width: float) -> None:
        super().__init__()
        self.number, self.size, self.font = number, size, font
        self.color, self.line_width = color, line_width

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        c, r = self.canv, self.size / 2
        c.setStrokeColor(self.color)
        c.setFillColor(self.color)
        c.setLineWidth(self.line_width)
        c.circle(r, r, r - self.line_width / 2, stroke=1, fill=0)
        font_size = self.size * 0.55
        c.setFont(self.font, font_size)
        c.drawCentredString(r, r - font_size * 0.35, str(self.number))


class _Checklist:
    def __init__(self, content: Checklist, ctx: RenderContext[ChecklistLayout]) -> None:
        self.content, self.ctx = content, ctx
        self.layout = ctx.layout
        self.s = Styles(ctx)
        m = self.layout.page.margins
        self.width = ctx.pagesize[0] - m.left - m.right

    def story(self) -> list[Flowable]:
        c, s = self.content, self.s
        out = opening(c, s)
        for i, section in enumerate(c.sections):
            out.extend(self.section(section, ("sections", i)))
        return out + closing(c, s)

    def section(self, section: Section, key: tuple) -> list[Flowable]:
        sect = Node("Sect")
        head = [content(self.s.para(section.heading, "heading"), sect.add("H2"))]
        if section.note:
            head.append(content(self.s.para(section.note, "note"), sect.add("P")))
        kind = section.body_kind
        body = getattr(self, f"_{kind}")(getattr(section, kind), sect, (*key, kind))
        for f in [*head, *body]:
            tagged(f, key)
        # The body fills the page and goes on over the next between two of its rows,
        # but the heading (and note) never end a page: they keep the first two rows.
        return [tagged(KeepHead(head, body, keep=2), key)]

    def _para(self, text: str, style: str, key: tuple) -> Flowable:
        """A paragraph that knows its place in the YAML: a word too long for its line
        is said at the item it is in, not at its section."""
        return tagged(self.s.para(text, style), key)

    def _reasons(self, points: list[Point], sect: Node, key: tuple) -> list[Flowable]:
        cfg, s = self.layout.points, self.s
        cols = cfg.columns
        col_w = (self.width - cfg.gap * (cols - 1)) / cols
        # a list of reasons, each one's title its label
        listing = sect.add("L")
        cells: list[Any] = []
        for n, p in enumerate(points):
            item = listing.add("LI")
            title = content(self._para(p.title, "strong", (*key, n, "title")), item.add("Lbl"))
            text = self._para(p.text, "body", (*key, n, "text"))
            cells.append([title, content(text, item.add("LBody"))])
        rows = [cells[i : i + cols] for i in range(0, len(cells), cols)]
        rows[-1] += [None] * (cols - len(rows[-1]))
        widths = []
        for i in range(cols):
            widths.append(col_w)
            if i < cols - 1:
                widths.append(cfg.gap)
        # each reason with a bar down its left side; an empty column between them
        bar: list[Rule] = [("before", cfg.bar_width, s.color("accent"))]
        data, pads, rules = [], [], []
        for row in rows:
            data.append([cell for c in row for cell in (c, None)][:-1])
            pads.append([(8 + cfg.bar_width if c else 0, 0, 4, 8) for c in data[-1]])
            rules.append([bar if c else [] for c in data[-1]])
        return [container(Grid(data, widths, pads, rules=rules))]

    def _items(self, items: list[str], sect: Node, key: tuple) -> list[Flowable]:
        cfg, s = self.layout.checkbox, self.s
        noticed = self.content.noticed  # False: no writing column
        box_col = cfg.size + 10
        write_w = cfg.noticed_width if noticed else 0.0
        text_w = self.width - box_col - write_w - (14 if noticed else 0)
        ink = s.color("ink")
        row_pad: Pad = (0, 0, cfg.row_padding, cfg.row_padding * 0.6)
        rows: list[list[Cell]] = []
        pads: list[list[Pad]] = []
        rules: list[list[list[Rule]]] = []
        if noticed:  # a header over the writing column, repeated after a page break
            # the column's header is read once, before the list (not again on page 2)
            rows.append([None, None, content(s.para(noticed, "label"), sect.add("P"))])
            pads.append([(0, 0, 0, 0)] * 3)
            rules.append([[], [], []])
            widths = [box_col, text_w + 14, write_w]
        else:
            widths = [box_col, text_w]
        line: list[Rule] = [("below", cfg.line_width_write, ink)]  # to write the date on
        listing = sect.add("L")
        for n, i in enumerate(items):
            item = listing.add("LI")
            box = content(
                CheckBox(cfg.size, cfg.line_width, ink), item.add("Lbl", actual=CHECK_BOX)
            )
            text = content(self._para(i, "body", (*key, n)), item.add("LBody"))
            rows.append([box, text, None][: len(widths)])
            pads.append([row_pad] * len(widths))
            rules.append([[], [], line][: len(widths)])
        grid = Grid(rows, widths, pads, valign="BOTTOM", rules=rules, header=1 if noticed else 0)
        return [container(grid)]

    def _tips(self, tips: list[Point], sect: Node, key: tuple) -> list[Flowable]:
        cfg, s = self.layout.tips, self.s
        badge_font = self.ctx.fonts.text.face(bold=True)
        out: list[Flowable] = []
        listing = sect.add("L")  # a numbered list: the number in its circle is the label
        for n, tip in enumerate(tips, 1):
            item = listing.add("LI")
            badge = NumberBadge(n, cfg.number_size, badge_font, s.color("accent"), 1.5)
            label = content(badge, item.add("Lbl"))
            body = item.add("LBody")
            text = [
                content(self._para(tip.title, "strong", (*key, n - 1, "title")), body.add("P")),
                content(self._para(tip.text, "body", (*key, n - 1, "text")), body.add("P")),
            ]
            widths = [cfg.number_size + cfg.gap, self.width - cfg.number_size - cfg.gap]
            out.append(container(Grid([[label, text]], widths, [[(0, 0, 0, 8)] * 2])))
        return out

    def label_width(self, word: str) -> float:
        """The swap box's label column, wide enough for `word`."""
        label = self.s["label"]
        return 2 * self.layout.box.padding + 6 + stringWidth(word, label.fontName, label.fontSize)

    def _swaps(self, swaps: list[Swap], sect: Node, key: tuple) -> list[Flowable]:
        cfg, s, quote = self.layout.box, self.s, self.ctx.labels.quote
        words = [w for w in (self.content.instead, self.content.try_) if w]
        label_w = max((self.label_width(text) for text in words), default=0)
        if not words:  # both turned off: the quotes alone, one per row
            label_w = cfg.padding

        # a table: each row's label ("Instead of", "Try") heads it, the quote is its cell
        table_node = sect.add("Table")

        def row(word: str | bool | None, text: str, style: str, at: tuple) -> list[Cell]:
            tr = table_node.add("TR")
            th = tr.add("TH", scope="Row")  # empty when the label is turned off
            label = content(s.para(word, "label"), th) if isinstance(word, str) else None
            said = self._para(quote.format(text=text), style, at)
            return [label, content(said, tr.add("TD"))]

        # One row of the box per swap (its two lines in a table of their own), so a box
        # too long for the page splits between swaps, never inside one.
        widths = [max(label_w - cfg.padding, 0), self.width - label_w - cfg.padding]
        # the label's column padded on its right, the quote's on its left; 3pt between
        pair_pads: list[list[Pad]] = [
            [(0, cfg.padding, 0, 3), (cfg.padding, 0, 0, 3)],
            [(0, cfg.padding, 3, 0), (cfg.padding, 0, 3, 0)],
        ]
        rows = []
        for n, swap in enumerate(swaps):
            pair = [
                row(self.content.instead, swap.instead, "body", (*key, n, "instead")),
                row(self.content.try_, swap.try_, "strong", (*key, n, "try")),
            ]
            rows.append([container(Grid(pair, widths, pair_pads))])
        rules = []
        for i in range(1, len(swaps)):  # a rule between one swap and the next
            rules += [
                ("LINEABOVE", (0, i), (-1, i), 0.75, s.color("ink")),
                ("TOPPADDING", (0, i), (-1, i), cfg.padding * 0.8),
                ("BOTTOMPADDING", (0, i - 1), (-1, i - 1), cfg.padding * 0.8),
            ]
        table = boxed_table(rows, [self.width], cfg, s.color("ink"), rules)
        return [Spacer(1, 2), container(table)]

    def _box(self, parts: list[BoxPart], sect: Node, key: tuple) -> list[Flowable]:
        cfg, s = self.layout.callout, self.s
        box = callout(parts, s, self.width, cfg, self.ctx.manifest.crisis, sect.add("Div"))
        return [Spacer(1, 2), box]


def render(content: Checklist, ctx: RenderContext[ChecklistLayout], source: Source) -> Flowed:
    checklist = _Checklist(content, ctx)
    _check_labels(checklist, source)
    return build_flowing(ctx, checklist.story(), source)


def _check_labels(checklist: _Checklist, source: Source) -> None:
    """The swap box's labels ('Instead of', 'Try') share a column beside the quotes,
    which needs at least half the box; a label too wide for that is blamed where it was
    written (the handout, or the language's labels.yaml). So is a word of the heading
    over the writing column ('When I noticed') that is wider than that column."""
    if checklist.width < MIN_ROOM:
        return  # (no room at all across the page: build_flowing says the margins are wrong)
    noticed = checklist.content.noticed
    if isinstance(noticed, str) and any(s.items for s in checklist.content.sections):
        column = checklist.layout.checkbox.noticed_width
        label = checklist.s["label"]
        for word in noticed.split():
            if stringWidth(word, label.fontName, label.fontSize) > column:
                raise FitError(
                    f"the word {quoted(word)} is too wide for the writing column under it "
                    f"({column / 72:.1f} in, the layout's checkbox.noticed_width); shorten "
                    "it, or widen that column",
                    source.at(("noticed",)),
                    ("noticed",),
                )
    if not any(s.swaps for s in checklist.content.sections):
        return
    for key in ("instead", "try"):
        word = getattr(checklist.content, "try_" if key == "try" else key)
        if isinstance(word, str) and checklist.label_width(word) > checklist.width / 2:
            raise FitError(
                "is too wide for the label column of the swap box, which may take at most "
                "half of it; shorten it",
                source.at((key,)),
                (key,),
            )


KIND = Kind("checklist", Checklist, ChecklistLayout, render, WORDS)
