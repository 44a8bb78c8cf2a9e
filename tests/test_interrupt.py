"""Ctrl-C or a kill during a build: the earlier outputs stay as they were, no temporary
file is left behind, and the user reads one line saying so."""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import kitpress as kitpress_package
from kitpress import output
from kitpress.cli import cli
from kitpress.errors import Interrupted, OutputError
from kitpress.output import write_all
from kitpress.paths import bundled
from tests.test_bad_inputs import snapshot

pty = pytest.importorskip("pty")  # POSIX only: the progress bar needs a terminal

DECKS = 8


def crisis_lines() -> str:
    """The default kit's crisis: numbers, which the words of its cover.yaml show."""
    text = (bundled("kit") / "kit.yaml").read_text(encoding="utf-8")
    return text[text.index("\ncrisis:") + 1 :]


def make_decks(kit: Path, cards: int) -> None:
    """A kit of DECKS card decks holding `cards` cards in all."""
    (kit / "en").mkdir(parents=True, exist_ok=True)
    for name in ("labels.yaml", "cover.yaml"):
        shutil.copy(bundled("kit") / "en" / name, kit / "en" / name)
    names = [f"deck-{i}" for i in range(DECKS)]
    (kit / "kit.yaml").write_text(
        "title: Many cards\norganization: {name: Test}\nlanguages: [en]\n"
        f"handouts: [{', '.join(names)}]\n" + crisis_lines()
    )
    for i, name in enumerate(names):
        lines = [f"kind: card-deck\nlayout: poker\ntitle: Deck {i}\ncategories:\n"]
        lines.append("  - name: Questions\n    icon: question\n    cards:\n")
        lines += [
            f'      - "Card {n} of deck {i}: what was the best part of your week?"\n'
            for n in range(cards // DECKS)
        ]
        (kit / "en" / f"{name}.yaml").write_text("".join(lines))


def kitpress(*args: str) -> list[str]:
    return [sys.executable, "-m", "kitpress", *args]


# The child runs the kitpress these tests import (a checkout's src/, or the installed one).
ENV = {**os.environ, "PYTHONPATH": str(Path(kitpress_package.__file__).resolve().parents[1])}


def read_until(fd: int, wanted: bytes, timeout: float) -> bytes:
    """Read a pseudo-terminal until `wanted` shows up (or it closes, or time runs out)."""
    seen = b""
    end = time.monotonic() + timeout
    while wanted not in seen and time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # Linux: EIO once the other end is closed
                break
            if not chunk:
                break
            seen += chunk
    return seen


def build_on_a_terminal(cwd: Path) -> tuple[subprocess.Popen[bytes], int]:
    """`kitpress build kit -o out` in cwd, its stderr on a pseudo-terminal (where the
    progress bar shows): the process, and the terminal's end to read it from. It leads a
    process group of its own, as a shell's job does, for a Ctrl-C to reach it and its
    children at once (os.killpg)."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        kitpress("build", "kit", "-o", "out"),
        cwd=cwd,
        env=ENV,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=follower,
        start_new_session=True,
    )
    os.close(follower)
    return proc, leader


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
def test_a_stopped_build_leaves_earlier_outputs_and_no_temporary_files(tmp_path, signum):
    kit = tmp_path / "kit"
    make_decks(kit, cards=DECKS)
    first = subprocess.run(
        kitpress("build", "kit", "-o", "out"), cwd=tmp_path, env=ENV, check=False
    )
    assert first.returncode == 0
    before = snapshot(tmp_path / "out")
    make_decks(kit, cards=20_000)  # a few seconds of work

    # stderr on a pseudo-terminal: the progress bar appears once the build has been
    # drawing pages for half a second, so the signal lands while it is busy
    proc, leader = build_on_a_terminal(tmp_path)
    try:
        started = read_until(leader, b"deck-", timeout=60)
        assert b"deck-" in started, started
        proc.send_signal(signum)
        said = read_until(leader, b"as they were", timeout=60)
        code = proc.wait(timeout=60)
    finally:
        proc.kill()
        os.close(leader)
    assert code == 128 + signum
    assert (
        said.decode()
        .splitlines()[-1]
        .endswith("interrupted; nothing was written, earlier outputs are as they were")
    )
    assert proc.stdout.read() == b""
    assert snapshot(tmp_path / "out") == before  # hidden temporary files would show here


def test_writing_stopped_half_way_keeps_old_files_and_removes_temporary_ones(tmp_path, monkeypatch):
    targets = [tmp_path / "a.pdf", tmp_path / "sub" / "b.pdf", tmp_path / "c.pdf"]
    write_all([(p, b"old " + p.name.encode()) for p in targets])
    before = snapshot(tmp_path)
    calls = []

    def fsync_then_stop(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:  # the second file's data is on its way to disk
            raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "fsync", fsync_then_stop)
    with pytest.raises(KeyboardInterrupt):
        write_all([(p, b"new") for p in targets])
    assert snapshot(tmp_path) == before


def test_a_signal_while_files_move_into_place_waits_until_all_have(tmp_path, monkeypatch):
    targets = [tmp_path / f"{n}.pdf" for n in "abc"]
    replace = os.replace

    def replace_and_press_ctrl_c(src, dst):
        if dst == targets[0]:
            os.kill(os.getpid(), signal.SIGINT)  # held until the last file is in place
        replace(src, dst)

    monkeypatch.setattr(output.os, "replace", replace_and_press_ctrl_c)
    handler = signal.getsignal(signal.SIGINT)  # SIG_IGN when pytest runs as a background job
    with pytest.raises(Interrupted) as stop:
        write_all([(p, b"new") for p in targets])
    assert stop.value.written
    assert snapshot(tmp_path) == {p.name: b"new" for p in targets}
    assert signal.getsignal(signal.SIGINT) is handler  # put back as it was


def test_a_library_caller_told_of_a_signal_is_not_stopped_by_it_again(tmp_path, monkeypatch):
    """A program that uses kitpress as a library (no handler installed) and goes on
    after an Interrupted is not stopped again by that signal: it was acted on. Before,
    it stayed recorded, and the next call with a safe point but no held section (a
    facility check, a preview's update) raised Interrupted for it at once."""
    from kitpress import interrupts
    from kitpress.options import Options
    from kitpress.outreach import check_facilities
    from tests.test_outreach import tiny_kit

    monkeypatch.setattr(interrupts, "_state", interrupts._State())  # nothing installed
    kit = tiny_kit(tmp_path / "kit", ["a"])
    replace = os.replace

    def replace_and_press_ctrl_c(src, dst):
        os.kill(os.getpid(), signal.SIGINT)  # held until the file is in place
        replace(src, dst)

    monkeypatch.setattr(output.os, "replace", replace_and_press_ctrl_c)
    with pytest.raises(Interrupted):
        write_all([(tmp_path / "a.pdf", b"new")])
    monkeypatch.setattr(output.os, "replace", replace)
    assert interrupts.pending() is None
    check_facilities(kit, Options(), (), (), ("all",))  # runs to its end


def test_a_build_never_writes_over_yaml_or_a_folder(tmp_path):
    (tmp_path / "en.pdf").mkdir()
    (tmp_path / "kit.yaml").write_text("title: mine\n")
    for target, message in [
        (tmp_path / "kit.yaml", "a build never writes over a YAML file"),
        (tmp_path / "en.pdf", "a folder has this file's name; move or rename it"),
    ]:
        with pytest.raises(OutputError, match=message):
            write_all([(tmp_path / "fine.pdf", b"x"), (target, b"x")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["en.pdf", "kit.yaml"]
    assert (tmp_path / "kit.yaml").read_text() == "title: mine\n"


NOTHING = "interrupted; nothing was written, earlier outputs are as they were"
ALL = "interrupted; the build had just been written in full"


@pytest.mark.parametrize(
    ("stop", "code", "line"),
    [
        (KeyboardInterrupt(), 130, NOTHING),
        (Interrupted(signal.SIGTERM), 143, NOTHING),
        (Interrupted(signal.SIGINT, written=True), 130, ALL),
    ],
)
def test_the_cli_says_what_an_interruption_left(
    runner, kit_copy, in_tmp, monkeypatch, stop, code, line
):
    def stopped(*args, **kwargs):
        raise stop

    monkeypatch.setattr("kitpress.build.build_kit", stopped)
    result = runner.invoke(cli, ["build", "kit", "-o", "out"])
    assert (result.exit_code, result.stderr) == (code, line + "\n")


def test_a_signal_during_layout_that_reportlab_re_raises_still_exits_with_its_number(
    tmp_path, monkeypatch
):
    """Platypus re-raises an error from a flowable as type(e)(its words + e's)
    (reportlab.lib.utils.annotateException), so the Interrupted a SIGTERM raised comes
    back with text where its signal number was: exit 143 all the same, not a traceback
    (a fresh-clone CI run injected SIGINT there once)."""
    from kitpress import interrupts
    from kitpress.render.paragraph import Para

    real = Para.wrap
    fired = []

    def wrap(self, *args):
        if not fired:
            fired.append(True)
            interrupts._on_signal(signal.SIGTERM, None)  # as the handler does
        return real(self, *args)

    monkeypatch.setattr(Para, "wrap", wrap)
    monkeypatch.setattr(interrupts, "_state", interrupts._State())
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(bundled("kit")), "-o", str(out), "-q"])
    assert fired and result.exit_code == 128 + signal.SIGTERM, result.output
    assert "interrupted; nothing was written" in result.stderr
    assert not out.exists()
