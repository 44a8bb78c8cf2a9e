"""Tagged PDF (issue 16): every PDF of the default kit, in every language folder (en and
es) and in the large-print edition, has a structure tree a screen reader can follow.
The kit is built with kit.yaml's `web:` turned on, so the QR links to the web edition
are checked too.

Read back two ways that share no code (tests/tagged.py): pypdf for the objects (the
tree, marked content on the pages, widgets) and poppler's `pdfinfo -struct-text` for
the text of each element. Booklets are print imposition and are not tagged (README).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.platypus import Paragraph

from kitpress.build import build_kit
from kitpress.content.cards import CardDeck
from kitpress.content.checklist import Checklist
from kitpress.content.resources import ResourceSheet
from kitpress.content.worksheet import Worksheet
from kitpress.kit import Kit, load_kit
from kitpress.options import Options
from kitpress.paths import bundled
from kitpress.plan import folder
from tests import tagged
from tests.pdfread import norm

needs_poppler = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="no poppler-utils")
HEADING = re.compile(r"H(\d)$")
WEB = "https://example.org/staying-close"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Kit, Path]:
    """The default kit (every language) in both editions, with its web links."""
    base = tmp_path_factory.mktemp("tagged")
    shutil.copytree(bundled("kit"), base / "kit")
    manifest = base / "kit" / "kit.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert f"# web: {WEB}" in text
    manifest.write_text(text.replace(f"# web: {WEB}", f"web: {WEB}"), encoding="utf-8")
    kit = load_kit(base / "kit", ("standard", "large-print"))
    build_kit(kit, base / "out")
    return kit, base / "out"


def pdfs(out: Path) -> list[Path]:
    found = sorted(p for p in out.rglob("*.pdf") if not p.stem.endswith("-booklet"))
    assert found
    return found


def handouts(kit: Kit, out: Path, kind: type) -> list[tuple[object, Path]]:
    """(content, its PDF) for every handout of that kind, in every folder."""
    found = [
        (h.content, out / folder(h.lang, h.edition) / f"{h.file}.pdf")
        for h in kit.handouts
        if isinstance(h.content, kind)
    ]
    assert found
    return found


def test_both_editions_of_every_language_are_checked(built) -> None:
    kit, out = built
    folders = {p.parent.name for p in pdfs(out)}
    assert folders == {folder(lang, e) for lang in kit.manifest.languages for e in kit.editions}
    assert {"en", "en-large", "es", "es-large"} <= folders


@needs_poppler
def test_pdfinfo_says_tagged(built) -> None:
    for pdf in pdfs(built[1]):
        assert tagged.pdfinfo(pdf)["Tagged"] == "yes", pdf


def test_catalog_says_marked_with_language_title_and_pdfua_metadata(built) -> None:
    for pdf in pdfs(built[1]):
        reader = PdfReader(pdf)
        root = reader.trailer["/Root"]
        assert root["/MarkInfo"]["/Marked"].value is True, pdf
        assert root["/Lang"] == pdf.parent.name.split("-")[0], pdf
        assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True, pdf
        xmp = ET.fromstring(root["/Metadata"].get_object().get_data())
        ns = {
            "dc": "http://purl.org/dc/elements/1.1/",
            "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
            "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
        }
        title = xmp.find(".//dc:title/rdf:Alt/rdf:li", ns)
        assert title is not None and title.text == reader.metadata.title, pdf
        assert xmp.find(".//pdfuaid:part", ns).text == "1", pdf


def test_everything_painted_is_in_the_tree_or_an_artifact(built) -> None:
    """Every text, path, image and form drawn on every page sits in marked content that
    is either an artifact or an MCID the tree holds (checked both ways: through the
    elements and through the parent tree), and every MCID in the tree is on its page."""
    for pdf in pdfs(built[1]):
        check_marked(pdf)


def check_marked(pdf: Path) -> tagged.Tagged:
    """Every painting operator marked; return the PDF read with pypdf."""
    t = tagged.read(pdf)
    owner = {m: e for e in t.elements() for m in e.mcids}
    seen = set()
    texts = 0
    for p in tagged.painted(t.reader):
        assert len(p.marks) == 1, f"{pdf} page {p.page + 1}: {p.operator} in {p.marks}"
        tag, mcid = p.marks[0]
        texts += p.operator in tagged.TEXT
        if tag == "Artifact":
            continue
        assert mcid is not None, f"{pdf} page {p.page + 1}: {p.operator} in /{tag}"
        elem = owner.get((p.page, mcid))
        assert elem is not None, f"{pdf} page {p.page + 1}: MCID {mcid} is not in the tree"
        assert elem.role == tag
        page = t.reader.pages[p.page]
        from_parent_tree = t.parent_tree[page["/StructParents"]][mcid].get_object()
        assert from_parent_tree is elem.obj or from_parent_tree == elem.obj
        seen.add((p.page, mcid))
    assert texts, pdf
    assert seen == set(owner), f"{pdf}: MCIDs in the tree but not on the pages"
    return t


def test_a_list_that_runs_onto_the_next_page_stays_one_list(kit_copy: Path, tmp_path) -> None:
    """A checklist's items split across pages: one list, its items in order, and the
    column's header (repeated on the new page for the eye) read once."""
    path = kit_copy / "en" / "withdrawal-signs-checklist.yaml"
    items = [f"Sign number {n} that you may notice" for n in range(60)]
    path.write_text(
        "kind: checklist\nlayout: checklist\ntitle: Signs\nsections:\n"
        "  - heading: Signs you may notice\n    items:\n"
        + "".join(f"      - {i}\n" for i in items),
        encoding="utf-8",
    )
    (kit_copy / "layouts").mkdir()
    (kit_copy / "layouts" / "checklist.yaml").write_text("extends: checklist\nmax_pages: 4\n")
    build_kit(load_kit(kit_copy), tmp_path / "out", Options(only=("withdrawal-signs-checklist",)))
    pdf = tmp_path / "out" / "en" / "withdrawal-signs-checklist.pdf"
    t = check_marked(pdf)
    assert len(t.reader.pages) > 1
    (listing,) = [e for e in t.elements() if e.role == "L"]
    pages = {page for li in listing.children for e in li.walk() for page, _ in e.mcids}
    assert len(pages) > 1 and [li.role for li in listing.children] == ["LI"] * len(items)
    if shutil.which("pdfinfo"):
        root = tagged.poppler(pdf)
        (read,) = [e for e in root.walk() if e.role == "L"]
        assert [li.children[-1].text for li in read.children] == items
        noticed = [e for e in root.walk() if e.text == "When I noticed"]
        assert len(noticed) == 1


def test_page_text_outside_the_tree_is_only_footers(built) -> None:
    """The words on the pages (read by position, pdftotext) that the tree does not hold
    are page furniture: the footer's organisation line and page numbers. A paragraph
    a renderer forgot to mark would show up here."""
    if shutil.which("pdftotext") is None:
        pytest.skip("no poppler-utils")
    kit, out = built
    furniture: dict[str, set[str]] = {}  # by output folder: the footer's words
    for h in kit.handouts:
        org, labels = kit.manifest.masthead(h.lang).organization, h.labels
        words = f"{labels.page} {labels.kit_page} {labels.footer} {org.name} {org.contact}"
        furniture.setdefault(folder(h.lang, h.edition), set()).update(re.findall(r"\w+", words))
    for pdf in pdfs(out):
        if pdf.stem.startswith("letter-prompt-cards"):
            continue  # card backs repeat: see test_card_text_reads_card_by_card
        shown = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
            capture_output=True,
            encoding="utf-8",
            check=True,
        ).stdout
        words = Counter(re.findall(r"\w+", shown))
        read = Counter(re.findall(r"\w+", tagged.poppler(pdf).all_text()))
        # a word the tree holds may be on the page more often: a table's header row is
        # drawn again above its rows on the next page and read once (its own test above)
        missing = {w for w in words - read if not w.isdigit() and w not in read}
        allowed = furniture[pdf.parent.name]
        assert missing <= allowed, f"{pdf}: {sorted(missing - allowed)}"
        assert not (read - words), f"{pdf}: the tree holds words not on the page"


def headings(root: tagged.Read) -> list[tuple[int, str]]:
    return [(int(m.group(1)), e.text) for e in root.walk() if (m := HEADING.match(e.role))]


@needs_poppler
def test_headings_start_at_h1_and_never_skip_a_level(built) -> None:
    for pdf in pdfs(built[1]):
        levels = [level for level, _ in headings(tagged.poppler(pdf))]
        assert levels and levels[0] == 1, pdf
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), pdf


@needs_poppler
def test_checklist_headings_and_items_in_order(built) -> None:
    kit, out = built
    for content, pdf in handouts(kit, out, Checklist):
        assert isinstance(content, Checklist)
        root = tagged.poppler(pdf)
        found = headings(root)
        assert found[0] == (1, norm(content.title))
        assert [t for level, t in found if level == 2] == [
            norm(s.heading) for s in content.sections
        ]
        # every item to tick is a list item: a box (Lbl) and its words (LBody)
        items = [norm(i) for s in content.sections for i in s.items or ()]
        bodies = [
            li.children[-1].text
            for li in root.walk()
            if li.role == "LI" and [c.role for c in li.children] == ["Lbl", "LBody"]
        ]
        assert items and all(i in bodies for i in items)
        # …and the tips, each under its number
        tips = [s.tips for s in content.sections if s.tips][0]
        numbered = [li for li in root.walk() if li.role == "LI" and li.children[0].text == "1"]
        assert len(numbered) == 1 and numbered[0].all_text() == norm(
            f"1 {tips[0].title} {tips[0].text}"
        )


def test_checklist_boxes_read_as_boxes_and_swaps_as_a_table(built) -> None:
    kit, out = built
    for content, pdf in handouts(kit, out, Checklist):
        assert isinstance(content, Checklist)
        t = tagged.read(pdf)
        boxes = [e for e in t.elements() if e.role == "Lbl" and e.get("/ActualText") == "☐"]
        assert len(boxes) == sum(len(s.items or ()) for s in content.sections)
        rows = [e for e in t.elements() if e.role == "TR"]
        swaps = [s.swaps for s in content.sections if s.swaps][0]
        assert len(rows) == 2 * len(swaps)
        for tr in rows:
            assert [c.role for c in tr.children] == ["TH", "TD"]
            assert tr.children[0].obj["/A"]["/Scope"] == "/Row"


def test_every_table_row_has_as_many_cells_as_the_others(built) -> None:
    """A table's grid closes, even where a cell is empty (the tracker's corner)."""
    tables = 0
    for pdf in pdfs(built[1]):
        for table in (e for e in tagged.read(pdf).elements() if e.role == "Table"):
            tables += 1
            rows = [len(tr.children) for tr in table.children]
            assert all(tr.role == "TR" for tr in table.children), pdf
            assert len(set(rows)) == 1, f"{pdf}: rows of {rows} cells"
    assert tables > 5


def test_every_form_field_is_in_the_tree_and_tabs_follow_it(built) -> None:
    kit, out = built
    worksheets = [pdf for _, pdf in handouts(kit, out, Worksheet)]
    for pdf in worksheets + [p.parent / "kit.pdf" for p in worksheets]:
        t = tagged.read(pdf)
        forms = {w: e for e in t.elements() if e.role == "Form" for w in e.widgets}
        widgets = 0
        for page in t.reader.pages:
            for annot in page.get("/Annots", []):
                d = annot.get_object()
                if d["/Subtype"] != "/Widget":
                    continue  # a link: see test_every_link_is_a_link_element_in_the_tree
                widgets += 1
                elem = t.parent_tree[d["/StructParent"]].get_object()
                assert forms[annot.idnum].obj == elem, pdf
                assert d.get("/TU"), f"{pdf}: a field with no tooltip"
            if "/Annots" in page:
                assert page["/Tabs"] == "/S", pdf
        assert widgets == len(forms) == len(t.reader.get_fields() or {}) - parents(t.reader)
        assert widgets > 20, pdf


def parents(reader: PdfReader) -> int:
    """Fields that only group others (a dotted name's parts): they have no widget."""
    return sum(1 for f in (reader.get_fields() or {}).values() if "/Kids" in f)


@needs_poppler
def test_card_text_reads_card_by_card(built) -> None:
    """The deck's title and back note once, first; then each card in deck order: its
    category as a heading, its icon's alt text from the YAML, its words whole (not one
    word per line, though the cards are turned on the sheet)."""
    kit, out = built
    for deck, pdf in handouts(kit, out, CardDeck):
        assert isinstance(deck, CardDeck)
        root = tagged.poppler(pdf)
        assert [(c.role, c.text) for c in root.children[:2]] == [
            ("H1", norm(deck.title)),
            ("P", norm(deck.back_note or "")),
        ]
        # then each card: its category (a heading), its icon's alt text, its words
        kids = root.children[2:]
        headed = [i for i, c in enumerate(kids) if c.role == "H2"]
        assert len(headed) == len(deck.cards())
        read = [
            (kids[i].text, [c.role for c in kids[i + 1 : j]], kids[j - 1].text)
            for i, j in zip(headed, [*headed[1:], len(kids)], strict=True)
        ]
        assert read == [
            (norm(cat.name), ["Figure", "P"] if cat.icon_alt else ["P"], norm(text))
            for _, _, cat, text in deck.cards()
        ]
        t = tagged.read(pdf)
        alts = [e.get("/Alt") for e in t.elements() if e.role == "Figure"]
        if kit.manifest.web:  # the backs' web code, read once after the note: a Link
            lang = pdf.parent.name.split("-")[0]
            assert alts.pop(0) == f"{kit.manifest.web}/{lang}/{pdf.stem}.html"
            assert [c.role for c in root.children[2].children] == ["Link"]
        assert alts == [cat.icon_alt for _, _, cat, _ in deck.cards() if cat.icon_alt]
        # a bookmark to each category's first card
        assert [entry.title for entry in t.reader.outline] == [c.name for c in deck.categories]


@needs_poppler
def test_worksheet_tick_boxes_are_list_items_with_a_field_as_their_label(built) -> None:
    kit, out = built
    for content, pdf in handouts(kit, out, Worksheet):
        assert isinstance(content, Worksheet)
        items = [
            norm(item)
            for section in content.sections
            for block in section.blocks
            if block.type == "checklist"
            for item in block.items
        ]
        read = [
            li.children[1].text
            for li in tagged.poppler(pdf).walk()
            if li.role == "LI"
            and [c.role for c in li.children] == ["Lbl", "LBody"]
            and [(f.role, f.objects) for f in li.children[0].children] == [("Form", 1)]
        ]
        assert items and read == items, pdf


def test_kit_pdf_is_one_document_with_the_cover_and_each_handout_a_part(built) -> None:
    kit, out = built
    for variant, cover in kit.covers.items():
        pdf = out / folder(*variant) / "kit.pdf"
        root = tagged.read(pdf).root
        assert root.role == "Document"
        inside = [h.title for h in kit.handouts if (h.lang, h.edition) == variant and h.kind.in_kit]
        assert [(c.role, c.get("/T")) for c in root.children] == [
            ("Part", t) for t in [cover.content.title, *inside]
        ]
        first = root.children[0].children[0]
        assert first.role == "H1"


def test_a_flat_worksheet_is_tagged_with_no_form_elements(tmp_path: Path) -> None:
    kit = load_kit(bundled("kit"))
    build_kit(kit, tmp_path, Options(flat=True, only=("reconnection-worksheet",)))
    t = tagged.read(tmp_path / "en" / "reconnection-worksheet.pdf")
    roles = Counter(e.role for e in t.elements())
    assert roles["Form"] == 0 and roles["H2"] >= 4 and roles["LI"] > 10


def test_a_deck_printed_fronts_only_starts_with_its_categories_as_h1(tmp_path: Path) -> None:
    kit = load_kit(bundled("kit"))
    build_kit(kit, tmp_path, Options(fronts_only=True, only=("letter-prompt-cards",)))
    root = tagged.read(tmp_path / "en" / "letter-prompt-cards.pdf").root
    assert root.children[0].role == "H1"
    assert all(e.role != "H2" for e in root.walk())


def test_a_title_with_markup_characters_stays_valid_xmp(kit_copy: Path, tmp_path: Path) -> None:
    path = kit_copy / "en" / "withdrawal-signs-checklist.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            'title: "When someone you love', 'title: "<Me & 8\\"> When someone you love', 1
        ),
        encoding="utf-8",
    )
    build_kit(load_kit(kit_copy), tmp_path / "out", Options(only=("withdrawal-signs-checklist",)))
    reader = PdfReader(tmp_path / "out" / "en" / "withdrawal-signs-checklist.pdf")
    xmp = ET.fromstring(reader.trailer["/Root"]["/Metadata"].get_object().get_data())
    # (a " after a digit is an inch mark: it stays straight, so XML's " is still tried)
    assert '<Me & 8"> When someone' in "".join(xmp.itertext())


def test_the_checker_sees_untagged_text() -> None:
    """The walk above is not vacuous: a paragraph drawn with no marking is caught."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.pdfgen.canvas import Canvas

    from kitpress.render import tagging

    buffer = io.BytesIO()
    c = Canvas(buffer)
    tagger = tagging.start(c, "t", "en", "a", "s")
    with tagging.marked(c, tagging.Node("P")):
        c.drawString(72, 720, "marked")
    p = Paragraph("not marked", getSampleStyleSheet()["Normal"])
    p.wrapOn(c, 400, 100)
    p.drawOn(c, 72, 700)
    c.showPage()
    tagger.finish()
    c.save()
    marks = [p.marks for p in tagged.painted(PdfReader(io.BytesIO(buffer.getvalue())))]
    assert marks == [(("P", 0),), ()]


def test_each_language_folder_is_tagged_in_its_own_language(built) -> None:
    """Every folder's PDFs (en, es, and their large print) say their own /Lang, in the
    catalog and the XMP metadata, and pass the same checks as the others."""
    kit, out = built
    for lang in kit.manifest.languages:
        for edition in kit.editions:
            found = pdfs(out / folder(lang, edition))
            assert len(found) == len(pdfs(out / folder("en", "standard"))), (lang, edition)
            for pdf in found:
                reader = PdfReader(pdf)
                assert reader.trailer["/Root"]["/Lang"] == lang, pdf
                xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
                assert f"<rdf:li>{lang}</rdf:li>".encode() in xmp, pdf


def test_every_link_is_a_link_element_in_the_tree(built) -> None:
    """Every link annotation (resource-sheet phones, addresses and QR codes, the web
    edition's QR link) has a /StructParent naming a Link element that holds it (OBJR)
    and words drawn on the page, and a /Contents saying where it goes."""
    links = 0
    for pdf in pdfs(built[1]):
        t = tagged.read(pdf)
        holders = {w: e for e in t.elements() if e.role == "Link" for w in e.widgets}
        for page in t.reader.pages:
            for annot in page.get("/Annots", []):
                d = annot.get_object()
                if d["/Subtype"] != "/Link":
                    continue
                links += 1
                elem = holders[annot.idnum]
                assert t.parent_tree[d["/StructParent"]].get_object() == elem.obj, pdf
                assert d["/Contents"] == d["/A"]["/URI"], pdf
                assert any(e.mcids for e in elem.walk()), f"{pdf}: a link with nothing drawn"
    assert links > 20


def test_web_edition_qr_code_is_a_figure_inside_its_link(built) -> None:
    """Each flowing handout's QR code of its web page (render/weblink.py) is read as a
    Figure whose alt text is the address, inside the Link over it and its words."""
    kit, out = built
    for h in kit.handouts:
        if isinstance(h.content, CardDeck):
            continue  # a deck is not a flowing handout: no code
        pdf = out / folder(h.lang, h.edition) / f"{h.file}.pdf"
        t = tagged.read(pdf)
        figures = [
            e for e in t.elements() if e.role == "Figure" and (e.get("/Alt") or "").startswith(WEB)
        ]
        assert len(figures) == 1, pdf
        (figure,) = figures
        assert figure.parent is not None and figure.parent.role == "Link", pdf
        assert figure.parent.widgets and figure.mcids, pdf


@needs_poppler
def test_resource_sheet_reads_as_sections_of_listed_entries(built) -> None:
    """The resource sheet: its title, each section's heading (H2) over a list with one
    item per entry, the entry's name first; a QR code is a Figure saying its address."""
    from kitpress.content.resources import website_uri

    kit, out = built
    for content, pdf in handouts(kit, out, ResourceSheet):
        assert isinstance(content, ResourceSheet)
        root = tagged.poppler(pdf)
        found = headings(root)
        assert found[0] == (1, norm(content.title)), pdf
        assert [t for level, t in found if level == 2] == [
            norm(s.heading) for s in content.sections
        ], pdf
        lists = [e for e in root.walk() if e.role == "L"]
        assert [
            [li.children[0].children[0].text for li in listing.children] for listing in lists
        ] == [[norm(e.name) for e in s.entries] for s in content.sections], pdf
        t = tagged.read(pdf)
        alts = [e.get("/Alt") for e in t.elements() if e.role == "Figure"]
        coded = [website_uri(e.website) for s in content.sections for e in s.entries if e.qr]
        assert coded and [a for a in alts if not a.startswith(WEB)] == coded, pdf


def test_a_field_drawn_with_no_form_element_still_joins_the_tree() -> None:
    """A renderer that forgets to mark a field gets a Form element made for it, inside
    what is being drawn, so no field is ever out of reach."""
    from reportlab.lib.colors import black
    from reportlab.pdfgen.canvas import Canvas

    from kitpress.render import fieldfont, tagging
    from kitpress.render.form import Form

    kit = load_kit(bundled("kit"))
    sheet = next(h for h in kit.handouts if isinstance(h.content, Worksheet))
    font = fieldfont.choose(sheet.fonts, fieldfont.letters(["Your name"]))
    buffer = io.BytesIO()
    c = Canvas(buffer)
    tagger = tagging.start(c, "t", "en", "a", "s")
    prompt = tagging.Node("P")
    with tagging.marked(c, prompt):
        c.drawString(72, 720, "Your name:")
        form = Form(False, font, 11, black)
        form.text(c, "name", (72, 690, 200, 20), tooltip="t")
    c.showPage()
    tagger.finish()
    c.save()
    t = tagged.read(io.BytesIO(buffer.getvalue()))
    (p,) = t.root.children
    assert p.role == "P" and [f.role for f in p.children] == ["Form"]
    (annot,) = t.reader.pages[0]["/Annots"]
    assert p.children[0].widgets == [annot.idnum]
    assert t.parent_tree[annot.get_object()["/StructParent"]].get_object() == p.children[0].obj


def test_a_flowable_made_where_a_drawn_one_was_freed_is_still_content() -> None:
    """A drawn part of a split paragraph is freed, and CPython gives its id to an
    object made later: a flowable made there is new content, not a repeat drawn again
    (a table's header row), and is read, not hidden as an artifact."""
    from reportlab.pdfgen.canvas import Canvas

    from kitpress.render import tagging

    buffer = io.BytesIO()
    c = Canvas(buffer)
    c.setFont("Helvetica", 12)
    tagger = tagging.start(c, "t", "en", "a", "s")
    tagger.part("Part")
    paragraphs = [Paragraph(f"line {n}") for n in range(40)]
    nodes = [tagging.Node("P") for _ in paragraphs]  # (made first, as a layout does)
    for paragraph in paragraphs:
        paragraph.wrapOn(c, 400, 100)
    ids = []
    for n, (paragraph, node) in enumerate(zip(paragraphs, nodes, strict=True)):  # drawn, let go
        marking = tagging.content(paragraph, node)
        ids.append(id(marking))
        marking.drawOn(c, 72, 750 - 15 * n)
        del marking
    if len(set(ids)) == len(ids):
        pytest.skip("this Python gave no freed object's id to a later one")
    c.showPage()
    tagger.finish()
    c.save()
    page = PdfReader(io.BytesIO(buffer.getvalue())).pages[0].get_contents().get_data()
    assert b"/Artifact" not in page
    assert page.count(b"/P <</MCID") == len(paragraphs)


@pytest.mark.parametrize(("role", "scope"), [("Bad Role", None), ("TH", "Row)"), ("P/Q", None)])
def test_a_role_that_is_no_pdf_name_is_refused_when_the_tree_is_written(role, scope):
    """Roles are written into the PDF as names, as they are: one that is not a plain
    name (a space, a delimiter) stops the tree rather than write a broken PDF. Checked
    once per role; the same role again is refused again."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    from kitpress.render.tagging import Node, marked, start

    for _ in range(2):
        canvas = Canvas(io.BytesIO())
        tagger = start(canvas, "t", "en", "a", "s")
        with marked(canvas, Node("P")):
            canvas.drawString(10, 20, "fine")
        with marked(canvas, Node(role, scope=scope)):
            canvas.drawString(10, 10, "x")
        canvas.showPage()
        with pytest.raises(ValueError, match="not a structure role"):
            tagger.finish()
