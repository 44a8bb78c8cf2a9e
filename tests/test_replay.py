"""kit.pdf's pages drawn once (render/replay.py): a flowing handout's page body, drawn
for its own PDF, is put on kit.pdf's page as it is, with the codes every PDF of the
build shares (internals.shared_codes). kit.pdf must be exactly what drawing each page
again makes, byte for byte, and a page with objects of its own is drawn again."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from kitpress import paths
from kitpress.build import made_files
from kitpress.kit import load_kit
from kitpress.options import Options
from kitpress.render import replay
from kitpress.render.internals import TaggedTTFont, shared_codes
from kitpress.render.tagging import start as start_tagging
from kitpress.render.tagging import tagger_of


def _reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


FONT = "ReplayTest"
pdfmetrics.registerFont(TaggedTTFont(FONT, str(paths.bundled("fonts") / "Andika-Regular.ttf")))


@pytest.fixture
def long_kit(kit_copy: Path) -> Path:
    """The default kit with an English checklist of about eight pages: every kind of
    section four times, and a list long enough that its table runs onto a new page
    with its header repeated (drawn once for the structure tree)."""
    path = kit_copy / "en" / "withdrawal-signs-checklist.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    long_list = {"heading": "More signs", "items": [f"Sign number {n}" for n in range(70)]}
    data["sections"] = data["sections"] * 4 + [long_list]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (kit_copy / "layouts").mkdir()
    (kit_copy / "layouts" / "checklist.yaml").write_text("extends: checklist\nmax_pages: 12\n")
    return kit_copy


def _build(root: Path, monkeypatch: pytest.MonkeyPatch, again: bool) -> tuple[dict, Counter]:
    """Every file of a build, and how many kit.pdf pages of each handout were put on
    by replay (True) or drawn (False); `again` False draws every page again."""
    replayed: Counter = Counter()
    original = replay.Recorder.replay

    def counted(self: replay.Recorder, canvas: Canvas, number: int) -> bool:
        done = original(self, canvas, number) if again else False
        replayed[done] += 1
        return done

    with monkeypatch.context() as m:
        m.setattr(replay.Recorder, "replay", counted)
        _, made, _ = made_files(load_kit(root), Options())
    return {m.path.as_posix(): m.data for m in made}, replayed


def test_kit_pdf_with_pages_put_on_again_is_kit_pdf_drawn_again(
    long_kit: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    once, replayed = _build(long_kit, monkeypatch, again=True)
    twice, drawn = _build(long_kit, monkeypatch, again=False)
    pages = len(_reader(once["en/withdrawal-signs-checklist.pdf"]).pages)
    assert pages >= 8
    # the long checklist's pages and the Spanish one's went in without drawing
    assert replayed[True] >= pages + 2
    assert drawn[True] == 0
    assert once.keys() == twice.keys()
    for name in once:
        assert once[name] == twice[name], name


def test_pages_with_their_own_objects_are_drawn(
    kit_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worksheet's form fields and the visiting-day sheet's links are objects of
    each PDF: those pages are drawn again for kit.pdf, the checklist's are not."""
    kept: dict[str, int] = {}
    original = replay.Recorder.draw

    def spy(self: replay.Recorder, canvas: Canvas, number: int, body) -> None:  # noqa: ANN001
        original(self, canvas, number, body)
        tagger = tagger_of(canvas)
        assert tagger is not None
        kept[tagger.title] = len(self.takes)

    monkeypatch.setattr(replay.Recorder, "draw", spy)
    _, made, _ = made_files(load_kit(kit_copy), Options())
    titles = {
        m.path.name: _reader(m.data).metadata.title
        for m in made
        if m.path.parent.name == "en" and m.path.name != "kit.pdf"
    }
    assert kept[titles["withdrawal-signs-checklist.pdf"]] >= 1
    assert kept[titles["reconnection-worksheet.pdf"]] == 0
    assert kept[titles["visiting-day.pdf"]] == 0


def _tagged_page() -> Canvas:
    canvas = Canvas(io.BytesIO())
    start_tagging(canvas, "t", "en", "a", "s")
    canvas.setFont(FONT, 12)
    return canvas


def test_a_page_is_not_put_on_with_another_builds_codes() -> None:
    """A preview keeps layouts from one build to the next: a page kept in one build
    gave its characters that build's codes, so another build draws it again."""
    recorder = replay.Recorder()
    with shared_codes():
        first = _tagged_page()
        recorder.begin()
        recorder.draw(first, 1, lambda: first.drawString(72, 72, "Hello"))
        assert 1 in recorder.takes
        other = _tagged_page()
        other.drawString(72, 100, "Hi")  # the font joins this PDF
        assert recorder.replay(other, 1)
    with shared_codes():
        later = _tagged_page()
        later.drawString(72, 100, "Hi")
        assert not recorder.replay(later, 1)
        recorder.draw(later, 2, lambda: later.drawString(72, 72, "Not kept"))
        assert 2 not in recorder.takes  # begun with the other build's codes
    outside = _tagged_page()
    assert not recorder.replay(outside, 1)


def test_a_page_that_made_an_object_of_its_pdf_is_not_kept() -> None:
    """A link, a bookmark or a transparency belongs to the PDF it was drawn in."""
    recorder = replay.Recorder()
    with shared_codes():
        canvas = _tagged_page()
        recorder.begin()
        recorder.draw(canvas, 1, lambda: canvas.drawString(72, 72, "Plain"))
        canvas.showPage()
        recorder.draw(canvas, 2, lambda: canvas.linkURL("https://example.org", (0, 0, 9, 9)))
        canvas.showPage()
        recorder.draw(canvas, 3, lambda: canvas.bookmarkPage("here"))
        canvas.showPage()
        recorder.draw(canvas, 4, lambda: canvas.setFillAlpha(0.5))
        canvas.showPage()
        recorder.draw(canvas, 5, lambda: canvas.addOutlineEntry("Here", "here"))
        canvas.showPage()
        recorder.draw(canvas, 6, lambda: canvas.drawString(72, 72, "Plain again"))
    assert sorted(recorder.takes) == [1, 6]
