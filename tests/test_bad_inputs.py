"""The corpus of broken kits in tests/data/bad: each gives exactly one line on stderr,
exit code 1, and leaves the output folder (and the kit) exactly as they were.

A case is a folder holding:
    kit/...        files that replace or add to the default kit's (same paths)
    delete.txt     optional: files of the default kit to remove, one a line
    args.txt       optional: the command line (default: build kit -o out)
    exit.txt       optional: the exit code (default 1); 2, a usage error, prints click's
                   usage lines first, and expected.txt is then the last line
    expected.txt   the exact line on stderr
    outside/...    optional: files put beside the kit folder (what a link may point at)
    links.txt      optional: symbolic links to make, one a line, `PATH -> TARGET`
                   (PATH from the folder holding kit/ and out/; whatever is at PATH goes)
    fifos.txt      optional: FIFOs (named pipes) to make in place of files, one a line

Cases run `build` even when the mistake is found while loading: it costs the same as
`check` then, and only a build can show that the output folder was left alone.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from kitpress.cli import cli
from kitpress.paths import bundled

BAD = Path(__file__).parent / "data" / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())
DEFAULT_ARGS = ["build", "kit", "-o", "out"]


@pytest.fixture(scope="module")
def previous_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default kit built once: the output folder every case starts from."""
    out = tmp_path_factory.mktemp("previous") / "out"
    result = CliRunner().invoke(cli, ["build", str(bundled("kit")), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every file under folder, hidden ones (temporary files) included, with its bytes;
    folders, links with their target and FIFOs as such (never read: that would wait
    forever)."""
    found: dict[str, bytes | str] = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_symlink():
            found[rel] = f"-> {os.readlink(p)}"
        elif stat.S_ISFIFO(p.lstat().st_mode):
            found[rel] = "fifo"
        elif p.is_file():
            found[rel] = p.read_bytes()
        elif p.is_dir():
            found[rel] = "folder"
    return found


def make_kit(case: Path, kit: Path) -> None:
    shutil.copytree(bundled("kit"), kit)
    if (case / "delete.txt").exists():
        for rel in (case / "delete.txt").read_text(encoding="utf-8").split():
            (kit / rel).unlink()
    if (case / "kit").is_dir():
        shutil.copytree(case / "kit", kit, dirs_exist_ok=True)


def test_the_corpus_is_big_and_covers_every_file():
    assert len(CASES) >= 60
    touched = {
        p.relative_to(BAD / name / "kit").as_posix()
        for name in CASES
        for p in (BAD / name).glob("kit/**/*")
        if p.is_file()
    }
    heads = {"layouts" if t.startswith("layouts/") else t for t in touched}
    for expected in (
        "kit.yaml",
        "en/labels.yaml",
        "en/cover.yaml",
        "en/withdrawal-signs-checklist.yaml",
        "en/letter-prompt-cards.yaml",
        "en/reconnection-worksheet.yaml",
        "en/visiting-day.yaml",
        "layouts",
    ):
        assert expected in heads, f"no broken {expected} in the corpus"


def arrange(case: Path, folder: Path) -> None:
    """What a case needs besides files: things outside the kit, links and FIFOs."""
    if (case / "outside").is_dir():
        shutil.copytree(case / "outside", folder, dirs_exist_ok=True)
    for name, make in (("links.txt", _link), ("fifos.txt", _fifo)):
        if (case / name).exists():
            for line in (case / name).read_text(encoding="utf-8").splitlines():
                if line.strip():
                    make(folder, line.strip())


def _clear(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _link(folder: Path, line: str) -> None:
    path, target = (part.strip() for part in line.split("->"))
    _clear(folder / path)
    (folder / path).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, folder / path)


def _fifo(folder: Path, line: str) -> None:
    _clear(folder / line)
    (folder / line).parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(folder / line)


@pytest.mark.parametrize("name", CASES)
def test_bad_input(name: str, previous_build: Path, tmp_path: Path, monkeypatch) -> None:
    case = BAD / name
    make_kit(case, tmp_path / "kit")
    shutil.copytree(previous_build, tmp_path / "out")
    arrange(case, tmp_path)
    before = snapshot(tmp_path)
    args = DEFAULT_ARGS
    if (case / "args.txt").exists():
        args = (case / "args.txt").read_text(encoding="utf-8").split()
    monkeypatch.chdir(tmp_path)

    result = CliRunner().invoke(cli, args, prog_name="kitpress")

    expected = (case / "expected.txt").read_text(encoding="utf-8")
    code = int((case / "exit.txt").read_text()) if (case / "exit.txt").exists() else 1
    stderr = result.stderr if code == 1 else result.stderr.splitlines(keepends=True)[-1]
    assert (result.exit_code, stderr) == (code, expected)
    assert result.stdout == ""
    assert expected.count("\n") == 1 and expected.endswith("\n")
    assert snapshot(tmp_path) == before, "the kit or the output folder changed"


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda t: b"\xef\xbb\xbf" + t.encode(), id="byte-order-mark"),
        pytest.param(lambda t: t.replace("\n", "\r\n").encode(), id="windows-line-ends"),
    ],
)
def test_files_saved_by_windows_editors_build(encode, runner, kit_copy, in_tmp) -> None:
    """Notepad and Word save UTF-8 with a byte-order mark and CRLF line ends: both fine."""
    for path in [kit_copy / "kit.yaml", *kit_copy.glob("en/*.yaml")]:
        path.write_bytes(encode(path.read_text(encoding="utf-8")))
    result = runner.invoke(cli, ["build", "kit", "-o", "out", "-q"])
    assert (result.exit_code, result.output) == (0, "")
    assert (in_tmp / "out/en/kit.pdf").is_file()
