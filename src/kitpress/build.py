"""Building a loaded kit: make the plan (plan.py), lay out every handout once, draw
each as its own PDF and, for a whole build, into each language's kit.pdf; then write
every file together, and the print plan. (With --jobs, a language's kit.pdf may be made
in a process of its own, which lays out and draws its handouts again: see _parts.)

Each PDF goes to a temporary file in the output folder as soon as it is drawn
(output.Early: a 2,000-page kit is not held in memory), and only when every file is
made are they all moved into place at once (output.write_all); a failure part-way
removes them, so it changes nothing.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, TypeGuard

from kitpress import exiting, forked, interrupts
from kitpress.errors import FitError, InputError, KitpressError, Mark, OutputError
from kitpress.kit import MANIFEST, CoverPage, Handout, Kit
from kitpress.options import Options
from kitpress.output import Beside, Early, early_writes, out_folder, write_all
from kitpress.paper import Paper
from kitpress.plan import PLAN, Plan, Variant, combined_path, handout_path, make_plan
from kitpress.printplan import PrintJob, format_plan
from kitpress.render.context import Bindable, Printing, RenderContext, Rendered

if TYPE_CHECKING:
    from kitpress.render.cover import PageNumber
    from kitpress.render.flowing import Flowed
    from kitpress.render.halves import Halves
    from kitpress.render.kitpdf import Binder


@dataclass(frozen=True)
class Built:
    path: Path
    pages: int
    notes: tuple[str, ...] = ()


@dataclass
class BuildResult:
    files: list[Built] = field(default_factory=list)
    jobs: list[PrintJob] = field(default_factory=list)
    plan: str = ""
    web: list[Path] = field(default_factory=list)  # the web edition's files (not printed)


@dataclass(frozen=True)
class Made:
    """One finished file: in memory, or (a build given an Early) already in its
    temporary file beside its target."""

    path: PurePath  # relative to the output folder
    data: bytes | Beside
    job: PrintJob
    notes: tuple[str, ...] = ()

    def read(self) -> bytes:
        """The file's bytes."""
        return self.data.temp.read_bytes() if isinstance(self.data, Beside) else self.data


@dataclass(frozen=True)
class Part:
    """What one process makes of the plan (see _parts): its files, or only the
    handouts' own files, or only each language's kit.pdf."""

    plan: Plan
    own: bool = True  # each handout's own PDF (and what comes with it)
    bound: bool = True  # each language's kit.pdf

    @property
    def units(self) -> list[PurePath]:
        """What it makes, one path for each step, in the order one process makes them."""
        own = [handout_path(h) for h in self.plan.handouts] if self.own else []
        return own + ([combined_path(v) for v in self.plan.combined] if self.bound else [])


Step = Callable[[str, int, int], None]
# kit.pdf: every handout starts on a right-hand page, so it is printed double-sided
KIT_PRINTING = Printing("long")


def context(
    kit: Kit, part: Handout | CoverPage, title: str, paper: Paper, options: Options
) -> RenderContext[Any]:
    return RenderContext(
        manifest=kit.manifest.masthead(part.lang),
        layout=part.layout,
        fonts=part.fonts,
        labels=part.labels,
        paper=paper,
        lang=part.lang,
        title=title,
        options=options,
        manifest_source=kit.manifest_source,
        web_link=_web_link(kit, part),
        edition=part.edition,
    )


def _web_link(kit: Kit, part: Handout | CoverPage) -> str | None:
    """Where this handout's page is in the web edition (the cover: the kit's index)."""
    if kit.manifest.web is None:
        return None
    page = f"{part.file}.html" if isinstance(part, Handout) else ""
    return f"{kit.manifest.web}/{part.lang}/{page}"


def lay_out(kit: Kit, h: Handout, paper: Paper, options: Options) -> Rendered:
    """Lay out one handout; nothing is drawn until its PDF is asked for."""
    return h.kind.render(h.content, context(kit, h, h.title, paper, options), h.source)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Hold Python's cycle collector while pages are laid out and drawn. A laid-out
    handout keeps every page's flowables until it is drawn, and the collector would
    walk that growing heap again and again: on a 200-page checklist it cost a third of
    the build. Reference counting still frees what is dropped; cycles wait for after."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def check_environment() -> None:
    """SOURCE_DATE_EPOCH, when set, dates every PDF: it must be whole seconds."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value and not value.isdigit():
        raise InputError(
            f"SOURCE_DATE_EPOCH is {value!r}; set it to a whole number of seconds since "
            "1970 (like 1700000000), or unset it"
        )


def check_kit(
    kit: Kit, options: Options | None = None, problems: list[KitpressError] | None = None
) -> list[tuple[Handout, Rendered]]:
    """Lay out every handout and each language's cover without drawing or writing
    anything, so `check` fails on exactly what `build` would fail on.

    Given a list as `problems`, a handout that does not fit goes into it and the others
    are still laid out, so `kitpress check` can list every problem in one run."""
    check_environment()
    options = options or Options()
    plan = make_plan(kit, options)
    results: list[tuple[Handout, Rendered]] = []
    with collector_paused():
        for h in plan.handouts:
            with _noted(problems):
                results.append((h, lay_out(kit, h, plan.paper, options)))
        for variant in plan.combined:
            parts = [(h, r) for h, r in results if (h.lang, h.edition) == variant]
            wanted = [h for h in plan.handouts if (h.lang, h.edition) == variant]
            if len(parts) < len(wanted) or variant not in kit.covers:
                continue  # a part is missing (its problem is listed): no cover to lay out
            pages = {h.name: r.pages for h, r in parts}
            with _noted(problems):
                listed = _listed(plan, variant, pages)
                front, starts = _cover(kit, kit.covers[variant], listed, plan, options)
                # kit.pdf's page labels meet the footers only when drawn, as build draws
                for h, r in parts:
                    if h.name in starts and _bindable(r, h):
                        r.check_into(starts[h.name].value)
                front.check_into(1)
    if not problems:  # the web pages need every part of the kit
        _web(kit, plan)
    return results


@contextlib.contextmanager
def _noted(problems: list[KitpressError] | None) -> Iterator[None]:
    """Raise a problem in the block, or, collecting, note it and go on after the block."""
    try:
        yield
    except KitpressError as e:
        if problems is None:
            raise
        problems.extend(e.every())


def build_kit(
    kit: Kit,
    out_dir: Path,
    options: Options | None = None,
    on_step: Step | None = None,
    out_typed: bool = True,
) -> BuildResult:
    """Build the kit into out_dir as the options say (--only leaves kit.pdf alone).
    out_typed: the person named out_dir (-o), so it may be a link they made."""
    check_environment()
    options = options or Options()
    root = out_folder(out_dir, kit.root, out_typed)
    # each PDF goes to its temporary file as soon as it is drawn, not held to the end
    with early_writes(root) as files:
        plan, made, web = made_files(kit, options, on_step, early=files)
        result = BuildResult()
        for m in made:
            result.files.append(Built(out_dir / m.path, m.job.pages, m.notes))
            result.jobs.append(m.job)
        result.plan = format_plan(result.jobs, kit_title(kit))
        writes: list[tuple[Path, bytes | Beside]] = [(root / m.path, m.data) for m in made]
        writes += [(root / path, data) for path, data in web]
        result.web = [out_dir / path for path, _ in web]
        if plan.whole:  # a partial build must not replace the whole kit's plan
            writes.append((root / PLAN, result.plan.encode("utf-8")))
        write_all(writes, root)
    return result


def made_files(
    kit: Kit,
    options: Options,
    on_step: Step | None = None,
    laid_out: Callable[[Handout], Rendered] | None = None,
    early: Early | None = None,
) -> tuple[Plan, list[Made], list[tuple[PurePath, bytes]]]:
    """Every file a build of the kit makes, with paths relative to the output folder:
    the plan, the printed files, the web edition's files. `laid_out` and `early`: as
    for make."""
    plan = make_plan(kit, options)
    with collector_paused():
        made = make(kit, plan, options, on_step, laid_out, early)
    web = _web(kit, plan, on_step)
    _check_unique(kit, [m.path for m in made])
    return plan, made, web


def kit_title(kit: Kit) -> str:
    """The kit's title in each of its languages, for the print plan."""
    titles = dict.fromkeys(kit.manifest.masthead(lang).title for lang in kit.manifest.languages)
    return " / ".join(titles)


def make(
    kit: Kit,
    plan: Plan,
    options: Options,
    on_step: Step | None = None,
    laid_out: Callable[[Handout], Rendered] | None = None,
    early: Early | None = None,
) -> list[Made]:
    """Every file of the plan: each handout (and what comes with it), then each
    language's kit.pdf. `laid_out` gives a handout's layout instead of laying it out
    (a preview keeps the layouts of handouts that did not change). Given an Early,
    each file goes to its temporary file in the output folder as soon as it is made;
    else all are kept in memory.

    Given an Early and options.jobs > 1, the plan is made in parts side by side, each
    after the first in a forked child (forked.py; see _parts): the same files, in the
    same order, as one process makes."""
    done = 0
    told: set[str] = set()

    def step(label: str) -> None:
        nonlocal done
        if label in told:  # the first handout's, told before a layout both halves share
            return
        told.add(label)
        done += 1
        if on_step:
            on_step(label, done, plan.steps)

    parts = _parts(plan, options.jobs) if early is not None and laid_out is None else [Part(plan)]
    if len(parts) > 1 and early is not None and _folders_made(early, parts):
        made = _side_by_side(kit, parts, options, step, early)
        order = {path: i for i, path in enumerate(Part(plan).units)}
        return [m for _, m in sorted(made, key=lambda unit: order[unit[0]])]
    return [m for _, m in _make_part(kit, Part(plan), options, step, laid_out, early)]


def _folders_made(early: Early, parts: list[Part]) -> bool:
    """Whether the parts' folders are all there now, made before any fork so that no two
    processes make one at once. If one cannot be, the plan is made in one process,
    which meets that error where --jobs 1 does: after those of the handouts before."""
    try:
        early.folders([early.root / path for part in parts for path in part.units])
    except OutputError:
        return False
    return True


def _side_by_side(
    kit: Kit, parts: list[Part], options: Options, step: Callable[[str], None], early: Early
) -> list[tuple[PurePath, Made]]:
    """The first part made here, each other in a forked child at the same time; a part
    whose child failed is made here after it. Whatever stops this process stops the
    children and leaves none of their files. Their folders are made (_folders_made)."""
    children: list[tuple[Part, forked.Child[Any]]] = []
    taken: set[int] = set()  # the children whose files `early` holds
    made = []

    def fork(chosen: list[Part], laid_out: Callable[[Handout], Rendered] | None) -> None:
        with interrupts.held():  # each child listed here as it is forked (forked.Child)
            for part in chosen:
                theirs = Early(early.root, early.owner)  # filled in the child's copy
                work = partial(_make_in_child, kit, part, options, laid_out, theirs)
                children.append((part, forked.Child(work, partial(theirs.clean, written=False))))
        interrupts.stop_if_asked()  # one that came while they were forked

    halves = len(parts) > 1 and parts[1].plan is parts[0].plan and not parts[0].bound
    laid_out = None
    try:
        fork(parts[1 + halves :], None)  # the other languages': they wait for nothing here
        if halves:  # the first language's kit.pdf
            step(parts[0].units[0].as_posix())  # its first handout's step starts now
            laid_out = _laid_out_once(kit, parts[0].plan, options)
            fork([parts[1]], laid_out and laid_out.shared())
            if laid_out is not None and laid_out.halves is not None:
                laid_out.halves.forked(children[-1][1].pid)
            children.insert(0, children.pop())  # taken in the plan's order
        made += _make_part(kit, parts[0], options, step, laid_out, early)
        for i, (part, child) in enumerate(children):
            got = child.result()
            if got is None:  # it failed: made here, so any error is told as it would be
                made += _make_part(kit, part, options, step, None, early)
                continue
            files, labels, theirs = got
            early.adopt(theirs)
            taken.add(i)
            for label in labels:
                step(label)
            made += files
    finally:
        if laid_out is not None and laid_out.halves is not None:
            laid_out.halves.close()  # the child, if still waiting for pages, waits no more
        for i, (part, child) in enumerate(children):
            if i not in taken:  # still at work when this process failed, or not yet taken
                got = child.stop()
                if got is not None:  # it had finished: its files are removed with these
                    early.adopt(got[2])  # (twice listed at worst: removed once)
                else:  # it failed: if killed outright, its files are still there
                    early.sweep(early.root / path.parent for path in part.units)
    return made


def _make_in_child(
    kit: Kit,
    part: Part,
    options: Options,
    laid_out: Callable[[Handout], Rendered] | None,
    early: Early,
) -> tuple[list[tuple[PurePath, Made]], list[str], Early]:
    """A part of the plan made in a forked child: its files (already in their
    temporary files), the steps it went through, and its Early for the parent to adopt."""
    labels: list[str] = []
    files = _make_part(kit, part, options, labels.append, laid_out, early)
    return files, labels, early


def _laid_out_once(kit: Kit, plan: Plan, options: Options) -> _LaidOutFirst | None:
    """For a language made in halves (_halves), its first handout, if it goes inside
    kit.pdf, laid out before its kit.pdf's child is forked, for both halves (for the
    first time each asks; every other handout is laid out where it is asked for).
    Laid out twice at once, it took each process longer than once alone: the two
    cores share the machine's caches and memory. One process lays it out first too,
    so any error comes in the same order."""
    first = plan.handouts[0]
    if not _inside(plan, first):
        return None
    from kitpress.render.flowing import Flowed
    from kitpress.render.halves import Halves
    from kitpress.render.tagging import noting

    with noting() as marks:
        r = lay_out(kit, first, plan.paper, options)
    # its pages drawn half in each process, if it flows (render/halves.py)
    halves = None
    if isinstance(r, Flowed):
        halves = Halves.of(r.pages, marks)
        if halves is not None:
            r = replace(r, halves=halves)
    return _LaidOutFirst(kit, plan, options, first, r, halves)


@dataclass
class _LaidOutFirst:
    """A layout for each handout asked for: the first's made already (_laid_out_once).
    This process lets go of it once given, to free its memory for the next handout's
    layout; a forked child's copy (`shared`) keeps it to the end. There it is the
    parent's memory, and freeing it would write to every object of it, a copy of each
    page of that memory for the child to make (26 ms for a 152-page checklist, as the
    child is about to end)."""

    kit: Kit
    plan: Plan
    options: Options
    first: Handout
    held: Rendered | None
    halves: Halves | None = None  # the two processes' share of its pages
    keep: bool = False

    def __call__(self, h: Handout) -> Rendered:
        r = self.held if h is self.first else None
        if r is None:
            return lay_out(self.kit, h, self.plan.paper, self.options)
        if not self.keep:
            self.held = None
        return r

    def shared(self) -> _LaidOutFirst:
        return replace(self, keep=True)


# kit.pdf made apart from the handouts (_halves) only for a language whose handouts
# inside it hold at most this many values (about 600 pages of checklist): the second
# process holds a layout and a copy of the start-up's memory of its own, and would take
# a 2,000-page kit past 200 MB (issue 18), where the time it saves counts for less
KIT_APART_VALUES = 16_000


def _parts(plan: Plan, jobs: int) -> list[Part]:
    """The plan split into at most `jobs` parts, in order (this process makes the
    first), or the whole plan where it cannot be split or forked.

    By language: parts of languages next to each other, so the first error met in a
    handout or a cover is the one --jobs 1 meets (no part here holds a language that
    comes after one a child makes). One exception: kit.pdf is written after every
    language's handouts in one process, so an error writing it (its name taken by a
    folder) may come here before a later language's handout error. With a job to
    spare for each language, each language's kit.pdf is made apart from its handouts'
    own files (_halves), which a one-language kit otherwise waits for."""
    langs = list(dict.fromkeys(h.lang for h in plan.handouts))
    if jobs < 2 or not langs or not forked.usable():
        return [Part(plan)]
    n = min(jobs, len(langs))
    groups = [langs[len(langs) * i // n : len(langs) * (i + 1) // n] for i in range(n)]
    plans = [
        replace(
            plan,
            handouts=tuple(h for h in plan.handouts if h.lang in group),
            combined=tuple(v for v in plan.combined if v[0] in group),
        )
        for group in groups
    ]
    if jobs < 2 * len(langs):
        return [Part(p) for p in plans]
    return [part for p in plans for part in _halves(p)]


def _halves(plan: Plan) -> list[Part]:
    """One language's handouts' own files, then (in a process of its own) its kit.pdf,
    for a plan that makes one, unless its handouts inside hold too much for a second
    process's memory (KIT_APART_VALUES). There kit.pdf's pages are drawn again, not
    put on from the handouts' own (the same bytes, render/replay.py), but for the
    first handout's, laid out before the fork: each process draws part of its pages
    and puts on the other's (render/halves.py). The handouts' part still lays out each
    cover where one process would, so an error in it is met in the same order
    (_Binders)."""
    inside = [h for h in plan.handouts if _inside(plan, h)]
    if not inside or sum(len(h.source.marks) for h in inside) > KIT_APART_VALUES:
        return [Part(plan)]
    return [Part(plan, bound=False), Part(plan, own=False)]


def _make_part(
    kit: Kit,
    part: Part,
    options: Options,
    step: Callable[[str], None],
    laid_out: Callable[[Handout], Rendered] | None,
    early: Early | None,
) -> list[tuple[PurePath, Made]]:
    """make's work for one process: each file with the step it was made in."""
    made: list[tuple[PurePath, Made]] = []

    def kept(path: PurePath, data: bytes) -> bytes | Beside:
        return data if early is None else early.put(early.root / path, data)

    # a part after another in this process (a failed child's, _side_by_side) may need
    # the memory of what that one parked
    exiting.unpark()
    plan, paper = part.plan, part.plan.paper
    binders = _Binders(kit, plan, options, drawing=part.bound)
    for h in plan.handouts:
        if part.own:
            unit = handout_path(h)
            step(unit.as_posix())
            files: list[Made] = []
            _make_handout(kit, plan, options, h, files, binders, laid_out, kept)
            made += [(unit, m) for m in files]
        elif binders.wants(h):  # kit.pdf alone: its handouts laid out and drawn into it
            r = laid_out(h) if laid_out else lay_out(kit, h, paper, options)
            if _bindable(r, h):
                binders.add(h, r)
            del r

    for variant in plan.combined if part.bound else ():
        path = combined_path(variant)
        step(path.as_posix())
        cover = kit.covers[variant]
        binder = binders.take(variant)
        data: bytes | Beside
        if early is None:
            buffer = io.BytesIO()
            pages = binder.finish(KIT_PRINTING, buffer)
            data = buffer.getvalue()
        else:  # written as it is saved: the whole file is never in memory
            data, pages = early.write(early.root / path, partial(binder.finish, KIT_PRINTING))
        del binder  # saved, it holds little: its cover's layout (under a millisecond to free)
        job = _job(path, pages, KIT_PRINTING, paper, True, plan.copies[variant])
        kit_pdf = Made(path, data, job)
        made.append((path, kit_pdf))
        if plan.booklets:
            booklet_path = combined_path(variant, "booklet")
            title = cover.content.title
            booklet = _booklet(kit, paper, booklet_path, kit_pdf.read(), pages, title, variant[0])
            made.append((path, replace(booklet, data=kept(booklet_path, booklet.read()))))
    return made


def _make_handout(
    kit: Kit,
    plan: Plan,
    options: Options,
    h: Handout,
    made: list[Made],
    binders: _Binders,
    laid_out: Callable[[Handout], Rendered] | None,
    kept: Callable[[PurePath, bytes], bytes | Beside],
) -> None:
    """A handout's files (its PDF, what comes with it, its booklet), and its pages drawn
    into its language's kit.pdf."""
    paper = plan.paper
    variant = (h.lang, h.edition)
    kits = plan.copies[variant]
    r = laid_out(h) if laid_out else lay_out(kit, h, paper, options)
    path = handout_path(h)
    # with kit.pdf beside it, a kit needs only the handouts printed on their own
    in_kit = not h.kind.in_kit or not plan.whole
    bound = r if binders.wants(h) and _bindable(r, h) else None
    if bound is not None and binders.drawing:
        bound.keep_pages()  # its pages go into kit.pdf as drawn for its own PDF
    pdf = r.pdf()
    job = _job(path, r.pages, r.printing, paper, in_kit, kits)
    made.append(Made(path, kept(path, pdf), job, r.notes))
    for extra in r.extras:  # e.g. a deck's calibration sheet: printed once, not per kit
        path = handout_path(h, extra.suffix)
        job = _job(path, extra.pages, extra.printing, paper, False, kits)
        made.append(Made(path, kept(path, extra.pdf), job))
    if plan.booklets and h.kind.in_kit:
        path = handout_path(h, "booklet")
        booklet = _booklet(kit, paper, path, pdf, r.pages, h.title, h.lang)
        made.append(replace(booklet, data=kept(path, booklet.read())))
    del pdf
    if bound is not None:
        binders.add(h, bound)
    if h is plan.handouts[-1] and not (binders.drawing and plan.combined):
        # the part's last layout, and no kit.pdf made after it in this process (kept
        # through kit.pdf's save, it would add to a long kit's peak)
        exiting.park(r)
    # returning lets go of r: drawn into kit.pdf too, its layout is freed (dismantle)


def _inside(plan: Plan, h: Handout) -> bool:
    """Whether the handout goes into a kit.pdf the plan makes."""
    return h.kind.in_kit and (h.lang, h.edition) in plan.combined


class _Binders:
    """Each variant's kit.pdf while its handouts are drawn into it: begun (its cover
    laid out, render/kitpdf.Binder) when its first handout comes. In a part that makes
    no kit.pdf (`drawing` False) the cover is only laid out then, and each handout's
    kit.pdf footers only checked, so an error in either is met where one process meets
    it (but for the part's last handout: see add)."""

    def __init__(self, kit: Kit, plan: Plan, options: Options, drawing: bool) -> None:
        self.kit, self.plan, self.options, self.drawing = kit, plan, options, drawing
        # a kit.pdf, or (not drawing) the pages of its cover and of each handout so far
        self._begun: dict[Variant, Binder | list[int]] = {}

    def wants(self, h: Handout) -> bool:
        return _inside(self.plan, h)

    def add(self, h: Handout, r: Bindable) -> None:
        variant = (h.lang, h.edition)
        if not self.drawing and h is self.plan.handouts[-1]:
            # nothing comes after it here: an error in the cover or in kit.pdf's footers
            # is met by kit.pdf's process, and then here, making kit.pdf after it
            # (_side_by_side), in the order one process meets it
            return
        if variant not in self._begun:
            if self.drawing:
                self._begun[variant] = _binder(self.kit, variant, self.plan, self.options)
            else:
                listed = _listed(self.plan, variant)
                cover = self.kit.covers[variant]
                front, _ = _cover(self.kit, cover, listed, self.plan, self.options)
                self._begun[variant] = [front.pages]
        begun = self._begun[variant]
        if isinstance(begun, list):  # the page it would start on in kit.pdf
            from kitpress.assemble import start_pages

            r.check_into(start_pages([*begun, 0])[-1])
            begun.append(r.pages)
        else:
            begun.add(h.name, h.title, r)

    def take(self, variant: Variant) -> Binder:
        """The variant's kit.pdf, its handouts drawn in, for `finish` (a kit with none
        inside: the cover alone)."""
        begun = self._begun.pop(variant, None)
        assert not isinstance(begun, list), "a part that makes no kit.pdf"
        return begun or _binder(self.kit, variant, self.plan, self.options)


def _web(kit: Kit, plan: Plan, on_step: Step | None = None) -> list[tuple[PurePath, bytes]]:
    """The web edition's files, in memory (nothing when the build makes no web pages)."""
    if not (plan.web or plan.web_langs):
        return []
    if on_step:
        on_step("web/", plan.steps, plan.steps)
    from kitpress.web import make_web

    return make_web(kit, plan.web, plan.web_langs)


def _job(
    path: PurePath, pages: int, printing: Printing, paper: Paper, in_kit: bool, kits: int
) -> PrintJob:
    stock = paper.human if printing.stock == "plain paper" else f"{paper.human} {printing.stock}"
    return PrintJob(path, pages, printing.prints_double(pages), stock, in_kit, kits)


def _check_unique(kit: Kit, paths: list[PurePath]) -> None:
    """Two outputs with one name (a handout 'cards-calibration' beside a deck 'cards')
    would silently replace each other."""
    seen: set[PurePath] = set()
    for rel in paths:
        if rel in seen:
            raise OutputError(
                f"two outputs would both be written to {rel.as_posix()}; rename one of the "
                "handouts in the manifest",
                Mark(kit.root / MANIFEST),
            )
        seen.add(rel)


def _booklet(
    kit: Kit, paper: Paper, path: PurePath, pdf: bytes, pages: int, title: str, lang: str
) -> Made:
    from kitpress.assemble import booklet, booklet_sides

    data = booklet(pdf, _meta(kit, lang, title))
    job = PrintJob(path, booklet_sides(pages), True, paper.booklet, in_kit=False)
    return Made(path, data, job)


def _cover(
    kit: Kit,
    cover: CoverPage,
    listed: list[tuple[Handout, int | None]],
    plan: Plan,
    options: Options,
) -> tuple[Flowed, dict[str, PageNumber]]:
    """The cover of one language's kit.pdf, laid out listing each handout with the
    page it starts on (`listed`: each handout with its page count if it goes inside,
    None if it is printed on its own), and those page numbers, by handout name: kit.pdf
    sets them to the pages it drew the handouts on before it draws the cover.

    Each part starts on a right-hand page, so printed double-sided no handout shares
    a sheet with another.
    """
    from kitpress.assemble import start_pages
    from kitpress.render.cover import Entry, PageNumber, render

    inside = [(h, pages) for h, pages in listed if pages is not None]
    ctx = context(kit, cover, cover.content.title, plan.paper, options)

    def laid_out(cover_pages: int) -> tuple[Flowed, dict[str, PageNumber], list[Entry]]:
        """The cover, listing the handouts as starting after `cover_pages` pages."""
        starts = start_pages([cover_pages] + [pages for _, pages in inside])[1:]
        first = {h.name: PageNumber(p) for (h, _), p in zip(inside, starts, strict=True)}
        entries = [
            Entry(h.title, first[h.name])
            if h.name in first
            else Entry(h.title, None, f"{h.file}.pdf")
            for h, _ in listed
        ]
        return render(cover.content, entries, ctx, cover.source), first, entries

    # the front is page 1; its back (cover.yaml's `back:`, or blank) starts on page 2
    # and may run on in an edition whose layout allows it (large print)
    guess = 2 if cover.content.back else 1
    front, first, entries = laid_out(guess)
    if front.pages != guess:
        front, first, entries = laid_out(front.pages)
    back_pages = cover.layout.back_pages
    if front.pages > 1 + (back_pages if cover.content.back else 0):
        alone = render(cover.content, entries, ctx, cover.source, False)  # the front alone
        if not cover.content.back or alone.pages > 1:
            raise FitError(
                "the cover does not fit on one page; shorten the intro",
                cover.source.at(("intro",)),
                ("intro",),
            )
        pages = "one page" if back_pages == 1 else f"{back_pages} pages"
        raise FitError(
            f"the back of the cover does not fit on {pages}; shorten or remove some of its boxes",
            cover.source.at(("back",)),
            ("back",),
        )
    return front, first


def _listed(
    plan: Plan, variant: Variant, pages: dict[str, int] | None = None
) -> list[tuple[Handout, int | None]]:
    """The variant's handouts as its cover lists them: each with its page count in
    kit.pdf (from `pages`; 1 where not known yet: the cover's layout does not depend on
    them), None for one printed on its own."""
    return [
        (h, (pages or {}).get(h.name, 1) if h.kind.in_kit else None)
        for h in plan.handouts
        if (h.lang, h.edition) == variant
    ]


def _binder(kit: Kit, variant: Variant, plan: Plan, options: Options) -> Binder:
    """kit.pdf of `variant`, ready for its handouts: its cover is laid out first, with
    page numbers kit.pdf sets as it draws the handouts (render/cover.PageNumber)."""
    from kitpress.render.kitpdf import Binder

    cover = kit.covers[variant]
    front, numbers = _cover(kit, cover, _listed(plan, variant), plan, options)
    return Binder(front.ctx, cover.content.title, front, numbers)


def _bindable(r: Rendered, h: Handout) -> TypeGuard[Bindable]:
    if not callable(getattr(r, "draw_into", None)):  # a kind's mistake, not the user's
        raise TypeError(f"kind {h.kind.name} is in_kit but its renderer cannot draw into kit.pdf")
    return True


def _meta(kit: Kit, lang: str, title: str) -> Any:
    from kitpress.assemble import Meta

    masthead = kit.manifest.masthead(lang)
    return Meta(title, masthead.organization.name, masthead.title, lang)
