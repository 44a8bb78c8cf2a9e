"""The schema of a layout, after its `extends` chain has been merged."""

# No `from __future__ import annotations` in the modules of models (content/, layouts/):
# pydantic reads their fields' annotations as objects made when the module runs,
# instead of evaluating each one again from a string (about 5 ms of every start).
# A name used before its class is defined is written in quotes.

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    model_validator,
)

from kitpress.errors import Located, clip, listed, quoted
from kitpress.units import LengthInput, Whole, parse_length

# a length as written (0.5in, 12mm, 14pt) turned into points
_LENGTH = BeforeValidator(parse_length, json_schema_input_type=LengthInput)
# Every length has a range that cannot produce a broken page: no negative gaps or
# paddings (content printed over other content), no text too small to read, no line
# too thin to print, nothing pushed into the edge where office printers cut it off.
Length = Annotated[float, _LENGTH]
Positive = Annotated[float, _LENGTH, Field(gt=0)]
Spacing = Annotated[float, _LENGTH, Field(ge=0)]  # gaps, paddings
MIN_TEXT = 6.0  # points: the smallest print anyone can read (footers, labels)
MIN_BODY = 9.0  # points: the running text of a handout, a card's prompt
MAX_TEXT_SIZE = 144.0  # points: 2 in letters; a whole word must fit across a page
MIN_LINE = 0.5  # points: a thinner line fades or vanishes on an office printer
MIN_MARGIN = 36.0  # points: office printers cut off what comes within 0.5 in of the edge
TextSize = Annotated[float, _LENGTH, Field(ge=MIN_TEXT, le=MAX_TEXT_SIZE)]
Line = Annotated[float, _LENGTH, Field(ge=MIN_LINE)]


def _margin(value: object) -> float:
    points = parse_length(value)
    if points < MIN_MARGIN - 1e-6:
        raise ValueError(
            f"is {clip(value, 30)}; it must be at least 0.5in: office printers cut off what "
            "comes nearer the sheet edge"
        )
    return points


Margin = Annotated[float, BeforeValidator(_margin, json_schema_input_type=LengthInput)]

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
# The renderers draw text, headings, rules and boxes in these palette colours (the
# message below names them).
PALETTE = ("ink", "accent", "rule")
# A flowing handout (checklist, worksheet) is laid out page by page up to its layout's
# max_pages and stopped there; this caps what a layout may ask for, so any handout is
# laid out in bounded time (a 250-page checklist takes about a second).
MAX_PAGES = 250


def _hex(value: str) -> str:
    if not _HEX.match(value):
        raise ValueError(f'{quoted(value)} is not a colour; write it like "#1b3a5c"')
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Margins(Strict):
    top: Margin
    bottom: Margin
    left: Margin
    right: Margin


class Page(Strict):
    margins: Margins


class Fonts(Strict):
    text: str
    symbols: str | None = None


# The leading of a style that gives none: what body text needs to stay easy to read.
DEFAULT_LEADING = 1.25


class TextStyle(Strict):
    size: TextSize
    leading: Positive | None = None  # None: DEFAULT_LEADING × size
    bold: bool = False
    italic: bool = False
    color: str = "ink"
    align: Literal["left", "center", "right", "justify"] = "left"
    space_before: Spacing = 0
    space_after: Spacing = 0

    @model_validator(mode="after")
    def _lines_apart(self) -> "TextStyle":
        if self.leading is not None and self.leading < self.size:
            raise Located(
                (),
                f"the leading ({self.leading:g}pt) is smaller than the size ({self.size:g}pt), "
                f"so lines would print over each other; make it at least {self.size:g}pt "
                f"({self.size * DEFAULT_LEADING:g}pt reads well) or leave it out",
            )
        if self.leading is not None and self.leading > 3 * self.size + 1e-6:
            raise Located(
                ("leading",),
                f"is {self.leading:g}pt, more than three times the size ({self.size:g}pt); "
                "use space_before or space_after to set paragraphs apart",
                also=(
                    (
                        ("size",),
                        f"is less than a third of the leading ({self.leading:g}pt); "
                        "make the leading smaller too",
                    ),
                ),
            )
        return self

    @property
    def effective_leading(self) -> float:
        """The distance from one baseline to the next."""
        return self.leading or self.size * DEFAULT_LEADING


class BodyStyle(TextStyle):
    """The running text of a handout (or a card's prompt): larger than the smallest."""

    size: Annotated[float, _LENGTH, Field(ge=MIN_BODY, le=MAX_TEXT_SIZE)]


class Styles(Strict):
    title: TextStyle
    subtitle: TextStyle
    intro: TextStyle
    heading: TextStyle
    body: BodyStyle
    note: TextStyle
    strong: TextStyle
    label: TextStyle
    closing: TextStyle
    footer: TextStyle


class Footer(Strict):
    rule_width: Line = 1
    gap: Spacing = 6


class BaseLayout(Strict):
    """What every handout layout has."""

    name: str
    kind: str | None = Field(
        None, description="The handout kind it draws (like checklist); none for a shared base."
    )
    page: Page = Field(description="The page's margins.")
    fonts: Fonts = Field(description="The fonts: text, and symbols for what it lacks.")
    colors: dict[str, Annotated[str, AfterValidator(_hex)]] = Field(
        description='Colours by name, like ink: "#1b3a5c"; ink, accent and rule are needed.'
    )
    styles: Styles = Field(description="The text styles: size, leading, font and colour of each.")
    footer: Footer = Field(Footer(), description="The footer at the foot of every page.")
    max_pages: Annotated[Whole, Field(ge=1, le=MAX_PAGES)] | None = Field(
        None, description="The most pages the handout may take; more is an error."
    )
    # the file it was loaded from (set by the loader), for messages that name it
    _file: Path | None = PrivateAttr(None)

    @property
    def file(self) -> Path | None:
        return self._file

    def __eq__(self, other: object) -> bool:
        # what a layout sets, not which file set it: a kit file that only extends the
        # bundled one is the same layout (the preview lays out again only what changed)
        if type(other) is not type(self):
            return NotImplemented
        return self.__dict__ == other.__dict__

    @model_validator(mode="after")
    def _style_colors_known(self) -> "BaseLayout":
        for needed in PALETTE:
            if needed not in self.colors:
                raise Located(
                    ("colors",),
                    f"the colour '{needed}' is missing (the handouts use ink, accent and "
                    "rule); add it",
                )
        for style_name, style in self.styles:
            if not self.is_color(style.color):
                known = listed(self.colors)
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
    size: Annotated[float, _LENGTH, Field(ge=MIN_TEXT)]
    line_width: Line
    row_padding: Spacing
    noticed_width: Positive
    line_width_write: Line


class Points(Strict):
    columns: Annotated[Whole, Field(ge=1, le=4)]
    gap: Spacing
    bar_width: Line


class Tips(Strict):
    # the number inside is 0.55 of the circle: at least the smallest text
    number_size: Annotated[float, _LENGTH, Field(ge=MIN_TEXT / 0.55)]
    gap: Spacing


class Box(Strict):
    border_width: Line
    padding: Spacing
    radius: Spacing = 0

    @model_validator(mode="after")
    def _clear_of_the_text(self) -> "Box":
        """The border is drawn on the box's edge, half of it inside, and a rounded corner
        cuts in across the padding: either could cover the words in the box."""
        room = self.padding - self.border_width / 2  # from the border's inner edge to the text
        if room < 0:
            raise Located(
                ("border_width",),
                f"is {self.border_width:g}pt; half of it lies inside the box, over the text "
                f"{self.padding:g}pt in (padding): make it at most {2 * self.padding:g}pt",
                also=((("padding",), "leaves no room inside the border; make it larger"),),
            )
        # a corner of radius r misses the text's corner, `padding` in from both edges,
        # while r <= padding * sqrt(2) / (sqrt(2) - 1)
        most = self.padding * 2**0.5 / (2**0.5 - 1)
        if self.radius > most + 1e-6:
            raise Located(
                ("radius",),
                f"is {self.radius:g}pt; a rounded corner that big cuts into the text "
                f"{self.padding:g}pt in (padding): make it at most {most:.0f}pt",
                also=((("padding",), "is too small for the rounded corners; make it larger"),),
            )
        return self


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
    back_pages: Annotated[Whole, Field(ge=1, le=8)] = 1  # pages the back of the cover may take
