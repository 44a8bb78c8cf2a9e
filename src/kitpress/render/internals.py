"""The few places kitpress reaches into ReportLab's private parts, gathered here so an
upgrade has one file to check. Each says why the public API is not enough.

ReportLab has no stable API for any of these; `reportlab<6` in pyproject.toml keeps
us on the major version they were written against.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from types import MethodType
from typing import Any
from weakref import WeakKeyDictionary

from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFObjectReference
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable, Frame, Table
from reportlab.platypus.doctemplate import BaseDocTemplate

Place = Callable[[Flowable, float, float, float], None]


class PlacingFrame(Frame):
    """A frame that lays flowables out but does not draw them: it tells `place` where
    each would be drawn, so a handout laid out once can be drawn on several canvases
    (its own PDF and kit.pdf) with no second layout.

    Frame.add decides the position and then calls flowable.drawOn(canvas, x, y, _sW)
    with no hook in between; the only way to learn the position without copying
    Frame.add is to shadow drawOn on the instance for that one call.
    """

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._place = place

    def add(self, flowable: Flowable, canv: Canvas, trySplit: int = 0) -> int:  # noqa: N803
        def placed(canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N803
            self._place(flowable, x, y, _sW)

        flowable.drawOn = placed
        try:
            return int(Frame.add(self, flowable, canv, trySplit))
        finally:
            del flowable.drawOn

    _add = add  # ReportLab's Frame aliases add = _add; keep both on the placing one


def layout_only(doc: BaseDocTemplate) -> None:
    """Let a document template lay out pages without writing a PDF at the end."""
    doc._doSave = 0  # BaseDocTemplate._endBuild skips canv.save() when this is false


def document_of(canv: Canvas) -> Any:
    """The PDFDocument behind a canvas: form fields must be registered in it to be
    referenced from a parent field (ReportLab's acroform has no API for hierarchies)."""
    return canv._doc


def release(canv: Canvas) -> None:
    """Let go of everything a saved canvas holds. Its PDFDocument and the objects of
    every page refer to each other in cycles, which only Python's cycle collector
    frees, and a one-shot kitpress process runs without it (see __main__.py): a
    2,500-page deck left about 90 MB behind. Nothing is drawn on a saved canvas."""
    doc = canv.__dict__.get("_doc")
    if doc is not None:
        doc.__dict__.clear()
    canv.__dict__.clear()


def dismantle(doc: BaseDocTemplate) -> None:
    """Let go of a document template that has laid its pages out. It, its frames, page
    templates and canvas refer to each other and to what was placed in cycles, which
    a build leaves to the end (build.collector_paused): every page laid out (about
    115 kB) stayed in memory after its last drawing. Taken apart, a handout's layout
    is freed as soon as nothing needs it. The template is not used again."""
    canv = doc.__dict__.get("canv")
    for template in doc.__dict__.get("pageTemplates", ()):
        for frame in template.__dict__.get("frames", ()):
            frame.__dict__.clear()
        template.__dict__.clear()
    if canv is not None:
        release(canv)
    doc.__dict__.clear()


def object_of(canv: Canvas, ref: PDFObjectReference) -> PDFDictionary:
    """The object a reference made by canv.acroForm points to."""
    return canv._doc.idToObject[ref.name]


def register(doc: Any, obj: Any) -> bytes:
    """Number `obj` as an object of the PDF and give the reference to it, as written
    (PDFObjectReference.format, without a round through its text encoding: a tagged
    200-page PDF writes 15,000 of them)."""
    number, version = doc.idToObjectNumberAndVersion[doc.Reference(obj).name]
    return b"%d %d R" % (number, version)


def page_count(canv: Canvas) -> int:
    """How many pages the canvas has finished (showPage) so far."""
    return len(canv._doc.Pages.pages)


def move_to_front(canv: Canvas, after: int) -> None:
    """Put the pages drawn after the first `after` pages in front of them (kit.pdf's
    cover, drawn last). Page objects, bookmarks, the structure tree and form fields
    refer to a page by the name ReportLab gave it as it was drawn ("Page<n>"), not by
    its place, so only the order of the page tree changes. Call after set_page_entries,
    which finds pages by their place."""
    pages = canv._doc.Pages.pages
    pages[:] = pages[after:] + pages[:after]


def set_page_entries(canv: Canvas, number: int, entries: dict[str, Any]) -> None:
    """Put entries (/StructParents, /Tabs) in the dictionary of finished page `number`
    (from 1). ReportLab has no API for page keys of its own choosing: a PDFPage writes
    only the keys named in its __NoDefault__ list, so this page gets a longer list."""
    page = canv._doc.Pages.pages[number - 1]
    page.__NoDefault__ = [*type(page).__NoDefault__, *entries]
    for key, value in entries.items():
        setattr(page, key, value)


def space_line_ends(canv: Canvas) -> None:
    """End every line a Paragraph draws on this canvas with a space character.

    Paragraph drops the space where it breaks a line, so text read in structure order
    (screen readers, poppler) runs the last word of a line into the first of the next.
    Paragraph ends each line with PDFTextObject._textOut(text, TStar=1) and has no hook
    for it, so the canvas's beginText is wrapped on this instance and its text objects
    are made _SpacedLines: the space is drawn after the line, where it changes nothing
    on the page. (A subclass, not a wrapper on each text object: the wrapper and the
    object referred to each other, and every text object drawn stayed in memory.)
    """
    begin = canv.beginText

    def begin_text(*args: Any, **kwargs: Any) -> Any:
        tx = begin(*args, **kwargs)
        tx.__class__ = _SpacedLines
        return tx

    canv.beginText = begin_text


class _SpacedLines(PDFTextObject):
    """A text object that ends each line it draws with a space (see space_line_ends)."""

    def _textOut(self, text: str, TStar: int = 0) -> None:  # noqa: N802, N803 (ReportLab's names)
        super()._textOut(text + " " if TStar and not text.endswith(" ") else text, TStar)

    # Paragraph.drawPara gives a text object that draws underlines or link lines the
    # method tx._do_line = MethodType(_do_line, tx): bound to the object and kept in it,
    # a cycle that only the cycle collector frees. The function is kept instead, and
    # bound each time it is asked for.
    @property
    def _do_line(self) -> Any:
        function, bound = self.__dict__["_do_line_function"]
        return MethodType(function, self) if bound else function

    @_do_line.setter
    def _do_line(self, method: Any) -> None:
        if getattr(method, "__self__", None) is self:
            self.__dict__["_do_line_function"] = (method.__func__, True)
        else:
            self.__dict__["_do_line_function"] = (method, False)


def table_rows(table: Table) -> int:
    """How many rows a table holds, header rows included: Table keeps its data only in
    private attributes, and a split table's halves are new tables made by ReportLab."""
    return int(table._nrows)


def subset_program(face: Any, codepoints: Sequence[int]) -> tuple[bytes, dict[int, int]]:
    """A TrueType program with the glyphs of `codepoints` (and the glyphs those are
    built from), and the glyph id each code point has in it.

    ReportLab embeds only the 8-bit subsets it draws text with; a form field needs a
    font for text not yet typed. TTFontFile.makeSubset (undocumented) builds a program
    from any list; it numbers glyphs after .notdef in order of first use, which the
    loop below repeats to know each character's glyph id.
    """
    data = face.makeSubset(list(codepoints))
    order = {0: 0}
    gids = {}
    for cp in codepoints:
        glyph = face.charToGlyph.get(cp, 0)
        if glyph not in order:
            order[glyph] = len(order)
        gids[cp] = order[glyph]
    return data, gids


def add_annotation(canv: Canvas, widget: PDFDictionary) -> PDFObjectReference:
    """Put an annotation (a field's widget, a link) on the page being drawn; its
    reference, for the form and the structure tree. (ReportLab's acroform makes widgets
    only in the standard 14 fonts, with their own appearance streams; canvas.linkURL
    returns no reference; Canvas has no public way to add an annotation dictionary.)"""
    canv._addAnnotation(widget)
    return canv._doc.Reference(widget)


def _subset0_table(state: Any) -> tuple[frozenset[str], dict[int, str]]:
    """The characters with a code below 256 in this document's subsets, and the
    str.translate table from each to its code; made again only when codes were given
    out. A no-break space is drawn as a space (as TTFont.splitString does)."""
    assignments = state.assignments
    cached = state.__dict__.get("_kitpress_subset0")
    if cached is not None and cached[0] == len(assignments):
        return cached[1]
    table = {code: chr(n) for code, n in assignments.items() if n < 256}
    if 32 in table:
        table[0xA0] = table[32]
    made = (frozenset(map(chr, table)), table)
    state._kitpress_subset0 = (len(assignments), made)
    return made


# --- one set of character codes for every PDF of a build --------------------------------

_CODES: ContextVar[dict[str, Any] | None] = ContextVar("kitpress_codes", default=None)


class SharedCodes:
    """While `active`, every PDF drawn gives a character of a font the same code and
    calls the font by the same resource name: a page's content stream drawn for one PDF
    is then right for another (render/replay.py draws kit.pdf's pages so). Each PDF
    embeds the glyphs of every code given out so far, a few it may not draw."""

    def __init__(self) -> None:
        self._states: dict[str, Any] = {}

    @contextlib.contextmanager
    def active(self) -> Iterator[None]:
        token = _CODES.set(self._states)
        try:
            yield
        finally:
            _CODES.reset(token)


def shared_codes() -> contextlib.AbstractContextManager[None]:
    """New shared codes, active inside."""
    return SharedCodes().active()


class _States(WeakKeyDictionary):
    """TaggedTTFont.state: ReportLab's per-document codes for the font (TTFont.State),
    or inside shared_codes() the one State of the build for every document."""

    def __init__(self, font_name: str, ascii_readable: Any) -> None:
        super().__init__()
        self.font_name, self.ascii_readable = font_name, ascii_readable

    def __getitem__(self, doc: Any) -> Any:
        try:
            return super().__getitem__(doc)
        except KeyError:
            codes = _CODES.get()
            if codes is None:
                raise
        state = codes.get(self.font_name)
        if state is None:
            state = codes[self.font_name] = ttfonts.TTFont.State(self.ascii_readable, None)
            # ReportLab names fonts F1, F2, … per document in order of use; shared
            # codes need a name that is the same in every document
            state.internalName = f"K{len(codes)}"
        self[doc] = state
        return state

    def get(self, doc: Any, default: Any = None) -> Any:
        try:
            return self[doc]
        except KeyError:
            return default


class TaggedTTFont(ttfonts.TTFont):
    """A TrueType font whose embedded subsets are named after what they hold.

    ReportLab names subset n of every font 'AAAAAA+Face', 'AAAAAB+Face', …: two
    different programs in one file may then share a name, and printers that cache fonts
    by name can draw one with the other's glyphs. TTFont.addObjects takes the prefix from
    the module function SUBSETN(n), with no other hook; it is swapped for the call.
    """

    def __init__(self, name: str, filename: Any, **kwargs: Any) -> None:
        super().__init__(name, filename, **kwargs)
        self.state = _States(name, self._asciiReadable)

    def getSubsetInternalName(self, subset: int, doc: Any) -> str:  # noqa: N802
        state = self.state[doc]
        if state.internalName is not None and self.fontName not in doc.fontMapping:
            # a shared State is named already: the font joins each document here
            doc.fontMapping[self.fontName] = "/" + state.internalName
            doc.delayedFonts.append(self)
        return str(super().getSubsetInternalName(subset, doc))

    def splitString(self, text: Any, doc: Any, encoding: str = "utf-8") -> Any:  # noqa: N802
        """TTFont.splitString, for text whose every character already has its code in
        the document's first subset: one str.translate instead of a Python loop over
        the characters (that loop was a sixth of drawing a long checklist).

        ReportLab gives each new character of a document the next code of the font's
        subsets (TTFont.State.assignments) and never changes a code once given; text
        whose characters all have codes below 256 is one run of subset 0, encoded by
        those codes. Anything else (a new character, a character the font lacks, a
        second subset) takes ReportLab's own path, which gives the codes out."""
        state = self.state.get(doc)
        if state is not None and isinstance(text, str) and text:
            chars, table = _subset0_table(state)
            if chars.issuperset(text):
                return [(0, text.translate(table).encode("latin-1"))]
        return super().splitString(text, doc, encoding)

    def addObjects(self, doc: Any) -> None:  # noqa: N802 (ReportLab's name)
        state = self.state.get(doc)
        subsets = state.subsets if state is not None else []
        face = bytes(self.face.name)

        def tag(n: int, table: Any = None) -> bytes:
            digest = hashlib.sha256(face + b"/" + repr(list(subsets[n])).encode()).digest()
            return bytes(65 + b % 26 for b in digest[:6])

        original = ttfonts.SUBSETN
        ttfonts.SUBSETN = tag
        try:
            super().addObjects(doc)
        finally:
            ttfonts.SUBSETN = original
            if state is not None:
                # addObjects freezes the codes for the document it writes; shared,
                # they go on being given out to the build's other documents
                state.frozen = 0


# --- writing a PDF's bytes --------------------------------------------------------------

_NOT_PDFDOC = re.compile("[\x18-\x1f]")  # ASCII the PDFDocEncoding codec refuses
_pdfdoc_encoding = pdfdoc.pdfdocEnc


def _pdfdoc_enc(x: Any) -> Any:
    # ReportLab's PDFDocEncoding codec is a charmap through a dict, in Python, for every
    # string it writes: content streams, dictionaries, references (3 % of a long
    # build). For ASCII (nearly all of it) that codec gives the ASCII bytes, apart from
    # 0x18-0x1F, which it refuses: those, and everything else, still go through it.
    if isinstance(x, str) and x.isascii() and not _NOT_PDFDOC.search(x):
        return x.encode("ascii")
    return _pdfdoc_encoding(x)


def fast_pdfdoc_encoding() -> None:
    """Have ReportLab write ASCII text by str.encode, not its charmap codec: the same
    bytes (tests/test_text_encoding.py compares them), a faster save."""
    pdfdoc.pdfdocEnc = _pdfdoc_enc  # pdfdoc's functions look it up as a module global


# --- a page's content drawn once, for two PDFs (render/replay.py) -----------------------


def codes_in_use() -> object | None:
    """The build's shared codes (shared_codes), or None outside one: a page drawn for one
    PDF is right for another only inside the same."""
    return _CODES.get()


def drawn_length(canv: Canvas) -> int:
    """How much of the current page's content stream is drawn (a mark for drawn_since)."""
    return len(canv._code)


def drawn_since(canv: Canvas, mark: int) -> tuple[str, ...]:
    """The content-stream pieces drawn on the current page since `mark`."""
    return tuple(canv._code[mark:])


def draw_again(canv: Canvas, pieces: Sequence[str]) -> None:
    """Put pieces of content stream drawn on another canvas onto this page as they are."""
    canv._code.extend(pieces)


def side_effects(canv: Canvas) -> tuple[int, ...]:
    """What drawing may add besides the content stream: objects of the document (links,
    fields, images), bookmarks and outline entries, the page's annotations, forms,
    colours, shadings and graphics states (transparency). A page whose drawing changed
    none of these is its content stream and nothing else."""
    doc = canv._doc
    return (
        doc.objectcounter,
        len(canv._destinations),
        len(doc.outline.destinationnamestotitles),
        len(canv._annotationrefs),
        len(canv._formsinuse),
        len(canv._colorsUsed),
        len(canv._shadingUsed),
        len(canv._extgstate._c),
    )


def font_names(canv: Canvas) -> dict[str, str]:
    """The resource name each font drawn on this canvas so far goes by."""
    return dict(canv._doc.fontMapping)


def join_font(canv: Canvas, name: str) -> None:
    """Make the font `name` one this canvas's PDF embeds, as drawing with it would, if
    it is a TaggedTTFont with the build's shared codes (only those are named alike in
    every PDF; font_names then tells)."""
    font = pdfmetrics.getFont(name)
    if isinstance(font, TaggedTTFont) and codes_in_use() is not None:
        font.getSubsetInternalName(0, canv._doc)
