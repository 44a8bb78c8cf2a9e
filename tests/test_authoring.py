"""Writing a kit without surprises (issue 14): the kit you meant is the one built, and
the bundled example never silently; `check` lists every problem at once; --json
errors; messages that lead to the fix."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kitpress.cli import EXAMPLE_NOTICE, cli
from kitpress.paths import bundled
from tests.pdfread import all_text


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), prog_name="kitpress")
    return result.exit_code, result.stdout, result.stderr


# --- the kit you meant -------------------------------------------------------------


def test_a_kit_folder_builds_itself_from_inside(kit_copy: Path, monkeypatch: pytest.MonkeyPatch):
    manifest = kit_copy / "kit.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("Your group's name here", "Riverside Families"), "utf-8")
    monkeypatch.chdir(kit_copy)
    code, out, err = invoke("build", "-q", "-o", "out", "--only", "withdrawal-signs-checklist")
    assert (code, out, err) == (0, "", "")
    printed = all_text(kit_copy / "out/en/withdrawal-signs-checklist.pdf")
    assert "Riverside Families" in printed  # this kit's footer, not the example's


def test_the_example_kit_is_never_built_silently(in_tmp: Path):
    code, out, err = invoke("build", "-q", "-o", "made", "--only", "withdrawal-signs-checklist")
    assert code == 0, err
    assert err.splitlines() == [EXAMPLE_NOTICE]
    assert EXAMPLE_NOTICE == "no kit here: building the example kit; `kitpress init` makes your own"
    assert "Your group’s name here" in all_text(in_tmp / "made/en/withdrawal-signs-checklist.pdf")


def test_check_says_it_checks_the_example_kit(in_tmp: Path):
    code, _, err = invoke("check")
    assert (code, err.splitlines()) == (0, [EXAMPLE_NOTICE])


def test_a_named_kit_or_local_kit_gives_no_notice(in_tmp: Path):
    shutil.copytree(bundled("kit"), in_tmp / "kit")
    for args in (["check"], ["check", "kit"], ["check", str(bundled("kit"))]):
        code, _, err = invoke(*args)
        assert (code, err) == (0, ""), args


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_example_says_what_to_change_on_its_pages(lang: str):
    """The example's group is plainly a placeholder in every language it has, so a
    kit printed by mistake shows it; `kitpress init` copies these files as they are."""
    manifest = yaml.safe_load((bundled("kit") / "kit.yaml").read_text(encoding="utf-8"))
    name = manifest["organization"]["name"][lang]
    contact = manifest["organization"]["contact"][lang]
    assert {"en": "here", "es": "aquí"}[lang] in name
    assert not any(c.isdigit() for c in contact)  # no phone number that is someone's
