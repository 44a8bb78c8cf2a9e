"""Where a line of text may break, for paragraphs (render/paragraph.py) and card text
(render/textfit.py) alike. Readers copy phone numbers and web addresses down by hand,
so a break must never make them misread one:

- a phone number never breaks: the spaces inside it become no-break spaces (`protect`,
  applied by FontChain.markup and the card fitter);
- a web or e-mail address breaks only when it is too wide for a line of its own, and
  then only after / . - or @, never with an added hyphen (`chunks`);
- any other word never breaks: one too wide for its line is an error (`too_wide`).

Pure text rules: widths come from the caller's `measure`, so the same rules serve
ReportLab paragraphs and the card fitter.
"""

from __future__ import annotations

import re
from collections.abc import Callable

NBSP = "\u00a0"

# Digits in groups, one space, dot or hyphen between groups; an optional +country code
# and (area code). Checked for 7 to 15 digits (the longest international number).
_PHONE = re.compile(
    r"(?<![\w+(])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d+(?:[ .-]\d+)*(?![\w])"
)
_DIGIT = re.compile(r"\d")
# Breakable spaces: every white space but the no-break space.
_SPACES = re.compile(r"[^\S\u00a0]+")
_WORD = re.compile(r"(?:\S|\u00a0)+")
# Where an address may break: after a run of these characters.
_BREAK_AFTER = re.compile(r"(?<=[/.\-@])(?![/.\-@])")
_DOMAIN = re.compile(r"[A-Za-z0-9]\.[A-Za-z]{2,}")

Measure = Callable[[str], float]


def protect(text: str) -> str:
    """Text with the spaces inside phone numbers made no-break spaces."""
    if " " not in text or _DIGIT.search(text) is None:  # most text: no need to look
        return text
    return _PHONE.sub(_glue, text)


def _glue(m: re.Match[str]) -> str:
    run = m.group(0)
    if " " not in run or not 7 <= sum(c.isdigit() for c in run) <= 15:
        return run
    return run.replace(" ", NBSP)


def words(text: str) -> list[str]:
    """The words of one line of text: split at spaces, but never at a no-break space."""
    if NBSP not in text:
        return text.split()  # the common case, and quicker
    return [w for w in _SPACES.split(text) if w]


def is_address(word: str) -> bool:
    """A web or e-mail address, as far as line breaking cares: a word with / or @, or
    a dot between a letter or digit and two letters (a domain like bop.gov)."""
    return "/" in word or "@" in word or _DOMAIN.search(word) is not None


def pieces(word: str) -> list[str]:
    """The parts of a word between the places it may break (the word itself, unless it
    is an address): 'https://bop.gov/a' -> ['https://', 'bop.', 'gov/', 'a']."""
    if not is_address(word):
        return [word]
    return [p for p in _BREAK_AFTER.split(word) if p]


def chunks(word: str, room: float, measure: Measure) -> list[str] | None:
    """The word broken into as few lines as it takes, each at most `room` wide; the word
    whole if it fits. None if a piece that may not break is wider than `room`."""
    if measure(word) <= room:
        return [word]
    out: list[str] = []
    line = ""
    for piece in pieces(word):
        if measure(piece) > room:
            return None
        if line and measure(line + piece) > room:
            out.append(line)
            line = ""
        line += piece
    out.append(line)
    return out


def segments(text: str, room: float, measure: Measure) -> list[str] | None:
    """`text` (phone numbers protected) cut where a line must break inside an address
    too wide for a line of its own; the cuts are forced line breaks. The segments join
    back to the text. None if some word is too wide even where it may break."""
    text = protect(text)
    out: list[str] = []
    start = 0
    for m in _WORD.finditer(text):
        parts = chunks(m.group(), room, measure)
        if parts is None:
            return None
        cut = m.start()
        for part in parts[:-1]:
            cut += len(part)
            out.append(text[start:cut])
            start = cut
    out.append(text[start:])
    return out


def too_wide(text: str, room: float, measure: Measure) -> str | None:
    """The first word of `text` (or piece of an address) that is wider than `room`
    even where it may break, or None."""
    for line in protect(text).split("\n"):
        for word in words(line):
            if chunks(word, room, measure) is None:
                return word.replace(NBSP, " ")
    return None


def hint(word: str) -> str:
    """What to do about a word that is too wide for its line."""
    if is_address(word):
        return "an address breaks only after / . - or @; shorten it"
    return "shorten it or split it with a space"
