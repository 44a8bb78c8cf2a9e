"""One kit per facility: `kitpress build --facility all` (or ids) and `check`.

The kit's files are read, parsed, and its layouts and fonts loaded once, in this
process (the first facility's kit is loaded here, which also finds any mistake common
to all of them before any work is shared out). Then the facilities are built in a
pool of worker processes forked from this one, so each worker starts with all of that
already in memory; each fills in its facility's values (placeholders.Texts), lays out
and draws the kit, and writes its files into a hidden staging folder inside OUT.
Only when every facility has been built are the staged files moved into place, all
together, by output.write_all: a failure in any facility writes nothing for any.
Ctrl-C (or SIGTERM) stops the workers and removes the staging folder.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import re
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from kitpress import interrupts
from kitpress.errors import InputError, KitpressError, Mark, OutputError, display_path
from kitpress.facilities import Row, Table, load_table
from kitpress.facilityplan import Done, Output, format_facilities_plan
from kitpress.forked import die_with
from kitpress.kept import KEPT, laid_out_once
from kitpress.kit import Kit, Problem, load_kit
from kitpress.options import Options
from kitpress.placeholders import Texts, named
from kitpress.printplan import format_plan
from kitpress.yamlio import YamlDoc

if TYPE_CHECKING:
    from kitpress.output import Staged

ALL = "all"
_STAGE = ".kitpress-facilities"
_STALE = re.compile(rf"^{re.escape(_STAGE)}\.(?P<pid>\d+)\.")


class UnknownFacility(InputError):
    """--facility names an id the facilities file does not have (a usage error)."""


@dataclass(frozen=True)
class Shard:
    """--shard K/N: the K-th of N shares of the facilities, K counted from 1. Share K
    holds the facilities at positions K, K+N, K+2N, … of those chosen, in the order of
    the facilities file."""

    k: int
    n: int

    def pick(self, rows: list[Row]) -> list[Row]:
        return rows[self.k - 1 :: self.n]

    def __str__(self) -> str:
        return f"{self.k}/{self.n}"


def parse_shard(text: str) -> Shard:
    """'2/4' -> Shard(2, 4). ValueError with what to write, for anything else."""
    m = re.fullmatch(r"\s*(\d{1,6})\s*/\s*(\d{1,6})\s*", text)
    if m is None:
        raise ValueError(f"{text[:20]!r}: write K/N, like 1/4 (the first of 4 shares)")
    k, n = int(m[1]), int(m[2])
    if n < 1:
        raise ValueError(f"{k}/{n}: N is how many shares, at least 1, like 1/4")
    if not 1 <= k <= n:
        raise ValueError(f"{k}/{n}: K counts from 1 to N, like 1/{n} … {n}/{n}")
    return Shard(k, n)


def choose(table: Table, wanted: tuple[str, ...], shard: Shard | None = None) -> list[Row]:
    """The facilities named (or all), in the file's order, then the shard's share."""
    names = [w.strip() for given in wanted for w in given.split(",") if w.strip()]
    if not names:
        raise UnknownFacility("--facility: give all, or ids separated by commas")
    ids = set(table.ids)
    for name in names:
        if name != ALL and name not in ids:
            import difflib

            close = difflib.get_close_matches(name, table.ids, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            shown = ", ".join(table.ids[:20]) + (" …" if len(ids) > 20 else "")
            raise UnknownFacility(
                f"--facility {name[:40]!r}: {table.file.name} has no facility with that id; "
                f"{hint}use all, or one of: {shown}"
            )
    rows = list(table.rows) if ALL in names else [r for r in table.rows if r.id in names]
    return shard.pick(rows) if shard else rows


@dataclass
class Result:
    facilities: list[Done] = field(default_factory=list)
    plan: str = ""
    out: Path | None = None
    shard: Shard | None = None


@dataclass(frozen=True)
class _Run:
    """Everything a worker needs, inherited when it is forked."""

    root: Path
    editions: tuple[str, ...]
    also: tuple[str, ...]
    options: Options
    table: Table
    rows: tuple[Row, ...]
    cache: dict[Path, YamlDoc]
    stage: Path | None  # None: check only


_RUN: _Run | None = None

Progress = Callable[[str, int, int], None]


def check_facilities(
    root: Path,
    options: Options,
    editions: tuple[str, ...],
    also: tuple[str, ...],
    wanted: tuple[str, ...],
    shard: Shard | None = None,
    jobs: int = 1,
    on_done: Progress | None = None,
) -> Result:
    """Lay out every chosen facility's kit, as a build would, writing nothing."""
    from kitpress.build import check_environment

    check_environment()
    table, rows = _chosen(root, wanted, shard)
    run = _Run(root, editions, also, options, table, tuple(rows), {}, None)
    return Result(_run_all(run, jobs, on_done), shard=shard)


def build_facilities(
    root: Path,
    out_dir: Path,
    options: Options,
    editions: tuple[str, ...],
    also: tuple[str, ...],
    wanted: tuple[str, ...],
    shard: Shard | None = None,
    jobs: int = 1,
    on_done: Progress | None = None,
    out_typed: bool = True,
) -> Result:
    """Build one kit per chosen facility into OUT/<id>/, and the print plan of them
    all at OUT/print-plan.txt: every file, or (on any failure) none."""
    from kitpress.build import check_environment, kit_title
    from kitpress.output import Staged, _make_folders, out_folder, write_all
    from kitpress.plan import PLAN

    check_environment()
    table, rows = _chosen(root, wanted, shard)
    real = out_folder(out_dir, root, out_typed)
    result = Result(out=out_dir, shard=shard)
    if not rows:
        return result
    made: list[Path] = []  # the folders made for OUT, taken away again if nothing is written
    _make_folders(real, made)
    _remove_stale(real)
    try:
        stage = Path(tempfile.mkdtemp(prefix=f"{_STAGE}.{os.getpid()}.", dir=real))
    except OSError as e:
        _unmake(made)
        raise OutputError(f"cannot write here ({e.strerror})", Mark(out_dir)) from None
    written = False
    try:
        run = _Run(root, editions, also, options, table, tuple(rows), {}, stage)
        result.facilities = _run_all(run, jobs, on_done)
        writes: list[tuple[Path, bytes | Staged]] = [
            (real / done.id / o.path, Staged(stage / done.id / o.path))
            for done in result.facilities
            for o in done.outputs
        ]
        if not options.only:
            title = kit_title(load_kit(root, editions, also, texts=_texts(run, rows[0])))
            result.plan = format_facilities_plan(result.facilities, title, shard)
            writes.append((real / PLAN, result.plan.encode("utf-8")))
        _flush(stage, [w for _, w in writes if isinstance(w, Staged)])
        write_all(writes, real)
        written = True
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        if not written:
            _unmake(made)
    return result


def _unmake(made: list[Path]) -> None:
    for folder in reversed(made):
        with contextlib.suppress(OSError):
            folder.rmdir()


def _chosen(root: Path, wanted: tuple[str, ...], shard: Shard | None) -> tuple[Table, list[Row]]:
    table = load_table(root)
    if table is None:
        raise UnknownFacility(
            f"--facility: this kit has no facilities.csv or facilities.yaml beside kit.yaml "
            f"({display_path(root)}); add one (see the README), or leave --facility out"
        )
    return table, choose(table, wanted, shard)


def _texts(run: _Run, row: Row) -> Texts:
    return Texts(run.root, run.table, row, run.cache)


def _run_all(run: _Run, jobs: int, on_done: Progress | None) -> list[Done]:
    """Each facility of the run, in a pool of `jobs` processes (or here, for one);
    the first failure, in the file's order, stops them all and is raised. The run's
    kit and the handouts kept for it are let go when it ends (a library caller may go
    on for long after)."""
    global _RUN, _PARENT
    _RUN = run
    _PARENT = os.getpid()
    KEPT.clear()  # handouts are kept within one run only
    try:
        return _each(run, jobs, on_done)
    finally:
        KEPT.clear()
        _RUN = None


def _each(run: _Run, jobs: int, on_done: Progress | None) -> list[Done]:
    # a check goes past a problem to list them all (each worker finds its own)
    going_past: list[Problem] | None = [] if run.stage is None else None
    try:
        # the first kit loaded here: every file read and parsed, the layouts and fonts
        # loaded, before the workers are forked with all of it in their memory
        load_kit(run.root, run.editions, run.also, going_past, texts=_texts(run, run.rows[0]))
    except KitpressError as e:
        raise named(e, run.rows[0], run.table) from None
    total = len(run.rows)
    done: list[Done] = []
    found = _Found(run.table)

    def got(i: int, one: Done | KitpressError) -> None:
        interrupts.stop_if_asked()
        if isinstance(one, KitpressError):
            if run.stage is not None:
                raise named(one, run.rows[i], run.table)
            found.add(one, run.rows[i])
        else:
            done.append(one)
        if on_done:
            on_done(run.rows[i].id, len(done) + found.facilities, total)

    jobs = max(1, min(jobs, total))
    # workers are forked, to start with the loaded kit: not where there is no fork
    # (Windows), nor on macOS, where a forked process may crash in system libraries
    if (
        jobs == 1
        or sys.platform == "darwin"
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        for i in range(total):
            got(i, _one(i))
        found.raise_any()
        return done
    # a ProcessPoolExecutor, not a multiprocessing.Pool: a worker that dies (the
    # kernel's out-of-memory killer) is an error here, where a Pool would wait forever
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_worker_start)
    try:
        futures = [pool.submit(_one, i) for i in range(total)]
        for i, future in enumerate(futures):
            try:
                one = future.result()
            except BrokenProcessPool:
                raise OutputError(
                    "a worker process stopped without a word (out of memory?); try fewer --jobs",
                    Mark(run.root),
                ) from None
            got(i, one)
    finally:
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()  # SIGTERM to every worker still at work
        pool.shutdown(wait=True, cancel_futures=True)
    found.raise_any()
    return done


class _Found:
    """The problems a check found, facility by facility, for `kitpress check` to list
    all of them: a problem that reads the same for several facilities (one in the
    kit's own words) is listed once, with how many other facilities have it."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.first: dict[str, tuple[KitpressError, Row]] = {}
        self.ids: dict[str, set[str]] = {}  # the facilities with each problem
        self.facilities = 0

    def add(self, error: KitpressError, row: Row) -> None:
        self.facilities += 1
        for one in error.every():
            key = str(one)
            self.first.setdefault(key, (one, row))
            self.ids.setdefault(key, set()).add(row.id)

    def raise_any(self) -> None:
        found = [
            named(one, row, self.table, len(self.ids[key]) - 1)
            for key, (one, row) in self.first.items()
        ]
        if found:
            first = found[0]
            first.others = tuple(found[1:])
            raise first


def _worker_start() -> None:
    """A worker is stopped by its parent (SIGTERM, when the run ends), never by the
    terminal's Ctrl-C, which the parent acts on for the whole run."""
    for s in (signal.SIGINT, getattr(signal, "SIGHUP", None)):
        if s is not None:
            signal.signal(s, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # as the pool's terminate expects
    die_with(_PARENT)


_PARENT = os.getpid()


def _one(i: int) -> Done | KitpressError:
    """Build (or check) the i-th facility of the run. Errors come back as values: the
    parent raises the first, so a worker's error is said as if it were built there."""
    run = _RUN
    assert run is not None
    row = run.rows[i]
    try:
        if run.stage is None:
            return _check(run, row)
        kit = load_kit(run.root, run.editions, run.also, texts=_texts(run, row))
        return _build(kit, row, _options(kit, row, run.options), run.stage / row.id)
    except KitpressError as e:
        return e  # named by the parent, which knows the facility
    finally:
        # A kitpress process runs without the cycle collector (__main__.main), and each
        # facility's kit leaves its cycles behind (ReportLab's documents and pages,
        # about 2 MB a facility): 10,000 facilities grew a worker past 5 GB. Collect
        # them here. Only the youngest generation: the objects made since the last
        # facility, so the cost follows this facility's work, not the run's length.
        if not gc.isenabled():
            gc.collect(0)


def _check(run: _Run, row: Row) -> Done | KitpressError:
    """Lay out one facility's kit as a build would, going past each problem to find
    them all (as `kitpress check` does for any kit): its Done, or the problems."""
    from kitpress.build import check_kit

    loading: list[Problem] = []
    kit = load_kit(run.root, run.editions, run.also, loading, texts=_texts(run, row))
    problems = [p.error for p in loading]
    results = check_kit(kit, _options(kit, row, run.options), problems)
    if problems:
        first = problems[0]
        first.others = (*first.others, *(e for p in problems[1:] for e in p.every()))
        return first
    notes = tuple(n for _, r in results for n in r.notes)
    pages = sum(r.pages for _, r in results)
    return Done(row.id, row.facility.name, row.mark.line, (), len(results), pages, notes)


def _build(kit: Kit, row: Row, options: Options, folder: Path) -> Done:
    from kitpress.build import kit_title, made_files
    from kitpress.plan import PLAN

    plan, made, web = made_files(kit, options, laid_out=laid_out_once(kit, options))
    lang_of = {folder: _lang(kit, folder) for folder in {m.path.parts[0] for m in made}}
    outputs = [Output(m.path, m.job.pages, m.job, lang_of[m.path.parts[0]], m.notes) for m in made]
    files = [(m.path, m.read()) for m in made] + list(web)
    outputs += [Output(path, 0, None) for path, _ in web]
    if plan.whole:
        text = format_plan([m.job for m in made], kit_title(kit)).encode("utf-8")
        files.append((PurePath(PLAN), text))
        outputs.append(Output(PurePath(PLAN), 0, None))
    for path, data in files:
        _stage(folder / path, data)
    return Done(row.id, row.facility.name, row.mark.line, tuple(outputs))


def _stage(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "xb") as f:
            f.write(data)  # made durable all at once, before the files move (_flush)
    except OSError as e:
        raise OutputError(f"cannot write the file ({e.strerror})", Mark(path)) from None


def _flush(stage: Path, staged: list[Staged]) -> None:
    """Put the staged files on disk before they are moved into place, as write_all
    does each file it writes, so a power cut after the move never leaves an empty
    file. One syncfs of the output's file system (Linux) instead of a sync per file:
    thousands of PDFs would otherwise wait for thousands of journal commits."""
    try:
        import ctypes

        fd = os.open(stage, os.O_RDONLY)
        try:
            if ctypes.CDLL(None, use_errno=True).syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
    except (OSError, AttributeError):
        pass  # no syncfs here: each file, then
    for item in staged:
        try:
            fd = os.open(item.path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as e:
            raise OutputError(f"cannot write the file ({e.strerror})", Mark(item.path)) from None


def _lang(kit: Kit, folder: str) -> str:
    from kitpress.editions import folder as folder_of

    for h in kit.handouts:
        if folder_of(h.lang, h.edition) == folder:
            return h.lang
    return folder


def _options(kit: Kit, row: Row, options: Options) -> Options:
    """The facility's own copies (copies, copies_<lang>), unless --copies was given."""
    from kitpress.editions import folder, printed

    if options.copies is not None:
        return options
    langs = kit.manifest.languages
    if all(row.facility.copies_in(lang) is None for lang in langs):
        return options
    copies = {}
    for h in kit.handouts:
        if printed(h.edition):
            name = folder(h.lang, h.edition)
            given = row.facility.copies_in(h.lang)
            copies[name] = given if given is not None else kit.manifest.copies_of(name, h.lang)
    return replace(options, copies=copies)


def _remove_stale(out: Path) -> None:
    """Staging folders a killed run (kill -9) left in OUT: removed when their process is gone."""
    from kitpress.output import _alive

    with contextlib.suppress(OSError):
        for name in os.listdir(out):
            m = _STALE.match(name)
            if m and not _alive(int(m["pid"])) and not (out / name).is_symlink():
                shutil.rmtree(out / name, ignore_errors=True)
