"""The build plan: which files one build makes, from which parts of the kit, on which
paper. Pure: it reads the loaded kit and the options and draws nothing, so `build`,
`check` and a preview can all start from it."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import PurePath

from kitpress.editions import folder, printed
from kitpress.errors import BadOption, clip
from kitpress.kit import Handout, Kit
from kitpress.options import Options
from kitpress.paper import Paper, paper

COMBINED = "kit"  # OUT/<lang>/kit.pdf
PLAN = "print-plan.txt"


Variant = tuple[str, str]  # (language, edition): one output folder, one kit.pdf


@dataclass(frozen=True)
class Plan:
    paper: Paper
    handouts: tuple[Handout, ...]  # to lay out, in manifest order, variant by variant
    combined: tuple[Variant, ...]  # the variants whose kit.pdf this build makes
    booklets: bool
    copies: dict[Variant, int]  # kits to print of each variant, for the print plan
    # the web edition: pages for these handouts, and each language's index (not --only)
    web: tuple[Handout, ...] = ()
    web_langs: tuple[str, ...] = ()

    @property
    def whole(self) -> bool:
        """The build makes the whole kit, so it writes kit.pdf and the print plan (a
        partial build, --only, must not replace them)."""
        return bool(self.combined)

    @property
    def steps(self) -> int:
        return len(self.handouts) + len(self.combined) + bool(self.web or self.web_langs)


def variant_folder(variant: Variant) -> str:
    return folder(*variant)


def handout_path(h: Handout, suffix: str = "") -> PurePath:
    return PurePath(folder(h.lang, h.edition), f"{h.file}{'-' + suffix if suffix else ''}.pdf")


def combined_path(variant: Variant, suffix: str = "") -> PurePath:
    return PurePath(variant_folder(variant), f"{COMBINED}{'-' + suffix if suffix else ''}.pdf")


def make_plan(kit: Kit, options: Options) -> Plan:
    chosen = select(kit, options.only)
    handouts = [h for h in chosen if printed(h.edition)]
    web = tuple(h for h in chosen if not printed(h.edition))
    web_langs = () if options.only else tuple(dict.fromkeys(h.lang for h in web))
    variants = tuple(dict.fromkeys((h.lang, h.edition) for h in handouts))
    if isinstance(options.copies, dict):
        known = {*kit.manifest.languages, *(folder(*v) for v in variants)}
        for key in options.copies:
            if key not in known:
                close = difflib.get_close_matches(key, sorted(known), n=1)
                hint = f"did you mean '{close[0]}'?" if close else "use " + ", ".join(sorted(known))
                message = f"'{clip(key)}' is not a language or folder of this build; {hint}"
                raise BadOption(message, option="--copies")
    return Plan(
        paper=paper(options.paper or kit.manifest.paper),
        handouts=tuple(handouts),
        combined=() if options.only else variants,
        booklets=options.booklet,
        copies={v: _copies(kit, options, v) for v in variants},
        web=web,
        web_langs=web_langs,
    )


def _copies(kit: Kit, options: Options, variant: Variant) -> int:
    given = options.copies
    if given is None:
        return kit.manifest.copies_of(variant_folder(variant), variant[0])
    if isinstance(given, int):
        return given
    return given.get(variant_folder(variant), given.get(variant[0], 1))


def select(kit: Kit, only: tuple[str, ...]) -> list[Handout]:
    """The handouts named in --only (all when empty), in manifest order. A handout may
    be named by its file in any language too (cuando-se-alejan, as out/es/ shows it)."""
    names = kit.manifest.handouts
    by_file = {h.file: h.name for h in kit.handouts if h.file not in names}
    wanted = list(dict.fromkeys(by_file.get(name, name) for name in only))
    for name in wanted:
        if name not in names:
            close = difflib.get_close_matches(name, names, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"choose from: {', '.join(names)}"
            raise BadOption(f"no handout is named '{clip(name)}'; {hint}", option="--only")
    return [h for h in kit.handouts if not wanted or h.name in wanted]
