"""The few places kitpress reaches into ReportLab's private parts, gathered here so an
upgrade has one file to check. Each says why the public API is not enough.

ReportLab has no stable API for any of these; `reportlab<6` in pyproject.toml keeps
us on the major version they were written against.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import struct
import zlib
from collections.abc import Callable, Sequence
from functools import lru_cache, partial
from pathlib import Path
from types import MethodType, ModuleType
from typing import Any, BinaryIO

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFBase85Encode,
    PDFCrossReferenceTable,
    PDFDictionary,
    PDFFile,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFStream,
    PDFZCompress,
)
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


def save_streaming(canv: Canvas, file: BinaryIO | None, save: Callable[[], None]) -> None:
    """`save` (ReportLab's Canvas.save of canv), with each PDF object written to the
    file (`file`, else the one the canvas was made with) as soon as it is formatted.

    ReportLab's PDFDocument.format collects every formatted object in a PDFFile, joins
    them into one bytes object and returns it for SaveToFile to write: the whole file
    was in memory twice over while kit.pdf was saved (32 MB for a 2,000-page kit).
    format makes its PDFFile from the module's name PDFFile with no other hook, so the
    name is swapped for the call, for a PDFFile that writes what it is given (it still
    counts the offsets the cross-reference table needs) and returns nothing to join.
    The cross-reference table is made the same way (PDFCrossReferenceTable), by one
    that writes its lines straight into one buffer: ReportLab's makes a string and a
    dictionary entry for each of kit.pdf's 100,000 objects first (15 MB at once).
    The bytes written are the same. `file` (an open binary file) is for a canvas made
    before the file it is saved to was: kit.pdf's temporary file in the output folder."""
    if file is not None:
        canv._filename = file
    original = pdfdoc.PDFFile, pdfdoc.PDFCrossReferenceTable, pdfdoc.PDFIndirectObject
    # a partial, not a class made here: a class is a cycle, and would keep the file
    pdfdoc.PDFFile = partial(_StreamingFile, canv._filename)
    pdfdoc.PDFCrossReferenceTable = _LeanCrossReferences
    pdfdoc.PDFIndirectObject = _LeanIndirectObject
    try:
        save()  # SaveToFile then writes the b"" returned, after what was streamed
    finally:
        pdfdoc.PDFFile, pdfdoc.PDFCrossReferenceTable, pdfdoc.PDFIndirectObject = original


class _StreamingFile(PDFFile):
    """A PDFFile that writes each piece to `target` instead of keeping it to join."""

    strings: list[bytes]

    def __init__(self, target: BinaryIO, *args: Any) -> None:
        super().__init__(*args)  # adds the file's header to self.strings
        for piece in self.strings:
            target.write(piece)
        self.strings = []
        self.write = target.write

    def format(self, document: Any) -> bytes:
        return b""


class _LeanIndirectObject(pdfdoc.PDFIndirectObject):
    """ReportLab's numbered object, framed in one step when it is bytes already (the
    structure tree's elements, fill_object: 95,000 in a 2,000-page kit.pdf), as its
    format frames them; any other object is ReportLab's to format."""

    def format(self, document: Any) -> bytes:
        content = self.content
        if type(content) is not bytes:
            return bytes(super().format(document))
        number, version = document.idToObjectNumberAndVersion[self.name]
        document.encrypt.register(number, version)
        end = b"endobj\n" if content.endswith(b"\n") else b"\nendobj\n"
        return b"%d %d obj\n%s%s" % (number, version, content, end)


class _LeanCrossReferences(PDFCrossReferenceTable):
    """ReportLab's cross-reference table, its lines written into one buffer. Anything
    but the one section from object 0 that PDFDocument.format makes (every object
    numbered in turn) is left to ReportLab's own, with its checks and errors."""

    def format(self, document: Any) -> bytes:
        numbered = document.idToObjectNumberAndVersion
        offsets = document.idToOffset
        out = bytearray(b"xref\n")
        for section in self.sections:
            ids = section.idsequence
            if section.firstentrynumber != 0:
                return bytes(super().format(document))
            out += b"0 %d\n0000000000 65535 f \n" % (len(ids) + 1)
            for expected, oid in enumerate(ids, 1):
                number, version = numbered[oid]
                if number != expected:
                    return bytes(super().format(document))
                out += b"%010d %05d n \n" % (offsets[oid], version)
        if not self.sections:
            return bytes(super().format(document))  # ReportLab's error
        return bytes(out)


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


def reserve_object(doc: Any) -> tuple[str, bytes]:
    """A new object of `doc`, numbered now and given its bytes later (fill_object): its
    name there, and a reference to it ("12 0 R"). Registered as PDFDocument.Reference
    registers a new object (the next number, named "R<number>"), without its checks
    and the PDFObjectReference to format: a 2,000-page kit.pdf reserves 95,000."""
    number = doc.objectcounter = doc.objectcounter + 1
    name = f"R{number}"
    doc.idToObjectNumberAndVersion[name] = (number, 0)
    doc.numberToId[number] = name
    doc.idToObject[name] = _RESERVED
    return name, b"%d 0 R" % number


def fill_object(doc: Any, name: str, data: bytes) -> None:
    """Give a reserved object its bytes: the whole object, written as they are. Bytes
    in PDFDocument.idToObject are written as they are by PDFDocument.format (its
    format() passes bytes through); a PDFObject holding them would cost a dictionary
    more each, and a 2,000-page kit.pdf has 95,000 structure elements."""
    doc.idToObject[name] = data


class _Reserved(PDFObject):
    """Stands for an object until fill_object gives it its bytes."""

    def format(self, document: Any) -> bytes:
        raise RuntimeError("a reserved PDF object was never given its bytes")


_RESERVED = _Reserved()


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


def encode_last_page(canv: Canvas) -> None:
    """Compress the page just finished (showPage) now, not when the file is saved.

    ReportLab keeps every page's content stream as uncompressed text until save, when
    PDFPage.check_format wraps it in a PDFStream that applies the filters: kit.pdf of a
    2,000-page kit held 14 MB of page text at the moment it was saved. Here the page
    gets that PDFStream at once, with ReportLab's filters already applied and named in
    /Filter (PDFStream.format applies none then); the bytes written are the same."""
    page = canv._doc.Pages.pages[-1]
    if page.Override_default_compilation or page.Contents or not page.stream:
        return
    if not page.compression:  # then ReportLab leaves the stream as it is
        return
    filters = [PDFBase85Encode, PDFZCompress] if rl_config.useA85 else [PDFZCompress]
    content = page.stream
    for f in reversed(filters):  # PDFStream.format applies them last first
        content = f.encode(content)
    stream = PDFStream(PDFDictionary({"Filter": PDFArray([PDFName(f.pdfname) for f in filters])}))
    stream.content = content
    stream.__Comment__ = "page stream"
    page.Contents = stream
    page.stream = None


def set_page_entries(canv: Canvas, number: int, entries: dict[str, Any]) -> None:
    """Put entries (/StructParents, /Tabs) in the dictionary of finished page `number`
    (from 1). ReportLab has no API for page keys of its own choosing: a PDFPage writes
    only the keys named in its __NoDefault__ list, so this page gets a longer list."""
    page = canv._doc.Pages.pages[number - 1]
    page.__NoDefault__ = [*type(page).__NoDefault__, *entries]
    for key, value in entries.items():
        setattr(page, key, value)


SPACED_LINES = "kitpress_spaced_lines"  # a canvas whose lines space_line_ends spaces


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
    setattr(canv, SPACED_LINES, True)  # for render/plaintext.py, which sets lines itself


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


# --- reading a font file ---------------------------------------------------------------


def quick_font(name: str, filename: str) -> TaggedTTFont:
    """A TaggedTTFont whose file is read by QuickFace: TTFont.__init__ makes its face
    with the module's TTFontFace, with no other hook, so QuickFace (the same face, read
    faster) is swapped in for the call."""
    original = ttfonts.TTFontFace
    ttfonts.TTFontFace = QuickFace
    try:
        return TaggedTTFont(name, filename)
    finally:
        ttfonts.TTFontFace = original


class _FlateOnce(pdfdoc.PDFStreamFilterZCompress):
    """FlateDecode, the same font program compressed once (the same bytes object: the
    face remembers its subsets)."""

    def encode(self, text: Any) -> bytes:
        return _flate(text) if isinstance(text, bytes) else super().encode(text)


@lru_cache(maxsize=32)
def _flate(data: bytes) -> bytes:
    return zlib.compress(data)


_FLATE_ONCE = _FlateOnce()


class QuickFace(ttfonts.TTFontFace):
    """TTFontFace, with the glyph tables read whole instead of number by number.

    TTFontFile.extractInfo reads the character map, the widths and the glyph locations
    one number at a time through Python method calls: some 20,000 calls a font file,
    4-6 ms of every start for each of the five faces a default build parses (1.5-2.5 ms
    here). The small tables (names, head, OS/2, post, hhea, maxp) are still read by
    ReportLab (extractInfo with charInfo=0), the large ones with one struct.unpack_from
    each, into the very same attributes, in the same order: charToGlyph, glyphToChar,
    charWidths, defaultWidth, hmetrics, glyphPos (tests/test_fonts.py compares them for
    every bundled font). A character map in a format other than 4 or 12 (segments of
    code points; 12 reaches past U+FFFF) is left to ReportLab's own reading.
    """

    def extractInfo(self, charInfo: int = 1) -> None:  # noqa: N802, N803 (ReportLab's names)
        super().extractInfo(0)
        if not charInfo:
            return
        data = self._ttf_data
        cmap = self._unicode_cmap()
        read = _CMAPS.get(_u16(data, cmap)) if cmap is not None else None
        if cmap is None or read is None:
            super().extractInfo(charInfo)  # another format: ReportLab reads it
            return
        head = self.get_table_pos("head")[0]
        loca_format, glyph_format = struct.unpack_from(">Hh", data, head + 50)
        if glyph_format != 0:
            raise ttfonts.TTFError(f"Unknown glyph data format ({glyph_format})")
        self.charToGlyph, self.glyphToChar = read(data, cmap)
        self._metrics(data, loca_format)

    # A build embeds the same subset of a face in several PDFs (a card deck and its
    # calibration sheet, every facility's kit): it is made and compressed once (a
    # default build compresses 30 font programs, 26 ms; 6 were made before in the
    # same build, and across an outreach build or a long preview most are).
    _subsets: dict[tuple[int, ...], bytes] | None = None

    def makeSubset(self, subset: Any) -> bytes:  # noqa: N802 (ReportLab's name)
        key = tuple(subset)
        if self._subsets is None or len(self._subsets) >= 64:  # a long preview: bounded
            self._subsets = {}
        made = self._subsets.get(key)
        if made is None:
            made = self._subsets[key] = self._subset(subset)
        return made

    def _subset(self, subset: Any) -> bytes:
        """TTFontFile.makeSubset, step for step and byte for byte, with the glyph data
        read by struct.unpack_from instead of ReportLab's reader methods (a call per
        number) and each table's numbers gathered by list operations: a font program
        for each face of each PDF, 1,500 glyphs for a worksheet's typed answers, were
        about a twentieth of a language's process (tests/test_fonts.py compares the
        two)."""
        data = self._ttf_data
        to_glyph = self.charToGlyph
        glyph_map = [0]  # new glyph id -> old
        glyph_set = {0: 0}  # old glyph id -> new
        code_to_glyph: dict[int, int] = {}
        for code in subset:
            old = to_glyph.get(code, 0)
            if old not in glyph_set:
                glyph_set[old] = len(glyph_map)
                glyph_map.append(old)
            code_to_glyph[code] = glyph_set[old]
        # the glyphs a composite glyph is made of come too
        start = self.get_table_pos("glyf")[0]
        glyph_pos = self.glyphPos
        unpack_from = struct.unpack_from
        n = 0
        while n < len(glyph_map):
            old = glyph_map[n]
            n += 1
            at = glyph_pos[old]
            if not glyph_pos[old + 1] - at:
                continue
            pos = start + at
            try:
                (contours,) = unpack_from(">h", data, pos)
            except struct.error as error:
                raise ttfonts.TTFError(error) from None  # (as read_short raises it)
            pos += 2
            if contours >= 0:
                self._pos = pos
                continue
            pos += 8
            flags = _MORE_COMPONENTS
            while flags & _MORE_COMPONENTS:
                flags, part = unpack_from(">HH", data, pos)
                pos += 4
                if part not in glyph_set:
                    glyph_set[part] = len(glyph_map)
                    glyph_map.append(part)
                pos += _component_rest(flags)
            self._pos = pos  # (where ReportLab's reader is left)

        output = ttfonts.TTFontMaker()
        for tag in ("name", "OS/2", "cvt ", "fpgm", "prep"):
            # (cvt, fpgm and prep may be missing; the required ones were checked before)
            with contextlib.suppress(KeyError):
                output.add(tag, self.get_table(tag))
        output.add("post", b"\x00\x03\x00\x00" + self.get_table("post")[4:16] + b"\x00" * 16)
        count = len(glyph_map)

        hmetrics = self.hmetrics
        hmtx: list[int] = []
        for old in glyph_map:
            aw, lsb = hmetrics[old]
            hmtx.append(int(aw))
            hmtx.append(int(lsb))
        n = len(hmtx) - 2  # a run of equal advance widths at the end is written once
        while n and hmtx[n] == hmtx[n - 2]:
            n -= 2
        n += 2
        hmtx = hmtx[:n] + hmtx[n + 1 :: 2]
        output.add("hmtx", struct.pack(f">{len(hmtx)}H", *hmtx))
        output.add("hhea", ttfonts._set_ushort(self.get_table("hhea"), 34, n >> 1))
        output.add("maxp", ttfonts._set_ushort(self.get_table("maxp"), 4, count))

        entries = len(subset)
        cmap = [0, 1, 1, 0, 0, 12, 6, 10 + entries * 2, 0, 0, entries]
        cmap += [code_to_glyph[code] for code in subset]
        output.add("cmap", struct.pack(f">{len(cmap)}H", *cmap))

        glyf_table = self.get_table("glyf")
        offsets = []
        glyf: list[bytes] = []
        pos = 0
        for old in glyph_map:
            offsets.append(pos)
            at = glyph_pos[old]
            length = glyph_pos[old + 1] - at
            glyph = glyf_table[at : at + length]
            if length > 2 and unpack_from(">h", glyph)[0] < 0:  # composite: renumber parts
                edited = bytearray(glyph)
                inside = 10
                flags = _MORE_COMPONENTS
                while flags & _MORE_COMPONENTS:
                    flags, part = unpack_from(">HH", edited, inside)
                    struct.pack_into(">H", edited, inside + 2, glyph_set[part])
                    inside += 4 + _component_rest(flags)
                glyph = bytes(edited)
            glyf.append(glyph)
            pos += length
            if pos % 4:
                padding = 4 - pos % 4
                glyf.append(b"\0" * padding)
                pos += padding
        offsets.append(pos)
        output.add("glyf", b"".join(glyf))
        if (pos + 1) >> 1 > 0xFFFF:
            loc_format, loca = 1, struct.pack(f">{len(offsets)}L", *offsets)
        else:
            halves = [o >> 1 for o in offsets]
            loc_format, loca = 0, struct.pack(f">{len(halves)}H", *halves)
        output.add("loca", loca)
        output.add("head", ttfonts._set_ushort(self.get_table("head"), 50, loc_format))
        return output.makeStream()

    def get_table(self, tag: str) -> bytes:
        # TTFontFile.makeSubset copies 'name' whole into every subset it embeds
        table = super().get_table(tag)
        return lean_names(table) if tag == "name" else table

    def addSubsetObjects(self, doc: Any, fontname: str, subset: Any) -> Any:  # noqa: N802
        descriptor = super().addSubsetObjects(doc, fontname, subset)
        program = doc.idToObject[f"fontFile:{self.filename}({fontname})"]  # ReportLab's name
        if program.filters == [pdfdoc.PDFZCompress]:
            program.filters = [_FLATE_ONCE]
        return descriptor

    def _unicode_cmap(self) -> int | None:
        """Where the character map extractInfo reads starts (its choice, its order)."""
        data = self._ttf_data
        start = self.get_table_pos("cmap")[0]
        version, count = struct.unpack_from(">HH", data, start)
        if count == 0 and version != 0:
            count = version
        chosen, enc = None, 0
        for n in range(count):
            platform, encoding, offset = struct.unpack_from(">HHL", data, start + 4 + 8 * n)
            if platform == 3 or (platform == 1 and encoding == 1):
                enc, chosen = 1, offset
            elif platform == 1 and encoding == 0 and enc != 1:
                enc, chosen = 2, offset
            elif platform == 0 and encoding != 5:
                enc, chosen = 1, offset
        return None if chosen is None else start + chosen

    def _metrics(self, data: bytes, loca_format: int) -> None:
        """charWidths, defaultWidth and hmetrics (hmtx), glyphPos (loca), as extractInfo
        makes them; glyphs past the last full metric take its advance width, scaled."""
        n_metrics = _u16(data, self.get_table_pos("hhea")[0] + 34)
        if n_metrics == 0:
            raise ttfonts.TTFError("Number of horizontal metrics is 0")
        glyphs = self.numGlyphs
        hmtx = self.get_table_pos("hmtx")[0]
        pairs = struct.unpack_from(f">{2 * n_metrics}H", data, hmtx)
        rest = max(0, glyphs - n_metrics)
        lsbs = struct.unpack_from(f">{rest}H", data, hmtx + 4 * n_metrics)
        # thousandths of the font size, as extractInfo's scale() computes them
        if self.unitsPerEm == 1000:
            widths: list[float] = list(pairs[0::2])
        else:
            per_unit = 1000 / self.unitsPerEm
            widths = [aw * per_unit for aw in pairs[0::2]]
        last = widths[-1]
        self.defaultWidth = widths[0]
        self.hmetrics = [*zip(pairs[0::2], pairs[1::2], strict=True), *((last, b) for b in lsbs)]
        char_widths: dict[int, float] = {}
        self.charWidths = char_widths
        covered = max(n_metrics, glyphs)
        for glyph in sorted(self.glyphToChar):
            if glyph >= covered:
                break
            width = widths[glyph] if glyph < n_metrics else last
            for char in self.glyphToChar[glyph]:
                char_widths[char] = width
        if "loca" not in self.table:
            raise ttfonts.TTFError("missing location table")
        loca = self.get_table_pos("loca")[0]
        if loca_format == 0:
            self.glyphPos = [p << 1 for p in struct.unpack_from(f">{glyphs + 1}H", data, loca)]
        elif loca_format == 1:
            self.glyphPos = list(struct.unpack_from(f">{glyphs + 1}L", data, loca))
        else:
            raise ttfonts.TTFError(f"Unknown location table format ({loca_format})")
        self._pos = loca + (glyphs + 1) * (2 << loca_format)
        to_glyph = self.charToGlyph
        if 0x20 in to_glyph:
            to_glyph[0xA0] = to_glyph[0x20]
            char_widths[0xA0] = char_widths[0x20]
        elif 0xA0 in to_glyph:
            to_glyph[0x20] = to_glyph[0xA0]
            char_widths[0x20] = char_widths[0xA0]


_MORE_COMPONENTS = ttfonts.GF_MORE_COMPONENTS


def _component_rest(flags: int) -> int:
    """The bytes of a composite glyph's component after its flags and glyph id: its
    offsets (words or bytes), then its scale, as TTFontFile.makeSubset steps over them."""
    rest = 4 if flags & ttfonts.GF_ARG_1_AND_2_ARE_WORDS else 2
    if flags & ttfonts.GF_WE_HAVE_A_SCALE:
        rest += 2
    elif flags & ttfonts.GF_WE_HAVE_AN_X_AND_Y_SCALE:
        rest += 4
    elif flags & ttfonts.GF_WE_HAVE_A_TWO_BY_TWO:
        rest += 8
    return rest


# the names an embedded subset keeps: copyright, family, style, unique and full name,
# version, PostScript name, trademark, maker, designer, description, their web
# addresses, the licence's address, typographic family and style
_KEPT_NAMES = frozenset({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 17})
_OFL = ("scripts.sil.org/ofl", "openfontlicense.org", "open font license")


def lean_names(table: bytes) -> bytes:
    """A font's 'name' table without the licence's full text (name 13) and the names of
    its features and glyph variants (256 on), which the tables of an embedded subset do
    not use: more than 90 % of Andika's names, and half of each subset of it a PDF
    embeds. Only for a font under the SIL Open Font License, which does not ask for its
    text to go with a font embedded in a document (OFL-FAQ 2.2); the copyright and the
    licence's address stay. Any other font (DejaVu's licence asks for its notice in
    every copy), a table of another format than 0, or one that does not read as one,
    is kept whole."""
    try:
        if _u16(table, 0) != 0:
            return table
        count, strings = _u16(table, 2), _u16(table, 4)
        names = [struct.unpack_from(">6H", table, 6 + 12 * n) for n in range(count)]
    except struct.error:
        return table
    texts = [table[strings + offset : strings + offset + length] for *_, length, offset in names]
    licence = b" ".join(
        text for (*_, name, _, _), text in zip(names, texts, strict=True) if name in (13, 14)
    )
    if not any(mark in _decoded(licence) for mark in _OFL):
        return table
    records, storage = [], bytearray()
    for (platform, encoding, language, name, _, _), text in zip(names, texts, strict=True):
        if name in _KEPT_NAMES:
            records.append((platform, encoding, language, name, len(text), len(storage)))
            storage += text
    header = struct.pack(">3H", 0, len(records), 6 + 12 * len(records))
    return header + b"".join(struct.pack(">6H", *r) for r in records) + bytes(storage)


def _decoded(text: bytes) -> str:
    """Name records' text, lower case, for a search: UTF-16 (Windows, Unicode) and
    one-byte (Macintosh) records alike, their zero bytes dropped."""
    return text.replace(b"\0", b"").decode("latin-1").lower()


def _u16(data: bytes, at: int) -> int:
    return int(struct.unpack_from(">H", data, at)[0])


Maps = tuple[dict[int, int], dict[int, list[int]]]


def _cmap4(data: bytes, at: int) -> Maps:
    """A format 4 character map (segments of code points) read as extractInfo reads
    it, a glyph id past the end of the subtable (a broken font) being glyph 0."""
    limit = at + _u16(data, at + 2)
    segs = _u16(data, at + 6) // 2
    ends = struct.unpack_from(f">{segs}H", data, at + 14)
    starts = struct.unpack_from(f">{segs}H", data, at + 16 + 2 * segs)
    deltas = struct.unpack_from(f">{segs}h", data, at + 16 + 4 * segs)
    offsets_at = at + 16 + 6 * segs
    offsets = struct.unpack_from(f">{segs}H", data, offsets_at)
    pairs: list[tuple[int, int]] = []
    for n in range(segs):
        first, last, delta, offset = starts[n], ends[n], deltas[n], offsets[n]
        chars = range(first, last + 1)
        if offset == 0:
            pairs += [(c, (c + delta) & 0xFFFF) for c in chars]
            continue
        where = offsets_at + 2 * n + offset  # the glyph id of `first`
        inside = min(len(chars), max(0, -(-(limit - where) // 2)))
        raw = struct.unpack_from(f">{inside}H", data, where)
        glyphs = [(g + delta) & 0xFFFF if g else 0 for g in raw]
        pairs += zip(chars[:inside], glyphs, strict=True)
        pairs += [(c, 0) for c in chars[inside:]]
    return _maps(pairs)


def _cmap12(data: bytes, at: int) -> Maps:
    """A format 12 character map: groups of code points with consecutive glyph ids."""
    (groups,) = struct.unpack_from(">L", data, at + 12)
    table = struct.unpack_from(f">{3 * groups}L", data, at + 16)
    return _maps(
        [
            (c, glyph + c - first)
            for first, last, glyph in zip(table[0::3], table[1::3], table[2::3], strict=True)
            for c in range(first, last + 1)
        ]
    )


def _maps(pairs: list[tuple[int, int]]) -> Maps:
    """charToGlyph and glyphToChar from (code point, glyph id) in the map's order: a
    code point listed twice keeps its first place and its last glyph, as when
    extractInfo assigns them one by one."""
    to_chars: dict[int, list[int]] = {}
    for char, glyph in pairs:
        to_chars.setdefault(glyph, []).append(char)
    return dict(pairs), to_chars


_CMAPS: dict[int, Callable[[bytes, int], Maps]] = {
    4: _cmap4,
    12: _cmap12,
}


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


class TaggedTTFont(ttfonts.TTFont):
    """A TrueType font whose embedded subsets are named after what they hold.

    ReportLab names subset n of every font 'AAAAAA+Face', 'AAAAAB+Face', …: two
    different programs in one file may then share a name, and printers that cache fonts
    by name can draw one with the other's glyphs. TTFont.addObjects takes the prefix from
    the module function SUBSETN(n), with no other hook; it is swapped for the call.
    """

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


# ReportLab formats a dictionary entry by entry through pdfdoc.format, which tries a
# dozen types in turn, and makes each key a PDF name again, character by character:
# a tenth of a default build's drawing processes (a form field's widget, a page, a
# font are dictionaries). The quick versions below give the same bytes (the reference
# PDFs are compared byte for byte): keys formatted once each, and the plain values
# (text, numbers, bytes) formatted directly; anything else still goes through
# pdfdoc.format.
_NAMES: dict[str, bytes] = {}  # a key: its formatted PDF name
# numbers formatted: glyph widths, coordinates and counts recur (a font's widths are
# hundreds of numbers, mostly a few values)
_NUMBERS: dict[float, bytes] = {}
_MAX_CACHED = 4096  # of each (few keys and numbers recur; a bound all the same)


def _key(name: Any, document: Any) -> bytes:
    if type(name) is not str:  # (a str subclass may compare or iterate unlike its text)
        return pdfdoc.format(pdfdoc.PDFName(name), document)
    made = _NAMES.get(name)
    if made is None:
        made = pdfdoc.format(pdfdoc.PDFName(name), document)
        if len(_NAMES) < _MAX_CACHED:
            _NAMES[name] = made
    return made


def _value(element: Any, document: Any) -> bytes:
    kind = type(element)
    if kind is str:
        return pdfdoc.pdfdocEnc(element)  # (looked up now: fast_pdfdoc_encoding)
    if kind is float or kind is int:  # (not bool: ReportLab writes str(True))
        made = _NUMBERS.get(element)  # (1 and 1.0 are one key, and written alike)
        if made is None:
            made = pdfdoc.pdfdocEnc(pdfdoc.fp_str(element))
            if len(_NUMBERS) < _MAX_CACHED:
                _NUMBERS[element] = made
        return made
    if kind is bytes:
        return element
    return pdfdoc.format(element, document)


def _dictionary_format(self: PDFDictionary, document: Any, IND: bytes = b"\n ") -> bytes:  # noqa: N803
    entries = self.dict
    keys = list(entries)
    if not isinstance(entries, pdfdoc.OrderedDict):
        keys.sort()
    lines = [_key(k, document) + b" " + _value(entries[k], document) for k in keys]
    if (self.multiline and rl_config.pdfMultiLine) or self.multiline == "forced":
        return b"<<\n" + IND.join(lines) + b"\n>>"
    for i in reversed(range(6, len(lines), 6)):  # a line break every 6 entries
        lines.insert(i, b"\n ")
    return b"<<\n" + b" ".join(lines) + b"\n>>"


def _array_format(self: PDFArray, document: Any, IND: bytes = b"\n ") -> bytes:  # noqa: N803
    items = [_value(e, document) for e in self.sequence]
    if (self.multiline and rl_config.pdfMultiLine) or self.multiline == "forced":
        return b"[ " + IND.join(items) + b" ]"
    for i in reversed(range(10, len(items), 10)):  # a line break every 10 items
        items.insert(i, b"\n ")
    return b"[ " + b" ".join(items) + b" ]"


# ReportLab's own, for the tests that compare the two
REPORTLAB_FORMATS = {PDFDictionary: PDFDictionary.format, PDFArray: PDFArray.format}


def quick_dictionaries() -> None:
    """Have ReportLab format dictionaries and arrays the quick way (above): the same
    bytes, fewer steps."""
    PDFDictionary.format = _dictionary_format
    PDFArray.format = _array_format


def binary_streams() -> None:
    """Have ReportLab compress page and form streams with Flate alone. Its default puts
    ASCII85 over Flate, which makes each stream a quarter bigger to keep it printable
    ASCII; a PDF is binary anyway (its second line, and every font program, are)."""
    rl_config.useA85 = 0


# --- QR codes -------------------------------------------------------------------------


@lru_cache(maxsize=1)
def qrencoder() -> ModuleType:
    """ReportLab's QR encoder, loaded when the first code is drawn, and without its
    package: reportlab.graphics.barcode's __init__ imports every barcode widget it has
    (18 ms of a 1 s build), where the encoder alone, which imports nothing of
    ReportLab's, takes 2 ms. (Loaded under a name of ours, so that a later import of
    the package, by anyone, makes its own, complete, as usual.)"""
    import importlib.util

    import reportlab

    from kitpress.render.qrscore import lost_point  # (with the encoder: most kits draw no code)

    path = Path(reportlab.__file__).parent / "graphics" / "barcode" / "qrencoder.py"
    spec = importlib.util.spec_from_file_location("kitpress._qrencoder", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # the same mask scores, row by row instead of square by square (qrscore.py)
    module.QRUtil.getLostPoint = staticmethod(lambda code: lost_point(code.modules))
    return module


# --- a page's content drawn once, for two PDFs (render/replay.py) -----------------------


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


def font_codes(canv: Canvas) -> dict[str, dict[int, int]]:
    """The code each character drawn so far has in this canvas's PDF, by font (ReportLab
    gives a TrueType font's characters codes in the order a PDF first draws them), for
    the fonts with codes of their own (not the standard 14)."""
    doc = canv._doc
    codes = {}
    for name in doc.fontMapping:
        state = getattr(pdfmetrics.getFont(name), "state", {}).get(doc)
        if state is not None:
            codes[name] = state.assignments
    return codes


def font_code(canv: Canvas, font: str, char: int) -> int:
    """The code `char` has in `font` in this canvas's PDF, given to it now if it has
    none, exactly as drawing it would (ReportLab's own splitString)."""
    ((subset, coded),) = pdfmetrics.getFont(font).splitString(chr(char), canv._doc)
    return subset << 8 | coded[0]


def font_resource(canv: Canvas, font: str) -> str:
    """The resource name (F1, F2 …) `font` goes by in this canvas's PDF, given to it now
    if it has none, as drawing with it would: its codes begun (splitString), then named."""
    face = pdfmetrics.getFont(font)
    face.splitString("", canv._doc)
    return str(face.getSubsetInternalName(0, canv._doc))[1:].partition("+")[0]
