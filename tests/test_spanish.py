"""The Spanish default kit (kit/es), read back from the PDFs: every word of its YAML in
the right file, no English a reader would see, Spanish metadata, bookmarks and field
tooltips, as many cards as in English, and every page within its limits in Letter, A4
and large print."""

from __future__ import annotations

import logging
import re
import shutil
import string
import subprocess
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from kitpress.build import BuildResult, build_kit
from kitpress.kit import Kit, load_kit
from kitpress.options import Options
from kitpress.paths import bundled
from tests.pdfread import norm, page_texts, text_runs

CHECKLIST, DECK, SHEET = (
    "withdrawal-signs-checklist",
    "letter-prompt-cards",
    "reconnection-worksheet",
)
WHO_SPEAKS = ("Escriba sobre:", "Escriba:", "Pregúntele:", "En vez de:")
# Everyday English words that are not Spanish words: one of them in a Spanish PDF is
# English left behind (a label, a footer, a file name, the calibration sheet's edge).
ENGLISH = re.compile(
    r"\b(the|and|you|your|with|for|of|to|is|are|at|in|on|it|we|our|or|not|be|by|if|from|"
    r"have|will|this|that|what|when|them|they|their|page|pages|long|short|try|instead|"
    r"write|ask|kit|cards?|letters?|worksheet|checklist|calibration|booklet)\b",
    re.IGNORECASE,
)


def yaml_of(lang: str, name: str) -> dict:
    return yaml.safe_load((bundled("kit") / lang / f"{name}.yaml").read_text(encoding="utf-8"))


def manifest() -> dict:
    return yaml.safe_load((bundled("kit") / "kit.yaml").read_text(encoding="utf-8"))


def spanish(key: str) -> str:
    """kit.yaml's text for Spanish: `title`, `name` or `contact`."""
    m = manifest()
    value = m[key] if key == "title" else m["organization"][key]
    return value["es"] if isinstance(value, dict) else value


def printed(node, skip: frozenset[str] = frozenset()) -> list[str]:
    """Every text of a YAML file that is printed: not the program's names (kind, layout,
    file, icon, a block's type, a field's name) or keys the caller skips."""
    names = {"kind", "layout", "file", "icon", "type", *skip}
    out: list[str] = []
    if isinstance(node, dict):
        field = "type" in node or "label" in node  # a worksheet block or a named label
        for k, v in node.items():
            if k in names or (k == "name" and field):
                continue
            out += printed(v, skip)
    elif isinstance(node, list):
        for v in node:
            out += printed(v, skip)
    elif isinstance(node, str):
        out.append(node)
    return out


def filled(text: str) -> str:
    return text.format(**manifest()["crisis"]) if "{" in text else text


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def english_words() -> list[str]:
    """What the English kit prints that Spanish never should: its labels.yaml words
    (placeholders taken out), kit.yaml's English texts and its PDFs' file names."""
    labels = yaml_of("en", "labels")
    values = [v for v in labels.values() if isinstance(v, str)]
    values += [v for group in labels.values() if isinstance(group, dict) for v in group.values()]
    parts = [
        literal.strip(" ·")
        for value in values
        for literal, *_ in string.Formatter().parse(value)
        if re.search("[A-Za-z]", literal)
    ]
    m = manifest()
    texts = [m["title"], m["organization"]["name"], m["organization"]["contact"]]
    kit_yaml = [t["en"] if isinstance(t, dict) else t for t in texts]
    files = [f"{name}.pdf" for name in m["handouts"]]
    return [*parts, *kit_yaml, *files]


def english_in(text: str) -> list[str]:
    """The English words and labels found in a text: none, in Spanish."""
    found = {m.group(0) for m in ENGLISH.finditer(text)}
    found |= {w for w in english_words() if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)}
    return sorted(found)


@pytest.fixture(scope="module")
def kit() -> Kit:
    return load_kit(bundled("kit"))


@pytest.fixture(scope="module", params=["letter", "a4"])
def built(request, tmp_path_factory) -> tuple[Path, BuildResult]:
    """The default kit built once per paper size: its Spanish folder, and the result."""
    out = tmp_path_factory.mktemp(request.param) / "out"
    result = build_kit(load_kit(bundled("kit")), out, Options(paper=request.param))
    return out / "es", result


def spanish_pdfs(folder: Path) -> list[Path]:
    pdfs = sorted(folder.glob("*.pdf"))
    # each handout, the deck's calibration sheet and kit.pdf
    assert len(pdfs) == len(manifest()["handouts"]) + 2
    return pdfs


# --- every Spanish word is printed ------------------------------------------------------


def test_the_spanish_files_have_spanish_names(built):
    folder, _ = built
    files = {p.name for p in spanish_pdfs(folder)}
    assert files == {
        "cuando-se-alejan.pdf",
        "tarjetas-para-cartas.pdf",
        "tarjetas-para-cartas-calibration.pdf",
        "hoja-de-trabajo.pdf",
        "dia-de-visita.pdf",
        "kit.pdf",
    }


@pytest.mark.parametrize(
    "name, pdf",
    [
        (CHECKLIST, "cuando-se-alejan"),
        (SHEET, "hoja-de-trabajo"),
        ("visiting-day", "dia-de-visita"),
    ],
)
def test_every_word_of_a_flowing_handout_is_in_its_pdf_and_in_kit_pdf(built, name, pdf):
    folder, _ = built
    labels = yaml_of("es", "labels")
    words = [filled(t) for t in printed(yaml_of("es", name))]
    if name == CHECKLIST:  # the words it takes from labels.yaml
        words += [labels["noticed"], labels["instead"], labels["try"]]
    own = " ".join(page_texts(folder / f"{pdf}.pdf"))
    whole = " ".join(page_texts(folder / "kit.pdf"))
    for text in (own, whole):
        missing = [w for w in words if norm(w) not in text]
        assert not missing


def test_every_word_of_the_cover_is_in_kit_pdf(built):
    folder, _ = built
    pages = page_texts(folder / "kit.pdf")
    cover = yaml_of("es", "cover")
    front = [cover[k] for k in ("title", "subtitle", "intro", "contents", "separately")]
    assert not [w for w in front if norm(w) not in pages[0]]
    back = [filled(t) for t in printed(cover["back"])]
    assert not [w for w in back if norm(w) not in pages[1]]
    assert "{" not in pages[1]  # the crisis numbers were filled in
    assert "988" in pages[1] and "911" in pages[1]


def test_every_card_and_the_calibration_words_are_printed(built):
    folder, _ = built
    deck = yaml_of("es", DECK)
    reader = PdfReader(folder / "tarjetas-para-cartas.pdf")
    fronts = squash("".join(p.extract_text() for p in reader.pages[0::2]))
    backs = squash("".join(p.extract_text() for p in reader.pages[1::2]))
    position = 0
    for category in deck["categories"]:
        assert squash(category["name"]) in fronts and squash(category["name"]) in backs
        for card in category["cards"]:
            found = fronts.find(squash(card), position)  # in deck order
            assert found >= 0, card
            position = found
    assert squash(deck["title"]) in backs and squash(deck["back_note"]) in backs
    calibration = PdfReader(folder / "tarjetas-para-cartas-calibration.pdf")
    sides = [squash(p.extract_text()) for p in calibration.pages]
    words = deck["calibration"]
    x = y = "0mm"  # the layout's back_offset; it turns on the long edge
    back = [w.format(x=x, y=y, flip=words["long_edge"]) for w in words["back"]]
    for side, lines in ((sides[0], [words["title"], *words["front"]]), (sides[1], back)):
        assert not [w for w in lines if squash(w) not in side]


def test_the_calibration_sheet_names_the_short_edge_in_spanish(tmp_path):
    build_kit(load_kit(bundled("kit")), tmp_path, Options(only=(DECK,), flip="short"))
    text = " ".join(page_texts(tmp_path / "es" / "tarjetas-para-cartas-calibration.pdf"))
    assert yaml_of("es", DECK)["calibration"]["short_edge"] in text
    assert english_in(text) == []


def test_footers_page_labels_and_the_cover_speak_spanish(built):
    folder, _ = built
    labels = yaml_of("es", "labels")
    footer = norm(labels["footer"].format(name=spanish("name"), contact=spanish("contact")))
    pages = page_texts(folder / "cuando-se-alejan.pdf")
    for n, text in enumerate(pages, 1):
        assert footer in text and labels["page"].format(page=n, pages=len(pages)) in text
    kit_pages = page_texts(folder / "kit.pdf")
    assert labels["kit_page"].format(page=3) in kit_pages[2]  # the checklist starts on 3
    # the deck printed on its own is listed by its Spanish title and file name
    assert "Ideas para cartas (tarjetas-para-cartas.pdf)" in kit_pages[0]


# --- no English -------------------------------------------------------------------------


def test_no_english_a_reader_would_see_in_any_spanish_pdf(built):
    folder, _ = built
    for pdf in spanish_pdfs(folder):
        text = " ".join(page_texts(pdf))
        assert english_in(text) == [], pdf.name
        meta = PdfReader(pdf).metadata
        assert english_in(f"{meta.title} {meta.subject} {meta.author}") == [], pdf.name


@pytest.mark.parametrize("name", ["labels", "cover", CHECKLIST, DECK, SHEET])
def test_no_text_of_the_spanish_yaml_is_an_english_one_left_as_it_was(name):
    """A word the pattern above does not know ("Week 2") is caught here: no printed
    text of a Spanish file is the same as a text of its English file."""

    def words(lang: str) -> set[str]:
        texts = {re.sub(r"\{\w*\}", "", t).strip() for t in printed(yaml_of(lang, name))}
        return {t for t in texts if re.search("[A-Za-z]", t)}

    assert words("es") and not words("es") & words("en")


def test_the_english_kit_still_has_its_english_words(built):
    """The check above can find English: the English PDFs are full of it."""
    folder, _ = built
    text = " ".join(page_texts(folder.parent / "en" / "kit.pdf"))
    assert {"the", "and", "you", "Page"} <= set(english_in(text))
    assert "Your group" in text


# --- metadata, bookmarks, form fields --------------------------------------------------


def test_spanish_pdfs_say_they_are_spanish(built):
    folder, _ = built
    titles = {
        "cuando-se-alejan.pdf": yaml_of("es", CHECKLIST)["title"],
        "tarjetas-para-cartas.pdf": yaml_of("es", DECK)["title"],
        "tarjetas-para-cartas-calibration.pdf": yaml_of("es", DECK)["title"],
        "hoja-de-trabajo.pdf": yaml_of("es", SHEET)["title"],
        "dia-de-visita.pdf": yaml_of("es", "visiting-day")["title"],
        "kit.pdf": yaml_of("es", "cover")["title"],
    }
    for pdf in spanish_pdfs(folder):
        reader = PdfReader(pdf)
        assert reader.trailer["/Root"]["/Lang"] == "es", pdf.name
        meta = reader.metadata
        assert (meta.title, meta.subject, meta.author) == (
            titles[pdf.name],
            spanish("title"),
            spanish("name"),
        ), pdf.name


def test_kit_pdf_bookmarks_are_spanish(built):
    folder, _ = built
    reader = PdfReader(folder / "kit.pdf")
    outline = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert outline == [
        (yaml_of("es", "cover")["title"], 0),
        (yaml_of("es", CHECKLIST)["title"], 2),
        (yaml_of("es", SHEET)["title"], 4),
        (yaml_of("es", "visiting-day")["title"], 8),
    ]


def test_the_spanish_worksheet_has_the_english_fields_with_spanish_tooltips(built):
    folder, _ = built
    english = PdfReader(folder.parent / "en" / f"{SHEET}.pdf").get_fields()
    fields = PdfReader(folder / "hoja-de-trabajo.pdf").get_fields()
    assert set(fields) == set(english)  # one form, the same answers, in both languages
    sheet = yaml_of("es", SHEET)
    blocks = [b for s in sheet["sections"] for b in s["blocks"]]
    tips = set()
    for b in blocks:
        tips |= {b[k] for k in ("prompt",) if k in b} | set(b.get("items", []))
        if b["type"] == "tracker":
            tips |= {f"{r['label']}, {c['label']}" for r in b["rows"] for c in b["columns"]}
        if b["type"] == "rewrite":
            tips |= {f"{b[k]} ({n})" for k in ("hard_label", "kinder_label") for n in (1, 2)}
    # a field per ruled line: its tooltip says which line, as "(2/3)"
    shown = {re.sub(r" \(\d+/\d+\)$", "", str(f["/TU"])) for f in fields.values() if "/FT" in f}
    assert shown == tips
    assert english_in(" ".join(shown)) == []


# --- the deck ---------------------------------------------------------------------------


def test_the_spanish_deck_has_at_least_as_many_cards_and_each_says_who_speaks(built, kit):
    folder, _ = built
    decks = {h.lang: h.content for h in kit.handouts if h.name == DECK}
    cards = decks["es"].cards()
    assert len(cards) >= len(decks["en"].cards()) and len(cards) >= 64
    assert len(decks["es"].categories) == len(decks["en"].categories)
    reader = PdfReader(folder / "tarjetas-para-cartas.pdf")
    drawn = sum(
        len(re.findall(rb"/FormXob\.front\d+ Do", p.get_contents().get_data()))
        for p in reader.pages
    )
    assert drawn == len(cards)
    for *_, text in cards:
        assert text.startswith(WHO_SPEAKS), text
    bold = []
    for page in reader.pages[:4:2]:

        def visit(text, cm, tm, font, size, bold=bold):
            if text.strip() in WHO_SPEAKS and font is not None:
                bold.append("Bold" in str(font["/BaseFont"]))

        page.extract_text(visitor_text=visit)
    assert bold and all(bold)


def test_no_spanish_card_shrinks(built):
    _, result = built
    notes = [n for f in result.files if f.path.parent.name == "es" for n in f.notes]
    assert notes == []


# --- page limits ------------------------------------------------------------------------


def test_spanish_pages_are_within_their_limits(built, kit):
    folder, _ = built
    limits = {h.file: h.layout.max_pages for h in kit.handouts if h.lang == "es"}
    assert limits["cuando-se-alejan"] == 2 and limits["hoja-de-trabajo"] == 3
    for name in ("cuando-se-alejan", "hoja-de-trabajo"):
        assert len(PdfReader(folder / f"{name}.pdf").pages) <= limits[name]
    # the cover's front is page 1 and its back page 2: the checklist starts on page 3
    reader = PdfReader(folder / "kit.pdf")
    assert reader.get_destination_page_number(reader.outline[1]) == 2


@pytest.fixture(scope="module", params=["letter", "a4"])
def large_print(request, tmp_path_factory) -> tuple[Path, BuildResult, Kit]:
    out = tmp_path_factory.mktemp(f"large-{request.param}") / "out"
    kit = load_kit(bundled("kit"), ("large-print",))
    result = build_kit(kit, out, Options(paper=request.param))
    return out / "es-large", result, kit


def test_spanish_large_print_fits_and_has_no_small_text(large_print):
    folder, result, kit = large_print
    for h in kit.handouts:
        if h.lang == "es" and h.layout.max_pages is not None:
            assert len(PdfReader(folder / f"{h.file}.pdf").pages) <= h.layout.max_pages
    assert [n for f in result.files if f.path.parent == folder for n in f.notes] == []
    footer = (spanish("name"), "Página ")
    for name in ("cuando-se-alejan", "hoja-de-trabajo", "kit", "tarjetas-para-cartas"):
        runs = text_runs(folder / f"{name}.pdf")
        assert runs
        for page, text, size in runs:
            if text.startswith(footer) or spanish("contact") in text:  # the footer, 14 pt
                assert size >= 14 - 0.01, (name, page, text, size)
            else:
                assert size >= 18 - 0.01, (name, page, text, size)
        assert english_in(" ".join(page_texts(folder / f"{name}.pdf"))) == [], name


def test_spanish_large_print_cover_is_one_page_with_the_crisis_help_behind_it(large_print):
    """The cover says "lea primero el otro lado de esta hoja": in large print, Letter and
    A4 alike, the whole front is page 1 and the when-to-worry box is page 2."""
    folder, _, _ = large_print
    pages = page_texts(folder / "kit.pdf")
    cover = yaml_of("es", "cover")
    front = [cover[k] for k in ("title", "subtitle", "intro", "contents", "separately")]
    assert not [w for w in front if norm(w) not in pages[0]]
    assert "(tarjetas-para-cartas.pdf)" in pages[0]
    assert pages[1].startswith(cover["back"][0]["heading"])
    assert "Me preocupa que intente suicidarse" in pages[1]


# --- crisis numbers ---------------------------------------------------------------------


def test_crisis_numbers_changed_in_kit_yaml_reach_the_spanish_boxes(kit_copy, tmp_path):
    path = kit_copy / "kit.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        .replace('crisis_line: "988"', 'crisis_line: "116 123"')
        .replace('emergency: "911"', 'emergency: "112"'),
        encoding="utf-8",
    )
    build_kit(load_kit(kit_copy), tmp_path / "out")
    back = page_texts(tmp_path / "out/es/kit.pdf")[1]
    checklist = " ".join(page_texts(tmp_path / "out/es/cuando-se-alejan.pdf"))
    for text in (back, checklist):
        assert "al 116 123" in text and "llame al 112." in text
        assert "988" not in text and "911" not in text


# --- booklets and PDF validity ---------------------------------------------------------


@pytest.fixture(scope="module")
def booklets(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("booklets") / "out"
    build_kit(load_kit(bundled("kit")), out, Options(booklet=True))
    return out / "es"


def test_spanish_pdfs_and_booklets_open_cleanly_and_stay_spanish(booklets, caplog):
    pdfs = sorted(booklets.glob("*.pdf"))
    assert {p.name for p in pdfs} >= {"kit-booklet.pdf", "cuando-se-alejan-booklet.pdf"}
    for pdf in pdfs:
        with caplog.at_level(logging.WARNING, logger="pypdf"):
            reader = PdfReader(pdf, strict=True)
            text = " ".join(p.extract_text() for p in reader.pages)
            meta, lang = reader.metadata, reader.trailer["/Root"]["/Lang"]
        assert [r.getMessage() for r in caplog.records] == [], pdf.name
        assert lang == "es" and meta.subject == spanish("title"), pdf.name
        assert english_in(f"{norm(text)} {meta.title}") == [], pdf.name
        if shutil.which("qpdf"):
            check = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, check=False)
            assert check.returncode == 0, pdf.name
