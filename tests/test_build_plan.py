"""The build's joints: one Options from the CLI, the paper registry, typed kinds (a new
kind is one Kind plus its modules), kind words, lay out once for kit.pdf."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path
from typing import Literal

import pytest
import yaml
from pypdf import PdfReader
from reportlab.platypus import Spacer

from kitpress import kinds
from kitpress.build import build_kit, check_kit
from kitpress.cli import cli
from kitpress.content.base import Handout as HandoutBase
from kitpress.content.base import Strict, Text
from kitpress.errors import KitpressError, Source
from kitpress.kinds import Kind
from kitpress.kit import load_kit
from kitpress.layouts.models import BaseLayout
from kitpress.options import Options
from kitpress.paper import PAPERS, Paper
from kitpress.paths import bundled
from kitpress.plan import make_plan
from kitpress.render import flowing
from kitpress.render.context import RenderContext
from kitpress.render.flowing import Flowed, Styles, build_flowing, opening
from tests.pdfread import page_texts, printed


def edit(path: Path, **changes) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


# --- kinds -------------------------------------------------------------------------


def test_every_registered_kind_imports_as_a_typed_kind():
    for name in kinds.names():
        kind = kinds.kind(name)  # a wrong module or attribute name fails here
        assert isinstance(kind, Kind) and kind.name == name
        assert issubclass(kind.layout, BaseLayout)
        assert callable(kind.render)


class Note(Strict):
    """A tiny kind for the test: a title and some lines."""

    kind: Literal["note"]
    layout: Text
    title: Text
    lines: list[Text]


class NoteLayout(BaseLayout):
    pass


def render_note(content: Note, ctx: RenderContext[NoteLayout], source: Source) -> Flowed:
    s = Styles(ctx)
    story = opening(HandoutBase(layout=content.layout, title=content.title), s)
    story += [s.para(line, "body") for line in content.lines]
    return build_flowing(ctx, story, source)


@pytest.fixture
def note_kind():
    kinds.register(Kind("note", Note, NoteLayout, render_note))
    yield
    kinds.unregister("note")


def test_a_new_kind_is_one_kind_plus_its_modules(note_kind, kit_copy, tmp_path):
    """README: a new kind is its content schema, its layout schema and its renderer,
    declared as one Kind; the kit gives it a layout file and a handout file."""
    (kit_copy / "layouts").mkdir()
    (kit_copy / "layouts" / "note.yaml").write_text("extends: base\nkind: note\n")
    manifest = yaml.safe_load((kit_copy / "kit.yaml").read_text())
    for lang in manifest["languages"]:  # a handout has a file in every language
        (kit_copy / lang / "visit-note.yaml").write_text(
            "kind: note\nlayout: note\ntitle: Before the visit\n"
            "lines: [Bring your ID., Leave your phone in the car.]\n"
        )
    edit(kit_copy / "kit.yaml", handouts=[*manifest["handouts"], "visit-note"])
    out = tmp_path / "out"
    result = build_kit(load_kit(kit_copy), out)
    note = out / "en" / "visit-note.pdf"
    assert "Bring your ID. Leave your phone in the car." in page_texts(note)[0]
    kit_text = " ".join(page_texts(out / "en" / "kit.pdf"))
    assert "Before the visit" in kit_text and "Leave your phone in the car." in kit_text
    assert any(f.path == note and f.pages == 1 for f in result.files)


def test_a_misspelt_kind_says_which_kinds_there_are(kit_copy, runner, in_tmp):
    path = kit_copy / "en" / "withdrawal-signs-checklist.yaml"
    path.write_text(path.read_text().replace("kind: checklist", "kind: checklst"))
    result = runner.invoke(cli, ["check", "kit"])
    assert result.exit_code == 1
    assert "unknown kind 'checklst'; did you mean 'checklist'?" in result.stderr


# --- options and paper -------------------------------------------------------------


@pytest.fixture
def deck_options() -> list[Options]:
    """The Options each card deck is rendered with, while the test runs."""
    seen: list[Options] = []
    deck = kinds.kind("card-deck")

    def spy(content, ctx, source):
        seen.append(ctx.options)
        return deck.render(content, ctx, source)

    kinds.register(dataclasses.replace(deck, render=spy))
    yield seen
    kinds.register(deck)


def test_cli_flags_reach_the_renderers_as_one_options(deck_options, runner, kit_copy, in_tmp):
    seen = deck_options
    args = ["build", "kit", "-q", "--paper", "A4", "--flip", "short", "--fronts-only", "--flat"]
    # -j 1: one process, so that the spy sees the Spanish deck too (not in a child)
    result = runner.invoke(cli, [*args, "--copies", "3", "--booklet", "-j", "1"])
    assert result.exit_code == 0, result.stderr
    expected = Options(
        paper="a4", booklet=True, copies=3, flat=True, fronts_only=True, flip="short", jobs=1
    )
    assert seen == [expected, expected]  # the deck in each language, en and es


def test_adding_a_paper_size_is_one_entry(monkeypatch, kit_copy, tmp_path):
    legal = Paper("legal", (612.0, 1008.0), "Legal, 8.5 × 14 in", "Ledger paper")
    monkeypatch.setitem(PAPERS, "legal", legal)
    edit(kit_copy / "kit.yaml", paper="legal")
    result = build_kit(load_kit(kit_copy), tmp_path / "out", Options(booklet=True))
    box = PdfReader(tmp_path / "out" / "en" / "kit.pdf").pages[0].mediabox
    assert (float(box.width), float(box.height)) == (612.0, 1008.0)
    assert "Ledger paper" in result.plan


def test_the_plan_is_made_without_drawing(kit_copy):
    kit = load_kit(kit_copy)
    plan = make_plan(kit, Options(only=("letter-prompt-cards",), paper="a4"))
    assert [(h.name, h.lang) for h in plan.handouts] == [
        ("letter-prompt-cards", "en"),
        ("letter-prompt-cards", "es"),
    ]
    assert plan.paper.size == PAPERS["a4"].size and not plan.whole
    whole = make_plan(kit, Options())
    assert whole.whole and whole.combined == (("en", "standard"), ("es", "standard"))
    assert whole.paper.name == "letter"


# --- lay out once; kit.pdf shares its fonts ----------------------------------------


def test_kit_pdf_lays_each_handout_out_once(monkeypatch, kit_copy, tmp_path):
    calls: list[str] = []
    real = flowing.build_flowing

    def counting(ctx, story, source, *args, **kwargs):
        calls.append(ctx.title)
        return real(ctx, story, source, *args, **kwargs)

    for module in ("checklist", "worksheet", "cover"):
        monkeypatch.setattr(f"kitpress.render.{module}.build_flowing", counting)
    build_kit(load_kit(kit_copy), tmp_path / "out")
    english = ["When someone you love pulls away", "Staying close when they pull away"]
    spanish = ["Cuando un ser querido se aleja", "Seguir cerca cuando se alejan"]
    covers = ["Staying Close", "Seguimos cerca"]
    assert sorted(calls) == sorted(english + spanish + covers)


def test_each_layout_is_let_go_once_drawn_into_kit_pdf(monkeypatch, tmp_path):
    """kit.pdf is drawn as the build goes, so no layout waits for the end: when a
    handout is laid out, the layouts before it are gone, freed by reference counting
    (a build holds the cycle collector; a 2,000-page kit held every layout). The
    cover, drawn last, still lists the pages the handouts start on."""
    import gc
    import weakref

    from kitpress import build

    gc.collect()
    earlier: list[weakref.ref] = []
    real = build.lay_out

    def watched(kit, h, paper, options):
        alive = [ref() for ref in earlier if ref() is not None]
        assert not alive, f"{len(alive)} layouts still held when {h.name} is laid out"
        r = real(kit, h, paper, options)
        if isinstance(r, Flowed):  # what it placed, not only the list of it
            earlier.extend(weakref.ref(p.flowable) for page in r.placed for p in page)
        return r

    monkeypatch.setattr(build, "lay_out", watched)
    result = build_kit(load_kit(bundled("kit")), tmp_path / "out")
    assert len(earlier) > 50
    pages = page_texts(tmp_path / "out" / "en" / "kit.pdf")
    cover = pages[0]
    for title, first in (("When someone you love pulls away", 3), ("Visiting day", 9)):
        assert title in cover and title in pages[first - 1]
    assert result.files


def test_a_part_of_kit_pdf_never_takes_an_earlier_parts_drawn_flowable_for_its_own():
    """Flowables are known by id while a document is drawn (a table's header row drawn
    again on a later page is an artifact the second time); a handout's flowables are
    freed once it is in kit.pdf, and Python may give their ids to the next one's."""
    import io as _io

    from reportlab.pdfgen.canvas import Canvas

    from kitpress.render.tagging import _Marked, start

    canvas = Canvas(_io.BytesIO())
    tagger = start(canvas, "t", "en", "a", "s")
    flowable = _Marked(Spacer(1, 1), (None, None))
    tagger.part("Part", "one")
    assert tagger.first_time(flowable) and not tagger.first_time(flowable)
    tagger.part("Part", "two")  # a new handout: the same id is a new flowable
    assert tagger.first_time(flowable)


def _descriptor(font):
    descendants = font.get("/DescendantFonts")
    target = descendants[0].get_object() if descendants else font
    return target.get("/FontDescriptor")


def _embedded_subsets(pdf: Path) -> list[str]:
    """BaseFont of every distinct embedded font program (one per subset)."""
    reader = PdfReader(pdf)
    seen: dict[int, str] = {}
    for page in reader.pages:
        for ref in page["/Resources"].get_object().get("/Font", {}).values():
            desc = _descriptor(ref.get_object())
            if desc is not None and "/FontFile2" in desc.get_object():
                program = desc.get_object().raw_get("/FontFile2")  # the indirect reference
                seen[program.idnum] = str(ref.get_object()["/BaseFont"])
    return sorted(seen.values())


def test_kit_pdf_embeds_each_font_once_not_once_per_handout(runner, kit_copy, in_tmp):
    assert runner.invoke(cli, ["build", "kit", "-q"]).exit_code == 0
    subsets = _embedded_subsets(in_tmp / "out" / "en" / "kit.pdf")
    # one subset per face used (ReportLab's subsets hold 256 glyphs each), not one per
    # handout and face as when kit.pdf was joined from finished PDFs
    assert len(subsets) == len(set(subsets))
    faces = {name.split("+", 1)[1] for name in subsets}
    assert len(subsets) == len(faces) <= 4
    handout_faces = set()
    for name in ("withdrawal-signs-checklist", "reconnection-worksheet"):
        handout_faces |= {
            n.split("+", 1)[1] for n in _embedded_subsets(in_tmp / "out" / "en" / f"{name}.pdf")
        }
    assert faces == handout_faces


def test_check_lays_out_without_drawing(monkeypatch, kit_copy):
    def no_drawing(self, *args, **kwargs):
        raise AssertionError("check drew a page")

    monkeypatch.setattr(Flowed, "pdf", no_drawing)
    monkeypatch.setattr(Flowed, "draw_into", no_drawing)
    results = check_kit(load_kit(kit_copy))
    assert [(h.lang, r.pages) for h, r in results] == [
        (lang, pages) for lang in ("en", "es") for pages in (2, 16, 3, 2)
    ]


def test_a_laid_out_handout_draws_the_same_pdf_twice(kit_copy):
    from kitpress.build import lay_out
    from kitpress.paper import paper

    kit = load_kit(kit_copy)
    laid = lay_out(kit, kit.handouts[0], paper("letter"), Options())
    assert laid.pdf() == laid.pdf()
    assert isinstance(laid, Flowed) and laid.pages == len(PdfReader(io.BytesIO(laid.pdf())).pages)


def test_laying_out_makes_no_pdf_page(monkeypatch, kit_copy):
    """Platypus turns each page it lays out on a canvas never saved (canvas.LayoutCanvas):
    no page object is made, no empty stream compressed. The pages are counted all
    the same, and drawn as many."""
    from reportlab.pdfbase import pdfdoc

    from kitpress.build import lay_out
    from kitpress.paper import paper

    kit = load_kit(kit_copy)
    made: list[object] = []
    real = pdfdoc.PDFPage.__init__

    def counted(self, *args, **kwargs):
        made.append(self)
        real(self, *args, **kwargs)

    monkeypatch.setattr(pdfdoc.PDFPage, "__init__", counted)
    worksheet = next(h for h in kit.handouts if h.kind.name == "worksheet")
    laid = lay_out(kit, worksheet, paper("letter"), Options())
    assert isinstance(laid, Flowed) and laid.pages > 1 and made == []
    assert len(PdfReader(io.BytesIO(laid.pdf())).pages) == len(made) == laid.pages


# --- a kind's words -----------------------------------------------------------------

CHECKLIST = "withdrawal-signs-checklist"


def _checklist_text(kit: Path, tmp_path: Path) -> str:
    build_kit(load_kit(kit), tmp_path / "out", Options(only=(CHECKLIST,)))
    return " ".join(page_texts(tmp_path / "out" / "en" / f"{CHECKLIST}.pdf"))


def test_checklist_words_come_from_labels_by_default(kit_copy, tmp_path):
    text = _checklist_text(kit_copy, tmp_path)
    assert "When I noticed" in text and "Instead of" in text


def test_a_handout_sets_or_turns_off_its_own_words(kit_copy, tmp_path):
    edit(kit_copy / "en" / f"{CHECKLIST}.yaml", noticed=False, instead="Not", **{"try": "But"})
    text = _checklist_text(kit_copy, tmp_path)
    swaps = next(
        s["swaps"]
        for s in yaml.safe_load((kit_copy / "en" / f"{CHECKLIST}.yaml").read_text())["sections"]
        if "swaps" in s
    )
    assert "When I noticed" not in text and "Instead of" not in text
    assert f"Not “{printed(swaps[0]['instead'])}”" in text
    assert "But “" in text


def test_labels_need_not_carry_a_kinds_words_when_the_handout_does(kit_copy, tmp_path):
    labels = kit_copy / "en" / "labels.yaml"
    data = yaml.safe_load(labels.read_text(encoding="utf-8"))
    for word in ("noticed", "instead", "try"):
        del data[word]
    labels.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    edit(
        kit_copy / "en" / f"{CHECKLIST}.yaml",
        noticed="Seen on",
        instead="Instead of",
        **{"try": "Try"},
    )
    assert "Seen on" in _checklist_text(kit_copy, tmp_path)


def test_a_misspelt_word_in_labels_gets_did_you_mean(kit_copy, runner, in_tmp):
    labels = kit_copy / "en" / "labels.yaml"
    labels.write_text(labels.read_text().replace("noticed:", "notced:"))
    result = runner.invoke(cli, ["check", "kit"])
    assert result.exit_code == 1
    assert result.stderr.endswith("notced: unknown key; did you mean 'noticed'?\n")


def test_check_meets_a_kit_page_label_too_wide_for_the_footer(kit_copy, tmp_path):
    """kit.pdf's page labels ("Page 7") are set beside the organization in each footer
    only as kit.pdf is drawn: check, which draws nothing, fails on them as build does."""
    labels = kit_copy / "en" / "labels.yaml"
    text = labels.read_text(encoding="utf-8")
    long = 'kit_page: "Page {page} of the Staying Close kit, printed for you by your group"'
    labels.write_text(text.replace('kit_page: "Page {page}"', long), encoding="utf-8")
    with pytest.raises(KitpressError) as caught:
        build_kit(load_kit(kit_copy), tmp_path / "out", Options(jobs=1))
    assert "too long for the footer of every page" in str(caught.value)
    problems: list[KitpressError] = []
    check_kit(load_kit(kit_copy), problems=problems)
    assert [str(p) for p in problems] == [str(caught.value)]
