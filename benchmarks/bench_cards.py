"""Benchmark: build big card decks (fronts and backs) and report time and peak memory.

    PYTHONPATH=src python benchmarks/bench_cards.py            # 1,000 and 10,000 cards
    PYTHONPATH=src python benchmarks/bench_cards.py 50000      # any sizes

Each size runs in a fresh process (so peak memory is that build's own), as
`kitpress build` would: load and validate the kit, fit every card, draw, write;
then the same deck is built once more through the real command ("CLI s": Python
start-up, imports and the other handouts' absence included).
Targets (issue 3): 1,000 cards < 1.5 s, 10,000 < 10 s, under 200 MB.
"""

from __future__ import annotations

import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = str.split(
    "tell them about a song book movie meal walk friend neighbor garden window bus store "
    "game team joke recipe weekend morning evening letter photo memory trip birthday "
    "what why how where when who your my our favorite best funny small big new old "
    "today tomorrow week year remember share describe write name pick would could"
)
ICONS = ["sun", "camera", "question", "heart", "hand", "leaf"]


def make_kit(root: Path, cards: int) -> None:
    from kitpress.paths import bundled

    rng = random.Random(cards)  # same deck every run
    (root / "en").mkdir(parents=True)
    for name in ("labels.yaml", "cover.yaml"):
        shutil.copy(bundled("kit") / "en" / name, root / "en" / name)
    (root / "kit.yaml").write_text(
        "title: Bench\norganization: {name: Bench}\nlanguages: [en]\nhandouts: [deck]\n"
    )
    lines = ["kind: card-deck", "layout: poker", 'title: "Letter Starters"', "categories:"]
    per = -(-cards // len(ICONS))
    made = 0
    for i, icon in enumerate(ICONS):
        lines += [f'  - name: "Category {i + 1}"', f"    icon: {icon}", "    cards:"]
        for _ in range(min(per, cards - made)):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 18)))
            lines.append(f'      - "{text.capitalize()}?"')
            made += 1
    (root / "en" / "deck.yaml").write_text("\n".join(lines) + "\n")


def run_one(cards: int) -> dict:
    """Build one deck in this process; return timings and peak memory."""
    from kitpress.build import build_kit
    from kitpress.kit import load_kit
    from kitpress.render.context import BuildOptions

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "kit"
        make_kit(root, cards)
        start = time.perf_counter()
        kit = load_kit(root)
        loaded = time.perf_counter()
        built = build_kit(kit, Path(tmp) / "out", BuildOptions())
        done = time.perf_counter()
        deck = built.files[0]
        size = deck.path.stat().st_size
    return {
        "cards": cards,
        "pages": deck.pages,
        "load_s": round(loaded - start, 3),
        "render_write_s": round(done - loaded, 3),
        "total_s": round(done - start, 3),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "pdf_mb": round(size / 1e6, 2),
    }


def run_cli(cards: int) -> float:
    """Wall time of the whole `kitpress build` command, start-up and imports included."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "kit"
        make_kit(root, cards)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "kitpress", "build", str(root), "-o", str(Path(tmp) / "out")],
            check=True,
            capture_output=True,
        )
        return round(time.perf_counter() - start, 3)


def main() -> None:
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(run_one(int(sys.argv[2]))))
        return
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000]
    print(
        f"{'cards':>7} {'pages':>6} {'load s':>7} {'render s':>9} {'total s':>8} "
        f"{'CLI s':>6} {'peak MB':>8} {'PDF MB':>7}"
    )
    for n in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(n)],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(out.stdout)
        cli = run_cli(n)
        print(
            f"{r['cards']:>7} {r['pages']:>6} {r['load_s']:>7} {r['render_write_s']:>9} "
            f"{r['total_s']:>8} {cli:>6} {r['peak_mb']:>8} {r['pdf_mb']:>7}"
        )


if __name__ == "__main__":
    main()
