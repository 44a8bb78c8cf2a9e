"""The `kitpress` command. Thin by design: parse options, call one library function,
print the result. Library errors become one line on stderr and exit code 1.

Heavy imports (ReportLab, pydantic) happen inside the commands so `--help` is instant.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from kitpress import __version__, exiting, facilitycli, interrupts

if TYPE_CHECKING:
    from kitpress.build import BuildResult
    from kitpress.errors import KitpressError
    from kitpress.kit import Kit
    from kitpress.prefetch import Prefetch
from kitpress.editions import EDITIONS
from kitpress.paper import PAPERS


def _fail(error: Exception, as_json: bool = False) -> NoReturn:
    """One line and exit 1, unless a signal came first: then the error is what the
    interruption left behind (see interrupts.interruption), and that is what is said."""
    _fail_all([error], as_json)


# `kitpress check` lists this many problems, then says how many more there are
MAX_LISTED = 50


def _fail_all(errors: list[Exception], as_json: bool = False) -> NoReturn:
    """Every problem, one line each in the order of the files (or as JSON on stdout),
    and exit 1; a signal that came first is said instead (see _fail)."""
    stop = interrupts.interruption()
    if stop is not None:
        _interrupted(stop)
    interrupts.finish()
    from kitpress.errors import problem_key

    unique = sorted({str(e): e for e in errors}.values(), key=problem_key)
    shown, more = unique[:MAX_LISTED], len(unique) - MAX_LISTED
    if as_json:
        click.echo(_errors_json(shown, max(more, 0)))
    else:
        for error in shown:
            click.echo(str(error), err=True)
        if more > 0:
            click.echo(f"… and {more:,} more problem{'s' * (more != 1)}", err=True)
    sys.exit(1)


def _errors_json(errors: list[Exception], more: int) -> str:
    """The documented shape (README, "Errors as JSON"): {"errors": [{file, line,
    column, key, message}, …], "more": N}; what is not known is null."""
    import json

    from kitpress.errors import KitpressError, display_path, format_key_path, one_line

    def entry(e: Exception) -> dict[str, object]:
        if not isinstance(e, KitpressError):
            return {"file": None, "line": None, "column": None, "key": None, "message": str(e)}
        mark = e.mark
        return {
            "file": display_path(mark.file) if mark is not None else None,
            "line": mark.line if mark is not None else None,
            "column": mark.column if mark is not None else None,
            "key": format_key_path(e.key_path) or None,
            "message": one_line(e.message),
        }

    return json.dumps({"errors": [entry(e) for e in errors], "more": more}, indent=2)


def _interrupted(stop: KeyboardInterrupt) -> NoReturn:
    """Ctrl-C or a kill: say what state the output folder is in, exit 128 + signal."""
    interrupts.finish()  # a second Ctrl-C must not cut this message short
    if getattr(stop, "written", False):
        click.echo("interrupted; the build had just been written in full", err=True)
    else:
        click.echo("interrupted; nothing was written, earlier outputs are as they were", err=True)
    signum = getattr(stop, "signum", None) or interrupts.pending() or signal.SIGINT
    sys.exit(128 + signum)


def _interrupted_instead() -> None:
    """An unexpected error after a signal came is the signal's doing: say so."""
    stop = interrupts.interruption()
    if stop is not None:
        _interrupted(stop)


@contextlib.contextmanager
def _guarded(as_json: bool = False, every: bool = False) -> Iterator[None]:
    """A command's work, from the moment Ctrl-C, SIGTERM and SIGHUP stop it cleanly:
    a problem in the kit is one line and exit 1 (`every`: with the others found with
    it), an option the kit shows to be wrong is a usage error (exit 2), a signal says
    what it left, and a bug still shows its traceback."""
    from kitpress.errors import BadOption, KitpressError

    try:
        interrupts.begin()
        yield
    except BadOption as e:
        raise click.BadParameter(e.message, param_hint=f"'{e.option}'") from None
    except KitpressError as e:
        _fail_all(list(e.every()) if every else [e], as_json)
    except KeyboardInterrupt as e:
        _interrupted(e)
    except Exception:
        _interrupted_instead()
        raise
    interrupts.finish()


EXAMPLE_NOTICE = "no kit here: {doing} the example kit; `kitpress init` makes your own"


_COMMANDS = {"building": "build", "checking": "check", "showing": "preview"}


def _kit_dir(given: Path | None, doing: str) -> Path:
    """The kit a command works on (kit.find_kit_dir). The bundled example is never
    built silently: its group and numbers are no one's, and must not be printed by
    mistake for a group that ran kitpress in the wrong folder. `doing`: what the
    command does with it ("building"), for that notice."""
    from kitpress.kit import find_kit_dir

    root = find_kit_dir(given, _COMMANDS[doing])
    if _the_example(given, root):
        click.echo(EXAMPLE_NOTICE.format(doing=doing), err=True)
    return root


def _the_example(given: Path | None, root: Path) -> bool:
    """No kit was found, so the bundled example is used (and said so)."""
    from kitpress.paths import bundled

    return given is None and root == bundled("kit")


def _stand_ins(kit: Kit, given: Path | None) -> list[str]:
    """The example's stand-ins left in a kit (standins.py); none for the example itself
    when it is used for want of a kit: the notice said to make one of your own."""
    from kitpress.standins import stand_ins

    return [] if _the_example(given, kit.root) else stand_ins(kit)


def _pages(n: int) -> str:
    return f"{n} page" + ("" if n == 1 else "s")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="kitpress")
def cli() -> None:
    """Turn a kit of plain YAML files into print-ready PDF handouts.

    Run `kitpress build` in a kit folder (or beside ./kit) to build it; `kitpress init`
    copies the example kit for you to make your own.
    """


kit_argument = click.argument("kit_dir", required=False, type=click.Path(path_type=Path))


class CopiesType(click.ParamType):
    """--copies 40, or --copies en=30,es=10 (per language or output folder)."""

    name = "copies"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, (int, dict)):
            return value
        text = str(value).strip()
        try:
            if "=" not in text:
                return _count(text)
            pairs = [part.partition("=") for part in text.split(",") if part.strip()]
            return {key.strip(): _count(n.strip()) for key, _, n in pairs}
        except ValueError as e:
            from kitpress.errors import clip

            self.fail(
                f"copies must be a whole number like 40{e}, or counts per language like "
                f"en=30,es=10 (not {clip(text, 30)!r})",
                param,
                ctx,
            )


def _merged_copies(given: tuple[int | dict[str, int], ...]) -> int | dict[str, int] | None:
    """--copies given more than once: per-language counts add up to one table (an
    organiser writes --copies en=30 --copies es=10); what contradicts itself is refused,
    never settled by keeping the last one, which would print a wrong paper count."""
    if len(given) <= 1:
        return given[0] if given else None
    if any(isinstance(g, int) for g in given):
        raise click.BadParameter(
            "give one number for every language (--copies 40), or counts per language "
            "(--copies en=30,es=10), once",
            param_hint="'--copies'",
        )
    merged: dict[str, int] = {}
    for counts in given:
        assert isinstance(counts, dict)
        for key, n in counts.items():
            if merged.setdefault(key, n) != n:
                raise click.BadParameter(
                    f"{key} is given {merged[key]} and {n}; give it once", param_hint="'--copies'"
                )
    return merged


def _count(text: str) -> int:
    """A number of kits; ValueError with what more to say of the number wanted."""
    if not text.isdigit():
        raise ValueError("")
    n = int(text)
    if not 1 <= n <= 100_000:
        raise ValueError(" (from 1 to 100,000)")
    return n


edition_option = click.option(
    "--edition",
    multiple=True,
    type=click.Choice(list(EDITIONS), case_sensitive=False),
    help="Build this edition (repeat for more; default: the kit's editions).",
)
web_option = click.option(
    "--web",
    is_flag=True,
    help="Also write the web edition: HTML pages for phones, in OUT/web/<language>/.",
)
paper_option = click.option(
    "--paper",
    type=click.Choice(list(PAPERS), case_sensitive=False),
    help="Paper size (default: the kit's, else letter).",
)


@cli.command()
@kit_argument
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder to write the PDFs into.  [default: out]",
)
@paper_option
@edition_option
@web_option
@click.option(
    "--only",
    multiple=True,
    metavar="NAME",
    help="Build only this handout (repeat for more); kit.pdf is left as it was.",
)
@click.option("--booklet", is_flag=True, help="Also write saddle-stitch booklets (2-up, folded).")
@click.option(
    "--copies",
    type=CopiesType(),
    multiple=True,
    callback=lambda ctx, param, given: _merged_copies(given),
    metavar="N|LANG=N,…",
    help="Kits to print, for the print plan: 40, or per language or folder, like "
    "en=30,es=10,en-large=5 (repeatable; default: the kit's copies, else 1).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print a JSON summary of what was written, or the error as JSON (see the README).",
)
@click.option("--flat", is_flag=True, help="Worksheets: print-only, with no form fields.")
@click.option(
    "--fronts-only",
    is_flag=True,
    help="Card decks: fronts only, for a printer that cannot print both sides.",
)
@click.option(
    "--flip",
    type=click.Choice(("long", "short"), case_sensitive=False),
    help="Card decks: the edge the printer turns the sheet on (default: the layout's).",
)
@facilitycli.options
def build(
    kit_dir: Path | None,
    out_dir: Path | None,
    paper: str | None,
    edition: tuple[str, ...],
    web: bool,
    only: tuple[str, ...],
    booklet: bool,
    copies: int | dict[str, int] | None,
    quiet: bool,
    as_json: bool,
    flat: bool,
    fronts_only: bool,
    flip: str | None,
    facility: tuple[str, ...],
    jobs: int | None,
    shard: object,
) -> None:
    """Build every handout of KIT_DIR into OUT/<language>/<handout>.pdf, the combined
    OUT/<language>/kit.pdf, and the print plan OUT/print-plan.txt.

    KIT_DIR defaults to this folder if it holds kit.yaml, else ./kit, else the
    bundled example kit (saying so). With --facility, one such kit per facility goes
    into OUT/<id>/ (see the README).
    """
    if quiet and as_json:
        raise click.UsageError("give -q or --json, not both: with --json only the JSON is printed")
    facilitycli.check_usage(facility, jobs, shard, building=True)
    with _guarded(as_json), _parsed_ahead(kit_dir, jobs, facility) as ahead:
        from kitpress import forked
        from kitpress.build import build_kit
        from kitpress.errors import display_path
        from kitpress.kit import load_kit
        from kitpress.options import Options
        from kitpress.progress import Progress

        options = Options(
            paper=paper and paper.lower(),
            edition=tuple(dict.fromkeys(e.lower() for e in edition)),
            web=web,
            only=only,
            booklet=booklet,
            copies=copies,
            flat=flat,
            fronts_only=fronts_only,
            flip="short" if flip and flip.lower() == "short" else ("long" if flip else None),
            jobs=jobs or forked.default_jobs(),
        )
        typed = out_dir is not None
        out = out_dir if out_dir is not None else Path("out")
        root = _kit_dir(kit_dir, "building")
        if facility:
            # one kit after another here: what each lets go of last is freed as it goes
            exiting.park_until_exit(False)
            also = _also(options.web)
            facilitycli.build(
                root, out, typed, options, also, facility, jobs, shard, quiet, as_json
            )
            return
        with ahead.used():
            kit = load_kit(root, options.edition, _also(options.web))
        with Progress(enabled=not (quiet or as_json)) as progress:

            def step(label: str, done: int, total: int) -> None:
                interrupts.stop_if_asked()  # a Ctrl-C some library code swallowed
                progress.step(label, done, total)

            result = build_kit(kit, out, options, on_step=step, out_typed=typed)
        warnings = [] if quiet or not result.jobs else _stand_ins(kit, kit_dir)  # (printed)
        if as_json:
            click.echo(_summary_json(result, out, warnings))
        elif not quiet:
            for item in result.files:
                click.echo(f"wrote {display_path(item.path)} ({_pages(item.pages)})")
                for note in item.notes:
                    click.echo(f"  note: {note}")
            for folder, count in _web_folders(result.web):
                click.echo(f"wrote {display_path(folder)}/ ({count} web page{'s' * (count != 1)})")
            if result.jobs:
                click.echo()
                click.echo(result.plan, nl=False)
            _warn(warnings)


@contextlib.contextmanager
def _parsed_ahead(
    kit_dir: Path | None, jobs: int | None, facility: tuple[str, ...]
) -> Iterator[Prefetch]:
    """The kit's YAML parsed in a second process while this one imports the libraries
    (prefetch.py), for a build or check of one kit, where two processes may be used."""
    from kitpress import lazyre

    lazyre.import_yaml()  # the first to import it (see there)
    from kitpress import forked, prefetch

    wanted = not facility and (jobs or forked.default_jobs()) > 1
    with prefetch.started(kit_dir, wanted) as ahead:
        yield ahead


def _warn(warnings: list[str]) -> None:
    """Last, where they are seen: on stderr, apart from what was written."""
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)


def _also(web: bool) -> tuple[str, ...]:
    from kitpress.editions import WEB

    return (WEB,) if web else ()


def _web_folders(paths: list[Path]) -> list[tuple[Path, int]]:
    """Each folder of web pages (OUT/web/en) and how many pages were written there."""
    counts: dict[Path, int] = {}
    for path in paths:
        if path.suffix == ".html" and path.parent.parent.name == "web":
            counts[path.parent] = counts.get(path.parent, 0) + 1
    return sorted(counts.items())


def _summary_json(result: BuildResult, out_dir: Path, warnings: list[str]) -> str:
    import json

    return json.dumps(
        {
            "files": [
                {
                    "path": str(job.path),
                    "pages": job.pages,
                    "sheets": job.sheets,
                    "double_sided": job.double_sided,
                    "paper": job.stock,
                    "notes": list(item.notes),
                }
                for item, job in zip(result.files, result.jobs, strict=True)
            ],
            "web": [str(path) for path in result.web],
            "out": str(out_dir),
            "print_plan": str(out_dir / "print-plan.txt"),
            "warnings": warnings,
            "errors": [],
        },
        indent=2,
    )


@cli.command()
@kit_argument
@paper_option
@edition_option
@web_option
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the handouts checked, or every problem, as JSON (see the README).",
)
@facilitycli.options
def check(
    kit_dir: Path | None,
    paper: str | None,
    edition: tuple[str, ...],
    web: bool,
    as_json: bool,
    facility: tuple[str, ...],
    jobs: int | None,
    shard: object,
) -> None:
    """Validate and preflight every file of KIT_DIR; write nothing.

    Checks every YAML file against its schema, the layouts, the fonts and every
    character, and lays out every page to be sure the text fits. Lists every problem
    it finds (up to 50), one line each, in the order of the files.
    """
    facilitycli.check_usage(facility, jobs, shard)
    with _guarded(as_json, every=True), _parsed_ahead(kit_dir, None, facility) as ahead:
        problems = _check(kit_dir, paper, edition, web, as_json, ahead, (facility, jobs, shard))
        if problems:
            _fail_all(list(problems), as_json)


def _check(
    kit_dir: Path | None,
    paper: str | None,
    edition: tuple[str, ...],
    web: bool,
    as_json: bool,
    ahead: Prefetch,
    facilities: tuple[tuple[str, ...], int | None, object] = ((), None, None),
) -> list[KitpressError]:
    """Check the kit, print what is ready, and return the problems found (none printed).
    A kit built per facility is checked for each (the first problem is raised).
    `ahead`: its YAML files parsed as the libraries imported (prefetch.py)."""
    from kitpress.build import check_kit
    from kitpress.errors import display_path
    from kitpress.kit import Problem, load_kit
    from kitpress.options import Options

    root = _kit_dir(kit_dir, "checking")
    editions = tuple(dict.fromkeys(e.lower() for e in edition))
    options = Options(paper=paper and paper.lower(), web=web, edition=editions)
    if facilities[0]:
        facilitycli.check(root, options, editions, _also(web), *facilities, as_json)
        return []
    from kitpress.placeholders import NotChosen

    loading: list[Problem] = []
    try:
        with ahead.used():
            kit = load_kit(root, editions, _also(web), loading)
        per_facility = any(isinstance(p.error, NotChosen) for p in loading)
    except NotChosen:
        per_facility = True
    if per_facility:  # a kit built per facility: check them all
        facilitycli.check(root, options, editions, _also(web), ("all",), None, None, as_json)
        return []
    problems = [p.error for p in loading]
    results = check_kit(kit, Options(paper=paper and paper.lower(), web=web), problems)
    if problems:
        return problems
    warnings = _stand_ins(kit, kit_dir)
    if as_json:
        import json

        handouts = [
            {
                "file": display_path(h.source.file),
                "edition": h.edition,
                "pages": rendered.pages,
                "notes": list(rendered.notes),
            }
            for h, rendered in results
        ]
        click.echo(json.dumps({"handouts": handouts, "warnings": warnings, "errors": []}, indent=2))
        return []
    for handout, rendered in results:
        which = "" if handout.edition == "standard" else f", {handout.edition}"
        click.echo(f"ok {display_path(handout.source.file)} ({_pages(rendered.pages)}{which})")
        for note in rendered.notes:
            click.echo(f"  note: {note}")
    shown = display_path(root)
    shown = "this kit folder" if shown == "." else shown  # run from inside the kit
    click.echo(f"{shown}: {len(results)} handout(s) ready to build")
    _warn(warnings)
    return []


@cli.command()
@kit_argument
@paper_option
@edition_option
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    help="Answer on this port (default: a free one).",
)
@click.option("--no-open", is_flag=True, help="Do not open the browser; just print the address.")
def preview(
    kit_dir: Path | None,
    paper: str | None,
    edition: tuple[str, ...],
    port: int | None,
    no_open: bool,
) -> None:
    """Show KIT_DIR in your browser as it will print, and follow your edits.

    Every handout, in each language and edition, as pages; each save to the kit's
    files updates the page, and every problem is listed where it is. Nothing is
    written anywhere: download the PDFs from the page. The page answers on this
    computer only (127.0.0.1). Ctrl-C stops it.
    """
    import gc

    from kitpress.errors import KitpressError
    from kitpress.options import Options
    from kitpress.preview.app import run, serve

    gc.enable()  # the preview runs for hours: cycles must be freed (see __main__.main)
    exiting.park_until_exit(False)  # and so must what each build lets go of last
    options = Options(
        paper=paper and paper.lower(),
        edition=tuple(dict.fromkeys(e.lower() for e in edition)),
    )
    try:
        interrupts.begin()  # from here Ctrl-C, SIGTERM and SIGHUP stop the preview
        try:
            live, server = serve(_kit_dir(kit_dir, "showing"), options, port or 0)
        except KitpressError as e:
            _fail(e)
        except OSError as e:  # the port is taken, or not ours to use
            _fail(
                OSError(
                    f"cannot answer on port {port} ({e.strerror}); choose another with --port, "
                    "or leave --port out to use a free one"
                )
            )
        run(live, server, click.echo, open_browser=not no_open)
    except KeyboardInterrupt:
        interrupts.finish()
        click.echo("preview stopped; nothing was written")
        return
    interrupts.finish()


@cli.command()
@click.argument("kit_dir", required=False, default=Path("kit"), type=click.Path(path_type=Path))
def init(kit_dir: Path) -> None:
    """Copy the example kit into KIT_DIR (default: ./kit) to make it your own.

    `kitpress build` and `kitpress check` then find ./kit on their own. Each file
    starts with a line that points editors (VS Code's YAML extension) at its schema in
    KIT_DIR/.schemas/, for completion and checking as you type.
    """
    from kitpress.errors import display_path

    with _guarded():
        from kitpress.kit import copy_default_kit

        copy_default_kit(kit_dir)
        click.echo(
            f"copied the default kit to {display_path(kit_dir)}; edit its YAML files, then run"
        )
        click.echo("kitpress build" + ("" if kit_dir == Path("kit") else f" {kit_dir}"))


@cli.command()
@click.argument("name", required=False)
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Write the schemas (or the one named) into this folder as NAME.schema.json.",
)
def schema(name: str | None, out_dir: Path | None) -> None:
    """JSON Schemas of the kit's files, for an editor to complete keys and underline
    mistakes (see the README: "Completion in your editor").

    With NAME, print that schema; with --out, write them into a folder; with neither,
    list their names. `kitpress init` puts them in the new kit for you.
    """
    from kitpress import schema as schemas
    from kitpress.errors import OutputError, display_path

    if name is not None and name not in schemas.names():
        import difflib

        close = difflib.get_close_matches(name, schemas.names(), n=1)
        hint = f"did you mean '{close[0]}'?" if close else "see `kitpress schema` for the names"
        raise click.BadParameter(f"no schema named {name!r}; {hint}", param_hint="NAME")
    if out_dir is None and name is not None:
        click.echo(schemas.text(name), nl=False)
        return
    if out_dir is None:
        width = max(len(n) for n, _ in schemas.described())
        for n, about in schemas.described():
            click.echo(f"{n:<{width}}  {about}")
        click.echo("\nkitpress schema NAME prints one; kitpress schema --out DIR writes them all")
        return
    with _guarded():
        from kitpress.output import write_all

        chosen = [name] if name is not None else schemas.names()
        files = [(out_dir / schemas.schema_file(n), schemas.text(n).encode()) for n in chosen]
        try:
            write_all(files, out_dir)
        except OSError as e:
            raise OutputError(f"cannot write the schemas here ({e.strerror})") from None
        count = len(files)
        click.echo(f"wrote {display_path(out_dir)}/ ({count} schema{'s' * (count != 1)})")


def main() -> None:
    # Ctrl-C, SIGTERM (kill) and SIGHUP (a closed terminal) all stop a build the same
    # way: cleanly, saying what was left (see interrupts.py)
    interrupts.install()
    cli(prog_name="kitpress")
