"""The penalty score by which a QR encoder picks one of its eight masks, computed on
whole rows at once.

ReportLab's encoder (the one kitpress draws with, render/weblink.py) scores each mask
module by module in Python: 70-80% of the 10-13 ms a code takes, and a build whose
resource sheet has two codes pays it in each language's process. `lost_point` gives
the very same number, so the same mask is chosen and the code is the same, square for
square (tests/test_qrscore.py compares the scores on hundreds of masked symbols). It
keeps ReportLab's reading of the rules where that differs from the QR standard:
- rule 3 (the finder-like 1:1:3:1:1 pattern) is counted in rows only, one way round
  (ReportLab compares a column, a tuple, with its pattern, a list: never equal), and
  its scan stops one position short of a row's end;
- rule 4 (dark/light balance) rounds as ReportLab's integer arithmetic does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

_RUN = re.compile(rb"\x00{5,}|\x01{5,}")  # rule 1: five or more alike in a line
# rule 3: dark, light, dark ×3, light, dark, then four light
_FINDER = bytes([1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0])


def lost_point(modules: Sequence[Sequence[bool]]) -> int:
    """ReportLab's QRUtil.getLostPoint for a symbol whose squares are `modules` (rows
    of booleans, True dark)."""
    rows = [bytes(row) for row in modules]  # (True and False are the bytes 1 and 0)
    columns = [bytes(column) for column in zip(*modules, strict=True)]
    return _runs(rows) + _runs(columns) + _blocks(rows) + _finders(rows) + _balance(rows)


def _runs(lines: list[bytes]) -> int:
    """Rule 1: a run of n ≥ 5 squares alike scores n - 2 (3 for five, one more for each
    square after)."""
    return sum(m.end() - m.start() - 2 for line in lines for m in _RUN.finditer(line))


def _blocks(rows: list[bytes]) -> int:
    """Rule 2: 3 for each 2×2 block of squares alike (blocks may overlap)."""
    if not rows:
        return 0
    # each square a byte, 0 or 1, read as one number: a square's bit is the lowest of
    # its byte, and its neighbour's byte is 8 bits away
    squares = [int.from_bytes(row, "big") for row in rows]
    pairs = int.from_bytes(b"\x01" * (len(rows[0]) - 1), "big")  # a bit for each neighbour pair
    score = 0
    for upper, lower in pairwise(squares):
        alike = ~(upper ^ lower)  # each column: its two squares alike
        across = ~(upper ^ (upper >> 8))  # each pair of columns alike in the upper row
        score += 3 * (alike & (alike >> 8) & across & pairs).bit_count()
    return score


def _finders(rows: list[bytes]) -> int:
    """Rule 3, as ReportLab counts it: 40 for each finder-like pattern in a row,
    scanning on after it, and not starting at the row's last possible position."""
    score = 0
    width = len(_FINDER)
    for row in rows:
        stop = len(row) - width  # ReportLab's scan ends before this start
        at = row.find(_FINDER)
        while 0 <= at < stop:
            score += 40
            at = row.find(_FINDER, at + width)
    return score


def _balance(rows: list[bytes]) -> int:
    """Rule 4: 10 for each 5% the share of dark squares is away from half."""
    cells = len(rows) ** 2
    dark = sum(row.count(1) for row in rows)
    return 10 * (abs(100 * dark // cells - 50) // 5)
