"""kit/<lang>/cover.yaml: the words on the combined kit's cover, in one language."""

# no `from __future__ import annotations`: see layouts/models.py

from typing import Annotated

from pydantic import Field

from kitpress.content.base import MAX_ITEMS, Strict, Text
from kitpress.content.box import HeadedBox


class Cover(Strict):
    title: Text = Field(description="The kit's title on the cover.")
    subtitle: Text | None = Field(None, description="A line under the title.")
    intro: Text = Field(description="One short paragraph on how to use the kit.")
    contents: Text = Field(description="The heading over the list of handouts in kit.pdf.")
    separately: Text = Field(
        description="The heading over the handouts printed on their own (card decks)."
    )
    layout: Text = Field("cover", description="The layout that draws the cover.")
    # boxes printed on the back of the cover (page 2 of kit.pdf); none: a blank back
    back: Annotated[list[HeadedBox], Field(min_length=1, max_length=MAX_ITEMS)] | None = Field(
        None, description="Boxes of things to know first, on the back of the cover."
    )
