"""A flowing handout's pages drawn once for two PDFs: its own, and kit.pdf.

The two differ only in their footers ("Page 2 of 3" against "Page 7"), and drawing a
page is most of a long build's time. `Recorder` keeps each page's body as it is drawn
for the handout's own PDF (its content stream, and what its drawing told the structure
tree: the same MCIDs); `replay` puts that on kit.pdf's page, and the footer is then
drawn for kit.pdf.

A content stream names its fonts by resource name (/F2) and its text by code, and both
are given in the order each PDF first draws a font or a character: ASCII keeps its own
codes, every other character gets the next free one. So the handout's own PDF and
kit.pdf (where the handout may come after others) can name and code alike or not:

- alike (the handout first in kit.pdf, after its first pages): the stream goes on as it
  is;
- otherwise the stream is retargeted on the way (`_Retarget`): each font's name and
  each non-ASCII code becomes kit.pdf's, given there, in the order of the stream, as
  drawing the page would give them. Every PDF keeps its own codes, so each file is the
  same however the build was run.

A take may also be made in another process and sent (render/halves.py): a long
handout's pages are drawn half in each of two.

Links and form fields are objects of their own PDF: each is made again in kit.pdf by
what made it (the `again` of tagging.annotation), joining the same place of the
structure tree. A page is kept only when links and fields are all its drawing made
besides its stream (a bookmark, an image or a transparency keeps it from being kept),
and a stream the retargeting cannot read for certain (text in a second block of 256
codes, a standard font, shaped text) is drawn again. tests/test_replay.py checks that
kit.pdf is byte for byte what drawing every page again makes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.pdfgen.canvas import Canvas

from kitpress.render.internals import (
    draw_again,
    drawn_length,
    drawn_since,
    font_code,
    font_codes,
    font_names,
    font_resource,
    side_effects,
)
from kitpress.render.tagging import tagger_of


@dataclass(frozen=True)
class Take:
    """One page's body as drawn for the handout's PDF."""

    pieces: tuple[str, ...]  # its content stream
    journal: tuple[tuple[str, Any], ...]  # what its drawing told the tagger
    fonts: dict[str, str]  # each font's resource name ("/F2") there, after the page
    codes: dict[str, dict[int, int]]  # each font's codes there after the page (shared)


class Recorder:
    """The takes of one handout's pages, made while its own PDF is drawn."""

    def __init__(self) -> None:
        self.keeping = False
        self.takes: dict[int, Take] = {}
        self._codes: dict[str, dict[int, int]] = {}

    def begin(self) -> None:
        """Keep the pages the next PDF draws (forgetting any kept before)."""
        self.keeping, self.takes, self._codes = True, {}, {}

    def draw(self, canvas: Canvas, number: int, body: Callable[[], None]) -> None:
        """Draw page `number`'s body, and keep it if it can be put on another PDF."""
        tagger = tagger_of(canvas)
        if not self.keeping or tagger is None or not tagger.clean():
            body()
            return
        effects, start = side_effects(canvas), drawn_length(canvas)
        journal = tagger.record()
        try:
            body()
        finally:
            tagger.stop()
        # links and form fields are objects of their PDF, made again in kit.pdf: the page
        # is kept if they are all it made besides its stream, and each can be made again
        made = [value for what, value in journal if what == "made"]
        again = [value for what, value in journal if what == "annotation"]
        if (
            side_effects(canvas) == _added(effects, made)
            and tagger.clean()
            and all(remake is not None and where is not None for remake, _, where, _ in again)
        ):
            codes = font_codes(canvas)
            if _given(self._codes) != _given(codes):  # pages alike share one copy
                self._codes = {font: dict(assigned) for font, assigned in codes.items()}
            self.takes[number] = Take(
                _joined(drawn_since(canvas, start)), tuple(journal), font_names(canvas), self._codes
            )

    def replay(self, canvas: Canvas, number: int) -> bool:
        """Put page `number`'s body on `canvas`'s current page, if it was kept; False
        when it must be drawn."""
        take = self.takes.get(number)
        return take is not None and put_on(canvas, take)


def put_on(canvas: Canvas, take: Take) -> bool:
    """Put a kept page's body on `canvas`'s current page, as drawing it there would;
    False when it must be drawn instead."""
    tagger = tagger_of(canvas)
    if tagger is None or not tagger.clean() or tagger.repeats(take.journal):
        return False
    names, codes = font_names(canvas), font_codes(canvas)
    alike = all(names.get(font) == name for font, name in take.fonts.items()) and all(
        _within(assigned, codes.get(font)) for font, assigned in take.codes.items()
    )
    pieces = take.pieces if alike else _Retarget(canvas, take).pieces()
    if pieces is None:
        return False
    draw_again(canvas, pieces)
    tagger.replay(take.journal)
    return True


def _within(taken: dict[int, int], here: dict[int, int] | None) -> bool:
    """Whether every character coded where a take was drawn has the same code here:
    then its stream means here what it meant there, and drawing it here would give no
    character a code (a page drawn on a canvas of its own, halves.py, most often has
    its codes in the order the PDF it goes into gave them)."""
    if here is None:
        return not taken
    if here is taken or here == taken:
        return True
    return len(taken) <= len(here) and all(here.get(c) == n for c, n in taken.items())


def _joined(pieces: tuple[str, ...]) -> tuple[str, ...]:
    """A page's pieces of content stream as two: all but the last, joined as the page's
    stream joins them (a line each), and the last, which drawing after it may read
    (ReportLab merges a transformation into the one before it). Put on again, they are
    the same stream; read and retargeted, one string instead of hundreds."""
    if len(pieces) < 3:
        return pieces
    return ("\n".join(pieces[:-1]), pieces[-1])


def _added(effects: tuple[int, ...], made: list[tuple[int, ...]]) -> tuple[int, ...]:
    """`effects` (side_effects) with what each of `made` added."""
    return tuple(sum(column) for column in zip(effects, *made, strict=True))


def _given(codes: dict[str, dict[int, int]]) -> tuple[tuple[str, int], ...]:
    """How many codes each font has given out (codes are only ever added)."""
    return tuple((font, len(assigned)) for font, assigned in codes.items())


# In ReportLab's content streams: a literal string (with " Tj" when it is text shown
# in the current font), a font selected by resource name and subset ("/F2+0 "), or a
# TJ array (shaped text). Strings go first, so nothing inside one is read as a name.
_TOKEN = re.compile(r"\((?:[^\\)]|\\.)*\)( Tj)?|/(F\d+)(\+\d+)? |\bTJ\b", re.DOTALL)
_ESCAPE = re.compile(r"\\([0-7]{3})|\\.", re.DOTALL)  # in a string: \ooo is a code


class _Refused(Exception):
    """The stream holds something the retargeting cannot say for certain."""


class _Retarget:
    """A kept page's stream, with its fonts named and its text coded as `canvas`'s PDF
    names and codes them (each given there now where it has none, as drawing would)."""

    def __init__(self, canvas: Canvas, take: Take) -> None:
        self.canvas, self.take = canvas, take
        self.font_of = {name[1:]: font for font, name in take.fonts.items()}  # F2 -> font
        self.chars: dict[str, dict[int, int]] = {}  # font -> its code -> character
        self.font: str | None = None  # the current font, as the stream selects it
        # what canvas's PDF calls each font, and codes each (font, code here): once
        # given, a name or a code stays (a page selects its fonts two dozen times)
        self.named: dict[str, str] = {}
        self.coded: dict[tuple[str, int], str] = {}

    def pieces(self) -> tuple[str, ...] | None:
        try:
            return tuple(
                _TOKEN.sub(self._token, p) if "(" in p or "/F" in p or "TJ" in p else p
                for p in self.take.pieces
            )
        except _Refused:
            return None

    def _token(self, m: re.Match[str]) -> str:
        if m.group(2) is not None:  # a font selected
            if m.group(3) != "+0" or m.group(2) not in self.font_of:
                raise _Refused  # a standard font, or the next 256 codes
            font = self.font = self.font_of[m.group(2)]
            named = self.named.get(font)
            if named is None:
                named = self.named[font] = f"/{font_resource(self.canvas, font)}+0 "
            return named
        text = m.group(0)
        if text == "TJ":
            raise _Refused
        if m.group(1) is None or "\\" not in text:  # not shown, or only ASCII
            return text
        if self.font is None:
            raise _Refused
        return _ESCAPE.sub(self._code, text)

    def _code(self, m: re.Match[str]) -> str:
        if m.group(1) is None:  # \\ \( \): ASCII, coded alike
            return m.group(0)
        code = int(m.group(1), 8)
        if code in (0, 127):  # nothing to draw, and DEL: the same everywhere
            return m.group(0)
        assert self.font is not None
        done = self.coded.get((self.font, code))
        if done is not None:
            return done
        chars = self.chars.get(self.font)
        if chars is None:
            assigned = self.take.codes.get(self.font, {})
            chars = self.chars[self.font] = {n: c for c, n in assigned.items()}
        char = chars.get(code)
        if char is None:
            raise _Refused
        coded = font_code(self.canvas, self.font, char)
        if coded > 0xFF:
            raise _Refused
        done = self.coded[self.font, code] = f"\\{coded:03o}"
        return done
