"""A bordered box of things to know: a checklist section's `box:` and the boxes on
the back of kit.pdf's cover (the "when to worry" help and the mail rules).

A box is a list of parts; each part is an optional bold title, a paragraph, a bullet
list, or a paragraph and then a list. Their words may show the kit's help-line numbers
from kit.yaml's `crisis:` as {names}.
"""

# no `from __future__ import annotations`: see layouts/models.py

from typing import Annotated

from pydantic import Field, model_validator

from kitpress.content.base import MAX_ITEMS, FillIn, Strict, Text

Lines = Annotated[list[FillIn], Field(min_length=1, max_length=MAX_ITEMS)]


class BoxPart(Strict):
    title: FillIn | None = Field(None, description="A line in bold, on its own.")
    text: FillIn | None = Field(
        None,
        description="A paragraph. It may show a number from kit.yaml's crisis:, like "
        "{crisis_line}.",
    )
    list_: Annotated[Lines | None, Field(alias="list")] = Field(
        None, description="Lines printed as bullets."
    )

    @model_validator(mode="after")
    def _has_words(self) -> "BoxPart":
        if self.text is None and self.list_ is None:
            raise ValueError("a box part needs 'text:', 'list:' or both (and may have 'title:')")
        return self


Box = Annotated[list[BoxPart], Field(min_length=1, max_length=MAX_ITEMS)]


class HeadedBox(Strict):
    """A heading with a box under it (the back of the cover holds one or more)."""

    heading: Text = Field(description="The heading over the box.")
    box: Box = Field(description="What the box holds: parts with a title, a text and/or a list.")
