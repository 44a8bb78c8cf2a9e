"""Layouts as data: extends, kit overrides, validation messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from kitpress.errors import InputError, Mark
from kitpress.layouts.cards import CardLayout
from kitpress.layouts.loader import LayoutLibrary
from kitpress.layouts.models import ChecklistLayout
from kitpress.paths import bundled

WHERE = Mark(Path("kit/en/x.yaml"), 2, 9)


def library(tmp_path: Path, **files: str) -> LayoutLibrary:
    own = tmp_path / "layouts"
    own.mkdir(exist_ok=True)
    for name, text in files.items():
        (own / f"{name}.yaml").write_text(text)
    return LayoutLibrary([own, bundled("layouts")])


def load(lib: LayoutLibrary, name: str = "checklist") -> ChecklistLayout:
    return lib.load(name, ChecklistLayout, "checklist", WHERE, ("layout",))


def test_bundled_checklist_extends_base(tmp_path):
    layout = load(library(tmp_path))
    assert layout.page.margins.left == pytest.approx(54)  # 0.75in from base.yaml
    assert layout.checkbox.size == 13  # from checklist.yaml
    assert layout.styles.body.size >= 11


def test_kit_layout_overrides_bundled_of_same_name(tmp_path):
    lib = library(tmp_path, checklist="extends: checklist\ncheckbox: {size: 0.25in}\n")
    layout = load(lib)
    assert layout.checkbox.size == 18
    assert layout.checkbox.line_width == 1.5  # the rest still comes from the bundled layout


def test_kit_layout_with_new_name(tmp_path):
    lib = library(tmp_path, roomy="extends: checklist\npage:\n  margins: {left: 1in}\n")
    layout = load(lib, "roomy")
    assert layout.page.margins.left == 72
    assert layout.page.margins.right == pytest.approx(54)


def test_circular_extends(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lib = library(tmp_path, a="extends: b\n", b="extends: a\n")
    with pytest.raises(InputError, match=r"layouts extend each other in a circle \(a -> b -> a\)"):
        load(lib, "a")


def test_bad_length_points_at_the_kit_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lib = library(tmp_path, checklist="extends: checklist\ncheckbox:\n  size: 12px\n")
    with pytest.raises(InputError) as e:
        load(lib)
    assert str(e.value) == (
        "layouts/checklist.yaml:3:9: checkbox.size: '12px' is not a length; "
        "write it like 0.5in, 12mm, 1.2cm or 14pt"
    )


def test_unknown_key_in_layout(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lib = library(tmp_path, checklist="extends: checklist\ncheckbox:\n  szie: 12pt\n")
    with pytest.raises(InputError) as e:
        load(lib)
    assert (
        str(e.value)
        == "layouts/checklist.yaml:3:3: checkbox.szie: unknown key; did you mean 'size'?"
    )


def test_unknown_colour_name_points_at_the_style(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lib = library(tmp_path, checklist="extends: checklist\nstyles:\n  body: {color: blu}\n")
    with pytest.raises(InputError) as e:
        load(lib)
    assert str(e.value).startswith(
        "layouts/checklist.yaml:3:17: styles.body.color: 'blu' is neither a colour in 'colors'"
    )


def test_unknown_layout_and_extends(tmp_path):
    with pytest.raises(InputError, match="unknown layout 'checklst'; did you mean 'checklist'"):
        load(library(tmp_path), "checklst")
    with pytest.raises(InputError, match="unknown layout 'nowhere'"):
        load(library(tmp_path, odd="extends: nowhere\n"), "odd")
    with pytest.raises(InputError, match="unknown layout '../base'"):
        load(library(tmp_path), "../base")  # names never reach outside the layout folders


def test_a_layout_for_another_kind_is_named_as_such(tmp_path):
    with pytest.raises(InputError) as e:
        load(library(tmp_path), "poker")
    assert str(e.value) == (
        "kit/en/x.yaml:2:9: layout: layout 'poker' is for card-deck handouts, not checklist; "
        "use one of: checklist"
    )


# --- leading ---------------------------------------------------------------------------


def test_a_leading_smaller_than_the_size_is_an_error_at_the_style(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    style = "  body:\n    size: 14pt\n    leading: 12pt\n"
    lib = library(tmp_path, checklist="extends: checklist\nstyles:\n" + style)
    with pytest.raises(InputError) as e:
        load(lib)
    assert str(e.value) == (
        "layouts/checklist.yaml:4:5: styles.body: the leading (12pt) is smaller than the size "
        "(14pt), so lines would print over each other; make it at least 14pt (17.5pt reads "
        "well) or leave it out"
    )


def test_a_leading_given_alone_is_checked_against_the_size_it_inherits(tmp_path):
    lib = library(tmp_path, checklist="extends: checklist\nstyles:\n  heading: {leading: 12pt}\n")
    with pytest.raises(InputError, match=r"styles\.heading: the leading \(12pt\) is smaller"):
        load(lib)  # the bundled heading is 17 pt


def test_a_new_size_without_a_leading_gets_a_leading_that_follows_it(tmp_path):
    """Large print by changing sizes alone: 18 pt body text must not keep the 16 pt
    leading the bundled layout gives 12 pt text, or its lines print over each other."""
    lib = library(
        tmp_path,
        checklist="extends: checklist\nstyles:\n  body: {size: 18pt}\n"
        "  note: {size: 18pt, leading: 24pt}\n",
    )
    styles = load(lib).styles
    assert styles.body.leading is None and styles.body.effective_leading == 22.5
    assert styles.note.effective_leading == 24  # given with the size: kept
    assert styles.strong.effective_leading == 16  # untouched: as bundled (12 pt on 16 pt)


def test_card_styles_follow_the_same_rule(tmp_path):
    lib = library(tmp_path, poker="extends: poker\nstyles:\n  card_text: {size: 18pt}\n")
    layout = lib.load("poker", CardLayout, "card-deck", WHERE, ("layout",))
    assert layout.styles.card_text.effective_leading == 22.5
    assert layout.styles.calibration.effective_leading == 14  # as bundled
