"""Everything a renderer needs besides the handout's own content."""

from __future__ import annotations

from dataclasses import dataclass

from kitpress.content.manifest import Labels, Manifest
from kitpress.fonts import FontChain
from kitpress.layouts.models import BaseLayout

PAPER_SIZES = {"letter": (612.0, 792.0), "a4": (595.2756, 841.8898)}


@dataclass(frozen=True)
class BuildOptions:
    """Choices made on the command line that change how pages are drawn."""

    fronts_only: bool = False  # card decks: no back sheets
    flip: str | None = None  # card decks: 'long' or 'short' edge; None = the layout's
    flat: bool = False  # worksheets: print-only, no form fields


@dataclass(frozen=True)
class RenderContext:
    manifest: Manifest
    layout: BaseLayout
    fonts: FontChain
    labels: Labels
    paper: str
    lang: str
    title: str  # document title for the PDF metadata
    options: BuildOptions = BuildOptions()
    # inside the combined kit.pdf: the kit page number of this handout's first page
    first_page: int | None = None

    @property
    def pagesize(self) -> tuple[float, float]:
        return PAPER_SIZES[self.paper]


@dataclass(frozen=True)
class Extra:
    """A companion PDF written next to the handout as <handout>-<suffix>.pdf."""

    suffix: str
    pdf: bytes
    pages: int


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    notes: tuple[str, ...] = ()  # things the user should hear about, e.g. shrunk text
    extras: tuple[Extra, ...] = ()  # e.g. a card deck's calibration sheet
