"""How a kitpress process ends (__main__.leave): at once, without Python's teardown,
but only when that changes nothing a person or a script sees: every byte of output
written, the exit code kept, a running thread waited for."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from kitpress.cli import cli

SRC = Path(__file__).resolve().parents[1] / "src"
# the command run as the `kitpress` script runs it, with a note if Python's teardown ran
SCRIPT = """
import atexit, sys, threading, time
atexit.register(lambda: print("torn down", file=sys.stderr))
if {thread!r}:
    threading.Thread(target=time.sleep, args=(0.2,)).start()
from kitpress.__main__ import main
sys.argv = ["kitpress", *{args!r}]
main()
"""


def kitpress(*args: str, thread: bool = False, cwd: Path | None = None):
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    script = SCRIPT.format(args=list(args), thread=thread)
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=cwd
    )


def test_output_through_a_pipe_arrives_whole_and_teardown_is_skipped(runner):
    done = kitpress("schema", "checklist")
    assert done.returncode == 0, done.stderr
    # more than a pipe's buffer of 8 kB: the rest was flushed before the process ended
    assert len(done.stdout) > 8192
    assert done.stdout == runner.invoke(cli, ["schema", "checklist"]).output
    json.loads(done.stdout)
    assert "torn down" not in done.stderr  # ended at once


def test_exit_codes_and_messages_are_kept(tmp_path):
    (tmp_path / "kit").mkdir()
    (tmp_path / "kit" / "kit.yaml").write_text("title: [\n", encoding="utf-8")
    bad = kitpress("build", "kit", "-q", cwd=tmp_path)
    assert bad.returncode == 1
    assert bad.stderr == "kit/kit.yaml:2:1: the file ends inside quotes or brackets; close them\n"
    assert "torn down" not in bad.stderr
    usage = kitpress("build", "--no-such-option", cwd=tmp_path)
    assert usage.returncode == 2
    assert usage.stderr.endswith("Error: No such option '--no-such-option'.\n")
    assert not (tmp_path / "out").exists()


def test_a_running_thread_gets_the_usual_exit():
    # Python waits for a thread that is not a daemon; ending at once would cut it off
    done = kitpress("--version", thread=True)
    assert done.returncode == 0
    assert done.stdout.startswith("kitpress, version")
    assert "torn down" in done.stderr
