"""Paper sizes, in one place: the name a kit or `--paper` uses, the size, the name a
person reads in the print plan, and the sheet a booklet of that paper prints on.
Adding a size is one entry in PAPERS."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Paper:
    name: str  # as written in kit.yaml and after --paper
    size: tuple[float, float]  # width, height in points, portrait
    human: str  # "Letter 8.5 × 11 in", as the print plan names it
    booklet: str  # the sheet two pages sit side by side on, at full size

    @property
    def width(self) -> float:
        return self.size[0]

    @property
    def height(self) -> float:
        return self.size[1]


PAPERS: dict[str, Paper] = {
    p.name: p
    for p in (
        Paper("letter", (612.0, 792.0), "Letter 8.5 × 11 in", "Tabloid 11 × 17 in"),
        Paper("a4", (595.2756, 841.8898), "A4 210 × 297 mm", "A3 297 × 420 mm"),
    )
}
DEFAULT = "letter"


def paper(name: str) -> Paper:
    """The paper called `name` (already validated by the schema or the CLI)."""
    return PAPERS[name.lower()]
