"""The schema of a layout, after its `extends` chain has been merged."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from kitpress.errors import Located, quoted
from kitpress.units import parse_length

Length = Annotated[float, BeforeValidator(parse_length)]
Positive = Annotated[float, BeforeValidator(parse_length), Field(gt=0)]

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
# The renderers draw text, headings, rules and boxes in these palette colours (the
# message below names them).
PALETTE = ("ink", "accent", "rule")


def _hex(value: str) -> str:
    if not _HEX.match(value):
        raise ValueError(f'{quoted(value)} is not a colour; write it like "#1b3a5c"')
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Margins(Strict):
    top: Length
    bottom: Length
    left: Length
    right: Length


class Page(Strict):
    margins: Margins


class Fonts(Strict):
    text: str
    symbols: str | None = None


# The leading of a style that gives none: what body text needs to stay easy to read.
DEFAULT_LEADING = 1.25


class TextStyle(Strict):
    size: Positive
    leading: Positive | None = None  # None: DEFAULT_LEADING × size
    bold: bool = False
    italic: bool = False
    color: str = "ink"
    align: Literal["left", "center", "right", "justify"] = "left"
    space_before: Length = 0
    space_after: Length = 0

    @model_validator(mode="after")
    def _lines_apart(self) -> TextStyle:
        if self.leading is not None and self.leading < self.size:
            raise Located(
                (),
                f"the leading ({self.leading:g}pt) is smaller than the size ({self.size:g}pt), "
                f"so lines would print over each other; make it at least {self.size:g}pt "
                f"({self.size * DEFAULT_LEADING:g}pt reads well) or leave it out",
            )
        return self

    @property
    def effective_leading(self) -> float:
        """The distance from one baseline to the next."""
        return self.leading or self.size * DEFAULT_LEADING


class Styles(Strict):
    title: TextStyle
    subtitle: TextStyle
    intro: TextStyle
    heading: TextStyle
    body: TextStyle
    note: TextStyle
    strong: TextStyle
    label: TextStyle
    closing: TextStyle
    footer: TextStyle


class Footer(Strict):
    rule_width: Length = 1
    gap: Length = 6


class BaseLayout(Strict):
    """What every handout layout has."""

    name: str
    kind: str | None = None  # the handout kind it draws; None for shared bases
    page: Page
    fonts: Fonts
    colors: dict[str, Annotated[str, AfterValidator(_hex)]]
    styles: Styles
    footer: Footer = Footer()
    max_pages: Annotated[int, Field(ge=1)] | None = None

    @model_validator(mode="after")
    def _style_colors_known(self) -> BaseLayout:
        for needed in PALETTE:
            if needed not in self.colors:
                raise Located(
                    ("colors",),
                    f"the colour '{needed}' is missing (the handouts use ink, accent and "
                    "rule); add it",
                )
        for style_name, style in self.styles:
            if not self.is_color(style.color):
                known = ", ".join(self.colors)
                raise Located(
                    ("styles", style_name, "color"),
                    f"{quoted(style.color)} is neither a colour in 'colors' ({known}) nor a hex "
                    'value like "#1b3a5c"',
                )
        return self

    def color(self, name: str) -> str:
        """A style's colour: a palette name or a hex value."""
        return self.colors.get(name, name)

    def is_color(self, name: str) -> bool:
        return name in self.colors or bool(_HEX.match(name))


class Checkbox(Strict):
    size: Positive
    line_width: Positive
    row_padding: Length
    noticed_width: Positive
    line_width_write: Positive


class Points(Strict):
    columns: Annotated[int, Field(ge=1, le=4)]
    gap: Length
    bar_width: Length


class Tips(Strict):
    number_size: Positive
    gap: Length


class Box(Strict):
    border_width: Positive
    padding: Length
    radius: Length = 0


# A box of things to know (content/box.py): a heavier border than a tip or swap box,
# so it stands out in black and white.
CALLOUT = Box(border_width=3, padding=12, radius=6)


class ChecklistLayout(BaseLayout):
    checkbox: Checkbox
    points: Points
    tips: Tips
    box: Box
    callout: Box = CALLOUT  # a section's `box:`


class CoverLayout(BaseLayout):
    """The cover of kit.pdf: not a handout kind, but laid out the same way; `callout`
    draws the boxes on the back of the cover."""

    callout: Box = CALLOUT
    back_pages: Annotated[int, Field(ge=1, le=8)] = 1  # pages the back of the cover may take
