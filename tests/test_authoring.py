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

from kitpress.cli import cli
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


@pytest.mark.parametrize("inside", ["en", "layouts/large-print"])
def test_a_folder_inside_a_kit_is_refused_not_taken_for_no_kit(
    kit_copy: Path, monkeypatch: pytest.MonkeyPatch, inside: str
):
    """Run from kit/en (where the handouts are edited), kitpress built the example kit
    and said so in one line among its usual output: the organiser's edits were not in
    what they printed. It says where the kit is instead, and writes nothing."""
    (kit_copy / inside).mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(kit_copy / inside)
    up = "/".join([".."] * len(Path(inside).parts))
    for command in ("build", "check"):
        code, out, err = invoke(command)
        assert (code, out) == (1, "")
        assert err == (
            f"{up}/kit.yaml: this folder is inside the kit at {up}, not the kit's own "
            f"folder; run kitpress there, or name the kit: kitpress {command} {up}\n"
        )
    assert not (kit_copy / inside / "out").exists()
    (kit_copy / inside / "kit").mkdir()  # a kit of its own beside it is still found
    shutil.copy(kit_copy / "kit.yaml", kit_copy / inside / "kit" / "kit.yaml")
    assert "inside the kit" not in invoke("check")[2]


def test_the_example_kit_is_never_built_silently(in_tmp: Path):
    code, out, err = invoke("build", "-q", "-o", "made", "--only", "withdrawal-signs-checklist")
    assert code == 0, err
    assert err.splitlines() == [
        "no kit here: building the example kit; `kitpress init` makes your own"
    ]
    assert "Your group’s name here" in all_text(in_tmp / "made/en/withdrawal-signs-checklist.pdf")


def test_check_says_it_checks_the_example_kit(in_tmp: Path):
    code, _, err = invoke("check")
    notice = "no kit here: checking the example kit; `kitpress init` makes your own"
    assert (code, err.splitlines()) == (0, [notice])


def test_a_named_kit_or_local_kit_gives_no_notice(in_tmp: Path):
    shutil.copytree(bundled("kit"), in_tmp / "kit")
    for args in (["check"], ["check", "kit"], ["check", str(bundled("kit"))]):
        code, _, err = invoke(*args)
        # the copy's stand-ins are warned of (test_standins.py); no notice of the example
        assert code == 0 and all(e.startswith("warning: ") for e in err.splitlines()), args
        assert "no kit here" not in err


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_example_says_what_to_change_on_its_pages(lang: str):
    """The example's group is plainly a placeholder in every language it has, so a
    kit printed by mistake shows it; `kitpress init` copies these files as they are."""
    manifest = yaml.safe_load((bundled("kit") / "kit.yaml").read_text(encoding="utf-8"))
    name = manifest["organization"]["name"][lang]
    contact = manifest["organization"]["contact"][lang]
    assert {"en": "here", "es": "aquí"}[lang] in name
    assert not any(c.isdigit() for c in contact)  # no phone number that is someone's


# --- every problem at once ---------------------------------------------------------


def edit(kit: Path, name: str, old: str, new: str) -> int:
    """Replace text in a kit file; return the 1-based line of the change."""
    path = kit / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


LONG_WORD = "Averyveryverylongwordthatneverbreaks" * 3


@pytest.fixture
def five_mistakes(kit_copy: Path, in_tmp: Path) -> list[str]:
    """A kit with five mistakes in five files (one is found only by laying out the
    cards), and the five lines `check` must print for them, in the order of the files."""
    cards = edit(
        kit_copy,
        "en/letter-prompt-cards.yaml",
        '"Write about:\\nA funny thing',
        f'"Write about:\\n{LONG_WORD} A funny thing',
    )
    cover = edit(kit_copy, "en/cover.yaml", "contents: ", "contnts: ")
    checklist = edit(kit_copy, "en/withdrawal-signs-checklist.yaml", "    items:", "    itmes:")
    worksheet = edit(kit_copy, "es/reconnection-worksheet.yaml", "title: ", "title: [uno, dos]\n#")
    phone = edit(kit_copy, "es/visiting-day.yaml", 'phone: "555-0144"', 'phone: "llame al 555"')
    return [
        f"kit/en/cover.yaml:{cover}:1: contnts: unknown key; did you mean 'contents'?",
        f"kit/en/letter-prompt-cards.yaml:{cards}:9: categories[0].cards[4]: card in 'Light "
        'topics\' ("Write about: Averyv…"): '
        "one word, 'AveryveryverylongwordthatneverbreaksAver…', is wider than a line of the "
        "card even at 11 pt, and a word is never broken; shorten it or split it with a space",
        f"kit/en/withdrawal-signs-checklist.yaml:{checklist}:5: sections[3].itmes: unknown key; "
        "did you mean 'items'?",
        f"kit/es/reconnection-worksheet.yaml:{worksheet}:8: title: expected text, got a list",
        f"kit/es/visiting-day.yaml:{phone}:16: sections[3].entries[1].phone: 'llame al 555' is "
        "not a phone number; write only the number, in digits with spaces, + ( ) - or . (like "
        "(555) 010-0100), and put words in 'note'",
    ]


def test_check_lists_every_problem_one_line_each_in_file_order(five_mistakes: list[str]):
    code, out, err = invoke("check", "kit")
    assert (code, out) == (1, "")
    assert err.splitlines() == five_mistakes


def test_build_still_stops_at_the_first(five_mistakes: list[str]):
    code, _, err = invoke("build", "kit", "-q")
    assert code == 1
    assert len(err.splitlines()) == 1 and err.strip() in five_mistakes
    assert not Path("out").exists()


def test_several_mistakes_in_one_file_are_each_listed(kit_copy: Path, in_tmp: Path):
    name = "en/withdrawal-signs-checklist.yaml"
    late = edit(kit_copy, name, "    items:", "    itmes:")
    early = edit(kit_copy, name, "title: ", "title: 7\nsubtitel: ")
    code, _, err = invoke("check", "kit")
    assert code == 1
    assert err.splitlines() == [
        f"kit/{name}:{early}:8: title: expected text, got the number 7; put the text in double "
        "quotes",
        f"kit/{name}:{early + 1}:1: subtitel: unknown key; did you mean 'subtitle'?",
        f"kit/{name}:{late + 1}:5: sections[3].itmes: unknown key; did you mean 'items'?",
    ]


def test_check_lists_fifty_then_says_how_many_more(kit_copy: Path, in_tmp: Path):
    path = kit_copy / "en/withdrawal-signs-checklist.yaml"
    extra = "".join(f"unknown_{n:02}: x\n" for n in range(60))
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    code, _, err = invoke("check", "kit")
    lines = err.splitlines()
    assert code == 1
    assert len(lines) == 51
    assert "unknown_00: unknown key" in lines[0]
    assert "unknown_49: unknown key" in lines[49]
    assert lines[50] == "… and 10 more problems"


# --- errors as JSON ----------------------------------------------------------------


def test_check_json_gives_every_problem_in_the_documented_shape(five_mistakes: list[str]):
    code, out, err = invoke("check", "kit", "--json")
    assert (code, err) == (1, "")
    report = json.loads(out)
    assert set(report) == {"errors", "more"} and report["more"] == 0
    assert len(report["errors"]) == 5
    for entry, line in zip(report["errors"], five_mistakes, strict=True):
        assert set(entry) == {"file", "line", "column", "key", "message"}
        assert (
            line
            == f"{entry['file']}:{entry['line']}:{entry['column']}: {entry['key']}: "
            + (entry["message"])
            or line == f"{entry['file']}:{entry['line']}:{entry['column']}: {entry['message']}"
        )
    first = report["errors"][0]
    assert (first["file"], first["key"]) == ("kit/en/cover.yaml", "contnts")
    assert first["message"] == "unknown key; did you mean 'contents'?"


def test_build_json_gives_the_error_as_json(five_mistakes: list[str]):
    code, out, err = invoke("build", "kit", "--json")
    assert (code, err) == (1, "")
    (entry,) = json.loads(out)["errors"]
    assert entry["file"].startswith("kit/") and isinstance(entry["line"], int)


def test_a_json_success_has_no_errors(in_tmp: Path):
    shutil.copytree(bundled("kit"), in_tmp / "kit")
    code, out, _ = invoke("check", "kit", "--json")
    report = json.loads(out)
    assert (code, report["errors"]) == (0, [])
    assert {h["file"] for h in report["handouts"]} >= {"kit/en/withdrawal-signs-checklist.yaml"}


def test_quiet_and_json_together_is_a_usage_error(in_tmp: Path):
    code, out, err = invoke("build", "-q", "--json")
    assert code == 2
    assert "give -q or --json, not both" in err
    assert not Path("out").exists()


# --- a smooth first install --------------------------------------------------------


def test_the_readme_opens_with_the_two_commands_then_the_venv_line():
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    lines = readme.splitlines()
    assert lines[:6] == [
        "# kitpress",
        "",
        "```sh",
        "pip install . && kitpress build",
        "pip install '.[test]' && python -m pytest",
        "```",
    ]
    after = " ".join(lines[6:11])
    assert "externally-managed-environment" in after
    assert "python3 -m venv .venv && . .venv/bin/activate" in after and "pipx install ." in after


# --- curly quotes in the YAML ------------------------------------------------------


def test_a_card_in_curly_quotes_prints_them(kit_copy: Path, in_tmp: Path):
    """Outside titles and names, a text wrapped in curly quotes is quoted speech (as
    yaml.safe_dump writes it): kits written so keep building."""
    edit(
        kit_copy,
        "en/letter-prompt-cards.yaml",
        '- "Write about:\\nA funny',
        '- “I miss you.”\n      - "Write about:\\nA funny',
    )
    code, _, err = invoke("build", "kit", "-q", "--only", "letter-prompt-cards")
    assert (code, err) == (0, "")
    assert "“I miss you.”" in all_text(in_tmp / "out/en/letter-prompt-cards.pdf")


def test_a_title_in_curly_quotes_is_caught_on_its_line(kit_copy: Path, in_tmp: Path):
    line = edit(kit_copy, "en/visiting-day.yaml", 'title: "Visiting day"', "title: “Visiting day”")
    code, _, err = invoke("check", "kit")
    assert code == 1
    assert err.splitlines() == [
        f"kit/en/visiting-day.yaml:{line}:8: title: curly quotes “ ” are not quotes to YAML, so "
        'they would be printed as part of the text; use straight double quotes "…" (or, to '
        "print them, put the whole text in straight quotes)"
    ]
