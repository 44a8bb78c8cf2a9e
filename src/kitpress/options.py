"""The choices a person makes for one build, owned by the build layer: the CLI fills
one Options from its flags (each field is named after its flag) and passes it down;
the build reads the whole-kit ones and hands it on to every renderer, which reads
only its own (a card deck reads flip and fronts_only, a worksheet reads flat)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Flip = Literal["long", "short"]


@dataclass(frozen=True)
class Options:
    paper: str | None = None  # --paper; None: the kit's own paper
    only: tuple[str, ...] = ()  # --only: build just these handouts, leave kit.pdf alone
    edition: tuple[str, ...] = ()  # --edition: build these editions; (): the kit's own
    web: bool = False  # --web: the web edition too, besides those editions
    booklet: bool = False  # --booklet: also write saddle-stitch booklets
    # --copies: kits to print, for the print plan: one number for every language and
    # edition, or per language or output folder ({"en": 30, "es-large": 5}); None: the kit's
    copies: int | dict[str, int] | None = None
    flat: bool = False  # --flat: worksheets without form fields
    fronts_only: bool = False  # --fronts-only: card decks without back sheets
    flip: Flip | None = None  # --flip: the duplex edge for card backs; None: the layout's
    jobs: int = 1  # --jobs: processes at once (a kit's languages side by side)
    # No flag: the preview sets it to see where a handout spills past its page limit.
    # A flowing handout then lays out every page and raises OverLimit, which holds them.
    over_limit: bool = False
