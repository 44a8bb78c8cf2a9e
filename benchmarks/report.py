"""The results as Markdown tables, checked against the targets of issue 7."""

from __future__ import annotations

import re
from pathlib import Path

# (limit, unit) per figure; a ratio target is kitpress time / plain-ReportLab time
TARGETS = {
    "help_s": 0.2,
    "build_s": 1.0,
    "cards_1000_s": 1.5,  # from the card-deck issue
    "cards_10000_s": 10.0,
    "cards_10000_mb": 200.0,
    "pages_kit_mb": 200.0,  # issue 18: 2,000 pages
    "ratio": 1.25,
}
BEGIN, END = "<!-- bench.py:begin -->", "<!-- bench.py:end -->"


def _met(value: float, limit: float | None) -> str:
    if limit is None:
        return ""
    return "met" if value <= limit else "**MISSED**"


def _row(what: str, result: str, target: str, met: str) -> str:
    return f"| {what} | {result} | {target} | {met} |"


def render_table(results: dict) -> str:
    m = results["machine"]
    lines = [
        f"Measured {m['date']} on {m['cpus']} CPUs ({m['cpu']}), {m['os']}; "
        f"Python {m['python']}, ReportLab {m['reportlab']}, pydantic {m['pydantic']}, "
        f"PyYAML {m['PyYAML']}; kitpress {m['kitpress']}. "
        f"Load average {m['load']:.2f} at the start"
        + (
            f"; a fixed pure-Python loop (measure.REFERENCE) took {m['reference_s']:.2f} s. "
            if "reference_s" in m
            else ". "
        )
        + f"Median of {results['runs']} run(s), each a new process.",
        "",
        "| benchmark | kitpress | target | |",
        "|---|---:|---:|---|",
    ]
    if "help" in results:
        s = results["help"]["seconds"]
        lines.append(_row("`kitpress --help`", f"{s:.2f} s", "< 0.2 s", _met(s, 0.2)))
    if "build" in results:
        b = results["build"]
        lines.append(
            _row(
                "cold `kitpress build`, default kit",
                f"{b['seconds']:.2f} s, {b['peak_mb']:.0f} MB",
                "< 1 s",
                _met(b["seconds"], TARGETS["build_s"]),
            )
        )
    for c in results.get("cards", []):
        n = c["cards"]
        limit_s = TARGETS.get(f"cards_{n}_s")
        limit_mb = TARGETS.get(f"cards_{n}_mb")
        target = " and ".join(
            t for t in (limit_s and f"< {limit_s:g} s", limit_mb and f"< {limit_mb:g} MB") if t
        )
        met = [_met(c["seconds"], limit_s), _met(c["peak_mb"], limit_mb)]
        lines.append(
            _row(
                f"{n:,} cards ({c['pages']:,} pages), whole build",
                f"{c['seconds']:.2f} s, {c['peak_mb']:.0f} MB",
                target or "–",
                "**MISSED**" if "**MISSED**" in met else ("met" if target else ""),
            )
        )
    if results.get("typst"):
        lines.append(_typst_row(results["typst"]))
    if results.get("full_kit"):
        lines.append(_full_kit_row(results["full_kit"]))
    for f in results.get("floor", []):
        lines.append(_floor_row(f))
    if "pages_kit" in results:
        lines.append(_pages_kit_row(results["pages_kit"]))
    if "wraps" in results:
        w = results["wraps"]
        per = w["per_paragraph"]
        lines.append(
            _row(
                f"{w['pages']}-page checklist: line breakings per paragraph",
                f"{per:.2f} ({w['wraps']:,} for {w['paragraphs']:,})",
                "≤ 1.3",
                _met(per, 1.3),
            )
        )
    if "checklist" in results:
        lines += _checklist_rows(results["checklist"])
        lines += ["", *_checklist_detail(results["checklist"])]
    return "\n".join(lines)


def _pages_kit_row(p: dict) -> str:
    return _row(
        f"{p['handouts']} {p['handout_pages']}-page checklists and their "
        f"{p['kit_pages']:,}-page kit.pdf, whole build: peak memory",
        f"{p['peak_mb']:.0f} MB ({p['cpu_s']:.2f} s CPU, {p['seconds']:.2f} s)",
        f"< {TARGETS['pages_kit_mb']:g} MB",
        _met(p["peak_mb"], TARGETS["pages_kit_mb"]),
    )


def _typst_row(t: dict) -> str:
    k, ty, r = t["kitpress"], t["typst"], t["ratio"]
    return _row(
        f"{t['pages']}-page checklist kit, every output / Typst, same YAML "
        f"({t['typst_pages']} pages)",
        f"{r['wall']:.2f}× wall ({k['seconds']:.2f} s / {ty['seconds']:.2f} s), "
        f"{r['cpu']:.2f}× CPU ({k['cpu_s']:.2f} s / {ty['cpu_s']:.2f} s)",
        "≤ 1.5×",
        _met(r["wall"], 1.5),
    )


def _full_kit_row(f: dict) -> str:
    k, b, r = f["kitpress"], f["baseline"], f["ratio"]
    same = "same pages" if f["same_pages"] else "pages DIFFER (baseline_kit.py --compare)"
    return _row(
        f"default kit, whole build / hand-written ReportLab ({same})",
        f"{r['wall']:.2f}× wall ({k['seconds']:.2f} s / {b['seconds']:.2f} s), "
        f"{r['cpu']:.2f}× CPU ({k['cpu_s']:.2f} s / {b['cpu_s']:.2f} s)",
        "≤ 1.1×",
        _met(r["wall"], 1.1),
    )


def _floor_row(f: dict) -> str:
    k, fl, r = f["kitpress"], f["floor"], f["ratio"]
    return _row(
        f"{f['name']}, whole build / its floor (floor.py)",
        f"{r['wall']:.2f}× wall ({k['seconds']:.2f} s / {fl['seconds']:.2f} s), "
        f"{r['cpu']:.2f}× CPU",
        "≤ 2×",
        _met(r["wall"], 2.0),
    )


def _checklist_rows(c: dict) -> list[str]:
    k, b, r = c["kitpress"], c["baseline"], c["ratio"]
    pages = k["pages"]
    rows = []
    for key, what, ks, bs in (
        ("render", "lay out and write", k["render_s"], b["render_s"]),
        ("inproc", "read the YAML, then lay out and write", k["inproc_s"], b["inproc_s"]),
        ("process", "whole process", k["seconds"], b["seconds"]),
    ):
        rows.append(
            _row(
                f"{pages}-page checklist / plain ReportLab: {what}",
                f"{r[key]:.2f}× ({ks:.2f} s / {bs:.2f} s)",
                "≤ 1.25×",
                _met(r[key], TARGETS["ratio"]),
            )
        )
    return rows


def _checklist_detail(c: dict) -> list[str]:
    out = [
        "| checklist | pages | load s | render s | in-process s | whole process s | peak MB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for who, label in (("kitpress", "kitpress"), ("baseline", "plain ReportLab")):
        x = c[who]
        out.append(
            f"| {label} | {x['pages']} | {x['load_s']:.2f} | {x['render_s']:.2f} | "
            f"{x['inproc_s']:.2f} | {x['seconds']:.2f} | {x['peak_mb']:.0f} |"
        )
    return out


def write_results(path: Path, results: dict, table: str) -> None:
    """Replace the measured block of RESULTS.md (between the markers); keep the prose."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    block = f"{BEGIN}\n{table}\n{END}"
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        head, _, rest = text.partition("\n")
        text = f"{head}\n\n{block}\n{rest}"
    path.write_text(text, encoding="utf-8")
