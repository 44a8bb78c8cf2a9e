"""A shared kit is untrusted input. What it may do (links inside the kit, an output
folder the person points somewhere with -o) works; what it may not (write through a
link, read outside the kit, echo a huge value) is refused in one line. The refusals
themselves are cases in tests/data/bad (links.txt, fifos.txt, outside/)."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kitpress import output
from kitpress.cli import cli
from kitpress.errors import OutputError
from kitpress.output import write_all
from kitpress.paths import bundled
from tests.pdfread import all_text


def build(runner, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["build", *args], prog_name="kitpress")
    return result.exit_code, result.stderr


# --- writing ---------------------------------------------------------------------


def test_an_output_folder_the_person_names_may_be_a_link(runner, kit_copy, in_tmp):
    (in_tmp / "usb").mkdir()
    os.symlink("usb", in_tmp / "out")
    assert build(runner, "kit", "-o", "out", "-q") == (0, "")
    assert (in_tmp / "usb/en/kit.pdf").is_file()
    assert (in_tmp / "out").is_symlink()


def test_the_default_output_folder_may_not_be_a_link(runner, kit_copy, in_tmp):
    (in_tmp / "victim").mkdir()
    os.symlink("victim", in_tmp / "out")
    code, err = build(runner, "kit", "-q")
    assert code == 1 and err.startswith("out: the output folder is a link")
    assert list((in_tmp / "victim").iterdir()) == []


def test_an_output_file_that_is_a_link_is_replaced_not_followed(runner, kit_copy, in_tmp):
    (in_tmp / "out/en").mkdir(parents=True)
    (in_tmp / "victim.pdf").write_bytes(b"the victim's own file")
    os.symlink("../../victim.pdf", in_tmp / "out/en/kit.pdf")
    os.symlink("../victim.pdf", in_tmp / "out/print-plan.txt")
    assert build(runner, "kit", "-o", "out", "-q") == (0, "")
    assert (in_tmp / "victim.pdf").read_bytes() == b"the victim's own file"
    for made in ("out/en/kit.pdf", "out/print-plan.txt"):
        assert not (in_tmp / made).is_symlink()
    assert "Staying Close" in all_text(in_tmp / "out/en/kit.pdf")


def test_a_failed_write_leaves_no_new_folders(tmp_path, monkeypatch):
    def full(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "replace", full)
    target = tmp_path / "new" / "deeper" / "en" / "a.pdf"
    with pytest.raises(OutputError, match="No space left on device"):
        write_all([(target, b"x"), (tmp_path / "new" / "b.txt", b"y")], tmp_path / "new")
    assert list(tmp_path.iterdir()) == []


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_files_a_killed_build_left_are_removed_by_the_next(tmp_path):
    """kill -9 leaves .<file>.<pid>.<random>.tmp and .<file>.<pid>.bak behind; the next
    build that writes <file> removes those whose process is gone, and nothing else."""
    dead = _dead_pid()
    leftovers = [f".kit.pdf.{dead}.ab_cd123.tmp", f".kit.pdf.{dead}.bak"]
    kept = [
        f".kit.pdf.{os.getppid()}.ab_cd123.tmp",  # a build still running (pytest's parent)
        ".notes.pdf.tmp",  # not kitpress's
        f".kit.yaml.{dead}.bak",  # not an output's name
        f".other.pdf.{dead}.bak",  # not a file this build writes
    ]
    for name in leftovers + kept:
        (tmp_path / name).write_bytes(b"x")
    write_all([(tmp_path / "kit.pdf", b"new")], tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*kept, "kit.pdf"])


# --- reading ---------------------------------------------------------------------


def test_links_that_stay_inside_the_kit_are_followed(runner, kit_copy, in_tmp):
    """A second language may share files with the first, and a layout may be a link to
    another layout of the kit."""
    (kit_copy / "layouts").mkdir()
    (kit_copy / "shared").mkdir()
    (kit_copy / "shared/checklist.yaml").write_text("extends: checklist\nmax_pages: 3\n")
    os.symlink("../shared/checklist.yaml", kit_copy / "layouts/checklist.yaml")
    shutil.rmtree(kit_copy / "es")
    os.symlink("en", kit_copy / "es")
    assert build(runner, "kit", "-o", "out", "-q") == (0, "")
    assert (in_tmp / "out/es/kit.pdf").is_file()


def test_a_file_where_a_folder_belongs_and_the_other_way_round(runner, kit_copy, in_tmp):
    """Said of what is there, never "no file …; create it" of something that exists."""
    shutil.rmtree(kit_copy / "en")
    (kit_copy / "en").write_text("not a folder")
    assert build(runner, "kit", "-o", "out") == (
        1,
        "kit/en: 'en' is a file; each language is a folder of YAML files\n",
    )
    (kit_copy / "kit.yaml").unlink()
    (kit_copy / "kit.yaml").mkdir()
    assert build(runner, "kit", "-o", "out") == (
        1,
        "kit/kit.yaml: expected a YAML file but this is a folder\n",
    )


def test_init_stopped_half_way_leaves_no_half_kit(runner, in_tmp, monkeypatch):
    real = shutil.copytree

    def copy_then_stop(src, dst, *args, **kwargs):
        real(src, dst, *args, **kwargs)
        if Path(dst).name == "kit":  # not the folders inside it
            raise KeyboardInterrupt  # Ctrl-C as the last file is copied

    monkeypatch.setattr(shutil, "copytree", copy_then_stop)
    result = runner.invoke(cli, ["init"], prog_name="kitpress")
    assert (result.exit_code, result.stderr) == (
        130,
        "interrupted; nothing was written, earlier outputs are as they were\n",
    )
    assert list(in_tmp.iterdir()) == []


HUGE = "Zq" * 50_000  # 100 KB
TINY = "-0." + "0" * 100_000 + "1pt"  # a length just below zero


DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _leaves(data, path=()):
    """(key path, value) for every scalar, and (key path, None) for every key."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield (*path, k), None
            yield from _leaves(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data[:2]):  # the first two of a list stand for the rest
            yield from _leaves(v, (*path, i))
    else:
        yield path, data


def _replace(data, path, value, as_key):
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        out = {}
        for k, v in data.items():
            if k == head and as_key and not rest:
                out[value] = v
            else:
                out[k] = _replace(v, rest, value, as_key) if k == head else v
        return out
    data = list(data)
    data[head] = _replace(data[head], rest, value, as_key)
    return data


HANDOUTS = yaml.safe_load((bundled("kit") / "kit.yaml").read_text(encoding="utf-8"))["handouts"]
# a kit layout file of a case changes the layout of this handout
_HANDOUT_OF = {
    "layouts/checklist.yaml": "withdrawal-signs-checklist",
    "layouts/poker.yaml": "letter-prompt-cards",
}


def _cases():
    kit = bundled("kit")
    files = [
        "kit.yaml",
        "en/labels.yaml",
        "en/cover.yaml",
        *sorted(
            p.relative_to(kit).as_posix()
            for p in kit.glob("en/*.yaml")
            if p.name not in ("labels.yaml", "cover.yaml")
        ),
    ]
    for rel in files:
        data = yaml.safe_load((kit / rel).read_text(encoding="utf-8"))
        for path, value in itertools.islice(_leaves(data), 12):
            yield rel, path, "key" if value is None else "value"
    # a kit layout setting every length and name of the bundled ones
    for name in ("checklist", "poker"):
        merged = {}
        for layer in ("base", "cards", name) if name == "poker" else ("base", name):
            merged = _deep_merge(
                merged, yaml.safe_load((bundled("layouts") / f"{layer}.yaml").read_text())
            )
        settings = [(p, v) for p, v in _leaves(merged) if v is not None]
        for path, value in settings[::2]:  # every other one: a few of each kind
            yield f"layouts/{name}.yaml", path, "number" if _is_number(value) else "value"


def _is_number(value) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        or bool(isinstance(value, str) and re.fullmatch(r"-?[\d.]+(pt|in|mm|cm)?", value))
    )


def _deep_merge(a, b):
    if isinstance(a, dict) and isinstance(b, dict):
        return {**a, **{k: _deep_merge(a[k], v) if k in a else v for k, v in b.items()}}
    return b


def test_messages_never_quote_more_than_about_60_characters_of_any_input(tmp_path, monkeypatch):
    """The first dozen keys and values of each file of the default kit, and every other
    setting of two layouts, one at a time, made 100 KB long (a number: 100,000 digits
    long): the message shows at most about 60 characters of it."""
    monkeypatch.chdir(tmp_path)
    from click.testing import CliRunner

    runner = CliRunner()
    problems = []
    kit = tmp_path / "kit"
    shutil.copytree(bundled("kit"), kit)
    for rel, path, what in _cases():
        target = kit / rel
        shutil.rmtree(kit / "layouts", ignore_errors=True)  # put back the default kit
        for original in [bundled("kit") / "kit.yaml", *bundled("kit").glob("en/*.yaml")]:
            shutil.copy(original, kit / original.relative_to(bundled("kit")))
        # English only: `check` goes on past a problem, and Spanish would double the work;
        # and only the handout the case changes (every handout shares kit, labels, cover)
        manifest = (kit / "kit.yaml").read_text(encoding="utf-8")
        assert "[en, es]" in manifest
        manifest = manifest.replace("[en, es]", "[en]")
        if (only := _HANDOUT_OF.get(rel, Path(rel).stem)) in HANDOUTS:
            for other in set(HANDOUTS) - {only}:
                assert f"  - {other}\n" in manifest
                manifest = manifest.replace(f"  - {other}\n", "")
        (kit / "kit.yaml").write_text(manifest, encoding="utf-8")
        if rel.startswith("layouts/"):
            target.parent.mkdir(exist_ok=True)
            data = {"extends": Path(rel).stem}
            node = data
            for part in path[:-1]:
                node = node.setdefault(part, {})
            node[path[-1]] = TINY if what == "number" else HUGE
        else:
            data = yaml.safe_load(target.read_text(encoding="utf-8"))
            data = _replace(data, path, HUGE, as_key=what == "key")
        # libyaml's emitter when there is one: Python's looks at a 100 KB scalar 0.2 s
        text = yaml.dump(data, Dumper=DUMPER, allow_unicode=True, width=10**9)
        target.write_text(text, encoding="utf-8")
        result = runner.invoke(cli, ["check", "kit"], prog_name="kitpress")
        longest = max(
            (len(m.group(0)) for m in re.finditer(r"(?:Zq)+Z?|0{20,}", result.output)), default=0
        )
        if longest > 64:
            problems.append(
                f"{rel} {path} ({what}): exit {result.exit_code}, "
                f"{longest} chars: {result.output[:200]!r}"
            )
    assert not problems, "\n".join(problems)
