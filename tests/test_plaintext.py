"""render/plaintext.py draws a plain paragraph itself: it must write what ReportLab's
Flowable.drawOn and Paragraph.drawPara write, byte for byte, and leave the canvas as
they leave it; everything else must still go to ReportLab."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.colors import CMYKColorSep, Color, HexColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from kitpress.fonts import FontBook
from kitpress.paths import bundled
from kitpress.render import plaintext
from kitpress.render.canvas import KitCanvas
from kitpress.render.internals import space_line_ends
from kitpress.render.paragraph import Para

_ANDIKA = FontBook(bundled("fonts")).family("Andika")
WORDS = st.sampled_from(
    ["a", "the", "letters,", "¿Cómo", "está?", "miércoles", "—", "555\u00a0123", "Ω", "(x)", "\\"]
)
COLORS = [
    HexColor("#000000"),
    HexColor("#224466"),
    Color(0.5, 0.5, 0.5, alpha=0.6),
    CMYKColorSep(0, 0, 0, 1, spotName="Ink"),  # a spot colour: a resource of each page
]


def _canvas(kind: str) -> Canvas:
    if kind == "plain":
        return Canvas(io.BytesIO(), invariant=1)
    canvas = KitCanvas(io.BytesIO(), initialFontName=_ANDIKA.face())
    if kind == "tagged":
        space_line_ends(canvas)  # as a tagged PDF's canvas: a space ends each line
    return canvas


def _state(canvas: Canvas) -> dict:
    """What the canvas keeps of its graphics state, as values."""
    state = {name: canvas.__dict__[name] for name in Canvas.STATE_ATTRIBUTES}
    state["_extgstate"] = dict(canvas._extgstate._d)
    state["stack"] = len(canvas.state_stack)
    return state


def _draw(draw_on, canvas: Canvas, p: Paragraph, x: float, y: float, sw: float) -> tuple:
    mark = len(canvas._code)
    draw_on(p, canvas, x, y, sw)
    return canvas._code[mark:], _state(canvas)


@settings(max_examples=150, deadline=None)
@given(
    paragraphs=st.lists(
        st.tuples(
            st.lists(WORDS, min_size=1, max_size=30),
            st.floats(20, 400),  # width
            st.sampled_from([0.0, 0.05, 0.3]),  # spaceShrinkage: lines a little too long
            st.sampled_from(range(len(COLORS))),
            st.booleans(),  # bold
            st.sampled_from([0.0, 6.0]),  # leftIndent
            st.sampled_from(["LEFT", "CENTER", "RIGHT"]),  # hAlign, with spare width
            st.sampled_from([None, 0.5, 1]),  # a fill alpha set before the paragraph
            st.sampled_from([TA_LEFT, TA_CENTER, TA_RIGHT]),  # the lines' alignment
        ),
        min_size=1,
        max_size=4,
    ),
    kind=st.sampled_from(["plain", "kit", "tagged"]),
    alpha=st.sampled_from([None, 0.5]),
)
def test_plain_paragraphs_are_drawn_as_reportlab_draws_them(paragraphs, kind, alpha):
    """The same operators on the page and the same canvas state after each paragraph,
    drawn one after another (the font's subsets are given out as the text goes), on a
    plain canvas, a kit's canvas (black as K) and a tagged one (lines end in a space),
    with and without a fill alpha set around them."""
    ours, theirs = _canvas(kind), _canvas(kind)
    for canvas in (ours, theirs):
        canvas.setFont(_ANDIKA.face(), 10)
        if alpha is not None:
            canvas.setFillAlpha(alpha)
    for i, (words, width, shrink, color, bold, indent, h_align, fill_alpha, align) in enumerate(
        paragraphs
    ):
        style = ParagraphStyle(
            f"s{i}",
            fontName=_ANDIKA.face(bold=bold),
            fontSize=11 + i,
            leading=15 + i,
            textColor=COLORS[color],
            leftIndent=indent,
            alignment=align,
            spaceShrinkage=shrink,
            splitLongWords=0,
        )
        p = Para(" ".join(words), style)
        p.hAlign = h_align
        p.wrap(width, 1000)
        for canvas in (ours, theirs):
            canvas.translate(3, 5)  # a move before: a translate must not merge with it
            if fill_alpha is not None:
                canvas.setFillAlpha(fill_alpha)
        assert plaintext._plain_lines(p, ours) is not None
        for _ in range(2):  # again: a colour set before, on this page and the next
            drawn = _draw(Para.drawOn, ours, p, 72.5, 300 - i * 40, 30)
            assert drawn == _draw(Paragraph.drawOn, theirs, p, 72.5, 300 - i * 40, 30)
            if i % 2:
                ours.showPage()
                theirs.showPage()
    assert ours.getpdfdata() == theirs.getpdfdata()


def test_a_line_set_with_narrowed_spaces_is_set_as_reportlab_sets_it():
    """A line a little longer than its width (spaceShrinkage) is set with a word space
    (Tw), set back to 0 after it; a no-break space counts as a space."""
    style = ParagraphStyle(
        "s", fontName=_ANDIKA.face(), fontSize=12, spaceShrinkage=0.3, splitLongWords=0
    )
    text = "call 555\u00a0123 on Sunday"
    p = Para(text, style)
    p.wrap(stringWidth(text, style.fontName, 12) - 2, 100)
    (extra, _), *_ = p.blPara.lines
    assert extra == pytest.approx(-2)
    ours, theirs = _canvas("kit"), _canvas("kit")
    drawn = _draw(Para.drawOn, ours, p, 10, 10, 0)
    assert f"{fp_str(-2 / 4)} Tw" in drawn[0][-3]  # four spaces, one of them no-break
    assert drawn == _draw(Paragraph.drawOn, theirs, p, 10, 10, 0)


def _paragraphs() -> list[Paragraph]:
    """Paragraphs plaintext.draw must leave to ReportLab."""
    body = ParagraphStyle("b", fontName=_ANDIKA.face(), fontSize=12, splitLongWords=0)
    shown = Para("boundary shown", body)
    shown._showBoundary = 1
    return [
        Para("set justified, both edges straight", body.clone("j", alignment=TA_JUSTIFY)),
        Para("with a bullet", body, bulletText="•"),
        Para("on a background", body.clone("g", backColor=HexColor("#eeeeee"))),
        Para("in a border", body.clone("o", borderColor=HexColor("#000000"), borderWidth=1)),
        Para("indented first line", body.clone("f", firstLineIndent=12)),
        Para('<a href="https://example.org">a link</a>', body),
        Para("<u>underlined</u>", body),
        Para("two <b>runs</b>", body),
        Para("not a TrueType font", body.clone("h", fontName="Helvetica")),
        Para("its leading from its font", body.clone("a", autoLeading="max")),
        shown,
    ]


def test_what_it_cannot_draw_goes_to_reportlab(monkeypatch):
    """Each of these is drawn by Paragraph.drawPara, as before, and draws as a
    Paragraph draws it."""
    drawn_by_reportlab = []
    original = Paragraph.drawPara
    monkeypatch.setattr(
        Paragraph,
        "drawPara",
        lambda self, debug=0: drawn_by_reportlab.append(self) or original(self, debug),
    )
    cases = _paragraphs()
    ours, theirs = _canvas("kit"), _canvas("kit")
    for p in cases:
        p.wrap(200, 500)
        assert plaintext._plain_lines(p, ours) is None
        assert _draw(Para.drawOn, ours, p, 20, 20, 0) == _draw(
            Paragraph.drawOn, theirs, p, 20, 20, 0
        )
    assert drawn_by_reportlab[::2] == cases  # ours, then theirs, each time

    drawn_by_reportlab.clear()
    for align in (TA_LEFT, TA_CENTER, TA_RIGHT):
        plain = Para("plain words, not justified", cases[0].style.clone("l", alignment=align))
        plain.wrap(200, 500)
        plain.drawOn(ours, 20, 20)
    assert drawn_by_reportlab == []  # drawn by plaintext.draw


def test_a_canvas_that_draws_its_own_way_is_drawn_through(monkeypatch):
    """A canvas class that changes how state is saved or text is drawn (say, one that
    records what is drawn) gets every call it expects."""

    class Counting(Canvas):
        saved = 0

        def saveState(self) -> None:  # noqa: N802
            Counting.saved += 1
            super().saveState()

    style = ParagraphStyle("b", fontName=_ANDIKA.face(), fontSize=12, splitLongWords=0)
    p = Para("plain words", style)
    p.wrap(200, 100)
    canvas = Counting(io.BytesIO())
    assert plaintext._plain_lines(p, canvas) is None
    p.drawOn(canvas, 10, 10)
    assert Counting.saved == 2  # Flowable.drawOn's and drawPara's

    wrapped = Canvas(io.BytesIO())
    wrapped.beginText = lambda *a, **k: pytest.fail("must not be asked")  # type: ignore[method-assign]
    assert plaintext._plain_lines(p, wrapped) is None


def test_a_canvas_that_sets_colours_its_own_way_is_asked_each_time():
    """A canvas class that changes how a fill colour (or its alpha) is set gets the call
    for every paragraph, as drawPara makes it: not only for the first one (the
    operator remembered from it would skip the class's own setting)."""

    class Recolouring(Canvas):
        calls = 0

        def setFillColor(self, aColor, alpha=None) -> None:  # noqa: N802, N803
            Recolouring.calls += 1
            super().setFillColor(aColor, alpha)

    class Realpha(Canvas):
        calls = 0

        def setFillAlpha(self, a) -> None:  # noqa: N802
            Realpha.calls += 1
            super().setFillAlpha(a)

    style = ParagraphStyle(
        "b", fontName=_ANDIKA.face(), fontSize=12, splitLongWords=0, textColor=COLORS[2]
    )
    p = Para("plain words", style)
    p.wrap(200, 100)
    for cls in (Recolouring, Realpha):
        canvas = cls(io.BytesIO())
        canvas.setFillAlpha(COLORS[2].alpha)  # the colour's alpha in force: no operator
        cls.calls = 0
        for _ in range(3):
            p.drawOn(canvas, 10, 10)
        assert cls.calls == 3, cls.__name__
