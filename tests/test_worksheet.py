"""kind: worksheet — form fields over what is drawn, the flat build, page flow, errors."""

from __future__ import annotations

import io
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from kitpress.build import lay_out
from kitpress.cli import cli
from kitpress.content.worksheet import PromptBlock, TrackerBlock
from kitpress.kit import load_kit
from kitpress.options import Options
from kitpress.paper import paper

DATA = Path(__file__).parent / "data"
LONG_KIT = DATA / "long-worksheet"
MULTILINE = 1 << 12  # /Ff bit 13
DO_NOT_SCROLL = 1 << 23  # /Ff bit 24
REQUIRED = 1 << 1  # /Ff bit 2
PRINT = 1 << 2  # annotation /F bit 3
TOL = 0.05


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # /Tx or /Btn
    flags: int
    annot_flags: int
    rect: tuple[float, float, float, float]  # x0, y0, x1, y1
    page: int
    widget: dict


def _build(kit_dir: Path, handout: str, flat: bool = False) -> tuple[PdfReader, object]:
    kit = load_kit(kit_dir)
    h = next(h for h in kit.handouts if h.name == handout)
    pdf = lay_out(kit, h, paper("letter"), Options(flat=flat)).pdf()
    return PdfReader(io.BytesIO(pdf)), h


def _qualified(widget) -> str:
    parts = []
    node = widget
    while node is not None:
        parts.append(str(node["/T"]))
        node = node.get("/Parent")
        node = node.get_object() if node is not None else None
    return ".".join(reversed(parts))


def _fields(reader: PdfReader) -> dict[str, Field]:
    out = {}
    for number, page in enumerate(reader.pages):
        for ref in page.get("/Annots", []):
            w = ref.get_object()
            if w.get("/Subtype") != "/Widget":
                continue
            name = _qualified(w)
            assert name not in out, f"two widgets named {name}"
            out[name] = Field(
                name,
                str(w["/FT"]),
                int(w.get("/Ff", 0)),
                int(w.get("/F", 0)),
                tuple(float(v) for v in w["/Rect"]),
                number,
                w,
            )
    return out


def _drawn(page) -> tuple[list[tuple[float, float, float, float]], list[tuple]]:
    """Horizontal line segments (x0, x1, y, width) and rectangles (x, y, w, h) drawn on the
    page, in page coordinates."""
    lines: list = []
    rects: list = []
    state = {"start": None, "lw": 1.0}

    def at(cm, x, y):
        return (cm[0] * x + cm[2] * y + cm[4], cm[1] * x + cm[3] * y + cm[5])

    def visit(op, args, cm, tm):
        if op == b"w":
            state["lw"] = float(args[0])
        elif op == b"m":
            state["start"] = at(cm, float(args[0]), float(args[1]))
        elif op == b"l" and state["start"]:
            x1, y1 = at(cm, float(args[0]), float(args[1]))
            x0, y0 = state["start"]
            if abs(y0 - y1) < TOL:
                lines.append((min(x0, x1), max(x0, x1), y0, state["lw"]))
            state["start"] = (x1, y1)
        elif op == b"re":
            x, y = at(cm, float(args[0]), float(args[1]))
            rects.append((x, y, float(args[2]), float(args[3]), state["lw"]))

    page.extract_text(visitor_operand_before=visit)
    return lines, rects


def _texts(reader: PdfReader) -> list[str]:
    return [p.extract_text() for p in reader.pages]


@pytest.fixture(scope="module")
def bundled_build():
    from kitpress.paths import bundled

    return _build(bundled("kit"), "reconnection-worksheet")


# --- form fields ----------------------------------------------------------------------------


def test_fields_have_stable_names_and_types(bundled_build):
    reader, _ = bundled_build
    fields = _fields(reader)
    expected_text = {
        "noticed_since",  # a short answer: one line, one field
        "noticed_notes.1",  # a prompt: one field per ruled line, numbered from the top
        "noticed_notes.2",
        "reasons_other.2",
        "topic",
        "question",
        "memory",
        "here_line",
        "rewrite.1.hard.1",
        "rewrite.2.kinder.2",
        "tracker.letters.week_1",
        "tracker.books_or_photos_sent.week_4",
        "tracker_notes.1",
        "self_care.1",
        "support_person",
        "circle",
        "outlet",
    }
    assert expected_text <= set(fields)
    assert {f"noticed.{n}" for n in range(1, 7)} <= set(fields)
    assert {f"checked.{n}" for n in range(1, 4)} <= set(fields)
    assert len([n for n in fields if n.startswith("tracker.")]) == 16
    for name in expected_text:
        assert fields[name].kind == "/Tx", name
    assert fields["noticed.3"].kind == "/Btn"
    assert "noticed_notes.4" not in fields  # three lines, three fields
    # the form's own tree: the parents are fields too, and pypdf sees qualified names
    assert {"topic", "tracker.calls.week_2", "reasons.6", "noticed_notes.2"} <= set(
        reader.get_fields()
    )


def test_field_flags(bundled_build):
    reader, h = bundled_build
    fields = _fields(reader)
    prompts = {b.name for s in h.content.sections for b in s.blocks if isinstance(b, PromptBlock)}
    assert prompts == {"noticed_notes", "reasons_other", "tracker_notes", "self_care"}
    for f in fields.values():
        assert not f.flags & REQUIRED, f.name
        assert f.annot_flags & PRINT, f.name  # visible when printed
        if f.kind == "/Tx":
            assert "/MaxLen" not in f.widget, f.name  # no 100-character cap
            # the form's own embedded font, 12 pt, DeviceGray black
            assert re.fullmatch(r"/Kp[A-Z]{6} 12 Tf 0 g", f.widget["/DA"]), f.name
            assert f.flags & DO_NOT_SCROLL, f.name  # what shows on screen is what prints
        assert not f.flags & MULTILINE, f.name


def test_each_ruled_line_has_its_own_field_just_above_it(bundled_build):
    reader, h = bundled_build
    fields = _fields(reader)
    w = h.layout.writing
    for s in h.content.sections:
        for b in s.blocks:
            if not isinstance(b, PromptBlock):
                continue
            rects = [fields[f"{b.name}.{n}"].rect for n in range(1, b.lines + 1)]
            lines, _ = _drawn(reader.pages[fields[f"{b.name}.1"].page])
            for n, (x0, y0, x1, y1) in enumerate(rects, 1):
                # the field's bottom is its rule, and it is shorter than a line's room
                assert any(
                    abs(ly - y0) < TOL
                    and abs(lx0 - x0) < TOL
                    and abs(lx1 - x1) < TOL
                    and lw >= 0.75
                    for lx0, lx1, ly, lw in lines
                ), f"{b.name}.{n}: no rule at y={y0:.1f} from {x0:.1f} to {x1:.1f}"
                assert 10 < y1 - y0 < w.line_spacing, f"{b.name}.{n}"
                if n > 1:  # numbered from the top, one line spacing apart
                    assert rects[n - 2][1] - y0 == pytest.approx(w.line_spacing, abs=TOL)


def test_checkboxes_sit_on_drawn_boxes(bundled_build):
    reader, h = bundled_build
    size = h.layout.checkbox.size
    boxes = [f for f in _fields(reader).values() if f.kind == "/Btn"]
    assert len(boxes) == 15
    for f in boxes:
        x0, y0, x1, y1 = f.rect
        assert (x1 - x0, y1 - y0) == pytest.approx((size, size))
        _, rects = _drawn(reader.pages[f.page])
        assert any(
            abs(rx - x0) < TOL
            and abs(ry - y0) < TOL
            and abs(rw - size) < TOL
            and abs(rh - size) < TOL
            and lw >= 0.75
            for rx, ry, rw, rh, lw in rects
        ), f.name


def test_tracker_cells_fill_the_grid(bundled_build):
    reader, h = bundled_build
    t = h.layout.tracker
    fields = _fields(reader)
    cells = [f for n, f in fields.items() if n.startswith("tracker.")]
    lines, _ = _drawn(reader.pages[cells[0].page])
    for f in cells:
        x0, y0, x1, y1 = f.rect
        assert y1 - y0 == pytest.approx(t.cell_height - 2 * t.line_width, abs=TOL)
        assert f.widget["/Q"] == 1  # typed text centred in the cell
        for y in (y0 - t.line_width, y1 + t.line_width):  # grid rules just outside
            assert any(
                abs(ly - y) < TOL and lx0 <= x0 and lx1 >= x1 for lx0, lx1, ly, _ in lines
            ), f"{f.name}: no grid rule at y={y:.1f}"


# --- flat -----------------------------------------------------------------------------------


def test_flat_option_gives_no_form(runner, in_tmp):
    result = runner.invoke(cli, ["build", "--flat", "-o", "out"])
    assert result.exit_code == 0, result.output
    reader = PdfReader("out/en/reconnection-worksheet.pdf")
    assert "/AcroForm" not in reader.trailer["/Root"]
    assert all("/Annots" not in p for p in reader.pages)
    assert len(reader.pages) <= 3


def test_flat_layout_setting_gives_no_form(kit_copy):
    (kit_copy / "layouts").mkdir()
    (kit_copy / "layouts" / "worksheet.yaml").write_text("extends: worksheet\nflat: true\n")
    reader, _ = _build(kit_copy, "reconnection-worksheet")
    assert "/AcroForm" not in reader.trailer["/Root"]


def test_fillable_build_has_a_form(bundled_build):
    reader, _ = bundled_build
    form = reader.trailer["/Root"]["/AcroForm"]
    # one font, the typed answers' (embedded); a tick is drawn, it needs no font
    (name,) = form["/DR"]["/Font"]
    assert re.fullmatch(r"/Kp[A-Z]{6}", name)
    assert not form.get("/NeedAppearances")  # every appearance is in the file


# --- filling it in --------------------------------------------------------------------------


def test_filled_values_show(bundled_build, tmp_path):
    reader, _ = bundled_build
    writer = PdfWriter(clone_from=reader)
    values = {
        "topic": "The garden and the new puppy",
        "noticed_notes.1": "He sounded tired.",
        "noticed_notes.2": "His letters got shorter.",
        "tracker.calls.week_2": "3",
        "noticed.2": "/Yes",
    }
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=True)
    out = tmp_path / "filled.pdf"
    writer.write(out)
    filled = _fields(PdfReader(out))
    for name, value in values.items():
        assert filled[name].widget["/V"] == value, name
    appearance = filled["topic"].widget["/AP"]["/N"].get_object()
    font_key = str(reader.trailer["/Root"]["/AcroForm"]["/DA"]).split()[0]
    assert list(appearance["/Resources"]["/Font"]) == [font_key]  # set in the form's font
    assert b" Tj" in appearance.get_data()
    assert filled["noticed.2"].widget["/AS"] == "/Yes"
    if shutil.which("pdftotext"):  # a renderer draws the filled file with the typed words
        import subprocess

        text = subprocess.run(
            ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
        ).stdout
        for value in ("The garden and the new puppy", "His letters got shorter."):
            assert value in text


# --- page flow ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def long_build():
    return _build(LONG_KIT, "long-worksheet")


def test_long_worksheet_spans_pages(long_build):
    reader, _ = long_build
    assert len(reader.pages) >= 5


def _page_of(texts: list[str], needle: str) -> int:
    pages = [i for i, t in enumerate(texts) if needle in t]
    assert len(pages) == 1, f"{needle!r} found on pages {pages}"
    return pages[0]


def test_headings_travel_with_their_first_writing_block(long_build):
    reader, h = long_build
    texts, fields = _texts(reader), _fields(reader)
    for section in h.content.sections:
        first = next(b for b in section.blocks if hasattr(b, "name"))
        page = min(f.page for n, f in fields.items() if n.split(".")[0] == first.name)
        assert _page_of(texts, section.heading) == page, section.heading


def test_writing_blocks_are_never_split(long_build):
    reader, h = long_build
    texts, fields = _texts(reader), _fields(reader)
    for section in h.content.sections:
        for b in section.blocks:
            if isinstance(b, PromptBlock):
                assert _page_of(texts, b.prompt) == fields[f"{b.name}.1"].page, b.name
                assert fields[f"{b.name}.{b.lines}"].page == fields[f"{b.name}.1"].page


def test_tracker_stays_on_one_page(long_build):
    reader, h = long_build
    texts, fields = _texts(reader), _fields(reader)
    trackers = [b for s in h.content.sections for b in s.blocks if isinstance(b, TrackerBlock)]
    assert len(trackers) == 2
    for t in trackers:
        pages = {f.page for n, f in fields.items() if n.startswith(t.name + ".")}
        assert len(pages) == 1, t.name
        for row in t.rows:
            assert _page_of(texts, row) in pages


# --- errors ---------------------------------------------------------------------------------


def _edit(kit: Path, old: str, new: str) -> None:
    path = kit / "en" / "reconnection-worksheet.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            '        prompt: "What else have I seen or heard?"\n        lines: 2',
            '        prompt: "What else have I seen or heard?"\n        lnes: 2',
            "kit/en/reconnection-worksheet.yaml:35:9: sections[0].blocks[4].lnes: "
            "unknown key; did you mean 'lines'?",
        ),
        (
            "      - type: short\n        name: noticed_since",
            "      - type: shrt\n        name: noticed_since",
            "kit/en/reconnection-worksheet.yaml:21:9: sections[0].blocks[1]: "
            "'shrt' is not a known type; did you mean 'short'?",
        ),
        (
            "name: question",
            "name: topic",
            "kit/en/reconnection-worksheet.yaml:62:15: sections[2].blocks[2].name: the name "
            "'topic' is already used by sections[2].blocks[1]; field names must be unique "
            "in a worksheet",
        ),
        (
            "name: here_line",
            "name: Here line",
            "kit/en/reconnection-worksheet.yaml:68:15: sections[2].blocks[4].name: 'Here line' "
            "is not a field name; use small letters, digits and _ (like next_letter), "
            "starting with a letter",
        ),
    ],
)
def test_malformed_block_is_one_line_error(runner, kit_copy, in_tmp, old, new, message):
    _edit(kit_copy, old, new)
    result = runner.invoke(cli, ["build", "kit", "-o", "out"])
    assert result.exit_code == 1
    assert result.output == message + "\n"
    assert not Path("out").exists()


def test_line_spacing_below_8mm_is_refused(runner, kit_copy, in_tmp):
    (kit_copy / "layouts").mkdir()
    (kit_copy / "layouts" / "worksheet.yaml").write_text(
        "extends: worksheet\nwriting:\n  line_spacing: 6mm\n"
    )
    result = runner.invoke(cli, ["check", "kit"])
    assert result.exit_code == 1
    assert result.output == (
        "kit/layouts/worksheet.yaml:3:17: writing.line_spacing: is 17.01pt; "
        "line spacing (8mm) must be at least 22.68pt\n"
    )


def test_tracker_too_tall_for_a_page_is_refused_not_split(runner, kit_copy, in_tmp):
    (kit_copy / "layouts").mkdir()
    (kit_copy / "layouts" / "worksheet.yaml").write_text(
        "extends: worksheet\ntracker:\n  cell_height: 2.5in\n"
    )
    result = runner.invoke(cli, ["build", "kit", "-o", "out"])
    assert result.exit_code == 1
    # the tracker is the second block of the sixth section
    line = (
        (kit_copy / "en/reconnection-worksheet.yaml")
        .read_text()
        .splitlines()
        .index("      - type: tracker")
    )
    assert result.output == (
        f"kit/en/reconnection-worksheet.yaml:{line + 1}:9: sections[5].blocks[1]: this is too "
        "tall to fit on one page (a long list, table or writing area); shorten it or split it "
        "in two\n"
    )
