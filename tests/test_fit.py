"""Property: every text box on every kind of page is fitted or refused. Whatever the
length of each text (a word, the default, a paragraph, a long unbroken word), the build
either stops with one clean line, or every page of every file it writes has no text
over other text and no text over a line, ruler, mark, scale, icon or QR code (read back from
what MuPDF paints: pdftrace.clashes).

The examples are derandomized so CI runs the same ones every time; to search harder:

    FIT_EXAMPLES=200 FIT_RANDOM=1 python -m pytest tests/test_fit.py
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kitpress.cli import cli
from kitpress.errors import clip
from kitpress.paths import bundled
from tests.pdftrace import clashes, trace

EXAMPLES = int(os.environ.get("FIT_EXAMPLES", "8"))
FIT = settings(
    max_examples=EXAMPLES,
    derandomize=not os.environ.get("FIT_RANDOM"),
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
DECK = "letter-prompt-cards"
CHECKLIST = "withdrawal-signs-checklist"
WORKSHEET = "reconnection-worksheet"
RESOURCES = "visiting-day"
WORDS = [
    "love",
    "letter",
    "visit",
    "card",
    "family",
    "write",
    "call",
    "week",
    "home",
    "today",
    "remember",
]


@st.composite
def text(draw: st.DrawFn, default: str) -> str:
    """The default words (most often, so that some builds succeed), or a few words, or
    many, or one very long word."""
    kinds = ["default"] * 6 + ["short", "long", "longer", "unbroken"]
    kind = kinds[draw(st.integers(0, len(kinds) - 1))]
    if kind == "default":
        return default
    if kind == "unbroken":
        return "Rehabilitationsmaßnahmen" * draw(st.integers(1, 4))
    count = {"short": (1, 3), "long": (15, 40), "longer": (60, 150)}[kind]
    n = draw(st.integers(*count))
    return " ".join(draw(st.sampled_from(WORDS)) for _ in range(n)).capitalize()


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _save(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _build_and_check(kit: Path, out: Path, *args: str) -> int:
    """Build; on success every page is free of clashes. Returns the pages checked."""
    shutil.rmtree(out, ignore_errors=True)
    result = CliRunner().invoke(cli, ["build", str(kit), "-o", str(out), "-q", *args])
    if result.exit_code != 0:  # refused: one clean line, nothing written
        assert result.exit_code == 1, result.output
        assert len(result.output.splitlines()) == 1, result.output
        assert "Traceback" not in result.output
        assert not any(out.rglob("*.pdf"))
        return 0
    pages = 0
    for pdf in sorted(out.rglob("*.pdf")):
        for number, page in enumerate(trace(pdf), 1):
            found = clashes(page)
            assert not found, f"{pdf.name} page {number}: {found[:3]}"
            pages += 1
    return pages


@pytest.fixture
def deck_kit(kit_copy: Path) -> Path:
    manifest = _load(kit_copy / "kit.yaml")
    manifest["handouts"] = [DECK]
    _save(kit_copy / "kit.yaml", manifest)
    (kit_copy / "layouts").mkdir()
    (kit_copy / "layouts" / "poker.yaml").write_text("extends: poker\nnumbers: true\n")
    return kit_copy


@FIT
@given(data=st.data())
def test_cards_and_the_calibration_sheet_fit_or_refuse(deck_kit, tmp_path, data) -> None:
    path = deck_kit / "en" / f"{DECK}.yaml"
    deck = _load(path)
    original = path.read_text(encoding="utf-8")
    deck["title"] = data.draw(text(deck["title"]), "title")
    deck["number"] = data.draw(
        st.sampled_from(
            ["{number}", "{number} of {total}", "Card {number} of {total} in this deck"]
        )
    )
    cal = deck["calibration"]
    cal["title"] = data.draw(text(cal["title"]), "calibration title")
    cal["front"] = [data.draw(text(line), "front") for line in cal["front"]]
    cal["back"] = [data.draw(text(line), "back") + " {x}" for line in cal["back"]]
    for category in deck["categories"][:3]:
        category["name"] = data.draw(text(category["name"]), "category")
        category["cards"][0] = data.draw(text(category["cards"][0]), "card")
    _save(path, deck)
    try:
        event("built" if _build_and_check(deck_kit, tmp_path / "out") else "refused")
    finally:
        path.write_text(original, encoding="utf-8")


@FIT
@given(data=st.data())
def test_the_cover_and_footers_fit_or_refuse(kit_copy, tmp_path, data) -> None:
    cover_path, manifest_path = kit_copy / "en" / "cover.yaml", kit_copy / "kit.yaml"
    originals = {p: p.read_text(encoding="utf-8") for p in (cover_path, manifest_path)}
    cover, manifest = _load(cover_path), _load(manifest_path)
    for key in ("title", "subtitle", "intro", "contents", "separately"):
        cover[key] = data.draw(text(cover[key]), key)
    org = manifest["organization"]
    org["name"] = data.draw(text(org["name"]), "organization")
    org["contact"] = data.draw(text(org["contact"]), "contact")
    _save(cover_path, cover)
    _save(manifest_path, manifest)
    try:
        pages = _build_and_check(kit_copy, tmp_path / "out", "--fronts-only")
        event("built" if pages else "refused")
    finally:
        for p, t in originals.items():
            p.write_text(t, encoding="utf-8")


@FIT
@given(data=st.data())
def test_checklist_and_worksheet_fit_or_refuse(kit_copy, tmp_path, data) -> None:
    """Words in tables and beside boxes: labels, checklist items, tracker rows and
    columns, short prompts, swap labels."""
    paths = [kit_copy / "en" / f"{n}.yaml" for n in ("labels", CHECKLIST, WORKSHEET)]
    originals = {p: p.read_text(encoding="utf-8") for p in paths}
    labels, checklist, sheet = (_load(p) for p in paths)
    for key in ("noticed", "instead", "try"):
        labels[key] = data.draw(text(labels[key]), key)
    checklist["title"] = data.draw(text(checklist["title"]), "checklist title")
    items = next(s for s in checklist["sections"] if "items" in s)["items"]
    items[0] = data.draw(text(items[0]), "item")
    swap = next(s for s in checklist["sections"] if "swaps" in s)["swaps"][0]
    swap["instead"] = data.draw(text(swap["instead"]), "swap")
    for section in sheet["sections"]:
        for block in section["blocks"]:
            if block["type"] == "short":
                block["prompt"] = data.draw(text(block["prompt"]), "short prompt")
            elif block["type"] == "tracker":
                block["rows"][0] = data.draw(text(block["rows"][0]), "tracker row")
                block["columns"][0] = data.draw(text(block["columns"][0]), "tracker column")
            elif block["type"] == "example":
                block["lines"][0]["label"] = data.draw(text(block["lines"][0]["label"]), "label")
    for p, d in zip(paths, (labels, checklist, sheet), strict=True):
        _save(p, d)
    layouts = kit_copy / "layouts"
    layouts.mkdir(exist_ok=True)
    for name in ("checklist", "worksheet"):  # room to grow: refusals for length are tested
        (layouts / f"{name}.yaml").write_text(f"extends: {name}\nmax_pages: 8\n")
    try:
        for handout in (CHECKLIST, WORKSHEET):
            pages = _build_and_check(kit_copy, tmp_path / "out", "--only", handout)
            event(f"{handout} built" if pages else f"{handout} refused")
    finally:
        for p, t in originals.items():
            p.write_text(t, encoding="utf-8")


@FIT
@given(data=st.data())
def test_the_resource_sheet_fits_or_refuses(kit_copy, tmp_path, data) -> None:
    """Headings, names, hours, addresses and notes beside their labels and a QR code,
    the labels themselves, and the words over the code of the sheet's own web page."""
    paths = [kit_copy / "en" / f"{n}.yaml" for n in ("labels", RESOURCES)] + [kit_copy / "kit.yaml"]
    originals = {p: p.read_text(encoding="utf-8") for p in paths}
    labels, sheet, manifest = (_load(p) for p in paths)
    manifest["web"] = "https://example.org/staying-close"
    for key in ("phone", "hours", "address", "website"):
        labels[key] = data.draw(text(labels[key]), f"{key} label")
    labels["web"]["phone"] = data.draw(text(labels["web"]["phone"]), "under the code")
    for key in ("title", "subtitle", "intro"):
        sheet[key] = data.draw(text(sheet[key]), key)
    for section in sheet["sections"][:2]:
        section["heading"] = data.draw(text(section["heading"]), "heading")
        entry = section["entries"][0]
        for key in ("name", "hours", "address", "note"):
            if key in entry:
                entry[key] = data.draw(text(entry[key]), key)
    for p, d in zip(paths, (labels, sheet, manifest), strict=True):
        _save(p, d)
    layouts = kit_copy / "layouts"
    layouts.mkdir(exist_ok=True)  # room to grow: refusals for length are tested
    (layouts / "resource-sheet.yaml").write_text("extends: resource-sheet\nmax_pages: 8\n")
    try:
        pages = _build_and_check(kit_copy, tmp_path / "out", "--only", RESOURCES)
        event("built" if pages else "refused")
    finally:
        for p, t in originals.items():
            p.write_text(t, encoding="utf-8")


def test_the_default_kit_has_no_clashes_on_any_page(tmp_path) -> None:
    kit = tmp_path / "kit"
    shutil.copytree(bundled("kit"), kit)
    both = ("--edition", "standard", "--edition", "large-print")  # large print: bigger words
    assert _build_and_check(kit, tmp_path / "out", "--booklet", *both) > 60


def test_calibration_words_that_would_run_into_the_rulers_are_refused(deck_kit, in_tmp):
    path = deck_kit / "en" / f"{DECK}.yaml"
    deck = _load(path)
    deck["calibration"]["front"] = [" ".join(WORDS * 24)]  # down over the rulers
    _save(path, deck)
    result = CliRunner().invoke(cli, ["build", "kit", "-o", "out"])
    assert result.exit_code == 1
    line, col = next(
        (n, t.index("- ") + 3)
        for n, t in enumerate(path.read_text().splitlines(), 1)
        if t.strip().startswith("- ")
    )
    assert result.output == (
        f"kit/en/{DECK}.yaml:{line}:{col}: calibration.front[0]: the calibration words do not fit "
        "between the marks on the sheet; shorten them\n"
    )


def test_a_card_number_too_wide_for_one_line_is_refused(deck_kit, in_tmp):
    path = deck_kit / "en" / f"{DECK}.yaml"
    deck = _load(path)
    deck["number"] = "This is card number {number} of the {total} cards in the deck"
    _save(path, deck)
    result = CliRunner().invoke(cli, ["build", "kit", "-o", "out"])
    assert result.exit_code == 1
    assert result.output.startswith(f"kit/en/{DECK}.yaml:")
    total = sum(len(c["cards"]) for c in deck["categories"])
    shown = clip(f"This is card number 1 of the {total} cards in the deck", 40)  # issue 17
    assert f"number: '{shown}' is too wide for " in result.output
