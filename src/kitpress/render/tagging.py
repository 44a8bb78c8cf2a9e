"""Tagged PDF: the structure a screen reader follows, built beside the drawing.

ReportLab's open-source edition has no tagging API, so kitpress makes its own:

- `Node` is one element of a handout's logical structure (H1, P, L/LI/Lbl/LBody,
  Table/TR/TH/TD, Form, Figure, Sect ...). A renderer makes the nodes while it builds
  its story. A node's children keep the order they were made in: the reading order,
  whatever the order they are drawn in (a two-column list is drawn row by row).
  A node made with no parent is a top-level node of its handout.
- What is drawn is marked as the content of a node, or as an artifact (footers,
  rules, box borders, crop marks, decorative icons):
    content(flowable, node)    the flowable's drawing is the node's content;
    container(flowable, node)  the flowable's own drawing (a table's lines) is an
                               artifact, and the marked flowables inside it (its cells)
                               are content; a form field drawn inside joins `node`
                               when it is a Form;
    artifact(flowable)         all of it is an artifact;
  and for code that draws straight onto a canvas (card decks), the context managers
  `marked(canvas, node)` and `decoration(canvas)`.
- Annotations join the structure too: a form field's widget joins the Form node being
  drawn (`field_drawn`, from render/form.py), and a web link made with `link(canvas,
  url, rect)` joins the Link node being drawn (or a new Link inside what is being
  drawn), each with its /StructParent.
  A flowable that is not marked at all is drawn untagged, which the tests catch.
- A `Tagger` is made for each PDF (`start(canvas, ...)`) and `finish()`ed before the
  canvas is saved. A handout is laid out once and drawn into two PDFs (its own and
  kit.pdf), so nodes belong to no PDF: each tagger turns the nodes that got content in
  its PDF into structure elements, under its Document (or the Part it is filling in
  kit.pdf, see `Tagger.part`), top-level nodes in the order they were first drawn.
  Drawing on a canvas with no tagger (say, while laying out) marks nothing.

To tag a new handout kind: make a Node for each thing a reader should hear, wrap each
flowable with `content` (or `container` for a table whose cells hold the content) and
let everything else be an `artifact`. `tests/tagged.py` reads the result back, and
`tests/test_tagged.py` checks every PDF of the default kit with it.
"""

from __future__ import annotations

import contextlib
import functools
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFInfo,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFStream,
    PDFString,
    PDFtrue,
)
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from kitpress.markup import escape
from kitpress.render.internals import (
    add_annotation,
    document_of,
    fill_object,
    page_count,
    reserve_object,
    set_page_entries,
    side_effects,
    space_line_ends,
)

# An empty box to tick with a pen, as a screen reader should say it (any language).
CHECK_BOX = "☐"


@dataclass(eq=False, slots=True)  # a 10,000-card deck makes 40,000 of them
class Node:
    """One structure element: a standard PDF role and what a reader needs besides the
    drawn text (alt text for a figure, actual text for a drawn symbol, a language)."""

    role: str
    parent: Node | None = None
    alt: str | None = None
    actual: str | None = None
    lang: str | None = None
    title: str | None = None
    scope: str | None = None  # a TH's: "Row" or "Column"
    # made with the first child: most nodes have none (a 2,000-page kit.pdf has 95,000)
    children: list[Node] | None = None

    def add(self, role: str, **kw: Any) -> Node:
        """A new child, read after the children made before it."""
        child = Node(role, self, **kw)
        self.adopt(child)
        return child

    def adopt(self, child: Node) -> None:
        """Put `child` after this node's other children (its parent is left as it is:
        a top-level node is read in a section, but is no part of it)."""
        if self.children is None:
            self.children = [child]
        else:
            self.children.append(child)

    @property
    def top(self) -> Node:
        node = self
        while node.parent is not None:
            node = node.parent
        return node


def node_of(node: Node | str) -> Node:
    return Node(node) if isinstance(node, str) else node


# --- marking what is drawn ---------------------------------------------------------

# On a tagged canvas: its Tagger. (Not a table weakly keyed by canvas: the tagger holds
# its canvas, so an entry never died, and a PDF left unfinished by a failed build was
# kept for good. Canvas and tagger are a cycle, which the collector frees.)
_TAGGER = "kitpress_tagger"

# A marked stretch of content, (page, MCID), kept as one number: page * _PAGE + MCID
# (a 2,000-page kit.pdf has 100,000 of them, held until the tree is written).
_PAGE = 1 << 20

# what a marked stretch of drawing is: the content of a node, or an artifact (with
# its /Artifact properties, "" for none) that remembers the node a field joins
_Mark = tuple["Node | None", "str | None"]


# While a layout is noted (`noting`): every _Marked made, in the order made
_noted: list[_Marked] | None = None


@contextlib.contextmanager
def noting() -> Iterator[list[_Marked]]:
    """Every marked flowable made inside (a handout's layout: its story and the parts it
    splits into), for a forked process that shares it to name them (render/halves.py)."""
    global _noted
    outer, _noted = _noted, []
    try:
        yield _noted
    finally:
        _noted = outer


class _Marked(Flowable):
    """Draws `inner` inside marked content. Splits into parts marked the same way, so
    a paragraph or table that runs onto the next page stays one element."""

    def __init__(self, inner: Flowable, mark: _Mark) -> None:
        super().__init__()
        self.inner, self.mark = inner, mark
        if _noted is not None:
            _noted.append(self)
        key = getattr(inner, "kitpress_key", None)
        if key is not None:
            self.kitpress_key = key

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        canv = getattr(self, "canv", None)  # not set when called as wrap(), not wrapOn()
        self.width, self.height = self.inner.wrapOn(canv, avail_width, avail_height)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        parts = self.inner.splitOn(getattr(self, "canv", None), avail_width, avail_height)
        out = [_Marked(part, self.mark) for part in parts]
        key = getattr(self, "kitpress_key", None)
        for part in out:  # what the whole showed, each part shows (for errors)
            if key is not None and not hasattr(part, "kitpress_key"):
                part.kitpress_key = key
        return out

    def getSpaceBefore(self) -> float:  # noqa: N802 (ReportLab's names)
        return float(self.inner.getSpaceBefore())

    def getSpaceAfter(self) -> float:  # noqa: N802
        return float(self.inner.getSpaceAfter())

    def getKeepWithNext(self) -> bool:  # noqa: N802
        # platypus turns keepWithNext off on the flowable it has grouped with the next
        if "keepWithNext" in self.__dict__:
            return bool(self.__dict__["keepWithNext"])
        return bool(self.inner.getKeepWithNext())

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        tagger = canvas.__dict__.get(_TAGGER)
        if tagger is None:
            self.inner.drawOn(canvas, x, y, _sW)
            return
        node, art = self.mark
        if art is None and not tagger.first_time(self):
            node, art = None, ""  # a table's header row, repeated on the next page
        tagger.push(node, art)
        try:
            self.inner.drawOn(canvas, x, y, _sW)
        finally:
            tagger.pop()


def tagger_of(canvas: Canvas) -> Tagger | None:
    """The tagger of what is drawn on `canvas`, if it is tagged."""
    return canvas.__dict__.get(_TAGGER)


def unwrap(flowable: Flowable) -> Flowable:
    """The flowable a marking wraps (itself when it is not marked): for code that asks
    what kind of flowable it holds (render/keep.py counts a table's rows)."""
    while isinstance(flowable, _Marked):
        flowable = flowable.inner
    return flowable


def content(flowable: Flowable, node: Node | str) -> Flowable:
    """Draw `flowable` as the content of `node` (a Node, or a role for a new top-level
    node)."""
    return _Marked(flowable, (node_of(node), None))


def container(flowable: Flowable, node: Node | str | None = None) -> Flowable:
    """Draw `flowable`'s own lines and boxes as artifacts; what is marked inside it
    (its cells) is content. A form field drawn inside joins `node` if it is a Form."""
    return _Marked(flowable, (None if node is None else node_of(node), ""))


def artifact(flowable: Flowable) -> Flowable:
    """Draw `flowable` as an artifact: nothing in it is read aloud."""
    return _Marked(flowable, (None, ""))


@contextlib.contextmanager
def marked(canvas: Canvas, node: Node | None) -> Iterator[None]:
    """What is drawn inside is the content of `node` (nothing happens for None, or on a
    canvas that is not tagged)."""
    tagger = tagger_of(canvas)
    if tagger is None or node is None:
        yield
        return
    tagger.push(node, None)
    try:
        yield
    finally:
        tagger.pop()


@contextlib.contextmanager
def decoration(canvas: Canvas, kind: str | None = None) -> Iterator[None]:
    """What is drawn inside is an artifact; `kind` "Pagination" for footers and page
    numbers, "Layout" for rules and boxes, None for anything else."""
    tagger = tagger_of(canvas)
    if tagger is None:
        yield
        return
    tagger.push(None, f"<</Type /{kind}>>" if kind else "")
    try:
        yield
    finally:
        tagger.pop()


# Makes an annotation again on another canvas (kit.pdf's, render/replay.py), with all
# the objects of that PDF it needs, as drawing it there would: its reference and
# dictionary.
Again = Callable[[Canvas], tuple[PDFObjectReference, PDFDictionary]]


@contextlib.contextmanager
def made_again(canvas: Canvas) -> Iterator[None]:
    """What is made inside (an annotation and the objects it needs) is made again in
    another PDF by the `again` its annotation() is given: noted while a page is kept
    for replay, so that the page is kept only if nothing else was made."""
    tagger = tagger_of(canvas)
    if tagger is None or tagger._journal is None:
        yield
        return
    before = side_effects(canvas)
    yield
    made = tuple(a - b for a, b in zip(side_effects(canvas), before, strict=True))
    tagger._journal.append(("made", made))


def field_drawn(
    canvas: Canvas, ref: PDFObjectReference, widget: PDFDictionary, again: Again | None = None
) -> None:
    """A form field's widget was just made on this canvas's current page: it joins the
    Form node being drawn (or a new Form node), so it is in the structure tree."""
    tagger = tagger_of(canvas)
    if tagger is not None:
        tagger.annotation(ref, widget, "Form", again)


def link(canvas: Canvas, url: str, rect: tuple[float, float, float, float]) -> None:
    """A link annotation to `url` over `rect` (x0, y0, x1, y1 in the current user
    space, as canvas.linkURL(..., relative=1) takes it, with no border). It joins the
    Link node being drawn, or a new Link inside what is being drawn, so a screen reader
    finds it where its words are read; its /Contents says where it goes."""
    corners = [canvas.absolutePosition(x, y) for x in rect[::2] for y in rect[1::2]]
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    with made_again(canvas):
        _link(canvas, url, (min(xs), min(ys), max(xs), max(ys)))


def _link(
    canvas: Canvas, url: str, box: tuple[float, float, float, float], join: bool = True
) -> tuple[PDFObjectReference, PDFDictionary]:
    """The link annotation over `box` (page coordinates) on the current page; `join`:
    in the structure tree too."""
    annot = PDFDictionary(
        {
            "Type": PDFName("Annot"),
            "Subtype": PDFName("Link"),
            "Rect": PDFArray([round(v, 3) for v in box]),
            "Border": PDFArray([0, 0, 0]),
            "F": 4,  # printed (PDF/UA: an annotation's flags are set)
            "Contents": PDFString(url),
            "A": PDFDictionary({"S": PDFName("URI"), "URI": PDFString(url)}),
        }
    )
    ref = add_annotation(canvas, annot)
    tagger = tagger_of(canvas)
    if tagger is not None and join:
        tagger.annotation(ref, annot, "Link", partial(_link, url=url, box=box, join=False))
    return ref, annot


# --- one tagged PDF -------------------------------------------------------------------


class Tagger:
    """The structure of one PDF: records marked content as it is drawn, and writes the
    structure tree, the parent tree and the accessibility metadata at `finish`."""

    def __init__(self, canvas: Canvas, title: str, lang: str, author: str, subject: str) -> None:
        self.canvas = canvas
        self.title, self.lang, self.author, self.subject = title, lang, author, subject
        self.root = Node("Document")
        self.section = self.root  # where top-level nodes go
        self._placed: set[Node] = set()  # top-level nodes already under a section
        # each node's marked content: one mark (page * _PAGE + MCID), or a list of them
        self._content: dict[Node, int | list[int]] = {}
        # each page's nodes by MCID; as the tree is written, each one's element
        self._pages: dict[int, list[Node | bytes]] = {}
        self._widgets: dict[Node, list[tuple[PDFObjectReference, PDFDictionary, int]]] = {}
        # nodes made for this PDF's annotations where the layout had none: kept here, not
        # added to the layout's tree, which every PDF drawn from it shares (the preview
        # and an outreach run draw one layout into many)
        self._added: dict[Node, list[Node]] = {}
        self._stack: list[_Mark] = []
        # what was drawn in this part, by id, with a weak reference that tells whether
        # it is still that object: a drawn part of a split is freed, and CPython gives
        # its id to the next flowable made, which is not a repeat
        self._drawn: dict[int, weakref.ref[_Marked]] = {}
        # what is noted while a page is recorded to be drawn again (render/replay.py)
        self._journal: list[tuple[str, Any]] | None = None
        canvas.__dict__[_TAGGER] = self
        space_line_ends(canvas)  # "end of line" + "next" reads as two words, not one

    def part(self, role: str, title: str | None = None, first: bool = False) -> None:
        """Top-level nodes drawn from now on go in a new `role` (Part) of the Document,
        read after the parts made before it, or (`first`) before them all."""
        self.section = self.root.add(role, title=title)
        self._drawn = {}  # what a part repeats is within that part
        if first and self.root.children:
            self.root.children.insert(0, self.root.children.pop())

    def place(self, node: Node) -> None:
        """Put a top-level node in the current section now, before what is drawn next
        (a card deck's title, drawn on the back of the first sheet, is read first)."""
        if self._journal is not None:
            self._journal.append(("place", node))
        self._place(node)

    def _place(self, node: Node) -> None:
        if node not in self._placed:
            self._placed.add(node)
            self.section.adopt(node)

    def _drawn_here(self, marked: _Marked) -> bool:
        held = self._drawn.get(id(marked))
        return held is not None and held() is marked

    def first_time(self, marked: _Marked) -> bool:
        if self._drawn_here(marked):
            return False
        held = self._drawn[id(marked)] = weakref.ref(marked)
        if self._journal is not None:
            self._journal.append(("drawn", held))
        return True

    def repeats(self, journal: Iterable[tuple[str, Any]]) -> bool:
        """Whether a recorded page drew something for the first time that this PDF has
        drawn already: drawn here, it would be a repeat (an artifact), so the recording
        is not this PDF's (a page recorded in another process: render/halves.py)."""
        return any(
            what == "drawn" and (drawn := value()) is not None and self._drawn_here(drawn)
            for what, value in journal
        )

    # --- a page drawn once, noted again in another PDF (render/replay.py) ------------
    def record(self) -> list[tuple[str, Any]]:
        """Note from now on what drawing tells the tagger, until `stop`."""
        self._journal = []
        return self._journal

    def stop(self) -> None:
        self._journal = None

    def clean(self) -> bool:
        """Nothing marked is open: a page's drawing left no marked content open."""
        return not self._stack

    def replay(self, journal: Iterable[tuple[str, Any]]) -> None:
        """Note what a recorded page's drawing told another tagger, as if drawn here: its
        content stream (with the same MCIDs) is put on this PDF's current page."""
        for what, value in journal:
            if what == "content":
                self._content_of(value)
            elif what == "place":
                self.place(value)
            elif what == "drawn":  # (a part freed since cannot be drawn again)
                if (drawn := value()) is not None:
                    self._drawn[id(drawn)] = value
            elif what == "annotation":  # made again here, joining the same place
                again, role, where, made = value
                node = self._new_child(where, role) if made else where
                self._join(node, *again(self.canvas))
            elif what == "made":  # what `again` makes
                pass
            else:
                raise ValueError(f"a page that cannot be replayed: {what}")

    # the content stream has one marked-content sequence open at a time: the top of the
    # stack; content nested in another node's content closes it and opens it again after
    def push(self, node: Node | None, art: str | None) -> None:
        entry = (node, art)
        if self._stack and self._same(self._stack[-1], entry):
            self._stack.append(entry)
            return
        if self._stack:
            self.canvas.addLiteral("EMC")
        self._stack.append(entry)
        self._open(entry)

    def pop(self) -> None:
        entry = self._stack.pop()
        if self._stack and self._same(self._stack[-1], entry):
            return
        self.canvas.addLiteral("EMC")
        if self._stack:
            self._open(self._stack[-1])

    @staticmethod
    def _same(a: _Mark, b: _Mark) -> bool:
        return a[1] is not None and a[1] == b[1]  # artifacts alike: no need to reopen

    def _open(self, entry: _Mark) -> None:
        node, art = entry
        if art is not None:
            self.canvas.addLiteral(f"/Artifact {art} BDC" if art else "/Artifact BMC")
            return
        assert node is not None
        mcid = self._content_of(node)
        self.canvas.addLiteral(f"/{node.role} <</MCID {mcid}>> BDC")

    def _content_of(self, node: Node) -> int:
        """The current page's next marked content is `node`'s: its MCID."""
        if self._journal is not None:
            self._journal.append(("content", node))
        page = self.canvas.getPageNumber()
        marks = self._pages.setdefault(page, [])
        mcid = len(marks)
        marks.append(node)
        mark = page * _PAGE + mcid
        held = self._content.get(node)
        if held is None:
            self._content[node] = mark
        elif isinstance(held, int):
            self._content[node] = [held, mark]
        else:
            held.append(mark)
        self._place(node.top)  # (noted with the content, not again)
        return mcid

    def annotation(
        self, ref: PDFObjectReference, annot: PDFDictionary, role: str, again: Again | None
    ) -> None:
        """An annotation (a field's widget: "Form"; a link: "Link") made on the current
        page joins the innermost `role` node being drawn (or one it is inside: a QR
        code's Figure inside its Link), or a new one inside what is being drawn.
        `again` makes it in another PDF (None: it cannot be)."""
        inner = next((n for n, _ in reversed(self._stack) if n is not None), None)
        node = inner
        while node is not None and node.role != role:
            node = node.parent
        made = node is None
        if node is None:
            node = self._new_child(inner, role) if inner is not None else Node(role)
        if self._journal is not None:  # made again in another PDF: in the same node, or
            # a new one in the same place (render/replay.py)
            self._journal.append(("annotation", (again, role, inner if made else node, made)))
        self.place(node.top)
        self._join(node, ref, annot)

    def _new_child(self, parent: Node, role: str) -> Node:
        """A node in `parent` for this PDF alone, read after its other children."""
        child = Node(role, parent)
        self._added.setdefault(parent, []).append(child)
        return child

    def _children(self, node: Node) -> Iterable[Node]:
        added = self._added.get(node)
        return node.children or () if added is None else [*(node.children or ()), *added]

    def _join(self, node: Node, ref: PDFObjectReference, annot: PDFDictionary) -> None:
        page = self.canvas.getPageNumber()
        self._widgets.setdefault(node, []).append((ref, annot, page))

    # --- writing the tree -------------------------------------------------------------
    def finish(self) -> None:
        """Write the structure tree and the metadata; call after the last showPage."""
        if self._stack:
            raise RuntimeError("marked content left open at the end of the document")
        doc = document_of(self.canvas)
        tree = _Written()
        tree_ref = doc.Reference(tree)
        # Every object is numbered as it is registered, so elements are written to bytes
        # here, at once, and registered as bytes: a 2,000-page kit.pdf has 95,000 of
        # them, and ReportLab's own dictionaries would keep (and later format) a dozen
        # objects for each.
        widget_refs: dict[Node, bytes] = {}  # the elements that fields and links join

        def ref(obj: PDFObject) -> bytes:
            return bytes(obj.format(doc))

        page_refs: dict[int, bytes] = {}

        def page(number: int) -> bytes:
            if number not in page_refs:  # ReportLab names page objects "Page<n>"
                page_refs[number] = ref(PDFObjectReference(f"Page{number}"))
            return page_refs[number]

        strings: dict[str, bytes] = {}

        def string(text: str) -> bytes:  # (a check box's actual text, on every item)
            made = strings.get(text)
            if made is None:
                made = strings[text] = ref(PDFString(text))
            return made

        # (the tables and methods element() reads for each of its many calls, as locals)
        content, joins, pages_of = self._content, self._widgets, self._pages
        keep, children = self._keep, self._children

        def element(node: Node, parent: bytes) -> bytes:
            out = [_opening(node.role, node.scope), parent]  # (a bad role: refused first)
            reserved, me = reserve_object(doc)
            held = content.pop(node, ())  # written here: not needed again
            if isinstance(held, int):  # one marked stretch: most elements
                home, mcid = divmod(held, _PAGE)
                out += (b" /Pg ", page(home), b" /K [ %d" % mcid)
                pages_of[home][mcid] = me  # the parent tree needs the element, not the node
            else:
                marks = [divmod(m, _PAGE) for m in held]
                first = marks[0][0] if marks else None
                if first is not None:
                    out += (b" /Pg ", page(first))
                out.append(b" /K [")
                for on, mcid in marks:  # on its own page a bare MCID, else a reference
                    if on == first:
                        out.append(b" %d" % mcid)
                    else:
                        out += (b" << /Type /MCR /Pg ", page(on), b" /MCID %d >>" % mcid)
                    pages_of[on][mcid] = me
            joined = joins.get(node)
            if joined is not None:
                widget_refs[node] = me
                for wref, _, on in joined:
                    out += (b" << /Type /OBJR /Obj ", ref(wref), b" /Pg ", page(on), b" >>")
            row = node.role == "TR"
            for c in children(node):
                # a table's grid closes (every row as many cells), so empty cells stay
                if keep(c) or (row and c.role in ("TH", "TD")):
                    out += (b" ", element(c, me))
            out.append(b" ]")
            if node.alt is not None:
                out += (b" /Alt ", string(node.alt))
            if node.actual is not None:
                out += (b" /ActualText ", string(node.actual))
            if node.lang is not None:
                out += (b" /Lang ", string(node.lang))
            if node.title is not None:
                out += (b" /T ", string(node.title))
            if node.scope:
                out.append(b" /A << /O /Table /Scope /" + node.scope.encode() + b" >>")
            out.append(b" >>")
            fill_object(doc, reserved, b"".join(out))
            return me

        root = element(self.root, ref(tree_ref))
        pages = page_count(self.canvas)
        nums = [b"<< /Nums ["]
        for number in range(1, pages + 1):
            entries: dict[str, Any] = {"Tabs": PDFName("S")}  # fields in structure order
            if number in self._pages:
                entries["StructParents"] = number - 1
                nums.append(b" %d [" % (number - 1))
                for written in self._pages[number]:  # each MCID's element, by element()
                    if not isinstance(written, bytes):
                        raise RuntimeError(f"marked content of a {written.role} left out")
                    nums += (b" ", written)
                nums.append(b" ]")
            set_page_entries(self.canvas, number, entries)
        key = pages
        for node, widgets in self._widgets.items():
            for _, widget, _ in widgets:
                widget.dict["StructParent"] = key
                nums.append(b" %d %s" % (key, widget_refs[node]))
                key += 1
        nums.append(b" ] >>")
        parent_tree_name, parent_tree = reserve_object(doc)
        fill_object(doc, parent_tree_name, b"".join(nums))
        tree.data = b"<< /Type /StructTreeRoot /K %s /ParentTree %s /ParentTreeNextKey %d >>" % (
            root,
            parent_tree,
            key,
        )
        c = self.canvas
        c.setCatalogEntry("StructTreeRoot", tree)
        c.setCatalogEntry("MarkInfo", PDFDictionary({"Marked": PDFtrue}))
        c.setCatalogEntry("Metadata", self._xmp())
        c.setViewerPreference("DisplayDocTitle", PDFtrue)  # the title, not the file name
        # all is written: let the nodes go before the PDF is (a big deck's peak memory),
        # and the canvas's hold on the tagger (a cycle a one-shot process never collects)
        for held in (
            self._content,
            self._pages,
            self._widgets,
            self._added,
            self._placed,
            self._drawn,
        ):
            held.clear()
        # element() calls itself, so its closure keeps these tables in
        # a cycle, which a one-shot process never collects (see __main__.py)
        for table in (widget_refs, page_refs, strings):
            table.clear()
        self.root.children = None
        del self.canvas.__dict__[_TAGGER]

    def _keep(self, node: Node) -> bool:
        """Whether the tree has an element for `node`: it or a node inside it was drawn
        (asked before its element is written, which lets go of its marks)."""
        return (
            node in self._content
            or node in self._widgets
            or any(self._keep(c) for c in self._children(node))
        )

    def _xmp(self) -> PDFStream:
        """XMP metadata: the title, and the PDF/UA-1 identification (ISO 14289-1)."""
        y, mo, d, h, mi, s = TimeStamp(invariant=1).YMDhms  # the date ReportLab stamps
        date = f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}Z"

        def x(text: str) -> str:
            return escape(text, {'"': "&quot;"})

        packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{x(self.title)}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{x(self.author)}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{x(self.subject)}</rdf:li></rdf:Alt>
</dc:description>
<dc:language><rdf:Bag><rdf:li>{x(self.lang)}</rdf:li></rdf:Bag></dc:language>
<pdf:Producer>{x(PDFInfo.producer)}</pdf:Producer>
<xmp:CreatorTool>kitpress</xmp:CreatorTool>
<xmp:CreateDate>{date}</xmp:CreateDate>
<xmp:ModifyDate>{date}</xmp:ModifyDate>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
        stream = PDFStream(
            PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
            packet.encode("utf-8"),
            filters=[],  # left readable, as XMP is meant to be
        )
        return stream


@functools.cache
def _opening(role: str, scope: str | None) -> bytes:
    """The start of a structure element of `role`, up to its parent's reference (checked
    once per role: a role is written as a PDF name as it is)."""
    if not role.isalnum() or not (scope or "x").isalnum():
        raise ValueError(f"not a structure role: {role!r} {scope!r}")
    return b"<< /Type /StructElem /S /" + role.encode() + b" /P "


class _Written(PDFObject):
    """A PDF object already written to bytes."""

    def __init__(self, data: bytes = b"") -> None:
        self.data = data

    def format(self, document: Any) -> bytes:
        return self.data


def start(canvas: Canvas, title: str, lang: str, author: str, subject: str) -> Tagger:
    """Tag what is drawn on `canvas` from now on; call `finish()` before saving it."""
    return Tagger(canvas, title, lang, author, subject)
