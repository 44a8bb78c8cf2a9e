"""kind: card-deck — print-and-cut cards: fronts with crop marks, interleaved backs.

Cards are drawn straight onto the canvas (no flowables): every card's text is fitted
first, so a card that cannot fit stops the build before a page is drawn; then each
card is its category's header form plus a few lines of text, and each back is one
form per category, so a 10,000-card deck stays small and quick.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from reportlab.lib.colors import Color, HexColor
from reportlab.pdfgen.canvas import Canvas

from kitpress import linebreaks
from kitpress.content.cards import CardDeck, Category
from kitpress.errors import FitError, Source, clip, quoted
from kitpress.kinds import Kind
from kitpress.layouts.cards import CardLayout
from kitpress.layouts.models import TextStyle
from kitpress.render.calibration import calibration_sheet
from kitpress.render.context import Drawn, Extra, Printing, RenderContext
from kitpress.render.icons import draw_icon
from kitpress.render.imposition import Slot
from kitpress.render.sheets import (
    back_offset,
    deck_printing,
    finish,
    flip_of,
    imposition_for,
    new_canvas,
    tag_sheets,
)
from kitpress.render.tagging import Node, decoration, link, marked
from kitpress.render.textfit import Setter, Setting, draw_setting
from kitpress.render.weblink import MIN_MODULE, QUIET, Rows, dark_runs, draw_code, short_address

# Office printers leave about a quarter inch at the sheet edge unprinted: a crop mark
# nearer than this would be clipped, whatever the layout's edge_clearance.
MARK_EDGE = 18.0


@dataclass(frozen=True)
class Face:
    """One card's fitted front."""

    category: int
    text: Setting
    number: str | None


class _Deck:
    def __init__(self, deck: CardDeck, ctx: RenderContext[CardLayout], source: Source) -> None:
        self.deck, self.ctx, self.source = deck, ctx, source
        self.layout = ctx.layout
        self.w, self.h = self.layout.card.width, self.layout.card.height
        self.safe = self.layout.card.safe_zone
        self.setters: dict[tuple[bool, bool], Setter] = {}
        self.web_rects: dict[int, tuple[float, float, float, float]] = {}  # by category

    # --- styles -------------------------------------------------------------------
    def style(self, name: str) -> TextStyle:
        return getattr(self.layout.styles, name)

    def setter(self, s: TextStyle) -> Setter:
        key = (s.bold, s.italic)
        if key not in self.setters:
            self.setters[key] = Setter(self.ctx.fonts, s.bold, s.italic)
        return self.setters[key]

    def color(self, name: str) -> Color:
        return HexColor(self.layout.color(name))

    def leading(self, s: TextStyle) -> float:
        return s.effective_leading

    # --- front geometry (card coordinates, upright card) --------------------------
    @property
    def rule_y(self) -> float:
        return self.h - self.safe - self.layout.header.icon_size - self.layout.header.gap

    @property
    def body(self) -> tuple[float, float]:
        """Bottom and top of the box the prompt is centred in."""
        bottom = self.safe
        if self.layout.numbers:
            bottom += self.leading(self.style("number")) + self.layout.header.gap
        return bottom, self.rule_y - self.layout.header.gap

    # --- fitting ------------------------------------------------------------------
    def faces(self) -> tuple[list[Face], list[str]]:
        s, fit = self.style("card_text"), self.layout.fit
        setter = self.setter(s)
        width = self.w - 2 * self.safe
        bottom, top = self.body
        total = sum(len(c.cards) for c in self.deck.categories)
        faces, notes = [], []
        for number, (i, j, cat, text) in enumerate(self.deck.cards(), 1):
            if _has_label(text):
                setting = self._fit_labelled(text, width, top - bottom, s)
            else:
                setting = setter.fit(
                    text, width, top - bottom, s.size, self.leading(s), fit.min_size, fit.step
                )
            where = ("categories", i, "cards", j)
            word = None if setting else setter.too_wide(text, width, fit.min_size)
            if word is not None:  # say which word, not only that the card is too small
                raise FitError(
                    f"card in '{clip(cat.name, 30)}' ({_first_words(text, 3, 20)}): one word, "
                    f"{quoted(word)}, is wider than a line of the card even at "
                    f"{fit.min_size:g} pt, and a word is never broken; {linebreaks.hint(word)}",
                    self.source.at(where),
                    where,
                )
            if setting is None:
                raise FitError(
                    f"card in '{clip(cat.name, 40)}' ({_first_words(text)}) does not fit even at "
                    f"{fit.min_size:g} pt on layout '{self.layout.name}'; shorten it or use "
                    "a bigger card",
                    self.source.at(where),
                    where,
                )
            if setting.size < s.size:
                mark = self.source.at(where)
                notes.append(
                    f"{mark}: card {number} in '{clip(cat.name, 40)}' "
                    f"({_first_words(text)}) had to shrink to {setting.size:g} pt"
                )
            label = None
            if self.layout.numbers:
                label = self.deck.number.format(number=number, total=total)
                self._one_line(label, self.style("number"), width, ("number",))
            faces.append(Face(i, setting, label))
        return faces, notes

    def _fit_labelled(self, text: str, width: float, height: float, s: TextStyle) -> Setting | None:
        """Like Setter.fit, but a label line ("Write:", "Ask them:") is set in bold.
        Label and words shrink together, one size for the whole card."""
        fit, plain = self.layout.fit, self.setter(s)
        bold = self.setters.setdefault((True, s.italic), Setter(self.ctx.fonts, True, s.italic))
        lines = text.split("\n")
        n = 0
        while True:
            size = s.size - n * fit.step
            if size < fit.min_size - 1e-9:
                return None
            leading = self.leading(s) * size / s.size
            out: list = []
            for k, line in enumerate(lines):
                setter = bold if _is_label(lines, k) else plain
                part = setter.set(line, width, size, leading)
                if part is None:
                    break
                out.extend(part.lines)
            else:
                setting = Setting(size, leading, tuple(out))
                if setting.height <= height + 1e-6:
                    return setting
            n += 1

    def _one_line(self, text: str, s: TextStyle, width: float, where: tuple) -> Setting:
        setting = self.setter(s).set(text, width, s.size, self.leading(s))
        if setting is None or len(setting.lines) > 1:
            raise FitError(
                f"'{clip(text, 40)}' is too wide for one line on a {self.w / 72:g} in wide card "
                f"at {s.size:g} pt; shorten it",
                self.source.at(where),
                where,
            )
        return setting

    # --- forms (drawn once, used by every card of a category) ---------------------
    # A card's header is three forms, so each can be marked for screen readers on its
    # own: the category's name (a heading), its icon (a figure, or decoration) and the
    # rule under them (decoration).
    def define_forms(self, c: Canvas) -> None:
        b = self.layout.card.bleed
        hdr = self.layout.header
        for i, cat in enumerate(self.deck.categories):
            s = self.style("category")
            x, top = self.safe, self.h - self.safe
            if cat.icon:
                c.beginForm(f"icon{i}", -b, -b, self.w + b, self.h + b)
                draw_icon(c, cat.icon, x, top - hdr.icon_size, hdr.icon_size, self.color(s.color))
                c.endForm()
                x += hdr.icon_size + hdr.gap
            c.beginForm(f"front{i}", -b, -b, self.w + b, self.h + b)
            self._front_name(c, i, cat, x)
            c.endForm()
            # a back is three forms: the deck's title and the back note are read once,
            # from the first back; everything else on a back is decoration
            c.beginForm(f"back{i}", -b, -b, self.w + b, self.h + b)
            self._back(c, i, cat, "rest")
            c.endForm()
            c.beginForm(f"title{i}", -b, -b, self.w + b, self.h + b)
            self._back(c, i, cat, "title")
            c.endForm()
            if self.web:  # where it sits depends on the category's name: one per category
                for part in ("code", "words"):
                    c.beginForm(f"web{part}{i}", -b, -b, self.w + b, self.h + b)
                    self._back(c, i, cat, f"web{part}")
                    c.endForm()
        if self.deck.back_note:
            c.beginForm("note", -b, -b, self.w + b, self.h + b)
            self._back(c, 0, self.deck.categories[0], "note")
            c.endForm()
        if hdr.rule_width:
            c.beginForm("rule", -b, -b, self.w + b, self.h + b)
            c.setStrokeColor(self.color("rule"))
            c.setLineWidth(hdr.rule_width)
            c.line(self.safe, self.rule_y, self.w - self.safe, self.rule_y)
            c.endForm()

    def _front_name(self, c: Canvas, i: int, cat: Category, x: float) -> None:
        hdr, s = self.layout.header, self.style("category")
        top = self.h - self.safe
        setting = self._one_line(cat.name, s, self.w - self.safe - x, ("categories", i, "name"))
        c.setFillColor(self.color(s.color))
        # centre the capitals on the icon's middle
        mid = top - hdr.icon_size / 2
        draw_setting(c, setting, x, mid + s.size * 0.93 - s.size * 0.35, self.w, "left")

    def _back(self, c: Canvas, i: int, cat: Category, part: str = "all") -> None:
        """A card back, or one `part` of it: "title" (the deck's title), "note" (the
        back note), "webcode" and "webwords" (the code of the deck's web page and the
        words under it, with kit.yaml's web:) or "rest" (the fill, the icon and the
        category's name)."""
        back, b = self.layout.back, self.layout.card.bleed
        if back.fill and part in ("all", "rest"):
            c.setFillColor(self.color(back.fill))
            c.rect(-b, -b, self.w + 2 * b, self.h + 2 * b, stroke=0, fill=1)
        width = self.w - 2 * self.safe
        ts, cs = self.style("back_title"), self.style("back_category")
        title = self.setter(ts).set(self.deck.title, width, ts.size, self.leading(ts))
        name = self.setter(cs).set(cat.name, width, cs.size, self.leading(cs))
        web = self.web
        web_h = web.height if web else 0.0
        # the web code takes the place of the category's icon (which every front shows)
        with_icon = bool(cat.icon) and web is None
        icon = back.icon_size if with_icon else 0.0
        gap1 = ts.space_after if with_icon else 0.0
        gap2 = cs.space_before
        room = self.h - 2 * self.safe
        note, below = self._back_note(width, room)
        if (
            title is None
            or name is None
            or (title.height + gap1 + icon + gap2 + name.height + web_h + below > room)
        ):
            where = ("title",) if title is None or title.height > room / 2 else ("categories", i)
            if below > room / 2:
                where = ("back_note",)
            parts = ["deck title", *(["icon"] if with_icon else []), f"'{clip(cat.name, 40)}'"]
            parts += ["back_note"] if self.deck.back_note else []
            parts += ["the code of its web page"] if web else []
            raise FitError(
                f"the card back ({', '.join(parts[:-1])} and {parts[-1]}) does not fit a "
                f"{self.w / 72:g} x {self.h / 72:g} in card; shorten the words"
                + (" or kit.yaml's web: address" if web else ""),
                self.source.at(where),
                where,
            )
        if note is not None and part in ("all", "note"):
            ns = self.style("back_note")
            c.setFillColor(self.color(ns.color))
            draw_setting(c, note, self.safe, self.safe + note.height, width, ns.align)
        # title, icon, category (and the web code) sit in the middle of the room above
        # the note
        block = title.height + gap1 + icon + gap2 + name.height + web_h
        top = (self.h + below + block) / 2
        if part in ("all", "title"):
            c.setFillColor(self.color(ts.color))
            draw_setting(c, title, self.safe, top, width, ts.align)
        if web is not None and part in ("all", "webcode", "webwords"):
            rect = web.draw(c, self, top - block, width, part.removeprefix("web"))
            self.web_rects[i] = rect
        if part not in ("all", "rest"):
            return
        top -= title.height + gap1
        if with_icon and cat.icon:
            draw_icon(c, cat.icon, (self.w - icon) / 2, top - icon, icon, self.color(cs.color))
            top -= icon
        c.setFillColor(self.color(cs.color))
        draw_setting(c, name, self.safe, top - gap2, width, cs.align)

    @cached_property
    def web(self) -> _WebBlock | None:
        """With kit.yaml's web:, the code of the deck's own web page that each card back
        carries, with the words over the short address under it (set once)."""
        url = self.ctx.web_link
        words = self.ctx.labels.web.phone if self.ctx.labels.web else None
        if url is None or words is None:
            return None
        width = self.w - 2 * self.safe
        ns = self.style("back_note")
        bold = ns.model_copy(update={"bold": True})
        label = self.setter(bold).set(words, width, ns.size, self.leading(ns))
        address = self.setter(ns).set(short_address(url), width, ns.size, self.leading(ns))
        if label is None or address is None:  # one word wider than the card
            raise FitError(
                f"a word of {quoted(words if label is None else short_address(url))} is "
                f"wider than a {self.w / 72:g} in card's back, where it goes under the "
                "code of the deck's web page; shorten labels.yaml's web: phone: or "
                "kit.yaml's web: address",
                self.source.at(),
            )
        return _WebBlock(url, dark_runs(url), MIN_MODULE, label, address, ns.space_before)

    def _draw_web(self, c: Canvas, i: int, link_node: Node | None) -> None:
        """The web code on a back of category i: decoration, but on the first back
        (`link_node`) a Link a screen reader reads (the code a Figure whose alt text
        is the address), with the link itself over code and words."""
        assert self.web is not None
        if link_node is None:
            c.doForm(f"webcode{i}")
            c.doForm(f"webwords{i}")
            return
        with marked(c, link_node.add("Figure", alt=self.web.url)):
            c.doForm(f"webcode{i}")
        with marked(c, link_node):
            c.doForm(f"webwords{i}")
            link(c, self.web.url, self.web_rects[i])

    def _back_note(self, width: float, room: float) -> tuple[Setting | None, float]:
        """The deck's back_note set for the foot of a card back, and the height it takes
        there with the space above it (0 without a note)."""
        if not self.deck.back_note:
            return None, 0.0
        ns = self.style("back_note")
        note = self.setter(ns).set(self.deck.back_note, width, ns.size, self.leading(ns))
        if note is None:  # a word wider than the card
            return None, room
        return note, note.height + ns.space_before

    # --- sheets -------------------------------------------------------------------
    def draw(self, faces: list[Face], printing: Printing) -> tuple[bytes, int]:
        ctx, layout = self.ctx, self.layout
        imp = imposition_for(ctx, self.source)
        fronts_only = ctx.options.fronts_only
        flip = flip_of(ctx)
        c, buffer = new_canvas(ctx)
        tagger = tag_sheets(c, ctx)
        # The deck's title and back note are read first, once: from the first card
        # back (the other backs are decoration). Then each card in deck order: its
        # category as a heading (under the title's H1; the first heading with no backs),
        # its icon as a figure when the YAML says what it shows, and its words. (No
        # section element around each card: a 10,000-card deck would carry 10,000 more
        # objects, and the headings already set the cards apart.)
        title = back_note = web_node = None
        if not fronts_only:
            title, back_note = Node("H1"), Node("P")
            tagger.place(title)
            tagger.place(back_note)
            if self.web:
                web_node = Node("P").add("Link")
                tagger.place(web_node.top)
        heading = "H1" if fronts_only else "H2"
        self.define_forms(c)
        cm = layout.crop_marks
        c.beginForm("marks")
        c.setStrokeColor(self.color("ink"))
        c.setLineWidth(cm.width)
        clearance = max(cm.edge_clearance, MARK_EDGE)
        for seg in imp.crop_marks(cm.offset, cm.length, clearance, cm.min_length):
            c.line(seg.x0, seg.y0, seg.x1, seg.y1)
        c.endForm()

        backs = imp.backs(flip, back_offset(ctx))
        text_style, num_style = self.style("card_text"), self.style("number")
        text_color, num_color = self.color(text_style.color), self.color(num_style.color)
        width = self.w - 2 * self.safe
        bottom, top = self.body
        num_set = self.setter(num_style)
        pages = 0
        bookmarked: set[int] = set()
        for start in range(0, len(faces), imp.per_sheet):
            sheet = faces[start : start + imp.per_sheet]
            _set_boxes(c, imp.fronts[: len(sheet)], imp.bleed)
            with decoration(c):
                c.doForm("marks")
            for face, slot in zip(sheet, imp.fronts, strict=False):
                cat = self.deck.categories[face.category]
                if face.category not in bookmarked:  # a bookmark to each category's first card
                    bookmarked.add(face.category)
                    c.bookmarkPage(f"category{face.category}")
                    c.addOutlineEntry(cat.name, f"category{face.category}", level=0)
                c.saveState()
                c.transform(*slot.matrix())
                with marked(c, Node(heading)):
                    c.doForm(f"front{face.category}")
                if cat.icon:
                    figure = Node("Figure", alt=cat.icon_alt) if cat.icon_alt else None
                    with marked(c, figure) if figure else decoration(c):
                        c.doForm(f"icon{face.category}")
                if layout.header.rule_width:
                    with decoration(c, "Layout"):
                        c.doForm("rule")
                c.setFillColor(text_color)
                mid = top - (top - bottom - face.text.height) / 2
                with marked(c, Node("P")):
                    draw_setting(c, face.text, self.safe, mid, width, text_style.align)
                if face.number is not None:  # one line: checked when fitted
                    c.setFillColor(num_color)
                    n = num_set.set(face.number, width, num_style.size, num_style.size)
                    assert n is not None
                    line_top = self.safe + num_style.size * 1.18
                    with decoration(c, "Pagination"):
                        draw_setting(c, n, self.safe, line_top, width, num_style.align)
                c.restoreState()
            c.showPage()
            pages += 1
            if not fronts_only:
                _set_boxes(c, backs[: len(sheet)], imp.bleed)
                with decoration(c):
                    for face, slot in zip(sheet, backs, strict=False):
                        c.saveState()
                        c.transform(*slot.matrix())
                        c.doForm(f"back{face.category}")
                        with marked(c, title):
                            c.doForm(f"title{face.category}")
                        if self.deck.back_note:
                            with marked(c, back_note):
                                c.doForm("note")
                        if self.web:
                            self._draw_web(c, face.category, web_node)
                        c.restoreState()
                        title = back_note = web_node = None  # read once, from the first back
                c.showPage()
                pages += 1
        tagger.finish()
        return finish(c, buffer, printing, pages), pages


@dataclass(frozen=True)
class _WebBlock:
    """The code of the deck's web page on a card back, centred, and under it the
    words over the short address."""

    url: str
    rows: Rows
    module: float
    label: Setting
    address: Setting
    space_before: float

    @property
    def code(self) -> float:
        return len(self.rows) * self.module

    @property
    def height(self) -> float:
        # the quiet zone above the code is the space before it
        return (
            max(self.space_before, QUIET * self.module)
            + self.code
            + self.words_gap
            + (self.label.height + self.address.height)
        )

    @property
    def words_gap(self) -> float:
        return QUIET * self.module  # the code's quiet zone, as the QR standard asks

    def draw(
        self, c: Canvas, deck: _Deck, bottom: float, width: float, part: str
    ) -> tuple[float, float, float, float]:
        """Draw the code ("code"), the words ("words") or both ("all"), the lowest line's
        foot at `bottom` (card coordinates); returns the rectangle both take."""
        ns = deck.style("back_note")
        words_top = bottom + self.label.height + self.address.height
        code_y = words_top + self.words_gap
        x = (deck.w - self.code) / 2
        if part in ("all", "code"):
            if deck.layout.back.fill:  # a code needs white around it to be read
                q = QUIET * self.module
                c.setFillColor("#FFFFFF")
                c.rect(x - q, code_y - q, self.code + 2 * q, self.code + 2 * q, stroke=0, fill=1)
            draw_code(c, self.rows, x, code_y, self.module)
        if part in ("all", "words"):
            c.setFillColor(deck.color(ns.color))
            draw_setting(c, self.label, deck.safe, words_top, width, "center")
            draw_setting(c, self.address, deck.safe, words_top - self.label.height, width, "center")
        return (deck.safe, bottom, deck.w - deck.safe, code_y + self.code)


def _set_boxes(c: Canvas, slots: tuple[Slot, ...], bleed: float) -> None:
    """The next page's TrimBox (where the guillotine cuts: around the cards on it) and
    BleedBox (that grown by the bleed), so a print shop's imposition software knows."""
    x0 = min(s.trim.x for s in slots)
    y0 = min(s.trim.y for s in slots)
    x1 = max(s.trim.right for s in slots)
    y1 = max(s.trim.top for s in slots)
    c.setTrimBox((x0, y0, x1, y1))
    c.setBleedBox((x0 - bleed, y0 - bleed, x1 + bleed, y1 + bleed))


def _is_label(lines: list[str], k: int) -> bool:
    """A card line that ends with a colon and has words after it is a label, printed in
    bold: "Write:", "Ask them:", "Instead of:"."""
    return k < len(lines) - 1 and lines[k].rstrip().endswith(":") and bool(lines[k].strip(" :"))


def _has_label(text: str) -> bool:
    if "\n" not in text:  # the common case, and every card of a big plain deck
        return False
    lines = text.split("\n")
    return any(_is_label(lines, k) for k in range(len(lines)))


def _first_words(text: str, n: int = 5, limit: int = 40) -> str:
    words = text.split()
    shown = clip(" ".join(words[:n]), limit)
    return '"' + shown + (" …" if len(words) > n and not shown.endswith("…") else "") + '"'


def render(content: CardDeck, ctx: RenderContext[CardLayout], source: Source) -> Drawn:
    deck = _Deck(content, ctx, source)
    faces, notes = deck.faces()
    printing = deck_printing(ctx)
    pdf, pages = deck.draw(faces, printing)
    if ctx.options.fronts_only:
        return Drawn(pdf, pages, printing, tuple(notes))
    extras: tuple[Extra, ...] = (calibration_sheet(content, ctx, source),)
    return Drawn(pdf, pages, printing, tuple(notes), extras)


# Printed on its own, on cardstock: a Drawn result never goes inside kit.pdf.
KIND = Kind("card-deck", CardDeck, CardLayout, render, in_kit=False)
