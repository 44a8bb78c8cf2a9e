"""The worksheet layout schema (its own module so other kinds' schemas merge cleanly)."""

# no `from __future__ import annotations`: see layouts/models.py

from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from kitpress.errors import Located, listed, quoted
from kitpress.layouts.models import MIN_TEXT, BaseLayout, Length, Positive, Spacing, Strict
from kitpress.units import POINTS_PER_UNIT, Whole

MIN_LINE_SPACING = 8 * POINTS_PER_UNIT["mm"]  # room for adult handwriting
MIN_RULE = 0.75  # thinner rules fade or vanish on office printers and copiers


def _at_least(minimum: float, what: str) -> AfterValidator:
    """Use as Annotated[Length, _at_least(…)]: a length of at least `minimum` points."""

    def check(value: float) -> float:
        if value < minimum - 1e-6:
            raise ValueError(f"is {value:.2f}pt; {what} must be at least {minimum:.2f}pt")
        return value

    return AfterValidator(check)


Rule = Annotated[Length, _at_least(MIN_RULE, "a printed rule")]
Handwriting = Annotated[Length, _at_least(MIN_LINE_SPACING, "line spacing (8mm)")]


class Writing(Strict):
    """Ruled lines to write on, and the form fields laid over them."""

    line_spacing: Handwriting
    line_width: Rule
    line_color: str = "rule"
    prompt_gap: Spacing = 2  # from a prompt's text to the first writing line's slot
    short_min_width: Positive = 2.2 * 72  # a short answer's line is at least this long
    field_font_size: Annotated[float, Field(ge=6, le=24)] = 12


class Checkboxes(Strict):
    size: Annotated[Length, Field(ge=MIN_TEXT)]
    line_width: Rule
    gap: Spacing  # from the box to its text
    row_padding: Spacing
    columns: Annotated[Whole, Field(ge=1, le=3)] = 2


class Tracker(Strict):
    label_width: Positive  # the column of row labels
    cell_height: Annotated[Length, _at_least(MIN_LINE_SPACING, "a tracker row")]
    line_width: Rule
    padding: Spacing = 4


class Box(Strict):
    """Tip boxes and worked examples."""

    border_width: Rule
    padding: Spacing
    radius: Spacing = 0


class Rewrite(Strict):
    line_width: Rule
    padding: Spacing = 6
    label_gap: Spacing = 4


class WorksheetLayout(BaseLayout):
    flat: bool = False  # true: a print-only PDF with no form fields (like --flat)
    block_gap: Spacing = 8  # space between blocks of a section
    writing: Writing
    checkbox: Checkboxes
    tracker: Tracker
    box: Box
    rewrite: Rewrite

    @model_validator(mode="after")
    def _line_color_known(self) -> "WorksheetLayout":
        if not self.is_color(self.writing.line_color):
            raise Located(
                ("writing", "line_color"),
                f"{quoted(self.writing.line_color)} is neither a colour in 'colors' "
                f'({listed(self.colors)}) nor a hex value like "#1b3a5c"',
            )
        return self
