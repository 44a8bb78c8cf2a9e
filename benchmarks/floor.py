"""The measured floor of a build: drawing the same text runs and shapes with ReportLab's
canvas and nothing else (no reading YAML, no layout, no tagging, no form fields).

    python benchmarks/floor.py record OUT_DIR RUNS.json   # once, not timed: needs pypdf
    python benchmarks/floor.py draw RUNS.json FLOOR_DIR   # the floor: time this process

`record` reads every PDF kitpress wrote into OUT_DIR (each language's handouts and
kit.pdf) and keeps, page by page, each run of text (its font, size, position and
characters) and each path (its points, stroked or filled). `draw` is what no PDF
writer can skip: start Python, import ReportLab's canvas, parse the TrueType fonts the
runs use (from the repository's fonts/), draw every run and path at its place, and
write one PDF per input file. A build's time divided by this one is the ratio
issue 18 asks to keep under 2x; it is reproducible because the runs are a file.

What it leaves out, so the floor is a little lower than it could be: text and
shapes inside form XObjects (a deck's card headers, backs and crop marks, drawn once
and placed per card) are not expanded, and a run's colour is not kept.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

FONTS = Path(__file__).resolve().parent.parent / "fonts"
# the base font names kitpress embeds, and their files in fonts/
FACES = {
    "Andika": "Andika-Regular.ttf",
    "Andika-Bold": "Andika-Bold.ttf",
    "Andika-Italic": "Andika-Italic.ttf",
    "Andika-BoldItalic": "Andika-BoldItalic.ttf",
    "DejaVuSans": "DejaVuSans.ttf",
    "DejaVuSans-Bold": "DejaVuSans-Bold.ttf",
}
PATH_OPS = {"m", "l", "c", "re", "h"}
PAINT_OPS = {"S": "S", "s": "S", "f": "f", "F": "f", "f*": "f", "B": "B", "B*": "B", "b": "B"}


def record(out_dir: Path, runs_file: Path) -> None:
    """Every PDF under out_dir (not booklets or the web edition), as runs and paths."""
    from pypdf import PdfReader

    files = []
    for pdf in sorted(out_dir.rglob("*.pdf")):
        if "booklet" in pdf.name or "web" in pdf.parts:
            continue
        reader = PdfReader(pdf)
        pages = []
        for page in reader.pages:
            pages.append(_page(page))
        box = reader.pages[0].mediabox
        files.append(
            {
                "file": str(pdf.relative_to(out_dir)),
                "size": [float(box.width), float(box.height)],
                "pages": pages,
            }
        )
    runs_file.write_text(json.dumps(files), encoding="utf-8")


def _page(page: object) -> dict:
    texts: list[list] = []
    paths: list[list] = []
    current: list = []

    def on_text(text: str, cm: list, tm: list, font: dict | None, size: float) -> None:
        text = text.replace("\n", "")  # pypdf's line ends: not drawn
        if not text.strip() or font is None:
            return
        name = str(font.get("/BaseFont", "/Andika")).split("+")[-1].lstrip("/")
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
        texts.append([name if name in FACES else "Andika", size * scale, x, y, text])

    def on_op(op: bytes, args: list, cm: list, tm: list) -> None:
        name = op.decode("latin-1")
        if name in PATH_OPS:
            pts = [float(a) for a in args]
            # to page space, as the marks were placed by the current matrix
            for i in range(0, len(pts) - 1 if name != "re" else 2, 2):
                x, y = pts[i], pts[i + 1]
                pts[i], pts[i + 1] = x * cm[0] + y * cm[2] + cm[4], x * cm[1] + y * cm[3] + cm[5]
            current.append([name, *pts])
        elif name in PAINT_OPS and current:
            paths.append([PAINT_OPS[name], *current])
            current.clear()
        elif name == "n":
            current.clear()

    page.extract_text(visitor_text=on_text, visitor_operand_before=on_op)  # type: ignore[attr-defined]
    return {"texts": texts, "paths": paths}


def draw(runs_file: Path, floor_dir: Path) -> None:
    """Draw the recorded runs and paths: the part of a build no PDF writer can skip."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    files = json.loads(runs_file.read_text(encoding="utf-8"))
    used = {t[0] for f in files for p in f["pages"] for t in p["texts"]}
    for name in sorted(used):  # parsed only when a run needs the face
        pdfmetrics.registerFont(TTFont(name, str(FONTS / FACES[name])))
    for f in files:
        out = floor_dir / f["file"]
        out.parent.mkdir(parents=True, exist_ok=True)
        canvas = Canvas(str(out), pagesize=tuple(f["size"]), invariant=1)
        for page in f["pages"]:
            for name, size, x, y, text in page["texts"]:
                canvas.setFont(name, size)
                canvas.drawString(x, y, text)
            for paint, *parts in page["paths"]:
                path = canvas.beginPath()
                for op, *pts in parts:
                    if op == "m":
                        path.moveTo(*pts)
                    elif op == "l":
                        path.lineTo(*pts)
                    elif op == "c":
                        path.curveTo(*pts)
                    elif op == "re":
                        path.rect(*pts)
                    else:
                        path.close()
                canvas.drawPath(path, stroke=paint in "SB", fill=paint in "fB")
            canvas.showPage()
        canvas.save()


def main(argv: list[str]) -> None:
    if len(argv) != 3 or argv[0] not in ("record", "draw"):
        raise SystemExit(__doc__)
    (record if argv[0] == "record" else draw)(Path(argv[1]), Path(argv[2]))


if __name__ == "__main__":
    main(sys.argv[1:])
