"""What a build lets go of last is parked for the process's exit (exiting.py): the
command's process, the only one that parks, ends with os._exit and never frees it."""

from __future__ import annotations

import errno
import gc
import os
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from kitpress import exiting, forked
from kitpress.build import build_kit
from kitpress.kit import load_kit
from kitpress.options import Options
from kitpress.plan import handout_path, make_plan
from kitpress.render.kitpdf import Binder
from tests.test_forked import english_only


class _Thing:
    pass


@pytest.fixture
def parking() -> Iterator[None]:
    exiting.park_until_exit(True)
    try:
        yield
    finally:
        exiting.park_until_exit(False)


def test_parked_only_where_turned_on_and_one_at_a_time() -> None:
    gc.collect()
    thing = _Thing()
    gone = weakref.ref(thing)
    exiting.park(thing)
    del thing
    assert gone() is None  # off (as in tests, the preview): freed at once

    exiting.park_until_exit(True)
    try:
        first, second = _Thing(), _Thing()
        first_gone, second_gone = weakref.ref(first), weakref.ref(second)
        exiting.park(first)
        del first
        assert first_gone() is not None
        exiting.park(second)  # the one before it is let go of
        del second
        assert first_gone() is None and second_gone() is not None
    finally:
        exiting.park_until_exit(False)
    assert second_gone() is None  # turned off: what was parked is freed


def test_a_build_with_kit_pdf_parks_no_layout(
    kit_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parking: None
) -> None:
    """A layout parked through kit.pdf's save adds to a long kit's peak memory (172 to
    193 MB for 2,000 pages), and a saved kit.pdf holds too little to be worth parking:
    a build that makes kit.pdf parks nothing."""
    kit = load_kit(kit_copy)
    held: list[object] = []  # what was parked as each kit.pdf was finished
    finish = Binder.finish

    def finishing(self: Binder, *args: object) -> int:
        held.append(exiting._parked[0])
        return finish(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Binder, "finish", finishing)
    build_kit(kit, tmp_path / "out", Options(jobs=1))
    assert len(held) == 2 and [type(thing).__name__ for thing in held] == ["NoneType"] * 2
    assert exiting._parked[0] is None


@pytest.mark.skipif(not forked.usable(), reason="no fork here (Windows, macOS)")
def test_the_handouts_process_of_a_split_language_parks_its_last_layout(
    kit_copy: Path, tmp_path: Path, parking: None
) -> None:
    english_only(kit_copy)  # kit.pdf made in a second process (build._halves)
    kit = load_kit(kit_copy)
    out = tmp_path / "out"
    build_kit(kit, out, Options(jobs=2))
    last = make_plan(kit, Options()).handouts[-1]
    parked = exiting._parked[0]
    assert not isinstance(parked, Binder)  # this process makes no kit.pdf
    assert parked.pages == len(PdfReader(out / handout_path(last)).pages)


@pytest.mark.skipif(not forked.usable(), reason="no fork here (Windows, macOS)")
def test_a_failed_childs_part_made_here_frees_what_was_parked_first(
    kit_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parking: None
) -> None:
    """A child that failed (an error, the out-of-memory killer, no process to be had)
    has its part made here, after this process's own: the last layout that one parked
    would stay through it (a 200-page checklist's: 30 MB on that part's peak)."""
    from kitpress import build

    def no_fork() -> int:
        raise OSError(errno.ENOMEM, "no memory")

    monkeypatch.setattr(os, "fork", no_fork)  # each language's child fails
    kit = load_kit(kit_copy)
    parked: list[object] = []  # what was parked as each handout was laid out
    real = build.lay_out

    def laying_out(*args: Any) -> Any:
        parked.append(exiting._parked[0])
        return real(*args)

    monkeypatch.setattr(build, "lay_out", laying_out)
    options = Options(jobs=2, only=tuple(dict.fromkeys(h.name for h in kit.handouts)))
    assert len(build._parts(make_plan(kit, options), 2)) == 2  # en here, es in a child
    build_kit(kit, tmp_path / "out", options)
    assert len(parked) == len(kit.handouts)
    assert [type(thing).__name__ for thing in parked if thing is not None] == []
    assert exiting._parked[0] is not None  # the last part's last layout


def test_a_build_per_facility_and_the_preview_park_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parking: None
) -> None:
    """Both build one kit after another in one process: what each lets go of last is
    freed as it goes (held until the next, its cycles would outlive the collection
    after each facility, outreach.py)."""
    from click.testing import CliRunner

    from kitpress.cli import cli
    from kitpress.preview import app
    from tests.test_outreach import tiny_kit

    kit = tiny_kit(tmp_path / "kit", ["a", "b"])
    out = tmp_path / "out"
    args = ["build", str(kit), "-o", str(out), "--facility", "all", "-q", "-j", "1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert not exiting._on and exiting._parked[0] is None

    exiting.park_until_exit(True)
    monkeypatch.setattr(app, "serve", lambda *args: (None, None))
    monkeypatch.setattr(app, "run", lambda *args, **kwargs: None)
    result = CliRunner().invoke(cli, ["preview", str(kit), "--no-open"])
    assert result.exit_code == 0, result.output
    assert not exiting._on
