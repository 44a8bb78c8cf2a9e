"""Everything a renderer needs besides the handout's own content."""

from __future__ import annotations

from dataclasses import dataclass

from kitpress.content.manifest import Labels, Manifest
from kitpress.fonts import FontChain
from kitpress.layouts.models import BaseLayout

PAPER_SIZES = {"letter": (612.0, 792.0), "a4": (595.2756, 841.8898)}


@dataclass(frozen=True)
class RenderContext:
    manifest: Manifest
    layout: BaseLayout
    fonts: FontChain
    labels: Labels
    paper: str
    lang: str
    title: str  # document title for the PDF metadata

    @property
    def pagesize(self) -> tuple[float, float]:
        return PAPER_SIZES[self.paper]


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
