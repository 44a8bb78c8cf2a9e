"""kind: card-deck — a deck of small cards, one prompt each, grouped in categories."""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import Field, model_validator

from kitpress.content.base import MAX_ITEMS, Strict, Text, template
from kitpress.errors import Located

# A deck of 10,000 poker cards is 2,500 sheets and builds in under two seconds; the
# cap keeps any deck's build bounded in time and memory.
MAX_CARDS = 10_000

# Icons are drawn with vector shapes (render/icons.py); the name is for the program.
Icon = Literal["sun", "camera", "question", "heart", "hand", "leaf", "star", "book", "pen", "smile"]
ICONS: tuple[str, ...] = get_args(Icon)


class Category(Strict):
    name: Text
    icon: Icon | None = None
    # what the icon shows, in the deck's language, for screen readers ("A sun"); without
    # it the icon is decoration, skipped by screen readers
    icon_alt: Text | None = None
    cards: Annotated[list[Text], Field(min_length=1, max_length=MAX_CARDS)]

    @model_validator(mode="after")
    def _alt_needs_icon(self) -> Category:
        if self.icon_alt is not None and self.icon is None:
            raise Located(
                ("icon_alt",),
                "icon_alt says what the icon shows, but this category has no icon; add "
                "icon: or remove icon_alt",
            )
        return self


class Calibration(Strict):
    """Words printed on the calibration sheet (for whoever prints the deck)."""

    title: Text
    front: Annotated[list[Text], Field(min_length=1, max_length=MAX_ITEMS)]  # front side
    # lines on the back side; they may show the current back offset {x}, {y} and {flip}
    back: Annotated[
        list[Annotated[Text, template("x", "y", "flip")]],
        Field(min_length=1, max_length=MAX_ITEMS),
    ]
    # how {flip} is written: the edge the printer turns the sheet on
    long_edge: Text = "long"
    short_edge: Text = "short"


class CardDeck(Strict):
    kind: Literal["card-deck"]
    layout: Text
    title: Text  # printed on every card back
    number: Annotated[Text, template("number", "total", required=("number",))] = (
        "{number}"  # used when the layout shows numbers
    )
    calibration: Calibration | None = None
    back_note: Text | None = None  # small print at the foot of every card back
    categories: Annotated[list[Category], Field(min_length=1, max_length=MAX_ITEMS)]

    @model_validator(mode="after")
    def _not_too_many(self) -> CardDeck:
        total = 0
        for i, category in enumerate(self.categories):
            total += len(category.cards)
            if total > MAX_CARDS:
                raise Located(
                    ("categories", i, "cards"),
                    f"the deck has more than {MAX_CARDS:,} cards by here; a deck may hold "
                    f"at most {MAX_CARDS:,}: split it into two decks",
                )
        return self

    def cards(self) -> list[tuple[int, int, Category, str]]:
        """Every card in deck order: (category index, card index, category, text)."""
        return [
            (i, j, cat, text)
            for i, cat in enumerate(self.categories)
            for j, text in enumerate(cat.cards)
        ]
