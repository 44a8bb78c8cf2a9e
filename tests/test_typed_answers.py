"""Typed answers: a worksheet filled in (with pypdf, as a form filler would) and drawn
by two renderers, Poppler (pdftoppm, pdftocairo) and MuPDF (mutool). Poppler redraws
every field itself from the form's own font (the appearances pypdf wrote are removed
first), MuPDF draws the appearances pypdf wrote with that font.

Checked: text in each script reads back from the render exactly as typed, with no
missing glyph; each typed baseline is within 2 pt above its ruled line."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter
from pypdf.generic import BooleanObject, NameObject

from kitpress.cli import cli
from kitpress.paths import bundled
from tests.pdfread import norm
from tests.pdftrace import trace

WORKSHEET = "reconnection-worksheet"
# one line of each script typed answers must show (Latin Extended, Vietnamese,
# Cyrillic, Greek), short enough for the narrowest writing line
SAMPLES = {
    "polish": "Zażółć gęślą jaźń",
    "czech-turkish": "Příliš žluťoučký ğüşıöç",
    "vietnamese": "Tiếng Việt có dấu: ờ ữ ặ",
    "cyrillic": "Съешь же ещё мягких",
    "ukrainian": "Їжак ґава є іній",
    "greek": "Ελληνικά γλώσσα ώ ϊ",
}
CELL = {  # tracker cells are narrow
    "polish": "źł",
    "czech-turkish": "řğ",
    "vietnamese": "ữặ",
    "cyrillic": "щё",
    "ukrainian": "ґї",
    "greek": "ώλ",
}
DPI = 288


def _need(*tools: str) -> None:
    for tool in tools:
        if not shutil.which(tool):
            pytest.skip(f"{tool} is not installed")


@pytest.fixture(scope="module", params=["letter", "a4"])
def worksheet(request, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp(request.param) / "out"
    args = ["build", str(bundled("kit")), "-o", str(out), "--only", WORKSHEET]
    result = CliRunner().invoke(cli, [*args, "--paper", request.param, "-q"])
    assert result.exit_code == 0, result.output
    return out / "en" / f"{WORKSHEET}.pdf"


def text_fields(reader: PdfReader) -> dict[str, str]:
    """Qualified name -> 'line' or 'cell' for every text field."""
    out = {}
    for page in reader.pages:
        for ref in page.get("/Annots", []):
            w = ref.get_object()
            if w.get("/FT") == "/Tx":
                out[_qualified(w)] = "cell" if w.get("/Q") == 1 else "line"
    return out


def _qualified(widget) -> str:
    parts, node = [], widget
    while node is not None:
        parts.append(str(node["/T"]))
        node = node.get("/Parent")
        node = node.get_object() if node is not None else None
    return ".".join(reversed(parts))


def fill(src: Path, values: dict[str, str], dest: Path, keep_appearances: bool) -> Path:
    """Fill in the fields with pypdf; without keep_appearances, drop the appearance
    streams pypdf wrote so a viewer must make its own from the form's font."""
    writer = PdfWriter(clone_from=PdfReader(src))
    writer.update_page_form_field_values(None, values, auto_regenerate=True)
    if not keep_appearances:
        for page in writer.pages:
            for ref in page.get("/Annots", []):
                w = ref.get_object()
                if w.get("/FT") == "/Tx" and "/AP" in w:
                    del w[NameObject("/AP")]
        writer.root_object["/AcroForm"][NameObject("/NeedAppearances")] = BooleanObject(True)
    writer.write(dest)
    return dest


def rendered_text(pdf: Path, renderer: str, tmp: Path) -> str:
    """The text of the page as a renderer drew it (appearances included)."""
    if renderer == "poppler":
        drawn = tmp / "cairo.pdf"
        subprocess.run(["pdftocairo", "-pdf", str(pdf), str(drawn)], check=True)
        return subprocess.run(
            ["pdftotext", str(drawn), "-"], capture_output=True, text=True, check=True
        ).stdout
    return subprocess.run(
        ["mutool", "draw", "-q", "-F", "txt", "-o", "-", str(pdf)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.mark.parametrize("renderer", ["poppler", "mupdf"])
@pytest.mark.parametrize("script", list(SAMPLES))
def test_typed_text_in_each_script_renders_as_typed(worksheet, renderer, script, tmp_path):
    _need("pdftocairo", "pdftotext", "mutool")
    fields = text_fields(PdfReader(worksheet))
    assert len([k for k in fields.values() if k == "line"]) >= 20
    values = {n: SAMPLES[script] if k == "line" else CELL[script] for n, k in fields.items()}
    filled = fill(worksheet, values, tmp_path / "filled.pdf", keep_appearances=renderer == "mupdf")
    text = norm(rendered_text(filled, renderer, tmp_path))
    blank = norm(rendered_text(worksheet, renderer, tmp_path))
    lines = sum(1 for k in fields.values() if k == "line")
    assert text.count("?") == blank.count("?")  # no answer turned into '?'
    assert text.count(SAMPLES[script]) == lines, (renderer, script, text[:400])
    cells = sum(1 for k in fields.values() if k == "cell")
    in_lines = lines * SAMPLES[script].count(CELL[script])
    assert text.count(CELL[script]) == cells + in_lines
    if renderer == "mupdf":  # every glyph drawn is a real one, never .notdef (a box)
        typed = set(SAMPLES[script] + CELL[script]) - {" ", ":"}
        glyphs = [g for page in trace(filled) for g in page.glyphs if g.char in typed]
        assert glyphs and all(g.glyph not in ("0", ".notdef") for g in glyphs)


def test_the_form_font_is_embedded_and_draws_every_supported_script(worksheet):
    form = PdfReader(worksheet).trailer["/Root"]["/AcroForm"]
    fonts = form["/DR"]["/Font"]
    assert len(fonts) == 1
    ((key, ref),) = fonts.items()
    font = ref.get_object()
    assert font["/Subtype"] == "/Type0" and font["/Encoding"] == "/Identity-H"
    cid = font["/DescendantFonts"][0].get_object()
    program = cid["/FontDescriptor"]["/FontFile2"].get_object().get_data()
    assert len(program) > 50_000  # a whole script range, not just the glyphs printed
    tounicode = font["/ToUnicode"].get_object().get_data().decode()
    mapped = {chr(int(u, 16)) for u in re.findall(r"<[0-9A-F]{4}> <([0-9A-F]{4})>", tounicode)}
    for sample in [*SAMPLES.values(), *CELL.values()]:
        assert set(sample) <= mapped | {" "}, sample
    assert str(form["/DA"]).startswith(f"{key} ")
    for page in PdfReader(worksheet).pages:
        for a in page.get("/Annots", []):
            w = a.get_object()
            if w.get("/FT") == "/Tx":
                assert str(w["/DA"]).startswith(f"{key} 12 Tf 0 g"), w["/DA"]


def _pgm(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    magic, w, h, _, pixels = data.split(maxsplit=4)
    assert magic == b"P5"
    return int(w), int(h), pixels[-int(w) * int(h) :]


def _render_gray(pdf: Path, renderer: str, page: int, out: Path) -> tuple[int, int, bytes]:
    if renderer == "poppler":
        subprocess.run(
            ["pdftoppm", "-gray", "-r", str(DPI), "-f", str(page), "-l", str(page)]
            + ["-singlefile", str(pdf), str(out)],
            check=True,
        )
    else:
        subprocess.run(
            ["mutool", "draw", "-q", "-r", str(DPI), "-c", "gray", "-o", f"{out}.pgm"]
            + [str(pdf), str(page)],
            check=True,
            capture_output=True,
        )
    return _pgm(out.with_suffix(".pgm"))


@pytest.mark.parametrize("renderer", ["poppler", "mupdf"])
def test_typed_baselines_sit_just_above_their_rules(worksheet, renderer, tmp_path):
    """Capitals (no descenders) typed on every writing line: the lowest row of new ink
    is the baseline; it must be within 2 pt above the rule the field sits on."""
    _need("pdftoppm", "mutool")
    reader = PdfReader(worksheet)
    fields = text_fields(reader)
    values = {n: "HELLO THERE" for n, k in fields.items() if k == "line"}
    filled = fill(worksheet, values, tmp_path / "f.pdf", keep_appearances=renderer == "mupdf")
    scale = DPI / 72
    checked = 0
    for number, page in enumerate(reader.pages, 1):
        lines = [
            w
            for w in (a.get_object() for a in page.get("/Annots", []))
            if w.get("/FT") == "/Tx" and w.get("/Q") != 1
        ]
        if not lines:
            continue
        width, _, typed = _render_gray(filled, renderer, number, tmp_path / "typed")
        _, _, blank = _render_gray(worksheet, renderer, number, tmp_path / "blank")
        height = float(page.mediabox[3])
        for w in lines:
            x0, rule, x1, top = (float(v) for v in w["/Rect"])
            lowest = None
            for row in range(int((height - rule + 3) * scale), int((height - top) * scale), -1):
                start, end = row * width + int(x0 * scale), row * width + int(x1 * scale)
                if any(
                    t < 128 <= b for t, b in zip(typed[start:end], blank[start:end], strict=True)
                ):
                    lowest = row
                    break
            assert lowest is not None, (renderer, number, _qualified(w), "nothing typed shows")
            baseline = height - (lowest + 1) / scale
            assert 0 <= baseline - rule <= 2, (renderer, _qualified(w), round(baseline - rule, 2))
            checked += 1
    assert checked == len(values)


def test_a_field_never_scrolls_so_what_shows_is_what_prints(worksheet):
    for page in PdfReader(worksheet).pages:
        for a in page.get("/Annots", []):
            w = a.get_object()
            if w.get("/FT") == "/Tx":
                flags = int(w.get("/Ff", 0))
                assert flags & (1 << 23), _qualified(w)  # DoNotScroll
                assert not flags & (1 << 12), _qualified(w)  # not multiline
                assert "/MaxLen" not in w


@pytest.mark.parametrize("renderer", ["poppler", "mupdf"])
def test_a_ticked_box_shows_a_tick(worksheet, renderer, tmp_path):
    """Ticked in a form filler, the box prints ticked; our tick is drawn (no font)."""
    _need("pdftoppm", "mutool")
    reader = PdfReader(worksheet)
    box = next(
        a.get_object()
        for a in reader.pages[0]["/Annots"]
        if a.get_object().get("/FT") == "/Btn" and _qualified(a.get_object()) == "noticed.2"
    )
    yes = box["/AP"]["/N"]["/Yes"].get_object()
    assert "/Font" not in yes["/Resources"] and b" S" in yes.get_data()  # a stroked path
    filled = fill(worksheet, {"noticed.2": "/Yes"}, tmp_path / "t.pdf", keep_appearances=True)
    x0, y0, x1, y1 = (float(v) for v in box["/Rect"])
    height, scale = float(reader.pages[0].mediabox[3]), DPI / 72

    def dark_inside(pdf: Path, out: str) -> int:
        width, _, px = _render_gray(pdf, renderer, 1, tmp_path / out)
        rows = range(int((height - y1 + 3) * scale), int((height - y0 - 3) * scale))
        cols = range(int((x0 + 3) * scale), int((x1 - 3) * scale))
        return sum(1 for r in rows for c in cols if px[r * width + c] < 128)

    assert dark_inside(worksheet, "blank") == 0
    assert dark_inside(filled, "ticked") > 100


def _intro(kit: Path, words: str) -> None:
    path = kit / "en" / f"{WORKSHEET}.yaml"
    path.write_text(path.read_text().replace("There are no wrong answers.", words, 1))


def test_letters_no_one_font_draws_are_refused_not_turned_into_question_marks(
    kit_copy, in_tmp
) -> None:
    # U+0526 only Andika draws; Greek capitals only DejaVu Sans: no one font for answers
    _intro(kit_copy, "ԦԧΚαλημέρα.")
    result = CliRunner().invoke(cli, ["build", "kit", "-o", "out"])
    assert result.exit_code == 1
    assert result.output == (
        f"kit/en/{WORKSHEET}.yaml: typed answers would turn into '?': no one bundled font "
        "draws U+039A (GREEK CAPITAL LETTER KAPPA) and the rest of the worksheet's letters; "
        "build with --flat (or flat: true in the layout) for a worksheet to print and write "
        "on\n"
    )
    assert not Path("out").exists()
    result = CliRunner().invoke(cli, ["build", "kit", "-o", "out", "--flat", "-q"])
    assert result.exit_code == 0, result.output


def test_a_script_the_answers_font_lacks_is_noted(kit_copy, in_tmp) -> None:
    # the worksheet's own letters need Andika, which has no Greek: the build says so
    _intro(kit_copy, "Ԧԧ.")
    result = CliRunner().invoke(cli, ["build", "kit", "-o", "out", "--only", WORKSHEET])
    assert result.exit_code == 0, result.output
    note = (
        f"  note: kit/en/{WORKSHEET}.yaml: typed answers can be in Latin and Cyrillic but "
        "not Greek: no one bundled font draws Greek and this worksheet's letters"
    )
    assert note in result.output.splitlines()


def test_a_kit_in_greek_types_its_answers_in_a_font_with_greek(kit_copy, in_tmp) -> None:
    _intro(kit_copy, "Καλημέρα.")
    result = CliRunner().invoke(cli, ["build", "kit", "-o", "out", "--only", WORKSHEET, "-q"])
    assert result.exit_code == 0, result.output
    form = PdfReader(f"out/en/{WORKSHEET}.pdf").trailer["/Root"]["/AcroForm"]
    (font,) = form["/DR"]["/Font"].values()
    assert str(font.get_object()["/BaseFont"]).endswith("+DejaVuSans")


def test_a_filled_in_worksheet_still_embeds_every_font(worksheet, tmp_path):
    """Filled in and ticked (pypdf writes the appearances from the form's font): pdffonts
    lists the answers' font as embedded, and Ghostscript substitutes nothing."""
    _need("pdffonts", "gs")
    fields = text_fields(PdfReader(worksheet))
    values: dict[str, str] = {n: SAMPLES["vietnamese"] for n, k in fields.items() if k == "line"}
    values["noticed.1"] = "/Yes"
    filled = fill(worksheet, values, tmp_path / "f.pdf", keep_appearances=True)
    listing = subprocess.run(
        ["pdffonts", str(filled)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert any("CID TrueType" in row for row in listing)  # the answers' font is on the pages
    assert all(row.split()[-5] == "yes" for row in listing), listing
    run = subprocess.run(
        ["gs", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=nullpage", str(filled)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "loading font" not in (run.stdout + run.stderr).lower()


def test_typed_answers_too_big_for_the_line_spacing_are_refused(kit_copy, in_tmp) -> None:
    # Andika alone (no symbols font, so no Greek): its tall accents need the most room
    (kit_copy / "layouts").mkdir()
    (kit_copy / "layouts" / "worksheet.yaml").write_text(
        "extends: worksheet\nfonts: {text: Andika, symbols: null}\n"
        "writing: {line_spacing: 8mm, field_font_size: 24}\n"
    )
    result = CliRunner().invoke(cli, ["build", "kit", "-o", "out", "--only", WORKSHEET])
    assert result.exit_code == 1
    assert result.output == (
        f"kit/en/{WORKSHEET}.yaml: layout 'worksheet': typed answers at "
        "writing.field_font_size 24 do not fit between lines 8.0mm apart; make the font "
        "size smaller or the line spacing larger\n"
    )
