"""kind: checklist — the withdrawal-signs checklist and handouts like it."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from kitpress.content.base import Handout, Items, Sections, Strict, Text
from kitpress.content.box import Box
from kitpress.errors import Located

NonEmpty = Items


class Point(Strict):
    """A short bold title with a sentence or two under it."""

    title: Text
    text: Text


class Swap(Strict):
    """'Instead of … try …'."""

    instead: Text
    try_: Annotated[Text, Field(alias="try")]


SECTION_BODIES = ("reasons", "items", "tips", "swaps", "box")


class Section(Strict):
    heading: Text
    note: Text | None = None
    reasons: Annotated[list[Point], NonEmpty] | None = None
    items: Annotated[list[Text], NonEmpty] | None = None
    tips: Annotated[list[Point], NonEmpty] | None = None
    swaps: Annotated[list[Swap], NonEmpty] | None = None
    box: Box | None = None  # a bordered box of things to know (content/box.py)

    @model_validator(mode="after")
    def _one_body(self) -> Section:
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
    kind: Literal["checklist"]
    noticed: Word = None  # over the writing column beside the items; false: no column
    instead: Word = None  # the swap box's two labels; false: no label column
    try_: Annotated[Word, Field(alias="try")] = None
    sections: Annotated[list[Section], Sections]

    @model_validator(mode="after")
    def _words_given(self) -> Checklist:
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
