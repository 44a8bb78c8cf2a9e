"""A quick run of the card benchmark's own code, so it cannot rot unnoticed.
(No timing is asserted: speed is measured by the benchmark, not by tests.)"""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).parent.parent / "benchmarks" / "bench_cards.py"


def test_card_benchmark_builds_a_small_deck():
    spec = importlib.util.spec_from_file_location("bench_cards", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    result = bench.run_one(40)
    assert result["cards"] == 40
    assert result["pages"] == 10  # 5 sheets of 8 poker cards, each front with its back
