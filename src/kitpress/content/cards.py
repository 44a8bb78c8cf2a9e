"""kind: card-deck — a deck of small cards, one prompt each, grouped in categories."""

# no `from __future__ import annotations`: see layouts/models.py

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
    name: Text = Field(description="The category's name, printed at the top of each of its cards.")
    icon: Icon | None = Field(None, description="A small picture beside the category's name.")
    # what the icon shows, in the deck's language, for screen readers ("A sun"); without
    # it the icon is decoration, skipped by screen readers
    icon_alt: Text | None = Field(
        None, description="What the icon shows, in words, for screen readers (like: A sun)."
    )
    cards: Annotated[list[Text], Field(min_length=1, max_length=MAX_CARDS)] = Field(
        description="The cards of this category, one text each. A line break starts a new "
        "line on the card."
    )

    @model_validator(mode="after")
    def _alt_needs_icon(self) -> "Category":
        if self.icon_alt is not None and self.icon is None:
            raise Located(
                ("icon_alt",),
                "icon_alt says what the icon shows, but this category has no icon; add "
                "icon: or remove icon_alt",
            )
        return self


class Calibration(Strict):
    """Words printed on the calibration sheet (for whoever prints the deck)."""

    title: Text = Field(
        description="The title of the calibration sheet (for whoever prints the deck)."
    )
    front: Annotated[list[Text], Field(min_length=1, max_length=MAX_ITEMS)] = Field(
        description="Lines on the front of the calibration sheet."
    )
    # lines on the back side; they may show the current back offset {x}, {y} and {flip}
    back: Annotated[
        list[Annotated[Text, template("x", "y", "flip")]],
        Field(min_length=1, max_length=MAX_ITEMS),
    ] = Field(description="Lines on the back; they may show the back offset {x}, {y} and {flip}.")
    # how {flip} is written: the edge the printer turns the sheet on
    long_edge: Text = Field(
        "long",
        description="How {flip} is written when the printer turns the sheet on its long edge.",
    )
    short_edge: Text = Field(
        "short",
        description="How {flip} is written when the printer turns the sheet on its short edge.",
    )


class CardDeck(Strict):
    kind: Literal["card-deck"] = Field(description="The kind of handout: card-deck.")
    layout: Text = Field(description="The layout that draws the cards (like poker or postcard).")
    title: Text = Field(description="Printed on the back of every card.")
    number: Annotated[Text, template("number", "total", required=("number",))] = Field(
        "{number}",
        description="How a card's number is printed, when the layout shows numbers: {number} "
        "and {total}.",
    )
    calibration: Calibration | None = Field(
        None, description="The words of the sheet that checks that fronts and backs line up."
    )
    back_note: Text | None = Field(None, description="Small print at the foot of every card back.")
    categories: Annotated[list[Category], Field(min_length=1, max_length=MAX_ITEMS)] = Field(
        description="The categories of cards, each with its name and cards."
    )

    @model_validator(mode="after")
    def _not_too_many(self) -> "CardDeck":
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
