"""How much paper a build needs: per PDF its pages, sheets, sides and paper, and the
totals for the kits to print of each language and edition."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath


@dataclass(frozen=True)
class PrintJob:
    path: PurePath  # relative to the output folder
    pages: int
    double_sided: bool
    stock: str  # the paper by size and kind: "Letter 8.5 × 11 in", "… cardstock"
    in_kit: bool  # each kit to print needs this file
    kits: int = 1  # how many kits of its language and edition are to be printed

    @property
    def sheets(self) -> int:
        return -(-self.pages // 2) if self.double_sided else self.pages

    @property
    def folder(self) -> str:
        return self.path.parts[0] if len(self.path.parts) > 1 else ""


def format_plan(jobs: list[PrintJob], title: str) -> str:
    """The print plan as a plain-text table a copy shop can follow."""
    head = ("file", "pages", "sheets", "sides", "paper", "kits", "sheets in all")
    rows = [
        (
            j.path.as_posix(),
            str(j.pages),
            str(j.sheets),
            "double" if j.double_sided else "single",
            j.stock,
            str(j.kits) if j.in_kit else "-",
            str(j.sheets * j.kits) if j.in_kit else "-",
        )
        for j in jobs
    ]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    numeric = {1, 2, 5, 6}

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(
            c.rjust(w) if i in numeric else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    out = [f"Print plan: {title}", ""]
    out += [line(head), line(tuple("-" * w for w in widths))]
    out += [line(r) for r in rows]
    kit_jobs = [j for j in jobs if j.in_kit]
    if kit_jobs:
        out.append("")
        for folder in dict.fromkeys(j.folder for j in kit_jobs):
            mine = [j for j in kit_jobs if j.folder == folder]
            kits = mine[0].kits
            files = ", ".join(j.path.as_posix() for j in mine)
            out.append(f"{folder}: {_kits(kits)}, each: {files}")
        totals: Counter[str] = Counter()
        for j in kit_jobs:
            totals[j.stock] += j.sheets * j.kits
        out += ["", "Paper for all the kits:"]
        out += [f"  {n} sheets of {stock}" for stock, n in sorted(totals.items())]
    return "\n".join(out) + "\n"


def _kits(n: int) -> str:
    return f"{n} kit" + ("" if n == 1 else "s")
