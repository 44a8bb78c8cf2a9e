"""kit/<lang>/cover.yaml: the words on the combined kit's cover, in one language."""

from __future__ import annotations

from kitpress.content.base import Strict, Text


class Cover(Strict):
    title: Text
    subtitle: Text | None = None
    intro: Text  # one short paragraph on how to use the kit
    contents: Text  # heading over the list of handouts
    separately: Text  # heading over handouts printed on their own (card decks)
    layout: Text = "cover"
