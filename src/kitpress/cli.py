"""The `kitpress` command. Thin by design: parse options, call one library function,
print the result. Library errors become one line on stderr and exit code 1.

Heavy imports (ReportLab, pydantic) happen inside the commands so `--help` is instant.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from kitpress import __version__, interrupts

if TYPE_CHECKING:
    from kitpress.build import BuildResult
from kitpress.paper import PAPERS


def _fail(error: Exception) -> NoReturn:
    """One line and exit 1, unless a signal came first: then the error is what the
    interruption left behind (see interrupts.interruption), and that is what is said."""
    stop = interrupts.interruption()
    if stop is not None:
        _interrupted(stop)
    interrupts.finish()
    click.echo(str(error), err=True)
    sys.exit(1)


def _interrupted(stop: KeyboardInterrupt) -> NoReturn:
    """Ctrl-C or a kill: say what state the output folder is in, exit 128 + signal."""
    interrupts.finish()  # a second Ctrl-C must not cut this message short
    if getattr(stop, "written", False):
        click.echo("interrupted; the build had just been written in full", err=True)
    else:
        click.echo("interrupted; nothing was written, earlier outputs are as they were", err=True)
    sys.exit(128 + getattr(stop, "signum", signal.SIGINT))


def _interrupted_instead() -> None:
    """An unexpected error after a signal came is the signal's doing: say so."""
    stop = interrupts.interruption()
    if stop is not None:
        _interrupted(stop)


def _pages(n: int) -> str:
    return f"{n} page" + ("" if n == 1 else "s")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="kitpress")
def cli() -> None:
    """Turn a kit of plain YAML files into print-ready PDF handouts.

    Run `kitpress build` to build the kit in ./kit, or the bundled default kit.
    """


kit_argument = click.argument("kit_dir", required=False, type=click.Path(path_type=Path))
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
@click.option(
    "--only",
    multiple=True,
    metavar="NAME",
    help="Build only this handout (repeat for more); kit.pdf is left as it was.",
)
@click.option("--booklet", is_flag=True, help="Also write saddle-stitch booklets (2-up, folded).")
@click.option(
    "--copies",
    type=click.IntRange(1, 100_000),
    default=1,
    show_default=True,
    help="Kits to print: scales the totals in the print plan.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary of what was written.")
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
def build(
    kit_dir: Path | None,
    out_dir: Path | None,
    paper: str | None,
    only: tuple[str, ...],
    booklet: bool,
    copies: int,
    quiet: bool,
    as_json: bool,
    flat: bool,
    fronts_only: bool,
    flip: str | None,
) -> None:
    """Build every handout of KIT_DIR into OUT/<language>/<handout>.pdf, the combined
    OUT/<language>/kit.pdf, and the print plan OUT/print-plan.txt.

    KIT_DIR defaults to ./kit if it exists, else the bundled default kit.
    """
    from kitpress.errors import KitpressError

    try:
        interrupts.begin()
        _build(
            kit_dir, out_dir, paper, only, booklet, copies, quiet, as_json, flat, fronts_only, flip
        )
    except KitpressError as e:
        _fail(e)
    except KeyboardInterrupt as e:
        _interrupted(e)
    except Exception:
        _interrupted_instead()
        raise
    interrupts.finish()


def _build(
    kit_dir: Path | None,
    out_dir: Path | None,
    paper: str | None,
    only: tuple[str, ...],
    booklet: bool,
    copies: int,
    quiet: bool,
    as_json: bool,
    flat: bool,
    fronts_only: bool,
    flip: str | None,
) -> None:
    from kitpress.build import build_kit
    from kitpress.errors import display_path
    from kitpress.kit import find_kit_dir, load_kit
    from kitpress.options import Options
    from kitpress.progress import Progress

    options = Options(
        paper=paper and paper.lower(),
        only=only,
        booklet=booklet,
        copies=copies,
        flat=flat,
        fronts_only=fronts_only,
        flip="short" if flip and flip.lower() == "short" else ("long" if flip else None),
    )
    typed = out_dir is not None
    out = out_dir if out_dir is not None else Path("out")
    kit = load_kit(find_kit_dir(kit_dir))
    with Progress(enabled=not (quiet or as_json)) as progress:

        def step(label: str, done: int, total: int) -> None:
            interrupts.stop_if_asked()  # a Ctrl-C some library code swallowed
            progress.step(label, done, total)

        result = build_kit(kit, out, options, on_step=step, out_typed=typed)
    if as_json:
        click.echo(_summary_json(result, out))
    elif not quiet:
        for item in result.files:
            click.echo(f"wrote {display_path(item.path)} ({_pages(item.pages)})")
            for note in item.notes:
                click.echo(f"  note: {note}")
        click.echo()
        click.echo(result.plan, nl=False)


def _summary_json(result: BuildResult, out_dir: Path) -> str:
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
            "out": str(out_dir),
            "print_plan": str(out_dir / "print-plan.txt"),
        },
        indent=2,
    )


@cli.command()
@kit_argument
@paper_option
def check(kit_dir: Path | None, paper: str | None) -> None:
    """Validate and preflight every file of KIT_DIR; write nothing.

    Checks every YAML file against its schema, the layouts, the fonts and every
    character, and lays out every page to be sure the text fits.
    """
    from kitpress.errors import KitpressError

    try:
        interrupts.begin()
        _check(kit_dir, paper)
    except KitpressError as e:
        _fail(e)
    except KeyboardInterrupt as e:
        _interrupted(e)
    except Exception:
        _interrupted_instead()
        raise
    interrupts.finish()


def _check(kit_dir: Path | None, paper: str | None) -> None:
    from kitpress.build import check_kit
    from kitpress.errors import display_path
    from kitpress.kit import find_kit_dir, load_kit
    from kitpress.options import Options

    root = find_kit_dir(kit_dir)
    results = check_kit(load_kit(root), Options(paper=paper and paper.lower()))
    for handout, rendered in results:
        click.echo(f"ok {display_path(handout.source.file)} ({_pages(rendered.pages)})")
        for note in rendered.notes:
            click.echo(f"  note: {note}")
    click.echo(f"{display_path(root)}: {len(results)} handout(s) ready to build")


@cli.command()
@click.argument("kit_dir", required=False, default=Path("kit"), type=click.Path(path_type=Path))
def init(kit_dir: Path) -> None:
    """Copy the default kit into KIT_DIR (default: ./kit) to edit it.

    `kitpress build` and `kitpress check` then find ./kit on their own.
    """
    from kitpress.errors import KitpressError, display_path

    try:
        interrupts.begin()
        from kitpress.kit import copy_default_kit

        copy_default_kit(kit_dir)
        click.echo(
            f"copied the default kit to {display_path(kit_dir)}; edit its YAML files, then run"
        )
        click.echo("kitpress build" + ("" if kit_dir == Path("kit") else f" {kit_dir}"))
    except KitpressError as e:
        _fail(e)
    except KeyboardInterrupt as e:
        _interrupted(e)
    except Exception:
        _interrupted_instead()
        raise
    interrupts.finish()


def main() -> None:
    # Ctrl-C, SIGTERM (kill) and SIGHUP (a closed terminal) all stop a build the same
    # way: cleanly, saying what was left (see interrupts.py)
    interrupts.install()
    cli(prog_name="kitpress")
