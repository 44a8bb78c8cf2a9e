"""kind: card-deck — a deck of small cards, one prompt each, grouped in categories."""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import Field

from kitpress.content.base import Strict, Text, template

# Icons are drawn with vector shapes (render/icons.py); the name is for the program.
Icon = Literal["sun", "camera", "question", "heart", "hand", "leaf", "star", "book", "pen", "smile"]
ICONS: tuple[str, ...] = get_args(Icon)


class Category(Strict):
    name: Text
    icon: Icon | None = None
    cards: Annotated[list[Text], Field(min_length=1)]


class Calibration(Strict):
    """Words printed on the calibration sheet (for whoever prints the deck)."""

    title: Text
    front: Annotated[list[Text], Field(min_length=1)]  # lines on the front side
    # lines on the back side; they may show the current back offset {x}, {y} and {flip}
    back: Annotated[list[Annotated[Text, template("x", "y", "flip")]], Field(min_length=1)]
    # how {flip} is written: the edge the printer turns the sheet on
    long_edge: Text = "long"
    short_edge: Text = "short"


class CardDeck(Strict):
    kind: Literal["card-deck"]
    layout: Text
    title: Text  # printed on every card back
    number: Annotated[Text, template("number", "total")] = (
        "{number}"  # used when the layout shows numbers
    )
    calibration: Calibration | None = None
    back_note: Text | None = None  # small print at the foot of every card back
    categories: Annotated[list[Category], Field(min_length=1)]

    def cards(self) -> list[tuple[int, int, Category, str]]:
        """Every card in deck order: (category index, card index, category, text)."""
        return [
            (i, j, cat, text)
            for i, cat in enumerate(self.categories)
            for j, text in enumerate(cat.cards)
        ]
