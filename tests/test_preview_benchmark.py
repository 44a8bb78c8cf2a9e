"""A quick run of benchmarks/preview.py (save to screen in chromium), so it cannot rot
unnoticed. No time is asserted: speed is measured on a quiet machine, not by tests.
Its own module: Playwright's sync API runs one at a time, and the browser tests hold
theirs for their whole module."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

from tests.previewproc import SRC
from tests.test_preview_browser import CHROMIUM  # skips this module as it skips those

BENCH = Path(__file__).parent.parent / "benchmarks" / "preview.py"


def test_the_save_to_screen_benchmark_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]))
    spec = importlib.util.spec_from_file_location("preview_benchmark", BENCH)
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, bench)  # its dataclasses look it up there
    spec.loader.exec_module(bench)
    command = f"{sys.executable} -m kitpress"
    results = bench.main(["--runs", "1", "--kitpress", command, "--chromium", str(CHROMIUM)])
    assert [c["case"] for c in results["cases"]] == [c.name for c in bench.CASES]
    assert all(c["median_s"] > 0 and c["update_s"] >= 0 for c in results["cases"])
    assert "| a checklist's title |" in bench.render(results)
