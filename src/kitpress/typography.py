"""Straight quotes, as a keyboard types them, printed as typographic ones.

A volunteer types "fine" and don't; a printed page shows “fine” and don’t, in the
marks of the handout's language (labels.yaml's `quote:`, like “{text}” or «{text}»).
kit.py runs every printed text of a language through `typeset` once, as the files are
loaded, so every handout, the cover, kit.pdf and the web edition agree; no renderer
knows about quotes.

What must stay as typed is left alone: web and e-mail addresses (in the text, and a
resource sheet's website:, email: and phone:), {placeholders}, and a quote mark after a
digit that closes nothing (5'10", 8" paper: feet and inches). Form field names cannot
hold quotes, so they never change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kitpress.content.base import MAX_TEXT

APOSTROPHE = "’"
# marks a quote nested inside another takes, by the outer opening mark
_INNER = {"«": ("“", "”"), "„": ("‚", "‘"), "»": ("›", "‹"), "「": ("『", "』")}
# after these (or a space, or the start) a quote mark opens a quote
_OPENERS = set("([{¿¡—–/“‘«„‚‹「『")
_TYPED_OPEN = set("“«„「")  # typographic marks already in the text count for nesting
_TYPED_CLOSE = set("”»」")
# never changed: web addresses, e-mail addresses and {placeholders}
_PROTECTED = re.compile(
    r"(?:https?://|www\.)[^\s\"“”«»<>]+"
    r"|[\w.%+'-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\{[^{}\s]*\}"
)
_YEARS = re.compile(r"\d\d(?:s|\b)(?!['’])")  # ’90s, ’24: an apostrophe, not a quote
# English words that start with an apostrophe ('tis, 'em, rock 'n' roll)
_ELIDED = re.compile(r"(?:tis|twas|em|n|cause|til)(?![^\W\d_])", re.IGNORECASE)


@dataclass(frozen=True)
class Quotes:
    """The quote marks of one language (a quote inside a quote takes the marks that
    nest in these: ‘ ’ in “ ”, “ ” in « »)."""

    open: str = "“"
    close: str = "”"

    @classmethod
    def from_label(cls, quote: str) -> Quotes:
        """The marks of labels.yaml's `quote:` ("“{text}”", "«{text}»", "„{text}“")."""
        before, found, after = quote.partition("{text}")
        if not found or not before.strip() or not after.strip():
            return cls()
        return cls(before, after)


def typeset(text: str, quotes: Quotes) -> str:
    """text with its straight quotes and apostrophes made typographic."""
    if "'" not in text and '"' not in text:
        return text
    kept = {i for m in _PROTECTED.finditer(text) for i in range(m.start(), m.end())}
    out: list[str] = []
    # the quotes open at this point, innermost last: the mark typed (" ' or “ for
    # typographic ones already in the text), the mark that opened it and the one that
    # will close it
    stack: list[tuple[str, str, str]] = []
    for i, c in enumerate(text):
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if i in kept:
            out.append(c)
        elif c in _TYPED_OPEN:
            stack.append(("“", c, ""))
            out.append(c)
        elif c in _TYPED_CLOSE:
            _close(stack, "“")
            out.append(c)
        elif c == '"':
            out.append(_double(stack, quotes, prev, nxt))
        elif c == "'":
            out.append(_single(stack, quotes, prev, nxt, text[i + 1 :]))
        else:
            out.append(c)
    return "".join(out)


def _opens(prev: str, nxt: str) -> bool:
    """A mark at the start of a word opens a quote: after a space or an opener, and
    before a word."""
    return (prev == "" or prev.isspace() or prev in _OPENERS) and nxt != "" and not nxt.isspace()


def _close(stack: list[tuple[str, str, str]], typed: str) -> str | None:
    """Close the innermost open quote typed so (and any left open inside it): the
    mark that closes it, or None when none is open."""
    for depth in range(len(stack) - 1, -1, -1):
        if stack[depth][0] == typed:
            mark = stack[depth][2]
            del stack[depth:]
            return mark
    return None


def _nested(stack: list[tuple[str, str, str]]) -> tuple[str, str] | None:
    """The marks for a quote inside the innermost open double quote (“ ‘ ’ ”, « “ ” »),
    or None when no double quote is open."""
    for typed, opened, _ in reversed(stack):
        if typed in ('"', "“"):
            return _INNER.get(opened.strip()[-1:], ("‘", "’"))
    return None


def _double(stack: list[tuple[str, str, str]], quotes: Quotes, prev: str, nxt: str) -> str:
    if _opens(prev, nxt):
        start, end = _nested(stack) or (quotes.open, quotes.close)
        stack.append(('"', start, end))
        return start
    mark = _close(stack, '"')
    if mark is not None:
        return mark
    if prev.isdigit():
        return '"'  # inches: 8" paper
    if nxt.isalnum():  # said:"hi" opens, though no space comes before it
        stack.append(('"', quotes.open, quotes.close))
        return quotes.open
    return quotes.close  # closes a quote opened before this text


def _single(
    stack: list[tuple[str, str, str]], quotes: Quotes, prev: str, nxt: str, rest: str
) -> str:
    if prev.isalnum():
        if prev.isdigit() and nxt.isdigit():
            return "'"  # feet: 5'10
        if nxt.isalnum():
            return APOSTROPHE  # don't, it's, 90's
        return _close(stack, "'") or APOSTROPHE  # 'fine' closes; James' owns
    if _opens(prev, nxt):
        if _YEARS.match(rest) or _ELIDED.match(rest):
            return APOSTROPHE  # ’90s, ’tis
        # single quotes are ‘ ’; inside a double quote, the marks nested in it
        start, end = _nested(stack) or ("‘", "’")
        stack.append(("'", start, end))
        return start
    return _close(stack, "'") or APOSTROPHE  # after punctuation: 'Why?' closes


# keys whose values are addresses, below a file's top level (a resource sheet's
# entries): never typeset, even where an address may hold a ' (example.org/ann's)
ADDRESSES = frozenset({"website", "email", "phone"})


def typeset_data(value: Any, quotes: Quotes, names: frozenset[str] = frozenset()) -> Any:
    """Every text in loaded YAML data typeset, but the values of the top-level keys in
    `names` (names for the program, like kind: and layout:) and of ADDRESSES."""
    if isinstance(value, dict):
        return {
            k: v if k in names and isinstance(v, str) else _typeset_all(v, quotes)
            for k, v in value.items()
        }
    return _typeset_all(value, quotes)


def _typeset_all(value: Any, quotes: Quotes) -> Any:
    if isinstance(value, str):
        # a text longer than any handout takes is refused when the file is validated:
        # not worth the time (a hostile file may hold megabytes in one text)
        return typeset(value, quotes) if len(value) <= MAX_TEXT else value
    if isinstance(value, dict):
        return {
            k: v if k in ADDRESSES and isinstance(v, str) else _typeset_all(v, quotes)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_typeset_all(v, quotes) for v in value]
    return value
