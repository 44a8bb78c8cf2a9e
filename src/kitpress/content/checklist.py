"""kind: checklist — the withdrawal-signs checklist and handouts like it."""

# no `from __future__ import annotations`: see layouts/models.py

from typing import Annotated, Literal

from pydantic import Field, model_validator

from kitpress.content.base import Handout, Items, Sections, Strict, Text
from kitpress.content.box import Box
from kitpress.errors import Located

NonEmpty = Items


class Point(Strict):
    """A short bold title with a sentence or two under it."""

    title: Text = Field(description="A short title, in bold.")
    text: Text = Field(description="A sentence or two under the title.")


class Swap(Strict):
    """'Instead of … try …'."""

    instead: Text = Field(description="What not to say (printed in quotes).")
    try_: Annotated[Text, Field(alias="try")] = Field(
        description="What to say instead (printed in quotes)."
    )


SECTION_BODIES = ("reasons", "items", "tips", "swaps", "box")


class Section(Strict):
    heading: Text = Field(description="The section's heading.")
    note: Text | None = Field(None, description="A short paragraph under the heading.")
    reasons: Annotated[list[Point], NonEmpty] | None = Field(
        None, description="Reasons, each a title and a text, in two columns."
    )
    items: Annotated[list[Text], NonEmpty] | None = Field(
        None, description="Signs to tick, one a line, with room to write when you noticed."
    )
    tips: Annotated[list[Point], NonEmpty] | None = Field(
        None, description="Tips, each a title and a text."
    )
    swaps: Annotated[list[Swap], NonEmpty] | None = Field(
        None, description="Pairs of what to say instead of what."
    )
    box: Box | None = Field(None, description="A bordered box of things to know.")

    @model_validator(mode="after")
    def _one_body(self) -> "Section":
        given = [k for k in SECTION_BODIES if getattr(self, k) is not None]
        if len(given) != 1:
            what = "has both " + " and ".join(given) if given else "has no content"
            raise ValueError(
                f"a section {what}; give it exactly one of: {', '.join(SECTION_BODIES)}"
            )
        return self

    @property
    def body_kind(self) -> str:
        return next(k for k in SECTION_BODIES if getattr(self, k) is not None)


# The words a checklist prints besides its own text. Each may be set here, per
# handout, or once for the language in labels.yaml; `false` leaves it out.
WORDS = ("noticed", "instead", "try")
Word = Text | Literal[False] | None


class Checklist(Handout):
    kind: Literal["checklist"] = Field(description="The kind of handout: checklist.")
    noticed: Word = Field(
        None,
        description="The heading over the writing column beside the items; false for no column.",
    )
    instead: Word = Field(
        None, description="The label before what not to say in a swap; false for no label."
    )
    try_: Annotated[Word, Field(alias="try")] = Field(
        None, description="The label before what to say instead in a swap; false for no label."
    )
    sections: Annotated[list[Section], Sections] = Field(
        description="The sections of the checklist, in order."
    )

    @model_validator(mode="after")
    def _words_given(self) -> "Checklist":
        for i, section in enumerate(self.sections):
            needed = {"items": ("noticed",), "swaps": ("instead", "try")}.get(section.body_kind, ())
            for word in needed:
                if getattr(self, "try_" if word == "try" else word) is None:
                    raise Located(
                        ("sections", i, section.body_kind),
                        f"needs the word '{word}' (printed as a label); give "
                        f"'{word}:' in this handout or in labels.yaml, or '{word}: false' "
                        "to leave it out",
                    )
        return self
