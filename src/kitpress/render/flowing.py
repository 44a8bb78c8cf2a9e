"""Shared machinery for handouts whose text flows down the page (checklist, worksheet):
paragraph styles from the layout, the page frame, the footer with 'Page X of Y'."""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError

from kitpress.editions import EDITIONS
from kitpress.errors import FitError, Mark, Source, display_path
from kitpress.layouts.models import MAX_PAGES, BaseLayout, TextStyle
from kitpress.linebreaks import protect, words
from kitpress.paths import bundled
from kitpress.render.canvas import KitCanvas, LayoutCanvas
from kitpress.render.context import Extra, Printing, RenderContext
from kitpress.render.internals import PlacingFrame, dismantle, layout_only
from kitpress.render.paragraph import Para, TooWide
from kitpress.render.replay import Recorder, Take, put_on
from kitpress.render.tagging import Tagger, decoration
from kitpress.render.tagging import content as mark
from kitpress.render.tagging import start as start_tagging
from kitpress.render.weblink import WebLink, place_link

if TYPE_CHECKING:
    from kitpress.render.halves import Halves

# Narrower or shorter than this, a text column is no use (and platypus may fail on it).
MIN_ROOM = 72.0
_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
# Nothing is printed closer than this to the sheet edge: office printers clip there.
MIN_EDGE = 36.0


def tagged(flowable: Flowable, key_path: tuple) -> Flowable:
    """Mark a flowable with the content it shows, so 'too tall' can say which."""
    flowable.kitpress_key = key_path
    return flowable


def opening(content, s: Styles) -> list[Flowable]:
    """Title (the handout's one H1), subtitle and intro of a flowing handout."""
    # the paragraph is tagged too: ReportLab lays the title out together with the
    # subtitle (keepWithNext), and a word too wide for either names its own key
    title = tagged(s.para(content.title, "title"), ("title",))
    out: list[Flowable] = [tagged(mark(title, "H1"), ("title",))]
    for key in ("subtitle", "intro"):
        if getattr(content, key):
            para = tagged(s.para(getattr(content, key), key), (key,))
            out.append(tagged(mark(para, "P"), (key,)))
    return out


def closing(content, s: Styles) -> list[Flowable]:
    """The closing words of a flowing handout, if any."""
    if not content.closing:
        return []
    return [tagged(mark(s.para(content.closing, "closing"), "P"), ("closing",))]


class _Document(BaseDocTemplate):
    """Remembers the key of the last tagged flowable it laid out: the one to blame
    when platypus gives up."""

    key_path: tuple = ()

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        key = getattr(flowables[0], "kitpress_key", None) if flowables else None
        if key is not None:
            self.key_path = key
        super().handle_flowable(flowables)


class Styles:
    """ParagraphStyles built once per document from the layout's named styles."""

    def __init__(self, ctx: RenderContext) -> None:
        self.ctx = ctx
        self._cache: dict[str, ParagraphStyle] = {}

    def spec(self, name: str) -> TextStyle:
        return getattr(self.ctx.layout.styles, name)

    def __getitem__(self, name: str) -> ParagraphStyle:
        if name not in self._cache:
            s = self.spec(name)
            self._cache[name] = ParagraphStyle(
                name,
                fontName=self.ctx.fonts.text.face(s.bold, s.italic),
                fontSize=s.size,
                leading=s.effective_leading,
                textColor=HexColor(self.ctx.layout.color(s.color)),
                alignment=_ALIGN[s.align],
                spaceBefore=s.space_before,
                spaceAfter=s.space_after,
                keepWithNext=name in ("heading", "title", "subtitle"),
                splitLongWords=0,  # never cut a word letter by letter: see render.paragraph
            )
        return self._cache[name]

    def para(self, text: str, name: str) -> Para:
        s = self.spec(name)
        fonts = self.ctx.fonts

        def markup(text: str) -> str:
            return fonts.markup(text, s.bold, s.italic)

        return Para(markup(text), self[name], plain=text, markup=markup)

    def color(self, name: str):
        return HexColor(self.ctx.layout.color(name))


def boxed_table(
    rows: list[list],
    col_widths: list[float],
    box: Any,
    ink: Color,
    extra: Sequence[tuple] = (),
    row_pad: float = 2,
) -> Table:
    """A table inside a bordered (optionally rounded) box: tips, examples, swaps.
    `box` is a layout's box settings (border_width, padding, radius)."""
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOX", (0, 0), (-1, -1), box.border_width, ink),
        ("LEFTPADDING", (0, 0), (-1, -1), box.padding),
        ("RIGHTPADDING", (0, 0), (-1, -1), box.padding),
        ("TOPPADDING", (0, 0), (-1, -1), row_pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), row_pad),
        ("TOPPADDING", (0, 0), (-1, 0), box.padding),
        ("BOTTOMPADDING", (0, -1), (-1, -1), box.padding),
        *extra,
    ]
    if box.radius:
        style.append(("ROUNDEDCORNERS", [box.radius] * 4))
    return Table(rows, colWidths=col_widths, style=TableStyle(style), hAlign="LEFT")


class Footer:
    """The foot of every page of a flowing handout: a rule, the organisation's line on
    the left and the page label ("Page 2 of 3", or "Page 7" inside kit.pdf) on the right."""

    def __init__(self, ctx: RenderContext[BaseLayout], source: Source) -> None:
        self.ctx, self.source = ctx, source
        layout, m = ctx.layout, ctx.layout.page.margins
        self.width, height = ctx.pagesize
        self.styles = Styles(ctx)
        self.style = footer = self.styles["footer"]
        self.rule_y = m.bottom - layout.footer.gap
        self.text_y = self.rule_y - layout.footer.gap - footer.fontSize
        if self.text_y - footer.fontSize * 0.3 < MIN_EDGE or min(m.left, m.right, m.top) < MIN_EDGE:
            raise FitError(
                f"layout '{layout.name}': text would come within 0.5in of the sheet edge, where "
                "office printers cut it off; make the page margins larger",
                source.at(),
            )
        room_w, room_h = self.width - m.left - m.right, height - m.top - m.bottom
        if min(room_w, room_h) < MIN_ROOM:
            raise FitError(
                f"layout '{layout.name}': the page margins leave {max(room_w, 0) / 72:.1f} x "
                f"{max(room_h, 0) / 72:.1f} in for the text on {ctx.paper.name} paper; make "
                "them smaller",
                source.at(),
            )
        org = ctx.manifest.organization
        org_text = (
            ctx.labels.footer.format(name=org.name, contact=org.contact)
            if org.contact
            else org.name
        )
        self.org_markup = ctx.fonts.markup(org_text)
        self.org_width = stringWidth(org_text, self.style.fontName, self.style.fontSize)
        self.org_chars = len(org_text)
        # the widest piece that may not break (a phone number is one): wider than the
        # room beside the page label, the footer cannot be set at all
        self.widest = max(
            (
                stringWidth(w, self.style.fontName, self.style.fontSize)
                for w in words(protect(org_text))
            ),
            default=0.0,
        )
        self.right = ParagraphStyle("footer-right", parent=footer, alignment=TA_RIGHT)
        self.frame_w = room_w
        self._labels: dict[str, tuple[Paragraph, float, float]] = {}
        self._org_lines: dict[float, tuple[Paragraph, float]] = {}
        self.check(ctx.labels.page.format(page=1, pages=1))  # fail before any layout

    # Remembered by each footer, for as long as it lives (not by a cache on the class,
    # which kept every footer alive, and its handout's whole context with it: a long
    # preview grew by each update's footers).

    def _label(self, text: str) -> tuple[Paragraph, float, float]:
        """The page label, its width, and the room left for the organisation (checked at
        layout, used again to draw)."""
        made = self._labels.get(text)
        if made is None:
            label = Para(self.ctx.fonts.markup(text), self.right)
            label.wrap(self.frame_w / 2, self.style.leading * 2)
            label_w = max(label.getActualLineWidths0())
            made = self._labels[text] = (label, label_w, self.frame_w - label_w - 18)
        return made

    def _org_line(self, room: float) -> tuple[Paragraph, float]:
        # Parsed and wrapped once per width, not once per page: digits are equally wide,
        # so a 200-page handout needs three ("Page 9 of 200", "Page 10 …", "Page 100 …").
        made = self._org_lines.get(room)
        if made is None:
            p = Para(self.org_markup, self.style)
            _, h = p.wrap(room, self.style.leading * 10)
            made = self._org_lines[room] = (p, h)
        return made

    def check(self, label: str) -> None:
        """The organisation line must stay one line, above the 0.5in edge, beside this
        page label (labels widen as page numbers grow, so each width is checked)."""
        self._fits(self._label(label)[2])

    def _fits(self, room: float) -> None:
        _, height = self._org_line(room)
        too_wide = self.widest > room + 0.01  # one word that no line can hold
        if self.text_y + self.style.fontSize - height < MIN_EDGE or too_wide:
            raise self._too_long(room)

    def _too_long(self, room: float) -> FitError:
        """Blame the longer of the organisation's name and contact, in kit.yaml (its
        text in this language, when it gives one per language), saying how much is too
        much and which layout gives the room."""
        org = self.ctx.manifest.organization
        longer = "contact" if org.contact and len(org.contact) > len(org.name) else "name"
        key: tuple = ("organization", longer)
        where = self.ctx.manifest_source
        if where is None:
            return FitError(
                "the footer (the organization's name and contact in kit.yaml) takes more "
                "than one line; shorten them",
                self.source.at(),
            )
        if (*key, self.ctx.lang) in where.marks:
            key = (*key, self.ctx.lang)
        over = max(self.org_width, self.widest) - room
        chars = max(1, math.ceil(over / (self.org_width / max(self.org_chars, 1))))
        return FitError(
            "is too long for the footer of every page, where the organization's name and "
            f"contact share one line beside the page number: {self._layout_named()} leaves "
            f"{room:.0f}pt for it, {over:.0f}pt too little; shorten it by about {chars} "
            "characters",
            where.at(key),
            key,
        )

    def _layout_named(self) -> str:
        """The layout and its file (a bundled one's path inside kitpress)."""
        layout = self.ctx.layout
        name = f"layout '{layout.name}'"
        file = layout.file
        if file is None:
            return name
        if file.is_relative_to(bundled("layouts")):
            return f"{name} (bundled layouts/{file.relative_to(bundled('layouts')).as_posix()})"
        return f"{name} ({display_path(file)})"

    def draw(self, canvas: Canvas, text: str) -> None:
        with decoration(canvas, "Pagination"):  # a screen reader skips page furniture
            self._draw(canvas, text)

    def _draw(self, canvas: Canvas, text: str) -> None:
        m = self.ctx.layout.page.margins
        canvas.saveState()
        canvas.setStrokeColor(self.styles.color("rule"))
        canvas.setLineWidth(self.ctx.layout.footer.rule_width)
        canvas.line(m.left, self.rule_y, self.width - m.right, self.rule_y)
        label, label_w, room = self._label(text)
        self._fits(room)
        left, h = self._org_line(room)
        left.drawOn(canvas, m.left, self.text_y - h + self.style.fontSize)
        _, lh = label.wrap(label_w + 1, self.style.leading * 2)
        label.drawOn(
            canvas, self.width - m.right - label_w - 1, self.text_y - lh + self.style.fontSize
        )
        canvas.restoreState()


@dataclass(frozen=True)
class Placed:
    """One flowable, laid out, at the place the frame gave it on its page."""

    flowable: Flowable
    x: float
    y: float
    spare: float  # the frame width the flowable left free (for its hAlign)


@dataclass(frozen=True)
class Flowed:
    """A flowing handout, laid out once: every page as the flowables placed on it.
    It draws itself as its own PDF ("Page 2 of 3") or into kit.pdf ("Page 7")."""

    ctx: RenderContext[BaseLayout]
    footer: Footer
    placed: tuple[tuple[Placed, ...], ...]
    notes: tuple[str, ...] = ()
    extras: tuple[Extra, ...] = ()
    link: WebLink | None = None  # the QR code of the handout's web page (render/weblink.py)
    # each page's body as drawn for its own PDF, drawn again into kit.pdf (replay.py)
    recorder: Recorder = field(default_factory=Recorder, compare=False, repr=False)
    # drawn in two processes, its own PDF in one and kit.pdf in the other (halves.py)
    halves: Halves | None = field(default=None, compare=False, repr=False)

    @property
    def pages(self) -> int:
        return len(self.placed)

    @property
    def printing(self) -> Printing:
        # a handout of more than one page prints double-sided, turned on the long edge
        return Printing("long" if self.pages > 1 else "one")

    def pdf(self) -> bytes:
        buffer = io.BytesIO()
        canvas = new_canvas(buffer, self.ctx, self.ctx.title)
        tagger = tag_document(canvas, self.ctx, self.ctx.title)
        total = self.pages

        def label(n: int) -> str:
            return self.ctx.labels.page.format(page=n, pages=total)

        halves = self.halves  # (with no child to swap with, every page drawn here)
        split = halves is not None and halves.here() and halves.swapping
        self._draw(canvas, label, True, self._halved() if split else None)
        canvas.setViewerPreference("Duplex", self.printing.duplex(total))
        tagger.finish()
        canvas.save()
        return buffer.getvalue()

    def keep_pages(self) -> None:
        self.recorder.begin()

    def draw_into(self, canvas: Canvas, first_page: int) -> None:
        # the pages stay kept while the layout is (render/once.py: for every kit.pdf)
        halves = self.halves  # kit.pdf's process of a split draws the first pages
        by = halves.draw if halves is not None and not halves.here() else None
        self._draw(canvas, self._kit_label(first_page), by=by)

    def _halved(self) -> Callable[[Canvas, int, Callable[[], None]], None]:
        """For the handout's own PDF in a split (halves.py): the pages after the split
        drawn and kept first, on a canvas of their own; the other process's takes of
        the pages before it; each page then put on from these, or drawn."""
        assert self.halves is not None
        mine = self._scratch(self.halves.split + 1)
        takes = {**self.halves.trade(mine), **mine}

        def drawn(canvas: Canvas, number: int, body: Callable[[], None]) -> None:
            take = takes.pop(number, None)
            if take is None or not put_on(canvas, take):
                body()

        return drawn

    def _scratch(self, first: int) -> dict[int, Take]:
        """The bodies of pages `first` on, drawn and kept on a canvas of their own,
        which is never saved (halves.py)."""
        canvas = new_canvas(io.BytesIO(), self.ctx, self.ctx.title)
        tag_document(canvas, self.ctx, self.ctx.title)
        kept = Recorder()
        kept.begin()
        for number in range(first, self.pages + 1):
            kept.draw(canvas, number, partial(_body, canvas, self.placed[number - 1]))
            canvas.showPage()
        return kept.takes

    def check_into(self, first_page: int) -> None:
        # kit.pdf's labels are checked against the footer only as they are drawn
        label = self._kit_label(first_page)
        for number in range(1, self.pages + 1):
            self.footer.check(label(number))

    def _kit_label(self, first_page: int) -> Callable[[int], str]:
        return lambda n: self.ctx.labels.kit_page.format(page=first_page + n - 1)

    def _draw(
        self,
        canvas: Canvas,
        label: Callable[[int], str],
        record: bool = False,
        by: Callable[[Canvas, int, Callable[[], None]], None] | None = None,
    ) -> None:
        """Every page: its body (drawn `by` that, if given), its web link, its footer."""
        for number, page in enumerate(self.placed, 1):
            body = partial(_body, canvas, page)
            if by is not None:
                by(canvas, number, body)
            elif record:
                self.recorder.draw(canvas, number, body)
            elif not self.recorder.replay(canvas, number):
                body()
            if self.link is not None and self.link.page == number - 1:
                self.link.draw(canvas)
            self.footer.draw(canvas, label(number))
            canvas.showPage()


def _body(canvas: Canvas, page: tuple[Placed, ...]) -> None:
    for p in page:
        p.flowable.drawOn(canvas, p.x, p.y, _sW=p.spare)


def new_canvas(buffer: io.BytesIO, ctx: RenderContext[BaseLayout], title: str) -> KitCanvas:
    """A canvas set up as platypus would set it up: reproducible, with the metadata."""
    canvas = KitCanvas(
        buffer, pagesize=ctx.pagesize, initialFontName=ctx.fonts.text.face(), lang=ctx.lang
    )
    canvas.setAuthor(ctx.manifest.organization.name)
    canvas.setTitle(title)
    canvas.setSubject(ctx.manifest.title)
    canvas.setCreator("kitpress")
    return canvas


def tag_document(canvas: Canvas, ctx: RenderContext[BaseLayout], title: str) -> Tagger:
    """Tag what is drawn on `canvas` (see render/tagging.py) with new_canvas's metadata."""
    return start_tagging(
        canvas, title, ctx.lang, ctx.manifest.organization.name, ctx.manifest.title
    )


def build_flowing(
    ctx: RenderContext[BaseLayout],
    story: list[Flowable],
    source: Source,
    notes: tuple[str, ...] = (),
    max_pages: int | None = None,
) -> Flowed:
    """Lay the story out in one frame per page, leaving room for the footer. Nothing is
    drawn yet: the result draws itself onto whichever canvas needs it.

    A handout longer than its limit (max_pages, else the layout's) is an Overflow
    error saying by how much; layout stops OVER_PAGES pages past the limit, so a
    handout far too long costs hardly more than one that fits. With
    Options.over_limit (the preview) it is an OverLimit holding the pages laid out,
    up to OVER_PAGES past the limit."""
    layout = ctx.layout
    m = layout.page.margins
    width, height = ctx.pagesize
    limit = max_pages if max_pages is not None else layout.max_pages
    footer = Footer(ctx, source)  # checks the margins and the footer first
    pages: list[list[Placed]] = []

    def begin_page(canv: Canvas, doc: BaseDocTemplate) -> None:
        if limit is not None and len(pages) >= limit + OVER_PAGES:
            raise _PageLimit
        pages.append([])

    def place(flowable: Flowable, x: float, y: float, spare: float) -> None:
        pages[-1].append(Placed(flowable, x, y, spare))

    frame = PlacingFrame(
        m.left,
        m.bottom,
        width - m.left - m.right,
        height - m.top - m.bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
        place=place,
    )
    doc = _Document(
        io.BytesIO(),
        pagesize=ctx.pagesize,
        initialFontName=ctx.fonts.text.face(),
        leftMargin=m.left,
        rightMargin=m.right,
        topMargin=m.top,
        bottomMargin=m.bottom,
        pageTemplates=[PageTemplate(id="page", frames=[frame], onPage=begin_page)],
    )
    layout_only(doc)
    try:
        stopped = False  # layout stopped OVER_PAGES past the limit
        try:
            # takes flowables off the front of `story` as it places them
            doc.build(story, canvasmaker=LayoutCanvas)
        except _PageLimit:
            stopped = True
        except ValueError as e:
            if "negative" not in str(e):  # platypus: "flowable given negative availWidth"
                raise
            where = doc.key_path
            raise FitError(
                f"layout '{layout.name}' leaves no room across the page for "
                f"{'this' if where else 'a block'}; make its sizes (boxes, columns, padding) "
                "smaller",
                source.at(where),
                where,
            ) from None
        except TooWide as e:
            first = TooWide.first(e)
            where = first.key_path or doc.key_path  # the text itself, if it was tagged
            raise FitError(str(first), source.at(where), where) from None
        except LayoutError:
            where = doc.key_path
            raise FitError(
                f"{'this' if where else 'a block'} is too tall to fit on one page (a long list, "
                "table or writing area); shorten it or split it in two",
                source.at(where),
                where,
            ) from None
    finally:
        dismantle(doc)  # the pages are in `pages`: nothing else needs it
    over = None
    if limit is not None and (stopped or len(pages) > limit):
        spill = _first_key(pages[limit])
        if stopped:
            over = _overflow(ctx, limit, None, 0, source, spill)
        else:
            top = height - m.top  # how far down the last page its content reaches, in lines
            used = top - min((p.y for p in pages[-1]), default=top)
            lines = max(1, math.ceil(used / layout.styles.body.effective_leading))
            over = _overflow(ctx, limit, len(pages) - limit, lines, source, spill)
        if not ctx.options.over_limit:
            raise over
    for number in range(len(pages)):  # every page label leaves the footer one line
        footer.check(ctx.labels.page.format(page=number + 1, pages=len(pages)))
    link = place_link(ctx, footer, pages, source)  # placed after layout: it moves no line
    flowed = Flowed(ctx, footer, tuple(tuple(p) for p in pages), notes, link=link)
    if over is not None:
        raise OverLimit(over, flowed, limit or 0)
    return flowed


def _first_key(page: list[Placed]) -> tuple | None:
    """The content (key path) of the first block on a page that says what it shows."""
    return next((k for p in page if (k := getattr(p.flowable, "kitpress_key", None))), None)


def _overflow(
    ctx: RenderContext[BaseLayout],
    limit: int,
    extra: int | None,
    lines: int,
    source: Source,
    spill: tuple | None,
) -> Overflow:
    """`extra` pages past `limit` (None: more than OVER_PAGES); with one extra page,
    `lines` says about how full it is. `spill`: the first content past the limit, where
    the error points (the text to shorten is there or before it)."""
    if extra is None:
        amount = f"more than {OVER_PAGES} pages more"
    elif extra == 1:
        amount = f"about {lines} line{'s' if lines != 1 else ''} more"
    else:
        amount = f"{extra} pages more"
    name, folder = ctx.layout.name, EDITIONS[ctx.edition].layouts
    kit_file = f"layouts/{folder + '/' if folder else ''}{name}.yaml"
    fix = (
        f"shorten the text, or raise max_pages in your kit's {kit_file} (see Layouts in the README)"
        if limit < MAX_PAGES
        else "shorten the text or split it into two handouts"
    )
    where = "; it spills over in this part" if spill else ""
    which = f"{folder} layout" if folder else "layout"
    return Overflow(
        f"the handout runs over the {limit} page{'s' if limit != 1 else ''} {which} "
        f"'{name}' allows ({amount}{where}); {fix}",
        source.at(spill or ()),
        extra,
        spill or (),
    )


class Overflow(FitError):
    """A handout that runs past its page limit by `pages` pages (None: by more than
    OVER_PAGES, where layout stopped)."""

    def __init__(self, message: str, mark: Mark, pages: int | None, key_path: tuple = ()) -> None:
        super().__init__(message, mark, key_path)
        self.pages = pages


class _PageLimit(Exception):
    """Raised from the page template when a page far past the limit would begin."""


# Layout goes on at most this many pages past a handout's limit, to say by how much it
# runs over; what is left after that is not laid out at all (the preview, too, shows
# at most this many pages past the limit: a hostile kit cannot make it run long).
OVER_PAGES = 10


class OverLimit(FitError):
    """A handout longer than its layout allows, with its pages laid out all the same
    (Options.over_limit): the preview draws them to show where the text spills. Past
    OVER_PAGES more pages, layout stopped: `laid_out` holds those and `stopped` is
    true (the text went on further)."""

    def __init__(self, error: Overflow, laid_out: Flowed, allowed: int) -> None:
        super().__init__(error.message, error.mark, error.key_path)
        self.laid_out = laid_out
        self.allowed = allowed
        self.stopped = error.pages is None
