"""kitpress benchmarks: start-up, a cold build of the default kit, big card decks, a
200-page checklist and the whole default kit against the same pages drawn by plain
ReportLab, a long checklist kit against Typst, builds against their measured floor,
line breakings per paragraph, and the peak memory of a 2,000-page kit (pages2000: ten
201-page checklists and their 2,021-page kit.pdf, about 12 s a run on a quiet machine).

    python benchmarks/bench.py                       # 5 runs each, the `kitpress` on PATH
    python benchmarks/bench.py --runs 9 --write      # and refresh benchmarks/RESULTS.md
    python benchmarks/bench.py --quick               # a few seconds: does it all still run?
    python benchmarks/bench.py --kitpress "python -m kitpress" --python python

Every measurement is a new process (nothing is warm), and each figure is the median
of --runs runs. Peak memory is the largest max-RSS of the measured process over the
runs. Only the standard library is needed to run it; the in-process timings run
under the Python that runs kitpress (--python; by default the one named on the
`kitpress` script's first line).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import kits  # noqa: E402
from measure import Runner, machine  # noqa: E402
from report import render_table, write_results  # noqa: E402


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="runs per figure (median; default 5)")
    ap.add_argument("--quick", action="store_true", help="1 run, tiny sizes: a smoke test")
    ap.add_argument("--kitpress", default="kitpress", help="the command to measure")
    ap.add_argument("--python", help="Python for in-process timings (default: kitpress's)")
    ap.add_argument(
        "--cards", default="1000,10000", help="deck sizes, comma-separated (default 1000,10000)"
    )
    ap.add_argument("--pages", type=int, default=200, help="checklist length (default 200)")
    ap.add_argument(
        "--typst-pages", type=int, default=150, help="checklist kit against Typst (default 150)"
    )
    ap.add_argument(
        "--pages-kit",
        default="10,200",
        help="pages2000: handouts and pages each, comma-separated (default 10,200)",
    )
    ap.add_argument(
        "--only",
        default="help,build,cards,checklist,typst,fullkit,floor,wraps,pages2000",
        help="which benchmarks, comma-separated (default: all; pages2000 takes about 12 s "
        "a run, so --runs 5 adds a minute)",
    )
    ap.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    args = ap.parse_args(argv)
    if args.quick:
        args.runs, args.cards, args.pages, args.typst_pages = 1, "40", 6, 6
        args.pages_kit = "2,6"
    return args


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    only = set(args.only.split(","))
    runner = Runner(args.kitpress, args.python, args.runs)
    results: dict = {"machine": machine(runner.python), "runs": args.runs}
    print(
        f"measuring {' '.join(runner.command)} (Python: {runner.python}), "
        f"median of {args.runs} run(s)",
        file=sys.stderr,
    )
    if results["machine"]["load"] > 0.3:
        print(
            f"warning: load average {results['machine']['load']:.2f}: something else is "
            "running, and the timings will show it",
            file=sys.stderr,
        )
    with tempfile.TemporaryDirectory(prefix="kitpress-bench-") as tmp:
        work = Path(tmp)
        if "help" in only:
            results["help"] = runner.help()
        if "build" in only:
            results["build"] = runner.default_build(work)
        if "cards" in only:
            sizes = [int(n) for n in args.cards.split(",") if n]
            results["cards"] = [runner.cards(work, n) for n in sizes]
        if "checklist" in only:
            results["checklist"] = runner.checklist(work, args.pages)
        if "typst" in only:
            results["typst"] = runner.typst(work, args.typst_pages)
        if "fullkit" in only:
            results["full_kit"] = runner.full_kit(work)
        if "floor" in only:
            long_kit = kits.make_checklist_kit(work / "floor-kit", args.pages, runner.default_kit)
            results["floor"] = [runner.floor(work, f"{args.pages}-page checklist kit", long_kit)]
            if not args.quick:  # recording the default kit's runs reads 60 pages with pypdf
                results["floor"].insert(0, runner.floor(work, "default kit", runner.default_kit))
        if "wraps" in only:
            results["wraps"] = runner.wraps(work, args.pages)
        if "pages2000" in only:
            handouts, pages = (int(n) for n in args.pages_kit.split(","))
            results["pages_kit"] = runner.pages_kit(work, handouts, pages)
    table = render_table(results)
    print(table)
    if args.write:
        write_results(HERE / "RESULTS.md", results, table)
        print(f"updated {HERE / 'RESULTS.md'}", file=sys.stderr)
    return results


if __name__ == "__main__":
    main()
