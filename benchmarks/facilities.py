"""Outreach builds at organiser scale (issue 12): the example outreach kit (the default
kit, English and Spanish, with a visiting-day sheet per facility) for 200 generated
facilities, `kitpress build --facility all` with --jobs N against --jobs 1.

    python benchmarks/facilities.py                    # 200 facilities, 3 pairs of runs
    python benchmarks/facilities.py --runs 5 --write   # and refresh benchmarks/RESULTS.md
    python benchmarks/facilities.py --quick            # 3 facilities, 1 pair: does it run?

Each run is a new process building into an empty folder. The two commands run in
pairs, in alternating order, so a change in the machine's load falls on both alike;
the figures are medians, and the speed-up is the median of the pairs' ratios. CPU
seconds (user + sys of the process and its workers) are given too: unlike wall time,
they do not grow when other work shares the machine. "CPUs it got" is CPU seconds over
wall seconds: on a quiet 2-CPU machine --jobs 2 gets close to 2; much less means other
work held the CPUs, and the wall times (and their ratio) say more about that work than
about kitpress. Targets (issue 12): under 60 s,
and at least 1.7x faster than one process, on a 2-CPU machine.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "examples" / "outreach-kit"
RESULTS = HERE / "RESULTS.md"
BEGIN, END = "<!-- facilities.py:begin -->", "<!-- facilities.py:end -->"
TARGET_SECONDS, TARGET_SPEEDUP = 60.0, 1.7


def make_kit(folder: Path, count: int) -> Path:
    """The example kit with `count` facilities: the example's three, over and over,
    each with its own id and hours (so each visiting-day sheet is its own)."""
    kit = folder / "kit"
    shutil.copytree(EXAMPLE, kit)
    with open(EXAMPLE / "facilities.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    with open(kit / "facilities.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        for n in range(count):
            row = rows[n % len(rows)]
            hours = f"Saturday {n % 12 + 1} am to {n % 5 + 1} pm"
            writer.writerow({**row, "id": f"facility-{n:04d}", "visiting_hours": hours})
    return kit


def run_once(command: list[str], folder: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one build into a new, empty folder."""
    out = folder / "out"
    shutil.rmtree(out, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([*command, "-o", str(out)], check=True, cwd=folder)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def measure(kitpress: list[str], count: int, runs: int, jobs: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="kitpress-facilities-") as tmp:
        folder = Path(tmp)
        kit = make_kit(folder, count)
        base = [*kitpress, "build", str(kit), "--facility", "all", "-q"]
        commands = {"many": [*base, "--jobs", str(jobs)], "one": [*base, "--jobs", "1"]}
        times: dict[str, list[tuple[float, float]]] = {"many": [], "one": []}
        loads = [os.getloadavg()[0]]
        for i in range(runs):
            order = ("many", "one") if i % 2 == 0 else ("one", "many")
            for name in order:
                times[name].append(run_once(commands[name], folder))
            loads.append(os.getloadavg()[0])
        pages = sum(1 for _ in (folder / "out").rglob("*.pdf"))
    ratios = [one[0] / many[0] for many, one in zip(times["many"], times["one"], strict=True)]
    return {
        "facilities": count,
        "runs": runs,
        "jobs": jobs,
        "pdfs": pages,
        "wall": {k: statistics.median(w for w, _ in v) for k, v in times.items()},
        "cpu": {k: statistics.median(c for _, c in v) for k, v in times.items()},
        "speedup": statistics.median(ratios),
        "pairs": [(m[0], o[0]) for m, o in zip(times["many"], times["one"], strict=True)],
        "loads": loads,
    }


def table(r: dict) -> str:
    wall, cpu = r["wall"], r["cpu"]
    fast = "met" if wall["many"] < TARGET_SECONDS else "**MISSED**"
    speed = "met" if r["speedup"] >= TARGET_SPEEDUP else "**MISSED**"
    loads = ", ".join(f"{x:.1f}" for x in r["loads"])
    return "\n".join(
        [
            f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} CPUs, "
            f"{platform.system()} {platform.release()}; Python {platform.python_version()}. "
            f"{r['facilities']} facilities x 2 languages ({r['pdfs']} PDFs), median of "
            f"{r['runs']} pairs of runs. Load average (1 min) before and after each pair: "
            f"{loads}.",
            "",
            "| build | wall | CPU (user + sys) | CPUs it got | target | |",
            "|---|---:|---:|---:|---:|---|",
            f"| `--facility all --jobs {r['jobs']}` | {wall['many']:.1f} s | {cpu['many']:.1f} s "
            f"| {cpu['many'] / wall['many']:.2f} | < {TARGET_SECONDS:.0f} s | {fast} |",
            f"| `--facility all --jobs 1` | {wall['one']:.1f} s | {cpu['one']:.1f} s "
            f"| {cpu['one'] / wall['one']:.2f} | | |",
            f"| speed-up (median of the pairs) | {r['speedup']:.2f}x | | | "
            f">= {TARGET_SPEEDUP}x | {speed} |",
            "",
            "Each pair, wall seconds (--jobs "
            + str(r["jobs"])
            + " / --jobs 1): "
            + ", ".join(f"{m:.1f} / {o:.1f}" for m, o in r["pairs"])
            + ".",
        ]
    )


def write(text: str) -> None:
    old = RESULTS.read_text(encoding="utf-8")
    block = f"{BEGIN}\n{text}\n{END}"
    if BEGIN in old:
        head, rest = old.split(BEGIN, 1)
        new = head + block + rest.split(END, 1)[1]
    else:
        new = old.rstrip("\n") + "\n\n## Outreach builds (issue 12)\n\n" + block + "\n"
    RESULTS.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--facilities", type=int, default=200)
    ap.add_argument("--runs", type=int, default=3, help="pairs of runs (median; default 3)")
    ap.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    ap.add_argument("--kitpress", default=f"{shlex.quote(sys.executable)} -m kitpress")
    ap.add_argument("--quick", action="store_true", help="3 facilities, 1 pair: a smoke test")
    ap.add_argument("--write", action="store_true", help="put the table in RESULTS.md")
    args = ap.parse_args(argv)
    count, runs = (3, 1) if args.quick else (args.facilities, args.runs)
    result = measure(shlex.split(args.kitpress), count, runs, max(2, args.jobs))
    text = table(result)
    print(text)
    if args.write:
        write(text)
    return result


if __name__ == "__main__":
    main()
