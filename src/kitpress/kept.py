"""Handouts laid out once and kept for every facility whose copy is the same.

Most handouts of an outreach kit read the same for every facility (only those that
use a facility's values differ), so a process lays each out, and draws its own PDF,
once, not once per facility; its pages, kept from that drawing, go into every
facility's kit.pdf (render/once.py). A kept handout is given again only when
everything that goes into its pages is equal: its content, layout, fonts and words,
the kit's masthead, the paper and the options.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, cast

from kitpress.kit import Handout, Kit
from kitpress.options import Options
from kitpress.render.once import DrawnOnce

if TYPE_CHECKING:
    from collections.abc import Callable

    from kitpress.render.context import Rendered

# by (name, language, edition), in this process; cleared when a run starts
KEPT: dict[tuple[str, str, str], tuple[object, DrawnOnce]] = {}


def laid_out_once(kit: Kit, options: Options) -> Callable[[Handout], Rendered]:
    """make's laid_out: a handout as laid out for an earlier facility when everything
    that goes into its pages is the same (its content, layout, fonts and words, the
    kit's masthead, the paper and the options), else laid out now and kept."""
    from kitpress.build import lay_out
    from kitpress.paper import paper as paper_of

    paper = paper_of(options.paper or kit.manifest.paper)
    same = replace(options, copies=None)  # the only option that varies by facility

    def laid_out(h: Handout) -> Rendered:
        key = (h.name, h.lang, h.edition)
        what = (h, kit.manifest.masthead(h.lang), kit.manifest.web, paper, same)
        got = KEPT.get(key)
        if got is not None and got[0] == what:
            return cast("Rendered", got[1])
        kept = DrawnOnce(lay_out(kit, h, paper, options))
        KEPT[key] = (what, kept)
        return cast("Rendered", kept)

    return laid_out
