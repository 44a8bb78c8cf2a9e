"""Ctrl-C or SIGTERM at any system call of a build: the output folder holds all the old
files or all the new ones, never a temporary file, backup or new empty folder, and the
one line on stderr says which. strace delivers the signal: one run records the build's
system calls, then each sampled run sends SIGINT or SIGTERM as the build enters the
call at one position (`-e inject=NAME:signal=SIG:when=N`, N counting calls of NAME).

Sampled (about 120 builds of the default kit in one language with two of its handouts:
more files would only repeat the same writing calls): from the first look at an output
file to the exit, every call that makes, writes, moves or removes a file, or sets a
signal handler, and every eighth other call; every call that looks at the output
folder before that; and a dozen calls spread evenly over loading and laying out the
kit (SIGNAL_SPREAD=N for N of them: they all end the same way, nothing written). A
build into a folder that is not there yet is stopped at every third of the writing
calls. SIGNAL_EVERY=N tries every Nth call of the whole build instead (N=1: all of
them, an hour or so).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

import kitpress as kitpress_package
from kitpress.paths import bundled

STRACE = shutil.which("strace")


def _can_trace() -> bool:
    try:
        return subprocess.run([STRACE, "-qq", "-o", os.devnull, "true"], timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


pytestmark = [
    pytest.mark.skipif(
        STRACE is None, reason="strace is not installed (apt-get install strace; .ci/run does)"
    ),
    pytest.mark.skipif(
        STRACE is not None and not _can_trace(),
        reason="strace cannot trace here (ptrace is not permitted in this container)",
    ),
]

SRC = str(Path(kitpress_package.__file__).resolve().parents[1])
# The same build every run: a fixed hash seed, so the calls come in the same order.
ENV = {**os.environ, "PYTHONPATH": SRC, "PYTHONHASHSEED": "0", "SOURCE_DATE_EPOCH": "1700000000"}
COMMAND = [sys.executable, "-m", "kitpress", "build", "kit", "-o", "out", "-q"]
NOTHING = "interrupted; nothing was written, earlier outputs are as they were"
ALL = "interrupted; the build had just been written in full"
SPREAD = int(os.environ.get("SIGNAL_SPREAD", "12"))  # samples over loading and layout
# the calls of the writing step that change something (or are the exit): each one tried
CHANGES = {
    "openat",
    "write",
    "fsync",
    "close",
    "chmod",
    "fchmod",
    "linkat",
    "link",
    "rename",
    "renameat",
    "renameat2",
    "unlink",
    "unlinkat",
    "mkdir",
    "mkdirat",
    "rmdir",
    "getdents64",
    "rt_sigaction",
    "exit_group",
}
EVERY = int(os.environ.get("SIGNAL_EVERY", "0"))


@dataclass(frozen=True)
class Call:
    index: int  # position among all the build's system calls
    name: str
    nth: int  # which call of this name it is (strace's when=)
    text: str


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every file (with its bytes) and folder (None) under folder, hidden ones too,
    but not the kit (a link to the shared one)."""
    return {
        rel: (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
        if (rel := p.relative_to(folder).as_posix()).split("/")[0] != "kit"
    }


def lay_down(folder: Path, files: dict[str, bytes | None]) -> None:
    for rel, data in files.items():
        if data is None:
            (folder / rel).mkdir(parents=True, exist_ok=True)
        else:
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_bytes(data)


def record(work: Path, command: list[str] = COMMAND) -> list[Call]:
    log = work / "trace.txt"
    subprocess.run(
        [STRACE, "-qq", "-o", str(log), *command],
        cwd=work,
        env=ENV,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    calls: list[Call] = []
    seen: dict[str, int] = {}
    lines = log.read_text().splitlines()
    log.unlink()
    for line in lines:
        m = re.match(r"(\w+)\(", line)
        if m is None:  # "+++ exited with 0 +++" and the like
            continue
        name = m.group(1)
        seen[name] = seen.get(name, 0) + 1
        calls.append(Call(len(calls), name, seen[name], line))
    return calls


def sample(calls: list[Call]) -> tuple[list[Call], int]:
    """The calls to interrupt, and the index where kitpress's handlers are in place
    (the interrupts module asks for SIGHUP first: Python itself never sets it)."""
    installed = next(c.index for c in calls if c.text.startswith("rt_sigaction(SIGHUP, {"))
    writing = next(c.index for c in calls if "/out/" in c.text and c.index > installed)
    if EVERY:
        return calls[installed::EVERY], installed
    chosen = {c.index for c in calls[writing:] if c.name in CHANGES}
    chosen |= {c.index for c in calls[writing::8]}
    chosen |= {c.index for c in calls if re.search(r'"(out|[^"]*/out)["/]', c.text)}
    step = max(1, (writing - installed) // SPREAD)
    chosen |= set(range(installed, writing, step))
    return [calls[i] for i in sorted(chosen)], installed


@pytest.fixture(scope="module")
def stage(tmp_path_factory: pytest.TempPathFactory):
    """A kit; its outputs from before a change (old) and after (new), each as the tree
    of the folder the build runs in; and the calls of the build."""
    work = tmp_path_factory.mktemp("signals")
    shutil.copytree(bundled("kit"), work / "kit")
    # one language: the same writing step, half its calls (the sample stays modest)
    manifest = work / "kit" / "kit.yaml"
    text = manifest.read_text()
    assert "languages: [en, es]" in text
    text = text.replace("languages: [en, es]", "languages: [en]")
    # two handouts, kit.pdf and the print plan: four files are as many steps of the same
    # writing as seven, and each of the ~100 builds is quicker
    for dropped in ("letter-prompt-cards", "reconnection-worksheet"):
        assert f"  - {dropped}\n" in text
        text = text.replace(f"  - {dropped}\n", "")
    manifest.write_text(text)
    subprocess.run(COMMAND, cwd=work, env=ENV, check=True)
    old = tree(work)
    manifest.write_text(manifest.read_text().replace("Staying Close", "Staying Closer"))
    shutil.rmtree(work / "out")
    subprocess.run(COMMAND, cwd=work, env=ENV, check=True)  # warms __pycache__ too
    new = tree(work)
    assert new != old
    return work, old, new, record(work)


def strace(run: Path, call: Call, signame: str, command: list[str]) -> subprocess.CompletedProcess:
    inject = f"inject={call.name}:signal={signame}:when={call.nth}"
    return subprocess.run(
        [STRACE, "-qq", "-o", os.devnull, "-e", f"trace={call.name}", "-e", inject, *command],
        cwd=run,
        env=ENV,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def interrupt(work: Path, before: dict, call: Call, signum: int) -> tuple[int, str, dict]:
    run = work / f"run-{call.index}-{signum}-{len(before)}"
    run.mkdir()
    os.symlink(work / "kit", run / "kit")
    lay_down(run, before)
    proc = strace(run, call, signal.Signals(signum).name, COMMAND)
    after = tree(run)
    shutil.rmtree(run)
    return proc.returncode, proc.stderr, after


def check_runs(work: Path, before: dict, new: dict, chosen: list[Call]) -> None:
    jobs = [(c, signal.SIGINT if n % 2 == 0 else signal.SIGTERM) for n, c in enumerate(chosen)]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(lambda job: interrupt(work, before, *job), jobs))
    problems = []
    for (call, signum), (code, stderr, after) in zip(jobs, results, strict=True):
        lines = stderr.splitlines()
        if after == before:
            fine = code == 128 + signum and lines == [NOTHING]
        elif after == new:
            fine = (code, lines) in ((0, []), (128 + signum, [ALL]))
        else:
            fine = False
            stderr += f" left: {sorted(set(after) - set(before) - set(new))[:4]}"
        if not fine:
            where = f"#{call.index} {call.text[:80]} ({signal.Signals(signum).name})"
            problems.append(f"{where}: exit {code}, {stderr.strip()[-300:]!r}")
    assert not problems, f"{len(problems)} of {len(jobs)}:\n" + "\n".join(problems[:40])


def test_a_signal_at_any_system_call_leaves_old_or_new_files_and_says_which(stage):
    work, old, new, calls = stage
    check_runs(work, old, new, sample(calls)[0])


def test_a_first_build_stopped_at_any_call_of_its_writing_leaves_no_folder(stage):
    work, old, new, calls = stage
    chosen, _ = sample(calls)
    writing = [c for c in chosen if "/out" in c.text]
    check_runs(work, {}, new, writing[:: 3 if not EVERY else 1])


def test_a_signal_while_the_result_is_printed_says_the_build_was_written(stage):
    """Ctrl-C as the list of written files is printed: the files are all new, and the
    message says so (not Click's "Aborted!" with exit 1)."""
    work, old, new, _ = stage
    loud = [c for c in COMMAND if c != "-q"]
    printed = [c for c in record(work, loud) if c.text.startswith("write(1,")]
    assert printed
    for call in (printed[0], printed[-1]):
        run = work / f"printing-{call.index}"
        run.mkdir()
        os.symlink(work / "kit", run / "kit")
        lay_down(run, old)
        proc = strace(run, call, "SIGINT", loud)
        assert (proc.returncode, proc.stderr.splitlines()) == (130, [ALL])
        assert tree(run) == new
        shutil.rmtree(run)


def test_what_a_killed_build_left_is_removed_by_the_next_build(stage):
    """kill -9 cannot be caught: the temporary files and backups it leaves stay until
    the next build that writes in the same folder removes them."""
    work, old, new, calls = stage
    stops = [c for c in calls if c.name in ("fsync", "linkat", "rename")]
    for call in [stops[2], stops[len(stops) // 2], stops[-2]]:
        run = work / f"killed-{call.index}"
        run.mkdir()
        os.symlink(work / "kit", run / "kit")
        lay_down(run, old)
        killed = strace(run, call, "SIGKILL", COMMAND)
        assert killed.returncode == -signal.SIGKILL
        leftovers = [p for p in tree(run) if p.endswith((".tmp", ".bak"))]
        assert leftovers, f"nothing left after a kill at {call.text[:80]}"
        again = subprocess.run(COMMAND, cwd=run, env=ENV, capture_output=True, check=False)
        assert (again.returncode, again.stderr) == (0, b"")
        assert tree(run) == new
        shutil.rmtree(run)
