"""kind: worksheet — sections of blocks to read, tick and write in.

Every block that holds a form field has a `name` (snake_case, unique in the worksheet);
field names are built from it (`next_letter.topic`, `tracker.letters.week_1`), so they
stay the same when the printed words change or are translated.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from kitpress.content.base import Handout, Items, Sections, Strict, Text
from kitpress.errors import Located, clip, quoted

NonEmpty = Items
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_SLUG = re.compile(r"[^a-z0-9]+")


def _field_name(value: str) -> str:
    if not _NAME.match(value):
        raise ValueError(
            f"{quoted(value)} is not a field name; use small letters, digits and _ "
            "(like next_letter), starting with a letter"
        )
    return value


FieldName = Annotated[str, StringConstraints(strict=True), AfterValidator(_field_name)]


def slug(text: str) -> str:
    """'Books or photos sent' -> 'books_or_photos_sent' ('' if no Latin letters or digits)."""
    s = _SLUG.sub("_", text.lower()).strip("_")
    return s if s[:1].isalpha() else ""


class Named(Strict):
    """A row or column label with an explicit field name (for labels that do not slug)."""

    name: FieldName
    label: Text


Label = Text | Named


def label_text(entry: Label) -> str:
    return entry.label if isinstance(entry, Named) else entry


def label_name(entry: Label) -> str:
    return entry.name if isinstance(entry, Named) else slug(entry)


class TextBlock(Strict):
    """A short paragraph."""

    type: Literal["text"]
    text: Text


class TipBlock(Strict):
    """A boxed note or tip; `title` (e.g. "Tip") is printed in bold before the text."""

    type: Literal["tip"]
    title: Text | None = None
    text: Text


class ExampleLine(Strict):
    label: Text
    text: Text


class ExampleBlock(Strict):
    """A worked example: a label, then labelled lines already filled in."""

    type: Literal["example"]
    label: Text
    lines: Annotated[list[ExampleLine], NonEmpty]


class PromptBlock(Strict):
    """A question with ruled lines to write on (one multi-line field)."""

    type: Literal["prompt"]
    name: FieldName
    prompt: Text
    lines: Annotated[int, Field(ge=1, le=12)] = 3


class ShortBlock(Strict):
    """A question answered on one line beside it."""

    type: Literal["short"]
    name: FieldName
    prompt: Text


class ChecklistBlock(Strict):
    """Boxes to tick; field names are <name>.1, <name>.2, … in list order."""

    type: Literal["checklist"]
    name: FieldName
    items: Annotated[list[Text], NonEmpty]


class TrackerBlock(Strict):
    """A grid to fill in: one text field per cell, named <name>.<row>.<column>."""

    type: Literal["tracker"]
    name: FieldName
    corner: Text | None = None  # printed above the row labels
    rows: Annotated[list[Label], NonEmpty, Field(max_length=12)]
    columns: Annotated[list[Label], NonEmpty, Field(max_length=8)]

    @model_validator(mode="after")
    def _names(self) -> TrackerBlock:
        for axis in ("rows", "columns"):
            seen: set[str] = set()
            for i, entry in enumerate(getattr(self, axis)):
                name = label_name(entry)
                if not name:
                    raise Located(
                        (axis, i),
                        f"{quoted(label_text(entry))} gives no field name; write it as "
                        "{name: a_name, label: ...}",
                    )
                if name in seen:
                    raise Located((axis, i), f"another entry is named '{clip(name)}'; rename one")
                seen.add(name)
        return self


class RewriteBlock(Strict):
    """Rows of 'hard sentence' → 'my gentler version', both written by the reader.
    Fields: <name>.<row>.hard and <name>.<row>.kinder."""

    type: Literal["rewrite"]
    name: FieldName
    hard_label: Text
    kinder_label: Text
    rows: Annotated[int, Field(ge=1, le=8)] = 3
    lines: Annotated[int, Field(ge=1, le=4)] = 2  # ruled lines in each cell


Block = Annotated[
    TextBlock
    | TipBlock
    | ExampleBlock
    | PromptBlock
    | ShortBlock
    | ChecklistBlock
    | TrackerBlock
    | RewriteBlock,
    Field(discriminator="type"),
]


class Section(Strict):
    heading: Text
    blocks: Annotated[list[Block], NonEmpty]


class Worksheet(Handout):
    kind: Literal["worksheet"]
    sections: Annotated[list[Section], Sections]

    @model_validator(mode="after")
    def _unique_names(self) -> Worksheet:
        first: dict[str, tuple[int, int]] = {}
        for s, section in enumerate(self.sections):
            for b, block in enumerate(section.blocks):
                name = getattr(block, "name", None)
                if name is None:
                    continue
                if name in first:
                    fs, fb = first[name]
                    raise Located(
                        ("sections", s, "blocks", b, "name"),
                        f"the name '{clip(name)}' is already used by sections[{fs}].blocks[{fb}]; "
                        "field names must be unique in a worksheet",
                    )
                first[name] = (s, b)
        return self
