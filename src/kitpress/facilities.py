"""Facilities as data: the optional facilities.csv or facilities.yaml beside kit.yaml,
one facility a row, and the one place where `{facility.NAME}` in a kit's texts is
filled in.

Any text of the kit (handouts, covers, labels.yaml, kit.yaml) may say
`{facility.visiting_hours}`. The texts are filled in as each file is read, before
its schema checks it (`Texts.read`), so a facility's value is checked like any text
written there (a website must still be a web address) and every renderer sees plain
text. Spanish texts use `visiting_hours_es` where the row gives one, else
`visiting_hours`. Only `{facility.NAME}` with single braces is a placeholder: every
other brace means what it meant before, and `{{facility.NAME}}` is left alone (the box
texts and labels, which read `{{` as one brace, print it as `{facility.NAME}`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from kitpress.content.base import MAX_TEXT
from kitpress.errors import (
    InputError,
    KitpressError,
    Located,
    Mark,
    clip,
    display_path,
    listed,
    quoted,
)
from kitpress.kitfiles import look
from kitpress.validation import validate
from kitpress.yamlio import KeyPath, YamlDoc, _read, load_yaml

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
_COLUMN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_LANG_SUFFIX = re.compile(r"^(?P<base>[a-z][a-z0-9_]*)_(?P<lang>[a-z]{2,3})$")
# {{ and }} first, so `{{facility.x}}` is never read as a placeholder
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{facility\.([^{}]{0,80})\}")


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
Copies = Annotated[int, Field(ge=1, le=100_000)]


class Facility(BaseModel):
    """One row of the facilities file: its id (the name of its output folder), its
    name, how many kits to print (`copies`, or per language `copies_es`), and any other
    columns, each a text the kit may use as {facility.column}."""

    model_config = ConfigDict(extra="allow", frozen=True, str_strip_whitespace=True)
    __pydantic_extra__: dict[str, Value] = Field(init=False)

    id: Annotated[str, AfterValidator(_facility_id)]
    name: Value
    copies: Copies | None = None

    @model_validator(mode="after")
    def _copies_are_numbers(self) -> Facility:
        for key, value in (self.model_extra or {}).items():
            if key.startswith("copies_") and not (value.isdigit() and 1 <= int(value) <= 100_000):
                raise Located((key,), f"{quoted(value)} is not a number of kits; write one like 40")
        return self

    def copies_in(self, lang: str) -> int | None:
        """Kits to print in one language: `copies_<lang>`, else `copies`, else None."""
        given = (self.model_extra or {}).get(f"copies_{lang}")
        return int(given) if given is not None else self.copies

    def value(self, name: str, lang: str | None) -> str | None:
        """The row's text for {facility.name} in `lang`: name_<lang> first, else name."""
        fields = {**(self.model_extra or {}), "id": self.id, "name": self.name}
        if self.copies is not None:
            fields["copies"] = str(self.copies)
        if lang is not None and fields.get(f"{name}_{lang}"):
            return str(fields[f"{name}_{lang}"])
        got = fields.get(name)
        return str(got) if got else None


@dataclass(frozen=True)
class Row:
    facility: Facility
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
    rows = _csv_rows(path) if path.suffix == ".csv" else _yaml_rows(path, root)
    # every column named, though some rows leave it empty (the CSV's first line)
    named = {name for doc, _ in rows for name in doc.marks if len(name) == 1}
    if not rows:
        raise InputError("the file lists no facilities; add a row for each", Mark(path))
    if len(rows) > MAX_FACILITIES:
        raise InputError(f"more than {MAX_FACILITIES:,} facilities; split the file", Mark(path))
    checked: list[Row] = []
    seen: dict[str, Mark] = {}
    for doc, cells in rows:
        facility = validate(Facility, doc)
        row = Row(facility, doc.mark(()), cells)
        if facility.id in seen:
            raise InputError(
                f"id '{facility.id}' is also the id of the facility at line "
                f"{seen[facility.id].line}; each facility needs its own",
                row.at("id"),
                ("id",),
            )
        seen[facility.id] = row.mark
        checked.append(row)
    return Table(path, frozenset(str(n[0]) for n in named), tuple(checked))


def _csv_rows(path: Path) -> list[tuple[YamlDoc, dict[str, Mark]]]:
    """Each row of a CSV file as a small document with its line, ready to validate.
    Spreadsheets export UTF-8 with or without a byte-order mark; anything else is
    refused at the line of its first byte that is not UTF-8."""
    raw = _read(path)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        before = raw[: e.start]
        line = before.count(b"\n") + 1
        col = e.start - (before.rfind(b"\n") + 1) + 1
        raise InputError(
            f"byte 0x{raw[e.start]:02x} is not UTF-8 text; save the file as 'CSV UTF-8' "
            "(Excel) or download it as CSV (Google Sheets, LibreOffice: choose UTF-8)",
            Mark(path, line, col),
        ) from None
    if "\x00" in text:
        raise InputError("the file is not text (it holds binary data); give a CSV file", Mark(path))
    first = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first and "," not in first else ","  # Excel in much of Europe
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
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
        raise InputError(
            f"this line is not CSV ({e}); check its quote marks", Mark(path, reader.line_num)
        ) from None
    return rows


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
        if not _COLUMN.match(name):
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
    marks: dict[KeyPath, Mark] = {(): Mark(path, line)}
    cells_at = {name: Mark(path, line) for name in header}
    marks.update({(name,): m for name, m in cells_at.items()})
    return YamlDoc(path, data, marks, dict(marks)), cells_at


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
            if not isinstance(key, str) or not _COLUMN.match(key):
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


# ---- filling the texts in ------------------------------------------------------------


class FieldError(InputError):
    """A text's {facility.…} that no facility can fill: the same for every facility."""


class Texts:
    """Reads the kit's YAML files for load_kit, filling in one facility's values.

    `row` None: no facility was chosen, so a text that uses one is an error saying to
    choose (or, with no facilities file, to add one). `cache`: parsed files shared by
    the readers of one run, so every file is read and parsed once, however many
    facilities are built (a preview, which follows edits, passes none)."""

    def __init__(
        self,
        root: Path,
        table: Table | None = None,
        row: Row | None = None,
        cache: dict[Path, YamlDoc] | None = None,
    ) -> None:
        self.root = root
        self.table = table
        self.row = row
        self.cache = cache
        self.broken: KitpressError | None = None  # the facilities file's own problem

    @classmethod
    def first(cls, root: Path) -> Texts:
        """For a preview: the kit as the first facility of its file will have it (a
        problem with the file is shown at each text that uses a facility's value)."""
        try:
            table = load_table(root)
        except KitpressError as e:
            texts = cls(root)
            texts.broken = e
            return texts
        return cls(root, table, table.rows[0]) if table else cls(root)

    def read(self, path: Path, lang: str | None) -> YamlDoc:
        """The file at path, its {facility.…} texts filled in for `lang` (None: kit.yaml,
        whose texts for every language take the plain column)."""
        if self.cache is None:
            doc = load_yaml(path, self.root)
        else:
            doc = self.cache.get(path) or self.cache.setdefault(path, load_yaml(path, self.root))
        return fill_doc(doc, lang, self)

    def value(self, name: str, lang: str | None, mark: Mark, key_path: KeyPath) -> str:
        """The text for {facility.name} at `mark`, or the error that says why there is none."""
        if self.broken is not None:
            raise self.broken
        if self.row is None:
            raise self._not_chosen(name, mark, key_path)
        assert self.table is not None
        if not self.table.knows(name):
            raise _unknown(name, self.table, mark, key_path)
        got = self.row.facility.value(name, lang)
        if got is not None:
            return got
        if lang is not None and f"{name}_{lang}" in self.table.columns:
            column = f"{name}_{lang}" + (f"' or '{name}" if name in self.table.columns else "")
        else:
            column = name
        raise InputError(
            f"facility '{self.row.id}' has no value in column '{column}', which "
            f"{display_path(mark.file)}:{mark.line} uses; fill it in",
            self.row.at(name),
        )

    def _not_chosen(self, name: str, mark: Mark, key_path: KeyPath) -> FieldError:
        table_file = find(self.root)
        if table_file is None:
            return FieldError(
                f"uses {{facility.{clip(name)}}}, but the kit has no {CSV} or {YAML} beside "
                "kit.yaml; add one (see the README), or write the words here",
                mark,
                key_path,
            )
        return FieldError(
            f"uses {{facility.{clip(name)}}}: this kit is built once per facility "
            f"({table_file.name}); add --facility all, or --facility and an id",
            mark,
            key_path,
        )


def _unknown(name: str, table: Table, mark: Mark, key_path: KeyPath) -> FieldError:
    import difflib

    columns = sorted(table.columns)
    close = difflib.get_close_matches(name, columns, n=1)
    hint = (
        f"did you mean {{facility.{close[0]}}}?" if close else f"its columns are {listed(columns)}"
    )
    return FieldError(
        f"unknown field {{facility.{clip(name)}}}: {table.file.name} has no column "
        f"'{clip(name)}'; {hint}",
        mark,
        key_path,
    )


def placeholders(text: str) -> Iterator[str]:
    """The names of the {facility.NAME} placeholders in a text."""
    for m in _PLACEHOLDER.finditer(text):
        if m.group(1) is not None:
            yield m.group(1)


def fill_doc(doc: YamlDoc, lang: str | None, texts: Texts) -> YamlDoc:
    """The document with every {facility.…} in its texts filled in (itself if none)."""
    changed = False

    def text(value: str, path: KeyPath) -> str:
        nonlocal changed
        if "{facility." not in value:
            return value

        def one(m: re.Match[str]) -> str:
            name = m.group(1)
            if name is None:
                return m.group(0)  # {{ or }}: left for the text's own reading
            mark = doc.mark(path)
            if not _COLUMN.match(name):
                raise FieldError(
                    f"{{facility.{clip(name)}}} does not name a column; write it like "
                    "{facility.visiting_hours}",
                    mark,
                    path,
                )
            return texts.value(name, _lang_of(path, lang), mark, path)

        out = _PLACEHOLDER.sub(one, value)
        changed = changed or out != value
        return out

    def walk(value: Any, path: KeyPath) -> Any:
        if isinstance(value, str):
            return text(value, path)
        if isinstance(value, dict):
            return {k: walk(v, (*path, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, (*path, i)) for i, v in enumerate(value)]
        return value

    data = walk(doc.data, ())
    return YamlDoc(doc.path, data, doc.marks, doc.key_marks) if changed else doc


def _lang_of(path: KeyPath, lang: str | None) -> str | None:
    """A handout's language; in kit.yaml, the language of a per-language text
    ({en: …, es: …}), else None (the plain column)."""
    if lang is not None:
        return lang
    last = path[-1] if path else None
    return last if isinstance(last, str) and re.match(r"^[a-z]{2,3}$", last) else None


def uses_placeholders(doc: YamlDoc) -> bool:
    """Does any text of the document hold a {facility.…} placeholder?"""
    stack = [doc.data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if "{facility." in value and any(True for _ in placeholders(value)):
                return True
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False
