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
from kitpress.editions import EDITIONS
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
            pairs = [part.split("=", 1) for part in text.split(",") if part.strip()]
            return {key.strip(): _count(n.strip()) for key, n in pairs}
        except ValueError:
            self.fail(
                f"{text!r}: give a whole number like 40, or counts per language like en=30,es=10",
                param,
                ctx,
            )


def _count(text: str) -> int:
    n = int(text)
    if not 1 <= n <= 100_000:
        raise ValueError(text)
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
    metavar="N|LANG=N,…",
    help="Kits to print, for the print plan: 40, or per language or folder, like "
    "en=30,es=10,en-large=5 (default: the kit's copies, else 1).",
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
) -> None:
    """Build every handout of KIT_DIR into OUT/<language>/<handout>.pdf, the combined
    OUT/<language>/kit.pdf, and the print plan OUT/print-plan.txt.

    KIT_DIR defaults to ./kit if it exists, else the bundled default kit.
    """
    from kitpress.errors import KitpressError

    try:
        interrupts.begin()
        _build(
            kit_dir,
            out_dir,
            paper,
            edition,
            web,
            only,
            booklet,
            copies,
            quiet,
            as_json,
            flat,
            fronts_only,
            flip,
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
) -> None:
    from kitpress.build import build_kit
    from kitpress.errors import display_path
    from kitpress.kit import find_kit_dir, load_kit
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
    )
    typed = out_dir is not None
    out = out_dir if out_dir is not None else Path("out")
    kit = load_kit(find_kit_dir(kit_dir), options.edition, _also(options.web))
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
        for folder, count in _web_folders(result.web):
            click.echo(f"wrote {display_path(folder)}/ ({count} web page{'s' * (count != 1)})")
        if result.jobs:
            click.echo()
            click.echo(result.plan, nl=False)


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
            "web": [str(path) for path in result.web],
            "out": str(out_dir),
            "print_plan": str(out_dir / "print-plan.txt"),
        },
        indent=2,
    )


@cli.command()
@kit_argument
@paper_option
@edition_option
@web_option
def check(kit_dir: Path | None, paper: str | None, edition: tuple[str, ...], web: bool) -> None:
    """Validate and preflight every file of KIT_DIR; write nothing.

    Checks every YAML file against its schema, the layouts, the fonts and every
    character, and lays out every page to be sure the text fits.
    """
    from kitpress.errors import KitpressError

    try:
        interrupts.begin()
        _check(kit_dir, paper, edition, web)
    except KitpressError as e:
        _fail(e)
    except KeyboardInterrupt as e:
        _interrupted(e)
    except Exception:
        _interrupted_instead()
        raise
    interrupts.finish()


def _check(kit_dir: Path | None, paper: str | None, edition: tuple[str, ...], web: bool) -> None:
    from kitpress.build import check_kit
    from kitpress.errors import display_path
    from kitpress.kit import find_kit_dir, load_kit
    from kitpress.options import Options

    root = find_kit_dir(kit_dir)
    editions = tuple(dict.fromkeys(e.lower() for e in edition))
    kit = load_kit(root, editions, _also(web))
    results = check_kit(kit, Options(paper=paper and paper.lower(), web=web))
    for handout, rendered in results:
        which = "" if handout.edition == "standard" else f", {handout.edition}"
        click.echo(f"ok {display_path(handout.source.file)} ({_pages(rendered.pages)}{which})")
        for note in rendered.notes:
            click.echo(f"  note: {note}")
    click.echo(f"{display_path(root)}: {len(results)} handout(s) ready to build")


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
    from kitpress.kit import find_kit_dir
    from kitpress.options import Options
    from kitpress.preview.app import run, serve

    gc.enable()  # the preview runs for hours: cycles must be freed (see __main__.main)
    options = Options(
        paper=paper and paper.lower(),
        edition=tuple(dict.fromkeys(e.lower() for e in edition)),
    )
    try:
        interrupts.begin()  # from here Ctrl-C, SIGTERM and SIGHUP stop the preview
        try:
            live, server = serve(find_kit_dir(kit_dir), options, port or 0)
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
