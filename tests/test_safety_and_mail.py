"""The default kit's words after the family-support review (issue 19), read back from
the PDFs: crisis help, the check-first step, the mail rules, the card-back note, and
prompts that do not deepen the pain."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from kitpress.build import build_kit
from kitpress.content.cards import CardDeck
from kitpress.kit import load_kit
from kitpress.options import Options
from kitpress.paths import bundled
from tests.pdfread import norm, page_texts

CHECKLIST, DECK, SHEET = (
    "withdrawal-signs-checklist",
    "letter-prompt-cards",
    "reconnection-worksheet",
)
WORRIED = "I am worried about suicide"
# A prompt about food: a meal, a recipe, a dish (the review allowed two at most).
FOOD = re.compile(
    r"\b(eat|eats|ate|eating|meals?|food|recipes?|pizza|tacos?|cook|cooked|cooking|dinner|"
    r"lunch|breakfast|snacks?|dessert|plate|yummy)\b",
    re.IGNORECASE,
)
# Prompts that assume release or dwell on freedom.
FREEDOM = re.compile(
    r"go anywhere|come home|coming home|get out|you're out|you are out|when you're free|"
    r"release|first meal|eat first|beach or mountains",
    re.IGNORECASE,
)
LABELS = ("Write about:", "Write:", "Ask them:", "Instead of:")


@pytest.fixture(scope="module", params=["letter", "a4"])
def built(request, tmp_path_factory) -> tuple[Path, str]:
    """The default kit, built once per paper size."""
    out = tmp_path_factory.mktemp(request.param) / "out"
    build_kit(load_kit(bundled("kit")), out, Options(paper=request.param))
    return out / "en", request.param


def crisis() -> dict[str, str]:
    manifest = yaml.safe_load((bundled("kit") / "kit.yaml").read_text(encoding="utf-8"))
    return manifest["crisis"]


def deck() -> CardDeck:
    return load_kit(bundled("kit")).handouts[1].content


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_default_crisis_numbers_are_the_us_ones():
    assert crisis() == {"crisis_line": "988", "emergency": "911"}


def test_when_to_worry_is_on_the_back_of_the_cover(built):
    folder, _ = built
    pages = page_texts(folder / "kit.pdf")
    front, back = pages[0], pages[1]
    for words in ("When to worry", WORRIED, "mental health staff", "better off without them"):
        assert words in back, words
    assert f"call or text {crisis()['crisis_line']}" in back
    assert f"call {crisis()['emergency']}." in back
    assert "{" not in back  # every placeholder was filled in
    assert WORRIED not in front and "read the back of this page first" in front


def test_the_checklist_carries_a_short_crisis_box(built):
    folder, _ = built
    text = " ".join(page_texts(folder / f"{CHECKLIST}.pdf"))
    box = text[text.index("When to worry") :]
    for words in (WORRIED, f"call or text {crisis()['crisis_line']}", crisis()["emergency"]):
        assert words in box, words
    assert "{" not in text


def test_check_first_comes_before_the_reasons(built):
    folder, _ = built
    text = " ".join(page_texts(folder / f"{CHECKLIST}.pdf"))
    first = text.index("First, check")
    reasons = text.index("Why someone inside may pull away")
    assert first < reasons
    check = text[first:reasons]
    for words in ("inmate locator", "phone account", "call the facility", "lockdown"):
        assert words in check, words


def test_the_mail_rules_box_is_on_the_back_of_the_cover(built):
    folder, _ = built
    back = page_texts(folder / "kit.pdf")[1]
    rules = back[back.index("Before you mail anything") :]
    for words in (
        "plain white paper",
        "stickers, glitter, perfume, tape, or crayon",
        "No Polaroids",
        "store or publisher",
        "calls are recorded",
        "do not mail the cards",
    ):
        assert words in rules, words


def test_the_photos_and_books_tip_says_the_same(built):
    folder, _ = built
    text = " ".join(page_texts(folder / f"{CHECKLIST}.pdf"))
    tip = text[text.index("Send photos or books the right way") :]
    for words in ("not Polaroids", "store or publisher", "mail rules"):
        assert words in tip, words


def test_every_card_back_says_not_to_mail_the_card(built):
    folder, _ = built
    note = deck().back_note
    assert note and "plain paper" in note and "Do not mail this card" in note
    assert "true for you" in note
    reader = PdfReader(folder / f"{DECK}.pdf")
    cards = len(deck().cards())
    on_backs = 0
    for i, page in enumerate(reader.pages):
        found = squash(page.extract_text()).count(squash(note))
        if i % 2:  # a back sheet: one note per card on it
            assert found == min(8, cards - 8 * (i // 2)), i
            on_backs += found
        else:
            assert found == 0, i  # never on a front
    assert on_backs == cards


def test_at_most_two_food_prompts_and_none_about_release():
    texts = [text for *_, text in deck().cards()]
    food = [t for t in texts if FOOD.search(t)]
    assert len(food) <= 2, food
    assert [t for t in texts if FREEDOM.search(t)] == []


def test_prompts_ask_about_their_life_now():
    cards = " ".join(text.lower() for *_, text in deck().cards())
    for words in ("reading", "learning", "thinking about", "pass the time"):
        assert words in cards, words


def test_every_card_says_who_speaks_and_the_label_is_bold(built):
    folder, _ = built
    for _, _, cat, text in deck().cards():
        assert text.startswith(LABELS), (cat.name, text)
        assert "…" not in text and "..." not in text  # blanks are ____
    bold = []
    for page in PdfReader(folder / f"{DECK}.pdf").pages[:2]:

        def visit(text, cm, tm, font, size, bold=bold):
            if text.strip() in LABELS and font is not None:
                bold.append("Bold" in str(font["/BaseFont"]))

        page.extract_text(visitor_text=visit)
    assert bold and all(bold)


def test_plain_words_everywhere():
    """No idioms the review flagged, no '…' where the writer fills in, and jail as well
    as prison."""
    words = []
    for path in (bundled("kit") / "en").glob("*.yaml"):

        def walk(node):
            if isinstance(node, dict):
                for v in node.values():
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)
            elif isinstance(node, str):
                words.append(node)

        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    text = "\n".join(words)
    for idiom in ("weigh on", "worried sick", "flop", "make my day", "low-pressure", "…"):
        assert idiom not in text, idiom
    assert "prison" in text
    assert not re.search(r"(?<!jail or )(?<!jail and )prison", text)


def test_the_worksheet_tracker_does_not_promise_a_quick_change():
    sheet = yaml.safe_load((bundled("kit") / "en" / f"{SHEET}.yaml").read_text())
    section = next(s for s in sheet["sections"] if any(b["type"] == "tracker" for b in s["blocks"]))
    words = norm(" ".join(str(b.get("text", b.get("prompt", ""))) for b in section["blocks"]))
    assert "four weeks" not in section["heading"]
    assert "months" in words and "No change yet is okay" in words


def test_page_limits_in_letter_and_a4(built):
    folder, _ = built
    assert len(PdfReader(folder / f"{CHECKLIST}.pdf").pages) <= 2
    assert len(PdfReader(folder / f"{SHEET}.pdf").pages) <= 3


def test_crisis_numbers_are_changed_in_kit_yaml_alone(kit_copy, tmp_path):
    """A group outside the US changes the numbers once, in kit.yaml, and both boxes show
    them."""
    path = kit_copy / "kit.yaml"
    path.write_text(
        path.read_text()
        .replace('crisis_line: "988"', 'crisis_line: "116 123"')
        .replace('emergency: "911"', 'emergency: "112"'),
        encoding="utf-8",
    )
    build_kit(load_kit(kit_copy), tmp_path / "out")
    back = page_texts(tmp_path / "out/en/kit.pdf")[1]
    checklist = " ".join(page_texts(tmp_path / f"out/en/{CHECKLIST}.pdf"))
    for text in (back, checklist):
        assert "116 123" in text and "call 112." in text
        assert "988" not in text and "911" not in text


def test_a_kit_without_the_new_keys_builds_as_before(kit_copy, tmp_path):
    """No crisis:, no back:, no box sections, no back_note: the cover's back is blank and
    the handouts start on page 3, as before."""
    for lang in ("en", "es"):
        cover = kit_copy / f"{lang}/cover.yaml"
        data = yaml.safe_load(cover.read_text())
        del data["back"]
        cover.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        checklist = kit_copy / f"{lang}/{CHECKLIST}.yaml"
        data = yaml.safe_load(checklist.read_text())
        data["sections"] = [s for s in data["sections"] if "box" not in s]
        checklist.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        cards = kit_copy / f"{lang}/{DECK}.yaml"
        data = yaml.safe_load(cards.read_text())
        del data["back_note"]
        cards.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    manifest = kit_copy / "kit.yaml"
    data = yaml.safe_load(manifest.read_text())
    del data["crisis"]
    manifest.write_text(yaml.safe_dump(data), encoding="utf-8")

    build_kit(load_kit(kit_copy), tmp_path / "out")
    reader = PdfReader(tmp_path / "out/en/kit.pdf")
    assert page_texts(tmp_path / "out/en/kit.pdf")[1] == ""
    assert page_texts(tmp_path / "out/es/kit.pdf")[1] == ""
    assert reader.get_destination_page_number(reader.outline[1]) == 2
    backs = PdfReader(tmp_path / f"out/en/{DECK}.pdf").pages[1].extract_text()
    assert "mail" not in backs
