"""kit/<lang>/cover.yaml: the words on the combined kit's cover, in one language."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from kitpress.content.base import MAX_ITEMS, Strict, Text
from kitpress.content.box import HeadedBox


class Cover(Strict):
    title: Text
    subtitle: Text | None = None
    intro: Text  # one short paragraph on how to use the kit
    contents: Text  # heading over the list of handouts
    separately: Text  # heading over handouts printed on their own (card decks)
    layout: Text = "cover"
    # boxes printed on the back of the cover (page 2 of kit.pdf); none: a blank back
    back: Annotated[list[HeadedBox], Field(min_length=1, max_length=MAX_ITEMS)] | None = None
