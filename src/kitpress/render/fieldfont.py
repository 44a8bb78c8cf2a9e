"""The font typed answers are shown in, embedded in the PDF with the form.

A viewer draws what a reader types with the font the form's /DA names, looked up in
the form's /DR. The standard 14 fonts have no Polish, Vietnamese, Cyrillic or Greek
letters, so those turned into '?'. Here the form gets one of the kit's own fonts as a
composite font (Type0, Identity-H): every glyph of the scripts below that the font
draws, so a viewer can set any answer in those scripts from the PDF alone (Poppler
maps typed text to glyphs through the /ToUnicode map, pypdf too).

Which font: the first family of the kit's font chain (text, then symbols) that draws
every letter the worksheet itself prints and all of Latin (Vietnamese included),
Cyrillic and Greek where any family of the chain draws them. If none draws all those
scripts, the first that draws the worksheet's letters, and the build notes the script
answers cannot be typed in; if none draws the worksheet's own letters, a filled-in
form could not show its language, and the build stops and says so.
"""

from __future__ import annotations

import hashlib
import unicodedata
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from reportlab.pdfbase.acroform import PDFFromString
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObjectReference,
    PDFStream,
    PDFString,
    PDFZCompress,
)

from kitpress.fonts import Family, FontChain
from kitpress.render.internals import subset_program

R = tuple[int, int]
# Typed answers may use any character of these blocks the font draws.
LATIN: tuple[R, ...] = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x024F),  # Latin-1, Latin Extended-A and -B
    (0x0300, 0x036F),  # combining accents
    (0x1E00, 0x1EFF),  # Latin Extended Additional: Vietnamese
    (0x2000, 0x206F),  # punctuation: dashes, quotes, ellipsis
    (0x20A0, 0x20CF),  # currency signs
    (0x2100, 0x214F),  # letterlike symbols (№, ℃)
)
GREEK: tuple[R, ...] = ((0x0370, 0x03FF),)
CYRILLIC: tuple[R, ...] = ((0x0400, 0x052F),)
# A family "draws" a script when it has all of these: the letters its languages need.
_NEEDED = {
    "Latin": "AaĄąĆćĘęŁłŃńŚśŹźŻżČčŠšŽžŐőŰűÄäÖöÜüßÇçĞğİıŞşÑñÃãÕõ"
    "ĂăÂâĐđÊêÔôƠơƯưẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợ"
    "ỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ",
    "Cyrillic": "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
    "ЄєІіЇїҐґЎўЈјЉљЊњЋћЏџ",
    "Greek": "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩαβγδεζηθικλμνξοπρσςτυφχψωάέήίόύώΆΈΉΊΌΎΏϊϋΐΰ",
}
_BLOCKS = {"Latin": LATIN, "Cyrillic": CYRILLIC, "Greek": GREEK}


class NoFieldFont(ValueError):
    """No one family of the chain draws everything a typed answer may need."""


@dataclass(frozen=True)
class FieldFont:
    family: Family
    scripts: tuple[str, ...]  # what typed answers can be written in
    codepoints: tuple[int, ...]  # every character the embedded font draws, sorted

    @property
    def face(self) -> Any:
        """ReportLab's parsed TrueType file of the family's regular face."""
        return self.family.regular.face

    @property
    def ascent(self) -> float:
        """Ascent in thousandths of the font size, as the font descriptor gives it."""
        return float(self.face.ascent)

    @cached_property
    def tag(self) -> str:
        """Six capitals naming this subset: the same subset always gets the same tag
        (builds are reproducible), and any other subset in the file another one.
        (Cached: every field's /DA names it, and hashing 1,000 code points each time
        cost a build as much as drawing the fields.)"""
        digest = hashlib.sha256(
            bytes(self.face.name) + b"form" + ",".join(map(str, self.codepoints)).encode()
        ).digest()
        return "".join(chr(ord("A") + b % 26) for b in digest[:6])


def _coverage(family: Family) -> Any:
    """What the regular face draws (typed answers are set in it alone)."""
    return family.regular.face.charToGlyph


def _draws(family: Family, script: str) -> bool:
    cov = _coverage(family)
    return all(ord(ch) in cov for ch in _NEEDED[script])


def letters(texts: Iterable[str]) -> set[str]:
    """The letters (and accents) in `texts`: what a reader of that language types."""
    return {ch for t in texts for ch in t if unicodedata.category(ch)[0] in "LM"}


def choose(chain: FontChain, kit_letters: set[str]) -> FieldFont:
    """The first family of the chain that draws every letter of the kit and every
    script some family of the chain draws; failing that, the first that draws the
    kit's letters (FieldFont.scripts then lacks a script). NoFieldFont names a letter
    of the kit no family draws along with the rest."""
    scripts = all_scripts(chain)
    fits = [f for f in chain.families if all(ord(c) in _coverage(f) for c in kit_letters)]
    for family in fits:
        if all(_draws(family, s) for s in scripts):
            return _field_font(family, scripts, kit_letters)
    if fits:
        family = fits[0]
        return _field_font(family, tuple(s for s in scripts if _draws(family, s)), kit_letters)
    text = chain.families[0]
    ch = min((c for c in kit_letters if ord(c) not in _coverage(text)), key=ord)
    raise NoFieldFont(
        f"U+{ord(ch):04X} ({unicodedata.name(ch, 'unnamed character')}) and the rest of the "
        "worksheet's letters"
    )


def all_scripts(chain: FontChain) -> tuple[str, ...]:
    """The scripts some family of the chain draws: what typed answers should cover."""
    return tuple(s for s in _BLOCKS if any(_draws(f, s) for f in chain.families))


def _field_font(family: Family, scripts: tuple[str, ...], kit_letters: set[str]) -> FieldFont:
    return FieldFont(family, scripts, _codepoints(family, scripts, frozenset(kit_letters)))


@lru_cache(maxsize=8)
def _codepoints(family: Family, scripts: tuple[str, ...], extra: frozenset[str]) -> tuple[int, ...]:
    cov = _coverage(family)
    wanted = {cp for s in ("Latin", *scripts) for a, b in _BLOCKS[s] for cp in range(a, b + 1)}
    wanted |= {ord(c) for c in extra}
    return tuple(sorted(cp for cp in wanted if cp in cov))


@dataclass(frozen=True)
class _Program:
    """What every PDF the field font goes in holds of it, made once per run and
    shared by the worksheet's own PDF and kit.pdf."""

    name: str  # the subset's name: tag+PostScript name
    data: bytes  # the font program, compressed
    raw_length: int  # its length uncompressed
    widths: str  # the /W array's contents: "gid [width] …"
    to_unicode: str  # the /ToUnicode CMap


@lru_cache(maxsize=4)
def _program(field_font: FieldFont) -> _Program:
    face = field_font.face
    name = f"{field_font.tag}+{face.name.decode('latin-1')}"
    data, gids = subset_program(face, field_font.codepoints)
    # a glyph drawn for two characters: the first
    by_gid = {gid: cp for cp, gid in reversed(sorted(gids.items()))}
    # one literal rather than 3,000 small PDF objects, which ReportLab formats one by one
    widths = " ".join(
        f"{gid} [{round(face.getCharWidth(cp))}]" for gid, cp in sorted(by_gid.items())
    )
    return _Program(name, zlib.compress(data), len(data), widths, _to_unicode(name, by_gid))


def pdf_font(doc: Any, field_font: FieldFont) -> PDFObjectReference:
    """Add the field font to a PDF document: a Type0 font whose character codes are the
    glyph ids of the embedded program (Identity-H), with widths and a /ToUnicode map
    for every glyph, which is how a viewer finds the glyph for a typed character."""
    face = field_font.face
    made = _program(field_font)
    name = made.name
    font_file = PDFStream(
        PDFDictionary({"Length1": made.raw_length, "Filter": PDFName("FlateDecode")}), made.data
    )
    descriptor = PDFDictionary(
        {
            "Type": PDFName("FontDescriptor"),
            "FontName": PDFName(name),
            "Flags": 4,  # symbolic: the glyphs are reached by id, not by a standard encoding
            "FontBBox": PDFArray([round(v) for v in face.bbox]),
            "ItalicAngle": face.italicAngle,
            "Ascent": round(face.ascent),
            "Descent": round(face.descent),
            "CapHeight": round(face.capHeight),
            "StemV": face.stemV,
            "FontFile2": doc.Reference(font_file),
        }
    )
    cid_font = PDFDictionary(
        {
            "Type": PDFName("Font"),
            "Subtype": PDFName("CIDFontType2"),
            "BaseFont": PDFName(name),
            "CIDSystemInfo": PDFDictionary(
                {"Registry": PDFString("Adobe"), "Ordering": PDFString("Identity"), "Supplement": 0}
            ),
            "FontDescriptor": doc.Reference(descriptor),
            "DW": round(face.defaultWidth),
            "W": PDFFromString(f"[{made.widths}]"),
            "CIDToGIDMap": PDFName("Identity"),
        }
    )
    to_unicode = PDFStream(content=made.to_unicode, filters=[PDFZCompress])
    font = PDFDictionary(
        {
            "Type": PDFName("Font"),
            "Subtype": PDFName("Type0"),
            "BaseFont": PDFName(name),
            "Encoding": PDFName("Identity-H"),
            "DescendantFonts": PDFArray([doc.Reference(cid_font)]),
            "ToUnicode": doc.Reference(to_unicode),
        }
    )
    return doc.Reference(font)


def _to_unicode(name: str, by_gid: dict[int, int]) -> str:
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        f"/CMapName /{name}-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    pairs = sorted(by_gid.items())
    for i in range(0, len(pairs), 100):  # at most 100 entries a block
        chunk = pairs[i : i + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{gid:04X}> <{_utf16(cp)}>" for gid, cp in chunk]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


def _utf16(cp: int) -> str:
    return chr(cp).encode("utf-16-be").hex().upper()
