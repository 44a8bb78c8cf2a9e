"""A long handout's pages drawn half in each process (render/halves.py): kit.pdf's child
draws the first pages into kit.pdf, this process draws the rest on a canvas of its own,
and each puts the other's on its PDF. Wherever the split falls, every file is the one a
single process makes, byte for byte; a process that fails leaves the other to draw
every page itself."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.platypus import Spacer

from kitpress import forked
from kitpress.build import build_kit
from kitpress.errors import FitError, KitpressError, Mark
from kitpress.kit import Kit, load_kit
from kitpress.options import Options
from kitpress.render import flowing, halves
from kitpress.render.replay import Take
from kitpress.render.tagging import Node, content, noting
from tests.test_forked import children, english_only, files  # noqa: F401 (a fixture)
from tests.test_replay import long_kit  # noqa: F401 (a fixture)

pytestmark = pytest.mark.skipif(not forked.usable(), reason="no fork here (Windows, macOS)")
CHECKLIST = "en/withdrawal-signs-checklist.pdf"


@pytest.fixture
def logged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A file each process adds a line to for every page it was given to put on: its
    pid, and whether the page was put on or had to be drawn."""
    log = tmp_path / "put-on.txt"
    real = halves.put_on

    def put_on(canvas, take):  # noqa: ANN001, ANN202
        done = real(canvas, take)
        with log.open("a", encoding="utf-8") as f:
            f.write(f"{os.getpid()} {'put' if done else 'drawn'}\n")
        return done

    monkeypatch.setattr(halves, "put_on", put_on)
    monkeypatch.setattr(flowing, "put_on", put_on)
    monkeypatch.setattr(halves, "FEWEST", 2)
    return log


def _split_at(monkeypatch: pytest.MonkeyPatch, split: int, pages: int) -> None:
    monkeypatch.setattr(halves, "SHARE", (split - 0.5) / pages)


def _lines(log: Path) -> tuple[list[str], list[str]]:
    """What this process and the child logged (and a fresh log for the next build)."""
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    log.unlink(missing_ok=True)
    me = str(os.getpid())
    here = [what for pid, what in (line.split() for line in lines) if pid == me]
    there = [what for pid, what in (line.split() for line in lines) if pid != me]
    return here, there


def _built_by_one_process(kit_dir: Path, out: Path) -> tuple[Kit, dict[str, bytes], int]:
    """The kit made English-only and loaded, the files one process makes of it, and its
    checklist's pages."""
    english_only(kit_dir)
    kit = load_kit(kit_dir)
    build_kit(kit, out, Options(jobs=1))
    return kit, files(out), len(PdfReader(out / CHECKLIST).pages)


def test_wherever_the_split_falls_the_files_are_one_processs(
    long_kit: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    logged: Path,
) -> None:
    kit, one, pages = _built_by_one_process(long_kit, tmp_path / "one")
    assert pages >= 8
    assert _lines(logged) == ([], [])  # one process: nothing to swap
    drawn_here = 0
    for split in range(1, pages):
        _split_at(monkeypatch, split, pages)
        out = tmp_path / f"split{split}"
        build_kit(kit, out, Options(jobs=2))
        assert files(out) == one, f"split after page {split}"
        here, there = _lines(logged)
        # here: the child's pages and its own, the child: this process's
        assert len(here) == pages and len(there) == pages - split
        assert here.count("put") >= pages - 1 and there.count("put") >= pages - split - 1
        drawn_here += here.count("drawn")
    # The long list's table runs onto a new page with its header drawn again: split
    # there, the header's second drawing is the first in the scratch canvas, so that
    # page is drawn here, where the header was drawn already (Tagger.repeats)
    assert drawn_here >= 1


def test_a_short_handout_is_drawn_whole_by_each(
    long_kit: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    logged: Path,
) -> None:
    kit, one, pages = _built_by_one_process(long_kit, tmp_path / "one")
    monkeypatch.setattr(halves, "FEWEST", pages + 1)
    build_kit(kit, tmp_path / "two", Options(jobs=2))
    assert _lines(logged) == ([], [])
    assert files(tmp_path / "two") == one


def test_a_child_that_fails_at_its_pages_leaves_every_page_to_this_process(
    long_kit: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    logged: Path,
    children: list,  # noqa: F811
) -> None:
    kit, one, pages = _built_by_one_process(long_kit, tmp_path / "one")
    real = halves.Halves.draw

    def fails(self, canvas, number, body):  # noqa: ANN001, ANN202
        if number == 2:
            raise RuntimeError("a child that fails half-way through its pages")
        real(self, canvas, number, body)

    monkeypatch.setattr(halves.Halves, "draw", fails)
    build_kit(kit, tmp_path / "two", Options(jobs=2))
    assert len(children) == 1 and children[0].result() is None
    assert files(tmp_path / "two") == one  # kit.pdf made here after
    here, there = _lines(logged)
    assert there == []  # the child put nothing on
    # here, only its own pages after the split: the child's it drew itself
    assert 0 < len(here) < pages


def test_an_error_here_after_the_fork_stops_the_child_waiting_for_pages(
    long_kit: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    children: list,  # noqa: F811
) -> None:
    english_only(long_kit)
    monkeypatch.setattr(halves, "FEWEST", 2)

    def fails(self, first):  # noqa: ANN001, ANN202
        raise FitError("a page that does not fit", Mark(long_kit / "kit.yaml"))

    monkeypatch.setattr(flowing.Flowed, "_scratch", fails)
    with pytest.raises(KitpressError, match="a page that does not fit"):
        build_kit(load_kit(long_kit), tmp_path / "out", Options(jobs=2))
    (child,) = children  # stopped (or, with no pages to wait for, done) and waited for
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)
    assert not (tmp_path / "out").exists()


def test_a_page_that_names_what_the_layout_did_not_make_is_not_sent() -> None:
    known, other = Node("P"), Node("P")
    with noting() as marks:
        drawn = content(Spacer(1, 1), known)
    split = halves.Halves(10, marks)
    try:
        named = split._named(
            {
                1: Take(("x",), (("content", known),), {}, {}),
                2: Take(("y",), (("content", other),), {}, {}),  # made after the layout
                3: Take(("z",), (("annotation", None),), {}, {}),  # a link: made again
            }
        )
        assert list(named) == [1]
        (back,) = split._found(named).values()
        assert back.journal == (("content", known),) and back.pieces == ("x",)
        assert drawn in marks
    finally:
        split.close()


def test_with_no_child_forked_every_page_is_drawn_once_and_the_layout_let_go(
    long_kit: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    children: list,  # noqa: F811
) -> None:
    """kit.pdf's child cannot be forked (a limit, memory): there is no one to swap
    with, so this process draws its pages as without a split (no scratch canvas: that
    would be half its pages drawn twice), and keeps no part of the layout for naming."""
    kit, one, _ = _built_by_one_process(long_kit, tmp_path / "one")
    monkeypatch.setattr(halves, "FEWEST", 2)
    scratched, made = [], []
    real_scratch, real_of = flowing.Flowed._scratch, halves.Halves.of

    def scratch(self, first):  # noqa: ANN001, ANN202
        scratched.append(first)
        return real_scratch(self, first)

    def of(pages, marks):  # noqa: ANN001, ANN202
        split = real_of(pages, marks)
        made.append(split)
        return split

    def no_fork() -> int:
        raise OSError("no process to be had")

    monkeypatch.setattr(flowing.Flowed, "_scratch", scratch)
    monkeypatch.setattr(halves.Halves, "of", staticmethod(of))
    monkeypatch.setattr(os, "fork", no_fork)
    build_kit(kit, tmp_path / "two", Options(jobs=2))
    assert files(tmp_path / "two") == one
    assert [child.pid for child in children] == [0]  # none forked: kit.pdf made here
    (split,) = made
    assert split is not None and scratched == []
    assert split._known == {}
