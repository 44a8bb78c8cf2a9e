"""The schema of a card layout (poker, index, postcard, or a kit's own size)."""

# no `from __future__ import annotations`: see layouts/models.py

from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from kitpress.errors import Located, clip, listed, quoted
from kitpress.layouts.models import (
    MIN_BODY,
    MIN_LINE,
    MIN_TEXT,
    BaseLayout,
    BodyStyle,
    Length,
    Positive,
    Strict,
    Styles,
    TextStyle,
)
from kitpress.units import POINTS_PER_UNIT, LengthInput, parse_length

NonNegative = Annotated[Length, Field(ge=0)]
# an icon is read like a word beside it: smaller than the smallest text, it is a speck
IconSize = Annotated[Length, Field(ge=MIN_TEXT)]


def _none_or_printable(value: float) -> float:
    if 0 < value < MIN_LINE:
        raise ValueError(
            f"is {value:g}pt; a printed line must be at least {MIN_LINE:g}pt (or 0 for none)"
        )
    return value


# The calibration sheet's scales read up to 10 mm either way; printers drift about 3.
MAX_BACK_OFFSET = 10 * POINTS_PER_UNIT["mm"]


def _back_offset(value: object) -> float:
    points = parse_length(value)
    if abs(points) > MAX_BACK_OFFSET + 1e-6:
        raise ValueError(
            f"is {clip(value, 30)}; a back offset corrects a printer's drift of a few "
            "millimetres (see the calibration sheet): keep it within 10mm either way"
        )
    return points


BackOffset = Annotated[float, BeforeValidator(_back_offset, json_schema_input_type=LengthInput)]


class CardStyles(Styles):
    card_text: BodyStyle  # the prompt; its size is where shrinking starts
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

    min_size: Annotated[Length, Field(ge=MIN_BODY)]  # the prompt is the card's running text
    step: Annotated[Length, Field(ge=0.1)] = 0.5  # finer steps would only cost time


class Header(Strict):
    icon_size: IconSize  # the category icon at the top of a card front
    gap: NonNegative  # between icon and category name, and below the rule
    rule_width: Annotated[NonNegative, AfterValidator(_none_or_printable)]  # 0: no line


class Back(Strict):
    icon_size: IconSize
    fill: str | None = None  # a colour behind the whole back, into the bleed (None: paper)


class CropMarks(Strict):
    length: Positive = 15
    offset: NonNegative = 6  # from the trim line to the start of the mark
    width: Annotated[Length, Field(ge=0.25, le=1)] = 0.4
    edge_clearance: NonNegative = 9  # marks stop this far from the sheet edge
    min_length: Positive = 4  # a mark clipped shorter than this is left out


class Offset(Strict):
    x: BackOffset = 0
    y: BackOffset = 0


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
    def _consistent(self) -> "CardLayout":
        c = self.card
        if 2 * c.safe_zone >= min(c.width, c.height):
            small = (
                f"a {c.width / 72:g} x {c.height / 72:g} in card leaves no room inside its "
                f"safe zone ({c.safe_zone / 72:g} in on each side); make the card bigger"
            )
            raise Located(
                ("card", "safe_zone"),
                f"leaves no room on a {c.width / 72:g} x {c.height / 72:g} in card; make it "
                "smaller",
                also=((("card", "width"), small), (("card", "height"), small)),
            )
        if self.fit.min_size > self.styles.card_text.size:
            raise Located(
                ("fit", "min_size"),
                "is larger than styles.card_text.size; make it the same or smaller",
                also=(
                    (
                        ("styles", "card_text", "size"),
                        "is smaller than fit.min_size; make it larger",
                    ),
                ),
            )
        if self.crop_marks.offset < c.bleed:
            raise Located(
                ("crop_marks", "offset"),
                "is smaller than card.bleed, so marks would print on the bleed; make the "
                "offset at least the bleed",
                also=((("card", "bleed"), "is larger than crop_marks.offset; make it smaller"),),
            )
        marks = self.crop_marks
        if marks.length < marks.min_length:
            raise Located(
                ("crop_marks", "length"),
                f"is {marks.length:g}pt, shorter than crop_marks.min_length "
                f"({marks.min_length:g}pt), so no crop mark would be printed; make it at "
                "least that long",
            )
        if self.back.fill is not None and self.back.fill not in self.colors:
            raise Located(
                ("back", "fill"),
                f"{quoted(self.back.fill)} is not a colour in 'colors' ({listed(self.colors)})",
            )
        return self
