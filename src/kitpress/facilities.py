"""Facilities as data: the optional facilities.csv or facilities.yaml beside kit.yaml,
one facility a row (an id, a name, and whatever columns the kit's texts use), read and
checked into a Table. Spreadsheets export CSV as UTF-8 with or without a byte-order
mark; anything else is refused at its line. placeholders.py fills the values in."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from kitpress.content.base import MAX_TEXT
from kitpress.content.manifest import Copies
from kitpress.errors import (
    InputError,
    KitpressError,
    Located,
    Mark,
    quoted,
)
from kitpress.kitfiles import look
from kitpress.validation import validate
from kitpress.yamlio import YamlDoc, _read, decode_utf8, load_yaml

CSV = "facilities.csv"
YAML = "facilities.yaml"
MAX_FACILITIES = 10_000
MAX_COLUMNS = 200

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
# names Windows keeps for devices: a folder of that name cannot be made there
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}
COLUMN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_LANG_SUFFIX = re.compile(r"^(?P<base>[a-z][a-z0-9_]*)_(?P<lang>[a-z]{2,3})$")


def _facility_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(
            f"{quoted(value)} cannot be a facility id: it names the facility's output "
            "folder, so use small letters, digits, - and _ (like north-ridge), up to 63 characters"
        )
    if value in _RESERVED:
        raise ValueError(f"{quoted(value)} is a device name on Windows; choose another id")
    return value


def _plain_value(value: Any) -> Any:
    """A YAML number is fine as a value (a ZIP code, a bus number): it is text here."""
    if isinstance(value, bool):
        raise ValueError("write this value in quotes; unquoted it reads as yes/no")
    if isinstance(value, (int, float)):
        return str(value)
    return value


def _no_braces(value: str) -> str:
    if "{" in value or "}" in value:
        raise ValueError("a facility's value may not hold { or }; take them out")
    return value


Value = Annotated[
    str,
    BeforeValidator(_plain_value),
    Field(min_length=1, max_length=MAX_TEXT),
    AfterValidator(_no_braces),
]


class Facility(BaseModel):
    """One row of the facilities file: its id (the name of its output folder), its
    name, how many kits to print (`copies`, or per language `copies_es`), and any other
    columns, each a text the kit may use as {facility.column}."""

    model_config = ConfigDict(extra="allow", frozen=True, str_strip_whitespace=True)
    __pydantic_extra__: dict[str, Value] = Field(init=False)

    id: Annotated[str, AfterValidator(_facility_id)] = Field(
        description="The facility's own short name, and the name of its output folder: "
        "small letters, digits, - and _ (like north-ridge).",
        json_schema_extra={"pattern": _ID.pattern},
    )
    name: Value = Field(description="The facility's name, as the kit prints {facility.name}.")
    copies: Copies | None = Field(
        None,
        description="How many kits to print for this facility (copies_<language>, like "
        "copies_es, for one language).",
    )

    @model_validator(mode="after")
    def _copies_are_numbers(self) -> Facility:
        for key, value in (self.model_extra or {}).items():
            # isdecimal, not isdigit: int() refuses a digit such as ²
            if key.startswith("copies_") and not (value.isdecimal() and 1 <= int(value) <= 100_000):
                raise Located((key,), f"{quoted(value)} is not a number of kits; write one like 40")
        return self

    def kept(self, names: dict[tuple[str, ...], tuple[str, ...]], given: Any) -> Kept:
        """This row as the build keeps it (see Kept). `names`: the tuples of column
        names made so far, so rows with the same columns share one; `given`: the row
        as read, whose texts are kept where checking left them as they were (the
        checked copies would hold every text of the file twice while it is read)."""
        fields = {**(self.model_extra or {}), "id": self.id, "name": self.name}
        if self.copies is not None:
            fields["copies"] = str(self.copies)
        read = given if isinstance(given, dict) else {}
        values = tuple(read[k] if read.get(k) == str(v) else str(v) for k, v in fields.items())
        key = tuple(fields)
        return Kept(names.setdefault(key, key), values, self.copies)


@dataclass(frozen=True, slots=True)
class Kept:
    """A checked row, small: a file may hold 10,000 rows of 200 columns, and the
    checked model keeps a dict of them and more (about 17 kB a row: 170 MB at the
    limits). Here a row is its values, beside column names shared by the rows that
    have the same columns."""

    names: tuple[str, ...]
    values: tuple[str, ...]
    copies: int | None

    def _get(self, name: str) -> str | None:
        try:
            return self.values[self.names.index(name)]
        except ValueError:
            return None

    @property
    def id(self) -> str:
        return self._get("id") or ""

    @property
    def name(self) -> str:
        return self._get("name") or ""

    def copies_in(self, lang: str) -> int | None:
        """Kits to print in one language: `copies_<lang>`, else `copies`, else None."""
        given = self._get(f"copies_{lang}")
        return int(given) if given is not None else self.copies

    def value(self, name: str, lang: str | None) -> str | None:
        """The row's text for {facility.name} in `lang`: name_<lang> first, else name."""
        if lang is not None and (got := self._get(f"{name}_{lang}")):
            return got
        return self._get(name) or None


@dataclass(frozen=True)
class Row:
    facility: Kept
    mark: Mark  # the row's line in the facilities file
    cells: dict[str, Mark] = field(default_factory=dict, compare=False)

    @property
    def id(self) -> str:
        return self.facility.id

    def at(self, column: str) -> Mark:
        return self.cells.get(column, self.mark)


@dataclass(frozen=True)
class Table:
    """The facilities file, read and checked: its rows in file order."""

    file: Path
    columns: frozenset[str]  # every column any row has (id and name included)
    rows: tuple[Row, ...]

    @property
    def ids(self) -> list[str]:
        return [r.id for r in self.rows]

    def knows(self, name: str) -> bool:
        """Does any column give {facility.name}: `name` itself, or `name_<language>`?"""
        if name in self.columns:
            return True
        return any(
            (m := _LANG_SUFFIX.match(c)) is not None and m["base"] == name for c in self.columns
        )


def find(root: Path) -> Path | None:
    """The kit's facilities file, if it has one (never both kinds)."""
    found = [root / name for name in (CSV, YAML) if look(root / name, root) == "file"]
    if len(found) == 2:
        raise InputError(f"the kit has both {CSV} and {YAML}; keep one of them", Mark(root / CSV))
    yml = root / "facilities.yml"
    if not found and look(yml, root) == "file":
        raise InputError(f"rename this file {YAML}", Mark(yml))
    return found[0] if found else None


def load_table(root: Path) -> Table | None:
    """The kit's facilities, read and checked, or None when it has no facilities file."""
    path = find(root)
    if path is None:
        return None
    if path.suffix == ".csv":
        rows, named = _csv_rows(path)  # every column its first line names
    else:
        rows = _yaml_rows(path, root)
        named = {str(name[0]) for doc, _ in rows for name in doc.marks if len(name) == 1}
    if not rows:
        raise InputError("the file lists no facilities; add a row for each", Mark(path))
    if len(rows) > MAX_FACILITIES:
        raise InputError(f"more than {MAX_FACILITIES:,} facilities; split the file", Mark(path))
    checked: list[Row] = []
    seen: dict[str, Mark] = {}
    wrong: list[KitpressError] = []  # every row's problems, for `check` to list them all
    names: dict[tuple[str, ...], tuple[str, ...]] = {}
    rows.reverse()  # taken from the end: each row's document goes once it is checked
    while rows:
        doc, cells = rows.pop()
        try:
            facility = validate(Facility, doc).kept(names, doc.data)
        except KitpressError as e:
            wrong.extend(e.every())
            continue
        row = Row(facility, doc.mark(()), cells)
        if facility.id in seen:
            wrong.append(
                InputError(
                    f"id '{facility.id}' is also the id of the facility at line "
                    f"{seen[facility.id].line}; each facility needs its own",
                    row.at("id"),
                    ("id",),
                )
            )
            continue
        seen[facility.id] = row.mark
        checked.append(row)
    if wrong:
        first, *rest = wrong
        first.others = tuple(rest)
        raise first
    return Table(path, frozenset(named), tuple(checked))


def _csv_rows(path: Path) -> tuple[list[tuple[YamlDoc, dict[str, Mark]]], set[str]]:
    """Each row of a CSV file as a small document with its line, ready to validate,
    and the columns the first line names. Spreadsheets export UTF-8 with or without a
    byte-order mark; anything else is refused at the line of its first byte that is
    not UTF-8."""
    raw = _read(path)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    text = decode_utf8(
        raw,
        path,
        "save the file as 'CSV UTF-8' (Excel) or download it as CSV (Google Sheets, "
        "LibreOffice: choose UTF-8)",
    )
    if "\x00" in text:
        raise InputError("the file is not text (it holds binary data); give a CSV file", Mark(path))
    first = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first and "," not in first else ","  # Excel in much of Europe
    reader = csv.reader(_lines(text), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    rows: list[tuple[YamlDoc, dict[str, Mark]]] = []
    line = 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue  # a blank line, or a row of empty cells a spreadsheet left
            if header is None:
                header = _header(path, start, cells)
                continue
            rows.append(_csv_row(path, start, header, cells))
            if len(rows) > MAX_FACILITIES:
                break
    except csv.Error as e:
        if "field limit" in str(e):  # a huge cell, or a quote mark never closed
            raise InputError(
                f"a cell holds more than {csv.field_size_limit():,} characters: a quote mark "
                "opens a cell and nothing closes it, or the cell is far longer than any "
                "text a handout prints; check its quote marks",
                Mark(path, line),  # where the row that holds it starts
            ) from None
        raise InputError(
            f"this line is not CSV ({e}); check its quote marks", Mark(path, reader.line_num)
        ) from None
    return rows, set(header or ())


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _lines(text: str) -> Iterator[str]:
    """The lines of `text` with their endings (\n, \r\n or \r), one at a time, as
    io.StringIO(text, newline="") gives them to csv: that copy of a 10,000-row file
    took twice the text's size again while it was read."""
    for match in _LINE.finditer(text):
        yield match[0]


def _header(path: Path, line: int, cells: list[str]) -> list[str]:
    names = [c.strip().removeprefix("\ufeff") for c in cells]
    while names and not names[-1]:
        names.pop()  # empty columns at the right, as spreadsheets export them
    if len(names) > MAX_COLUMNS:
        raise InputError(
            f"more than {MAX_COLUMNS} columns; keep the ones the kit uses", Mark(path, line)
        )
    for i, name in enumerate(names):
        where = Mark(path, line)
        if not COLUMN.match(name):
            raise InputError(
                f"column {i + 1} is named {quoted(name)}; name columns with small letters, "
                "digits and _ (like visiting_hours), starting with a letter",
                where,
            )
        if names.index(name) != i:
            raise InputError(f"two columns are named '{name}'; rename one", where)
    for needed in ("id", "name"):
        if needed not in names:
            raise InputError(
                f"the first line names the columns, and has no '{needed}'; add it "
                "(every facility needs an id and a name)",
                Mark(path, line),
            )
    return names


def _csv_row(
    path: Path, line: int, header: list[str], cells: list[str]
) -> tuple[YamlDoc, dict[str, Mark]]:
    extra = [c for c in cells[len(header) :] if c.strip()]
    if extra:
        raise InputError(
            f"this row has {len(header) + len(extra)} cells but the first line names "
            f"{len(header)} columns; name the others, or move the cells",
            Mark(path, line),
        )
    data = {name: cell.strip() for name, cell in zip(header, cells, strict=False) if cell.strip()}
    # A CSV cell's place is its row's line: one mark for the row, and every cell's
    # position found by walking up to it (YamlDoc.mark, Row.at). A mark per cell of
    # 10,000 rows of 200 columns was 2 million objects, most of a gigabyte.
    at = Mark(path, line)
    return YamlDoc(path, data, {(): at}, {}), {}


def _yaml_rows(path: Path, root: Path) -> list[tuple[YamlDoc, dict[str, Mark]]]:
    doc = load_yaml(path, root)
    if not isinstance(doc.data, list):
        raise InputError(
            "the file lists the facilities: one '- id: …' mapping each (see the README)",
            doc.mark(()),
        )
    rows = []
    for i, item in enumerate(doc.data):
        if not isinstance(item, dict):
            raise InputError(
                "each facility is a mapping of 'column: value' lines, starting '- id: …'",
                doc.mark((i,)),
                (i,),
            )
        marks = {k[1:]: m for k, m in doc.marks.items() if k[:1] == (i,)}
        keys = {k[1:]: m for k, m in doc.key_marks.items() if k[:1] == (i,)}
        for key in item:
            if not isinstance(key, str) or not COLUMN.match(key):
                raise InputError(
                    f"{quoted(key)} cannot be a column; use small letters, digits and _ "
                    "(like visiting_hours)",
                    keys.get((key,), doc.mark((i,))),
                    (i,),
                )
        rows.append(
            (
                YamlDoc(path, item, marks, keys),
                {str(k[0]): m for k, m in marks.items() if len(k) == 1},
            )
        )
    return rows
