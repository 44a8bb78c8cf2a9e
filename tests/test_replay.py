"""kit.pdf's pages drawn once (render/replay.py): a flowing handout's page body, drawn
for its own PDF, is put on kit.pdf's page, its fonts and codes made kit.pdf's where they
differ. kit.pdf must be exactly what drawing each page again makes, byte for byte, and
a page with objects of its own, or a stream that cannot be retargeted, is drawn again."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable
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
from kitpress.render.internals import TaggedTTFont, font_codes, font_names
from kitpress.render.tagging import Node, link, marked, tagger_of
from kitpress.render.tagging import start as start_tagging


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


def _same_builds(root: Path, monkeypatch: pytest.MonkeyPatch) -> Counter:
    once, replayed = _build(root, monkeypatch, again=True)
    twice, drawn = _build(root, monkeypatch, again=False)
    assert drawn[True] == 0
    assert once.keys() == twice.keys()
    for name in once:
        assert once[name] == twice[name], name
    return replayed


def test_kit_pdf_with_pages_put_on_again_is_kit_pdf_drawn_again(
    long_kit: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The long checklist is first in kit.pdf: its fonts are named alike there, and each
    page that gives a character its code in the handout's PDF gives it in kit.pdf."""
    replayed = _same_builds(long_kit, monkeypatch)
    built = _build(long_kit, monkeypatch, again=True)[0]
    assert len(_reader(built["en/withdrawal-signs-checklist.pdf"]).pages) >= 8
    # every page of every handout in kit.pdf (only the cover is drawn there)
    assert replayed[True] == _pages(built, *_REPLAYED)


_REPLAYED = (  # every handout of kit.pdf: its fields and links made again there
    "en/withdrawal-signs-checklist.pdf",
    "es/cuando-se-alejan.pdf",
    "en/reconnection-worksheet.pdf",
    "es/hoja-de-trabajo.pdf",
    "en/visiting-day.pdf",
    "es/dia-de-visita.pdf",
)


def _pages(built: dict, *names: str) -> int:
    return sum(len(_reader(built[name]).pages) for name in names)


def test_a_handout_after_others_in_kit_pdf_is_put_on_with_kit_pdfs_codes(
    long_kit: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checklist last in kit.pdf: the worksheet and the visiting-day sheet before it
    named the fonts and coded their characters (’ “ ” • ¿ ñ …) otherwise than the
    checklist's own PDF does, so every kept page is retargeted to kit.pdf's."""
    manifest = long_kit / "kit.yaml"
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    data["handouts"] = ["visiting-day", "reconnection-worksheet", "withdrawal-signs-checklist"]
    manifest.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    built = _build(long_kit, monkeypatch, again=True)[0]
    assert _same_builds(long_kit, monkeypatch)[True] == _pages(built, *_REPLAYED)


def test_every_handout_page_of_the_default_kit_is_kept(
    long_kit: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worksheet's form fields and the visiting-day sheet's links are objects of
    each PDF, made again in kit.pdf by what made them (`again`): their pages are kept
    like the checklist's, which has neither."""
    kept: dict[str, int] = {}
    original = replay.Recorder.draw

    def spy(self: replay.Recorder, canvas: Canvas, number: int, body) -> None:  # noqa: ANN001
        original(self, canvas, number, body)
        tagger = tagger_of(canvas)
        assert tagger is not None
        kept[tagger.title] = len(self.takes)

    monkeypatch.setattr(replay.Recorder, "draw", spy)
    _, made, _ = made_files(load_kit(long_kit), Options())
    for m in made:
        if m.path.parent.name == "en" and m.path.as_posix() in _REPLAYED:
            reader = _reader(m.data)
            assert kept[reader.metadata.title] == len(reader.pages), m.path


def _tagged_page() -> Canvas:
    canvas = Canvas(io.BytesIO())
    start_tagging(canvas, "t", "en", "a", "s")
    canvas.setFont(FONT, 12)
    return canvas


def test_a_page_coded_otherwise_is_put_on_with_the_codes_of_the_pdf_it_goes_into() -> None:
    """ReportLab codes a font's non-ASCII characters in the order a PDF first draws
    them: a kept page goes onto a PDF that coded them otherwise with that PDF's codes,
    given where it had none, so the page is what drawing it there would make."""
    recorder = replay.Recorder()
    first = _tagged_page()
    first.drawString(72, 90, "¿Sí, o no?")
    recorder.draw(first, 1, lambda: first.drawString(72, 72, "¿Sí? ¡Ñu!"))
    assert recorder.takes == {}  # not begun: nothing kept
    recorder.begin()
    recorder.draw(first, 1, lambda: first.drawString(72, 72, "¿Sí? ¡Ñu!"))
    assert sorted(recorder.takes) == [1]

    def other() -> Canvas:  # the same letters, coded in another order, and "ü" more
        canvas = _tagged_page()
        canvas.drawString(72, 90, "Sí, ¿o no? ü")
        return canvas

    replayed, drawn = other(), other()
    assert recorder.replay(replayed, 1)
    drawn.drawString(72, 72, "¿Sí? ¡Ñu!")
    assert _stream(replayed) == _stream(drawn)  # the page's stream, codes and font names
    assert font_codes(replayed) == font_codes(drawn)
    assert font_names(replayed) == font_names(drawn)
    assert not replay.Recorder().replay(other(), 1)  # nothing kept: drawn, not put on


def test_a_page_whose_codes_the_pdf_gave_alike_is_put_on_as_it_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Where every character the page's PDF had coded has the same code in the PDF it
    goes into (which has coded more), its stream is put on unread: the same bytes as
    drawing it there, which gives no character a code."""
    recorder = replay.Recorder()
    first = _tagged_page()
    recorder.begin()
    recorder.draw(first, 1, lambda: first.drawString(72, 72, "¿Sí?"))

    def ahead() -> Canvas:  # the same first letters, in the same order, and more
        canvas = _tagged_page()
        canvas.drawString(72, 90, "¿Sí, o no? ¡Ñu!")
        return canvas

    replayed, drawn = ahead(), ahead()
    read = Counter()
    real = replay._Retarget.pieces
    monkeypatch.setattr(replay._Retarget, "pieces", lambda self: read.update([1]) or real(self))
    assert recorder.replay(replayed, 1)
    assert read == Counter()  # put on as it is
    drawn.drawString(72, 72, "¿Sí?")
    assert _stream(replayed) == _stream(drawn)
    assert font_codes(replayed) == font_codes(drawn)
    # one character coded otherwise there: read and recoded
    other = _tagged_page()
    other.drawString(72, 90, "Sí ¿")
    assert recorder.replay(other, 1)
    assert read == Counter([1])


def test_a_stream_that_cannot_be_retargeted_for_certain_is_drawn() -> None:
    """Text past a font's first 256 codes, or in a standard font, is drawn again."""
    many = "".join(chr(c) for c in range(0xC0, 0x17F))  # 191 letters: past code 255
    recorder = replay.Recorder()
    canvas = _tagged_page()
    recorder.begin()
    recorder.draw(canvas, 1, lambda: canvas.drawString(72, 72, many))
    canvas.showPage()

    def accented() -> None:
        canvas.setFont(FONT, 12)  # a new page starts in Helvetica
        canvas.drawString(72, 72, "é")

    recorder.draw(canvas, 2, accented)
    canvas.showPage()

    def helvetica() -> None:
        canvas.setFont("Helvetica", 12)
        canvas.drawString(72, 72, "Plain")

    recorder.draw(canvas, 3, helvetica)
    assert sorted(recorder.takes) == [1, 2, 3]
    elsewhere = _tagged_page()
    elsewhere.drawString(72, 90, "ñ")  # so that no code is alike
    assert not recorder.replay(elsewhere, 1)  # codes past 255: a second subset
    assert recorder.replay(elsewhere, 2)
    assert not recorder.replay(elsewhere, 3)


def test_a_page_with_links_is_kept_and_its_links_made_again_where_it_goes() -> None:
    """A link joins the node it is drawn in (or a new Link in it); put on another PDF,
    the page gets links of that PDF's own, joining the same places of the tree."""
    phone, site = Node("P"), Node("P")

    def body(canvas: Canvas) -> Callable[[], None]:
        def draw() -> None:
            with marked(canvas, phone):
                canvas.drawString(72, 72, "Call 555-0100")
                link(canvas, "tel:+15555550100", (72, 70, 150, 84))
            with marked(canvas, site):
                canvas.drawString(72, 50, "example.org")
                link(canvas, "https://example.org", (72, 48, 150, 62))

        return draw

    recorder = replay.Recorder()
    first = _tagged_page()
    recorder.begin()
    recorder.draw(first, 1, body(first))
    assert sorted(recorder.takes) == [1]
    replayed, drawn = _tagged_page(), _tagged_page()
    assert recorder.replay(replayed, 1)
    body(drawn)()
    assert _stream(replayed) == _stream(drawn)
    made, ours = _links(replayed), _links(drawn)
    assert [a.dict["A"].dict["URI"].s for a in made] == [a.dict["A"].dict["URI"].s for a in ours]
    assert [a.dict["Rect"].sequence for a in made] == [a.dict["Rect"].sequence for a in ours]
    assert not set(map(id, made)) & set(map(id, _links(first)))  # each PDF's own
    for canvas in (first, replayed, drawn):  # a Link in the phone's P, in each PDF alone
        tagger = tagger_of(canvas)
        assert tagger is not None and [n.role for n in tagger._children(phone)] == ["Link"]
    assert phone.children is None  # not in the layout's node, which all three share


def _stream(canvas: Canvas) -> str:
    """The current page's content stream as the page will hold it (its pieces, a line
    each: a kept page's come as fewer, longer pieces)."""
    return "\n".join(canvas._code)


def _links(canvas: Canvas) -> list:
    tagger = tagger_of(canvas)
    assert tagger is not None
    return [annot for widgets in tagger._widgets.values() for _, annot, _ in widgets]


def test_a_page_that_made_more_than_its_links_is_not_kept() -> None:
    """A link is made again; a bookmark made on the same page is not: drawn again."""
    recorder = replay.Recorder()
    canvas = _tagged_page()
    node = Node("P")

    def body() -> None:
        with marked(canvas, node):
            canvas.drawString(72, 72, "Here")
            link(canvas, "https://example.org", (72, 70, 150, 84))
        canvas.bookmarkPage("here")

    recorder.begin()
    recorder.draw(canvas, 1, body)
    assert recorder.takes == {}


def test_a_page_that_made_an_object_of_its_pdf_is_not_kept() -> None:
    """A link, a bookmark or a transparency belongs to the PDF it was drawn in."""
    recorder = replay.Recorder()
    canvas = _tagged_page()
    canvas.drawString(72, 90, "Plain again")  # ASCII: every character has its code
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


def test_awkward_text_after_others_in_kit_pdf_is_put_on_as_drawing_makes_it(
    long_kit: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Text the retargeting must read exactly: ( ) and \\ (a backslash before digits
    looks like a code), no-break spaces, symbols in the fallback font, and more
    non-ASCII letters than one block of 256 codes holds (their pages are drawn), with
    the checklist last in kit.pdf, so every code it kept is kit.pdf's otherwise."""
    path = long_kit / "en" / "withdrawal-signs-checklist.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    latin = "".join(chr(c) for c in range(0xC0, 0x17F) if c not in (0xD7, 0xF7))  # 189
    awkward = [
        "Parens (a) ) ( and back\\slash \\101 \\\\ \\0 end",
        "Call 555 123 4567 \u00a0no-break\u00a0spaces",
        "Symbols \u2605 \u260e \u2713 \u2192 in text",
        "caf\u00e9 \u00f1and\u00fa \u00abquotes\u00bb \u2014 \u2026",
    ]
    extra = {"heading": "Awkward (text) \\1 \u2605", "items": awkward}
    lines = [" ".join(latin[i : i + 24]) for i in range(0, len(latin), 24)]
    more = {"heading": "Letters", "items": lines}
    data["sections"] = [extra, *data["sections"], more]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    manifest = long_kit / "kit.yaml"
    kit = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    kit["handouts"] = ["visiting-day", "reconnection-worksheet", "withdrawal-signs-checklist"]
    manifest.write_text(yaml.safe_dump(kit, allow_unicode=True), encoding="utf-8")
    replayed = _same_builds(long_kit, monkeypatch)
    built = _build(long_kit, monkeypatch, again=True)[0]
    text = [page.extract_text() for page in _reader(built["en/kit.pdf"]).pages]
    assert any("back\\slash \\101 \\\\ \\0" in page for page in text)
    own = _reader(built["en/withdrawal-signs-checklist.pdf"])
    fonts = {f["/BaseFont"] for page in own.pages for f in page["/Resources"]["/Font"].values()}
    assert sum(str(f).endswith("+Andika") for f in fonts) == 2  # a second block of codes
    assert replayed[True] > 0


def _counting(monkeypatch: pytest.MonkeyPatch) -> Counter:
    """kit.pdf's pages by (whether their handout ever kept pages to put on, whether
    replay put this one on); a cover keeps none and is drawn."""
    counts: Counter = Counter()
    # held, not only their ids: a recorder freed mid-test would let a cover's new
    # recorder reuse its id and be counted as one that kept pages
    began: dict[int, replay.Recorder] = {}
    begin, original = replay.Recorder.begin, replay.Recorder.replay

    def kept(self: replay.Recorder) -> None:
        began[id(self)] = self
        begin(self)

    def counted(self: replay.Recorder, canvas: Canvas, number: int) -> bool:
        done = original(self, canvas, number)
        counts[id(self) in began, done] += 1
        return done

    monkeypatch.setattr(replay.Recorder, "begin", kept)
    monkeypatch.setattr(replay.Recorder, "replay", counted)
    return counts


def test_a_kept_layout_puts_its_pages_into_every_later_kit_pdf(
    kit_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An outreach run keeps each handout that reads the same for every facility, laid
    out and drawn once (kept.py): the pages kept from that one drawing go into every
    facility's kit.pdf, byte for byte as drawing them again would."""
    from kitpress.kept import KEPT, laid_out_once

    drawn = _build(kit_copy, monkeypatch, again=False)[0]
    kit, options = load_kit(kit_copy), Options()
    KEPT.clear()
    try:
        laid_out = laid_out_once(kit, options)
        counts = _counting(monkeypatch)
        made_files(kit, options, laid_out=laid_out)  # the first facility
        counts.clear()
        _, made, _ = made_files(kit, options, laid_out=laid_out)  # the next
    finally:
        KEPT.clear()
    assert {m.path.as_posix(): m.data for m in made} == drawn
    # every handout page put on, none drawn again; each language's two-page cover drawn
    assert counts == Counter({(True, True): _pages(drawn, *_REPLAYED), (False, False): 4})


@pytest.mark.parametrize("early", [True, False], ids=["handouts first", "all at once"])
def test_the_preview_puts_kept_pages_into_kit_pdf(
    kit_copy: Path, in_tmp: Path, monkeypatch: pytest.MonkeyPatch, early: bool
) -> None:
    """The preview draws each handout's own PDF first (shown at once, before kit.pdf is
    made: `early`), then kit.pdf; after an edit it keeps the handouts that did not
    change. kit.pdf gets their pages as drawn for their own PDFs each time, and is what
    a build writes."""
    from kitpress.build import build_kit
    from kitpress.preview.live import Live

    counts = _counting(monkeypatch)  # from the first drawing on
    live = Live(kit_copy)
    shown: list = []
    for edit in ("", "Some signs"):
        if edit:  # the checklist changes; the other handouts are kept
            checklist = kit_copy / "en" / "withdrawal-signs-checklist.yaml"
            text = checklist.read_text(encoding="utf-8")
            checklist.write_text(text.replace("Signs", edit, 1), encoding="utf-8")
        counts.clear()
        snap = live.update(early=shown.append if early else None)
        during = Counter(counts)  # (not the build below)
        out = in_tmp / f"out{edit}"
        build_kit(load_kit(kit_copy), out)
        written = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.pdf")}
        assert snap.files == written
        # every handout page of each kit.pdf made again put on, as kept from its own
        # PDF's drawing (after the edit only English's kit.pdf is made again); only the
        # covers (two pages each) drawn
        again = [n for n in _REPLAYED if not edit or n.startswith("en/")]
        assert during == Counter(
            {(True, True): _pages(written, *again), (False, False): 4 if not edit else 2}
        )
    assert len(shown) == (2 if early else 0)


def test_a_layout_drawn_for_no_kit_pdf_keeps_no_pages(kit_copy: Path) -> None:
    """A kept layout keeps its pages only when asked before its PDF is drawn: an
    outreach run with --only (no kit.pdf) keeps none, and a layout asked too late
    keeps none either (kit.pdf draws its pages; the same bytes)."""
    from kitpress.kept import KEPT, laid_out_once

    kit = load_kit(kit_copy)
    only = Options(only=("withdrawal-signs-checklist",))
    KEPT.clear()
    try:
        made_files(kit, only, laid_out=laid_out_once(kit, only))
        kept = [drawn.laid for _, drawn in KEPT.values()]
        assert kept and all(not laid.recorder.takes for laid in kept)
        KEPT.clear()
        made_files(kit, Options(), laid_out=laid_out_once(kit, Options()))
        checklists = [d.laid for (name, *_), (_, d) in KEPT.items() if name.startswith("with")]
        assert checklists and all(laid.recorder.takes for laid in checklists)
    finally:
        KEPT.clear()


def test_a_link_where_the_layout_has_no_link_node_gets_one_in_its_pdf_alone() -> None:
    """A link drawn inside a paragraph gets a Link node inside it, in the PDF it is
    drawn or put on again in: the paragraph's node, which every PDF drawn from the
    layout shares (each facility's kit.pdf, every preview update), does not grow a Link
    each time."""
    from tests.tagged import read

    para = Node("P")
    recorder = replay.Recorder()
    recorder.begin()

    def body(canvas: Canvas) -> None:
        with marked(canvas, para):
            canvas.drawString(72, 72, "Call us")
            link(canvas, "https://example.org/", (72, 70, 120, 84))

    for n in range(3):  # drawn and kept, then put on again twice
        canvas = _tagged_page()
        if n == 0:
            recorder.draw(canvas, 1, lambda c=canvas: body(c))
        else:
            assert recorder.replay(canvas, 1)
        canvas.showPage()
        tagger = tagger_of(canvas)
        assert tagger is not None
        tagger.finish()
        tagged = read(io.BytesIO(canvas.getpdfdata()))
        (p,) = [e for e in tagged.elements() if e.role == "P"]
        assert [c.role for c in p.children] == ["Link"] and p.children[0].widgets
    assert para.children is None  # the shared node is as it was laid out
