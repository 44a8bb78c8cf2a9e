"""Print-shop clean: every file of every build variant read back the way a copy shop's
preflight would: fonts (pdffonts, Ghostscript), what each file asks of the print
dialog, page boxes, colour operators, stroke widths and the print plan."""

from __future__ import annotations

import functools
import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from kitpress.cli import cli
from kitpress.layouts.cards import CardLayout
from kitpress.layouts.loader import LayoutLibrary
from kitpress.layouts.models import BaseLayout, ChecklistLayout, CoverLayout
from kitpress.layouts.worksheet import WorksheetLayout
from kitpress.paths import bundled
from tests.pdftrace import trace

# the builds' files are traced once for all the tests that look at what is painted
traced = functools.cache(trace)

VARIANTS = {
    "default": ["--booklet"],  # the booklets come on top of the default files
    "flat": ["--flat", "--booklet"],
    "a4": ["--paper", "a4", "--booklet"],
    "fronts-only": ["--fronts-only"],
    "large-print": ["--edition", "large-print", "--booklet"],  # en-large/, es-large/
}
DECK = "letter-prompt-cards"


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    for name, args in VARIANTS.items():
        folder = tmp_path_factory.mktemp(name) / "out"
        result = CliRunner().invoke(cli, ["build", str(bundled("kit")), "-o", str(folder), *args])
        assert result.exit_code == 0, result.output
        out[name] = folder
    return out


def every_pdf(builds: dict[str, Path]) -> list[tuple[str, Path]]:
    return [(v, p) for v, folder in builds.items() for p in sorted(folder.rglob("*.pdf"))]


def plan_rows(folder: Path) -> dict[str, tuple[int, str, str]]:
    """file -> (pages, sides, paper) from print-plan.txt."""
    rows = {}
    for line in (folder / "print-plan.txt").read_text().splitlines():
        # file, pages, sheets, sides, paper, kits (or -), sheets in all (or -)
        m = re.match(
            r"^(\S+\.pdf)\s+(\d+)\s+(\d+)\s+(single|double)\s+(.+?)\s+(\d+|-)\s+(\d+|-)$", line
        )
        if m:
            rows[m.group(1)] = (int(m.group(2)), m.group(4), m.group(5))
    return rows


# --- 1. every font embedded -----------------------------------------------------------------


def test_pdffonts_lists_only_embedded_fonts_in_every_file_of_every_variant(builds) -> None:
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts is not installed")
    checked = 0
    for variant, pdf in every_pdf(builds):
        listing = subprocess.run(
            ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
        ).stdout.splitlines()[2:]
        assert listing, f"{variant}: {pdf.name} lists no fonts at all"
        for row in listing:
            # name, type (one or two words), encoding, emb, sub, uni, object, generation
            emb = row.split()[-5]
            assert emb == "yes", f"{variant}: {pdf.name}: not embedded: {row}"
        checked += 1
    assert checked == len(every_pdf(builds)) >= 4 * len(VARIANTS)  # every file was looked at


def test_ghostscript_substitutes_no_font(builds) -> None:
    if not shutil.which("gs"):
        pytest.skip("Ghostscript is not installed")

    def ghostscript(*pdfs: Path) -> str:
        run = subprocess.run(
            ["gs", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=nullpage", *map(str, pdfs)],
            capture_output=True,
            text=True,
            check=True,
        )
        return (run.stdout + run.stderr).lower()

    def fine(said: str) -> bool:
        return "loading font" not in said and "substitut" not in said

    # one run reads every file; only if it complains is each file run alone, to name it
    if not fine(ghostscript(*(pdf for _, pdf in every_pdf(builds)))):
        for variant, pdf in every_pdf(builds):
            said = ghostscript(pdf)
            assert fine(said), (variant, pdf.name, said)
        pytest.fail("Ghostscript substituted a font in the files read together only")


def test_every_font_in_the_file_has_a_font_program(builds) -> None:
    """Not just what pdffonts sees on pages: form resources and appearance streams too."""
    for variant, pdf in every_pdf(builds):
        reader = PdfReader(pdf)
        fonts = _all_fonts(reader)
        assert fonts, (variant, pdf.name)
        for name, font in fonts:
            target = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            desc = target.get("/FontDescriptor")
            assert desc is not None and "/FontFile2" in desc.get_object(), (variant, pdf.name, name)


def _all_fonts(reader: PdfReader) -> list[tuple[str, dict]]:
    found = []
    seen: set[int] = set()
    for obj in _objects(reader):
        if obj.get("/Type") == "/Font" and obj.get("/Subtype") != "/CIDFontType2":
            key = id(obj)
            if key not in seen:
                seen.add(key)
                found.append((str(obj.get("/BaseFont")), obj))
    return found


def _objects(reader: PdfReader):
    """Every dictionary reachable from the document catalog."""
    stack = [reader.trailer["/Root"]]
    seen: set = set()
    while stack:
        node = stack.pop()
        ref = getattr(node, "indirect_reference", None)
        key = (ref.idnum, ref.generation) if ref is not None else id(node)
        if key in seen:
            continue
        seen.add(key)
        node = node.get_object()
        if isinstance(node, DictionaryObject):  # streams too
            yield node
            stack.extend(v for k, v in node.items() if k not in ("/Parent", "/P"))
        elif isinstance(node, ArrayObject):
            stack.extend(node)


# --- 7. no name clashes ----------------------------------------------------------------


def _programs(reader: PdfReader) -> dict[str, set[bytes]]:
    """Each font name in the file -> the font programs embedded under it."""
    names: dict[str, set[bytes]] = {}
    for obj in _objects(reader):
        if obj.get("/Type") == "/FontDescriptor" and "/FontFile2" in obj:
            data = obj["/FontFile2"].get_object().get_data()
            names.setdefault(str(obj["/FontName"]), set()).add(hashlib.sha256(data).digest())
    return names


def test_each_font_subset_in_a_file_has_its_own_name(builds) -> None:
    for variant, pdf in every_pdf(builds):
        programs = _programs(PdfReader(pdf))
        assert programs, (variant, pdf.name)
        for name, found in programs.items():
            assert len(found) == 1, (variant, pdf.name, name, len(found))
            assert re.fullmatch(r"/[A-Z]{6}\+[\w-]+", name), name
        # and no two subsets of one face share the ReportLab default prefix
        assert not any(n.startswith("/AAAAAA+") for n in programs), (variant, pdf.name)


def test_a_face_split_into_several_subsets_names_each(kit_copy, in_tmp) -> None:
    # more than 256 different characters in one face: ReportLab embeds several subsets
    letters = [
        *range(0x100, 0x17F),
        *range(0x410, 0x44F),
        *range(0x1EA0, 0x1EF9),
    ]  # in words of eight letters: a word too long for its line is refused
    many = " ".join("".join(chr(c) for c in letters[i : i + 8]) for i in range(0, len(letters), 8))
    path = kit_copy / "en" / "withdrawal-signs-checklist.yaml"
    text = path.read_text()
    path.write_text(text.replace("Many families go through this.", many, 1))
    (kit_copy / "layouts").mkdir(exist_ok=True)  # room for the extra lines
    (kit_copy / "layouts" / "checklist.yaml").write_text("extends: checklist\nmax_pages: 4\n")
    result = CliRunner().invoke(cli, ["build", "kit", "-o", "out", "-q"])
    assert result.exit_code == 0, result.output
    programs = _programs(PdfReader("out/en/kit.pdf"))
    andika = [n for n in programs if n.endswith("+Andika")]
    assert len(andika) >= 2  # the regular face needed two subsets
    assert all(len(found) == 1 for found in programs.values())


# --- 4. tell the printer ----------------------------------------------------------------------


def test_each_file_asks_for_the_sides_its_print_plan_row_gives(builds) -> None:
    for variant, folder in builds.items():
        rows = plan_rows(folder)
        assert len(rows) == len(list(folder.rglob("*.pdf"))), variant
        for file, (pages, sides, _) in rows.items():
            prefs = PdfReader(folder / file).trailer["/Root"]["/ViewerPreferences"]
            if sides == "single":
                assert prefs["/Duplex"] == "/Simplex", (variant, file)
            elif "booklet" in file:  # sheets twice as wide turn on their short edge
                assert prefs["/Duplex"] == "/DuplexFlipShortEdge", (variant, file)
            else:
                assert prefs["/Duplex"] == "/DuplexFlipLongEdge", (variant, file)
            assert pages == len(PdfReader(folder / file).pages) or "booklet" in file


def test_kit_checklist_and_worksheet_ask_for_long_edge_duplex(builds) -> None:
    folder = builds["default"] / "en"
    for name in ("kit.pdf", "withdrawal-signs-checklist.pdf", "reconnection-worksheet.pdf"):
        prefs = PdfReader(folder / name).trailer["/Root"]["/ViewerPreferences"]
        assert prefs["/Duplex"] == "/DuplexFlipLongEdge", name


def test_booklets_and_cards_ask_for_no_scaling(builds) -> None:
    for variant, pdf in every_pdf(builds):
        prefs = PdfReader(pdf).trailer["/Root"]["/ViewerPreferences"]
        if "booklet" in pdf.name or DECK in pdf.name:
            assert prefs["/PrintScaling"] == "/None", (variant, pdf.name)


def test_card_pages_carry_trim_and_bleed_boxes_around_the_cards(builds) -> None:
    standard = _layout("poker", CardLayout, "card-deck")
    large = LayoutLibrary([bundled("layouts") / "large-print", bundled("layouts")]).load(
        "poker", CardLayout, "card-deck", None, ()
    )  # postcards
    assert large.card.width > standard.card.width
    for variant, lang, layout in (
        ("default", "en", standard),
        ("a4", "en", standard),
        ("fronts-only", "en", standard),
        ("large-print", "en-large", large),
    ):
        reader = PdfReader(builds[variant] / lang / f"{DECK}.pdf")
        for number, page in enumerate(reader.pages):
            cards = _card_rects(page, layout.card.width, layout.card.height)
            assert cards, (variant, number)
            around = (
                min(c[0] for c in cards),
                min(c[1] for c in cards),
                max(c[2] for c in cards),
                max(c[3] for c in cards),
            )
            trim = tuple(float(v) for v in page.trimbox)
            bleed = tuple(float(v) for v in page.bleedbox)
            b = layout.card.bleed
            assert trim == pytest.approx(around, abs=1e-3), (variant, number)
            assert bleed == pytest.approx((trim[0] - b, trim[1] - b, trim[2] + b, trim[3] + b))
            assert trim != tuple(float(v) for v in page.mediabox)
            page_w, page_h = (float(v) for v in page.mediabox[2:])
            assert bleed[0] >= 0 and bleed[2] <= page_w and bleed[1] >= 0 and bleed[3] <= page_h


_PLACED = re.compile(
    r"q\n([-\d. ]+) cm\n(?:/\w+ (?:<<[^>]*>> BDC|BMC)\n)?/FormXob\.(?:front|back)\d+ Do"
)


def _card_rects(page, w: float, h: float) -> list[tuple[float, float, float, float]]:
    """Where each card drawn on a page lands: its form's matrix applied to the card."""
    rects = []
    for m in _PLACED.findall(page.get_contents().get_data().decode("latin-1")):
        a, b, c, d, e, f = (float(v) for v in m.split())
        xs = [a * u + c * v + e for u in (0, w) for v in (0, h)]
        ys = [b * u + d * v + f for u in (0, w) for v in (0, h)]
        rects.append((min(xs), min(ys), max(xs), max(ys)))
    return rects


def test_calibration_sheet_is_printed_on_the_decks_stock(builds) -> None:
    rows = plan_rows(builds["default"])
    stock = rows[f"en/{DECK}.pdf"][2]
    assert rows[f"en/{DECK}-calibration.pdf"][2] == stock and stock.endswith("cardstock")
    assert rows[f"en/{DECK}-calibration.pdf"][1] == "double"


def _layout(name: str, model: type[BaseLayout], kind: str | None):
    return LayoutLibrary([bundled("layouts")]).load(name, model, kind, None, ())


# --- 5. one black ---------------------------------------------------------------------------


def test_black_and_greys_are_pure_k_never_rgb(builds) -> None:
    """Every stroke, fill and glyph painted: a neutral colour is DeviceGray or K only."""
    for variant, pdf in every_pdf(builds):
        painted = 0
        for page in traced(pdf):
            for space, color in [(p.colorspace, p.color) for p in page.paints] + [
                (g.colorspace, g.color) for g in page.glyphs
            ]:
                painted += 1
                if space == "DeviceRGB":
                    assert len(set(color)) > 1, (variant, pdf.name, "RGB grey", color)
                elif space == "DeviceCMYK":
                    c, m, y, _ = color
                    assert c == m == y == 0 or len({c, m, y}) > 1, (variant, pdf.name, color)
                else:
                    assert space == "DeviceGray", (variant, pdf.name, space)
        assert painted, (variant, pdf.name)


def test_black_text_and_rules_are_k_only(builds) -> None:
    pages = traced(builds["default"] / "en" / "withdrawal-signs-checklist.pdf")
    inks = {(g.colorspace, g.color) for p in pages for g in p.glyphs}
    assert ("DeviceCMYK", (0.0, 0.0, 0.0, 1.0)) in inks
    assert all(space != "DeviceRGB" or len(set(c)) > 1 for space, c in inks)


def _luminance(hex_color: str) -> float:
    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_the_accent_keeps_at_least_7_to_1_contrast_on_white_in_grey() -> None:
    for name, model, kind in (
        ("checklist", ChecklistLayout, "checklist"),
        ("worksheet", WorksheetLayout, "worksheet"),
        ("cover", CoverLayout, "cover"),
        ("poker", CardLayout, "card-deck"),
        ("index", CardLayout, "card-deck"),
        ("postcard", CardLayout, "card-deck"),
    ):
        colors = _layout(name, model, kind).colors
        for key in ("accent", "ink", "rule"):
            contrast = 1.05 / (_luminance(colors[key]) + 0.05)
            assert contrast >= 7, (name, key, colors[key], round(contrast, 1))


# --- 6. nothing the printer loses ------------------------------------------------------------

EDGE = 18.0  # office printers leave about a quarter inch unprinted


def test_no_stroke_is_thinner_than_half_a_point(builds) -> None:
    for variant, pdf in every_pdf(builds):
        for number, page in enumerate(traced(pdf), 1):
            thin = [p.width for p in page.paints if p.kind == "stroke" and p.width < 0.5 - 1e-6]
            assert not thin, (variant, pdf.name, number, sorted(thin)[:3])


def test_nothing_is_printed_within_a_quarter_inch_of_the_sheet_edge(builds) -> None:
    for variant, pdf in every_pdf(builds):
        for number, page in enumerate(traced(pdf), 1):
            points = [pt for p in page.paints for line in p.polylines for pt in line]
            points += [g.to_page(g.x, g.y) for g in page.glyphs]  # (kit.pdf has blank pages)
            for x, y in points:
                where = (variant, pdf.name, number, round(x, 1), round(y, 1))
                assert EDGE - 1e-3 <= x <= page.width - EDGE + 1e-3, where
                assert EDGE - 1e-3 <= y <= page.height - EDGE + 1e-3, where


def test_a_layout_cannot_ask_for_finer_or_nearer_crop_marks(kit_copy, in_tmp) -> None:
    (kit_copy / "layouts").mkdir()
    (kit_copy / "layouts" / "poker.yaml").write_text(
        "extends: poker\ncrop_marks: {width: 0.25pt, edge_clearance: 2pt, length: 40pt}\n"
    )
    result = CliRunner().invoke(cli, ["build", "kit", "-o", "out", "--only", DECK, "-q"])
    assert result.exit_code == 0, result.output
    (page, *_) = trace(Path("out/en") / f"{DECK}.pdf")
    strokes = [p for p in page.paints if p.kind == "stroke"]
    assert strokes and min(p.width for p in strokes) >= 0.5
    ends = [pt for p in strokes for line in p.polylines for pt in line]
    assert min(min(x, y, page.width - x, page.height - y) for x, y in ends) >= EDGE - 1e-3


def test_calibration_words_are_11pt_and_scale_numbers_9pt(builds) -> None:
    for variant, lang in (("default", "en"), ("a4", "en"), ("large-print", "en-large")):
        pdf = builds[variant] / lang / f"{DECK}-calibration.pdf"
        for page in traced(pdf):
            sizes = {round(g.size, 2) for g in page.glyphs}
            digits = {round(g.size, 2) for g in page.glyphs if g.char in "+-0123456789"}
            words = {round(g.size, 2) for g in page.glyphs if g.char.isalpha()}
            assert min(words) >= 11, (variant, sorted(sizes))
            assert min(digits) >= 9, (variant, sorted(sizes))
