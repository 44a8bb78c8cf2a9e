"""Issue 18: a 2,000-page kit in less than 200 MB. What a test can see of it without
timing anything: what a build lets go of, what it writes to disk as it goes, and that
writing sooner and leaner changes no byte of any PDF (benchmarks/bench.py --only
pages2000 measures the peak itself)."""

from __future__ import annotations

import gc
import io
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from reportlab.pdfbase.pdfdoc import PDFStream

from kitpress import build, output, yamlio
from kitpress.build import build_kit
from kitpress.errors import FitError
from kitpress.kit import load_kit
from kitpress.paths import bundled
from kitpress.render import canvas as canvas_module
from kitpress.render.canvas import KitCanvas
from kitpress.render.internals import document_of
from tests.pdfread import page_texts


@pytest.fixture
def collector_off() -> Iterator[None]:
    """As a build from the command line runs (see __main__.py): what is left in a
    cycle stays for good, so the tests below see such leaks."""
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def test_a_loaded_kit_keeps_none_of_its_yaml_documents(monkeypatch, collector_off):
    """Each file is read into a document (its data and the position of every value);
    the kit keeps its content models and the positions errors need, never the
    documents: two nested functions that called themselves once held every one of them
    in a cycle (a ten-handout kit: 20 MB)."""
    made: list[weakref.ref] = []
    real = yamlio._Builder.__init__

    def watched(self, path):
        real(self, path)
        made.append(weakref.ref(self.doc))

    monkeypatch.setattr(yamlio._Builder, "__init__", watched)
    kit = load_kit(bundled("kit"))
    assert kit.handouts and len(made) > 10
    alive = [ref().path.name for ref in made if ref() is not None]
    assert not alive, f"still held: {alive}"


def _drawn(canvas: KitCanvas, pages: int = 3) -> None:
    for n in range(pages):
        canvas.setFont(canvas.text_face, 12)
        canvas.drawString(72, 700, f"Page {n + 1}: the same words on every page " * 2)
        canvas.rect(72, 72, 200, 100)
        canvas.showPage()


def _pdf(face: str) -> bytes:
    """Three tagged pages: a structure tree's elements are objects written as bytes."""
    from kitpress.render.tagging import Node, marked
    from kitpress.render.tagging import start as start_tagging

    buffer = io.BytesIO()
    canvas = KitCanvas(buffer, initialFontName=face)
    tagger = start_tagging(canvas, "Pages", "en", "kitpress", "tests")
    section = Node("Sect")
    for n in range(3):
        with marked(canvas, section.add("P")):
            canvas.setFont(canvas.text_face, 12)
            canvas.drawString(72, 700, f"Page {n + 1}: the same words on every page " * 2)
        canvas.showPage()
    tagger.finish()
    canvas.save()
    return buffer.getvalue()


def test_pages_are_compressed_when_finished_and_saved_as_reportlab_saves_them(monkeypatch):
    """A page's content stream is compressed as soon as the page is finished, and the
    file is written object by object with a cross-reference table of its own making:
    the bytes are exactly those ReportLab writes when it keeps every page's text to the
    end and joins the whole file in memory."""
    kit = load_kit(bundled("kit"))
    face = kit.handouts[0].fonts.text.face()
    canvas = KitCanvas(io.BytesIO(), initialFontName=face)
    _drawn(canvas)
    pages = document_of(canvas).Pages.pages
    assert len(pages) == 3
    for page in pages:  # no page's text waits, uncompressed, for the save
        assert page.stream is None and isinstance(page.Contents, PDFStream)
        assert isinstance(page.Contents.content, (bytes, str)) and page.Contents.content
    ours = _pdf(face)

    monkeypatch.setattr(canvas_module, "encode_last_page", lambda canvas: None)
    monkeypatch.setattr(canvas_module, "save_streaming", lambda canvas, file, save: save())
    reportlabs = _pdf(face)
    assert ours == reportlabs and ours.startswith(b"%PDF-") and b"xref\n0 " in ours
    assert ours.count(b"/Type /StructElem") == 5  # Document, Sect, three P


def test_a_pdf_is_written_as_it_is_formatted_not_joined_first():
    """The file gets the PDF a piece at a time, none of them more than a small part of
    it (ReportLab joins the whole file and writes it at once). 100 pages: more than the
    font program, the largest piece."""
    kit = load_kit(bundled("kit"))
    face = kit.handouts[0].fonts.text.face()

    class Recording(io.BytesIO):
        def __init__(self) -> None:
            super().__init__()
            self.sizes: list[int] = []

        def write(self, data) -> int:
            self.sizes.append(len(data))
            return super().write(data)

    file = Recording()
    canvas = KitCanvas(file, initialFontName=face)
    _drawn(canvas, 100)
    canvas.save()
    total = len(file.getvalue())
    assert sum(file.sizes) == total and len(file.sizes) > 200
    assert max(file.sizes) < total / 2


def test_each_pdf_is_in_its_temporary_file_before_the_files_move_into_place(monkeypatch, tmp_path):
    """A whole build hands write_all every PDF as a file already written beside its
    target (not bytes held in memory to the end), kit.pdf included; the files that
    appear are those bytes."""
    handed: list[tuple[Path, object]] = []
    real = build.write_all

    def watched(files, root=None):
        for path, data in files:
            if path.suffix == ".pdf":
                assert isinstance(data, output.Beside), path
                temp = data.temp
                assert temp.parent == path.parent and temp.name.startswith(f".{path.name}.")
                handed.append((path, temp.read_bytes()))
        real(files, root)

    monkeypatch.setattr(build, "write_all", watched)
    out = tmp_path / "out"
    result = build_kit(load_kit(bundled("kit")), out)
    pdfs = [f.path for f in result.files if f.path.suffix == ".pdf"]
    assert sorted(path for path, _ in handed) == sorted(p.resolve() for p in pdfs)
    assert any(path.name == "kit.pdf" for path, _ in handed)
    for path, data in handed:
        assert path.read_bytes() == data
    leftovers = [p.name for p in out.rglob("*") if p.name.startswith(".")]
    assert not leftovers
    assert "When someone you love pulls away" in page_texts(out / "en" / "kit.pdf")[2]


def test_a_build_that_fails_after_writing_some_pdfs_leaves_no_file_or_folder(monkeypatch, tmp_path):
    """PDFs go to their temporary files as the build goes; a handout that fails later
    takes them all away again, and the folders made for them: the output folder is as
    it was (here: not there at all)."""
    real = build.lay_out
    seen: list[str] = []

    def failing(kit, h, paper, options):
        seen.append(h.name)
        if len(seen) == 3:  # two handouts already drawn and written
            raise FitError("too long", h.source.at())
        return real(kit, h, paper, options)

    monkeypatch.setattr(build, "lay_out", failing)
    out = tmp_path / "out"
    with pytest.raises(FitError):
        build_kit(load_kit(bundled("kit")), out)
    assert len(seen) == 3
    assert not out.exists()


def test_a_build_that_fails_part_way_through_kit_pdf_lets_it_go(monkeypatch, tmp_path):
    """A kit.pdf half drawn when a later handout fails is freed with the rest (by the
    cycle collector): its tagger, kept by canvas in a weak-keyed table, held its canvas
    itself, so the entry never died, and each failed build in a process (a test run, a
    program calling build_kit) kept a kit.pdf's pages for good."""
    from kitpress.render.tagging import Tagger

    real = build.lay_out
    seen: list[str] = []

    def failing(kit, h, paper, options):
        seen.append(h.name)
        if len(seen) == 3:  # two handouts already drawn into kit.pdf
            raise FitError("too long", h.source.at())
        return real(kit, h, paper, options)

    monkeypatch.setattr(build, "lay_out", failing)
    with pytest.raises(FitError):
        build_kit(load_kit(bundled("kit")), tmp_path / "out")
    gc.collect()
    assert not [o for o in gc.get_objects() if isinstance(o, (Tagger, KitCanvas))]


def test_a_failed_build_keeps_the_earlier_outputs_as_they_were(monkeypatch, tmp_path):
    out = tmp_path / "out"
    build_kit(load_kit(bundled("kit")), out)
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    real = build.lay_out

    def failing(kit, h, paper, options):
        if h.lang == "es":  # every English file is written by now
            raise FitError("too long", h.source.at())
        return real(kit, h, paper, options)

    monkeypatch.setattr(build, "lay_out", failing)
    with pytest.raises(FitError):
        build_kit(load_kit(bundled("kit")), out)
    after = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert after == before


def test_a_handout_drawn_and_let_go_is_freed(tmp_path):
    """Once a build is done with a handout's layout, nothing keeps it: a preview lays
    out the edited handout on every save, an outreach run each facility's own. A cache
    of page labels on the footer's class once kept every footer, and with it the
    handout's whole context, for thousands of labels (a preview grew at each update)."""
    from kitpress.build import lay_out
    from kitpress.options import Options
    from kitpress.paper import paper

    kit = load_kit(bundled("kit"))
    handout = next(h for h in kit.handouts if h.kind.name == "checklist")
    laid = lay_out(kit, handout, paper(kit.manifest.paper), Options())
    laid.pdf()
    gone = [weakref.ref(x) for x in (laid, laid.footer, laid.ctx)]
    del laid
    gc.collect()
    assert [ref() for ref in gone] == [None, None, None]
