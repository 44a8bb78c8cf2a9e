"""Facilities as data: reading facilities.csv and facilities.yaml, and filling
{facility.NAME} into the kit's texts (per language, with errors at the right place).
Loading only: nothing is laid out here (tests/test_outreach.py builds)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kitpress.errors import InputError
from kitpress.facilities import load_table
from kitpress.kit import load_kit
from kitpress.paths import bundled
from kitpress.placeholders import Texts

HEADER = "id,name,visiting_hours,visiting_hours_es,phone\n"
ROWS = (
    "north-ridge,North Ridge (example),Fri to Sun 8 to 2,De viernes a domingo,555-0110\n"
    "riverbend,Riverbend (example),Wed 5 to 8,,555-0120\n"
)


def small_kit(root: Path, csv: str | None = HEADER + ROWS) -> Path:
    """The default kit with its visiting-day sheets' first entry using a facility's values."""
    shutil.copytree(bundled("kit"), root)
    for lang in ("en", "es"):
        path = root / lang / "visiting-day.yaml"
        text = path.read_text(encoding="utf-8")
        start = text.index("      - name:")  # the first entry: the facility itself
        end = text.index("        qr: true", start)
        entry = (
            '      - name: "{facility.name}"\n'
            '        hours: "{facility.visiting_hours}"\n'
            '        phone: "{facility.phone}"\n'
            '        website: "example.org/visit"\n'
        )
        path.write_text(text[:start] + entry + text[end:], encoding="utf-8")
    if csv is not None:
        (root / "facilities.csv").write_text(csv, encoding="utf-8")
    return root


def entry(kit, lang: str) -> object:
    h = next(h for h in kit.handouts if h.name == "visiting-day" and h.lang == lang)
    return h.content.sections[0].entries[0]


def load_for(root: Path, facility_id: str):
    table = load_table(root)
    assert table is not None
    row = next(r for r in table.rows if r.id == facility_id)
    return load_kit(root, texts=Texts(root, table, row, {}))


def test_a_facilitys_values_fill_the_texts_in_each_language(tmp_path):
    root = small_kit(tmp_path / "kit")
    kit = load_for(root, "north-ridge")
    en, es = entry(kit, "en"), entry(kit, "es")
    assert (en.name, en.hours, en.phone) == (
        "North Ridge (example)",
        "Fri to Sun 8 to 2",
        "555-0110",
    )
    # visiting_hours_es wins for Spanish; a column with no _es takes the plain one
    assert (es.name, es.hours, es.phone) == (
        "North Ridge (example)",
        "De viernes a domingo",
        "555-0110",
    )


def test_an_empty_language_cell_falls_back_to_the_plain_column(tmp_path):
    root = small_kit(tmp_path / "kit")
    assert entry(load_for(root, "riverbend"), "es").hours == "Wed 5 to 8"


def test_one_cache_serves_every_facility_with_its_own_values(tmp_path):
    root = small_kit(tmp_path / "kit")
    table = load_table(root)
    assert table is not None
    cache: dict = {}
    kits = [load_kit(root, texts=Texts(root, table, row, cache)) for row in table.rows]
    assert [entry(k, "en").hours for k in kits] == ["Fri to Sun 8 to 2", "Wed 5 to 8"]
    assert len(cache) == 1 + 2 * 6  # kit.yaml, and labels, cover and 4 handouts a language


def test_an_unknown_field_is_an_error_at_the_text_that_uses_it(tmp_path):
    root = small_kit(tmp_path / "kit")
    path = root / "en" / "visiting-day.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "{facility.visiting_hours}", "{facility.visting_hours}"
    )
    path.write_text(text, encoding="utf-8")
    line = text[: text.index("visting_hours")].count("\n") + 1
    with pytest.raises(InputError) as e:
        load_for(root, "north-ridge")
    assert str(e.value).startswith(f"{path}:{line}:16: sections[0].entries[0].hours: ")
    assert "unknown field {facility.visting_hours}" in str(e.value)
    assert "did you mean {facility.visiting_hours}?" in str(e.value)


def test_a_row_missing_a_value_names_the_file_its_row_and_the_column(tmp_path):
    csv = HEADER + ROWS + "lakeside,Lakeside (example),Sat 9 to 3,,\n"
    root = small_kit(tmp_path / "kit", csv)
    with pytest.raises(InputError) as e:
        load_for(root, "lakeside")
    message = str(e.value)
    assert message.startswith(f"{root / 'facilities.csv'}:4: ")
    assert "facility 'lakeside' has no value in column 'phone'" in message
    assert f"{root / 'en' / 'visiting-day.yaml'}:" in message  # the text that needs it


def test_a_missing_spanish_value_names_both_columns(tmp_path):
    csv = "id,name,visiting_hours,visiting_hours_es,phone\nx,X (example),,,555-0100\n"
    root = small_kit(tmp_path / "kit", csv)
    with pytest.raises(InputError, match="no value in column 'visiting_hours', which"):
        load_for(root, "x")  # English first: the plain column
    csv = "id,name,visiting_hours_en,visiting_hours_es,phone\nx,X (example),9 to 5,,555-0100\n"
    (root / "facilities.csv").write_text(csv, encoding="utf-8")
    with pytest.raises(InputError, match="no value in column 'visiting_hours_es', which"):
        load_for(root, "x")


def test_without_a_facility_a_text_that_uses_one_says_to_choose(tmp_path):
    root = small_kit(tmp_path / "kit")
    with pytest.raises(InputError) as e:
        load_kit(root)
    assert "uses {facility.name}: this kit is built once per facility (facilities.csv);" in str(
        e.value
    )
    assert "add --facility all, or --facility and an id" in str(e.value)
    assert str(e.value).startswith(str(root / "en" / "visiting-day.yaml"))


def test_a_placeholder_without_a_facilities_file_says_to_add_one(tmp_path):
    root = small_kit(tmp_path / "kit", csv=None)
    with pytest.raises(InputError, match="the kit has no facilities.csv or facilities.yaml"):
        load_kit(root)


def test_a_kit_with_a_facilities_file_and_no_placeholders_loads_as_before(tmp_path):
    root = tmp_path / "kit"
    shutil.copytree(bundled("kit"), root)
    before = load_kit(root)
    (root / "facilities.csv").write_text(HEADER + ROWS, encoding="utf-8")
    after = load_kit(root)
    assert [h.content for h in after.handouts] == [h.content for h in before.handouts]


def test_doubled_braces_are_not_a_placeholder(tmp_path):
    root = small_kit(tmp_path / "kit")
    path = root / "en" / "visiting-day.yaml"
    text = path.read_text(encoding="utf-8").replace(
        'closing: "Rules can change. Call before you go."',
        'closing: "Write {{facility.name}} in a text to use a facility\'s name."',
    )
    path.write_text(text, encoding="utf-8")
    kit = load_for(root, "north-ridge")
    h = next(h for h in kit.handouts if h.name == "visiting-day" and h.lang == "en")
    # (the apostrophe is typeset; the braces are left as typed)
    assert h.content.closing == "Write {{facility.name}} in a text to use a facility’s name."


def test_labels_cover_and_kit_yaml_take_values_too(tmp_path):
    root = small_kit(tmp_path / "kit")
    labels = root / "en" / "labels.yaml"
    labels.write_text(
        labels.read_text(encoding="utf-8").replace(
            'footer: "{name}  ·  {contact}"', 'footer: "{name}  ·  {facility.name}"'
        ),
        encoding="utf-8",
    )
    cover = root / "es" / "cover.yaml"
    text = cover.read_text(encoding="utf-8")
    cover.write_text(
        text.replace(
            'title: "Seguimos cerca"', 'title: "Seguimos cerca: {facility.visiting_hours}"'
        ),
        encoding="utf-8",
    )
    manifest = root / "kit.yaml"
    contact = "es: Cuándo se reúnen · su teléfono"
    assert contact in manifest.read_text(encoding="utf-8")
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(contact, "es: '{facility.visiting_hours}'"),
        encoding="utf-8",
    )
    kit = load_for(root, "north-ridge")
    en = next(h for h in kit.handouts if h.lang == "en")
    assert en.labels.footer == "{name}  ·  North Ridge (example)"
    assert kit.covers["es", "standard"].content.title == "Seguimos cerca: De viernes a domingo"
    # kit.yaml: a text given per language takes that language's column
    assert kit.manifest.masthead("es").organization.contact == "De viernes a domingo"


def test_a_value_is_checked_like_the_text_it_fills(tmp_path):
    csv = "id,name,visiting_hours,phone\nx,X (example),9 to 5,call us\n"
    root = small_kit(tmp_path / "kit", csv)
    with pytest.raises(
        InputError, match=r"visiting-day.yaml:\d+:\d+: sections\[0\].entries\[0\].phone"
    ):
        load_for(root, "x")


# ---- the facilities file ------------------------------------------------------------


def write(root: Path, name: str, data: bytes) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / name).write_bytes(data)
    return root


def test_utf8_with_a_byte_order_mark_is_read(tmp_path):
    text = HEADER + ROWS.replace("North Ridge", "Niño Ridge")
    root = write(tmp_path, "facilities.csv", b"\xef\xbb\xbf" + text.encode("utf-8"))
    table = load_table(root)
    assert table is not None
    assert table.ids == ["north-ridge", "riverbend"]
    assert table.rows[0].facility.name == "Niño Ridge (example)"


def test_latin1_is_refused_at_the_line_of_its_first_odd_byte(tmp_path):
    text = HEADER + ROWS.replace("Riverbend (example)", "Riverbénd (example)")
    root = write(tmp_path, "facilities.csv", text.encode("latin-1"))
    with pytest.raises(InputError) as e:
        load_table(root)
    col = text.splitlines()[2].index("é") + 1
    assert str(e.value) == (
        f"{root / 'facilities.csv'}:3:{col}: byte 0xe9 is not UTF-8 text; save the file as "
        "'CSV UTF-8' (Excel) or download it as CSV (Google Sheets, LibreOffice: choose UTF-8)"
    )


def test_rows_are_counted_by_their_first_line_across_cells_of_many_lines(tmp_path):
    text = 'id,name,address\na,A (example),"1 Road\nTown"\nb,B (example),"2 Road\nTown"\nc!,C,x\n'
    root = write(tmp_path, "facilities.csv", text.encode())
    with pytest.raises(InputError) as e:
        load_table(root)
    assert str(e.value).startswith(f"{root / 'facilities.csv'}:6: id: 'c!' cannot be a facility id")


def test_semicolons_from_a_european_excel_are_read(tmp_path):
    root = write(tmp_path, "facilities.csv", b"id;name;phone\na;A;555-0100\n")
    table = load_table(root)
    assert table is not None and table.rows[0].facility.value("phone", "en") == "555-0100"


@pytest.mark.parametrize(
    ("csv", "line", "message"),
    [
        ("id,name\na,A\na,B\n", 3, "id: id 'a' is also the id of the facility at line 2"),
        ("id,name\ncon,A\n", 2, "is a device name on Windows"),
        ("id,name\n../up,A\n", 2, "cannot be a facility id"),
        ("id,Name\na,A\n", 1, "column 2 is named 'Name'; name columns with small letters"),
        ("id,name,id\na,A,b\n", 1, "two columns are named 'id'"),
        ("name,phone\nA,1\n", 1, "has no 'id'; add it"),
        ("id,name\na,A,extra\n", 2, "this row has 3 cells but the first line names 2 columns"),
        ("id,name,copies_es\na,A,many\n", 2, "copies_es: 'many' is not a number of kits"),
        ("id,name,copies_es\na,A,²\n", 2, "copies_es: '²' is not a number of kits"),
        ("id,name,note\na,A," + "x" * 200_000 + "\n", 2, "a cell holds more than 131,072"),
        ("id,name,note\na,A,{x}\n", 2, "note: a facility's value may not hold { or }"),
        ("id,name\n", None, "the file lists no facilities"),
    ],
)
def test_mistakes_in_the_csv_are_one_line_at_their_row(tmp_path, csv, line, message):
    root = write(tmp_path, "facilities.csv", csv.encode())
    with pytest.raises(InputError) as e:
        load_table(root)
    where = f"{root / 'facilities.csv'}" + (f":{line}" if line else "")
    assert str(e.value).startswith(where + ":")
    assert message in str(e.value)


def test_every_rows_mistake_is_found_in_one_reading(tmp_path):
    """`check` lists them all (cli prints e.every()); `build` shows the first."""
    csv = "id,name,copies_es\nok,A (example),2\nbad id,B,3\nc,C,lots\nok,D,1\n"
    root = write(tmp_path, "facilities.csv", csv.encode())
    with pytest.raises(InputError) as e:
        load_table(root)
    found = [(err.mark.line if err.mark else None, str(err)) for err in e.value.every()]
    assert [line for line, _ in found] == [3, 4, 5]
    assert "cannot be a facility id" in found[0][1]
    assert "copies_es: 'lots' is not a number of kits" in found[1][1]
    assert "id 'ok' is also the id of the facility at line 2" in found[2][1]


def test_a_yaml_facilities_file_gives_positions(tmp_path):
    text = "- id: a\n  name: A (example)\n  bus: 12\n- id: b\n  name: B\n  copies: lots\n"
    root = write(tmp_path, "facilities.yaml", text.encode())
    with pytest.raises(InputError) as e:
        load_table(root)
    assert str(e.value).startswith(f"{root / 'facilities.yaml'}:6:11: copies: ")
    (root / "facilities.yaml").write_text(text.replace("lots", "3"), encoding="utf-8")
    table = load_table(root)
    assert table is not None
    assert table.rows[0].facility.value("bus", "es") == "12"  # a number is text here
    assert table.rows[1].facility.copies_in("es") == 3


def test_a_kit_may_not_have_both_kinds_of_facilities_file(tmp_path):
    write(tmp_path, "facilities.csv", b"id,name\na,A\n")
    write(tmp_path, "facilities.yaml", b"- {id: a, name: A}\n")
    with pytest.raises(InputError, match="both facilities.csv and facilities.yaml"):
        load_table(tmp_path)


def test_a_facilities_file_that_links_out_of_the_kit_is_refused(tmp_path):
    outside = write(tmp_path / "outside", "f.csv", b"id,name\na,A\n")
    (tmp_path / "kit").mkdir()
    (tmp_path / "kit" / "facilities.csv").symlink_to(outside / "f.csv")
    with pytest.raises(InputError, match="outside the kit folder"):
        load_table(tmp_path / "kit")


def test_a_wide_csv_is_held_in_memory_about_once(tmp_path):
    """10,000 rows of 200 columns are within the limits: reading them must hold about
    what the values themselves take, not an object per cell for its position (a mark
    per cell was 965 MB for an 11 MB file). Bytes allocated, as tracemalloc counts them
    (the same on every run), against the file's size."""
    import tracemalloc

    from kitpress.facilities import MAX_COLUMNS

    columns = ["id", "name", *(f"c{i}" for i in range(MAX_COLUMNS - 2))]
    lines = [",".join(columns)]
    lines += [
        ",".join([f"f{r}", f"Facility {r}", *(f"v{r}.{c}" for c in range(MAX_COLUMNS - 2))])
        for r in range(300)
    ]
    path = tmp_path / "facilities.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tracemalloc.start()
    try:
        table = load_table(tmp_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert table is not None and len(table.rows) == 300 and len(table.columns) == MAX_COLUMNS
    assert peak < 40 * path.stat().st_size, (peak, path.stat().st_size)


def test_csv_lines_are_split_as_a_text_stream_would_split_them():
    """The file is handed to csv line by line (facilities._lines), not through a
    StringIO copy of it: the rows must come out the same for any endings (\\n, \\r\\n,
    a lone \\r), quoted line breaks and other separators, and so must csv's errors."""
    import csv
    import io
    import random

    from kitpress.facilities import _lines

    def parse(lines):
        try:
            return list(csv.reader(lines, strict=True))
        except csv.Error as e:
            return str(e)

    rng = random.Random(18)
    pieces = ["a", "b", ",", '"', "\n", "\r", "\r\n", " ", "é", "\u2028", "\x0c", '""']
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        assert parse(_lines(text)) == parse(io.StringIO(text, newline="")), repr(text)
