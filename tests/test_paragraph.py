"""Para, kitpress's Paragraph: text without markup skips ReportLab's parser and must
come out exactly as the parser would make it (the same fragments, the same lines, the
same bytes on the page)."""

from __future__ import annotations

import io

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from reportlab.lib.colors import CMYKColor, CMYKColorSep, HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import _wsc
from reportlab.platypus.paraparser import ParaParser

from kitpress.fonts import FontBook
from kitpress.paths import bundled
from kitpress.render.paragraph import Para

TEXTS = [
    "Short calls, fewer letters.",
    "  spaces at the ends,\n\n a line break  and\ttabs  ",
    "¿Cómo está? Él llamó el miércoles — 555\u00a0123\u00a04567.",
    "one",
    "   ",
    "",
    "a > b, quotes \" and ' and ; semicolons",
]


def _styles() -> list[ParagraphStyle]:
    andika = FontBook(bundled("fonts")).family("Andika")
    return [
        ParagraphStyle("body", fontName=andika.face(), fontSize=12, leading=16),
        ParagraphStyle(
            "strong", fontName=andika.face(bold=True), fontSize=13.5, textColor=HexColor("#224466")
        ),
        ParagraphStyle("caps", fontName=andika.face(italic=True), textTransform="uppercase"),
        ParagraphStyle("helvetica", fontName="Helvetica-Bold", fontSize=9),
    ]


def _fragments(p: Paragraph) -> list[list]:
    return [list(vars(f).items()) for f in p.frags]


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_plain_text_comes_out_as_the_parser_makes_it(text, monkeypatch):
    parsed = {s.name: Paragraph(text, s) for s in _styles()}
    for style in _styles():
        Para("x", style)  # the parser reads one letter once per font, size and colour
    # from here on the parser may not run for plain text
    monkeypatch.setattr(ParaParser, "parse", lambda *a: pytest.fail("parsed plain text"))
    for style in _styles():
        ours, theirs = Para(text, style), parsed[style.name]
        assert (ours.text, _fragments(ours)) == (theirs.text, _fragments(theirs))
        assert ours.style is style and ours.bulletText == theirs.bulletText
        if ours.frags:  # fragments of their own: one paragraph's lists are not another's
            assert ours.frags[0].link is not Para(text, style).frags[0].link


def test_plain_text_is_drawn_byte_for_byte_as_parsed():
    def drawn(make: type) -> bytes:
        canvas = Canvas(io.BytesIO(), invariant=1)
        y = 760.0
        for style in _styles():
            for text in TEXTS:
                p = make(text * 3, style)
                _, h = p.wrap(200, 800)
                p.drawOn(canvas, 72, y - h)
                y -= h
        return canvas.getpdfdata()

    assert drawn(Para) == drawn(Paragraph)


def test_markup_still_goes_through_the_parser():
    (style, *_) = _styles()
    for text in ["a &amp; b", 'a <font name="Helvetica">b</font>', "x<br/>y"]:
        ours, theirs = Para(text, style), Paragraph(text, style)
        assert _fragments(ours) == _fragments(theirs)
    assert len(Para("a &amp; b", style).frags) == 3  # the parser's own three fragments


def _drawn_one(p: Paragraph) -> bytes:
    canvas = Canvas(io.BytesIO(), invariant=1)
    _, h = p.wrap(200, 800)
    p.drawOn(canvas, 72, 700 - h)
    return canvas.getpdfdata()


def test_colours_that_compare_equal_are_still_drawn_as_their_own():
    # a spot colour (drawn as a separation) equals the plain CMYK colour of the same
    # inks; a fragment made for one may not be reused for the other
    spot, plain = CMYKColorSep(0, 0, 0, 1, spotName="Ink"), CMYKColor(0, 0, 0, 1, spotName="Ink")
    assert spot == plain
    for first, then in [(spot, plain), (plain, spot)]:
        Para("x", ParagraphStyle("first", fontName="Helvetica", textColor=first))
        style = ParagraphStyle("then", fontName="Helvetica", textColor=then)
        assert _drawn_one(Para("Call on Sunday.", style)) == _drawn_one(
            Paragraph("Call on Sunday.", style)
        )
        assert Para("Call on Sunday.", style).frags[0].textColor is then


def test_a_colour_that_cannot_be_hashed_is_drawn_as_by_the_parser():
    style = ParagraphStyle("list", fontName="Helvetica", textColor=[0.2, 0.4, 0.6])
    assert _drawn_one(Para("Call on Sunday.", style)) == _drawn_one(
        Paragraph("Call on Sunday.", style)
    )


def test_a_font_family_mapped_again_is_followed(monkeypatch):
    """The parser maps a font name through ReportLab's families each time; so does the
    plain-text fragment, when a family is registered again with another face."""
    from reportlab.lib import fonts

    style = ParagraphStyle("mono", fontName="Courier")
    Para("x", style)  # remembered under Courier's mapping
    monkeypatch.setitem(fonts._tt2ps_map, ("courier", 0, 0), "Times-Roman")
    ours, theirs = Para("Hello", style), Paragraph("Hello", style)
    assert _fragments(ours) == _fragments(theirs)
    assert ours.frags[0].fontName == "Times-Roman"


def test_a_font_in_no_family_fails_as_reportlab_fails():
    style = ParagraphStyle("lost", fontName="NoSuchFont")
    with pytest.raises(ValueError) as ours:
        Para("Hello", style)
    with pytest.raises(ValueError) as theirs:
        Paragraph("Hello", style)
    assert str(ours.value) == str(theirs.value)


def _broken(p: Paragraph, width) -> tuple:
    """What breakLines made: its lines and measures, and what it left on the paragraph."""
    bl = p.breakLines(width)
    return (
        sorted((k, v) for k, v in vars(bl).items() if k != "lines"),
        [(extra, list(words)) for extra, words in bl.lines],
        p._width_max,
        p.height,
        p._splitLongWordCount,
        p._hyphenations,
    )


WORDS = st.sampled_from(
    [
        "a",
        "the",
        "letters",
        "¿Cómo",
        "está?",
        "miércoles",
        "—",
        "555\u00a0123",
        "x" * 30,
        "calls,",
        "Ω",
        "fewer",
        "",
        " ",
        "\t",
        "\n",
        "  ",
    ]
)


_STYLES = _styles()


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(WORDS, max_size=40),
    width=st.one_of(st.floats(5, 500), st.lists(st.floats(5, 500), min_size=1, max_size=3)),
    style=st.sampled_from(range(4)),
    shrink=st.sampled_from([0.05, 0.0, 0.2]),
)
def test_lines_are_broken_as_reportlab_breaks_them(words, width, style, shrink):
    """Para breaks one run of plain text itself (word widths remembered): the same
    lines, widths and leftovers as ReportLab's breakLines, to the last bit, at one width
    or a list of them (a first line of its own)."""
    s = _STYLES[style].clone("s", spaceShrinkage=shrink, splitLongWords=0)  # as kitpress
    text = " ".join(words)
    ours, theirs = Para(text, s), Paragraph(text, s)
    assert ours._one_run() is not None or not ours.frags
    assert _broken(ours, width) == _broken(theirs, width)
    assert _broken(ours, width) == _broken(theirs, width)  # measured words, remembered


def test_lines_break_as_reportlab_breaks_them_at_every_width():
    """Every width from 10pt to 400pt in half points, so each line end is met just
    before, at and after it fits (with the spaces' allowed shrink, and without)."""
    texts = [t for t in TEXTS if t.strip()] + [" ".join(TEXTS) * 2]
    for style in _STYLES:
        for shrink in (0.05, 0.0):
            s = style.clone("s", spaceShrinkage=shrink, splitLongWords=0)
            for text in texts:
                ours, theirs = Para(text, s), Paragraph(text, s)
                for half in range(20, 800):
                    assert _broken(ours, half / 2) == _broken(theirs, half / 2), (text, half)


def test_what_it_cannot_break_itself_goes_to_reportlab(monkeypatch):
    """A soft hyphen, hyphenation, long words cut, a bullet, markup, right to left:
    ReportLab's own breakLines, as before."""
    body = _styles()[0].clone("body", splitLongWords=0)  # as kitpress sets it
    assert Para("plain words", body)._one_run() is not None
    cases = [
        Para("soft\xadhyphen in a word", body),
        Para("a word to hyphenate", body.clone("h", hyphenationLang="en_US")),
        Para("cut " + "x" * 80, body.clone("c", splitLongWords=1)),
        Para("with a bullet", body, bulletText="•"),
        Para("two <b>runs</b> of text", body),
        Para("right to left", body.clone("r", wordWrap="RTL")),
    ]
    called = []
    original = Paragraph.breakLines
    monkeypatch.setattr(
        Paragraph, "breakLines", lambda self, w: called.append(self) or original(self, w)
    )
    for p in cases:
        assert p._one_run() is None
        p.breakLines(120)
    assert called == cases


@settings(max_examples=500, deadline=None)
@given(
    st.text(
        # letters, spaces and no-break spaces half the time; else any character
        # ReportLab counts as white space
        alphabet=st.one_of(st.sampled_from(["a", "é", "1", " ", "\xa0"]), st.sampled_from(_wsc)),
        max_size=12,
    )
)
@example("a ")
@example(" a")
@example("a  b")
@example("a\u200bb")
@example("a \xa0 b")
def test_text_is_cleaned_as_reportlab_cleans_it(text):
    """Para gives text whose only white space is single spaces between words back as
    it is (no split and join): for any text, the same as cleanBlockQuotedText."""
    from reportlab.platypus.paragraph import cleanBlockQuotedText

    from kitpress.render.paragraph import _clean

    assert _clean(text) == cleanBlockQuotedText(text)
