"""The card deck end to end: YAML in, PDF read back with pypdf."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from kitpress.cli import cli
from kitpress.content.cards import CardDeck
from kitpress.render.imposition import apply
from kitpress.typography import Quotes, typeset_data
from kitpress.yamlio import load_yaml

DECK = "letter-prompt-cards"
POKER_W, POKER_H = 180.0, 252.0
LETTER_W, LETTER_H = 612.0, 792.0
# a card: its matrix, then its front (the category's name, marked as a heading for screen
# readers) or its back
_CM = re.compile(r"q\n([-\d. ]+) cm\n(?:/H\d <</MCID \d+>> BDC\n)?/FormXob\.(front|back)(\d+) Do")


@pytest.fixture
def deck_kit(kit_copy: Path) -> Path:
    """The default kit with only the card deck in it (quicker to build)."""
    manifest = kit_copy / "kit.yaml"
    text = manifest.read_text()
    manifest.write_text(re.sub(r"handouts:\n(  - .*\n)+", f"handouts:\n  - {DECK}\n", text))
    return kit_copy


def deck_file(kit: Path) -> Path:
    return kit / "en" / f"{DECK}.yaml"


def load_deck(kit: Path) -> CardDeck:
    # as printed: straight quotes typographic, as kit.py loads it
    return CardDeck.model_validate(typeset_data(load_yaml(deck_file(kit)).data, Quotes()))


def add_layout(kit: Path, name: str, text: str) -> None:
    (kit / "layouts").mkdir(exist_ok=True)
    (kit / "layouts" / f"{name}.yaml").write_text(text)


def replace_card(kit: Path, old: str, new: str) -> int:
    """Put `new` in place of card text `old`; return the card's line number."""
    path = deck_file(kit)
    lines = path.read_text().splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if f'"{old}"' in line)
    lines[n] = lines[n].replace(f'"{old}"', f'"{new}"')
    path.write_text("".join(lines))
    return n + 1


def build(runner, kit: Path, *args: str):
    return runner.invoke(cli, ["build", str(kit), "-o", "out", *args])


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def placements(reader: PdfReader, page: int) -> list[tuple[str, int, tuple[float, ...]]]:
    """(front|back, category, matrix) of every card drawn on a page, in drawing order."""
    data = reader.pages[page].get_contents().get_data().decode("latin-1")
    return [
        (side, int(cat), tuple(float(v) for v in m.split())) for m, side, cat in _CM.findall(data)
    ]


def test_default_deck_builds_interleaved_with_calibration(runner, deck_kit, in_tmp) -> None:
    result = build(runner, deck_kit)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [
        f"wrote out/en/{DECK}.pdf (16 pages)",
        f"wrote out/en/{DECK}-calibration.pdf (2 pages)",
    ]
    deck = load_deck(deck_kit)
    assert len(deck.cards()) == 64 and len(deck.categories) == 7
    reader = PdfReader(in_tmp / "out" / "en" / f"{DECK}.pdf")
    assert len(reader.pages) == 16  # 8 cards a sheet: 8 fronts, each followed by its back
    for i, page in enumerate(reader.pages):
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (LETTER_W, LETTER_H)
        sides = {side for side, _, _ in placements(reader, i)}
        assert sides == ({"front"} if i % 2 == 0 else {"back"})
    prefs = reader.trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/Duplex"] == "/DuplexFlipLongEdge"
    assert prefs["/PrintScaling"] == "/None"
    calibration = PdfReader(in_tmp / "out" / "en" / f"{DECK}-calibration.pdf")
    assert len(calibration.pages) == 2
    assert calibration.trailer["/Root"]["/ViewerPreferences"]["/Duplex"] == "/DuplexFlipLongEdge"


def test_text_of_every_card_is_in_the_pdf(runner, deck_kit, in_tmp) -> None:
    assert build(runner, deck_kit).exit_code == 0
    reader = PdfReader(in_tmp / "out" / "en" / f"{DECK}.pdf")
    fronts = squash("".join(reader.pages[i].extract_text() for i in range(0, 16, 2)))
    backs = "".join(reader.pages[i].extract_text() for i in range(1, 16, 2))
    deck = load_deck(deck_kit)
    position = 0
    for _, _, _, text in deck.cards():
        found = fronts.find(squash(text), position)
        assert found >= 0, text  # present, and in deck order
        position = found
    for category in deck.categories:
        assert backs.count(category.name) == len(category.cards)
    assert backs.count(deck.title) == len(deck.cards())


@pytest.mark.parametrize("flip", ["long", "short"])
def test_each_back_lands_behind_its_front(runner, deck_kit, in_tmp, flip) -> None:
    assert build(runner, deck_kit, "--flip", flip).exit_code == 0
    reader = PdfReader(in_tmp / "out" / "en" / f"{DECK}.pdf")
    edge = {"long": "/DuplexFlipLongEdge", "short": "/DuplexFlipShortEdge"}[flip]
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/Duplex"] == edge
    checked, total = 0, len(load_deck(deck_kit).cards())
    for sheet in range(8):
        fronts, backs = placements(reader, 2 * sheet), placements(reader, 2 * sheet + 1)
        assert len(fronts) == len(backs) == min(8, total - 8 * sheet)
        for (_, cat_f, front), (_, cat_b, back) in zip(fronts, backs, strict=True):
            assert cat_f == cat_b
            for u, v in [(0, 0), (POKER_W, 0), (0, POKER_H), (50, 70)]:
                x, y = apply(front, POKER_W - u, v)  # the point behind back point (u, v)
                turned = (LETTER_W - x, y) if flip == "long" else (x, LETTER_H - y)
                assert apply(back, u, v) == pytest.approx(turned)
            checked += 1
    assert checked == total


def test_back_offset_moves_back_sheets_only(runner, deck_kit, in_tmp) -> None:
    assert build(runner, deck_kit).exit_code == 0
    plain = PdfReader(in_tmp / "out" / "en" / f"{DECK}.pdf")
    add_layout(deck_kit, "poker", "extends: poker\nduplex: {back_offset: {x: 2mm, y: -1.5pt}}\n")
    assert build(runner, deck_kit).exit_code == 0
    moved = PdfReader(in_tmp / "out" / "en" / f"{DECK}.pdf")
    for page in range(16):
        for (_, _, a), (_, _, b) in zip(
            placements(plain, page), placements(moved, page), strict=True
        ):
            shift = (b[4] - a[4], b[5] - a[5])
            if page % 2 == 0:
                assert b == a
            else:
                assert b[:4] == a[:4]
                assert shift == pytest.approx((2 * 72 / 25.4, -1.5), abs=1e-3)  # PDF rounds


def test_fronts_only_prints_no_backs_and_asks_for_one_side(runner, deck_kit, in_tmp) -> None:
    result = build(runner, deck_kit, "--fronts-only")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:4] == [  # no calibration sheets
        f"wrote out/en/{DECK}.pdf (8 pages)",
        "wrote out/es/tarjetas-para-cartas.pdf (8 pages)",  # its file: in Spanish
        "wrote out/en/kit.pdf (2 pages)",  # the cover and its back
        "wrote out/es/kit.pdf (2 pages)",
    ]
    reader = PdfReader(in_tmp / "out" / "en" / f"{DECK}.pdf")
    assert len(reader.pages) == 8
    assert all({s for s, _, _ in placements(reader, i)} == {"front"} for i in range(8))
    prefs = reader.trailer["/Root"]["/ViewerPreferences"]
    assert (prefs["/Duplex"], prefs["/PrintScaling"]) == ("/Simplex", "/None")
    assert not (in_tmp / "out" / "en" / f"{DECK}-calibration.pdf").exists()


def test_a_longer_card_shrinks_and_check_lists_it(runner, deck_kit, in_tmp) -> None:
    old = "Ask them:\\nDogs or cats? Tell me why."
    longer = (
        "Dogs or cats? Tell me why, and tell me what you would name a pet if you "
        "could pick anything at all, even the strange names nobody else likes, like "
        "Pickles, Pineapple, Peanut Butter or Hot Honey from the corner store."
    )
    line = replace_card(deck_kit, old, longer)
    result = runner.invoke(cli, ["check", str(deck_kit)])
    assert result.exit_code == 0, result.output
    notes = [ln for ln in result.output.splitlines() if "note:" in ln]
    assert len(notes) == 1
    assert re.fullmatch(
        rf"  note: kit/en/{DECK}.yaml:{line}:9: card 25 in 'Easy questions' "
        r'\("Dogs or cats\? Tell me …"\) had to shrink to (\d+(\.5)?) pt',
        notes[0],
    ), notes[0]
    size = float(notes[0].split("shrink to ")[1].split()[0])
    assert 11 <= size < 16
    reader_text = build(runner, deck_kit)
    assert "had to shrink" in reader_text.output
    fronts = PdfReader(in_tmp / "out" / "en" / f"{DECK}.pdf")
    assert squash(longer) in squash("".join(p.extract_text() for p in fronts.pages))


def test_a_card_that_cannot_fit_stops_the_build(runner, deck_kit, in_tmp) -> None:
    old = "Ask them:\\nWhat is the best movie you have ever seen?"
    line = replace_card(deck_kit, old, "Tell me everything you did today. " * 12)
    result = build(runner, deck_kit)
    assert result.exit_code == 1
    assert result.output == (
        f"kit/en/{DECK}.yaml:{line}:9: categories[2].cards[2]: card in 'Easy questions' "
        '("Tell me everything you did …") does not fit even at 11 pt on layout '
        "'poker'; shorten it or use a bigger card\n"
    )
    assert not (in_tmp / "out").exists()


def test_a_word_wider_than_the_card_cannot_fit(runner, deck_kit, in_tmp) -> None:
    line = replace_card(deck_kit, "Ask them:\\nDogs or cats? Tell me why.", "Visit " + "w" * 40)
    result = build(runner, deck_kit)
    assert result.exit_code == 1
    assert result.output.startswith(f"kit/en/{DECK}.yaml:{line}:9: categories[2].cards[6]: ")


def test_a_card_bigger_than_the_sheet_names_the_layout(runner, deck_kit, in_tmp) -> None:
    add_layout(deck_kit, "poster", "extends: cards\ncard: {width: 8in, height: 10in}\n")
    path = deck_file(deck_kit)
    path.write_text(path.read_text().replace("layout: poker", "layout: poster"))
    result = build(runner, deck_kit)
    assert result.exit_code == 1
    assert result.output == (
        f"kit/en/{DECK}.yaml:2:9: layout: layout 'poster': a 8 x 10 in card does not fit "
        "on a 8.5 x 11 in sheet inside the margins; use a smaller card or smaller page "
        "margins\n"
    )


@pytest.mark.parametrize(("layout", "pages"), [("index", 32), ("postcard", 64)])
def test_other_sizes_build(runner, deck_kit, in_tmp, layout, pages) -> None:
    path = deck_file(deck_kit)
    path.write_text(path.read_text().replace("layout: poker", f"layout: {layout}"))
    result = build(runner, deck_kit)
    assert result.exit_code == 0, result.output
    assert f"({pages} pages)" in result.output.splitlines()[0]


def test_custom_size_and_card_numbers(runner, deck_kit, in_tmp) -> None:
    add_layout(
        deck_kit, "square", "extends: cards\ncard: {width: 3in, height: 3in}\nnumbers: true\n"
    )
    path = deck_file(deck_kit)
    path.write_text(path.read_text().replace("layout: poker", "layout: square"))
    result = build(runner, deck_kit, "--fronts-only")
    assert result.exit_code == 0, result.output
    text = "".join(p.extract_text() for p in PdfReader(in_tmp / "out/en" / f"{DECK}.pdf").pages)
    assert "1 of 64" in text and "64 of 64" in text


def test_unknown_icon_is_an_input_error(runner, deck_kit, in_tmp) -> None:
    path = deck_file(deck_kit)
    text = path.read_text()
    line = text[: text.index('icon: "camera"')].count("\n") + 1
    path.write_text(text.replace('icon: "camera"', 'icon: "camra"'))
    result = build(runner, deck_kit)
    assert result.exit_code == 1
    assert result.output == (
        f"kit/en/{DECK}.yaml:{line}:11: categories[1].icon: 'camra' is not allowed here; "
        "did you mean 'camera'?\n"
    )


def test_card_layout_settings_are_checked(runner, deck_kit, in_tmp) -> None:
    add_layout(deck_kit, "poker", "extends: poker\nfit: {min_size: 20pt}\n")
    result = build(runner, deck_kit)
    assert result.exit_code == 1
    assert result.output == (
        "kit/layouts/poker.yaml:2:17: fit.min_size: is larger than styles.card_text.size; "
        "make it the same or smaller\n"
    )


_LINE = re.compile(r"n ([-\d.]+) ([-\d.]+) m ([-\d.]+) ([-\d.]+) l S")


def test_crop_marks_in_the_pdf_stay_off_the_cards_and_the_sheet_edge(
    runner, deck_kit, in_tmp
) -> None:
    assert build(runner, deck_kit).exit_code == 0
    reader = PdfReader(in_tmp / "out" / "en" / f"{DECK}.pdf")
    page = reader.pages[0]
    marks = page["/Resources"]["/XObject"]["/FormXob.marks"].get_data().decode()
    lines = [tuple(map(float, m)) for m in _LINE.findall(marks)]
    assert len(lines) == 16  # 3 cut lines across x 2 ends, 5 up-down x 2 ends
    trims = []
    for _, _, m in placements(reader, 0):
        corners = [apply(m, u, v) for u in (0, POKER_W) for v in (0, POKER_H)]
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        trims.append((min(xs), min(ys), max(xs), max(ys)))
    for x0, y0, x1, y1 in lines:
        width = abs(x1 - x0) + abs(y1 - y0)
        assert 4 <= width <= 15
        assert all(18 <= v <= LETTER_W - 18 for v in (x0, x1))  # a quarter inch from the edge
        assert all(18 <= v <= LETTER_H - 18 for v in (y0, y1))
        for left, bottom, right, top in trims:  # at least the 6 pt offset from every card
            apart_x = max(left - max(x0, x1), min(x0, x1) - right)
            apart_y = max(bottom - max(y0, y1), min(y0, y1) - top)
            assert max(apart_x, apart_y) >= 6 - 1e-6


def test_shrinking_goes_step_by_step_to_the_minimum() -> None:
    from kitpress.fonts import FontBook
    from kitpress.paths import bundled
    from kitpress.render.textfit import Setter

    setter = Setter(FontBook(bundled("fonts")).chain("Andika", "DejaVuSans"))
    text = "Tell them about a song you can't stop humming this week."
    sizes = []
    for height in range(20, 200, 4):
        s = setter.fit(text, 150, height, 16, 20, 11, 0.5)
        sizes.append(None if s is None else s.size)
        if s is not None:
            assert s.height <= height
            assert (s.size - 11) % 0.5 == 0
            assert s.leading == pytest.approx(20 * s.size / 16)
    assert sizes[0] is None  # too little room even at 11 pt
    assert sizes[-1] == 16  # plenty of room: no shrinking
    fitted = [s for s in sizes if s is not None]
    assert fitted == sorted(fitted) and len(set(fitted)) > 2


def test_characters_the_text_font_lacks_fall_back_to_the_symbols_font(
    runner, deck_kit, in_tmp
) -> None:
    replace_card(
        deck_kit, "Ask them:\\nWhat song always puts you in a good mood?", "Send a ♥ and a ★ today."
    )
    assert build(runner, deck_kit, "--fronts-only").exit_code == 0
    page = PdfReader(in_tmp / "out" / "en" / f"{DECK}.pdf").pages[2]
    assert squash("Send a ♥ and a ★ today.") in squash(page.extract_text())
    fonts = {str(f["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}
    assert any("DejaVuSans" in f for f in fonts) and any("Andika" in f for f in fonts)
