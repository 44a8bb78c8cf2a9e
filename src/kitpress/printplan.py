"""How much paper a build needs: per PDF its pages, sheets, sides and stock, and the
totals for N copies of the kit."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath


@dataclass(frozen=True)
class PrintJob:
    path: PurePath  # relative to the output folder
    pages: int
    double_sided: bool
    stock: str  # "plain paper", "cardstock", "11×17 in paper", …
    in_kit: bool  # one copy of the kit needs this file

    @property
    def sheets(self) -> int:
        return -(-self.pages // 2) if self.double_sided else self.pages


def format_plan(jobs: list[PrintJob], copies: int, title: str) -> str:
    """The print plan as a plain-text table a copy shop can follow."""
    head = ("file", "pages", "sheets", "sides", "paper", f"x{copies} sheets")
    rows = [
        (
            str(j.path),
            str(j.pages),
            str(j.sheets),
            "double" if j.double_sided else "single",
            j.stock,
            str(j.sheets * copies),
        )
        for j in jobs
    ]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    numeric = {1, 2, 5}

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(
            c.rjust(w) if i in numeric else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    out = [f"Print plan: {title}, {copies} cop{'y' if copies == 1 else 'ies'}", ""]
    out += [line(head), line(tuple("-" * w for w in widths))]
    out += [line(r) for r in rows]
    kit_jobs = [j for j in jobs if j.in_kit]
    if kit_jobs:
        totals: Counter[str] = Counter()
        for j in kit_jobs:
            totals[j.stock] += j.sheets * copies
        files = ", ".join(str(j.path) for j in kit_jobs)
        out += ["", f"For {copies} kit{'s' if copies != 1 else ''} print: {files}"]
        out += [f"  {n} sheets of {stock}" for stock, n in sorted(totals.items())]
    return "\n".join(out) + "\n"
