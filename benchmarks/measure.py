"""Running the measured commands: wall time and peak memory of each new process."""

from __future__ import annotations

import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import kits

HERE = Path(__file__).resolve().parent
CHECKLIST = "long-checklist"


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_mb: float
    stdout: str
    cpu: float = 0.0  # user + system seconds of the process


def run(cmd: list[str], cwd: Path | None = None) -> Sample:
    """Run cmd to the end; its wall time and its own max RSS (os.wait4, so per process)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        if proc.returncode:
            raise RuntimeError(
                f"{shlex.join(cmd)} exited with {proc.returncode}:\n{err.read().decode()}"
            )
        # ru_maxrss is in KiB on Linux, bytes on macOS
        kib = usage.ru_maxrss / 1024 if sys.platform == "darwin" else usage.ru_maxrss
        cpu = usage.ru_utime + usage.ru_stime
        return Sample(seconds, kib / 1024, out.read().decode(), cpu)


def summary(samples: list[Sample]) -> dict:
    return {
        "seconds": statistics.median(s.seconds for s in samples),
        "cpu_s": statistics.median(s.cpu for s in samples),
        "peak_mb": max(s.peak_mb for s in samples),
    }


def paired(a: list[Sample], b: list[Sample]) -> dict:
    """Medians of the pair-by-pair ratios a/b (runs interleaved: a drift in the
    machine's speed moves both halves of a pair alike)."""
    return {
        "wall": statistics.median(x.seconds / y.seconds for x, y in zip(a, b, strict=True)),
        "cpu": statistics.median(x.cpu / y.cpu for x, y in zip(a, b, strict=True)),
    }


def python_of(command: list[str]) -> str:
    """The Python that runs `command`: itself, or the one on its script's #! line."""
    exe = shutil.which(command[0])
    if exe is None:
        raise SystemExit(f"bench: command not found: {command[0]}")
    if Path(exe).name.startswith("python"):
        return exe
    try:
        first = Path(exe).read_bytes()[:300].split(b"\n")[0].decode()
    except (OSError, UnicodeDecodeError):
        first = ""
    if first.startswith("#!"):
        words = shlex.split(first[2:])
        if words and Path(words[0]).name == "env":
            words = words[1:]
        if words and "python" in Path(words[0]).name:
            return shutil.which(words[0]) or words[0]
    return sys.executable


# A fixed pure-Python loop in a new process: the machine's own speed, so that results of
# two days can be told apart from a change of machine (the same build has taken 0.43 s
# on one day's virtual machine and 1.0 s on another's)
REFERENCE = "t = 0\nfor i in range(1_000_000):\n    t += i * i % 7"


def reference_seconds(python: str, runs: int = 5) -> float:
    return statistics.median(run([python, "-S", "-c", REFERENCE]).seconds for _ in range(runs))


def machine(python: str) -> dict:
    versions = subprocess.run(
        [
            python,
            "-c",
            "import json, sys, importlib.metadata as m, kitpress; print(json.dumps({"
            "'python': sys.version.split()[0], 'kitpress': kitpress.__version__, "
            "**{p: m.version(p) for p in ('reportlab', 'pydantic', 'PyYAML')}}))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": date.today().isoformat(),
        "load": os.getloadavg()[0],  # other work on the machine skews every timing
        "reference_s": reference_seconds(python),
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "os": f"{platform.system()} {platform.release()}",
        **json.loads(versions.stdout),
    }


class Runner:
    """Runs each benchmark `runs` times against one kitpress command."""

    def __init__(self, command: str, python: str | None, runs: int) -> None:
        self.command = shlex.split(command)
        self.python = python or python_of(self.command)
        self.runs = max(1, runs)
        self.default_kit = Path(
            subprocess.run(
                [self.python, "-c", "import kitpress.paths as p; print(p.bundled('kit'))"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
        )

    def _repeat(
        self, make_cmd: Callable[[int], list[str]], cwd: Path | None = None
    ) -> list[Sample]:
        return [run(make_cmd(i), cwd) for i in range(self.runs)]

    def help(self) -> dict:
        return summary(self._repeat(lambda i: [*self.command, "--help"]))

    def default_build(self, work: Path) -> dict:
        """The bundled kit, from an empty folder (so no ./kit is found), into a new folder."""
        empty = work / "empty"
        empty.mkdir()
        out = work / "default-out"
        return summary(
            self._repeat(lambda i: [*self.command, "build", "-q", "-o", f"{out}-{i}"], empty)
        )

    def cards(self, work: Path, count: int) -> dict:
        kit = kits.make_card_kit(work / f"cards-{count}", count, self.default_kit)
        out = work / f"cards-{count}-out"
        samples = self._repeat(
            lambda i: [*self.command, "build", str(kit), "--json", "-o", f"{out}-{i}"]
        )
        pages = json.loads(samples[0].stdout)["files"][0]["pages"]
        return {"cards": count, "pages": pages, **summary(samples)}

    def pages_kit(self, work: Path, handouts: int, pages: int) -> dict:
        """The whole build of a kit of `handouts` checklists of about `pages` pages each
        (issue 18: 2,000 pages in less than 200 MB): every handout's PDF and the kit.pdf
        holding them all. Peak memory is the largest max-RSS of the runs."""
        kit = kits.make_pages_kit(
            work / f"pages-{handouts}x{pages}", handouts, pages, self.default_kit
        )
        out = work / f"pages-{handouts}x{pages}-out"
        samples = self._repeat(
            lambda i: [*self.command, "build", str(kit), "--json", "-o", f"{out}-{i}"]
        )
        files = json.loads(samples[0].stdout)["files"]
        combined = [f["pages"] for f in files if f["path"].endswith("kit.pdf")]
        return {
            "handouts": handouts,
            "handout_pages": min(f["pages"] for f in files if not f["path"].endswith("kit.pdf")),
            "kit_pages": combined[0],
            **summary(samples),
        }

    def checklist(self, work: Path, pages: int) -> dict:
        """kitpress and the plain-ReportLab baseline on the same pages, runs interleaved."""
        kit = kits.make_checklist_kit(work / "checklist", pages, self.default_kit)
        source = kit / "en" / f"{CHECKLIST}.yaml"
        inproc = [self.python, str(HERE / "inproc.py")]
        cmds = {
            "kitpress_inproc": lambda i: [*inproc, "kitpress", str(kit), CHECKLIST],
            "baseline_inproc": lambda i: [*inproc, "baseline", str(source)],
            "kitpress_process": lambda i: [
                *self.command,
                "build",
                str(kit),
                "--only",
                CHECKLIST,
                "-q",
                "-o",
                str(work / f"checklist-out-{i}"),
            ],
            "baseline_process": lambda i: [
                self.python,
                str(HERE / "baseline_reportlab.py"),
                str(source),
                str(work / f"baseline-{i}.pdf"),
            ],
        }
        samples: dict[str, list[Sample]] = {name: [] for name in cmds}
        for i in range(self.runs):
            for name, make in cmds.items():
                samples[name].append(run(make(i)))
        out = {}
        for who in ("kitpress", "baseline"):
            timings = [json.loads(s.stdout) for s in samples[f"{who}_inproc"]]
            out[who] = {
                "pages": timings[0]["pages"],
                "load_s": statistics.median(t["load_s"] for t in timings),
                "render_s": statistics.median(t["render_s"] for t in timings),
                "inproc_s": statistics.median(t["load_s"] + t["render_s"] for t in timings),
                **summary(samples[f"{who}_process"]),
            }
        k, b = out["kitpress"], out["baseline"]
        out["ratio"] = {
            "render": k["render_s"] / b["render_s"],
            "inproc": k["inproc_s"] / b["inproc_s"],
            "process": k["seconds"] / b["seconds"],
        }
        return out

    def _interleaved(self, cmds: dict[str, Callable[[int], list[str]]]) -> dict[str, list[Sample]]:
        samples: dict[str, list[Sample]] = {name: [] for name in cmds}
        for i in range(self.runs):
            for name, make in cmds.items():
                samples[name].append(run(make(i)))
        return samples

    def typst(self, work: Path, pages: int) -> dict | None:
        """The whole build of a long-checklist kit (every output, kit.pdf included)
        against Typst typesetting the same YAML; None without the typst wheel."""
        probe = subprocess.run([self.python, "-c", "import typst"], capture_output=True)
        if probe.returncode:
            print(
                "bench: no typst wheel (pip install -e '.[bench]'): Typst skipped", file=sys.stderr
            )
            return None
        kit = kits.make_checklist_kit(work / f"typst-{pages}", pages, self.default_kit)
        source = kit / "en" / f"{CHECKLIST}.yaml"
        typst_pdf = work / f"typst-{pages}.pdf"
        samples = self._interleaved(
            {
                "kitpress": lambda i: [
                    *self.command,
                    "build",
                    str(kit),
                    "--json",
                    "-o",
                    str(work / f"typst-kit-out-{i}"),
                ],
                "typst": lambda i: [
                    self.python,
                    str(HERE / "typst_checklist.py"),
                    str(source),
                    str(typst_pdf),
                ],
            }
        )
        files = json.loads(samples["kitpress"][0].stdout)["files"]
        handout = [f for f in files if f["path"].endswith(f"{CHECKLIST}.pdf")][0]
        return {
            "pages": handout["pages"],
            "typst_pages": _pages_of(typst_pdf),
            "kitpress": summary(samples["kitpress"]),
            "typst": summary(samples["typst"]),
            "ratio": paired(samples["kitpress"], samples["typst"]),
        }

    def floor(self, work: Path, name: str, kit: Path) -> dict:
        """The whole build of `kit` against benchmarks/floor.py drawing the same runs."""
        recorded = work / f"floor-{name}-out"
        run([*self.command, "build", str(kit), "-q", "-o", str(recorded)])
        runs_file = work / f"floor-{name}.json"
        run([self.python, str(HERE / "floor.py"), "record", str(recorded), str(runs_file)])
        samples = self._interleaved(
            {
                "kitpress": lambda i: [
                    *self.command,
                    "build",
                    str(kit),
                    "-q",
                    "-o",
                    str(work / f"floor-{name}-build-{i}"),
                ],
                "floor": lambda i: [
                    self.python,
                    str(HERE / "floor.py"),
                    "draw",
                    str(runs_file),
                    str(work / f"floor-{name}-drawn-{i}"),
                ],
            }
        )
        return {
            "name": name,
            "kitpress": summary(samples["kitpress"]),
            "floor": summary(samples["floor"]),
            "ratio": paired(samples["kitpress"], samples["floor"]),
        }

    def full_kit(self, work: Path) -> dict:
        """The whole build of the default kit (both languages, every PDF, kit.pdf and the
        print plan) against benchmarks/baseline_kit.py drawing the same pages, runs
        interleaved; the first pair's PDFs are compared page by page (pages and text)."""
        samples = self._interleaved(
            {
                "kitpress": lambda i: [
                    *self.command,
                    "build",
                    str(self.default_kit),
                    "-q",
                    "-o",
                    str(work / f"full-kit-{i}"),
                ],
                "baseline": lambda i: [
                    self.python,
                    str(HERE / "baseline_kit.py"),
                    str(self.default_kit),
                    str(work / f"full-kit-baseline-{i}"),
                ],
            }
        )
        check = subprocess.run(
            [
                self.python,
                str(HERE / "baseline_kit.py"),
                "--compare",
                str(work / "full-kit-0"),
                str(work / "full-kit-baseline-0"),
            ],
            capture_output=True,
            text=True,
        )
        return {
            "same_pages": check.returncode == 0,
            "compared": check.stdout,
            "kitpress": summary(samples["kitpress"]),
            "baseline": summary(samples["baseline"]),
            "ratio": paired(samples["kitpress"], samples["baseline"]),
        }

    def wraps(self, work: Path, pages: int) -> dict:
        """Line breakings per paragraph of a whole build of the long checklist (counted
        by a hook on Paragraph.breakLines, see inproc.py)."""
        kit = kits.make_checklist_kit(work / f"wraps-{pages}", pages, self.default_kit)
        sample = run(
            [self.python, str(HERE / "inproc.py"), "wraps", str(kit), str(work / "wraps-out")]
        )
        return dict(json.loads(sample.stdout))


def _pages_of(pdf: Path) -> int:
    """Page objects in a PDF (Typst's are uncompressed dictionaries)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf.read_bytes()))
