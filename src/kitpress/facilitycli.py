"""The command line of outreach builds: --facility, --jobs and --shard for `build` and
`check`, and what they print. Kept apart from cli.py, which only adds the options and
hands over when --facility is given."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


class ShardType(click.ParamType):
    """--shard K/N: the K-th (from 1) of N shares of the facilities."""

    name = "K/N"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None):
        from kitpress.outreach import Shard, parse_shard

        if isinstance(value, Shard):
            return value
        try:
            return parse_shard(str(value))
        except ValueError as e:
            self.fail(str(e), param, ctx)


_JOBS_HELP = {
    "build": "Processes to build in at once: a kit's languages, and each one's kit.pdf, "
    "side by side, or with --facility, facilities (default: the number of CPUs; 1: one "
    "process).",
    "check": "With --facility: facilities checked at once, in worker processes "
    "(default: the number of CPUs).",
}


def options(command: F) -> F:
    """The three options, for `build` and `check` (named as the function is)."""
    command = click.option(
        "--shard",
        type=ShardType(),
        help="With --facility: build only share K of N (K from 1): facilities K, K+N, "
        "K+2N, … of those chosen, for one job of a CI matrix or job array.",
    )(command)
    command = click.option(
        "--jobs",
        "-j",
        type=click.IntRange(1, 512),
        help=_JOBS_HELP[command.__name__],
    )(command)
    return click.option(
        "--facility",
        multiple=True,
        metavar="all|ID,…",
        help="Build one kit per facility of the kit's facilities.csv or facilities.yaml, "
        "into OUT/<id>/: all, or ids (comma-separated or repeated).",
    )(command)


def check_usage(
    facility: tuple[str, ...], jobs: int | None, shard: object, building: bool = False
) -> None:
    """--shard needs --facility; so does --jobs for `check` (a build's languages are
    also built side by side, so `build` takes it alone)."""
    if not facility and ((jobs is not None and not building) or shard is not None):
        flag = "--shard" if shard is not None else "--jobs"
        raise click.UsageError(f"{flag} works with --facility; add --facility all (or ids)")


def _usage(run: Callable[[], Any]) -> Any:
    """An unknown id or a kit with no facilities file: a usage error (exit 2)."""
    from kitpress.outreach import UnknownFacility

    try:
        return run()
    except UnknownFacility as e:
        raise click.UsageError(str(e)) from None


def build(
    root: Path,
    out: Path,
    typed: bool,
    options: Any,
    also: tuple[str, ...],
    facility: tuple[str, ...],
    jobs: int | None,
    shard: Any,
    quiet: bool,
    as_json: bool,
) -> None:
    from kitpress import interrupts
    from kitpress.errors import display_path
    from kitpress.forked import default_jobs
    from kitpress.outreach import build_facilities
    from kitpress.progress import Progress

    with Progress(enabled=not (quiet or as_json)) as progress:

        def done(label: str, n: int, total: int) -> None:
            interrupts.stop_if_asked()
            progress.finished(label, n, total)

        result = _usage(
            lambda: build_facilities(
                root,
                out,
                options,
                options.edition,
                also,
                facility,
                shard,
                jobs or default_jobs(),
                done,
                typed,
            )
        )
    if as_json:
        click.echo(json.dumps(_json(result, out), indent=2))
        return
    if quiet:
        return
    if not result.facilities:
        click.echo(f"shard {shard}: no facilities in this share; nothing was written")
        return
    for d in result.facilities:
        pdfs = [o for o in d.outputs if o.job is not None]
        pages = sum(o.pages for o in pdfs)
        web = sum(1 for o in d.outputs if o.path.suffix == ".html")
        made = f"{len(pdfs)} PDFs, {pages} pages" + (f", {web} web pages" if web else "")
        click.echo(f"wrote {display_path(out / d.id)}/ ({made}): {d.name}")
        for o in d.outputs:
            for note in o.notes:
                click.echo(f"  note: {o.path.as_posix()}: {note}")
    if result.plan:
        click.echo()
        click.echo(result.plan, nl=False)


def _json(result: Any, out: Path) -> dict[str, Any]:
    from kitpress.facilityplan import plan_totals
    from kitpress.plan import PLAN

    return {
        "facilities": [
            {
                "id": d.id,
                "name": d.name,
                "out": str(out / d.id),
                "files": [
                    {
                        "path": str(out / d.id / o.path),
                        "language": o.lang,
                        "pages": o.job.pages,
                        "sheets": o.job.sheets,
                        "double_sided": o.job.double_sided,
                        "paper": o.job.stock,
                        "kits": o.job.kits if o.job.in_kit else None,
                        "notes": list(o.notes),
                    }
                    for o in d.outputs
                    if o.job is not None
                ],
                "web": [str(out / d.id / o.path) for o in d.outputs if o.path.suffix == ".html"],
            }
            for d in result.facilities
        ],
        "totals": plan_totals(result.facilities),
        "shard": str(result.shard) if result.shard else None,
        "out": str(out),
        "print_plan": str(out / PLAN) if result.plan else None,
    }


def check(
    root: Path,
    options: Any,
    editions: tuple[str, ...],
    also: tuple[str, ...],
    facility: tuple[str, ...],
    jobs: int | None,
    shard: Any,
    as_json: bool = False,
) -> None:
    from kitpress import interrupts
    from kitpress.errors import display_path
    from kitpress.forked import default_jobs
    from kitpress.outreach import check_facilities
    from kitpress.progress import Progress

    with Progress(enabled=not as_json) as progress:

        def done(label: str, n: int, total: int) -> None:
            interrupts.stop_if_asked()
            progress.finished(label, n, total)

        result = _usage(
            lambda: check_facilities(
                root, options, editions, also, facility, shard, jobs or default_jobs(), done
            )
        )
    if as_json:
        import json

        checked = [
            {
                "id": d.id,
                "name": d.name,
                "handouts": d.handouts,
                "pages": d.pages,
                "notes": list(dict.fromkeys(d.notes)),
            }
            for d in result.facilities
        ]
        click.echo(json.dumps({"facilities": checked, "errors": []}, indent=2))
        return
    for d in result.facilities:
        name = " ".join(d.name.split())  # a CSV cell may hold a line break
        click.echo(f"ok {d.id} ({d.handouts} handouts, {d.pages} pages): {name}")
        for note in dict.fromkeys(d.notes):
            click.echo(f"  note: {note}")
    n = len(result.facilities)
    click.echo(f"{display_path(root)}: {n} facilit{'y' if n == 1 else 'ies'} ready to build")
