"""Editions and languages of one kit: large print as a switch, words from kit.yaml per
language, and a print plan with copies per language and edition."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from kitpress.build import build_kit
from kitpress.cli import cli
from kitpress.errors import FitError
from kitpress.kit import load_kit
from kitpress.options import Options
from kitpress.paths import bundled
from tests.pdfread import page_texts, text_fonts, text_runs

LARGE = "en-large"


def edit(path: Path, **changes) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def two_languages(kit_copy: Path) -> Path:
    """The default kit with a second language folder ('fr', a copy of the English
    words): enough to follow each language's words and files through a build."""
    shutil.copytree(kit_copy / "en", kit_copy / "fr")
    edit(
        kit_copy / "kit.yaml",
        languages=["en", "fr"],
        title={"en": "Staying Close", "fr": "Rester proches"},
        organization={
            "name": "Riverside Family Circle",
            "contact": {"en": "Tuesdays at 6 pm", "fr": "Le mardi à 18 h"},
        },
    )
    return kit_copy


# --- large print ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def large_print(tmp_path_factory) -> Path:

    out = tmp_path_factory.mktemp("large") / "out"
    result = build_kit(load_kit(bundled("kit"), ("large-print",)), out)
    assert result.files
    return out


def test_large_print_is_its_own_folder_with_its_own_kit(large_print):
    names = sorted(p.name for p in (large_print / LARGE).iterdir())
    assert "kit.pdf" in names and "withdrawal-signs-checklist.pdf" in names
    assert not (large_print / "en").exists()  # only the edition asked for
    plan = (large_print / "print-plan.txt").read_text()
    assert f"{LARGE}/kit.pdf" in plan


@pytest.mark.parametrize(
    "name",
    [
        "withdrawal-signs-checklist",
        "reconnection-worksheet",
        "visiting-day",
        "kit",
        "letter-prompt-cards",
    ],
)
def test_large_print_has_no_text_under_18_pt_but_the_footer(large_print, name):
    runs = text_runs(large_print / LARGE / f"{name}.pdf")
    assert runs
    footer_words = ("Your group", "Page ")
    for page, text, size in runs:
        if text.startswith(footer_words):
            assert size >= 14 - 0.01, (page, text, size)
        else:
            assert size >= 18 - 0.01, (page, text, size)


def test_large_print_checkboxes_are_at_least_a_third_of_an_inch(large_print):
    """The checklist's tick boxes: squares drawn with `re` at 0.3 in (21.6 pt) or more."""
    from pypdf.generic import ContentStream

    reader = PdfReader(large_print / LARGE / "withdrawal-signs-checklist.pdf")
    squares = []
    for page in reader.pages:
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"re" and abs(float(operands[2]) - float(operands[3])) < 0.01:
                squares.append(float(operands[2]))
    boxes = [s for s in squares if 15 < s < 40]
    checklist = yaml.safe_load(
        (bundled("kit") / "en" / "withdrawal-signs-checklist.yaml").read_text(encoding="utf-8")
    )
    items = sum(len(s.get("items", [])) for s in checklist["sections"])
    assert len(boxes) == items and min(boxes) >= 0.3 * 72 - 0.01


def test_large_print_cards_are_postcards_two_to_a_sheet(large_print):
    """Poker cards are too small for 18 pt prompts: the large-print deck uses postcards."""
    front = page_texts(large_print / LARGE / "letter-prompt-cards.pdf")[0]
    assert front.count("Light topics") == 2  # the category header of each card
    first = yaml.safe_load(
        (bundled("kit") / "en" / "letter-prompt-cards.yaml").read_text(encoding="utf-8")
    )["categories"][0]["cards"][0]
    assert " ".join(first.split()[:4]) in front


def test_large_print_headings_are_larger_than_the_body_and_bold(large_print):
    """ACB/APH: headings larger than the 18 pt body, and bold."""
    checklist = yaml.safe_load(
        (bundled("kit") / "en" / "withdrawal-signs-checklist.yaml").read_text(encoding="utf-8")
    )
    headings = {s["heading"] for s in checklist["sections"]}
    runs = text_fonts(large_print / LARGE / "withdrawal-signs-checklist.pdf")
    shown = [(size, font) for _, text, size, font in runs if text.strip() in headings]
    assert len(shown) >= len(headings)
    assert all(size > 18 + 1 and "Bold" in font for size, font in shown), shown


def test_large_print_cover_front_is_one_page_and_its_back_the_crisis_help(large_print):
    """The cover's intro says "read the back of this page first": in large print too,
    the whole front is page 1 and the when-to-worry box page 2 (it was page 3, behind a
    page 2 holding only the list of handouts printed on their own)."""
    cover = yaml.safe_load((bundled("kit") / "en" / "cover.yaml").read_text(encoding="utf-8"))
    pages = page_texts(large_print / LARGE / "kit.pdf")
    assert "read the back of this page first" in pages[0]
    for words in (cover["contents"], cover["separately"], "(letter-prompt-cards.pdf)"):
        assert words in pages[0], words
    assert pages[1].startswith(cover["back"][0]["heading"])
    assert "I am worried about suicide" in pages[1]


def test_a_large_print_cover_front_over_one_page_is_refused(kit_copy, tmp_path):
    """A front that runs onto page 2 pushes the back a sheet later, where "the back of
    this page" is not: it is refused as in the standard edition, though the large-print
    back may take more pages."""
    edit(kit_copy / "kit.yaml", languages=["en"])
    cover = yaml.safe_load((kit_copy / "en" / "cover.yaml").read_text(encoding="utf-8"))
    edit(kit_copy / "en" / "cover.yaml", intro=cover["intro"] + " Come back to them often.")
    with pytest.raises(FitError, match=r"the cover does not fit on one page|the cover lists"):
        build_kit(load_kit(kit_copy, ("large-print",)), tmp_path / "out")
    build_kit(load_kit(kit_copy), tmp_path / "standard")  # one page in standard print


def test_editions_in_kit_yaml_build_side_by_side(kit_copy, tmp_path):
    edit(kit_copy / "kit.yaml", editions=["standard", "large-print"])
    result = build_kit(load_kit(kit_copy), tmp_path / "out", Options(copies={"en-large": 4}))
    assert (tmp_path / "out" / "en" / "kit.pdf").exists()
    assert (tmp_path / "out" / LARGE / "kit.pdf").exists()
    standard = len(PdfReader(tmp_path / "out" / "en" / "kit.pdf").pages)
    large = len(PdfReader(tmp_path / "out" / LARGE / "kit.pdf").pages)
    assert large > standard
    assert "en: 1 kit, each:" in result.plan and "en-large: 4 kits, each:" in result.plan


def test_a_kit_can_extend_the_large_print_layouts(kit_copy, tmp_path):
    own = kit_copy / "layouts" / "large-print"
    own.mkdir(parents=True)
    (own / "base.yaml").write_text("extends: base\nstyles:\n  body: {size: 20pt, leading: 27pt}\n")
    build_kit(
        load_kit(kit_copy, ("large-print",)),
        tmp_path / "out",
        Options(only=("withdrawal-signs-checklist",)),
    )
    sizes = {
        round(s)
        for _, t, s in text_runs(tmp_path / "out" / LARGE / "withdrawal-signs-checklist.pdf")
    }
    assert 20 in sizes and 18 in sizes  # body at 20; labels keep the large-print 18


def test_edition_flag_picks_and_unknown_edition_is_a_usage_error(runner, kit_copy, in_tmp):
    result = runner.invoke(cli, ["build", "kit", "-q", "--edition", "large-print"])
    assert result.exit_code == 0, result.stderr
    assert (in_tmp / "out" / LARGE / "kit.pdf").exists() and not (in_tmp / "out" / "en").exists()
    result = runner.invoke(cli, ["build", "kit", "--edition", "huge"])
    assert result.exit_code == 2 and "'huge' is not one of" in result.stderr


def test_an_unknown_edition_in_kit_yaml_says_which_there_are(runner, kit_copy, in_tmp):
    edit(kit_copy / "kit.yaml", editions=["standard", "large"])
    result = runner.invoke(cli, ["check", "kit"])
    assert result.exit_code == 1
    assert result.stderr.endswith(
        "editions[1]: 'large' is not an edition; did you mean 'large-print'?\n"
    )


# --- each language's words from kit.yaml -------------------------------------------------


def test_kit_yaml_words_per_language_reach_footers_and_metadata(two_languages, tmp_path):
    build_kit(load_kit(two_languages), tmp_path / "out")
    for lang, title, contact in (
        ("en", "Staying Close", "Tuesdays at 6 pm"),
        ("fr", "Rester proches", "Le mardi à 18 h"),
    ):
        for name in ("withdrawal-signs-checklist", "kit"):
            pdf = tmp_path / "out" / lang / f"{name}.pdf"
            reader = PdfReader(pdf)
            assert reader.metadata.subject == title
            assert reader.trailer["/Root"]["/Lang"] == lang
            assert all(contact in text for text in page_texts(pdf) if text)
    plan = (tmp_path / "out" / "print-plan.txt").read_text()
    assert plan.startswith("Print plan: Staying Close / Rester proches\n")


def test_a_language_missing_from_a_per_language_text_is_named(two_languages, runner, in_tmp):
    edit(two_languages / "kit.yaml", title={"en": "Staying Close"})
    result = runner.invoke(cli, ["check", "kit"])
    assert result.exit_code == 1
    assert result.stderr.endswith("title: no text for 'fr'; add fr: …\n")


def test_a_plain_string_still_serves_every_language(two_languages, tmp_path):
    edit(two_languages / "kit.yaml", title="One title")
    build_kit(load_kit(two_languages), tmp_path / "out")
    assert PdfReader(tmp_path / "out" / "fr" / "kit.pdf").metadata.subject == "One title"


# --- copies per language and edition ----------------------------------------------------


def test_copies_per_language_add_up(two_languages, runner, in_tmp):
    result = runner.invoke(cli, ["build", "kit", "-q", "--copies", "en=30,fr=10"])
    assert result.exit_code == 0, result.stderr
    plan = (in_tmp / "out" / "print-plan.txt").read_text().splitlines()
    kit_sheets = -(-len(PdfReader(in_tmp / "out" / "en" / "kit.pdf").pages) // 2)
    assert any(line.startswith("en: 30 kits, each: ") for line in plan)
    assert any(line.startswith("fr: 10 kits, each: ") for line in plan)
    assert f"  {kit_sheets * 40} sheets of Letter 8.5 × 11 in" in plan
    deck = next(line for line in plan if line.startswith("fr/letter-prompt-cards.pdf "))
    assert deck.split()[-2] == "10"


def test_copies_in_kit_yaml_and_a_wrong_key(two_languages, runner, in_tmp):
    edit(two_languages / "kit.yaml", copies={"en": 3, "fr": 2})
    assert runner.invoke(cli, ["build", "kit", "-q"]).exit_code == 0
    plan = (in_tmp / "out" / "print-plan.txt").read_text()
    assert "en: 3 kits" in plan and "fr: 2 kits" in plan
    result = runner.invoke(cli, ["build", "kit", "--copies", "es=4"])
    assert result.exit_code == 2  # a usage error, as for --copies forty below
    assert result.stderr.splitlines()[-1].startswith(
        "Error: Invalid value for '--copies': 'es' is not a language or folder of this build"
    )
    result = runner.invoke(cli, ["build", "kit", "--copies", "forty"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--copies': copies must be a whole number like 40, or counts "
        "per language like en=30,es=10 (not 'forty')"
    )
