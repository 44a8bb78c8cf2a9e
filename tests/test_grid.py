"""render/grid.py: a Grid measures, splits and draws as the platypus Table it replaced
(the checklist's lists), read back by rendering both."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from kitpress.render.grid import Grid, Pad, Rule
from tests.pdftrace import trace

INK, ACCENT = HexColor("#222222"), HexColor("#1f5c99")
TEXT = [
    "A short one.",
    "A longer sign that runs over two lines at this width, or even three of them.",
    "Middle length, a line and a bit at most here.",
    "x",
    "Another, long enough to wrap once or twice in the middle column of the grid.",
]


def para(text: str, size: float = 11, before: float = 0, after: float = 0) -> Paragraph:
    style = ParagraphStyle("p", fontName="Helvetica", fontSize=size, leading=size * 1.3)
    style.spaceBefore, style.spaceAfter = before, after
    return Paragraph(text, style)


class Box(Flowable):
    def wrap(self, w: float, h: float) -> tuple[float, float]:
        return 14, 14

    def draw(self) -> None:
        self.canv.rect(0, 0, 14, 14)


def items(noticed: bool) -> tuple[list, list[float], list[tuple], Callable[[], Grid]]:
    """A checklist's signs: a box, the sign, a line to write on, under a header."""
    widths = [24, 260, 110] if noticed else [24, 370]
    head = [["", "", para("When I noticed", 9)]] if noticed else []
    style: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, int(noticed)), (-1, -1), 7),
        ("BOTTOMPADDING", (0, int(noticed)), (-1, -1), 7 * 0.6),
    ]
    if noticed:
        style += [
            ("TOPPADDING", (0, 0), (-1, 0), 0),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 0),
            ("LINEBELOW", (2, 1), (2, -1), 0.75, INK),
        ]

    def rows(empty: object) -> list[list]:
        out = [[empty if c == "" else para("When I noticed", 9) for c in r] for r in head]
        for t in TEXT * 3:
            out.append([Box(), para(t), empty][: len(widths)])
        return out

    def grid() -> Grid:
        table = rows(None)
        pad: Pad = (0, 0, 7, 4.2)
        pads = [[(0.0, 0.0, 0.0, 0.0)] * 3] * len(head) + [[pad] * len(widths)] * (
            len(table) - len(head)
        )
        line: list[Rule] = [("below", 0.75, INK)]
        rules = [[[]] * 3] * len(head) + [[[], [], line][: len(widths)]] * (len(table) - len(head))
        return Grid(table, widths, pads, valign="BOTTOM", rules=rules, header=len(head))

    return rows(""), widths, style, grid


def reasons() -> tuple[list, list[float], list[tuple], Callable[[], Grid]]:
    """The reasons grid: two flowables a cell, a bar before each, an empty last cell."""
    widths = [180, 20, 180]
    texts = TEXT[:3]

    def cells(empty: object) -> list[list]:
        made = [[para(f"Reason {t[:10]}", 12, after=2), para(t, 10, before=3)] for t in texts]
        return [[made[0], empty, made[1]], [made[2], empty, empty]]

    style: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
    ]
    for col, row in ((0, 0), (2, 0), (0, 1)):
        style += [
            ("LINEBEFORE", (col, row), (col, row), 3, ACCENT),
            ("LEFTPADDING", (col, row), (col, row), 11),
        ]

    def grid() -> Grid:
        data = cells(None)
        pads = [[(11 if c else 0, 0, 4, 8) for c in r] for r in data]
        bar: list[Rule] = [("before", 3, ACCENT)]
        return Grid(data, widths, pads, rules=[[bar if c else [] for c in r] for r in data])

    return cells(""), widths, style, grid


def render(pdf: Path) -> list[str]:
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm is not installed")
    subprocess.run(
        ["pdftoppm", "-r", "144", "-gray", str(pdf), str(pdf.with_suffix(""))], check=True
    )
    pages = sorted(pdf.parent.glob(f"{pdf.stem}-*.pgm"))
    return [hashlib.sha256(p.read_bytes()).hexdigest() for p in pages]


def draw(path: Path, parts: list[Flowable]) -> Path:
    """Each part on a page of its own, at the same place."""
    canvas = Canvas(str(path), pagesize=(612, 792))
    for part in parts:
        _, h = part.wrapOn(canvas, 400, 700)
        part.drawOn(canvas, 72, 740 - h)
        canvas.showPage()
    canvas.save()
    return path


CASES = {"items": lambda: items(True), "items, no header": lambda: items(False), "reasons": reasons}


@pytest.mark.parametrize("case", CASES)
def test_a_grid_is_the_size_of_its_table_and_draws_the_same(case, tmp_path):
    data, widths, style, grid = CASES[case]()
    table = Table(data, colWidths=widths, style=TableStyle(style), repeatRows=int(case == "items"))
    ours = grid()
    assert ours.wrap(400, 700) == table.wrap(400, 700)  # to the last bit
    a = render(draw(tmp_path / "table.pdf", [table]))
    b = render(draw(tmp_path / "grid.pdf", [ours]))
    assert a == b


@pytest.mark.parametrize("case", CASES)
def test_a_grid_splits_where_its_table_splits(case, tmp_path):
    """At every height from too little for one row to room for all, the same rows go
    first, and the parts are as tall as the table's parts."""
    data, widths, style, grid = CASES[case]()
    header = int(case == "items")
    full = Table(data, colWidths=widths, style=TableStyle(style), repeatRows=header).wrap(400, 9e9)[
        1
    ]
    splits = 0
    for room in range(10, int(full) + 20, 13):
        table = Table(data, colWidths=widths, style=TableStyle(style), repeatRows=header)
        ours = grid()
        t_parts, g_parts = table.split(400, room), ours.split(400, room)
        assert len(t_parts) == len(g_parts), room
        assert [p.wrap(400, 700) for p in t_parts] == [p.wrap(400, 700) for p in g_parts], room
        splits += len(g_parts) == 2
        if len(g_parts) == 2 and case != "items":  # drawn the same (items: next test)
            assert render(draw(tmp_path / f"t{room}.pdf", t_parts)) == render(
                draw(tmp_path / f"g{room}.pdf", g_parts)
            )
    assert splits > 3


def test_the_header_repeated_after_a_split_has_no_line_under_it(tmp_path):
    """A Table drew its LINEBELOW under the repeated header too, on every page after
    the first (a line to write on beside no sign); a Grid draws one under each sign."""
    _, _, _, grid = items(True)
    parts = grid().split(400, 200)
    assert len(parts) == 2
    pages = trace(draw(tmp_path / "parts.pdf", parts))
    for page, part in zip(pages, parts, strict=True):
        lines = [p for p in page.paints if p.kind == "stroke" and len(p.polylines[0]) == 2]
        boxes = [p for p in page.paints if p.kind == "stroke" and len(p.polylines[0]) > 2]
        assert len(lines) == len(boxes) == part.rows_below_header() > 0
        top_line = max(p.polylines[0][0][1] for p in lines)
        top_box = max(max(y for _, y in p.polylines[0]) for p in boxes)
        assert top_line < top_box  # under the first sign, not under the header
