"""Bundled fonts: register them with ReportLab, and know which characters they draw.

Fonts are files named <Family>-<Style>.ttf in the fonts folder (Style: Regular, Bold,
Italic, BoldItalic). A layout names a text family and a symbols family; text is set
in the text family and any character it lacks falls back to the symbols family.
A character neither can draw is an error before any page is drawn: never a blank box.
"""

from __future__ import annotations

import difflib
import functools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from kitpress import linebreaks
from kitpress.errors import GlyphError, InputError, Mark, quoted
from kitpress.markup import escape

STYLES = ("Regular", "Bold", "Italic", "BoldItalic")
# Characters that are layout, not glyphs: a font needs none of them.
_IGNORED = {"\n", "\r", "\t", "\u00ad", "\u200b"}


class FontBook:
    """The font files in one folder, registered lazily by family."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: dict[str, dict[str, Path]] = {}
        for path in sorted(folder.glob("*.ttf")):
            family, _, style = path.stem.partition("-")
            self.files.setdefault(family, {})[style or "Regular"] = path
        self._registered: dict[str, Family] = {}

    def family(self, name: str, where: Mark | None = None, key_path: tuple = ()) -> Family:
        if name not in self._registered:
            faces = self.files.get(name)
            if not faces or "Regular" not in faces:
                close = difflib.get_close_matches(name, list(self.files), n=1)
                hint = (
                    f"did you mean '{close[0]}'?"
                    if close
                    else ("bundled fonts: " + ", ".join(sorted(self.files)))
                )
                raise InputError(f"unknown font {quoted(name)}; {hint}", where, key_path)
            self._registered[name] = Family(name, faces)
        return self._registered[name]

    def chain(
        self, text: str, symbols: str | None, where: Callable[[str], Mark | None] | None = None
    ) -> FontChain:
        """The text family then the symbols family; where(key) says where the layout set
        fonts.<key>, for the message when a family is unknown."""

        def family(name: str, key: str) -> Family:
            return self.family(name, where(key) if where else None, ("fonts", key))

        families = [family(text, "text")]
        if symbols and symbols != text:
            families.append(family(symbols, "symbols"))
        return FontChain(tuple(families))


@functools.cache
def font_book(folder: Path) -> FontBook:
    """The one FontBook of a folder in this process. Parsing a font file costs tens of
    milliseconds, and ReportLab's font registry is process-wide anyway, so every kit
    loaded in the process (a preview rebuilding on each save, a test suite) shares one
    parse of each font. The bundled fonts do not change while kitpress runs."""
    return FontBook(folder)


class Family:
    """One font family registered with ReportLab under '<Family>', '<Family>-Bold', …

    The font files are parsed on first use, not when the kit names them: most text
    never needs the symbols family, and parsing a TTF file costs tens of milliseconds.
    """

    def __init__(self, name: str, faces: dict[str, Path]) -> None:
        self.name = name
        self.faces = faces
        self._fonts: dict | None = None
        self._regular: Any = None

    @property
    def regular(self) -> Any:
        """The regular face alone, registered: all that form fields need (parsing the
        other styles of a family used only for fields would cost tens of ms)."""
        if self._regular is None:
            from reportlab.pdfbase import pdfmetrics

            from kitpress.render.internals import quick_font

            self._regular = quick_font(self.name, str(self.faces["Regular"]))
            pdfmetrics.registerFont(self._regular)
        return self._regular

    @property
    def fonts(self) -> dict:
        """The ReportLab TTFont of each style, registered on first use."""
        if self._fonts is None:
            self._fonts = self._register()
        return self._fonts

    def _register(self) -> dict:
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics

        from kitpress.render.internals import quick_font

        fonts: dict[str, Any] = {}
        for style in STYLES:
            if style not in self.faces:
                # a missing style is drawn with the Regular font itself (parsed once,
                # embedded once), as the glyphs would be the same
                fonts[style] = fonts["Regular"]
                continue
            if style == "Regular":
                fonts[style] = self.regular
                continue
            font = quick_font(f"{self.name}-{style}", str(self.faces[style]))
            pdfmetrics.registerFont(font)
            fonts[style] = font
        for bold in (0, 1):
            for italic in (0, 1):
                style = STYLES[bold + 2 * italic]
                addMapping(self.name, bold, italic, fonts[style].fontName)
        return fonts

    def face(self, bold: bool = False, italic: bool = False) -> str:
        return self.fonts[STYLES[int(bold) + 2 * int(italic)]].fontName

    @cached_property
    def coverage(self) -> frozenset[int]:
        """Code points every face of the family can draw."""
        sets = [set(f.face.charToGlyph) for f in self.fonts.values()]
        return frozenset(set.intersection(*sets))

    @cached_property
    def drawable(self) -> frozenset[str]:
        """The characters of `coverage`, plus those that need no glyph: so a whole
        string is checked with one `issuperset`, in C, instead of a loop per character."""
        return frozenset(map(chr, self.coverage)) | _IGNORED | {" "}


@dataclass(frozen=True)
class FontChain:
    families: tuple[Family, ...]

    @property
    def text(self) -> Family:
        return self.families[0]

    def check(self, value: str, where: Mark | None, key_path: tuple = ()) -> None:
        """Raise GlyphError for the first character no family in the chain can draw."""
        if self.text.drawable.issuperset(value):
            return  # the common case: plain text the text family draws
        for ch in value:
            if ch in _IGNORED or ch == " ":
                continue
            cp = ord(ch)
            name = unicodedata.name(ch, "unnamed character")
            if not any(cp in f.coverage for f in self.families):
                raise GlyphError(
                    f"no bundled font can draw U+{cp:04X} ({name}); remove it or use words instead",
                    where,
                    key_path,
                )
            # DejaVu has Hebrew and Arabic letters, but ReportLab neither reorders nor
            # joins them: the words would print backwards and broken, so say so
            if unicodedata.bidirectional(ch) in ("R", "AL"):
                raise GlyphError(
                    f"U+{cp:04X} ({name}) is written right to left, which kitpress cannot set "
                    "yet (its letters would print in the wrong order); remove it",
                    where,
                    key_path,
                )

    def markup(self, value: str, bold: bool = False, italic: bool = False) -> str:
        """Paragraph markup for plain text: escaped, with fallback runs in the symbols font,
        and phone numbers kept on one line (kitpress.linebreaks)."""
        value = linebreaks.protect(value)
        if len(self.families) == 1 or self.text.drawable.issuperset(value):
            return escape(value)
        text_cov = self.text.coverage
        out: list[str] = []
        run: list[str] = []
        run_font: Family | None = None

        def flush() -> None:
            if not run:
                return
            chunk = escape("".join(run))
            if run_font is None or run_font is self.text:
                out.append(chunk)
            else:
                out.append(f'<font name="{run_font.face(bold, italic)}">{chunk}</font>')
            run.clear()

        for ch in value:
            cp = ord(ch)
            family = self.text
            if cp not in text_cov and ch not in _IGNORED and ch != " ":
                family = next((f for f in self.families[1:] if cp in f.coverage), self.text)
            if family is not run_font:
                flush()
                run_font = family
            run.append(ch)
        flush()
        return "".join(out)
