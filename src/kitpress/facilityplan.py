"""What the build of one facility made, and the print plan of them all: a block per
facility, then the grand totals (sheets of each paper, per language and in all)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING

from kitpress.printplan import PrintJob, format_plan

if TYPE_CHECKING:
    from kitpress.outreach import Shard


@dataclass(frozen=True)
class Output:
    """One file of a facility's kit (its path inside the facility's folder)."""

    path: PurePath
    pages: int
    job: PrintJob | None  # None for the web edition's files and the print plan
    lang: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Done:
    """One facility built (or checked), as a worker reports it."""

    id: str
    name: str
    line: int | None
    outputs: tuple[Output, ...] = ()
    handouts: int = 0  # check: handouts laid out
    pages: int = 0
    notes: tuple[str, ...] = ()


def format_facilities_plan(done: list[Done], title: str, shard: Shard | None = None) -> str:
    """A block per facility (its own plan, its files in its folder), then the grand
    totals: sheets of each paper, per language and in all."""
    n = len(done)
    head = f"Print plan: {title}, {n} facilit{'y' if n == 1 else 'ies'}"
    out = [head + (f" (shard {shard})" if shard else ""), ""]
    for d in done:
        jobs = [o.job for o in d.outputs if o.job is not None]
        out.append(f"== {d.id}/: {d.name}")
        out += format_plan(jobs, d.name).splitlines()[2:]
        out.append("")
    facilities = f"the {n} facility" if n == 1 else f"all {n} facilities"
    out.append(f"Paper for all the kits of {facilities}:")
    for lang, counts in plan_totals(done).items():
        out.append(f"  {'in all' if lang == 'all' else lang}:")
        out += [f"    {k} sheets of {stock}" for stock, k in counts.items()]
    return "\n".join(out) + "\n"


def plan_totals(done: list[Done]) -> dict[str, dict[str, int]]:
    """Sheets of each paper for all the kits, per language and under "all"."""
    totals: dict[str, Counter[str]] = {}
    for d in done:
        for o in d.outputs:
            if o.job is not None and o.job.in_kit:
                n = o.job.sheets * o.job.kits
                totals.setdefault(o.lang, Counter())[o.job.stock] += n
                totals.setdefault("all", Counter())[o.job.stock] += n
    return {k: dict(sorted(v.items())) for k, v in sorted(totals.items(), key=_all_last)}


def _all_last(item: tuple[str, object]) -> tuple[bool, str]:
    return (item[0] == "all", item[0])
