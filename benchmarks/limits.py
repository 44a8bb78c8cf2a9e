"""The largest inputs kitpress's limits allow, fed to every kind of file in a kit: each
must end, with PDFs or one clear line, in under 5 s and 300 MB (issue 17).

    python benchmarks/limits.py                      # every case, the `kitpress` on PATH
    python benchmarks/limits.py --kitpress "python -m kitpress" --write
    python benchmarks/limits.py --only checklist     # the cases whose name has this

Each case is a copy of the default kit with one file replaced by the largest thing its
limits let through (16 MB files, 25,000 values, 64 levels, 5,000-character texts,
the longest lists, the most pages a layout may ask for, the widest font-size range a
card may shrink through), built by `kitpress build` in a new process. Wall time and
the process's peak memory (max RSS) are measured; the first line of stderr shows
which limit or check ended it. No timing is asserted anywhere else: this is a
measurement, run by hand on a quiet machine (see RESULTS.md).
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from measure import machine, python_of  # noqa: E402

LIMIT_S = 5.0
LIMIT_MB = 300.0
# The limits, as kitpress sets them (the module that sets each one is named)
MB16 = 16 * 1024 * 1024  # yamlio.MAX_FILE_BYTES
VALUES = 25_000  # yamlio.MAX_NODES
TEXT = 5000  # content.base.MAX_TEXT
LABEL = 200  # content.manifest.MAX_LABEL
ITEMS = 200  # content.base.MAX_ITEMS
SECTIONS = 250  # content.base.MAX_SECTIONS
CARDS = 10_000  # content.cards.MAX_CARDS
PAGES = 250  # layouts.models.MAX_PAGES
FACILITIES, COLUMNS = 10_000, 200  # facilities.MAX_FACILITIES, MAX_COLUMNS
QR = 100  # content.resources.MAX_QR
HANDOUTS, LANGUAGES = 25, 12  # content.manifest
PROMPTS = (VALUES - 500) // 5  # a prompt block is five values

WORDS = str.split("tell them about a song you heard on the radio this week and why")


def words(n: int) -> str:
    """About n characters of plain words."""
    out = " ".join(WORDS[i % len(WORDS)] for i in range(n // 4 + 1))
    return out[:n].rstrip() or "a"


def q(text: str) -> str:
    return '"' + text + '"'


def pad(text: str, size: int = MB16 - 4096) -> str:
    """text followed by comment lines up to `size` bytes: the biggest file allowed."""
    line = "# " + "x" * 1000 + "\n"
    return text + line * max(0, (size - len(text.encode())) // len(line))


Files = dict[str, str]  # path in the kit -> new contents
CHECKLIST = "en/withdrawal-signs-checklist.yaml"
CARDS_FILE = "en/letter-prompt-cards.yaml"
WORKSHEET = "en/reconnection-worksheet.yaml"
RESOURCES = "en/visiting-day.yaml"


def checklist(sections: list[str], title: str = "A long checklist") -> str:
    return f"kind: checklist\nlayout: checklist\ntitle: {q(title)}\nsections:\n" + "".join(sections)


def items_section(n: int, text: str) -> str:
    return f"  - heading: {q('Signs')}\n    items:\n" + f"      - {q(text)}\n" * n


def deck(cards: list[str], per: int = ITEMS, size: str = "") -> str:
    out = f"kind: card-deck\nlayout: poker\ntitle: {q('Letter Starters')}\ncategories:\n"
    for start in range(0, len(cards), per):
        out += f"  - name: {q(f'Part {start // per + 1}')}\n    cards:\n"
        out += "".join(f"      - {q(c)}\n" for c in cards[start : start + per])
    return out


def resources(n: int, codes: int, note: str) -> str:
    """A resource sheet of n entries, the first `codes` with a QR code, in sections of
    at most ITEMS entries."""
    out = f"kind: resource-sheet\nlayout: resource-sheet\ntitle: {q('Visiting day')}\nsections:\n"
    for e in range(n):
        if e % ITEMS == 0:
            out += f"  - heading: {q(f'Part {e // ITEMS + 1}')}\n    entries:\n"
        qr = f", website: example.org/v{e}, qr: true" if e < codes else ""
        out += (
            f"      - {{name: {q(f'Place {e}')}{qr}"
            + (f", note: {q(note)}" if note else "")
            + "}\n"
        )
    return out


def nested(depth: int) -> str:
    return "".join(" " * (2 * i) + f"k{i}:\n" for i in range(depth)) + " " * (2 * depth) + "x: 1\n"


def manifest(handouts: list[str], languages: list[str]) -> str:
    return (
        "title: Staying Close\norganization: {name: Family Circle, contact: Tuesdays}\n"
        f"languages: [{', '.join(languages)}]\nhandouts: [{', '.join(handouts)}]\n"
        # the cover's "when to worry" box shows these numbers
        "crisis: {crisis_line: '988', emergency: '911'}\n"
    )


@dataclass(frozen=True)
class Case:
    name: str  # "<file kind>: what is largest"
    make: Callable[[Path], Files]
    args: tuple[str, ...] = ()  # after `build kit -o out -q`


def _facilities(kit: Path) -> Files:
    """The most facilities, each with the most columns: one line each, short cells."""
    columns = ["id", "name", *(f"c{i}" for i in range(COLUMNS - 2))]
    rows = [",".join(columns)]
    rows += [
        ",".join([f"f{r}", f"Facility {r}", *(f"{r}.{c}" for c in range(COLUMNS - 2))])
        for r in range(FACILITIES)
    ]
    return {"facilities.csv": "\n".join(rows) + "\n"}


def _kit_most(kit: Path, handouts: int = HANDOUTS) -> Files:
    """The most handouts in the most languages: one-page checklists, and a kit.pdf each."""
    langs = ["en"] + [f"l{chr(97 + i)}" for i in range(LANGUAGES - 1)]
    names = [f"h{i}" for i in range(handouts)]
    files = {"kit.yaml": manifest(names, langs)}
    small = checklist([items_section(3, "A short item to tick")], "One page")
    for lang in langs:
        for other in ("labels.yaml", "cover.yaml"):
            files[f"{lang}/{other}"] = (kit / "en" / other).read_text()
        for n in names:
            files[f"{lang}/{n}.yaml"] = small
    return files


def _layout(extra: str) -> str:
    return f"extends: checklist\nmax_pages: {PAGES}\n{extra}"


CASES = [
    # kit.yaml
    Case("kit.yaml: 16 MB", lambda k: {"kit.yaml": pad((k / "kit.yaml").read_text())}),
    Case(
        f"kit.yaml: {VALUES:,} values",
        lambda k: {"kit.yaml": manifest(["a"] * (VALUES - 10), ["en"])},
    ),
    Case("kit.yaml: 64 levels deep", lambda k: {"kit.yaml": "title: x\n" + nested(63)}),
    Case(f"kit.yaml: {HANDOUTS} handouts x {LANGUAGES} languages", _kit_most),
    Case(  # as many as one cover page lists
        f"kit.yaml: 10 handouts x {LANGUAGES} languages", lambda k: _kit_most(k, 10)
    ),
    # labels.yaml and cover.yaml
    Case(
        "labels.yaml: 16 MB",
        lambda k: {"en/labels.yaml": pad((k / "en/labels.yaml").read_text())},
    ),
    Case(
        f"labels.yaml: every label {LABEL} characters",
        lambda k: {
            "en/labels.yaml": "".join(
                f"{key}: {q(words(LABEL - 10) + (' {' + ph + '}' if ph else ''))}\n"
                for key, ph in [
                    ("page", "page"),
                    ("kit_page", "page"),
                    ("footer", "name"),
                    ("quote", "text"),
                    ("noticed", ""),
                    ("instead", ""),
                    ("try", ""),
                ]
            )
        },
    ),
    Case(
        f"labels.yaml: {VALUES:,} values",
        lambda k: {"en/labels.yaml": "page: [" + ", ".join(["x"] * (VALUES - 5)) + "]\n"},
    ),
    Case(
        "cover.yaml: every text 5,000 characters",
        lambda k: {
            "en/cover.yaml": "".join(
                f"{key}: {q(words(TEXT))}\n"
                for key in ("title", "subtitle", "intro", "contents", "separately")
            )
        },
    ),
    # a checklist
    Case(
        f"checklist: {VALUES // (ITEMS + 3) * ITEMS:,} items, {ITEMS} a section, max_pages {PAGES}",
        lambda k: {
            "layouts/checklist.yaml": _layout(""),
            CHECKLIST: checklist(
                [items_section(ITEMS, "Tick") for _ in range(VALUES // (ITEMS + 3))]
            ),
        },
    ),
    Case(
        f"checklist: {SECTIONS} sections of {VALUES // SECTIONS - 4} items, max_pages {PAGES}",
        lambda k: {
            "layouts/checklist.yaml": _layout(""),
            CHECKLIST: checklist(
                [items_section(VALUES // SECTIONS - 4, "Tick") for _ in range(SECTIONS)]
            ),
        },
    ),
    Case(
        "checklist: 16 MB of 5,000-character items, max_pages 250",
        lambda k: {
            "layouts/checklist.yaml": _layout(""),
            CHECKLIST: checklist(
                [items_section(ITEMS, words(TEXT)) for _ in range(MB16 // (ITEMS * TEXT + 400))]
            ),
        },
    ),
    Case(
        "checklist: 5,000-character words, max_pages 250",
        lambda k: {
            "layouts/checklist.yaml": _layout(""),
            CHECKLIST: checklist([items_section(ITEMS, "W" * TEXT) for _ in range(8)]),
        },
    ),
    Case(
        "checklist: 2 MB with a syntax error at its end (worded by the pure-Python parser)",
        lambda k: {
            CHECKLIST: checklist([items_section(VALUES // 2, words(150))]) + "closing: [open\n"
        },
    ),
    Case(
        "checklist: 16 MB with a syntax error at its end",
        lambda k: {CHECKLIST: pad(checklist([items_section(3, "x")])) + "closing: [open\n"},
    ),
    Case(
        f"checklist: a list of {VALUES - 20:,} values",
        lambda k: {CHECKLIST: checklist([items_section(VALUES - 20, "x")])},
    ),
    Case(
        f"checklist: {ITEMS} swaps of 5,000 characters in a {LABEL}-character quote label",
        lambda k: {
            "en/labels.yaml": (k / "en/labels.yaml")
            .read_text()
            .replace('quote: "“{text}”"', f"quote: {q(words(LABEL - 10) + ' {text}')}"),
            CHECKLIST: checklist(
                [
                    f"  - heading: {q('Swaps')}\n    swaps:\n"
                    + f"      - {{instead: {q(words(TEXT))}, try: {q(words(TEXT))}}}\n" * ITEMS
                ]
            ),
        },
    ),
    # a card deck
    Case(
        "card deck: 10,000 cards, each shrunk through 1,350 sizes",
        lambda k: {
            "layouts/poker.yaml": "extends: poker\nstyles:\n"
            "  card_text: {size: 144pt, leading: 160pt}\nfit: {min_size: 9pt, step: 0.1pt}\n",
            CARDS_FILE: deck([words(150)] * CARDS),
        },
    ),
    Case(
        "card deck: 10,000 cards of 1,600 characters (16 MB)",
        lambda k: {CARDS_FILE: deck([words(1600)] * CARDS)},
    ),
    Case(
        "card deck: 10,000 one-word cards, numbered",
        lambda k: {
            "layouts/poker.yaml": "extends: poker\nnumbers: true\n",
            CARDS_FILE: deck(["Hello"] * CARDS),
        },
    ),
    # a worksheet
    Case(
        f"worksheet: {PROMPTS // ITEMS * ITEMS:,} prompts of 12 lines, max_pages {PAGES}",
        lambda k: {
            "layouts/worksheet.yaml": f"extends: worksheet\nmax_pages: {PAGES}\n",
            WORKSHEET: "kind: worksheet\nlayout: worksheet\ntitle: Long\nsections:\n"
            + "".join(
                f"  - heading: {q(f'Part {s}')}\n    blocks:\n"
                + "".join(
                    f"      - {{type: prompt, name: p{s}_{b}, prompt: Why, lines: 12}}\n"
                    for b in range(ITEMS)
                )
                for s in range(PROMPTS // ITEMS)
            ),
        },
    ),
    # a resource sheet
    Case(
        f"resource sheet: {ITEMS:,} entries, {QR} with a QR code, max_pages {PAGES}",
        lambda k: {
            "layouts/resource-sheet.yaml": f"extends: resource-sheet\nmax_pages: {PAGES}\n",
            RESOURCES: resources(ITEMS, QR, words(300)),
        },
    ),
    Case(  # beyond the QR codes allowed: refused before any is made
        f"resource sheet: {(VALUES - 500) // 4:,} entries with a QR code, max_pages {PAGES}",
        lambda k: {
            "layouts/resource-sheet.yaml": f"extends: resource-sheet\nmax_pages: {PAGES}\n",
            RESOURCES: resources((VALUES - 500) // 4, (VALUES - 500) // 4, ""),
        },
    ),
    # a layout
    Case(
        "layout: 16 MB",
        lambda k: {"layouts/checklist.yaml": pad("extends: checklist\nmax_pages: 3\n")},
    ),
    Case(
        f"layout: {VALUES - 100:,} colours",
        lambda k: {
            "layouts/checklist.yaml": "extends: checklist\ncolors:\n"
            + "".join(f"  c{i}: '#000000'\n" for i in range(VALUES - 100))
        },
    ),
    # the facilities file: read whole for any facility's build (a run of every facility
    # lays out a kit for each, so it takes as long as that many builds)
    Case(
        f"facilities.csv: {FACILITIES:,} rows of {COLUMNS} columns, one facility built",
        _facilities,
        ("--facility", "f9999"),
    ),
    Case(
        "layout: an extends chain of 16 files",
        lambda k: {
            **{f"layouts/l{i}.yaml": f"extends: l{i + 1}\n" for i in range(15)},
            "layouts/l15.yaml": "extends: checklist\n",
            CHECKLIST: (k / CHECKLIST).read_text().replace("layout: checklist", "layout: l0"),
        },
    ),
]


@dataclass(frozen=True)
class Result:
    case: str
    seconds: float
    peak_mb: float
    code: int
    said: str  # the first line of stderr, or what was written

    @property
    def met(self) -> bool:
        one_clear_line = self.code == 0 or (self.code == 1 and "Traceback" not in self.said)
        return self.seconds < LIMIT_S and self.peak_mb < LIMIT_MB and one_clear_line


def run_case(case: Case, command: list[str], work: Path) -> Result:
    kit = work / "kit"
    if kit.exists():
        shutil.rmtree(kit)
    shutil.copytree(default_kit(command), kit)
    for rel, text in case.make(kit).items():
        path = kit / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    out = work / "out"
    if out.exists():
        shutil.rmtree(out)
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [*command, "build", "kit", "-o", "out", "-q", *case.args],
            cwd=work,
            stdout=subprocess.DEVNULL,
            stderr=err,
            stdin=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").splitlines()
    code = os.waitstatus_to_exitcode(status)
    kib = usage.ru_maxrss / 1024 if sys.platform == "darwin" else usage.ru_maxrss
    said = lines[0] if lines else ""
    if len(lines) > 1:
        said = f"{len(lines)} lines: " + " / ".join(lines[-2:])
    if code == 0:
        pdfs = list(out.rglob("*.pdf"))
        said = f"built {len(pdfs)} PDFs"
    return Result(case.name, seconds, kib / 1024, code, said)


def default_kit(command: list[str]) -> Path:
    """The default kit of the kitpress being measured (its keys change between versions)."""
    code = "from kitpress.paths import bundled; print(bundled('kit'))"
    found = subprocess.run([python_of(command), "-c", code], capture_output=True, text=True)
    return Path(found.stdout.strip()) if found.returncode == 0 else HERE.parent / "kit"


def render(results: list[Result], info: dict) -> str:
    lines = [
        f"Measured {info['date']} on {info['cpus']} CPUs ({info['cpu']}), {info['os']}; "
        f"Python {info['python']}, ReportLab {info['reportlab']}; kitpress {info['kitpress']}. "
        f"Load average {info['load']:.2f} at the start. One run each, a new process.",
        "",
        f"| the largest … | s | MB | under {LIMIT_S:g} s and {LIMIT_MB:g} MB | how it ended |",
        "|---|---:|---:|---|---|",
    ]
    for r in results:
        said = r.said.replace("|", "\\|")
        said = said if len(said) <= 150 else said[:149] + "…"
        met = "yes" if r.met else "**NO**"
        lines.append(f"| {r.case} | {r.seconds:.2f} | {r.peak_mb:.0f} | {met} | {said} |")
    return "\n".join(lines)


BEGIN, END = "<!-- limits.py:begin -->", "<!-- limits.py:end -->"


def write_results(path: Path, table: str) -> None:
    text = path.read_text(encoding="utf-8")
    block = f"{BEGIN}\n{table}\n{END}"
    if BEGIN in text:
        before, rest = text.split(BEGIN, 1)
        text = before + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n## The largest inputs (issue 17)\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> list[Result]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kitpress", default="kitpress", help="the command to measure")
    ap.add_argument("--only", default="", help="run the cases whose name holds this")
    ap.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    args = ap.parse_args(argv)
    command = shlex.split(args.kitpress)
    if shutil.which(command[0]) is None and not Path(command[0]).exists():
        ap.error(f"{command[0]}: not found")
    info = machine(python_of(command))
    results = []
    with tempfile.TemporaryDirectory(prefix="kitpress-limits-") as tmp:
        for case in CASES:
            if args.only and args.only not in case.name:
                continue
            r = run_case(case, command, Path(tmp))
            print(f"{r.seconds:6.2f} s {r.peak_mb:5.0f} MB  {case.name}: {r.said[:100]}")
            results.append(r)
    table = render(results, info)
    print(table)
    if args.write:
        write_results(HERE / "RESULTS.md", table)
    return results


if __name__ == "__main__":
    main()
