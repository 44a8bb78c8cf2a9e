"""Instructions a whole build executes, process by process, counted by valgrind's
callgrind: a measure that does not drift with the machine's speed or its neighbours,
for changes too small to see in wall time (a 2-CPU virtual machine here varies by
10-20% from run to run, and by more than 2x from one day's machine to the next).

    python benchmarks/instructions.py                     # the bundled kit
    python benchmarks/instructions.py KIT_DIR -- --jobs 1 # build options after --
    python benchmarks/instructions.py --src OTHER/src     # another checkout's kitpress

Each process is counted from its start (a forked child from its parent's count at the
fork: the work before the fork is in both). The counts are those of one run with
PYTHONHASHSEED=0; they repeat within a fraction of a percent. A build under callgrind
takes about 40 times as long (40 s for the default kit). Needs valgrind (Debian:
apt-get install valgrind).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

_COUNT = re.compile(r"==(\d+)== Collected : (\d+)")


def counts(kit: Path | None, build_args: list[str], src: Path | None) -> list[tuple[int, int]]:
    """(pid, instructions) of each process of one build, in the order they ended."""
    if shutil.which("valgrind") is None:
        raise SystemExit("instructions: valgrind is not installed (apt-get install valgrind)")
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    # (the build runs in a temporary folder: a relative path would not be found there,
    # and a --src not found would silently measure the installed kitpress)
    if src is not None:
        env["PYTHONPATH"] = str(src.resolve())
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "out"
        command = [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={work}/callgrind.%p",
            "--trace-children=yes",
            sys.executable,
            "-m",
            "kitpress",
            "build",
            *([str(kit.resolve())] if kit else []),
            "-q",
            "-o",
            str(out),
            *build_args,
        ]
        # from an empty folder: with no kit named, the bundled one is built
        done = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"instructions: the build failed:\n{done.stderr[-2000:]}")
    return [(int(p), int(n)) for p, n in _COUNT.findall(done.stderr)]


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    # the build's options split off here: argparse would give the first of them to the
    # optional KIT when no kit is named (`instructions.py -- --jobs 1`)
    build_args: list[str] = []
    if "--" in argv:
        at = argv.index("--")
        argv, build_args = argv[:at], argv[at + 1 :]
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        usage="%(prog)s [KIT] [--src SRC] [-- BUILD_OPTION ...]",
    )
    parser.add_argument("kit", nargs="?", type=Path, help="the kit (default: the bundled one)")
    parser.add_argument("--src", type=Path, help="import kitpress from this folder")
    args = parser.parse_args(argv)
    found = counts(args.kit, build_args, args.src)
    for pid, n in found:
        print(f"process {pid}: {n / 1e6:,.0f} M instructions")
    print(f"all processes: {sum(n for _, n in found) / 1e6:,.0f} M")


if __name__ == "__main__":
    main()
