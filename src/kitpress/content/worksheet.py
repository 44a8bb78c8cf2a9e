"""kind: worksheet — sections of blocks to read, tick and write in.

Every block that holds a form field has a `name` (snake_case, unique in the worksheet);
field names are built from it (`next_letter.topic`, `tracker.letters.week_1`), so they
stay the same when the printed words change or are translated.
"""

# no `from __future__ import annotations`: see layouts/models.py

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from kitpress.content.base import Handout, Items, Sections, Strict, Text
from kitpress.errors import Located, clip, quoted
from kitpress.units import Whole

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

    name: FieldName = Field(description="The form field's name: small letters, digits and _.")
    label: Text = Field(description="The words printed as the row or column label.")


Label = Text | Named


def label_text(entry: Label) -> str:
    return entry.label if isinstance(entry, Named) else entry


def label_name(entry: Label) -> str:
    return entry.name if isinstance(entry, Named) else slug(entry)


class TextBlock(Strict):
    """A short paragraph."""

    type: Literal["text"] = Field(description="text: a short paragraph.")
    text: Text = Field(description="The paragraph.")


class TipBlock(Strict):
    """A boxed note or tip; `title` (e.g. "Tip") is printed in bold before the text."""

    type: Literal["tip"] = Field(description="tip: a boxed note.")
    title: Text | None = Field(None, description="Printed in bold before the text (like: Tip).")
    text: Text = Field(description="The note.")


class ExampleLine(Strict):
    label: Text = Field(description="The label before the line.")
    text: Text = Field(description="The example's words.")


class ExampleBlock(Strict):
    """A worked example: a label, then labelled lines already filled in."""

    type: Literal["example"] = Field(description="example: a worked example.")
    label: Text = Field(description="The example's label.")
    lines: Annotated[list[ExampleLine], NonEmpty] = Field(
        description="Labelled lines, already filled in."
    )


class PromptBlock(Strict):
    """A question with ruled lines to write on (one multi-line field)."""

    type: Literal["prompt"] = Field(description="prompt: a question with lines to write on.")
    name: FieldName = Field(
        description="The form field's name: small letters, digits and _, unique in the worksheet."
    )
    prompt: Text = Field(description="The question.")
    lines: Annotated[Whole, Field(ge=1, le=12)] = Field(
        3, description="How many lines to write on (1 to 12)."
    )


class ShortBlock(Strict):
    """A question answered on one line beside it."""

    type: Literal["short"] = Field(description="short: a question answered on one line.")
    name: FieldName = Field(
        description="The form field's name: small letters, digits and _, unique in the worksheet."
    )
    prompt: Text = Field(description="The question.")


class ChecklistBlock(Strict):
    """Boxes to tick; field names are <name>.1, <name>.2, … in list order."""

    type: Literal["checklist"] = Field(description="checklist: boxes to tick.")
    name: FieldName = Field(
        description="The form fields' name: small letters, digits and _, unique in the worksheet."
    )
    items: Annotated[list[Text], NonEmpty] = Field(description="One box for each line.")


class TrackerBlock(Strict):
    """A grid to fill in: one text field per cell, named <name>.<row>.<column>."""

    type: Literal["tracker"] = Field(description="tracker: a grid to fill in.")
    name: FieldName = Field(
        description="The form fields' name: small letters, digits and _, unique in the worksheet."
    )
    corner: Text | None = Field(None, description="Printed above the row labels.")
    rows: Annotated[list[Label], NonEmpty, Field(max_length=12)] = Field(
        description="The row labels (at most 12)."
    )
    columns: Annotated[list[Label], NonEmpty, Field(max_length=8)] = Field(
        description="The column labels (at most 8)."
    )

    @model_validator(mode="after")
    def _names(self) -> "TrackerBlock":
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

    type: Literal["rewrite"] = Field(
        description="rewrite: a hard sentence beside a gentler one, both written by the reader."
    )
    name: FieldName = Field(
        description="The form fields' name: small letters, digits and _, unique in the worksheet."
    )
    hard_label: Text = Field(description="The heading over the hard sentences.")
    kinder_label: Text = Field(description="The heading over the gentler ones.")
    rows: Annotated[Whole, Field(ge=1, le=8)] = Field(3, description="How many rows (1 to 8).")
    lines: Annotated[Whole, Field(ge=1, le=4)] = Field(
        2, description="Lines to write on in each cell (1 to 4)."
    )


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
    heading: Text = Field(description="The section's heading.")
    blocks: Annotated[list[Block], NonEmpty] = Field(
        description="What the section holds, in order: each block has a type."
    )


class Worksheet(Handout):
    kind: Literal["worksheet"] = Field(description="The kind of handout: worksheet.")
    sections: Annotated[list[Section], Sections] = Field(
        description="The sections of the worksheet, in order."
    )

    @model_validator(mode="after")
    def _unique_names(self) -> "Worksheet":
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
