"""Reading PDFs back for tests: text, fonts, sizes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader


def printed(text: str, quote: str = "“{text}”") -> str:
    """A kit's text as it is printed: its straight quotes made typographic in the
    marks of labels.yaml's quote: (kitpress.typography)."""
    from kitpress.typography import Quotes, typeset

    return typeset(text, Quotes.from_label(quote))


def norm(text: str) -> str:
    """Collapse whitespace so wrapped lines compare equal to the YAML text."""
    return re.sub(r"\s+", " ", text).strip()


def page_texts(path: Path) -> list[str]:
    return [norm(p.extract_text() or "") for p in PdfReader(path).pages]


def all_text(path: Path) -> str:
    return " ".join(page_texts(path))


def embedded_fonts(path: Path) -> set[str]:
    """BaseFont names of fonts whose file is embedded in the PDF."""
    names = set()
    for page in PdfReader(path).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            desc = target.get("/FontDescriptor")
            if desc is not None and any(
                k in desc.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
            ):
                names.add(str(font["/BaseFont"]))
    return names


def text_runs(path: Path) -> list[tuple[int, str, float]]:
    """(page index, text, font size in points) for every shown text run."""
    runs: list[tuple[int, str, float]] = []
    for i, page in enumerate(PdfReader(path).pages):

        def visit(text, cm, tm, font_dict, font_size, i=i):
            if text.strip():
                scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
                runs.append((i, text, font_size * scale))

        page.extract_text(visitor_text=visit)
    return runs


def text_fonts(path: Path) -> list[tuple[int, str, float, str]]:
    """(page index, text, font size in points, font name) for every shown text run."""
    runs: list[tuple[int, str, float, str]] = []
    for i, page in enumerate(PdfReader(path).pages):

        def visit(text, cm, tm, font_dict, font_size, i=i):
            if text.strip() and font_dict is not None:
                scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
                runs.append((i, text, font_size * scale, str(font_dict["/BaseFont"])))

        page.extract_text(visitor_text=visit)
    return runs


@dataclass(frozen=True)
class Line:
    """One shown text run, which ReportLab writes for each line of a paragraph."""

    page: int
    x: float
    y: float  # the baseline, in points from the foot of the page
    text: str  # no-break spaces read as spaces


def text_lines(path: Path) -> list[Line]:
    """Every shown text run with its position on the page (text matrix times the
    transformation matrix: flowables are drawn translated)."""
    lines: list[Line] = []
    for i, page in enumerate(PdfReader(path).pages):

        def visit(text, cm, tm, font_dict, font_size, i=i):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                lines.append(Line(i, x, y, text.strip().replace("\u00a0", " ")))

        page.extract_text(visitor_text=visit)
    return lines
