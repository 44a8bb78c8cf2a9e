"""The example kit's stand-ins (its group's name and contact, 555-01xx numbers,
example.org addresses) left in a kit are warned of by `check` and `build`, with the
place of the first: a group must not print thirty kits that say "Your group's name
here". Warnings go to stderr, after what was written; the build goes on."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kitpress.cli import cli
from kitpress.paths import bundled

NAME_EN = "Your group's name here"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), prog_name="kitpress")
    return result.exit_code, result.stdout, result.stderr


def first(kit: Path, pattern: str) -> tuple[str, int, int]:
    """Where `pattern` first appears outside a comment, in kit.yaml, then en/, then es/."""
    files = [kit / "kit.yaml", *sorted((kit / "en").glob("*.yaml"))]
    for file in files:
        for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            m = re.search(pattern, line)
            if m and not line.lstrip().startswith("#"):
                return file.relative_to(kit.parent).as_posix(), n, m.start() + 1
    raise AssertionError(pattern)


def own(kit: Path) -> None:
    """The group's own details in place of every stand-in, as an organiser would."""
    for file in [kit / "kit.yaml", *kit.glob("*/*.yaml")]:
        text = file.read_text(encoding="utf-8")
        text = text.replace(NAME_EN, "Families Together").replace("su grupo aquí", "Familias")
        text = text.replace("When you meet · your phone number", "Tuesdays · 312-555-2368")
        text = text.replace("Cuándo se reúnen · su teléfono", "Martes · 312-555-2368")
        text = re.sub(r"555-01(\d\d)", r"773-555-20\1", text)
        text = re.sub(r"example\.(org|com)", r"familiestogether.\1", text)
        file.write_text(text, encoding="utf-8")


def test_check_warns_of_each_kind_of_stand_in_at_its_first_place(kit_copy: Path, in_tmp):
    code, out, err = invoke("check", "kit")
    assert code == 0 and out.splitlines()[-1].endswith("ready to build")
    name, phone, address = err.splitlines()
    file, line, col = first(kit_copy, re.escape(NAME_EN))
    assert name.startswith(f"warning: {file}:{line}:")  # (the value's column)
    assert f'"{NAME_EN}" and 3 more of its texts are still the example kit' in name
    file, line, col = first(kit_copy, r"555-01\d\d")
    assert phone.startswith(f"warning: {file}:{line}:{col}: 555-01")
    assert "are made-up phone numbers from the example kit; put in the real ones" in phone
    file, line, col = first(kit_copy, r"example\.(org|com)")
    assert address.startswith(f"warning: {file}:{line}:{col}: example.")
    assert "are example addresses from the example kit" in address


def test_a_kit_with_its_own_details_gets_no_warning(kit_copy: Path, in_tmp):
    own(kit_copy)
    code, out, err = invoke("check", "kit")
    assert (code, err) == (0, ""), err
    code, out, err = invoke("build", "kit")
    assert (code, err) == (0, ""), err


def test_one_stand_in_left_is_named_alone_and_comments_are_not_read(kit_copy: Path, in_tmp):
    own(kit_copy)
    checklist = kit_copy / "en" / "visiting-day.yaml"
    text = checklist.read_text(encoding="utf-8")
    # a comment may mention the example's numbers: only what is printed counts
    text = "# was 555-0100 at example.org in the example\n" + text.replace(
        "773-555-2044", "555-0144", 1
    )
    checklist.write_text(text, encoding="utf-8")
    file, line, col = first(kit_copy, r"555-0144")
    code, _, err = invoke("check", "kit")
    assert code == 0
    assert err.splitlines() == [
        f"warning: {file}:{line}:{col}: 555-0144 is a made-up phone number from the "
        "example kit; put in the real one before you print"
    ]


def test_build_warns_last_on_stderr_and_in_json_and_not_when_quiet(kit_copy: Path, in_tmp):
    code, out, err = invoke("build", "kit")
    assert code == 0 and out.rstrip().endswith("cardstock")  # the print plan, then
    warned = err.splitlines()
    assert len(warned) == 3 and all(w.startswith("warning: kit/") for w in warned)
    shutil.rmtree(in_tmp / "out")
    code, out, err = invoke("build", "kit", "--json")
    assert code == 0 and err == ""
    assert [f"warning: {w}" for w in json.loads(out)["warnings"]] == warned
    shutil.rmtree(in_tmp / "out")
    assert invoke("build", "kit", "-q") == (0, "", "")


def test_the_example_used_for_want_of_a_kit_is_not_warned_of(in_tmp):
    """Its notice already says to make a kit of your own (`kitpress init`)."""
    code, _, err = invoke("check")
    assert code == 0
    assert [e for e in err.splitlines() if not e.startswith("no kit here")] == []


@pytest.mark.parametrize(
    ("name", "warned"),
    [("Your group's name here", True), ("Your group’s name here", False), ("Ours", False)],
)
def test_only_the_examples_own_words_are_its_name(kit_copy: Path, in_tmp, name, warned):
    """Compared as written: a group that wrote its own name is never warned of, even
    one that differs from the example's only by a curly apostrophe."""
    manifest = kit_copy / "kit.yaml"
    text = manifest.read_text(encoding="utf-8").replace(NAME_EN, name)
    for example, mine in (
        ("When you meet · your phone number", "Tuesdays"),
        ("El nombre de su grupo aquí", "Nosotros"),
        ("Cuándo se reúnen · su teléfono", "Martes"),
    ):
        text = text.replace(example, mine)
    manifest.write_text(text, encoding="utf-8")
    err = invoke("check", "kit")[2]
    said = [e for e in err.splitlines() if ": organization: " in e]
    assert bool(said) == warned, said
    if warned:
        assert said == [
            f"warning: kit/kit.yaml:{first(kit_copy, re.escape(NAME_EN))[1]}:9: organization: "
            f'"{NAME_EN}" is still the example kit\'s, printed at the foot of every page; '
            "put in your group's name and contact before you print"
        ]
    assert bundled("kit") != kit_copy


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Write to help@example.org.", ["example.org"]),
        ("See https://visits.example.com/hours", ["visits.example.com"]),
        ("Call Example.NET today", ["Example.NET"]),
        ("Our site: familiesexample.org", []),
        ("Our site: www.example.com.au/visits", []),
        ("Write to help@example.org.uk", []),
        ("example.network", []),
    ],
)
def test_only_the_reserved_example_domains_are_stand_ins(text, found):
    """RFC 2606's example.org, .com and .net, at the end of a sentence too; not a real
    address that merely starts with them (example.com.au is someone's)."""
    from kitpress.standins import _ADDRESS, _found

    assert [value for _, _, value in _found(_ADDRESS, text)] == found


def test_a_hash_inside_a_block_of_text_is_text_not_a_comment():
    """In a block of text (| or >) a # is printed, so what follows it is read too;
    after the block, a # starts a comment again."""
    from kitpress.standins import _PHONE, _found

    text = (
        "intro: |\n"
        "  Room #4. Call 555-0101 first.\n"
        "\n"
        "  Then #2: 555-0102\n"
        "items:\n"
        "  - >-\n"
        "    Line #1 555-0103\n"
        "  - plain # 555-0104 is a comment\n"
        "after: 555-0105 # 555-0106\n"
    )
    assert [(line, value) for line, _, value in _found(_PHONE, text)] == [
        (2, "555-0101"),
        (4, "555-0102"),
        (7, "555-0103"),
        (9, "555-0105"),
    ]
