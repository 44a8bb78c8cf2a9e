"""From paper to phone: with kit.yaml's `web:`, every printed flowing handout carries
a QR code of its own web page, in its own language, and the short address. The codes
are read back with zxing-cpp from pdftoppm renders at 200 dpi, as a phone would see
a printed page."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from kitpress.build import build_kit, context, lay_out
from kitpress.errors import FitError
from kitpress.kit import load_kit
from kitpress.options import Options
from kitpress.paper import paper
from kitpress.render.flowing import Placed
from kitpress.render.weblink import MIN_MODULE, place_link
from tests.pdfread import page_texts, text_runs

zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp is not installed (the test extra)")
pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed"
)

WEB = "https://familycircle.example.org/staying-close"
WORDS = "Read this on a phone:"
DECK = "letter-prompt-cards"


def edit(path: Path, **changes) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def codes(pdf: Path, tmp: Path, first: int = 1, last: int | None = None) -> list[list[str]]:
    """The QR codes on each page of a PDF (pages `first` to `last`, counted from 1; all
    by default), read from a 200 dpi render."""
    from PIL import Image

    prefix = tmp / f"{pdf.stem}-{first}"
    pages_wanted = ["-f", str(first)] + (["-l", str(last)] if last is not None else [])
    subprocess.run(
        ["pdftoppm", "-r", "200", *pages_wanted, "-png", str(pdf), str(prefix)], check=True
    )
    pages = sorted(tmp.glob(f"{prefix.name}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return [[r.text for r in zxingcpp.read_barcodes(Image.open(p))] for p in pages]


@pytest.fixture(scope="module")
def kits(tmp_path_factory) -> Path:
    """The default kit with web: and a second language whose checklist has its own
    file name; and the same kit without web:."""
    root = tmp_path_factory.mktemp("weblink")
    from kitpress.paths import bundled

    kit = root / "kit"
    shutil.copytree(bundled("kit"), kit)
    edit(kit / "es" / "withdrawal-signs-checklist.yaml", file="senales")
    plain = root / "plain"
    shutil.copytree(kit, plain)
    edit(kit / "kit.yaml", web=WEB + "/")  # a trailing / is fine
    return root


@pytest.fixture(scope="module")
def built(kits) -> Path:
    out = kits / "out"
    build_kit(load_kit(kits / "kit", ("standard", "large-print")), out, Options())
    return out


@pytest.mark.parametrize("folder", ["en", "es", "en-large"])
def test_each_handout_links_to_its_own_page_in_its_own_language(kits, built, tmp_path, folder):
    lang = folder[:2]
    kit = load_kit(kits / "kit")
    files = {h.name: h.file for h in kit.handouts if h.lang == lang}
    words = yaml.safe_load((kits / "kit" / lang / "labels.yaml").read_text())["web"]["phone"]
    for name in ("withdrawal-signs-checklist", "reconnection-worksheet"):
        file = files[name]  # its name in this language (es: its own file: name)
        found = codes(built / folder / f"{file}.pdf", tmp_path)
        url = f"{WEB}/{lang}/{file}.html"
        on = [i for i, c in enumerate(found) if c]
        assert len(on) == 1 and found[on[0]] == [url], (file, found)  # once per handout
        text = page_texts(built / folder / f"{file}.pdf")[on[0]]
        assert words in text and url.removeprefix("https://") in text.replace(" ", "")


@pytest.mark.parametrize("folder", ["en", "es-large"])
def test_every_card_back_links_to_the_decks_own_page(kits, built, tmp_path, folder):
    """Cards are cut apart and handed out one by one: each back carries the deck's
    code (in place of the category's icon, which every front shows) and the words
    over the short address; the fronts carry none. A screen reader hears it once,
    on the first back, where it is also a link."""
    lang = folder[:2]
    file = next(
        h.file for h in load_kit(kits / "kit").handouts if h.name == DECK and h.lang == lang
    )
    pdf = built / folder / f"{file}.pdf"
    url = f"{WEB}/{lang}/{file}.html"
    reader = PdfReader(pdf)
    pages = len(reader.pages)
    # the first two sheets and the last, each front and back (a large-print deck has 64
    # pages: rendering all of them at 200 dpi was a fifth of the suite's slowest tests)
    found = codes(pdf, tmp_path, 1, 4) + codes(pdf, tmp_path, pages - 1, pages)
    per_sheet = len(found[1])
    assert pages >= 4 and pages % 2 == 0
    assert per_sheet >= 2 and all(not c for c in found[0::2])  # fronts: no code
    assert all(c == [url] * per_sheet for c in found[1::2])  # each back: every card's
    words = yaml.safe_load((kits / "kit" / lang / "labels.yaml").read_text())["web"]["phone"]
    back = page_texts(pdf)[1].replace(" ", "")
    assert back.count(words.replace(" ", "")) == per_sheet
    assert back.count(url.removeprefix("https://")) == per_sheet  # broken, nothing added
    links = [
        (i, a.get_object()["/A"]["/URI"])
        for i, page in enumerate(reader.pages)
        for a in page.get("/Annots", [])
        if a.get_object().get("/Subtype") == "/Link"
    ]
    assert links == [(1, url)]


def test_a_card_back_with_no_room_for_the_code_says_so(kits, tmp_path):
    """A back that fits without the code but not with it is an error that says so."""
    kit = tmp_path / "kit"
    shutil.copytree(kits / "plain", kit)
    deck = kit / "en" / f"{DECK}.yaml"
    note = yaml.safe_load(deck.read_text(encoding="utf-8"))["back_note"]
    edit(deck, back_note=f"{note} {note} {note}")
    build_kit(load_kit(kit), tmp_path / "plain", Options(only=(DECK,)))  # fits: no code
    edit(kit / "kit.yaml", web=WEB)
    with pytest.raises(
        FitError,
        match=r"the card back \(deck title, 'Light topics', back_note "
        r"and the code of its web page\) does not fit a 2\.5 x 3\.5 in card; "
        r"shorten the words or kit.yaml's web: address",
    ):
        build_kit(load_kit(kit), tmp_path / "out", Options(only=(DECK,)))


def test_words_too_wide_for_a_card_back_are_an_error_not_a_missing_code(kits, tmp_path):
    kit = tmp_path / "kit"
    shutil.copytree(kits / "kit", kit)
    labels = yaml.safe_load((kit / "en" / "labels.yaml").read_text(encoding="utf-8"))
    labels["web"]["phone"] = "Readthisonaphonewithoutanyspacesatall:"
    (kit / "en" / "labels.yaml").write_text(yaml.safe_dump(labels, allow_unicode=True))
    with pytest.raises(
        FitError,
        match=r"a word of .Readthisonaphone.* is wider than a 2\.5 in "
        r"card's back, where it goes under the code of the deck's web page",
    ):
        build_kit(load_kit(kit), tmp_path / "out", Options(only=(DECK,)))


def test_kit_pdf_has_the_index_on_its_cover_and_each_handouts_own_code(built, tmp_path):
    found = codes(built / "en" / "kit.pdf", tmp_path)
    assert found[0] == [f"{WEB}/en/"]
    # a resource sheet's own codes (its entries' websites) are not links to the web edition
    pages = [(i, url) for i, c in enumerate(found) for url in c if url.startswith(WEB)]
    assert pages[:3] == [
        (0, f"{WEB}/en/"),
        (2, f"{WEB}/en/withdrawal-signs-checklist.html"),
        (4, f"{WEB}/en/reconnection-worksheet.html"),
    ]
    assert all(url == f"{WEB}/en/visiting-day.html" for _, url in pages[3:])


def test_the_code_is_a_link_too(built):
    reader = PdfReader(built / "en" / "reconnection-worksheet.pdf")
    uris = [
        a.get_object()["/A"]["/URI"]
        for a in reader.pages[0].get("/Annots", [])
        if a.get_object().get("/Subtype") == "/Link"
    ]
    assert uris == [f"{WEB}/en/reconnection-worksheet.html"]


def test_the_code_moves_no_line_of_the_handout(kits, built, tmp_path):
    """Placed after layout into room that is free: every other word is where it was."""
    plain = tmp_path / "plain"
    build_kit(load_kit(kits / "plain", ("standard", "large-print")), plain, Options())
    for pdf in ("en/withdrawal-signs-checklist.pdf", "en/kit.pdf", "en-large/kit.pdf"):
        before = set(_placed_text(plain / pdf))
        added = [r for r in _placed_text(built / pdf) if r not in before]
        assert added and {t for _, t, _ in added} <= {WORDS, *_address_lines(built / pdf)}
        assert len(PdfReader(built / pdf).pages) == len(PdfReader(plain / pdf).pages)
    no_web = [url for c in codes(plain / "en" / "kit.pdf", tmp_path) for url in c]
    assert not any(url.startswith(WEB) for url in no_web)  # no web:, no code


def _placed_text(pdf: Path) -> list[tuple[int, str, tuple[float, float]]]:
    """(page, text, where on the page) of every text run."""
    runs = []
    for i, page in enumerate(PdfReader(pdf).pages):

        def visit(text, cm, tm, font, size, i=i):
            if text.strip():
                x, y = tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                runs.append((i, text.strip(), (round(x, 1), round(y, 1))))

        page.extract_text(visitor_text=visit)
    return runs


def _address_lines(pdf: Path) -> set[str]:
    runs = [t.strip() for _, t, _ in text_runs(pdf)]
    return {t for t in runs if "example.org" in t or t.endswith(".html")}


def test_a4_and_a_long_address_still_read(kits, tmp_path):
    """A4, and an address of 99 characters: a bigger code, at smaller squares (never
    under 0.4 mm), the address broken after a /."""
    long = "https://familycircle-support-group.example.org/handouts/2026/staying-close-when-they"
    edit(kits / "kit" / "kit.yaml", web=long)
    try:
        out = tmp_path / "out"
        kit = load_kit(kits / "kit")
        build_kit(kit, out, Options(paper="a4", only=("withdrawal-signs-checklist",)))
        found = codes(out / "en" / "withdrawal-signs-checklist.pdf", tmp_path)
        assert found[0] == [f"{long}/en/withdrawal-signs-checklist.html"]
    finally:
        edit(kits / "kit" / "kit.yaml", web=WEB)


def test_no_page_with_room_is_one_clear_error(kits):
    kit = load_kit(kits / "kit")
    h = next(x for x in kit.handouts if x.name == "withdrawal-signs-checklist")
    laid = lay_out(kit, h, paper("letter"), Options())
    ctx = context(kit, h, h.title, paper("letter"), Options())
    full = [[Placed(None, 0, laid.footer.rule_y + 10, 0)] for _ in laid.placed]
    with pytest.raises(FitError) as error:
        place_link(ctx, laid.footer, full, h.source)
    message = str(error.value)
    assert "withdrawal-signs-checklist.yaml: kit.yaml gives web:, but no page" in message
    assert f"{(45 * MIN_MODULE) / 72:.2f} in free" in message  # 37 squares + quiet zones
