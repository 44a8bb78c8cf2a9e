"""Building a loaded kit: lay out every handout, assemble each language's combined
kit.pdf (and booklets on request), then write everything and the print plan.

Everything is rendered in memory first, so a failure part-way writes nothing; then
all the files are written together (output.write_all).
"""

from __future__ import annotations

import difflib
import io
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from kitpress.assemble import Meta, booklet, combine, start_pages
from kitpress.errors import FitError, InputError, Mark, OutputError
from kitpress.kit import MANIFEST, CoverPage, Handout, Kit
from kitpress.output import check_out_dir, write_all
from kitpress.printplan import PrintJob, format_plan
from kitpress.render.context import BuildOptions, RenderContext, Rendered

COMBINED = "kit"
PLAN = "print-plan.txt"
# A booklet puts two pages side by side at full size: on paper twice as wide.
BOOKLET_PAPER = {"letter": "11×17 in paper", "a4": "A3 paper"}


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


def _context(
    kit: Kit,
    part: Handout | CoverPage,
    title: str,
    options: BuildOptions,
    first_page: int | None = None,
) -> RenderContext:
    return RenderContext(
        manifest=kit.manifest,
        layout=part.layout,
        fonts=part.fonts,
        labels=part.labels,
        paper=kit.paper,
        lang=part.lang,
        title=title,
        options=options,
        first_page=first_page,
    )


def render_handout(
    kit: Kit, h: Handout, options: BuildOptions | None = None, first_page: int | None = None
) -> Rendered:
    """Lay out one handout and return its PDF (nothing is written). With first_page,
    the footers number its pages as part of kit.pdf."""
    ctx = _context(kit, h, h.title, options or BuildOptions(), first_page)
    return h.kind.load(h.kind.renderer)(h.content, ctx, h.source)


def check_environment() -> None:
    """SOURCE_DATE_EPOCH, when set, dates every PDF: it must be whole seconds."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value and not value.isdigit():
        raise InputError(
            f"SOURCE_DATE_EPOCH is {value!r}; set it to a whole number of seconds since "
            "1970 (like 1700000000), or unset it"
        )


def check_kit(kit: Kit, options: BuildOptions | None = None) -> list[tuple[Handout, Rendered]]:
    """Lay out every handout and each language's kit.pdf without writing anything, so
    `check` fails on exactly what `build` would fail on."""
    check_environment()
    options = options or BuildOptions()
    results = [(h, render_handout(kit, h, options)) for h in kit.handouts]
    for lang, cover in kit.covers.items():
        _combined(kit, cover, [(h, r) for h, r in results if h.lang == lang], options)
    return results


def select(kit: Kit, only: Iterable[str]) -> list[Handout]:
    """The handouts named in --only (all when empty), in manifest order."""
    wanted = list(dict.fromkeys(only))
    names = kit.manifest.handouts
    for name in wanted:
        if name not in names:
            close = difflib.get_close_matches(name, names, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"choose from: {', '.join(names)}"
            raise InputError(f"--only {name}: no handout has that name; {hint}")
    return [h for h in kit.handouts if not wanted or h.name in wanted]


def build_kit(
    kit: Kit,
    out_dir: Path,
    options: BuildOptions | None = None,
    *,
    only: Iterable[str] = (),
    booklets: bool = False,
    copies: int = 1,
    on_step: Callable[[str, int, int], None] | None = None,
) -> BuildResult:
    """Build the kit into out_dir. --only builds a subset and leaves kit.pdf alone."""
    check_environment()
    options = options or BuildOptions()
    check_out_dir(out_dir, kit.root)
    only = tuple(only)
    handouts = select(kit, only)
    whole = not only  # --only never touches kit.pdf
    languages = {h.lang for h in handouts}
    total = len(handouts) + (len(languages) if whole else 0)
    done = 0

    def step(label: str) -> None:
        nonlocal done
        done += 1
        if on_step:
            on_step(label, done, total)

    files: list[tuple[PurePath, bytes, PrintJob, tuple[str, ...]]] = []

    def add(rel: PurePath, pdf: bytes, job: PrintJob, notes=()) -> None:
        files.append((rel, pdf, job, tuple(notes)))

    rendered: dict[str, list[tuple[Handout, Rendered]]] = {}
    for h in handouts:
        step(f"{h.lang}/{h.name}")
        r = render_handout(kit, h, options)
        rendered.setdefault(h.lang, []).append((h, r))
        rel = PurePath(h.lang, f"{h.name}.pdf")
        duplex = (not options.fronts_only) if h.kind.separate else r.pages > 1
        # with kit.pdf, a kit needs only the handouts printed on their own besides it
        job = PrintJob(rel, r.pages, duplex, h.kind.stock, in_kit=h.kind.separate or not whole)
        add(rel, r.pdf, job, r.notes)
        for extra in r.extras:  # e.g. a deck's calibration sheet: printed once, not per kit
            rel = PurePath(h.lang, f"{h.name}-{extra.suffix}.pdf")
            add(rel, extra.pdf, PrintJob(rel, extra.pages, extra.pages > 1, "plain paper", False))
        if booklets and not h.kind.separate:
            add_booklet(kit, h.lang, h.name, r.pdf, h.title, add)

    for lang, parts in rendered.items() if whole else ():
        step(f"{lang}/{COMBINED}")
        pdf, pages = _combined(kit, kit.covers[lang], parts, options)
        rel = PurePath(lang, f"{COMBINED}.pdf")
        add(rel, pdf, PrintJob(rel, pages, pages > 1, "plain paper", in_kit=True))
        if booklets:
            add_booklet(kit, lang, COMBINED, pdf, kit.covers[lang].content.title, add)

    _check_unique(kit, [rel for rel, *_ in files])
    result = BuildResult()
    for rel, _, job, notes in files:
        result.files.append(Built(out_dir / rel, job.pages, notes))
        result.jobs.append(job)
    result.plan = format_plan(result.jobs, copies, kit.manifest.title)
    writes = [(out_dir / rel, pdf) for rel, pdf, *_ in files]
    if whole:  # a partial build must not replace the whole kit's plan
        writes.append((out_dir / PLAN, result.plan.encode("utf-8")))
    write_all(writes)
    return result


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


def add_booklet(kit: Kit, lang: str, name: str, pdf: bytes, title: str, add) -> None:
    data = booklet(pdf, _meta(kit, lang, title))
    sides = _page_count(data)
    rel = PurePath(lang, f"{name}-booklet.pdf")
    add(rel, data, PrintJob(rel, sides, True, BOOKLET_PAPER[kit.paper], in_kit=False))


def _combined(
    kit: Kit, cover: CoverPage, parts: list[tuple[Handout, Rendered]], options: BuildOptions
) -> tuple[bytes, int]:
    """Cover + every handout that is not printed on its own, in manifest order.

    Each part starts on a right-hand page, so printed double-sided no handout shares
    a sheet with another, and each is laid out again with kit page numbers in its
    footers so they match the cover's contents.
    """
    from kitpress.render.cover import Entry, render

    inside = [(h, r) for h, r in parts if not h.kind.separate]
    # the cover's front is page 1 and its back (cover.yaml's `back:`, or blank) page 2
    cover_pages = 2 if cover.content.back else 1
    starts = start_pages([cover_pages] + [r.pages for _, r in inside])[1:]
    first = dict(zip([h.name for h, _ in inside], starts, strict=True))
    entries = [
        Entry(h.title, None, f"{h.name}.pdf") if h.kind.separate else Entry(h.title, first[h.name])
        for h, _ in parts
    ]
    ctx = _context(kit, cover, cover.content.title, options, 1)
    front = render(cover.content, entries, ctx, cover.source)
    if front.pages != cover_pages:
        if cover_pages == 1 or render(cover.content, entries, ctx, cover.source, False).pages > 1:
            raise FitError(
                "the cover does not fit on one page; shorten the intro",
                cover.source.at(("intro",)),
                ("intro",),
            )
        raise FitError(
            "the back of the cover does not fit on one page; shorten or remove some of its boxes",
            cover.source.at(("back",)),
            ("back",),
        )
    pieces = [(cover.content.title, front.pdf)]
    for h, r in inside:
        again = render_handout(kit, h, options, first_page=first[h.name])
        assert again.pages == r.pages, "page numbers in the footer changed the layout"
        pieces.append((h.title, again.pdf))
    pdf = combine(pieces, _meta(kit, cover.lang, cover.content.title))
    return pdf, _page_count(pdf)


def _meta(kit: Kit, lang: str, title: str) -> Meta:
    return Meta(title, kit.manifest.organization.name, kit.manifest.title, lang)


def _page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)
