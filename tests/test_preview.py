"""`kitpress preview` without a browser: what the library keeps between rebuilds,
problems collected instead of raised, a handout drawn past its page limit, the
preview's rebuilds (only what changed, never a crash), and its server (loopback only,
from memory only). The browser itself is tested in test_preview_browser.py."""

from __future__ import annotations

import io

import pytest
import yaml
from pypdf import PdfReader

from kitpress.build import lay_out
from kitpress.errors import FitError, KitpressError
from kitpress.kit import load_kit
from kitpress.options import Options
from kitpress.paper import paper
from kitpress.render.flowing import OverLimit

CHECKLIST = "en/withdrawal-signs-checklist.yaml"
WORKSHEET = "en/reconnection-worksheet.yaml"
CARDS = "en/letter-prompt-cards.yaml"


def edit_yaml(path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def lengthen(data: dict, items: int = 4) -> None:
    """A checklist section of extra items: the default checklist then runs to 3 pages."""
    extra = [f"Another sign to look for, number {n}" for n in range(items)]
    data["sections"].insert(1, {"heading": "More signs", "items": extra})


# --- what the library keeps between loads -------------------------------------------


def test_fonts_and_layouts_are_read_once_while_their_files_stay_the_same(kit_copy):
    first = load_kit(kit_copy)
    again = load_kit(kit_copy)
    for a, b in zip(first.handouts, again.handouts, strict=True):
        assert a.fonts.text is b.fonts.text  # the font files were parsed once
        assert a.layout is b.layout  # the layout was read, merged and checked once
    # a kit layout that changes is read again, and only what uses it changes
    (kit_copy / "layouts").mkdir()
    (kit_copy / "layouts" / "checklist.yaml").write_text(
        "extends: checklist\ncheckbox: {size: 0.3in}\n", encoding="utf-8"
    )
    changed = {h.name: h for h in load_kit(kit_copy).handouts}
    assert changed["withdrawal-signs-checklist"].layout.checkbox.size == pytest.approx(21.6)
    old = {h.name: h for h in again.handouts}
    assert changed["withdrawal-signs-checklist"].layout != old["withdrawal-signs-checklist"].layout
    assert changed["reconnection-worksheet"].layout == old["reconnection-worksheet"].layout


# --- problems collected, not raised -------------------------------------------------


def test_load_kit_collects_a_problem_per_part_and_keeps_the_rest(kit_copy, in_tmp):
    text = (kit_copy / CHECKLIST).read_text(encoding="utf-8")
    (kit_copy / CHECKLIST).write_text(text.replace("sections:", "sectons:", 1), encoding="utf-8")
    (kit_copy / WORKSHEET).write_text("kind: worksheet\nlayout: [\n", encoding="utf-8")
    problems: list = []
    kit = load_kit(kit_copy, (), problems)
    assert [h.name for h in kit.handouts] == ["letter-prompt-cards"]
    assert set(kit.covers) == {("en", "standard")}
    found = {(p.lang, p.part, p.edition): str(p.error) for p in problems}
    checklist = found.pop(("en", "withdrawal-signs-checklist", ""))
    assert checklist == (
        "kit/en/withdrawal-signs-checklist.yaml:6:1: sectons: unknown key; did you mean 'sections'?"
    )
    worksheet = found.pop(("en", "reconnection-worksheet", ""))
    assert worksheet == (
        "kit/en/reconnection-worksheet.yaml:3:1: the file ends inside quotes or brackets; "
        "close them"
    )
    assert found == {}
    # without a list to collect into, the first problem is raised, as `build` needs
    with pytest.raises(KitpressError) as raised:
        load_kit(kit_copy)
    assert str(raised.value) == checklist


def test_a_broken_labels_file_keeps_out_its_language_only(kit_copy):
    (kit_copy / "en" / "labels.yaml").write_text("page: [\n", encoding="utf-8")
    problems: list = []
    kit = load_kit(kit_copy, (), problems)
    assert kit.handouts == () and kit.covers == {}
    assert [(p.lang, p.part) for p in problems] == [("en", "")]


# --- a handout past its page limit --------------------------------------------------


def test_a_handout_past_its_limit_is_laid_out_whole_when_asked(kit_copy):
    edit_yaml(kit_copy / CHECKLIST, lengthen)
    kit = load_kit(kit_copy)
    (h,) = [h for h in kit.handouts if h.name == "withdrawal-signs-checklist"]
    letter = paper("letter")
    with pytest.raises(FitError) as plain:  # a build: the error alone, as before
        lay_out(kit, h, letter, Options())
    assert not isinstance(plain.value, OverLimit)
    with pytest.raises(OverLimit) as over:
        lay_out(kit, h, letter, Options(over_limit=True))
    assert str(over.value) == str(plain.value)
    assert "runs to 3 pages but layout 'checklist' allows 2" in str(over.value)
    assert over.value.allowed == 2 and over.value.laid_out.pages == 3
    pdf = PdfReader(io.BytesIO(over.value.laid_out.pdf()))
    assert len(pdf.pages) == 3 and "Page 3 of 3" in pdf.pages[2].extract_text()
