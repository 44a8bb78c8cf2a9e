"""Paragraphs that break lines by kitpress's rules (kitpress.linebreaks), not only
ReportLab's: an address too wide for its line breaks after / . - or @, and a word too
wide for its line stops the build instead of being cut letter by letter.

ReportLab breaks lines at spaces only (never at a no-break space, which keeps phone
numbers whole). A word wider than its line overflows it (the style has
splitLongWords off, see flowing.Styles); only then does Para step in: it breaks an
address where the rules allow, with a forced line break, or raises TooWide.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from typing import Any

from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.pdfbase.pdfmetrics import getAscentDescent, getFont, stringWidth
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import (
    _processed_frags,
    _wsc,
    cleanBlockQuotedText,
    split,
    strip,
    textTransformFrags,
)
from reportlab.platypus.paraparser import ParaFrag, ParaParser

from kitpress import linebreaks
from kitpress.errors import quoted
from kitpress.render import plaintext

_FUZZ = 0.01  # points: rounding in ReportLab's width sums


class TooWide(Exception):
    """A word wider than its line. build_flowing turns it into a FitError at the content
    being laid out. ReportLab may re-raise it with its own words added in front (see
    reportlab.lib.utils.annotateException); `first` finds the one raised here, with
    the key path of the text it was raised for when that text was tagged with one."""

    key_path: tuple | None = None

    @staticmethod
    def first(error: TooWide) -> TooWide:
        while isinstance(error.__context__, TooWide):
            error = error.__context__
        return error


class Para(Paragraph):
    """A Paragraph of plain `text`, drawn from `prefix + markup(text)` (FontChain.markup;
    the prefix, say a bold title, is markup that is never broken).

    It breaks its lines once per width. Platypus measures a flowable again each time it
    tries it somewhere: a table row on each page it might split on, a section kept
    together on the page it did not fit and the next. Line breaking depends only on the
    width, so the last result is kept: a handout of long texts costs one line breaking
    per text, not one per try."""

    frags: Any  # ReportLab's parse of the markup, and the markup it parsed
    text: Any
    _wrapped: tuple[float, float, float] | None = None  # (width asked, width, height)

    def __init__(
        self,
        text: str | None,
        style: Any,
        *args: Any,
        plain: str | None = None,
        markup: Callable[[str], str] | None = None,
        prefix: str = "",
        **kwargs: Any,
    ) -> None:
        # ReportLab makes the halves of a split paragraph with (None, style, frags=…):
        # those have no plain text and are already broken.
        super().__init__(text, style, *args, **kwargs)
        self.plain, self.markup, self.prefix = plain, markup, prefix
        self._given = (self.frags, self.text)
        self._broken_at: float | None = None
        self._checked_at: float | None = None  # tables wrap a cell again and again

    def _setup(self, text: Any, style: Any, bulletText: Any, frags: Any, cleaner: Any) -> None:  # noqa: N803
        # Text with no markup (no tag, no entity: most of a kit) is one fragment in the
        # style's font; ReportLab's parser (an HTMLParser made for each paragraph, a
        # fifth of laying out a long checklist) would make just that fragment.
        if cleaner is cleanBlockQuotedText:
            cleaner = _clean
        if frags is None and isinstance(text, str) and "<" not in text and "&" not in text:
            text = cleaner(text)
            frags = [_plain_fragment(style, text)] if text else []
            textTransformFrags(frags, style)
        super()._setup(text, style, bulletText, frags, cleaner)

    def breakLines(self, width: Any) -> Any:  # noqa: N802 (ReportLab's name)
        """ReportLab's breakLines, for its common case done here: one run of text in
        one font, with no hyphenation, no soft hyphens, no bullet and no word cut
        (splitLongWords is off). It is ReportLab's loop for that case (the same lines,
        to the last bit of every width) with the cases it cannot meet taken out, and
        each word's width remembered: breaking lines was a seventh of laying out and
        drawing a long checklist, half of it measuring words (most of them words
        measured before)."""
        frag = self._one_run()
        if frag is None:
            return super().breakLines(width)
        self._width_max: float = 0
        self.height = 0
        self._splitLongWordCount = self._hyphenations = 0
        widths = list(width) if isinstance(width, (tuple, list)) else [width]
        last = len(widths) - 1
        font_name, size = frag.fontName, frag.fontSize
        ascent, descent = getAscentDescent(font_name, size)
        text = strip(frag.text)
        if not text:
            return _clone(frag, kind=0, lines=[], ascent=ascent, descent=descent, fontSize=size)
        measured = _word_widths(font_name, size, self.encoding)
        font = getFont(font_name)
        space = measured.get(" ")
        if space is None:
            space = measured[" "] = font.stringWidth(" ", size, self.encoding)
        shrink = self.style.spaceShrinkage * space
        lines: list[tuple[float, list[str]]] = []
        line: list[str] = []
        lineno, max_width, current = 0, widths[0], -space
        widest: float = 0  # (as ReportLab starts it)
        # (ReportLab's split, which keeps no-break spaces inside words, copies its list)
        for word in text.split() if "\xa0" not in text else split(text):
            word_width = measured.get(word)
            if word_width is None:
                word_width = measured[word] = font.stringWidth(word, size, self.encoding)
            new_width = current + space + word_width
            if new_width <= max_width + shrink * len(line) or not line:
                line.append(word)
                current = new_width
            else:  # the end of a line
                widest = max(widest, current)
                lines.append((max_width - current, line))
                line, current = [word], word_width
                lineno += 1
                max_width = widths[min(last, lineno)]
        if line:
            widest = max(widest, current)
            lines.append((max_width - current, line))
        self._width_max = widest
        return _clone(frag, kind=0, lines=lines, ascent=ascent, descent=descent, fontSize=size)

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        # most paragraphs are drawn by plaintext.draw, the rest by ReportLab
        if not plaintext.draw(self, canvas, x, y, _sW):
            super().drawOn(canvas, x, y, _sW)

    def _one_run(self) -> Any:
        """The one fragment of a paragraph breakLines can break here, or None."""
        style, frags = self.style, self.frags
        if len(frags) != 1 or self.bulletText or _processed_frags(frags):
            return None
        frag = frags[0]
        plain = (
            not style.wordWrap
            and not getattr(style, "shaping", 0)  # (not in ReportLab 4.0)
            and not getattr(style, "hyphenationLang", "")
            and not style.uriWasteReduce
            and not style.embeddedHyphenation
            and not style.splitLongWords
            and not style.endDots
        )
        if not plain or any(hasattr(frag, a) for a in ("cbDefn", "backColor")):
            return None
        text = getattr(frag, "text", None)
        if not isinstance(text, str) or _SHY in text:
            return None
        return frag

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        last = self._wrapped
        # (split() drops the broken lines, blPara, to have the paragraph broken again)
        if last is not None and last[0] == availWidth and "blPara" in self.__dict__:
            return last[1], last[2]
        size = self._wrap(availWidth, availHeight)
        self._wrapped = (availWidth, size[0], size[1])
        return size

    def _wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if self._broken_at is not None and self._broken_at != availWidth:
            self.frags, self.text = self._given  # a new width: break the text as given
            self._broken_at = None
        size = super().wrap(availWidth, availHeight)
        if self.plain is None or self.markup is None or self._checked_at == availWidth:
            return size
        if self._overflows(availWidth):
            size = self._rebreak(self.plain, self.markup, availWidth, availHeight)
        self._checked_at = availWidth
        return size

    def _rebreak(
        self, plain: str, markup: Callable[[str], str], width: float, height: float
    ) -> tuple[float, float]:
        """Past the width: a word too wide for any line, or only spaces ReportLab will
        narrow a little (style.spaceShrinkage), which is fine."""
        style = self.style

        def measure(text: str) -> float:
            return float(stringWidth(text, style.fontName, style.fontSize))

        segments = linebreaks.segments(plain, width, measure)
        if segments is None:
            word = linebreaks.too_wide(plain, width, measure) or plain
            error = TooWide(
                f"the word {quoted(word)} is too long for its line "
                f"({width / 72:.1f} in at {style.fontSize:g} pt); {linebreaks.hint(word)}"
            )
            error.key_path = getattr(self, "kitpress_key", None)  # flowing.tagged
            raise error
        if len(segments) == 1:
            return self.width, self.height  # as wrapped
        # an address broken where the rules allow, with forced line breaks
        again = Paragraph(self.prefix + "<br/>".join(map(markup, segments)), style)
        self.frags, self.text = again.frags, again.text
        self._broken_at = width
        return super().wrap(width, height)

    def _overflows(self, width: float) -> bool:
        return max(self.getActualLineWidths0(), default=0.0) > width + _FUZZ


# what cleanBlockQuotedText would change: white space at either end, two spaces
# together, or any white space but a space and a no-break space (ReportLab's list: it
# has the zero-width space, not the no-break space)
_UNCLEAN = re.compile("^ | $|  |[" + re.escape(_wsc.replace(" ", "")) + "]")


def _clean(text: Any) -> Any:
    """ReportLab's cleanBlockQuotedText (each line stripped, its words joined by one
    space, the lines joined by one space), which changes nothing in text whose only
    white space is single spaces between words: that text, most of a kit, is given
    back as it is, not split into lines and words and joined again."""
    if isinstance(text, str) and _UNCLEAN.search(text) is None:
        return text
    return cleanBlockQuotedText(text)


def _clone(bag: Any, **changes: Any) -> Any:
    """bag.clone(**changes), for ReportLab's ABag (a fragment): the same attributes in
    the same order, made in one step (ABag.clone passes them all through keyword
    arguments; it is called for each paragraph, twice)."""
    made = object.__new__(type(bag))
    made.__dict__ = {**bag.__dict__, **changes}
    return made


_SHY = "\xad"  # a soft hyphen: where ReportLab may hyphenate a word
# each word's width, per font, then per size and encoding
_WIDTHS: weakref.WeakKeyDictionary[Any, dict[tuple, dict[str, float]]] = weakref.WeakKeyDictionary()


def _word_widths(font_name: str, size: float, encoding: Any) -> dict[str, float]:
    """The widths of words measured in this font and size. Kept by the font object, not
    its name, and only while the font lives: a name registered again (a test, a preview
    reading the kit's new font) is a new font, and the old one's widths go with it."""
    by_size = _WIDTHS.setdefault(getFont(font_name), {})
    key = (size, encoding)
    widths = by_size.get(key)
    if widths is None or len(widths) > 20_000:  # bounded, for a preview running for hours
        if len(by_size) > 64:
            by_size.clear()
        widths = by_size[key] = {}
    return widths


_FRAGMENTS: dict[tuple, ParaFrag] = {}  # a parsed fragment per font name, as mapped


def _plain_fragment(style: Any, text: str) -> ParaFrag:
    """The one fragment ReportLab's parser makes of `text` (no tags, no entities) in
    `style`: its parse of the first such text in this font, with the text put in and
    lists of its own.

    Only the font is looked up: its name, and how ReportLab's font families map it (as
    the parser does; a family registered again may map it elsewhere). Size and colour
    are the style's own objects, as the parser sets them: colours that compare equal
    may draw differently (a spot colour equals the plain CMYK colour of its inks), and
    a colour may not be hashable at all."""
    name = style.fontName
    try:
        family = ps2tt(name)
        key: tuple = (name, family, tt2ps(*family))
    except ValueError:  # not in a family: the parser says so, in its own words
        key = (name, None, None)
    made = _FRAGMENTS.get(key)
    if made is None:
        if len(_FRAGMENTS) >= 256:  # a long preview makes styles afresh: bounded
            _FRAGMENTS.clear()
        (made,) = ParaParser().parse(text, style)[1]  # (its errors quote the text)
        _FRAGMENTS[key] = made
    frag = _clone(made)
    frag.link, frag.us_lines, frag.text = [], [], text
    frag.fontSize, frag.textColor = style.fontSize, style.textColor
    return frag
