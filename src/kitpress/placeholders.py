"""The one place where `{facility.NAME}` in a kit's texts is filled in.

Any text of the kit (handouts, covers, labels.yaml, kit.yaml) may say
`{facility.visiting_hours}`. The texts are filled in as each file is read, before
its schema checks it (`Texts.read`, which load_kit reads every file through), so a
facility's value is checked like any text written there (a website must still be a
web address) and every renderer sees plain text. Spanish texts use
`visiting_hours_es` where the row gives one, else `visiting_hours`. Only
`{facility.NAME}` with single braces is a placeholder: every other brace means what it
meant before, and `{{facility.NAME}}` is left alone (the box texts and labels, which
read `{{` as one brace, print it as `{facility.NAME}`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kitpress.errors import (
    BadOption,
    InputError,
    KitpressError,
    Mark,
    clip,
    display_path,
    listed,
)
from kitpress.yamlio import KeyPath, YamlDoc, load_yaml

if TYPE_CHECKING:
    # facilities.py (csv, its model) is imported only for a kit that uses a facility's
    # value or is built per facility: a plain build never needs it
    from kitpress.facilities import Row, Table

# {{ and }} first, so `{{facility.x}}` is never read as a placeholder
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{facility\.([^{}]{0,80})\}")


class FieldError(InputError):
    """A text's {facility.…} that no facility can fill: the same for every facility."""


class NotChosen(FieldError):
    """The kit has a facilities file and a text uses it, but no facility was chosen."""


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
        from kitpress.facilities import load_table

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
        from kitpress.facilities import CSV, YAML, find

        table_file = find(self.root)
        if table_file is None:
            return FieldError(
                f"uses {{facility.{clip(name)}}}, but the kit has no {CSV} or {YAML} beside "
                "kit.yaml; add one (see the README), or write the words here",
                mark,
                key_path,
            )
        return NotChosen(
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


def fill_doc(doc: YamlDoc, lang: str | None, texts: Texts) -> YamlDoc:
    """The document with every {facility.…} in its texts filled in (itself if none)."""
    changed = False

    def text(value: str, path: KeyPath) -> str:
        nonlocal changed
        if "{facility." not in value:
            return value
        from kitpress.facilities import COLUMN

        def one(m: re.Match[str]) -> str:
            name = m.group(1)
            if name is None:
                return m.group(0)  # {{ or }}: left for the text's own reading
            mark = doc.mark(path)
            if not COLUMN.match(name):
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

    data = _filled(doc.data, (), text)
    return YamlDoc(doc.path, data, doc.marks, doc.key_marks) if changed else doc


def _filled(value: Any, path: KeyPath, text: Callable[[str, KeyPath], str]) -> Any:
    """`value` with `text` applied to every string in it. (Not a nested function that
    calls itself: that would be a cycle holding the whole document, which a build, run
    without the cycle collector (__main__.py), never frees.)"""
    if isinstance(value, str):
        return text(value, path)
    if isinstance(value, dict):
        return {k: _filled(v, (*path, k), text) for k, v in value.items()}
    if isinstance(value, list):
        return [_filled(v, (*path, i), text) for i, v in enumerate(value)]
    return value


def _lang_of(path: KeyPath, lang: str | None) -> str | None:
    """A handout's language; in kit.yaml, the language of a per-language text
    ({en: …, es: …}), else None (the plain column)."""
    if lang is not None:
        return lang
    last = path[-1] if path else None
    return last if isinstance(last, str) and re.match(r"^[a-z]{2,3}$", last) else None


def named(e: KitpressError, row: Row, table: Table, also: int = 0) -> KitpressError:
    """The error, saying which facility it came from (unless it is about the
    facilities file's own row, or a text's field, which is the same for them all);
    `also`: how many other facilities have the same problem."""
    note = facility_note(e, row, table, also)
    if not note:
        return e
    out = type(e)(e.message + note, e.mark, e.key_path)
    out.others = tuple(named(o, row, table) for o in e.others)
    return out


def facility_note(e: KitpressError, row: Row, table: Table, also: int = 0) -> str:
    """ " (facility 'x', facilities.csv line 3)", or "" for an error that is the same
    for every facility (a text's unknown field, the facilities file's own rows, an
    option the kit has no use for)."""
    if isinstance(e, FieldError | BadOption) or (e.mark is not None and e.mark.file == table.file):
        return ""
    where = f"{table.file.name} line {row.mark.line}" if row.mark.line else table.file.name
    if also:
        where += f", and {also} other facilit{'y' if also == 1 else 'ies'}"
    return f" (facility '{row.id}', {where})"
