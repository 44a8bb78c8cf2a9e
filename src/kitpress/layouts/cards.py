"""The schema of a card layout (poker, index, postcard, or a kit's own size)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from kitpress.errors import Located, quoted
from kitpress.layouts.models import BaseLayout, Length, Positive, Strict, Styles, TextStyle

NonNegative = Annotated[Length, Field(ge=0)]


class CardStyles(Styles):
    card_text: TextStyle  # the prompt; its size is where shrinking starts
    category: TextStyle  # the category name at the top of a card front
    number: TextStyle  # the card number, when numbers are on
    back_title: TextStyle  # the deck title on a card back
    back_category: TextStyle  # the category name on a card back
    calibration: TextStyle  # words and numbers on the calibration sheet
    # the deck's back_note, at the foot of every card back
    back_note: TextStyle = TextStyle(size=10, leading=12.5, align="center", space_before=8)


class Card(Strict):
    width: Positive
    height: Positive
    safe_zone: NonNegative  # text and icons stay this far inside the trim
    gap: NonNegative = 0  # between neighbouring cards (between their bleed boxes)
    bleed: NonNegative = 0  # the card back's fill reaches this far past the trim
    rotate: Literal["auto", "never", "always"] = "auto"  # auto: whichever fits more


class Fit(Strict):
    """How the prompt shrinks when it does not fit at the card_text size."""

    min_size: Positive
    step: Annotated[Length, Field(ge=0.1)] = 0.5  # finer steps would only cost time


class Header(Strict):
    icon_size: Positive  # the category icon at the top of a card front
    gap: NonNegative  # between icon and category name, and below the rule
    rule_width: NonNegative  # the line under the header (0: none)


class Back(Strict):
    icon_size: Positive
    fill: str | None = None  # a colour behind the whole back, into the bleed (None: paper)


class CropMarks(Strict):
    length: Positive = 15
    offset: NonNegative = 6  # from the trim line to the start of the mark
    width: Annotated[Length, Field(ge=0.25, le=1)] = 0.4
    edge_clearance: NonNegative = 9  # marks stop this far from the sheet edge
    min_length: Positive = 4  # a mark clipped shorter than this is left out


class Offset(Strict):
    x: Length = 0
    y: Length = 0


class Duplex(Strict):
    flip: Literal["long", "short"] = "long"
    # Measured with the calibration sheet: shifts every back sheet (never a front).
    back_offset: Offset = Offset()


class CardLayout(BaseLayout):
    styles: CardStyles
    card: Card
    fit: Fit
    header: Header
    back: Back
    crop_marks: CropMarks = CropMarks()
    duplex: Duplex = Duplex()
    numbers: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> CardLayout:
        c = self.card
        if 2 * c.safe_zone >= min(c.width, c.height):
            raise Located(("card", "safe_zone"), "leaves no room on the card; make it smaller")
        if self.fit.min_size > self.styles.card_text.size:
            raise Located(
                ("fit", "min_size"),
                "is larger than styles.card_text.size; make it the same or smaller",
            )
        if self.crop_marks.offset < c.bleed:
            raise Located(
                ("crop_marks", "offset"),
                "is smaller than card.bleed, so marks would print on the bleed; make the "
                "offset at least the bleed",
            )
        if self.back.fill is not None and self.back.fill not in self.colors:
            raise Located(
                ("back", "fill"),
                f"{quoted(self.back.fill)} is not a colour in 'colors' ({', '.join(self.colors)})",
            )
        return self
