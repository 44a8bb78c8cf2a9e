"""What the preview shows, made again on every save: the kit loaded with its problems
collected (not raised), each handout laid out and drawn, each language's kit.pdf and
the print plan. A handout whose inputs are the same as last time keeps its layout
and its PDF; one whose file is broken keeps the pictures of its last good version.

It builds with the library, as `kitpress build` does (load_kit, make_plan, lay_out,
make), so the preview shows the pages a build would write and fails where it fails.
"""

from __future__ import annotations

import hashlib
import math
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kitpress import interrupts
from kitpress.build import Made, check_environment, collector_paused, lay_out, make
from kitpress.editions import folder as folder_of
from kitpress.errors import KitpressError, display_path, format_key_path, one_line
from kitpress.kit import COVER, COVER_PART, Handout, Kit, Problem, load_kit
from kitpress.options import Options
from kitpress.paths import bundled
from kitpress.placeholders import Texts, facility_note
from kitpress.plan import Plan, Variant, combined_path, handout_path, make_plan
from kitpress.preview import pages
from kitpress.printplan import PrintJob, format_plan
from kitpress.render.context import Rendered
from kitpress.render.flowing import Flowed, OverLimit
from kitpress.render.once import DrawnOnce


@dataclass(frozen=True)
class Issue:
    """One problem, as the page lists it."""

    text: str  # the whole line, as `kitpress check` prints it
    where: str  # file:line:column ("" when the problem has no file)
    key: str  # the key path, like sections[1].items
    message: str
    part: str = ""  # the id of the first part it keeps from being built; "": none
    hint: str = ""  # what the preview adds: how far past its page limit a handout runs

    @classmethod
    def of(cls, error: KitpressError, part: str = "", note: str = "") -> Issue:
        """`note`: which facility the problem came from, in a kit built per facility."""
        where = str(error.mark) if error.mark is not None else ""
        key = format_key_path(error.key_path)
        return cls(str(error) + note, where, key, one_line(error.message + note), part)


@dataclass(frozen=True)
class Part:
    """One handout, or the cover of a language's kit.pdf, in one language and edition."""

    id: str  # "en/withdrawal-signs-checklist"; a cover: "en/:cover"
    folder: str  # the output folder: en, en-large
    title: str
    kind: str  # checklist, card-deck, worksheet, …, or cover
    source: str  # the YAML file it is written in
    pdf: bytes | None = None  # what its pictures are drawn from (a cover: kit.pdf)
    pages: int = 0  # its pages (a cover: the first pages of kit.pdf)
    allowed: int | None = None  # the pages its layout allows
    paper: str = ""
    issues: tuple[Issue, ...] = ()
    stale: bool = False  # the pictures are of the last version that could be drawn
    files: tuple[tuple[str, str], ...] = ()  # (what, path) of each PDF to download
    fillable: bool = False  # its PDF has form fields to fill in on screen
    notes: tuple[str, ...] = ()
    over: str = ""  # how far past its page limit it runs, in words
    texts: tuple[str, ...] = ()  # the text of each page

    @property
    def digest(self) -> str:
        return digest(self.pdf) if self.pdf is not None else ""


@dataclass(frozen=True)
class Snapshot:
    """Everything the page shows at one moment."""

    version: int
    title: str
    kit: str  # the kit folder, as the terminal would name it
    issues: tuple[Issue, ...]  # every problem, by file and line
    parts: tuple[Part, ...]
    files: dict[str, bytes] = field(default_factory=dict)  # path -> PDF: what may be downloaded
    jobs: tuple[PrintJob, ...] = ()
    plan: str = ""
    seconds: float = 0.0  # how long this update took
    when: float = 0.0  # when it was made (time.time())
    page_size: tuple[float, float] = (612.0, 792.0)  # the paper's, in points
    partial: bool = False  # the handouts only: kit.pdf and its cover are on their way

    def pictured(self, wanted: str) -> tuple[bytes, int] | None:
        """The PDF with this digest and how many of its pages are shown (a part's, even
        a broken one's), for the pictures of its pages."""
        found = [(p.pdf, p.pages) for p in self.parts if p.pdf is not None and p.digest == wanted]
        return max(found, key=lambda f: f[1]) if found else None


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:20]


# a language's files, kept: its inputs, the files, the cover's problem, what that names
_MadeKept = tuple[tuple, list[Made], Issue | None, tuple]


@dataclass
class _Laid:
    """One handout's layout, and what it was made from."""

    inputs: tuple
    drawn: DrawnOnce | None  # None: it could not be laid out
    error: KitpressError | None = None  # OverLimit: drawn all the same
    named: tuple = ()  # what its error names besides its inputs (_named)


class Live:
    """The kit at `root`, built for the preview: call update() after each change."""

    def __init__(self, root: Path, options: Options | None = None) -> None:
        self.root = Path(root)
        # the whole kit, every page of a handout that runs over (to show where)
        self.options = replace(options or Options(), only=(), over_limit=True)
        self.name = display_path(self.root)
        if self.root.resolve() == bundled("kit").resolve():  # not to be edited where it is
            self.name = "the example kit that comes with kitpress"
        self.snapshot = Snapshot(0, "", self.name, (), ())
        self._laid: dict[str, _Laid] = {}  # by part id
        self._made: dict[Variant, _MadeKept] = {}
        self._drawn: dict[str, Part] = {}  # the last part with pictures, by id
        self._texts: dict[str, tuple[str, ...]] = {}  # page texts by PDF digest
        self._facility: Texts | None = None  # whose values fill a facility kit's texts

    def update(self, early: Callable[[Snapshot], None] | None = None) -> Snapshot:
        """Build the kit again, keeping what did not change. Never raises for anything
        in the kit: a problem is shown on the page.

        `early`, if given, is handed a first snapshot as soon as the handouts are drawn,
        before each language's kit.pdf is (its cover shown as it was until then), so
        the handout just edited shows a little sooner."""
        start = time.perf_counter()
        version = self.snapshot.version + 1

        def timed(snap: Snapshot) -> Snapshot:
            return replace(snap, seconds=time.perf_counter() - start, when=time.time())

        try:
            with collector_paused():
                snap = self._build(version, early and (lambda s: early(timed(s))))
        except KitpressError as e:  # kit.yaml, or the kit folder itself
            snap = self._unbuilt(version, Issue.of(e))
        except Exception as e:  # a bug must not stop the preview; the terminal says more
            interrupts.stop_if_asked()  # unless it is a signal that library code turned into it
            traceback.print_exc(file=sys.stderr)
            message = (
                f"kitpress could not finish this update ({type(e).__name__}: {e}); the "
                "terminal that runs kitpress preview says more; please report it"
            )
            snap = self._unbuilt(version, Issue(one_line(message), "", "", one_line(message)))
        self.snapshot = timed(snap)
        return self.snapshot

    def _issue(self, error: KitpressError, part: str = "") -> Issue:
        """The problem as the page lists it, saying which facility's values it came
        from when the kit is built per facility (the preview shows the first)."""
        texts = self._facility
        note = ""
        if texts is not None and texts.row is not None and texts.table is not None:
            note = facility_note(error, texts.row, texts.table)
        return Issue.of(error, part, note)

    def _unbuilt(self, version: int, issue: Issue) -> Snapshot:
        """The kit could not be read at all: its last pictures, marked as such."""
        old = self.snapshot
        parts = tuple(replace(p, stale=p.pdf is not None, files=()) for p in old.parts)
        return Snapshot(version, old.title, self.name, (issue,), parts, page_size=old.page_size)

    def _build(self, version: int, early: Callable[[Snapshot], None] | None) -> Snapshot:
        check_environment()
        problems: list[Problem] = []
        # a kit built per facility is shown as its first facility's (facilities.py)
        texts = Texts.first(self.root)
        self._facility = texts
        kit = load_kit(self.root, self.options.edition, problems=problems, texts=texts)
        plan = make_plan(kit, self.options)
        laid = {_id(h): self._lay_out(kit, plan, h) for h in plan.handouts}
        self._laid = laid  # what is not in this kit is let go
        good = {k: v.drawn for k, v in laid.items() if v.error is None and v.drawn is not None}
        for h in plan.handouts:  # its own PDF is drawn first (early), kit.pdf after
            drawn = good.get(_id(h))
            if drawn is not None and (h.lang, h.edition) in plan.combined:
                drawn.keep_pages()
        if early is not None:
            early(self._assemble(version, kit, plan, problems, good, whole=False))
        return self._assemble(version, kit, plan, problems, good, whole=True)

    def _assemble(
        self,
        version: int,
        kit: Kit,
        plan: Plan,
        problems: list[Problem],
        good: dict[str, DrawnOnce],
        whole: bool,
    ) -> Snapshot:
        """What the page shows: every part, the problems, the files and the plan; not
        `whole`, the handouts alone, with the covers and the plan as they were."""
        parts: list[Part] = []
        files: dict[str, bytes] = {}
        jobs: list[PrintJob] = []
        made_now: dict[Variant, _MadeKept] = {}
        before = {p.id: p for p in self.snapshot.parts}
        for variant in _variants(kit):
            mine = [h for h in plan.handouts if (h.lang, h.edition) == variant]
            if whole:
                made, cover_issue = self._make(kit, plan, variant, mine, good, made_now)
            else:  # each handout's own PDF (drawn once, kept), no kit.pdf yet
                fine = tuple(h for h in mine if _id(h) in good)
                alone = replace(plan, handouts=fine, combined=())
                made = make(kit, alone, self.options, laid_out=lambda h: good[_id(h)])
                cover_issue = None
            by_path = {m.path: m for m in made}
            these = list(self._parts(kit, variant, mine, by_path, problems, cover_issue))
            if not whole and these[0].id in before:
                these[0] = replace(before[these[0].id], files=())
            # kit.pdf is offered once every part of it is free of problems, as a build's is
            complete = not any(p.issues for p in these)
            if not complete and whole:
                cover, *rest = these
                note = (
                    "while a handout has a problem, kit.pdf and the contents on its cover "
                    "leave it out; kit.pdf can be downloaded once the problems are fixed"
                )
                these = [replace(cover, files=(), notes=(*cover.notes, note)), *rest]
            parts += these
            for m in made:
                jobs.append(m.job)
                if m.path != combined_path(variant) or complete:
                    files[m.path.as_posix()] = m.read()
        issues: dict[str, Issue] = {}  # by its line, each once (labels.yaml's blocks many)
        for part in parts:
            for issue in part.issues:
                issues.setdefault(issue.text, issue)
        for problem in problems:  # the whole kit's (kit.yaml's words in a footer)
            issues.setdefault(str(problem.error), self._issue(problem.error))
        titles = dict.fromkeys(kit.manifest.masthead(lang).title for lang in kit.manifest.languages)
        title = " / ".join(titles)
        if whole:
            self._made = made_now
            used = {p.digest for p in parts}
            self._texts = {k: v for k, v in self._texts.items() if k in used}
            shown = {p.id for p in parts}  # a handout taken out of the kit: its PDF goes
            self._drawn = {k: v for k, v in self._drawn.items() if k in shown}
        else:
            jobs = list(self.snapshot.jobs)
        return Snapshot(
            version,
            title,
            self.name,
            tuple(sorted(issues.values(), key=_by_place)),
            tuple(parts),
            files,
            tuple(jobs),
            format_plan(jobs, title) if jobs else "",
            page_size=plan.paper.size,
            partial=not whole,
        )

    def _lay_out(self, kit: Kit, plan: Plan, h: Handout) -> _Laid:
        """The handout laid out, or its layout from last time if nothing it is made from
        changed (the places of its values too, which its messages name)."""
        inputs = (h, h.source.marks, kit.manifest.masthead(h.lang), plan.paper, self.options)
        named = _named(kit, h.layout)
        kept = self._laid.get(_id(h))
        if (
            kept is not None
            and kept.inputs == inputs
            and (kept.error is None or kept.named == named)
        ):
            return kept
        try:
            return _Laid(inputs, DrawnOnce(lay_out(kit, h, plan.paper, self.options)))
        except OverLimit as e:
            return _Laid(inputs, DrawnOnce(e.laid_out), e, named)
        except KitpressError as e:
            return _Laid(inputs, None, e, named)

    def _make(
        self,
        kit: Kit,
        plan: Plan,
        variant: Variant,
        mine: list[Handout],
        good: dict[str, DrawnOnce],
        made_now: dict[Variant, _MadeKept],
    ) -> tuple[list[Made], Issue | None]:
        """The files of one language and edition, as a build makes them, from the
        handouts that could be laid out; kept from last time when none of them (and not
        the cover) changed. An Issue when kit.pdf could not be made."""
        fine = [h for h in mine if _id(h) in good]
        cover = kit.covers.get(variant) if fine else None  # a cover with nothing inside: no
        inputs = (
            tuple(good[_id(h)] for h in fine),
            cover,
            cover.source.marks if cover else None,
            kit.manifest.masthead(variant[0]),
            plan.paper,
            plan.copies.get(variant),
        )
        named = _named(kit, cover.layout) if cover is not None else ()
        kept = self._made.get(variant)
        if kept is not None and kept[0] == inputs and (kept[2] is None or kept[3] == named):
            made_now[variant] = kept
            return kept[1], kept[2]
        mine_plan = replace(plan, handouts=tuple(fine), combined=(variant,) if cover else ())

        def laid_out(h: Handout) -> Rendered:
            return good[_id(h)]

        issue = None
        try:
            made = make(kit, mine_plan, self.options, laid_out=laid_out)
        except KitpressError as e:  # the cover does not fit: the handouts still show
            issue = self._issue(e, f"{folder_of(*variant)}/{COVER_PART}")
            made = make(kit, replace(mine_plan, combined=()), self.options, laid_out=laid_out)
        made_now[variant] = (inputs, made, issue, named)
        return made, issue

    def _parts(
        self,
        kit: Kit,
        variant: Variant,
        mine: list[Handout],
        made: dict[Any, Made],
        problems: list[Problem],
        cover_issue: Issue | None,
    ) -> Iterator[Part]:
        """The cover, then each handout of the manifest, of one language and edition."""
        lang, edition = variant
        out = folder_of(lang, edition)
        loaded = {h.name: h for h in mine}

        def issues(name: str) -> tuple[Issue, ...]:
            return tuple(
                self._issue(p.error, part_id)
                for p in problems
                if p.lang == lang and p.part in ("", name) and p.edition in ("", edition)
            )

        part_id = f"{out}/{COVER_PART}"
        kit_pdf = made.get(combined_path(variant))
        cover = kit.covers.get(variant)
        found = issues(COVER_PART) + ((cover_issue,) if cover_issue else ())
        if kit_pdf is not None and cover is not None:
            starts = pages.starts(kit_pdf.read())
            part = self._drawn_part(
                kit_pdf.read(),
                Part(
                    part_id,
                    out,
                    cover.content.title,
                    "cover",
                    display_path(cover.source.file),
                    pdf=kit_pdf.read(),
                    pages=starts[1] if len(starts) > 1 else kit_pdf.job.pages,
                    paper=kit_pdf.job.stock,
                    issues=found,
                    files=((_file_label(kit_pdf, "the whole kit, "), kit_pdf.path.as_posix()),),
                ),
            )
        else:
            part = self._last_part(part_id, out, "cover", kit.root / lang / COVER, found)
        yield part

        for name in kit.manifest.handouts:
            part_id = f"{out}/{name}"
            found = issues(name)
            h = loaded.get(name)
            laid = self._laid.get(part_id)
            if h is None or laid is None or laid.drawn is None:
                if laid is not None and laid.error is not None:
                    found += (self._issue(laid.error, part_id),)
                path = h.source.file if h else kit.root / lang / f"{name}.yaml"
                yield self._last_part(part_id, out, h.kind.name if h else "", path, found)
                continue
            drawn = laid.drawn
            own = made.get(handout_path(h))
            pdf = own.read() if own is not None else drawn.pdf()
            over = ""
            if isinstance(laid.error, OverLimit):
                over = _over(laid.error)
                found += (replace(self._issue(laid.error, part_id), hint=over),)
            files: tuple[tuple[str, str], ...] = ()
            if own is not None and not found:
                extras = [made[p] for e in drawn.extras if (p := handout_path(h, e.suffix)) in made]
                files = tuple((_file_label(m), m.path.as_posix()) for m in [own, *extras])
            yield self._drawn_part(
                pdf,
                Part(
                    part_id,
                    out,
                    h.title,
                    h.kind.name,
                    display_path(h.source.file),
                    pdf=pdf,
                    pages=drawn.pages,
                    allowed=h.layout.max_pages,
                    paper=own.job.stock if own is not None else kit_paper(kit, self.options),
                    issues=found,
                    files=files,
                    fillable=b"/AcroForm" in pdf,
                    notes=drawn.notes,
                    over=over,
                ),
            )

    def _drawn_part(self, pdf: bytes, part: Part) -> Part:
        key = part.digest
        if key not in self._texts:
            self._texts[key] = tuple(pages.texts(pdf))
        part = replace(part, texts=self._texts[key][: part.pages])
        self._drawn[part.id] = part
        return part

    def _last_part(
        self, part_id: str, out: str, kind: str, source: Path, issues: tuple[Issue, ...]
    ) -> Part:
        """A part that could not be drawn: its last pictures, if it ever had any."""
        last = self._drawn.get(part_id)
        if last is not None:
            return replace(last, issues=issues, stale=True, files=(), fillable=False)
        name = part_id.rsplit("/", 1)[1]
        return Part(part_id, out, name, kind, display_path(source), issues=issues)


def _file_label(made: Made, what: str = "") -> str:
    """What a download button offers: 'kit.pdf (the whole kit, 7 pages)'."""
    n = made.job.pages
    return f"{made.path.name} ({what}{n} page{'' if n == 1 else 's'})"


def kit_paper(kit: Kit, options: Options) -> str:
    from kitpress.paper import paper

    return paper(options.paper or kit.manifest.paper).human


def _named(kit: Kit, layout: Any) -> tuple:
    """What a problem may name that a layout kept from the last update did not depend
    on: kit.yaml's places (a footer's words too long) and the layout's file (a kit's
    file that only extends the bundled one is the same layout). A kept problem is
    found again when one of them changed, or it would point where they were."""
    source = kit.manifest_source
    return (source.marks if source is not None else None, layout.file)


def _id(h: Handout) -> str:
    return f"{folder_of(h.lang, h.edition)}/{h.name}"


def _variants(kit: Kit) -> list[Variant]:
    """Every language in every edition, whether or not any of its parts loaded."""
    return [(lang, e) for lang in kit.manifest.languages for e in kit.editions]


def _by_place(issue: Issue) -> tuple:
    """Issues by file, then line and column (numerically)."""
    file, _, rest = issue.where.partition(":")
    numbers = [int(n) for n in rest.split(":") if n.isdigit()]
    return (file, numbers, issue.text)


def _over(error: OverLimit) -> str:
    """How far a handout runs past its page limit: pages, and the lines of body text
    that would have to go to bring it back (what spills onto the extra pages)."""
    laid = error.laid_out
    extra = laid.pages - error.allowed
    lines = math.ceil(_spilled(laid, error.allowed))
    pages_word = "page" if extra == 1 else "pages"
    if error.stopped:  # layout stopped this far past the limit: the text goes on
        return (
            f"more than {extra} pages over the limit of {error.allowed}: shorten it by more "
            f"than {lines} lines of text"
        )
    return (
        f"{extra} {pages_word} over the limit of {error.allowed}: shorten it by about "
        f"{lines} line{'' if lines == 1 else 's'} of text"
    )


def _spilled(laid: Flowed, allowed: int) -> float:
    """The height used on the pages past the limit, in lines of body text."""
    layout = laid.ctx.layout
    top = laid.ctx.pagesize[1] - layout.page.margins.top
    used = 0.0
    for page in laid.placed[allowed:]:
        if page:
            used += top - min(p.y for p in page)
    body = layout.styles.body
    return used / (body.leading or body.size * 1.25)
