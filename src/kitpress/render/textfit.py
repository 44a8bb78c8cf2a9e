"""Fast plain-text setting for cards: greedy line breaking with cached word widths,
font fallback per run, and shrink-to-fit. No Paragraph objects: a deck may hold
10,000 cards, and a card's text is one short paragraph or a few.

Widths are cached per word at 1 pt, which serves every size (widths scale linearly).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from kitpress import linebreaks
from kitpress.fonts import FontChain

Run = tuple[str, str]  # (font name, text)


@dataclass(frozen=True)
class Setting:
    """Text broken into lines at one size."""

    size: float
    leading: float
    lines: tuple[tuple[tuple[Run, ...], float], ...]  # (runs, width at `size`)

    @property
    def height(self) -> float:
        return len(self.lines) * self.leading


class Setter:
    """Sets text in one face of a font chain (bold/italic), falling back per character."""

    def __init__(self, chain: FontChain, bold: bool = False, italic: bool = False) -> None:
        self.chain, self.bold, self.italic = chain, bold, italic
        self.main = chain.text.face(bold, italic)
        self.main_coverage = chain.text.coverage
        self.space = stringWidth(" ", self.main, 1)
        self._words: dict[str, tuple[tuple[Run, ...], float]] = {}

    @cached_property
    def fallbacks(self) -> list[tuple[str, frozenset[int]]]:
        """Each family's face and coverage, in the chain's order: asked for only when a
        character is missing from the text font, so the symbols font is not parsed
        (about 25 ms a font) for text that never needs it."""
        return [(f.face(self.bold, self.italic), f.coverage) for f in self.chain.families]

    def word(self, word: str) -> tuple[tuple[Run, ...], float]:
        """A word's font runs and its width at 1 pt (cached)."""
        hit = self._words.get(word)
        if hit is not None:
            return hit
        runs: list[list[str]] = []
        main_cov = self.main_coverage
        for ch in word:
            face = self.main
            if ord(ch) not in main_cov:
                face = next((f for f, cov in self.fallbacks if ord(ch) in cov), self.main)
            if runs and runs[-1][0] == face:
                runs[-1][1] += ch
            else:
                runs.append([face, ch])
        result = (
            tuple((f, t) for f, t in runs),
            sum(stringWidth(t, f, 1) for f, t in runs),
        )
        self._words[word] = result
        return result

    def width(self, word: str) -> float:
        """A word's width at 1 pt."""
        return self.word(word)[1]

    def lines(self, text: str, width: float, size: float) -> list[tuple[list[str], float]] | None:
        """Greedy line breaks by the rules of kitpress.linebreaks: (words, width at 1 pt)
        per line, or None if a word is too wide even where it may break."""
        limit = width / size
        out: list[tuple[list[str], float]] = []
        for para in linebreaks.protect(text).split("\n"):
            words: list[str] = []
            line_w = 0.0
            for w in linebreaks.words(para):
                w_w = self.width(w)
                if w_w > limit:  # an address too wide for a line: its own lines
                    parts = linebreaks.chunks(w, limit, self.width)
                    if parts is None:
                        return None
                    if words:
                        out.append((words, line_w))
                    out += [([part], self.width(part)) for part in parts[:-1]]
                    w = parts[-1]
                    words, line_w, w_w = [], 0.0, self.width(w)
                if words and line_w + self.space + w_w > limit:
                    out.append((words, line_w))
                    words, line_w = [], 0.0
                line_w += (self.space if words else 0.0) + w_w
                words.append(w)
            out.append((words, line_w))
        return out

    def too_wide(self, text: str, width: float, size: float) -> str | None:
        """The word that keeps `text` from fitting `width` at `size`, if one does."""
        return linebreaks.too_wide(text, width / size, self.width)

    def set(self, text: str, width: float, size: float, leading: float) -> Setting | None:
        broken = self.lines(text, width, size)
        if broken is None:
            return None
        lines = []
        for words, w in broken:
            runs: list[Run] = []
            for i, word in enumerate(words):
                parts = self.word(word)[0]
                if i:
                    parts = ((self.main, " "), *parts)
                for face, part in parts:
                    if runs and runs[-1][0] == face:
                        runs[-1] = (face, runs[-1][1] + part)
                    else:
                        runs.append((face, part))
            lines.append((tuple(runs), w * size))
        return Setting(size, leading, tuple(lines))

    def fit(
        self,
        text: str,
        width: float,
        height: float,
        size: float,
        leading: float,
        min_size: float,
        step: float,
    ) -> Setting | None:
        """The largest size from `size` down to `min_size` (in `step`s) at which the text
        fits the box; leading shrinks with the size. None if it fits at none.

        Found by bisection over the steps: a smaller size never needs more lines (greedy
        breaking fills each line at least as far), so "fits" only turns on as the size
        goes down. A layout may ask for a thousand steps; each card tries about ten."""

        # (word widths are cached at 1 pt, so each try costs only the line breaking)
        def fits(n: int) -> bool:
            s = size - n * step
            broken = self.lines(text, width, s)
            return broken is not None and len(broken) * (leading * s / size) <= height + 1e-6

        last = math.floor((size - min_size + 1e-9) / step)  # the smallest size: min_size or over
        if last < 0 or not fits(last):
            return None
        lo, hi = -1, last  # fits(lo) is false (or lo is above the largest size), fits(hi)
        if fits(0):
            hi = 0  # the common case: no shrinking
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if fits(mid):
                hi = mid
            else:
                lo = mid
        s = size - hi * step
        return self.set(text, width, s, leading * s / size)


def draw_setting(
    c: Canvas,
    setting: Setting,
    x: float,
    top: float,
    width: float,
    align: str,
) -> None:
    """Draw the lines with the first baseline one size below `top`. Each line but the
    last ends in a space, drawn past its end, so text read back joins lines with one."""
    size = setting.size
    y = top - size * 0.93  # the ascent of most text faces, so the ink starts near `top`
    last = len(setting.lines) - 1
    for k, (runs, w) in enumerate(setting.lines):
        if k < last and runs:
            face, text = runs[-1]
            runs = (*runs[:-1], (face, text + " "))
        if align == "center":
            lx = x + (width - w) / 2
        elif align == "right":
            lx = x + width - w
        else:
            lx = x
        if len(runs) == 1:
            c.setFont(runs[0][0], size)
            c.drawString(lx, y, runs[0][1])
        else:
            t = c.beginText(lx, y)
            for face, part in runs:
                t.setFont(face, size)
                t.textOut(part)
            c.drawText(t)
        y -= setting.leading
