"""In-process timings, run in a fresh child process per measurement by bench.py.

    python benchmarks/inproc.py kitpress KIT_DIR HANDOUT   # load the kit, render one handout
    python benchmarks/inproc.py baseline HANDOUT.yaml      # the plain-ReportLab baseline
    python benchmarks/inproc.py wraps KIT_DIR OUT_DIR      # line breakings per paragraph

Prints one JSON line: load_s, render_s, pages. Imports happen before the clock starts
(they are start-up, measured by the whole-process timings); `load` is reading the
input and registering the fonts, `render` is laying out and writing the PDF to memory.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))


def kitpress(kit_dir: Path, handout: str) -> dict:
    from kitpress import kinds
    from kitpress.build import lay_out
    from kitpress.kit import load_kit
    from kitpress.options import Options
    from kitpress.paper import paper

    for name in kinds.names():  # import every schema and renderer before the clock
        kinds.kind(name)
    start = time.perf_counter()
    kit = load_kit(kit_dir)
    (h,) = [h for h in kit.handouts if h.name == handout]
    loaded = time.perf_counter()
    rendered = lay_out(kit, h, paper(kit.manifest.paper), Options())
    pdf = rendered.pdf()
    done = time.perf_counter()
    return _result(start, loaded, done, rendered.pages, len(pdf))


def baseline(path: Path) -> dict:
    import baseline_reportlab as plain

    start = time.perf_counter()
    data = plain.load(path)
    plain.register_fonts()
    loaded = time.perf_counter()
    pdf, pages = plain.render(data)
    done = time.perf_counter()
    return _result(start, loaded, done, pages, len(pdf))


def wraps(kit_dir: Path, out_dir: Path) -> dict:
    """Build the kit (every output) counting line breakings: a hook on ReportLab's
    Paragraph.breakLines and on kitpress's Para.breakLines (which breaks plain text
    itself, and hands the rest to ReportLab's: counted once), and each paragraph made
    from text (not the halves ReportLab makes when it splits one, which are already
    broken)."""
    from reportlab.platypus import paragraph

    from kitpress.build import build_kit
    from kitpress.kit import load_kit
    from kitpress.render.paragraph import Para

    counts = {"paragraphs": 0, "wraps": 0}
    break_lines, init = paragraph.Paragraph.breakLines, paragraph.Paragraph.__init__
    para_break_lines = Para.breakLines

    def counted_break(self: Any, *args: Any, **kwargs: Any) -> Any:
        counts["wraps"] += not isinstance(self, Para)
        return break_lines(self, *args, **kwargs)

    def counted_para_break(self: Any, *args: Any, **kwargs: Any) -> Any:
        counts["wraps"] += 1
        return para_break_lines(self, *args, **kwargs)

    def counted_init(self: Any, text: Any, *args: Any, **kwargs: Any) -> None:
        init(self, text, *args, **kwargs)
        counts["paragraphs"] += text is not None

    paragraph.Paragraph.breakLines = counted_break  # type: ignore[method-assign]
    Para.breakLines = counted_para_break  # type: ignore[method-assign]
    paragraph.Paragraph.__init__ = counted_init  # type: ignore[method-assign]
    result = build_kit(load_kit(kit_dir), out_dir)
    pages = max(f.pages for f in result.files if f.path.name != "kit.pdf")
    return {**counts, "per_paragraph": counts["wraps"] / counts["paragraphs"], "pages": pages}


def _result(start: float, loaded: float, done: float, pages: int, size: int) -> dict:
    return {
        "load_s": loaded - start,
        "render_s": done - loaded,
        "pages": pages,
        "pdf_bytes": size,
    }


def main(argv: list[str]) -> None:
    if argv[0] == "kitpress":
        result = kitpress(Path(argv[1]), argv[2])
    elif argv[0] == "wraps":
        result = wraps(Path(argv[1]), Path(argv[2]))
    elif argv[0] == "baseline":
        result = baseline(Path(argv[1]))
    else:
        raise SystemExit(f"unknown measurement {argv[0]!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
