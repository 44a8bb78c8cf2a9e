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
from kitpress.typography import Quotes, typeset_data
from tests.pdfread import all_text, embedded_fonts, norm, page_texts, printed, text_lines, text_runs
from tests.pdftrace import trace

NAME = "withdrawal-signs-checklist"


@pytest.fixture
def built(kit_copy: Path, tmp_path: Path) -> Path:
    build_kit(load_kit(kit_copy), tmp_path / "out")
    return tmp_path / "out" / "en" / f"{NAME}.pdf"


def content(kit: Path) -> dict:
    """The handout's data as printed (straight quotes typographic, as kit.py loads it);
    written back, it prints the same."""
    data = yaml.safe_load((kit / "en" / f"{NAME}.yaml").read_text(encoding="utf-8"))
    return typeset_data(data, Quotes())


def body(data: dict, kind: str) -> int:
    """The index of the first section whose body is `kind` (items, reasons, …)."""
    return next(i for i, section in enumerate(data["sections"]) if kind in section)


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
        numbers = yaml.safe_load((kit_copy / "kit.yaml").read_text())["crisis"]
        for part in section.get("box", []):  # {crisis_line} shows kit.yaml's number
            words = [part.get("title"), part.get("text"), *part.get("list", [])]
            strings += [w.format(**numbers) for w in words if w]
        strings += [section["note"]] if "note" in section else []
    missing = [s for s in strings if norm(s) not in text]
    assert not missing


def test_labels_and_footer_come_from_yaml(built, kit_copy):
    labels = yaml.safe_load((kit_copy / "en/labels.yaml").read_text())
    manifest = yaml.safe_load((kit_copy / "kit.yaml").read_text())
    pages = page_texts(built)
    for n, text in enumerate(pages, 1):
        assert labels["page"].format(page=n, pages=len(pages)) in text
        assert printed(manifest["organization"]["name"]["en"]) in text
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
    next(s for s in data["sections"] if "items" in s)["items"] *= 12
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(FitError, match=r"runs over the 2 pages layout 'checklist' allows \("):
        build_kit(load_kit(kit_copy), tmp_path / "out")
    assert built.read_bytes() == before
    assert not [n for n in os.listdir(built.parent) if n.endswith(".tmp")]


def test_each_editions_limit_names_that_editions_layout_file(kit_copy, tmp_path):
    """Checked in both editions, a checklist too long for each is two lines that say
    which edition's limit it is and which kit file would raise it."""
    from kitpress.build import check_kit

    path = kit_copy / "en" / f"{NAME}.yaml"
    data = content(kit_copy)
    next(s for s in data["sections"] if "items" in s)["items"] *= 6
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    problems: list = []
    check_kit(load_kit(kit_copy, ("standard", "large-print")), Options(), problems)
    said = [str(p) for p in problems if "runs over" in str(p) and f"en/{NAME}" in str(p)]
    assert len(said) == 2, said
    standard, large = sorted(said, key=lambda m: "large-print" in m)
    assert "the 2 pages layout 'checklist' allows" in standard
    assert standard.endswith(
        "raise max_pages in your kit's layouts/checklist.yaml (see Layouts in the README)"
    )
    assert "pages large-print layout 'checklist' allows" in large
    assert "your kit's layouts/large-print/checklist.yaml" in large


def test_long_section_splits_without_orphaned_heading(kit_copy, tmp_path):
    """A heading is never the last thing on a page."""
    layout_dir = kit_copy / "layouts"
    layout_dir.mkdir()
    (layout_dir / "checklist.yaml").write_text("extends: checklist\nmax_pages: 5\n")
    data = content(kit_copy)
    next(s for s in data["sections"] if "items" in s)["items"] *= 6
    (kit_copy / "en" / f"{NAME}.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    build_kit(load_kit(kit_copy), tmp_path / "out")
    pdf = tmp_path / "out/en" / f"{NAME}.pdf"
    headings = [norm(s["heading"]) for s in data["sections"]]
    runs = [r for r in text_runs(pdf) if not norm(r[1]).startswith("Page ")]
    pages = len(PdfReader(pdf).pages)
    assert pages > 2  # the kit's own layout lifted the page limit
    for page in range(pages):
        texts = [norm(t) for p, t, _ in runs if p == page]
        footer_free = [t for t in texts if "Your group" not in t]
        assert footer_free[-1] not in headings


# --- page flow: sections split between their rows ------------------------------------


def write(kit: Path, data: dict) -> None:
    path = kit / "en" / f"{NAME}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def allow_pages(kit: Path, pages: int) -> None:
    (kit / "layouts").mkdir(exist_ok=True)
    (kit / "layouts" / "checklist.yaml").write_text(f"extends: checklist\nmax_pages: {pages}\n")


def build_checklist(kit: Path, out: Path) -> list[str]:
    """The checklist's pages, as text."""
    build_kit(load_kit(kit), out, Options(only=(NAME,)))
    return page_texts(out / "en" / f"{NAME}.pdf")


def page_of(pages: list[str], text: str) -> int:
    """The one page `text` is printed on (whole: rows never split)."""
    found = [i for i, page in enumerate(pages) if norm(text) in page]
    assert len(found) == 1, (text, found)
    return found[0]


def rows(section: dict) -> list[str]:
    """A text that stands for each row of a section's body, in order."""
    if "items" in section:
        return section["items"]
    if "swaps" in section:
        return [f"“{s['instead']}”" for s in section["swaps"]]
    if "box" in section:  # a box moves whole: one row, known by its first words
        part = section["box"][0]
        return [part.get("title") or part.get("text") or part["list"][0]]
    points = section.get("reasons") or section["tips"]
    if "reasons" in section:  # a grid row holds two reasons; its first stands for it
        points = points[::2]
    return [p["title"] for p in points]


def test_a_section_that_no_longer_fits_splits_between_items(kit_copy, tmp_path):
    """Signs enough to run past the page used to move the whole section to the next
    page (and the handout over its limit); now it fills the page and goes on over."""
    allow_pages(kit_copy, 4)
    data = content(kit_copy)
    signs = data["sections"][body(data, "items")]
    signs["items"] += [f"Another sign, number {n:02}" for n in range(20)]
    write(kit_copy, data)
    pages = build_checklist(kit_copy, tmp_path / "out")
    where = [page_of(pages, item) for item in signs["items"]]
    assert where == sorted(where)
    assert where[0] < where[-1], "split between items, not moved whole"
    assert page_of(pages, signs["heading"]) == where[0] == where[1]
    for page in set(where):  # the column header repeats on every page the items reach
        assert "When I noticed" in pages[page]


def test_each_sign_has_its_writing_line_on_every_page_it_reaches(kit_copy, tmp_path):
    """One line to write the date on beside each sign's box, on every page the signs
    run over, and none under the column's header where it is repeated (a platypus
    Table drew one there, beside no sign, on every page after the first)."""
    allow_pages(kit_copy, 4)
    data = content(kit_copy)
    signs = data["sections"][body(data, "items")]
    signs["items"] += [f"Another sign, number {n:02}" for n in range(20)]
    write(kit_copy, data)
    build_checklist(kit_copy, tmp_path / "out")
    pages = trace(tmp_path / "out" / "en" / f"{NAME}.pdf")
    reached = 0
    for page in pages:
        strokes = [p.polylines[0] for p in page.paints if p.kind == "stroke" and p.polylines]
        boxes = [s for s in strokes if _is_square(s)]
        lines = [
            s
            for s in strokes  # the writing column is on the right; the footer's rule is wider
            if len(s) == 2 and s[0][1] == s[1][1] and s[0][0] > page.width / 2
        ]
        assert len(lines) == len(boxes)
        if boxes:
            reached += 1
            assert max(y for (_, y), _ in lines) < max(y for s in boxes for _, y in s)
    assert reached >= 2  # the signs ran onto a second page


def _is_square(polyline: tuple) -> bool:
    xs, ys = [x for x, _ in polyline], [y for _, y in polyline]
    w, h = max(xs) - min(xs), max(ys) - min(ys)
    return len(polyline) in (4, 5) and abs(w - h) < 0.01 and 5 < w < 30


def test_a_heading_keeps_its_first_two_rows_wherever_it_falls(kit_copy, tmp_path):
    """Signs added one at a time move every later heading down the page and past the
    page end; each time, every heading is on the page of its first two rows."""
    allow_pages(kit_copy, 6)
    data = content(kit_copy)
    at = body(data, "items")
    signs = data["sections"][at]["items"]
    split = 0
    for extra in range(0, 40, 2):
        more = [f"Another sign, number {n:02}" for n in range(extra)]
        data["sections"][at]["items"] = signs + more
        write(kit_copy, data)
        pages = build_checklist(kit_copy, tmp_path / f"out{extra}")
        for section in data["sections"]:
            first = rows(section)
            heading = page_of(pages, section["heading"])
            assert [page_of(pages, r) for r in first[:2]] == [heading] * min(2, len(first))
            split += page_of(pages, first[-1]) > heading
    assert split >= 5  # the sweep made sections split often enough to mean something


def test_a_reason_grid_splits_between_rows(kit_copy, tmp_path):
    allow_pages(kit_copy, 4)
    data = content(kit_copy)
    reasons = data["sections"][body(data, "reasons")]["reasons"]
    reasons[:] = [
        {"title": f"Reason {n:02}", "text": f"{r['text']} ({n:02})"}
        for n, r in enumerate(reasons * 5)
    ]
    write(kit_copy, data)
    pages = build_checklist(kit_copy, tmp_path / "out")
    title_page = [page_of(pages, r["title"]) for r in reasons]
    assert title_page == sorted(title_page) and title_page[-1] > 0  # over two pages
    for n, r in enumerate(reasons):  # a row (two reasons, each title and text) stays whole
        assert norm(r["text"]) in pages[title_page[n]]
        assert title_page[n] == title_page[n - n % 2]


def test_a_swap_box_splits_between_swaps(kit_copy, tmp_path):
    allow_pages(kit_copy, 4)
    data = content(kit_copy)
    swaps = data["sections"][body(data, "swaps")]["swaps"]
    swaps[:] = [
        {"instead": f"Number {n:02}: {s['instead']}", "try": f"{s['try']} ({n:02})"}
        for n, s in enumerate(swaps * 4)
    ]
    write(kit_copy, data)
    pages = build_checklist(kit_copy, tmp_path / "out")
    where = [page_of(pages, f"“{s['instead']}”") for s in swaps]
    assert where == sorted(where) and where[0] < where[-1]  # the box goes on over a page
    for s, page in zip(swaps, where, strict=True):  # a swap's two lines stay together
        assert norm(f"“{s['try']}”") in pages[page]


def test_larger_body_text_gets_a_leading_to_match(kit_copy, tmp_path):
    """A kit's layout that makes body text 18 pt and says nothing of the leading: the
    lines of a paragraph print 22.5 pt apart (1.25 x), not 16 pt apart over each other."""
    (kit_copy / "layouts").mkdir()
    (kit_copy / "layouts" / "checklist.yaml").write_text(
        "extends: checklist\nmax_pages: 4\nstyles:\n  body: {size: 18pt}\n"
    )
    build_kit(load_kit(kit_copy), tmp_path / "out", Options(only=(NAME,)))
    lines = text_lines(tmp_path / "out" / "en" / f"{NAME}.pdf")
    data = content(kit_copy)
    tip = max((t["text"] for t in data["sections"][body(data, "tips")]["tips"]), key=len)
    start = next(i for i, line in enumerate(lines) if tip.startswith(line.text))
    shown = lines[start : start + 3]
    assert norm(" ".join(line.text for line in shown)) in norm(tip)
    assert [round(a.y - b.y, 2) for a, b in zip(shown, shown[1:], strict=False)] == [22.5, 22.5]
