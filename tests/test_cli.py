"""The command line: exit codes and the exact one-line messages a volunteer sees."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kitpress import __version__
from kitpress.cli import cli
from tests.pdfread import all_text

CHECKLIST = "kit/en/withdrawal-signs-checklist.yaml"


def edit(kit: Path, old: str, new: str, name: str = "en/withdrawal-signs-checklist.yaml") -> int:
    """Replace text in a kit file; return the 1-based line of the change."""
    path = kit / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {name}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def run(runner, *args):
    result = runner.invoke(cli, list(args), prog_name="kitpress")
    return result.exit_code, result.output


def test_build_writes_one_pdf_per_handout_and_reports_pages(runner, kit_copy, in_tmp):
    code, out = run(runner, "build", "kit")
    assert code == 0, out
    pdf = in_tmp / "out/en/withdrawal-signs-checklist.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert "wrote out/en/withdrawal-signs-checklist.pdf (2 pages)" in out.splitlines()


def test_build_without_kit_uses_local_kit_then_bundled(runner, in_tmp):
    code, out = run(runner, "build", "-o", "made")
    assert code == 0, out
    assert (in_tmp / "made/en/withdrawal-signs-checklist.pdf").is_file()


def test_check_writes_nothing(runner, kit_copy, in_tmp):
    code, out = run(runner, "check", "kit")
    assert code == 0, out
    manifest = yaml.safe_load((kit_copy / "kit.yaml").read_text())
    count = len(manifest["handouts"]) * len(manifest["languages"])  # one file per language
    said = [line for line in out.splitlines() if not line.startswith("warning: ")]
    assert said[-1] == f"kit: {count} handout(s) ready to build"  # (stand-ins: warned of)
    assert not (in_tmp / "out").exists()


def test_misspelt_key(runner, kit_copy, in_tmp):
    line = edit(kit_copy, "    items:", "    itmes:")
    code, out = run(runner, "check", "kit")
    assert (code, out) == (
        1,
        f"{CHECKLIST}:{line}:5: sections[3].itmes: unknown key; did you mean 'items'?\n",
    )


def test_wrong_type(runner, kit_copy, in_tmp):
    line = edit(kit_copy, 'title: "Feeling low or numb"', "title: [a, b]")
    code, out = run(runner, "check", "kit")
    assert (code, out) == (
        1,
        f"{CHECKLIST}:{line}:16: sections[1].reasons[0].title: expected text, got a list\n",
    )


def test_syntax_error(runner, kit_copy, in_tmp):
    line = edit(kit_copy, 'subtitle: "A guide', 'subtitle: "A guide: ok" for you')
    code, out = run(runner, "build", "kit")
    assert code == 1
    assert out == (  # at the quote that ended the text, not at what follows it
        f'{CHECKLIST}:{line}:23: this " ends the quoted text, but more text follows; write '
        'quote marks inside the text as “ ” (or \\"), or put the whole text in single quotes\n'
    )


def test_missing_handout_file(runner, kit_copy, in_tmp):
    (kit_copy / "en/withdrawal-signs-checklist.yaml").unlink()
    manifest = (kit_copy / "kit.yaml").read_text().splitlines()
    line = manifest.index("  - withdrawal-signs-checklist") + 1
    code, out = run(runner, "build", "kit")
    assert (code, out) == (
        1,
        f"kit/kit.yaml:{line}:5: handouts[0]: no file en/withdrawal-signs-checklist.yaml for this "
        "handout; create it or remove 'withdrawal-signs-checklist' from handouts\n",
    )


def test_misspelt_and_missing_required_key(runner, kit_copy, in_tmp):
    line = edit(kit_copy, '  - heading: "Signs you may notice"', '  - hedding: "Signs"')
    code, out = run(runner, "check", "kit")
    assert (code, out) == (
        1,
        f"{CHECKLIST}:{line}:5: sections[3].hedding: unknown key; did you mean 'heading'?\n",
    )
    edit(kit_copy, '  - hedding: "Signs"\n    note: ', "  - note: ")
    code, out = run(runner, "check", "kit")
    assert (code, out) == (
        1,
        f"{CHECKLIST}:{line}:5: sections[3]: missing required key 'heading'; add it\n",
    )


def test_undrawable_character(runner, kit_copy, in_tmp):
    line = edit(kit_copy, "Keep letters short and light", "Keep letters short and light 漢")
    code, out = run(runner, "build", "kit")
    assert (code, out) == (
        1,
        f"{CHECKLIST}:{line}:16: sections[4].tips[1].title: no bundled font can draw U+6F22 "
        "(CJK UNIFIED IDEOGRAPH-6F22); remove it or use words instead\n",
    )
    assert not (in_tmp / "out").exists()


def test_symbols_fall_back_to_dejavu(runner, kit_copy, in_tmp):
    edit(kit_copy, "Keep letters short and light", "Keep letters short and light ✔")
    code, out = run(runner, "build", "kit")
    assert code == 0, out


def test_not_a_kit(runner, in_tmp):
    (in_tmp / "empty").mkdir()
    code, out = run(runner, "check", "empty")
    assert (code, out) == (
        1,
        "empty: no kit.yaml in this folder; is it a kit folder? (see the README to start one)\n",
    )


def test_usage_errors_exit_2(runner, in_tmp):
    code, out = run(runner, "build", "--paper", "b5")
    assert code == 2
    assert "'b5' is not one of 'letter', 'a4'" in out
    assert run(runner, "frobnicate")[0] == 2


def test_help_and_version(runner):
    assert run(runner, "--version") == (0, f"kitpress, version {__version__}\n")
    for args in (["--help"], ["build", "--help"], ["check", "--help"]):
        code, out = run(runner, *args)
        assert code == 0 and "Usage: kitpress" in out


def test_python_dash_m(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "kitpress", "--version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"kitpress, version {__version__}"


@pytest.mark.parametrize("bad", ["letter-prompts", "x"])
def test_unknown_layout_suggests(runner, kit_copy, in_tmp, bad):
    line = edit(kit_copy, "layout: checklist", f"layout: {bad}")
    code, out = run(runner, "check", "kit")
    assert code == 1
    assert out.startswith(f"{CHECKLIST}:{line}:9: layout: unknown layout '{bad}'; ")


def test_build_prefers_local_kit_folder(runner, kit_copy, in_tmp):
    edit(kit_copy, 'title: "When someone you love pulls away"', 'title: "Our own title"')
    code, out = run(runner, "build")
    assert code == 0, out
    assert "Our own title" in all_text(in_tmp / "out/en/withdrawal-signs-checklist.pdf")


def test_init_copies_the_default_kit_and_build_finds_it(runner, in_tmp):
    code, out = run(runner, "init")
    assert code == 0, out
    assert out.splitlines() == [
        "copied the default kit to kit; edit its YAML files, then run",
        "kitpress build",
    ]
    assert (in_tmp / "kit/kit.yaml").is_file()
    edit(in_tmp / "kit", 'title: "When someone you love pulls away"', 'title: "Ours now"')
    assert run(runner, "build", "-q")[0] == 0
    assert "Ours now" in all_text(in_tmp / "out/en/withdrawal-signs-checklist.pdf")


def test_init_never_overwrites(runner, in_tmp):
    (in_tmp / "kit").mkdir()
    (in_tmp / "kit" / "kit.yaml").write_text("mine")
    code, out = run(runner, "init")
    assert (code, out) == (1, "kit: holds a kit already; edit that one, or choose a new folder\n")
    assert (in_tmp / "kit" / "kit.yaml").read_text() == "mine"


def test_init_fills_an_empty_folder_and_says_why_it_will_not_fill_others(runner, in_tmp):
    """An empty folder made for the kit is filled (as `git init` would); a folder with
    files, a file, or a path through a file is refused, saying which, and left as it was."""
    (in_tmp / "empty").mkdir()
    assert run(runner, "init", "empty")[0] == 0
    assert (in_tmp / "empty" / "kit.yaml").is_file()
    (in_tmp / "full").mkdir()
    (in_tmp / "full" / "notes.txt").write_text("mine")
    (in_tmp / "afile").write_text("mine")
    for target, said in (
        ("full", "full: already holds files; choose a new or empty folder"),
        ("afile", "afile: is a file, not a folder; choose a folder for the kit"),
        ("afile/sub", "afile: is a file, not a folder; choose another place"),
    ):
        assert run(runner, "init", target) == (1, said + "\n")
    assert sorted(p.name for p in (in_tmp / "full").iterdir()) == ["notes.txt"]
    assert (in_tmp / "afile").read_text() == "mine"


@pytest.mark.parametrize("named", ["here", "absolute"])
def test_init_fills_the_empty_folder_it_is_run_in(runner, in_tmp, monkeypatch, named):
    """`mkdir ours && cd ours && kitpress init .`: the folder was renamed onto, which
    failed for '.' (Device or resource busy), and for its full path replaced the folder,
    so a shell in it saw it empty. The folder itself is filled, with nothing else left."""
    (in_tmp / "ours").mkdir()
    monkeypatch.chdir(in_tmp / "ours")
    before = os.stat(".").st_ino
    code, out = run(runner, "init", "." if named == "here" else str(in_tmp / "ours"))
    assert code == 0, out
    assert os.stat(in_tmp / "ours").st_ino == before  # the same folder, filled
    assert sorted(p.name for p in Path(".").iterdir()) == [".schemas", "en", "es", "kit.yaml"]
    assert run(runner, "check")[0] == 0
