"""Where the CPU of a full default-kit build goes, kitpress beside hand-written ReportLab
(benchmarks/baseline_kit.py): each phase's CPU seconds, measured inside a new process
for every run, the median of the runs (issue 18, target 2a).

    python benchmarks/phases.py                 # the bundled kit, 7 runs of each
    python benchmarks/phases.py KIT_DIR --runs 9

kitpress runs as `python -m kitpress build` does (the collector off, pydantic's plugin
search skipped): importing the command (Click), importing the build (pydantic, the
kit's schemas), importing the kinds (ReportLab, the renderers and their schemas),
reading the kit (YAML, validation, the text fonts), laying out and drawing every PDF,
writing them. The baseline: its imports (ReportLab, PyYAML), reading its fonts, and
its build (reading the YAML, laying out, drawing, writing). Python's own start (about
0.03 s) is in neither. Phases of the two are not one to one: compare the totals, and
each side's phases with themselves.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

KITPRESS = """
import gc, json, sys, time
gc.disable()
clock = time.process_time
marks = [("start", clock())]
try:
    from kitpress import pydanticplugins  # as __main__ does (not in older kitpress)
    pydanticplugins.turn_off()
except ImportError:
    pass
import kitpress.cli
marks.append(("import the command (Click)", clock()))
import kitpress.build
marks.append(("import the build (pydantic, schemas)", clock()))
from kitpress import kinds
for name in kinds.names():
    kinds.kind(name)
marks.append(("import the kinds (ReportLab, renderers)", clock()))
from pathlib import Path
from kitpress.build import made_files
from kitpress.kit import load_kit
from kitpress.options import Options
from kitpress.output import out_folder, write_all
kit = load_kit(Path(sys.argv[1]))
marks.append(("read the kit (YAML, checks, fonts)", clock()))
plan, made, web = made_files(kit, Options())
marks.append(("lay out and draw every PDF", clock()))
root = out_folder(Path(sys.argv[2]), kit.root, True)
write_all([(root / m.path, m.data) for m in made], root)
marks.append(("write the files", clock()))
print(json.dumps({b[0]: b[1] - a[1] for a, b in zip(marks, marks[1:])}))
"""

BASELINE = """
import gc, json, sys, time
clock = time.process_time
start = clock()
sys.path.insert(0, sys.argv[3])
import baseline_kit
import baseline_reportlab
imported = clock()
baseline_reportlab.register_fonts()
fonts = clock()
from pathlib import Path
baseline_kit.build(Path(sys.argv[1]), Path(sys.argv[2]))
done = clock()
print(json.dumps({
    "imports (ReportLab, PyYAML)": imported - start,
    "read the fonts": fonts - imported,
    "read, lay out, draw, write": done - fonts,
}))
"""


def measure(script: str, args: list[str], runs: int) -> dict[str, float]:
    """Each phase's median over `runs` new processes."""
    samples: list[dict[str, float]] = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True
        )
        samples.append(json.loads(out.stdout.splitlines()[-1]))
    return {phase: statistics.median(s[phase] for s in samples) for phase in samples[0]}


def table(name: str, phases: dict[str, float]) -> list[str]:
    lines = [f"{name}:"]
    lines += [f"  {phase:<42} {seconds * 1000:7.1f} ms" for phase, seconds in phases.items()]
    lines.append(f"  {'total (medians added)':<42} {sum(phases.values()) * 1000:7.1f} ms")
    return lines


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kit", nargs="?", default=str(HERE.parent / "kit"))
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kitpress-phases-") as tmp:
        ours = measure(KITPRESS, [args.kit, f"{tmp}/kitpress"], args.runs)
        theirs = measure(BASELINE, [args.kit, f"{tmp}/baseline", str(HERE)], args.runs)
    print("\n".join(table("kitpress build", ours) + table("baseline_kit.py", theirs)))
    print(f"kitpress / baseline: {sum(ours.values()) / sum(theirs.values()):.2f}x CPU")


if __name__ == "__main__":
    main()
