"""Generated kits for the benchmarks: a big card deck, and a long checklist.

The text is random words from a fixed seed, so every run (and every machine) builds
exactly the same pages.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

WORDS = str.split(
    "tell them about a song book movie meal walk friend neighbor garden window bus store "
    "game team joke recipe weekend morning evening letter photo memory trip birthday "
    "what why how where when who your my our favorite best funny small big new old "
    "today tomorrow week year remember share describe write name pick would could"
)
ICONS = ["sun", "camera", "question", "heart", "hand", "leaf"]
# Sections of the long checklist per page, measured (218 sections make about 200 pages).
SECTIONS_PER_PAGE = 1.09


def _start_kit(root: Path, handout: str, default_kit: Path) -> None:
    """A one-language kit holding just `handout`, with the default kit's labels and cover
    (those of the kitpress being measured: their keys change between versions)."""
    (root / "en").mkdir(parents=True)
    for name in ("labels.yaml", "cover.yaml"):
        shutil.copy(default_kit / "en" / name, root / "en" / name)
    (root / "kit.yaml").write_text(
        f"title: Bench\norganization: {{name: Bench}}\nlanguages: [en]\nhandouts: [{handout}]\n"
        + crisis_numbers(default_kit)
    )


def crisis_numbers(default_kit: Path) -> str:
    """The default kit's `crisis:` line, if it has one: its cover's words show those
    numbers (a version of kitpress without them has none, and would refuse the key)."""
    import yaml

    manifest = yaml.safe_load((default_kit / "kit.yaml").read_text(encoding="utf-8"))
    numbers = manifest.get("crisis") if isinstance(manifest, dict) else None
    return f"crisis: {json.dumps(numbers)}\n" if numbers else ""


def _q(text: str) -> str:
    """A YAML double-quoted scalar (the generated text has no quotes or backslashes)."""
    return f'"{text}"'


def _sentence(rng: random.Random, low: int, high: int, end: str = ".") -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize() + end


def make_card_kit(root: Path, cards: int, default_kit: Path) -> Path:
    """A kit with one poker-card deck of `cards` cards in six categories."""
    rng = random.Random(cards)
    _start_kit(root, "deck", default_kit)
    lines = ["kind: card-deck", "layout: poker", 'title: "Letter Starters"', "categories:"]
    per = -(-cards // len(ICONS))
    made = 0
    for i, icon in enumerate(ICONS):
        lines += [f'  - name: "Category {i + 1}"', f"    icon: {icon}", "    cards:"]
        for _ in range(min(per, cards - made)):
            lines.append(f"      - {_q(_sentence(rng, 6, 18, '?'))}")
            made += 1
    (root / "en" / "deck.yaml").write_text("\n".join(lines) + "\n")
    return root


def make_checklist_kit(root: Path, pages: int, default_kit: Path) -> Path:
    """A kit with one checklist of about `pages` pages: every section kind in turn, and
    the kit's own layouts/checklist.yaml raising max_pages (the bundled one allows 2)."""
    _start_kit(root, "long-checklist", default_kit)
    _long_layout(root, pages)
    (root / "en" / "long-checklist.yaml").write_text(_checklist(random.Random(pages), pages))
    return root


def make_pages_kit(root: Path, handouts: int, pages: int, default_kit: Path) -> Path:
    """A kit of `handouts` copies of make_checklist_kit's checklist of about `pages`
    pages, one language and one edition: a whole build draws each into its own PDF and
    all of them into one kit.pdf of about handouts * (pages + 1) pages (issue 18: ten
    201-page checklists, 2,000 pages, in less than 200 MB)."""
    names = [f"checklist-{n + 1:02d}" for n in range(handouts)]
    _start_kit(root, ", ".join(names), default_kit)
    _long_layout(root, pages)
    text = _checklist(random.Random(pages), pages)
    for name in names:
        (root / "en" / f"{name}.yaml").write_text(text)
    return root


def _long_layout(root: Path, pages: int) -> None:
    """The kit's own layouts/checklist.yaml, raising max_pages (the bundled one allows 2)."""
    (root / "layouts").mkdir()
    (root / "layouts" / "checklist.yaml").write_text(
        f"extends: checklist\nmax_pages: {max(250, pages * 5 // 4)}\n"
    )


def _checklist(rng: random.Random, pages: int) -> str:
    """A checklist's YAML of about `pages` pages: every section kind in turn."""
    lines = [
        "kind: checklist",
        "layout: checklist",
        'title: "A long checklist"',
        'subtitle: "Generated for the benchmark"',
        f"intro: {_q(_sentence(rng, 30, 50))}",
        "sections:",
    ]
    for n in range(max(1, round(pages * SECTIONS_PER_PAGE))):
        lines += _section(rng, n)
    lines.append(f"closing: {_q(_sentence(rng, 15, 25))}")
    return "\n".join(lines) + "\n"


def _section(rng: random.Random, n: int) -> list[str]:
    kind = ("reasons", "items", "tips", "swaps")[n % 4]
    out = [f"  - heading: {_q(f'Section {n + 1}: ' + _sentence(rng, 3, 6, ''))}"]
    if n % 3 == 0:
        out.append(f"    note: {_q(_sentence(rng, 8, 16))}")
    out.append(f"    {kind}:")
    if kind == "reasons":
        for _ in range(rng.randint(6, 12)):
            out.append(f"      - title: {_q(_sentence(rng, 2, 5, ''))}")
            out.append(f"        text: {_q(_sentence(rng, 15, 30))}")
    elif kind == "items":  # long enough to run over a page: the table splits
        for _ in range(rng.randint(10, 30)):
            out.append(f"      - {_q(_sentence(rng, 4, 14, ''))}")
    elif kind == "tips":
        for _ in range(rng.randint(6, 14)):
            out.append(f"      - title: {_q(_sentence(rng, 2, 5, ''))}")
            out.append(f"        text: {_q(_sentence(rng, 15, 40))}")
    else:
        for _ in range(rng.randint(3, 6)):
            out.append(f"      - instead: {_q(_sentence(rng, 4, 9, '?'))}")
            out.append(f"        try: {_q(_sentence(rng, 8, 20))}")
    return out
