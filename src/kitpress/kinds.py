"""The handout kinds kitpress knows: for each, its content schema, layout schema and
renderer. Adding a kind is one entry here plus its three modules."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Kind:
    name: str
    content: str  # "module:Class" — imported only when a kit uses the kind
    layout: str
    renderer: str  # "module:function(content, ctx, source) -> Rendered"
    # printed on its own (cardstock, duplex, cutting), not inside the combined kit.pdf
    separate: bool = False
    stock: str = "plain paper"

    def load(self, ref: str) -> Any:
        module, _, attr = ref.partition(":")
        return getattr(importlib.import_module(module), attr)


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "checklist",
            "kitpress.content.checklist:Checklist",
            "kitpress.layouts.models:ChecklistLayout",
            "kitpress.render.checklist:render",
        ),
        Kind(
            "card-deck",
            "kitpress.content.cards:CardDeck",
            "kitpress.layouts.cards:CardLayout",
            "kitpress.render.cards:render",
            separate=True,
            stock="cardstock",
        ),
        Kind(
            "worksheet",
            "kitpress.content.worksheet:Worksheet",
            "kitpress.layouts.worksheet:WorksheetLayout",
            "kitpress.render.worksheet:render",
        ),
    )
}
