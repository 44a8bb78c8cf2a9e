"""Text escaped for ReportLab's paragraph markup and for XML.

The same as xml.sax.saxutils.escape, written here because importing xml.sax.saxutils
imports urllib.request, http.client and ssl (8 ms of every start) for a function of
three replacements.
"""

from __future__ import annotations


def escape(text: str, entities: dict[str, str] | None = None) -> str:
    """&, < and > as entities, then each of `entities` (like {'"': "&quot;"})."""
    text = text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    for plain, entity in (entities or {}).items():
        text = text.replace(plain, entity)
    return text
