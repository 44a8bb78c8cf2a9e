"""Save-to-screen time of `kitpress preview` on the default kit (issue 13's target: a
change on screen within 1 s of saving, on this project's 2-core machine).

    python benchmarks/preview.py                          # 10 saves of each kind
    python benchmarks/preview.py --runs 20 --write        # and refresh benchmarks/RESULTS.md
    python benchmarks/preview.py --kitpress "python -m kitpress"

It starts `kitpress preview --no-open` on a copy of the default kit, opens the page in
Debian's chromium (Playwright), and then, again and again, saves a change to one file
and waits in the page for the new picture of the page that shows it to be loaded and
painted (or, for a mistake, for the problem to be listed). The clock starts just
before the file is written and stops in the page, at the frame after the picture
loaded: both read this machine's wall clock. Each save is undone, and the undo shown,
before the next. Nothing here is a test: no time is asserted anywhere.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "RESULTS.md"
BEGIN, END = "<!-- preview.py:begin -->", "<!-- preview.py:end -->"
TARGET_S = 1.0

sys.path.insert(0, str(ROOT))
from tests.chromium import ARGS  # noqa: E402 (chromium started as the browser tests start it)

# Resolves at the second frame after the picture at `sel` shows `token` in its alt
# text and has loaded (or, with `problem`, after the problems list names it), with the
# time in ms since 1970 and the server's time for the update that showed it.
_ARM = """
({sel, token, problem}) => {
  window.__shown = new Promise(resolve => {
    const ready = () => {
      if (problem) {
        return [...document.querySelectorAll('#problems li')]
          .some(li => li.textContent.includes(token));
      }
      const img = document.querySelector(sel);
      return img && img.alt.includes(token) && img.complete && img.naturalWidth > 0;
    };
    const tick = () => {
      if (ready()) {
        const update = last.seconds;  // the server's time for the update that showed it
        requestAnimationFrame(() => requestAnimationFrame(
          () => resolve([performance.timeOrigin + performance.now(), update])));
      } else {
        requestAnimationFrame(tick);
      }
    };
    tick();
  });
}
"""


@dataclass(frozen=True)
class Case:
    name: str
    file: str  # in the kit
    edit: Callable[[str, str], str]  # (the file's text, a new word) -> the edited text
    sel: str  # the picture that shows the change
    problem: bool = False


def _first(old: str, new: str) -> Callable[[str, str], str]:
    return lambda text, token: text.replace(old, new.format(token=token), 1)


PAGE1 = '[data-id="{id}"] figure.page img'
CASES = [
    Case(
        "a checklist's title",
        "en/withdrawal-signs-checklist.yaml",
        _first('title: "When someone', 'title: "{token} When someone'),
        PAGE1.format(id="en/withdrawal-signs-checklist"),
    ),
    Case(
        "a card's prompt (the deck: 16 pages)",
        "en/letter-prompt-cards.yaml",
        _first("A song you keep humming", "{token} A song you keep humming"),
        PAGE1.format(id="en/letter-prompt-cards"),
    ),
    Case(
        "the cover's intro",
        "en/cover.yaml",
        _first('intro: "', 'intro: "{token} '),
        PAGE1.format(id="en/:cover"),
    ),
    Case(
        "the organisation in kit.yaml (every handout)",
        "kit.yaml",
        _first("Your group's name here", "{token} Your group's name here"),
        PAGE1.format(id="en/withdrawal-signs-checklist"),
    ),
    Case(
        "a mistake, listed with its line",
        "en/withdrawal-signs-checklist.yaml",
        _first("\nsections:", "\n{token}: oops\nsections:"),
        "",
        problem=True,
    ),
]


def machine(browser_version: str) -> dict:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": date.today().isoformat(),
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "chromium": browser_version,
        "load": os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0,
    }


class Preview:
    """`kitpress preview` of `kit`, in its own process."""

    def __init__(self, command: list[str], kit: Path) -> None:
        self.process = subprocess.Popen(
            [*command, "preview", str(kit), "--no-open"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        for line in self.process.stdout:
            found = re.search(r"http://127\.0\.0\.1:\d+/", line)
            if found:
                self.url = found.group(0)
                break
        else:
            raise RuntimeError(f"{shlex.join(command)} preview printed no address")
        # it prints a line per update: read them, or a full pipe would stop it
        threading.Thread(target=self.process.stdout.read, daemon=True).start()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def measure(command: list[str], runs: int, chromium: str) -> dict:
    from playwright.sync_api import sync_playwright

    from kitpress.paths import bundled  # the default kit of the kitpress being measured

    with tempfile.TemporaryDirectory(prefix="kitpress-preview-") as tmp:
        kit = Path(tmp) / "kit"
        shutil.copytree(bundled("kit"), kit)
        preview = Preview(command, kit)
        try:  # the preview is stopped whatever happens, never left running
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium, args=ARGS)
                try:
                    page = browser.new_page(viewport={"width": 1400, "height": 900})
                    page.set_default_timeout(60_000)
                    page.goto(preview.url)
                    page.wait_for_selector("#problems .ok")
                    # and the pictures it shows first: drawing them is the page opening,
                    # not the first save (which would otherwise wait behind them)
                    page.wait_for_function(
                        "() => [...document.querySelectorAll('img:not([loading=lazy])')]"
                        ".every(i => i.complete && i.naturalWidth > 0)"
                    )
                    results = {"machine": machine(browser.version), "runs": runs, "cases": []}
                    for case in CASES:
                        results["cases"].append(_case(page, preview, kit, case, runs))
                finally:
                    browser.close()
        finally:
            preview.stop()
    return results


def _case(page, preview: Preview, kit: Path, case: Case, runs: int) -> dict:
    path = kit / case.file
    original = path.read_text(encoding="utf-8")
    if case.sel:  # start with the changed page in view, as a person editing it would
        page.locator(case.sel).first.scroll_into_view_if_needed()
    shown: list[float] = []
    updates: list[float] = []
    for n in range(runs):
        token = f"zq{n}x"  # a word found nowhere else, as a key too
        edited = case.edit(original, token)
        assert edited != original, case.name
        page.evaluate(_ARM, {"sel": case.sel, "token": token, "problem": case.problem})
        saved = time.time() * 1000
        path.write_text(edited, encoding="utf-8")
        on_screen, update = page.evaluate("window.__shown")
        shown.append((on_screen - saved) / 1000)
        updates.append(update)
        _undo(page, path, original)
    return {
        "case": case.name,
        "median_s": statistics.median(shown),
        "max_s": max(shown),
        "update_s": statistics.median(updates),
    }


def _undo(page, path: Path, original: str) -> None:
    """Put the file back and wait until the page shows all of it (no problem, a new
    version, kit.pdf made): the next save must not wait for this one's update."""
    version = page.evaluate("document.body.dataset.version")
    path.write_text(original, encoding="utf-8")
    page.wait_for_function(
        "v => document.body.dataset.version !== v && document.body.dataset.partial === 'false'"
        " && document.querySelector('#problems .ok')",
        arg=version,
    )


def render(results: dict) -> str:
    m = results["machine"]
    lines = [
        f"Measured {m['date']} on {m['cpus']} CPUs ({m['cpu']}), {m['os']}; Python "
        f"{m['python']}, Chromium {m['chromium']}. Load average {m['load']:.2f} at the "
        f"start. {results['runs']} saves of each kind, one preview process throughout.",
        "",
        "| a save to | on screen: median | slowest | target | kitpress's update (median) |",
        "|---|---:|---:|---:|---:|",
    ]
    for c in results["cases"]:
        met = "met" if c["max_s"] < TARGET_S else "**MISSED**"
        lines.append(
            f"| {c['case']} | {c['median_s']:.2f} s | {c['max_s']:.2f} s | "
            f"< {TARGET_S:g} s ({met}) | {c['update_s']:.2f} s |"
        )
    return "\n".join(lines)


def write_results(path: Path, table: str) -> None:
    """Put the table between this script's markers in RESULTS.md (added at the end the
    first time), keeping everything else."""
    text = path.read_text(encoding="utf-8")
    block = f"{BEGIN}\n{table}\n{END}"
    if BEGIN in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + f"\n\n## Live preview: save to screen (issue 13)\n\n{block}\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=10, help="saves of each kind (default 10)")
    ap.add_argument(
        "--kitpress",
        default="kitpress",
        help="the command to measure (default: kitpress on PATH), e.g. 'python -m kitpress'",
    )
    ap.add_argument(
        "--chromium", default=shutil.which("chromium") or "/usr/bin/chromium", help="the browser"
    )
    ap.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    args = ap.parse_args(argv)
    results = measure(shlex.split(args.kitpress), args.runs, args.chromium)
    table = render(results)
    print(table)
    if args.write:
        write_results(RESULTS, table)
    return results


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
