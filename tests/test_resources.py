"""The resource sheet (kind: resource-sheet), read back from its PDF: every detail
printed, phone numbers whole, web addresses broken only at / . - @, links over the
text, QR codes that decode to their address, and the sheet inside kit.pdf."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from kitpress.build import build_kit, lay_out
from kitpress.cli import cli
from kitpress.content.resources import phone_uri, short_url, website_uri
from kitpress.errors import FitError
from kitpress.kit import load_kit
from kitpress.layouts.resources import Qr
from kitpress.options import Options
from kitpress.paper import PAPERS
from kitpress.render.flowing import OverLimit
from kitpress.render.resources import WIDGET_SIDE, QrCode, address_pieces
from kitpress.typography import Quotes, typeset_data
from tests.pdfread import all_text, norm, page_texts, printed, text_runs

NAME = "visiting-day"
DPI = 200


def content(kit: Path) -> dict:
    """The sheet's data as printed (straight quotes typographic, as kit.py loads it)."""
    data = yaml.safe_load((kit / "en" / f"{NAME}.yaml").read_text(encoding="utf-8"))
    return typeset_data(data, Quotes())


def entries(data: dict) -> list[dict]:
    return [e for s in data["sections"] for e in s["entries"]]


def build(kit: Path, out: Path, **options: Any) -> Path:
    build_kit(load_kit(kit), out, Options(only=(NAME,), **options))
    return out / "en" / f"{NAME}.pdf"


def sheet(kit: Path, sections: list[dict], layout: dict | None = None) -> None:
    """Replace the kit's visiting-day sheet (and, if given, its layout)."""
    data = {"kind": "resource-sheet", "layout": "resource-sheet", "title": "Help near you"}
    text = yaml.safe_dump({**data, "sections": sections}, sort_keys=False)
    (kit / "en" / f"{NAME}.yaml").write_text(text)
    manifest = yaml.safe_load((kit / "kit.yaml").read_text(encoding="utf-8"))
    manifest["languages"] = ["en"]  # the sheet under test; Spanish labels are wider
    (kit / "kit.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True))
    if layout is not None:
        (kit / "layouts").mkdir(exist_ok=True)
        text = yaml.safe_dump({"extends": "resource-sheet", **layout})
        (kit / "layouts" / "resource-sheet.yaml").write_text(text)


def at(kit: Path, key: str) -> str:
    """'line:column' of the value of the only `key:` in the sheet, as messages give it."""
    lines = (kit / "en" / f"{NAME}.yaml").read_text().splitlines()
    ((n, line),) = [(n, line) for n, line in enumerate(lines, 1) if f" {key}: " in f" {line}"]
    return f"{n}:{line.index(f'{key}: ') + len(key) + 3}"


def three_columns(kit: Path, entry: dict) -> None:
    """A sheet on the narrowest bundled grid: value columns about 1.3in wide."""
    sheet(kit, [{"heading": "Help", "entries": [entry]}], {"entries": {"columns": 3}})


@pytest.fixture(scope="module")
def default_kit(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The default kit built once (Letter): its kit folder and output folder."""
    from kitpress.paths import bundled

    root = tmp_path_factory.mktemp("resources")
    shutil.copytree(bundled("kit"), root / "kit")
    build_kit(load_kit(root / "kit"), root / "out")
    return root / "kit", root / "out"


# --- what is printed ----------------------------------------------------------------


@pytest.mark.parametrize("paper,size", [("letter", (612, 792)), ("a4", (595, 842))])
def test_one_or_two_pages_on_letter_and_a4(kit_copy, tmp_path, paper, size):
    reader = PdfReader(build(kit_copy, tmp_path / "out", paper=paper))
    assert 1 <= len(reader.pages) <= 2
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == size


def test_every_name_detail_and_label_is_printed(default_kit):
    kit, out = default_kit
    text = all_text(out / "en" / f"{NAME}.pdf")
    data = content(kit)
    labels = yaml.safe_load((kit / "en" / "labels.yaml").read_text())
    strings = [data["title"], data["subtitle"], data["intro"], data["closing"]]
    strings += [s["heading"] for s in data["sections"]]
    for entry in entries(data):
        strings += [entry["name"], entry.get("note", "")]
        for detail in ("phone", "hours", "address", "email"):
            if detail in entry:
                strings += [entry[detail], labels[detail]]
        if "website" in entry:
            strings.append(short_url(entry["website"]))
            if not entry.get("qr"):
                strings.append(labels["website"])
    missing = [s for s in strings if norm(s) not in text]
    assert not missing


def test_a_website_with_a_qr_code_is_printed_once_under_the_code(default_kit):
    kit, out = default_kit
    text = all_text(out / "en" / f"{NAME}.pdf")
    for entry in entries(content(kit)):
        if entry.get("qr"):
            assert text.count(short_url(entry["website"])) == 1


def test_sections_keep_their_heading_with_their_first_entry(default_kit):
    kit, out = default_kit
    name = yaml.safe_load((kit / "kit.yaml").read_text())["organization"]["name"]
    footer = printed(name["en"] if isinstance(name, dict) else name)
    pages = [t.split(footer)[0] for t in page_texts(out / "en" / f"{NAME}.pdf")]
    for section in content(kit)["sections"]:
        on = [i for i, t in enumerate(pages) if norm(section["heading"]) in t]
        first = [i for i, t in enumerate(pages) if norm(section["entries"][0]["name"]) in t]
        assert on == first[:1], section["heading"]


def test_labels_are_smaller_than_values_and_nothing_but_the_footer_under_11pt(default_kit):
    kit, out = default_kit
    name = yaml.safe_load((kit / "kit.yaml").read_text())["organization"]["name"]
    footer = printed(name["en"] if isinstance(name, dict) else name)
    runs = text_runs(out / "en" / f"{NAME}.pdf")
    body = [size for _, text, size in runs if footer not in text and "Page" not in text]
    assert min(body) >= 11 - 0.01
    sizes = {text.strip(): size for _, text, size in runs}
    assert sizes["Phone"] < sizes["555-0100"]


def test_a_label_sits_on_its_values_baseline(default_kit):
    _, out = default_kit
    runs = _positioned_runs(PdfReader(out / "en" / f"{NAME}.pdf").pages[0])
    baseline: dict[str, float] = {}
    for text, _, y in runs:  # the first of each: the first entry's
        baseline.setdefault(text, y)
    for label, value in [("Phone", "555-0100"), ("Hours", "Saturday and Sunday")]:
        assert baseline[label] == pytest.approx(baseline[value], abs=0.01)


# --- phone numbers and web addresses --------------------------------------------------


def test_a_phone_number_stays_whole_on_one_line(kit_copy, tmp_path):
    three_columns(kit_copy, {"name": "Line", "phone": "+1 (555) 555-0199"})
    lines = PdfReader(build(kit_copy, tmp_path / "out")).pages[0].extract_text().splitlines()
    assert "+1 (555) 555-0199" in lines


def test_a_phone_number_too_wide_for_its_column_is_an_error_not_a_break(runner, kit_copy, in_tmp):
    # a paragraph would break this at a space; a phone number is refused instead
    three_columns(kit_copy, {"name": "Line", "phone": "+1 (555) 555-0199 555 0100"})
    result = runner.invoke(cli, ["build", "kit", "-o", "out"], prog_name="kitpress")
    assert result.exit_code == 1
    assert result.stderr == (
        f"kit/en/{NAME}.yaml:{at(kit_copy, 'phone')}: sections[0].entries[0].phone: the phone "
        "number is wider "
        "than its column, and a phone number is never broken; shorten it, or give the layout "
        "fewer entries.columns\n"
    )
    assert not (in_tmp / "out").exists()


@pytest.mark.parametrize("where", ["labels.yaml", "the handout"])
def test_a_label_too_long_for_its_column_is_blamed_where_it_is_written(
    runner, kit_copy, in_tmp, where
):
    """A label is the handout's own `phone:` or, if it gives none, labels.yaml's: the
    message points at the line the word is on, not at the section that prints it."""
    word = "Telephonenumberswhereyoucanreachus"
    if where == "labels.yaml":
        path = kit_copy / "en" / "labels.yaml"
        text = path.read_text(encoding="utf-8")
        assert 'phone: "Phone"' in text
        path.write_text(text.replace('phone: "Phone"', f'phone: "{word}"', 1), encoding="utf-8")
    else:
        path = kit_copy / "en" / f"{NAME}.yaml"
        path.write_text(path.read_text(encoding="utf-8") + f'phone: "{word}"\n', encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    ((line, column),) = [(n, text.index(word)) for n, text in enumerate(lines, 1) if word in text]
    result = runner.invoke(cli, ["build", "kit", "-o", "out"], prog_name="kitpress")
    assert result.exit_code == 1
    assert result.stderr == (
        f"kit/en/{path.name}:{line}:{column}: phone: the word '{word}' is too long for its "
        "line (1.3 in at 11 pt); shorten it or split it with a space\n"
    )
    assert not (in_tmp / "out").exists()


def test_address_pieces_break_only_before_slash_dot_hyphen_at():
    assert address_pieces("example.org/visit-hours") == ["example", ".org", "/visit", "-hours"]
    assert address_pieces("help@example.org") == ["help", "@example", ".org"]
    assert address_pieces("https://a.org/b") == ["https://", "a", ".org", "/b"]
    assert address_pieces("example.org/a_b?c=d&e") == ["example", ".org", "/a_b?c=d&e"]


def test_a_long_web_address_breaks_only_at_slash_dot_hyphen_at(kit_copy, tmp_path):
    url = "example.org/visiting/weekend-rules/for-children"
    three_columns(kit_copy, {"name": "Rules", "website": url})
    lines = PdfReader(build(kit_copy, tmp_path / "out")).pages[0].extract_text().splitlines()
    start = next(i for i, line in enumerate(lines) if url.startswith(line) and line)
    shown: list[str] = []
    while "".join(shown) != url:
        assert url.startswith("".join(shown) + lines[start + len(shown)])
        shown.append(lines[start + len(shown)])
    assert len(shown) > 1, "the address should need more than one line here"
    assert all(line[0] in "./-@" for line in shown[1:]), shown


def test_a_piece_of_an_address_too_wide_is_an_error(runner, kit_copy, in_tmp):
    three_columns(kit_copy, {"name": "Rules", "website": "example.org/averyveryverylongwordhere"})
    result = runner.invoke(cli, ["build", "kit", "-o", "out"], prog_name="kitpress")
    assert (result.exit_code, result.stderr) == (
        1,
        f"kit/en/{NAME}.yaml:{at(kit_copy, 'website')}: sections[0].entries[0].website: "
        "'/averyveryverylongwordhere' "
        "is wider than its column, and a web or e-mail address breaks only at / . - @; "
        "shorten it, or give the layout fewer entries.columns\n",
    )


@pytest.mark.parametrize("detail", ["hours", "address"])
@pytest.mark.parametrize("columns", [1, 3])
def test_a_word_too_wide_for_hours_or_an_address_is_an_error(
    runner, kit_copy, in_tmp, detail, columns
):
    # beside a QR code on one column, in a narrow grid on three: it would print over the
    # code or the next column (found by test_fit's resource-sheet property test)
    word = "Rehabilitationsmaßnahmen" * (3 if columns == 1 else 1)
    entry = {"name": "Visits", detail: f"Open\nto {word}"}
    if columns == 1:
        entry.update(website="example.org/visit", qr=True)
    sheet(kit_copy, [{"heading": "Help", "entries": [entry]}], {"entries": {"columns": columns}})
    result = runner.invoke(cli, ["build", "kit", "-o", "out"], prog_name="kitpress")
    assert result.exit_code == 1, result.output
    message = f"kit/en/{NAME}.yaml:{at(kit_copy, detail)}: sections[0].entries[0].{detail}: "
    assert result.stderr.startswith(message + f"the word '{word[:40]}")
    assert result.stderr.endswith("; shorten it or split it with a space\n")
    assert len(result.stderr.splitlines()) == 1
    assert not (in_tmp / "out").exists()


def _positioned_runs(page) -> list[tuple[str, float, float]]:
    """(text, x, y) of every text run, in page coordinates."""
    runs: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((text.strip(), x, y))

    page.extract_text(visitor_text=visit)
    return runs


def test_phone_web_and_email_are_links_over_their_text(default_kit):
    kit, out = default_kit
    reader = PdfReader(out / "en" / f"{NAME}.pdf")
    expected: dict[str, str] = {}  # text on the page -> the link over it
    for entry in entries(content(kit)):
        if "phone" in entry:
            expected[entry["phone"]] = phone_uri(entry["phone"])
        if "website" in entry:
            expected[short_url(entry["website"])] = website_uri(entry["website"])
        if "email" in entry:
            expected[entry["email"]] = "mailto:" + entry["email"]
    found = set()
    for page in reader.pages:
        links = [
            (a["/A"]["/URI"], [float(v) for v in a["/Rect"]])
            for a in (ref.get_object() for ref in page.get("/Annots", []))
            if a["/Subtype"] == "/Link"
        ]
        for text, x, y in _positioned_runs(page):
            if text in expected:
                over = [u for u, (x1, y1, x2, y2) in links if x1 <= x + 1 < x2 and y1 <= y <= y2]
                assert over == [expected[text]], text
                found.add(text)
    assert found == set(expected)
    assert {"tel:988", "mailto:hello@example.org", "https://example.org/visit"} <= {
        expected[t] for t in found
    }


# --- QR codes ------------------------------------------------------------------------


def decode(pdf: Path, page: int, tmp_path: Path) -> list[tuple[str, Image.Image, Any]]:
    """The QR codes on one page rendered at 200 dpi: (text, the page image, barcode)."""
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    stem = tmp_path / f"p{page}"
    pages = ["-f", str(page), "-l", str(page), "-singlefile"]
    args = ["pdftoppm", "-r", str(DPI), "-gray", *pages, "-png", str(pdf), str(stem)]
    subprocess.run(args, check=True)
    image = Image.open(f"{stem}.png").convert("L")
    return [(b.text, image, b) for b in zxingcpp.read_barcodes(image)]


def test_qr_codes_decode_to_their_web_address(default_kit, tmp_path):
    kit, out = default_kit
    pdf = out / "en" / f"{NAME}.pdf"
    expected = [website_uri(e["website"]) for e in entries(content(kit)) if e.get("qr")]
    pages = len(PdfReader(pdf).pages)
    decoded = [text for n in range(1, pages + 1) for text, _, _ in decode(pdf, n, tmp_path)]
    assert sorted(decoded) == sorted(expected)


def test_qr_codes_are_at_least_0_8in_with_a_4_module_quiet_zone(default_kit, tmp_path):
    _, out = default_kit
    codes = decode(out / "en" / f"{NAME}.pdf", 1, tmp_path)
    assert codes
    for _, image, code in codes:
        p = code.position
        xs = [p.top_left.x, p.top_right.x, p.bottom_left.x, p.bottom_right.x]
        ys = [p.top_left.y, p.top_right.y, p.bottom_left.y, p.bottom_right.y]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        assert (x1 - x0 + 1) / DPI >= 0.8 and (y1 - y0 + 1) / DPI >= 0.8
        module = (x1 - x0 + 1) / (17 + 4 * int(code.extra["Version"]))
        quiet = 4 * module
        # the band around the code, clear of its antialiased edge, is white paper
        outer = (round(x0 - quiet), round(y0 - quiet), round(x1 + quiet), round(y1 + quiet))
        band = [
            (outer[0], outer[1], outer[2], y0 - 2),  # above
            (outer[0], y1 + 3, outer[2], outer[3]),  # below
            (outer[0], outer[1], x0 - 2, outer[3]),  # left
            (x1 + 3, outer[1], outer[2], outer[3]),  # right
        ]
        for box in band:
            assert image.crop(box).getextrema()[0] > 200, (code.text, box)


@pytest.mark.parametrize("level", ["L", "M", "Q", "H"])
@pytest.mark.parametrize("quiet_zone", [4, 6])
@pytest.mark.parametrize(
    "uri", ["https://example.org/visit", "HTTPS://EXAMPLE.ORG/123", "https://a.example/" + "x" * 90]
)
def test_qr_squares_are_those_reportlabs_widget_draws(uri, level, quiet_zone):
    """kitpress places the code's squares itself (the widget is slow): the same squares,
    to the last bit, as scaling the widget's own drawing (so the same PDF bytes)."""
    from reportlab.graphics.barcode.qr import QrCodeWidget

    cfg = Qr(size=0.9 * 72, quiet_zone=quiet_zone, level=level)
    code = QrCode(uri, cfg, None)
    widget = QrCodeWidget(uri, barLevel=level, barBorder=quiet_zone)
    shapes = widget.draw().contents
    assert (widget.barWidth, widget.barHeight) == (WIDGET_SIDE, WIDGET_SIDE)
    k = code.size / widget.barWidth
    drawn = [(r.x * k, r.y * k, r.width * k, r.height * k) for r in shapes if r.fillColor]
    assert code.modules == widget.qr.getModuleCount()
    assert code.squares == drawn and len(drawn) > 50


def test_a_qr_code_needs_a_website(runner, kit_copy, in_tmp):
    sheet(kit_copy, [{"heading": "Help", "entries": [{"name": "Line", "qr": True}]}])
    result = runner.invoke(cli, ["check", "kit"], prog_name="kitpress")
    assert (result.exit_code, result.stderr) == (
        1,
        f"kit/en/{NAME}.yaml:{at(kit_copy, 'qr')}: sections[0].entries[0].qr: a QR code needs "
        "a website to "
        "point to; add 'website:' to this entry, or remove 'qr'\n",
    )


def test_a_web_address_too_long_for_a_readable_qr_code_is_an_error(kit_copy, tmp_path):
    url = "example.org/" + "a" * 180
    sheet(kit_copy, [{"heading": "Help", "entries": [{"name": "Far", "website": url, "qr": True}]}])
    with pytest.raises(FitError, match="too long for a QR code of 0.85in") as e:
        build(kit_copy, tmp_path / "out")
    assert e.value.key_path == ("sections", 0, "entries", 0, "website")


# --- page flow -----------------------------------------------------------------------


def many(n: int) -> list[dict]:
    return [
        {
            "heading": "Hotlines",
            "entries": [
                {"name": f"Line {i}", "phone": f"555-01{i % 100:02d}", "hours": "Any time"}
                for i in range(n)
            ],
        }
    ]


def test_a_long_list_flows_onto_a_second_page(kit_copy, tmp_path):
    sheet(kit_copy, many(40))
    pages = page_texts(build(kit_copy, tmp_path / "out"))
    assert len(pages) == 2
    assert "Line 0 " in pages[0] and "Line 39 " in pages[1]
    assert all(f"Line {i} " in " ".join(pages) for i in range(40))


def test_past_max_pages_is_one_line_and_writes_nothing(runner, kit_copy, in_tmp):
    sheet(kit_copy, many(50))
    result = runner.invoke(cli, ["build", "kit", "-o", "out"], prog_name="kitpress")
    # it points at the first entry past the limit: the place to start cutting
    where = re.fullmatch(
        rf"kit/en/{NAME}\.yaml:(\d+):\d+: sections\[0\]\.entries\[(\d+)\]: the handout runs "
        "over the 2 pages layout 'resource-sheet' allows \\(about 15 lines more; it spills "
        "over in this part\\); shorten the text, or raise max_pages in your kit's "
        "layouts/resource-sheet\\.yaml \\(see Layouts in the README\\)\n",
        result.stderr,
    )
    assert result.exit_code == 1 and where, result.stderr
    line, entry = int(where[1]), int(where[2])
    text = (kit_copy / "en" / f"{NAME}.yaml").read_text(encoding="utf-8").splitlines()
    assert f"Line {entry}" in text[line - 1]
    kit = load_kit(kit_copy)  # drawn past the limit, as the preview does
    (h,) = [h for h in kit.handouts if h.name == NAME and h.lang == "en"]
    with pytest.raises(OverLimit) as over:
        lay_out(kit, h, PAPERS["letter"], Options(over_limit=True))
    pages = [norm(p.extract_text()) for p in PdfReader(io.BytesIO(over.value.laid_out.pdf())).pages]
    assert f"Line {entry} " in pages[2] and f"Line {entry - 1} " in pages[1]
    assert not (in_tmp / "out").exists()


def test_one_column_layout(kit_copy, tmp_path):
    (kit_copy / "layouts").mkdir()
    (kit_copy / "layouts/resource-sheet.yaml").write_text(
        "extends: resource-sheet\nentries: {columns: 1}\nmax_pages: 3\n"
    )
    text = all_text(build(kit_copy, tmp_path / "out"))
    assert all(norm(e["name"]) in text for e in entries(content(kit_copy)))


# --- inside kit.pdf ------------------------------------------------------------------


def test_kit_pdf_holds_the_sheet_with_its_links_and_codes(default_kit, tmp_path):
    kit, out = default_kit
    reader = PdfReader(out / "en" / "kit.pdf")
    outline = {e.title: reader.get_destination_page_number(e) for e in reader.outline}
    first = outline[content(kit)["title"]]
    own = PdfReader(out / "en" / f"{NAME}.pdf")
    assert first % 2 == 0  # a right-hand page (0-based even)
    texts = page_texts(out / "en" / "kit.pdf")
    for n, page in enumerate(own.pages):
        assert norm(page.extract_text().split("Your group")[0]) in texts[first + n]
        kit_uris = {a.get_object()["/A"]["/URI"] for a in reader.pages[first + n]["/Annots"]}
        own_uris = {a.get_object()["/A"]["/URI"] for a in page["/Annots"]}
        assert kit_uris == own_uris
    decoded = [
        t
        for n in range(len(own.pages))
        for t, _, _ in decode(out / "en" / "kit.pdf", first + n + 1, tmp_path)
    ]
    assert sorted(decoded) == sorted(
        website_uri(e["website"]) for e in entries(content(kit)) if e.get("qr")
    )


def test_a_sheet_sets_or_turns_off_its_own_labels(kit_copy, tmp_path):
    sheet(kit_copy, [{"heading": "Help", "entries": [{"name": "Line", "phone": "555-0123"}]}])
    path = kit_copy / "en" / f"{NAME}.yaml"
    path.write_text(path.read_text() + 'phone: "Call"\n')
    lines = PdfReader(build(kit_copy, tmp_path / "a")).pages[0].extract_text().splitlines()
    assert lines[lines.index("555-0123") - 1].strip() == "Call"  # (tagged: a space ends a line)
    path.write_text(path.read_text().replace('phone: "Call"', "phone: false"))
    lines = PdfReader(build(kit_copy, tmp_path / "b")).pages[0].extract_text().splitlines()
    assert lines[lines.index("555-0123") - 1].strip() == "Line"  # the name, then the number


def test_the_large_print_sheet_fits_its_pages_and_its_codes_decode(kit_copy, tmp_path):
    build_kit(load_kit(kit_copy, ("large-print",)), tmp_path / "out", Options(only=(NAME,)))
    pdf = tmp_path / "out" / "en-large" / f"{NAME}.pdf"
    reader = PdfReader(pdf)
    assert 2 < len(reader.pages) <= 6
    expected = [website_uri(e["website"]) for e in entries(content(kit_copy)) if e.get("qr")]
    decoded = [t for n in range(len(reader.pages)) for t, _, _ in decode(pdf, n + 1, tmp_path)]
    assert sorted(decoded) == sorted(expected)
