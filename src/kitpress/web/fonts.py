"""The web edition's fonts: the kit's own text font (Andika, made for beginning
readers) subset to the characters the pages show, as WOFF2. For the default English
kit that is about 8 KB a face: less than a small photo, so even a low-end phone on a
slow connection gets the same letter shapes as the printed handouts (and text shows
at once in the phone's own font while it loads: font-display: swap).

Subsets are renamed (OFL: a changed font may not keep a Reserved Font Name such as
"Andika") and keep their copyright and licence; the licence files go beside them.
Characters the text font lacks (a check mark, say) come from the symbols font, as in
print; that file is made only when a page needs it.
"""

from __future__ import annotations

import io
import logging
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kitpress.editions import WEB
from kitpress.fonts import Family
from kitpress.kit import Kit
from kitpress.paths import bundled

# People type answers into the pages: these always come with the text font, so typing
# stays in one font (other characters show in the phone's own font).
TYPED = string.printable.strip() + " "
FACES = (("Regular", 400), ("Bold", 700))  # the pages use no italics: harder to read
# name IDs: family, unique, full, PostScript, typographic family
_RENAME = (1, 3, 4, 6, 16)
# copyright, family, style, unique, full, version, PostScript, licence, licence URL,
# typographic family and style
_KEEP_NAMES = [0, 1, 2, 3, 4, 5, 6, 13, 14, 16, 17]
# Andika's Graphite tables (fontTools cannot subset them; browsers use OpenType)
_GRAPHITE = ["Silf", "Glat", "Gloc", "Feat", "Sill"]


@dataclass
class WebFonts:
    files: dict[str, bytes] = field(default_factory=dict)  # by name under assets/
    css: list[dict[str, Any]] = field(default_factory=list)  # one @font-face each


def web_fonts(kit: Kit, text: str) -> WebFonts:
    """Subsets of the web edition's font chain for `text` (every page's words)."""
    chain = next(h.fonts for h in kit.handouts if h.edition == WEB)
    used = set(text) | set(TYPED)
    out = WebFonts()
    for i, family in enumerate(chain.families):
        chars = {c for c in used if ord(c) in family.coverage}
        if i:  # a symbols font: only what the fonts before it lack
            chars = {c for c in chars if not any(ord(c) in f.coverage for f in chain.families[:i])}
        else:
            chars = chars or {" "}
        if not chars:
            continue
        css_name = "KitText" if i == 0 else f"KitSymbols{i}"
        for style, weight in FACES:
            name = f"fonts/{css_name.lower()}-{style.lower()}.woff2"
            out.files[name] = subset(family, style, "".join(sorted(chars)), css_name)
            out.css.append({"family": css_name, "weight": weight, "file": name})
    for licence in sorted(bundled("fonts").glob("*.txt")):
        out.files[f"fonts/{licence.name}"] = licence.read_bytes()
    return out


def subset(family: Family, style: str, chars: str, new_name: str) -> bytes:
    """One face of `family` (Regular if it has no such style) cut down to `chars`,
    renamed `new_name`, as WOFF2. The same input gives the same bytes."""
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # not the user's business
    path: Path = family.faces.get(style, family.faces["Regular"])
    font = TTFont(path, lazy=True, recalcTimestamp=False)  # the same bytes every build
    options = ft_subset.Options()
    options.hinting = False  # phones' screens do not use TrueType hints; a third the size
    options.name_IDs = _KEEP_NAMES
    options.drop_tables += _GRAPHITE
    options.flavor = "woff2"
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    names = font["name"]
    for record in names.names:
        if record.nameID in _RENAME:
            shown = new_name if record.nameID in (1, 16) else f"{new_name}-{style}"
            record.string = shown
    font.flavor = "woff2"
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()
