"""The whole kit in one command: kit.pdf, --only, booklets, the print plan, JSON."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from kitpress.assemble import booklet_order
from kitpress.cli import cli
from tests.pdfread import embedded_fonts, page_texts, printed


def run(runner, *args):
    result = runner.invoke(cli, list(args), prog_name="kitpress")
    return result.exit_code, result.output


def manifest(kit: Path) -> dict:
    return yaml.safe_load((kit / "kit.yaml").read_text(encoding="utf-8"))


def handout(kit: Path, name: str) -> dict:
    return yaml.safe_load((kit / "en" / f"{name}.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def built(runner, kit_copy, in_tmp) -> Path:
    code, out = run(runner, "build", "kit", "-q")
    assert (code, out) == (0, "")
    return in_tmp / "out"


def test_kit_pdf_has_cover_then_handouts_with_bookmarks(built, kit_copy):
    reader = PdfReader(built / "en/kit.pdf")
    names = manifest(kit_copy)["handouts"]
    flowing = [n for n in names if handout(kit_copy, n)["kind"] != "card-deck"]
    cover = yaml.safe_load((kit_copy / "en/cover.yaml").read_text())
    outline = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert outline[0] == (cover["title"], 0)
    assert [t for t, _ in outline[1:]] == [handout(kit_copy, n)["title"] for n in flowing]
    # each handout starts on a right-hand (odd) page, a blank page filling any gap, so
    # printed double-sided no two handouts share a sheet
    page = 2  # 0-based: the cover, then its back (boxes from cover.yaml, or blank)
    texts = page_texts(built / "en/kit.pdf")
    for name, (_, number) in zip(flowing, outline[1:], strict=True):
        assert number == page
        count = len(PdfReader(built / "en" / f"{name}.pdf").pages)
        if count % 2 and page + count < len(texts):  # no blank page after the last one
            assert texts[page + count] == ""
        page += count + count % 2
    assert len(reader.pages) in (page, page - 1)


def test_kit_pdf_footers_use_kit_page_numbers(built, kit_copy):
    labels = yaml.safe_load((kit_copy / "en/labels.yaml").read_text())
    texts = page_texts(built / "en/kit.pdf")
    reader = PdfReader(built / "en/kit.pdf")
    first = reader.get_destination_page_number(reader.outline[1])
    assert labels["kit_page"].format(page=first + 1) in texts[first]
    assert labels["page"].format(page=1, pages=2) not in texts[first]


def test_cover_lists_contents_with_page_numbers(built, kit_copy):
    cover_text = page_texts(built / "en/kit.pdf")[0]
    reader = PdfReader(built / "en/kit.pdf")
    for item in reader.outline[1:]:
        assert f"{item.title} {reader.get_destination_page_number(item) + 1}" in cover_text
    org = manifest(kit_copy)["organization"]["name"]["en"]  # kit.yaml's words for en
    assert printed(org) in cover_text


def test_metadata(built, kit_copy):
    meta = PdfReader(built / "en/kit.pdf").metadata
    m = manifest(kit_copy)
    assert meta.title == yaml.safe_load((kit_copy / "en/cover.yaml").read_text())["title"]
    assert meta.author == printed(m["organization"]["name"]["en"])
    assert meta.subject == m["title"]["en"]
    assert PdfReader(built / "en/kit.pdf").trailer["/Root"]["/Lang"] == "en"


def test_two_builds_are_byte_identical(runner, kit_copy, in_tmp):
    for out in ("a", "b"):
        assert run(runner, "build", "kit", "-q", "-o", out, "--booklet")[0] == 0
    files = sorted(p.relative_to(in_tmp / "a") for p in (in_tmp / "a").rglob("*.*"))
    assert len(files) >= 4
    for rel in files:
        assert (in_tmp / "a" / rel).read_bytes() == (in_tmp / "b" / rel).read_bytes(), rel


def test_source_date_epoch_sets_the_date(kit_copy, tmp_path):
    env_date = "1700000000"  # 2023-11-14T22:13:20Z
    out = str(tmp_path / "o")
    cmd = [sys.executable, "-m", "kitpress", "build", str(kit_copy), "-q", "-o", out]
    subprocess.run(cmd, check=True, env={**os.environ, "SOURCE_DATE_EPOCH": env_date})
    for pdf in (tmp_path / "o/en").glob("*.pdf"):
        assert PdfReader(pdf).metadata["/CreationDate"].startswith("D:20231114221320"), pdf


def test_booklet_order_and_padding(runner, kit_copy, in_tmp):
    assert booklet_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert run(runner, "build", "kit", "-q", "--booklet")[0] == 0
    source = PdfReader(in_tmp / "out/en/kit.pdf")
    sheets = PdfReader(in_tmp / "out/en/kit-booklet.pdf")
    padded = -(-len(source.pages) // 4) * 4
    assert len(sheets.pages) == padded // 2
    width = float(source.pages[0].mediabox.width)
    first = sheets.pages[0]
    assert float(first.mediabox.width) == pytest.approx(2 * width)  # full size, two-up
    # the front of the outer sheet: last page on the left, the cover on the right
    cover_title = source.outline[0].title
    left, right = _halves(first, width)
    assert cover_title in right and cover_title not in left


def _halves(page, width: float) -> tuple[str, str]:
    left, right = [], []

    def visit(text, cm, tm, font, size):
        x = tm[4] * cm[0] + cm[4]
        (left if x < width else right).append(text)

    page.extract_text(visitor_text=visit)
    return "".join(left), "".join(right)


def test_only_builds_a_subset_and_keeps_kit_pdf(runner, kit_copy, in_tmp, built):
    kit_pdf = (built / "en/kit.pdf").read_bytes()
    first = manifest(kit_copy)["handouts"][0]
    (built / "en" / f"{first}.pdf").unlink()
    code, out = run(runner, "build", "kit", "--only", first)
    assert code == 0, out
    assert (built / "en" / f"{first}.pdf").is_file()
    assert (built / "en/kit.pdf").read_bytes() == kit_pdf
    assert f"wrote out/en/{first}.pdf" in out
    assert "kit.pdf" not in out.split("Print plan")[0]


def test_only_unknown_name(runner, kit_copy, in_tmp):
    """A name the kit does not have is a mistake in the command line: a usage error
    (exit 2, as for --paper), with the kit's names to choose from."""
    names = ", ".join(manifest(kit_copy)["handouts"])
    code, out = run(runner, "build", "kit", "--only", "cheklist")
    assert code == 2
    assert out.startswith("Usage: kitpress build [OPTIONS] [KIT_DIR]\n")
    assert out.splitlines()[-1] == (
        f"Error: Invalid value for '--only': no handout is named 'cheklist'; choose from: {names}"
    )
    code, out = run(runner, "build", "kit", "--only", "letter-prompt-card", "--json")
    assert code == 2  # not a problem in the kit: no JSON error
    assert out.splitlines()[-1] == (
        "Error: Invalid value for '--only': no handout is named 'letter-prompt-card'; "
        "did you mean 'letter-prompt-cards'?"
    )
    assert not (in_tmp / "out").exists()


def test_only_takes_a_handouts_file_name_in_any_language(runner, kit_copy, in_tmp):
    """out/es/ shows the Spanish checklist as cuando-se-alejan.pdf: that name picks the
    handout as its own name does."""
    code, out = run(runner, "build", "kit", "-q", "--only", "cuando-se-alejan")
    assert code == 0, out
    by_file = sorted(p.relative_to(in_tmp / "out").as_posix() for p in in_tmp.glob("out/*/*"))
    shutil.rmtree(in_tmp / "out")
    assert run(runner, "build", "kit", "-q", "--only", "withdrawal-signs-checklist")[0] == 0
    by_name = sorted(p.relative_to(in_tmp / "out").as_posix() for p in in_tmp.glob("out/*/*"))
    assert by_file == by_name == ["en/withdrawal-signs-checklist.pdf", "es/cuando-se-alejan.pdf"]


def test_print_plan_totals_for_copies(runner, kit_copy, in_tmp):
    code, out = run(runner, "build", "kit", "--copies", "60")
    assert code == 0, out
    plan = (in_tmp / "out/print-plan.txt").read_text()
    assert plan in out
    assert plan.startswith("Print plan: Staying Close / Seguimos cerca\n")  # both titles
    kit_pages = len(PdfReader(in_tmp / "out/en/kit.pdf").pages)
    sheets = -(-kit_pages // 2)
    row = next(line for line in plan.splitlines() if line.startswith("en/kit.pdf "))
    assert row.split()[1:4] == [str(kit_pages), str(sheets), "double"]
    assert "Letter 8.5 × 11 in" in row  # the paper by name and size
    assert row.split()[-2:] == ["60", str(sheets * 60)]
    needed = next(line for line in plan.splitlines() if line.startswith("en: 60 kits, each: "))
    separate = [
        n for n in manifest(kit_copy)["handouts"] if handout(kit_copy, n)["kind"] == "card-deck"
    ]
    assert sorted(needed.removeprefix("en: 60 kits, each: ").split(", ")) == sorted(
        ["en/kit.pdf"] + [f"en/{n}.pdf" for n in separate]
    )
    spanish_sheets = -(-len(PdfReader(in_tmp / "out/es/kit.pdf").pages) // 2)
    both = (sheets + spanish_sheets) * 60  # 60 kits in each language
    assert f"  {both} sheets of Letter 8.5 × 11 in" in plan.splitlines()


def test_copies_given_twice_add_up_or_are_refused(runner, kit_copy, in_tmp):
    """--copies en=30 --copies es=10 reads as en=30,es=10: the print plan counts both,
    where keeping only the last would have planned one English kit's paper. Counts that
    contradict each other are a usage error (exit 2), and nothing is built."""
    code, out = run(runner, "build", "kit", "--copies", "en=30", "--copies", "es=10")
    assert code == 0, out
    twice = (in_tmp / "out/print-plan.txt").read_text()
    assert "en: 30 kits, each:" in twice and "es: 10 kits, each:" in twice
    shutil.rmtree(in_tmp / "out")
    assert run(runner, "build", "kit", "--copies", "en=30,es=10")[0] == 0
    assert (in_tmp / "out/print-plan.txt").read_text() == twice
    shutil.rmtree(in_tmp / "out")
    for given, said in (
        (("40", "es=10"), "give one number for every language"),
        (("en=3", "en=4"), "en is given 3 and 4; give it once"),
    ):
        code, out = run(runner, "build", "kit", *(a for n in given for a in ("--copies", n)))
        assert code == 2 and said in out, out
        assert not (in_tmp / "out").exists()


def test_json_summary(runner, kit_copy, in_tmp):
    code, out = run(runner, "build", "kit", "--json")
    assert code == 0
    summary = json.loads(out)
    paths = {f["path"] for f in summary["files"]}
    assert "en/kit.pdf" in paths
    for f in summary["files"]:
        assert len(PdfReader(in_tmp / "out" / f["path"]).pages) == f["pages"]


def test_check_fails_where_build_would_on_the_cover(runner, kit_copy, in_tmp):
    cover = kit_copy / "en/cover.yaml"
    data = yaml.safe_load(cover.read_text())
    data["intro"] = " ".join([data["intro"]] * 10)  # 3,500 characters: a page and a half
    cover.write_text(yaml.safe_dump(data), encoding="utf-8")
    lines = cover.read_text().splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("intro:"))
    expected = (
        f"kit/en/cover.yaml:{line}:8: intro: the cover does not fit on one page; "
        "shorten the intro\n"
    )
    assert run(runner, "check", "kit") == (1, expected)
    assert run(runner, "build", "kit") == (1, expected)


def test_only_keeps_the_whole_kits_print_plan(runner, kit_copy, in_tmp, built):
    plan = (built / "print-plan.txt").read_bytes()
    first = manifest(kit_copy)["handouts"][0]
    assert run(runner, "build", "kit", "-q", "--only", first)[0] == 0
    assert (built / "print-plan.txt").read_bytes() == plan


def test_booklets_carry_no_stale_form_fields(runner, kit_copy, in_tmp):
    assert run(runner, "build", "kit", "-q", "--booklet")[0] == 0
    for path in (in_tmp / "out/en").glob("*-booklet.pdf"):
        reader = PdfReader(path)
        assert not any(page.get("/Annots") for page in reader.pages), path
        assert reader.trailer["/Root"]["/ViewerPreferences"]["/Duplex"] == "/DuplexFlipShortEdge"


def test_outputs_are_readable_by_others(built):
    import stat

    for path in built.rglob("*.pdf"):
        assert path.stat().st_mode & stat.S_IRGRP, path


def test_footer_words_fall_back_to_the_symbol_font(runner, kit_copy, in_tmp):
    labels = kit_copy / "en/labels.yaml"
    labels.write_text(
        labels.read_text().replace('page: "Page {page} of', 'page: "★ Page {page} of')
    )
    assert run(runner, "build", "kit", "-q", "--only", "withdrawal-signs-checklist")[0] == 0
    pdf = in_tmp / "out/en/withdrawal-signs-checklist.pdf"
    assert "★ Page 1 of 2" in page_texts(pdf)[0]
    assert any(f.endswith("+DejaVuSans") for f in embedded_fonts(pdf))


def test_organisation_is_glyph_checked(runner, kit_copy, in_tmp):
    path = kit_copy / "kit.yaml"
    path.write_text(path.read_text().replace("Your group", "Your 🦀 group"))
    code, out = run(runner, "check", "kit")
    assert code == 1
    assert out.startswith(
        "kit/kit.yaml:9:9: organization.name.en: no bundled font can draw U+1F980"
    )


def test_a_footer_too_long_for_one_line_is_an_error(runner, kit_copy, in_tmp):
    path = kit_copy / "kit.yaml"
    path.write_text(path.read_text().replace("When you meet", "When you meet " * 8))
    code, out = run(runner, "check", "kit")
    # said for each layout that sets a footer (check lists every problem)
    assert (code, out) == (
        1,
        "".join(
            "kit/kit.yaml:12:9: organization.contact.en: is too long for the footer of every "
            "page, where the organization's name and contact share one line beside the page "
            f"number: layout '{name}' (bundled layouts/{name}.yaml) leaves 435pt for it, 385pt "
            "too little; shorten it by about 75 characters\n"
            for name in ("checklist", "resource-sheet", "worksheet")
        ),
    )


def test_a_kit_folder_without_manifest_is_not_ignored(runner, in_tmp):
    (in_tmp / "kit").mkdir()
    (in_tmp / "kit" / "notes.txt").write_text("title: mine\n")
    assert run(runner, "build") == (
        1,
        "kit: this kit folder has no kit.yaml; add one (see the README), or name the kit "
        "folder to build\n",
    )
    (in_tmp / "kit" / "kit.yml").write_text("title: mine\n")
    assert run(runner, "build") == (
        1,
        "kit: no kit.yaml in this kit folder, but there is kit.yml: rename it kit.yaml\n",
    )


def test_kit_pdf_keeps_the_worksheet_fillable(built, kit_copy):
    sheets = [
        n for n in manifest(kit_copy)["handouts"] if handout(kit_copy, n)["kind"] == "worksheet"
    ]
    assert sheets
    fields = set(PdfReader(built / "en/kit.pdf").get_fields())
    for name in sheets:
        assert set(PdfReader(built / "en" / f"{name}.pdf").get_fields()) <= fields


def test_footer_fits_beside_every_page_label(runner, kit_copy, in_tmp):
    """'Page 100 of 110' is wider than 'Page 1 of 2': the organisation line must still
    fit on one line above the 0.5in edge on every page, or the build stops."""
    path = kit_copy / "kit.yaml"
    name = "Family Circle Support Group of Riverside County Area an"  # fits beside "Page 1 of 2"
    contact = "Tuesdays at 6 pm · (555) 014-2200"
    text = path.read_text().replace("Your group's name here", name)
    path.write_text(text.replace("When you meet · your phone number", contact))
    assert run(runner, "check", "kit")[0] == 0
    (kit_copy / "layouts").mkdir()
    (kit_copy / "layouts/checklist.yaml").write_text("extends: checklist\nmax_pages: 250\n")
    checklist = kit_copy / "en/withdrawal-signs-checklist.yaml"
    data = yaml.safe_load(checklist.read_text())
    # past ten pages: "Page 10 of 11" is wider
    next(s for s in data["sections"] if "items" in s)["items"] *= 25
    checklist.write_text(yaml.safe_dump(data), encoding="utf-8")
    code, out = run(runner, "check", "kit")
    assert (code, out) == (
        1,
        "kit/kit.yaml:9:9: organization.name.en: is too long for the footer of every page, "
        "where the organization's name and contact share one line beside the page number: "
        "layout 'checklist' (kit/layouts/checklist.yaml) leaves 429pt for it, 10pt too little; "
        "shorten it by about 3 characters\n",
    )


def test_a_bad_source_date_epoch_is_one_line(runner, kit_copy, in_tmp, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    assert run(runner, "build", "kit") == (
        1,
        "SOURCE_DATE_EPOCH is 'yesterday'; set it to a whole number of seconds since 1970 "
        "(like 1700000000), or unset it\n",
    )
    assert not (in_tmp / "out").exists()
