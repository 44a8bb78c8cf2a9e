"""The build plan: which files one build makes, from which parts of the kit, on which
paper. Pure: it reads the loaded kit and the options and draws nothing, so `build`,
`check` and a preview can all start from it."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import PurePath

from kitpress.errors import InputError, clip
from kitpress.kit import Handout, Kit
from kitpress.options import Options
from kitpress.paper import Paper, paper

COMBINED = "kit"  # OUT/<lang>/kit.pdf
PLAN = "print-plan.txt"


@dataclass(frozen=True)
class Plan:
    paper: Paper
    handouts: tuple[Handout, ...]  # to lay out, in manifest order
    combined: tuple[str, ...]  # languages whose kit.pdf this build makes
    booklets: bool
    copies: int

    @property
    def whole(self) -> bool:
        """The build makes the whole kit, so it writes kit.pdf and the print plan (a
        partial build, --only, must not replace them)."""
        return bool(self.combined)

    @property
    def steps(self) -> int:
        return len(self.handouts) + len(self.combined)


def handout_path(h: Handout, suffix: str = "") -> PurePath:
    return PurePath(h.lang, f"{h.name}{'-' + suffix if suffix else ''}.pdf")


def combined_path(lang: str, suffix: str = "") -> PurePath:
    return PurePath(lang, f"{COMBINED}{'-' + suffix if suffix else ''}.pdf")


def make_plan(kit: Kit, options: Options) -> Plan:
    handouts = select(kit, options.only)
    languages = () if options.only else tuple(dict.fromkeys(h.lang for h in handouts))
    return Plan(
        paper=paper(options.paper or kit.manifest.paper),
        handouts=tuple(handouts),
        combined=languages,
        booklets=options.booklet,
        copies=options.copies,
    )


def select(kit: Kit, only: tuple[str, ...]) -> list[Handout]:
    """The handouts named in --only (all when empty), in manifest order."""
    wanted = list(dict.fromkeys(only))
    names = kit.manifest.handouts
    for name in wanted:
        if name not in names:
            close = difflib.get_close_matches(name, names, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"choose from: {', '.join(names)}"
            raise InputError(f"--only {clip(name)}: no handout has that name; {hint}")
    return [h for h in kit.handouts if not wanted or h.name in wanted]
