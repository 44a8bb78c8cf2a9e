"""What a renderer is given besides its content (RenderContext) and what it gives
back (a Rendered result: the pages, and what the printer must know about them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Literal, Protocol, TypeVar

from kitpress.content.manifest import Labels, Masthead
from kitpress.errors import Source
from kitpress.fonts import FontChain
from kitpress.layouts.models import BaseLayout
from kitpress.options import Options
from kitpress.paper import Paper

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

L = TypeVar("L", bound=BaseLayout, covariant=True)


@dataclass(frozen=True)
class RenderContext(Generic[L]):
    manifest: Masthead  # kit.yaml's words in this document's language
    layout: L
    fonts: FontChain
    labels: Labels
    paper: Paper
    lang: str
    title: str  # document title for the PDF metadata
    options: Options = Options()
    manifest_source: Source | None = None  # where kit.yaml set the words in every footer
    web_link: str | None = None  # this page's address in the web edition (kit.yaml's web:)
    edition: str = "standard"  # for messages: which edition's layout a limit is from

    @property
    def pagesize(self) -> tuple[float, float]:
        return self.paper.size


Sides = Literal["one", "long", "short"]  # one-sided, or duplex turned on that edge


@dataclass(frozen=True)
class Printing:
    """What a printed file asks of the printer: the print plan reads it."""

    sides: Sides = "one"
    stock: str = "plain paper"

    @property
    def double_sided(self) -> bool:
        return self.sides != "one"

    def prints_double(self, pages: int) -> bool:
        """The print plan's 'double' for a file of `pages` pages (one page is one side)."""
        return self.double_sided and pages > 1

    def duplex(self, pages: int) -> str:
        """The /Duplex a file of `pages` pages asks the print dialog for: what its
        print-plan row says."""
        if not self.prints_double(pages):
            return "Simplex"
        return "DuplexFlipLongEdge" if self.sides == "long" else "DuplexFlipShortEdge"


@dataclass(frozen=True)
class Extra:
    """A companion PDF written next to the handout as <handout>-<suffix>.pdf."""

    suffix: str
    pdf: bytes
    pages: int
    printing: Printing = Printing()


class Rendered(Protocol):
    """A laid-out handout. Its page count is known before any PDF is drawn."""

    @property
    def pages(self) -> int: ...

    @property
    def printing(self) -> Printing: ...

    @property
    def notes(self) -> tuple[str, ...]: ...  # things to tell the user, e.g. shrunk text

    @property
    def extras(self) -> tuple[Extra, ...]: ...  # e.g. a card deck's calibration sheet

    def pdf(self) -> bytes:
        """The handout as a PDF of its own."""
        ...


class Bindable(Rendered, Protocol):
    """A handout that also goes inside the combined kit.pdf: it draws its pages onto
    the kit's canvas, footers numbered from the kit page it starts on."""

    def keep_pages(self) -> None:
        """Keep the pages its next pdf() draws, to put them into kit.pdf as they are
        where they can be (render/replay.py)."""

    def draw_into(self, canvas: Canvas, first_page: int) -> None: ...

    def check_into(self, first_page: int) -> None:
        """Raise what draw_into would raise (a kit page label too wide for its footer)
        without drawing: for a process that does not make kit.pdf (build._Binders)."""


@dataclass(frozen=True)
class Drawn:
    """A handout drawn straight to PDF bytes (card decks): printed on its own."""

    data: bytes
    pages: int
    printing: Printing = Printing()
    notes: tuple[str, ...] = ()
    extras: tuple[Extra, ...] = ()

    def pdf(self) -> bytes:
        return self.data
