"""Line breaks that respect what people copy down (kitpress.linebreaks): phone numbers
never break, web and e-mail addresses break only after / . - or @ with no added hyphen,
and a word too long for its line is an error. The rules themselves, then paragraphs
and cards read back from their PDFs, line by line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from reportlab.pdfbase.pdfmetrics import stringWidth

from kitpress import linebreaks
from kitpress.build import build_kit
from kitpress.errors import FitError
from kitpress.fonts import FontBook
from kitpress.kit import load_kit
from kitpress.options import Options
from kitpress.paths import bundled
from kitpress.render.textfit import Setter
from tests.pdfread import Line, text_lines

PHONE = "(555) 014-2200"
URL = "https://www.example.org/families/visiting-rules/letters-and-calls/how-to-stay-in-touch"
EMAIL = "letters.and.visits.help.desk@family-circle-support-group.example.org"
CHECKLIST = "withdrawal-signs-checklist"
DECK = "letter-prompt-cards"
BREAKS = tuple("/.-@")


# --- the rules ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Call (555) 014-2200 today",
        "Call +1 555 014 2200 today",
        "Call 1 800 273 8255 today",
        "Tuesdays at 6 pm · (555) 014-2200",
    ],
)
def test_the_spaces_in_a_phone_number_do_not_break(text):
    glued = linebreaks.protect(text)
    number = re.search(r"[+(\d][\d\s()+-]+\d", text).group(0)
    assert number.replace(" ", linebreaks.NBSP) in glued
    assert len(linebreaks.words(glued)) == len(text.split()) - number.count(" ")


@pytest.mark.parametrize("text", ["at 6 pm or 7 pm", "Section 2 of 3", "555-0142 and 12 34"])
def test_other_numbers_keep_their_spaces(text):
    assert linebreaks.protect(text) == text


@pytest.mark.parametrize(
    ("word", "pieces"),
    [
        ("https://bop.gov/inmateloc/", ["https://", "bop.", "gov/", "inmateloc/"]),
        ("info@family-circle.org", ["info@", "family-", "circle.", "org"]),
        ("well-being", ["well-being"]),  # not an address: never breaks
        ("555-014-2200", ["555-014-2200"]),
    ],
)
def test_an_address_breaks_only_after_slash_dot_hyphen_or_at(word, pieces):
    assert linebreaks.pieces(word) == pieces


def test_an_address_is_cut_into_as_few_lines_as_fit():
    lines = linebreaks.chunks(URL, 30, len)
    assert "".join(lines) == URL
    assert all(len(line) <= 30 for line in lines)
    assert all(line.endswith(BREAKS) for line in lines[:-1])
    assert len(lines) == 4  # 88 characters: no fewer lines of 30 would hold them
    assert linebreaks.chunks(URL, 200, len) == [URL]  # it fits: whole
    assert linebreaks.chunks("Antidisestablishmentarianism", 20, len) is None


# --- paragraphs (checklist items, read back from the PDF) ------------------------------


def build_items(kit: Path, out: Path, items: list[str]) -> list[Line]:
    """The checklist with `items` as its signs (and room for them): its text lines."""
    (kit / "layouts").mkdir(exist_ok=True)
    (kit / "layouts" / "checklist.yaml").write_text("extends: checklist\nmax_pages: 6\n")
    path = kit / "en" / f"{CHECKLIST}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    signs = next(section for section in data["sections"] if "items" in section)
    signs["items"] = items
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    build_kit(load_kit(kit), out, Options(only=(CHECKLIST,)))
    return text_lines(out / "en" / f"{CHECKLIST}.pdf")


def phone_lines(lines: list[Line]) -> list[str]:
    return [line.text for line in lines if "(555)" in line.text or "014-2200" in line.text]


def test_a_phone_number_stays_on_one_line(kit_copy, tmp_path, monkeypatch):
    """The number is moved along the line a word at a time, past the line's end."""
    items = [f"{'a ' * n}{PHONE} is the line to call" for n in range(24, 44)]
    lines = phone_lines(build_items(kit_copy, tmp_path / "out", items))
    assert len([line for line in lines if "Family Circle" not in line]) == len(items)
    assert all(PHONE in line for line in lines)  # the items' and every footer's

    # without the rule the same items break the number: the sweep means something
    monkeypatch.setattr(linebreaks, "protect", lambda text: text)
    lines = phone_lines(build_items(kit_copy, tmp_path / "unprotected", items))
    assert not all(PHONE in line for line in lines)


def printed(lines: list[str], address: str) -> list[str]:
    """The lines the address is printed on, cut to the address."""
    start = next(i for i, line in enumerate(lines) if address[:10] in line)
    out = [lines[start][lines[start].index(address[:10]) :]]
    while sum(map(len, out)) < len(address):
        out.append(lines[start + len(out)])
    out[-1] = out[-1][: len(out[-1]) - (sum(map(len, out)) - len(address))]  # words after it
    return out


@pytest.mark.parametrize("address", [URL, EMAIL])
def test_an_address_breaks_only_after_slash_dot_hyphen_or_at_in_print(address, kit_copy, tmp_path):
    lines = build_items(kit_copy, tmp_path / "out", [f"Read more at {address} before you go"])
    shown = printed([line.text for line in lines], address)
    assert len(shown) > 1  # too wide for the column: it had to break
    assert "".join(shown) == address  # no hyphen added, no letter lost
    assert all(line.endswith(BREAKS) for line in shown[:-1])


def test_an_address_that_fits_a_line_is_not_broken(kit_copy, tmp_path):
    address = "www.family-circle.example.org/help"
    items = [f"{'a ' * n}{address} for help" for n in range(10, 40, 3)]
    lines = build_items(kit_copy, tmp_path / "out", items)
    assert len([line for line in lines if address in line.text]) == len(items)


def test_a_word_too_long_for_its_line_stops_the_build(kit_copy, tmp_path):
    word = "Antidisestablishmentarianism" * 3
    with pytest.raises(FitError) as e:
        build_items(kit_copy, tmp_path / "out", [f"A sign: {word}"])
    message = str(e.value)
    data = yaml.safe_load((kit_copy / "en" / f"{CHECKLIST}.yaml").read_text(encoding="utf-8"))
    signs = next(i for i, section in enumerate(data["sections"]) if "items" in section)
    assert f"sections[{signs}]" in message
    assert "the word 'Antidisestablishmentarianism" in message
    assert "is too long for its line" in message and "shorten it" in message


@pytest.mark.parametrize("key", ["subtitle", "intro"])
def test_a_word_too_long_under_the_title_names_its_own_key(kit_copy, tmp_path, key):
    # the title is laid out together with the subtitle: the message once said 'title'
    path = kit_copy / "en" / f"{CHECKLIST}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data[key] = "Antidisestablishmentarianism" * 3
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(FitError) as e:
        build_kit(load_kit(kit_copy), tmp_path / "out", Options(only=(CHECKLIST,)))
    line = next(
        n for n, text in enumerate(path.read_text().splitlines(), 1) if text.startswith(key)
    )
    assert str(e.value).startswith(f"{path}:{line}:{len(key) + 3}: {key}: the word ")


# --- cards ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def setter() -> Setter:
    return Setter(FontBook(bundled("fonts")).chain("Andika", "DejaVuSans"))


def test_the_card_fitter_keeps_a_phone_number_on_one_line(setter):
    text = f"Ring the family line at {PHONE} on any evening"
    broken_somewhere = False
    for width in range(100, 300, 2):
        lines = [" ".join(words) for words, _ in setter.lines(text, width, 12)]
        assert any(PHONE.replace(" ", linebreaks.NBSP) in line for line in lines), width
        plain = [" ".join(line) for line in _greedy(text, width, 12)]
        broken_somewhere |= not any(PHONE in line for line in plain)
    assert broken_somewhere  # breaking at every space would have split it


def _greedy(text: str, width: float, size: float) -> list[list[str]]:
    """Breaking at every space, as the fitter did before the rules."""
    lines: list[list[str]] = [[]]
    for word in text.split():
        if lines[-1] and stringWidth(" ".join([*lines[-1], word]), "Andika", size) > width:
            lines.append([])
        lines[-1].append(word)
    return lines


def test_the_card_fitter_breaks_an_address_only_where_it_may(setter):
    for width in (120, 150, 180):
        lines = [" ".join(words) for words, _ in setter.lines(f"See {URL} soon", width, 12)]
        shown = printed(lines, URL)
        assert "".join(shown) == URL
        assert all(line.endswith(BREAKS) for line in shown[:-1])
        assert all(w * 12 <= width + 1e-6 for _, w in setter.lines(URL, width, 12))


def deck_kit(kit: Path, card: str) -> Path:
    """The default kit with only the card deck, its first card replaced."""
    manifest = kit / "kit.yaml"
    manifest.write_text(
        re.sub(r"handouts:\n(  - .*\n)+", f"handouts:\n  - {DECK}\n", manifest.read_text())
    )
    path = kit / "en" / f"{DECK}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["categories"][0]["cards"][0] = card
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return kit


def test_a_card_keeps_phone_numbers_whole_and_breaks_addresses_where_it_may(kit_copy, tmp_path):
    address = "www.family-circle.example.org/letters"
    kit = deck_kit(kit_copy, f"Call {PHONE} or see {address} for ideas")
    build_kit(load_kit(kit), tmp_path / "out")
    lines = [line.text for line in text_lines(tmp_path / "out" / "en" / f"{DECK}.pdf")]
    assert any(PHONE in line for line in lines)
    shown = printed(lines, address)
    assert len(shown) > 1 and "".join(shown) == address
    assert all(line.endswith(BREAKS) for line in shown[:-1])


def test_a_word_too_long_for_a_card_says_so(kit_copy):
    kit = deck_kit(kit_copy, "Write about Pneumonoultramicroscopicsilicovolcanoconiosis")
    with pytest.raises(FitError) as e:
        build_kit(load_kit(kit), kit.parent / "out")
    message = str(e.value)
    assert "one word, 'Pneumonoultramicroscopic" in message
    assert "is wider than a line of the card even at 11 pt, and a word is never broken" in message
    assert "bigger card" not in message
