"""kind: checklist — the withdrawal-signs checklist and handouts like it."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from kitpress.content.base import Handout, Strict, Text
from kitpress.content.box import Box

NonEmpty = Field(min_length=1)


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


class Checklist(Handout):
    kind: Literal["checklist"]
    sections: Annotated[list[Section], NonEmpty]
