"""A quick run of the benchmark, so it cannot rot unnoticed. No timing is asserted:
speed is measured by benchmarks/bench.py on a quiet machine, not by tests."""

from __future__ import annotations

import importlib.util
import shlex
import sys
from pathlib import Path

BENCH = Path(__file__).parent.parent / "benchmarks"


def _load(name: str):
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


def test_quick_benchmark_runs_every_measurement(capsys):
    bench = _load("bench")
    kitpress = shlex.join([sys.executable, "-m", "kitpress"])
    results = bench.main(["--quick", "--kitpress", kitpress, "--python", sys.executable])
    table = capsys.readouterr().out
    assert "`kitpress --help`" in table and "cold `kitpress build`" in table
    assert results["cards"][0]["pages"] == 10  # 40 poker cards: 5 sheets, fronts and backs
    checklist = results["checklist"]
    # the baseline draws the very same pages as kitpress
    assert checklist["kitpress"]["pages"] == checklist["baseline"]["pages"] > 1
    assert "plain ReportLab: lay out and write" in table
    assert all(r > 0 for r in checklist["ratio"].values())
    # issue 18: the whole default kit against hand-written ReportLab drawing the same
    # pages (every PDF of both languages: page counts and each page's text compared)
    full = results["full_kit"]
    assert full["same_pages"], full["compared"]
    assert full["compared"].count("text equal") == 12  # 6 PDFs a language
    assert full["ratio"]["cpu"] > 0 and "/ hand-written ReportLab (same pages)" in table
    # issue 18: builds against their floor (the same runs drawn by floor.py), line
    # breakings counted by the hook, and Typst when its wheel is there
    assert [f["name"] for f in results["floor"]] == ["6-page checklist kit"]
    assert all(f["floor"]["seconds"] > 0 and f["ratio"]["cpu"] > 0 for f in results["floor"])
    wraps = results["wraps"]
    assert wraps["paragraphs"] > 0 and wraps["wraps"] >= wraps["paragraphs"]
    assert "line breakings per paragraph" in table
    # issue 18: the many-page kit (two 6-page checklists here), its peak memory
    kit = results["pages_kit"]
    assert kit["handouts"] == 2 and kit["kit_pages"] > 2 * kit["handout_pages"] > 2
    assert kit["peak_mb"] > 0 and "whole build: peak memory" in table
    if results["typst"] is not None:
        assert results["typst"]["typst_pages"] > 1 and "/ Typst" in table


def test_results_file_keeps_its_prose(tmp_path):
    report = _load("report")
    path = tmp_path / "RESULTS.md"
    path.write_text("# Results\n\nWhy it is quick.\n")
    results = {"machine": {}, "runs": 1}  # write_results only copies the table
    report.write_results(path, results, "first table")
    report.write_results(path, results, "second table")
    text = path.read_text()
    assert text.count(report.BEGIN) == 1 and "second table" in text
    assert "first table" not in text and "Why it is quick." in text


def test_limits_benchmark_runs_a_case_and_reports_how_it_ended(tmp_path):
    """benchmarks/limits.py on two of its quick cases: it measures, it does not assert."""
    limits = _load("limits")
    kitpress = shlex.join([sys.executable, "-m", "kitpress"])
    results = limits.main(["--only", "levels deep", "--kitpress", kitpress])
    assert [r.case for r in results] == ["kit.yaml: 64 levels deep"]
    assert results[0].code == 1 and "unknown key" in results[0].said
    assert results[0].peak_mb > 0


def test_quick_facilities_benchmark_runs_both_builds(capsys):
    facilities = _load("facilities")
    kitpress = shlex.join([sys.executable, "-m", "kitpress"])
    result = facilities.main(["--quick", "--kitpress", kitpress])
    table = capsys.readouterr().out
    assert "`--facility all --jobs 2`" in table and "`--facility all --jobs 1`" in table
    assert result["facilities"] == 3
    assert result["pdfs"] == 3 * 12  # every facility's kit, both languages
    assert result["speedup"] > 0 and all(t > 0 for t in result["cpu"].values())


def test_phases_benchmark_times_each_phase_of_both(capsys):
    phases = _load("phases")
    phases.main(["--runs", "1"])
    out = capsys.readouterr().out
    assert "import the build (pydantic, schemas)" in out
    assert "lay out and draw every PDF" in out and "read, lay out, draw, write" in out
    assert "kitpress / baseline:" in out


def test_instructions_passes_the_kit_src_and_build_options_on(tmp_path, monkeypatch):
    """benchmarks/instructions.py (valgrind not run here): build options after `--`
    with no kit named, and relative KIT and --src, which the build (run in a
    temporary folder) must get as absolute paths."""
    instructions = _load("instructions")
    ran = []

    class Done:
        returncode = 0
        stderr = "==7== Collected : 1000000\n"

    def run(command, cwd, env, **_):
        ran.append((command, env))
        return Done()

    monkeypatch.setattr(instructions.shutil, "which", lambda _: "/usr/bin/valgrind")
    monkeypatch.setattr(instructions.subprocess, "run", run)
    monkeypatch.chdir(tmp_path)
    instructions.main(["--", "--jobs", "1"])
    instructions.main(["kit", "--src", "src", "--", "--jobs", "1"])
    (bare, _), (named, env) = ran
    build = bare.index("build")
    assert bare[build + 1 :] == ["-q", "-o", bare[build + 3], "--jobs", "1"]
    assert named[build + 1] == str(tmp_path / "kit") and named[-2:] == ["--jobs", "1"]
    assert env["PYTHONPATH"] == str(tmp_path / "src")
