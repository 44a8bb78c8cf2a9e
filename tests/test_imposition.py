"""Card imposition: pure geometry, tested without drawing anything."""

from __future__ import annotations

import itertools

import pytest

from kitpress.render.imposition import Imposition, NoFit, Rect, Segment, apply, impose

LETTER, A4 = (612.0, 792.0), (595.2756, 841.8898)
HALF_INCH = (36.0, 36.0, 36.0, 36.0)
POKER, INDEX, POSTCARD = (180.0, 252.0), (216.0, 360.0), (288.0, 432.0)
EPS = 1e-6

CASES = [
    (paper, card, gap, bleed)
    for paper in (LETTER, A4)
    for card in (POKER, INDEX, POSTCARD, (144.0, 144.0), (100.0, 50.0))
    for gap in (0.0, 9.0, 18.0)
    for bleed in (0.0, 9.0)
]


def inside(r: Rect, outer: Rect) -> bool:
    return (
        r.x >= outer.x - EPS
        and r.y >= outer.y - EPS
        and r.right <= outer.right + EPS
        and r.top <= outer.top + EPS
    )


def overlaps(a: Rect, b: Rect) -> bool:
    """True if the interiors meet (touching edges do not count)."""
    return a.x < b.right - EPS and b.x < a.right - EPS and a.y < b.top - EPS and b.y < a.top - EPS


def crosses(seg: Segment, box: Rect) -> bool:
    """True if the segment reaches into the box's interior or onto its edge."""
    x0, x1 = sorted((seg.x0, seg.x1))
    y0, y1 = sorted((seg.y0, seg.y1))
    return x0 <= box.right + EPS and box.x <= x1 + EPS and y0 <= box.top + EPS and box.y <= y1 + EPS


@pytest.mark.parametrize(("paper", "card"), [(LETTER, POKER), (LETTER, INDEX), (LETTER, POSTCARD)])
def test_standard_sizes_fill_letter(paper, card) -> None:
    imp = impose(paper, HALF_INCH, card)
    expected = {POKER: (2, 4, True), INDEX: (2, 2, False), POSTCARD: (1, 2, True)}[card]
    assert (imp.columns, imp.rows, imp.rotated) == expected


def test_rotation_is_chosen_only_when_more_fit() -> None:
    assert impose(LETTER, HALF_INCH, POKER, rotate="never").per_sheet == 6
    assert impose(LETTER, HALF_INCH, POKER, rotate="auto").per_sheet == 8
    assert not impose(LETTER, HALF_INCH, INDEX, rotate="auto").rotated  # 4 upright vs 3 turned
    assert impose(LETTER, HALF_INCH, INDEX, rotate="always").per_sheet == 3


@pytest.mark.parametrize(("paper", "card", "gap", "bleed"), CASES)
def test_every_card_inside_sheet_and_margins_without_overlap(paper, card, gap, bleed) -> None:
    margins = (36.0, 50.0, 30.0, 40.0)  # uneven on purpose
    imp = impose(paper, margins, card, gap, bleed)
    printable = Rect(40.0, 50.0, paper[0] - 80.0, paper[1] - 100.0)  # the larger of each pair
    boxes = [s.trim.grow(bleed) for s in imp.fronts]
    for box in boxes:
        assert inside(box, Rect(0, 0, *paper))
        assert inside(box, printable)
    for a, b in itertools.combinations(boxes, 2):
        assert not overlaps(a, b)
        # the gap lies between bleed boxes of neighbours
        dx = max(b.x - a.right, a.x - b.right)
        dy = max(b.y - a.top, a.y - b.top)
        assert max(dx, dy) >= gap - EPS


@pytest.mark.parametrize(("paper", "card", "gap", "bleed"), CASES)
def test_grid_is_centred_on_the_sheet(paper, card, gap, bleed) -> None:
    imp = impose(paper, HALF_INCH, card, gap, bleed)
    left = min(s.trim.x for s in imp.fronts)
    right = max(s.trim.right for s in imp.fronts)
    bottom = min(s.trim.y for s in imp.fronts)
    top = max(s.trim.top for s in imp.fronts)
    assert left == pytest.approx(paper[0] - right)
    assert bottom == pytest.approx(paper[1] - top)


def test_no_card_fits_is_an_error() -> None:
    with pytest.raises(NoFit, match=r"a 8 x 10 in card does not fit on a 8.5 x 11 in sheet"):
        impose(LETTER, HALF_INCH, (576.0, 720.0))


def test_slots_are_dealt_row_by_row_from_the_top_left() -> None:
    imp = impose(LETTER, HALF_INCH, INDEX)
    assert [(s.row, s.col) for s in imp.fronts] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert imp.fronts[0].trim.top > imp.fronts[2].trim.top
    assert imp.fronts[0].trim.x < imp.fronts[1].trim.x


@pytest.mark.parametrize("card", [POKER, INDEX, POSTCARD, (144.0, 144.0)])
def test_matrix_maps_the_upright_card_onto_its_trim_box(card) -> None:
    for rotate in ("never", "always"):
        imp = impose(LETTER, HALF_INCH, card, rotate=rotate)
        for slot in (*imp.fronts, *imp.backs("long"), *imp.backs("short")):
            corners = [apply(slot.matrix(), x, y) for x in (0, card[0]) for y in (0, card[1])]
            xs, ys = [p[0] for p in corners], [p[1] for p in corners]
            t = slot.trim
            assert (min(xs), max(xs)) == pytest.approx((t.x, t.right))
            assert (min(ys), max(ys)) == pytest.approx((t.y, t.top))


def _turn_over(imp: Imposition, flip: str, x: float, y: float) -> tuple[float, float]:
    """Where front-page point (x, y) lands on the back page once the sheet is turned."""
    return (imp.page_w - x, y) if flip == "long" else (x, imp.page_h - y)


@pytest.mark.parametrize("flip", ["long", "short"])
@pytest.mark.parametrize("card", [POKER, INDEX, POSTCARD])
@pytest.mark.parametrize("gap", [0.0, 12.0])
def test_backs_mirror_fronts(flip, card, gap) -> None:
    imp = impose(LETTER, HALF_INCH, card, gap)
    backs = imp.backs(flip)
    for front, back in zip(imp.fronts, backs, strict=True):
        if flip == "long":
            assert (back.row, back.col) == (front.row, imp.columns - 1 - front.col)
        else:
            assert (back.row, back.col) == (imp.rows - 1 - front.row, front.col)
        # every point of the back sits behind the same point of the front, and the back
        # reads upright when the card is turned over side to side
        w, h = imp.card_w, imp.card_h
        for u, v in [(0, 0), (w, 0), (0, h), (w, h), (w / 3, h / 5)]:
            behind = _turn_over(imp, flip, *apply(front.matrix(), w - u, v))
            assert apply(back.matrix(), u, v) == pytest.approx(behind)


def test_back_offset_moves_backs_only() -> None:
    imp = impose(LETTER, HALF_INCH, POKER)
    fronts_before = imp.fronts
    plain, moved = imp.backs("long"), imp.backs("long", (7.0, -3.5))
    assert imp.fronts == fronts_before
    for a, b in zip(plain, moved, strict=True):
        assert (b.trim.x - a.trim.x, b.trim.y - a.trim.y) == pytest.approx((7.0, -3.5))
        assert (a.row, a.col, a.rotation) == (b.row, b.col, b.rotation)


@pytest.mark.parametrize(("paper", "card", "gap", "bleed"), CASES)
def test_crop_marks_stay_outside_every_card_and_off_the_sheet_edge(paper, card, gap, bleed) -> None:
    offset, length, clearance = max(6.0, bleed), 15.0, 9.0
    imp = impose(paper, HALF_INCH, card, gap, bleed)
    marks = imp.crop_marks(offset, length, clearance, 4.0)
    assert marks
    for seg in marks:
        assert seg.x0 == seg.x1 or seg.y0 == seg.y1  # horizontal or vertical
        assert 4.0 - EPS <= abs(seg.x1 - seg.x0) + abs(seg.y1 - seg.y0) <= length + EPS
        for x, y in ((seg.x0, seg.y0), (seg.x1, seg.y1)):
            assert clearance - EPS <= x <= paper[0] - clearance + EPS
            assert clearance - EPS <= y <= paper[1] - clearance + EPS
        for s in imp.fronts:
            # offset >= bleed, so this also keeps marks off every bleed box
            assert not crosses(seg, s.trim.grow(offset - 0.01))


@pytest.mark.parametrize("gap", [0.0, 18.0])
def test_every_cut_line_has_marks(gap) -> None:
    imp = impose(LETTER, HALF_INCH, POKER, gap)
    marks = imp.crop_marks(6, 15, 9, 4)
    xs = {round(v, 3) for s in imp.fronts for v in (s.trim.x, s.trim.right)}
    ys = {round(v, 3) for s in imp.fronts for v in (s.trim.y, s.trim.top)}
    vertical = {round(m.x0, 3) for m in marks if m.x0 == m.x1}
    horizontal = {round(m.y0, 3) for m in marks if m.y0 == m.y1}
    assert xs <= vertical
    assert ys <= horizontal


def test_with_a_gap_cut_guides_also_fall_in_the_gutters() -> None:
    no_gap = impose(LETTER, HALF_INCH, POKER, 0.0)
    gap = impose(LETTER, HALF_INCH, POKER, 18.0)

    def in_gutter(imp: Imposition, seg: Segment) -> bool:
        left = min(s.trim.x for s in imp.fronts)
        right = max(s.trim.right for s in imp.fronts)
        bottom = min(s.trim.y for s in imp.fronts)
        top = max(s.trim.top for s in imp.fronts)
        return all(left < v < right for v in (seg.x0, seg.x1)) and all(
            bottom < v < top for v in (seg.y0, seg.y1)
        )

    assert not any(in_gutter(no_gap, m) for m in no_gap.crop_marks(6, 15, 9, 4))
    assert any(in_gutter(gap, m) for m in gap.crop_marks(6, 15, 9, 4))
