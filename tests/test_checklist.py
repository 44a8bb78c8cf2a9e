"""The withdrawal-signs checklist, read back from its PDF."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from kitpress.build import build_kit
from kitpress.errors import FitError
from kitpress.kit import load_kit
from kitpress.options import Options
from tests.pdfread import all_text, embedded_fonts, norm, page_texts, text_runs

NAME = "withdrawal-signs-checklist"


@pytest.fixture
def built(kit_copy: Path, tmp_path: Path) -> Path:
    build_kit(load_kit(kit_copy), tmp_path / "out")
    return tmp_path / "out" / "en" / f"{NAME}.pdf"


def content(kit: Path) -> dict:
    return yaml.safe_load((kit / "en" / f"{NAME}.yaml").read_text(encoding="utf-8"))


def test_letter_pages_one_or_two(built):
    reader = PdfReader(built)
    assert 1 <= len(reader.pages) <= 2
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (612, 792)


def test_every_word_of_the_content_is_printed(built, kit_copy):
    text = all_text(built)
    data = content(kit_copy)
    strings = [data["title"], data["subtitle"], data["intro"], data["closing"]]
    for section in data["sections"]:
        strings.append(section["heading"])
        strings += section.get("items", [])
        for point in section.get("reasons", []) + section.get("tips", []):
            strings += [point["title"], point["text"]]
        for swap in section.get("swaps", []):
            strings += [swap["instead"], swap["try"]]
    missing = [s for s in strings if norm(s) not in text]
    assert not missing


def test_labels_and_footer_come_from_yaml(built, kit_copy):
    labels = yaml.safe_load((kit_copy / "en/labels.yaml").read_text())
    manifest = yaml.safe_load((kit_copy / "kit.yaml").read_text())
    pages = page_texts(built)
    for n, text in enumerate(pages, 1):
        assert labels["page"].format(page=n, pages=len(pages)) in text
        assert manifest["organization"]["name"] in text
    assert labels["noticed"] in all_text(built)


def test_one_checkbox_per_sign(built, kit_copy):
    """Each sign gets a drawn square (a closed path with four equal sides)."""
    items = next(s["items"] for s in content(kit_copy)["sections"] if "items" in s)
    stream = b"".join(p.get_contents().get_data() for p in PdfReader(built).pages)
    rects = re.findall(rb"(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re S", stream)
    squares = [r for r in rects if abs(float(r[2]) - float(r[3])) < 0.01 and 10 < float(r[2]) < 20]
    assert len(squares) == len(items)


def test_fonts_are_embedded_subsets(built):
    fonts = embedded_fonts(built)
    assert any(f.endswith("+Andika") for f in fonts), fonts
    assert any("Andika-Bold" in f for f in fonts), fonts
    assert all("+" in f for f in fonts), "every font is an embedded subset"


def test_body_text_at_least_11pt(built, kit_copy):
    runs = text_runs(built)
    items = next(s["items"] for s in content(kit_copy)["sections"] if "items" in s)
    sizes = {norm(t): size for _, t, size in runs}
    for item in items:
        assert sizes[norm(item)] >= 11
    assert min(size for _, _, size in runs) >= 10  # the footer is the smallest text


def test_a4_from_the_command_line_or_manifest(kit_copy, tmp_path):
    build_kit(load_kit(kit_copy), tmp_path / "a4", Options(paper="a4"))
    page = PdfReader(tmp_path / "a4/en" / f"{NAME}.pdf").pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


def test_same_input_gives_identical_bytes(kit_copy, tmp_path):
    kit = load_kit(kit_copy)
    build_kit(kit, tmp_path / "one")
    build_kit(kit, tmp_path / "two")
    one = (tmp_path / "one/en" / f"{NAME}.pdf").read_bytes()
    assert one == (tmp_path / "two/en" / f"{NAME}.pdf").read_bytes()


def test_too_long_stops_the_build_and_keeps_the_old_pdf(kit_copy, tmp_path, built):
    before = built.read_bytes()
    path = kit_copy / "en" / f"{NAME}.yaml"
    data = content(kit_copy)
    data["sections"][1]["items"] *= 12
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(FitError, match=r"runs over the 2 pages layout 'checklist' allows \("):
        build_kit(load_kit(kit_copy), tmp_path / "out")
    assert built.read_bytes() == before
    assert not [n for n in os.listdir(built.parent) if n.endswith(".tmp")]


def test_long_section_splits_without_orphaned_heading(kit_copy, tmp_path):
    """A heading is never the last thing on a page."""
    layout_dir = kit_copy / "layouts"
    layout_dir.mkdir()
    (layout_dir / "checklist.yaml").write_text("extends: checklist\nmax_pages: 5\n")
    data = content(kit_copy)
    data["sections"][1]["items"] *= 6
    (kit_copy / "en" / f"{NAME}.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    build_kit(load_kit(kit_copy), tmp_path / "out")
    pdf = tmp_path / "out/en" / f"{NAME}.pdf"
    headings = [norm(s["heading"]) for s in data["sections"]]
    runs = [r for r in text_runs(pdf) if not norm(r[1]).startswith("Page ")]
    pages = len(PdfReader(pdf).pages)
    assert pages > 2  # the kit's own layout lifted the page limit
    for page in range(pages):
        texts = [norm(t) for p, t, _ in runs if p == page]
        footer_free = [t for t in texts if "Family Circle" not in t]
        assert footer_free[-1] not in headings
