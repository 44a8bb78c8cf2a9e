"""Shared pieces of every content schema."""

# no `from __future__ import annotations`: see layouts/models.py

import string
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    ValidationInfo,
)
from pydantic_core import core_schema

from kitpress.errors import clip


class Strict(BaseModel):
    """Unknown keys are errors; loaded content never changes afterwards."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Words:
    """Annotated[str, Words(N)]: text stripped of the spaces around it, 1 to N
    characters. The same as pydantic's StringConstraints(strip_whitespace=True,
    min_length=1, max_length=N), with the core schema written out: pydantic works
    StringConstraints out anew for each field that uses it (Text and Label, some 90
    fields), about 4 ms of every start. Validation, errors and JSON Schemas are the same."""

    def __init__(self, max_length: int) -> None:
        self.max_length = max_length

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.str_schema(
            strip_whitespace=True, min_length=1, max_length=self.max_length
        )


# A page holds about 4,000 characters: a longer text cannot fit anywhere, and checking
# that early keeps a pasted-in book from tying up the layout engine.
MAX_TEXT = 5000
Text = Annotated[str, Words(MAX_TEXT)]
# How long a list in a handout may be. A page holds about forty rows, and a handout at
# most MAX_PAGES (layouts/models.py) pages, so longer lists could never print; capping
# them keeps the layout engine's work bounded whatever a kit holds (platypus measures
# a table in time that grows with the square of its rows).
MAX_ITEMS = 200  # items, reasons, tips or swaps in one section; blocks; rows
MAX_SECTIONS = 250  # as many as a handout has pages
Items = Field(min_length=1, max_length=MAX_ITEMS)
Sections = Field(min_length=1, max_length=MAX_SECTIONS)


def template(*names: str, required: tuple[str, ...] = ()) -> AfterValidator:
    """Lets a Text use the {placeholders} given, e.g. 'Page {page} of {pages}': write
    Annotated[Text, template("page", "pages", required=("page",))]. Each placeholder may
    come once: a quote mark repeating {text} hundreds of times around a long swap would
    make one huge paragraph (and the layout time grows with its square)."""

    def check(value: str) -> str:
        try:
            fields = [(f, spec, conv) for _, f, spec, conv in string.Formatter().parse(value)]
        except ValueError:
            raise ValueError(
                "the braces { } do not pair up; a placeholder looks like "
                + ", ".join("{" + n + "}" for n in names)
                + ", and a brace that is just text is written {{ or }}"
            ) from None
        allowed = ", ".join("{" + n + "}" for n in names)
        used: set[str] = set()
        for field, spec, conversion in fields:
            if field is None:
                continue
            if field not in names:
                raise ValueError(f"unknown placeholder {{{clip(field)}}}; you can use {allowed}")
            if spec or conversion:  # '{page:>999999999}' would be legal Python, and huge
                raise ValueError(f"write placeholders plainly, like {allowed}")
            if field in used:
                raise ValueError(f"{{{field}}} comes more than once; write it once")
            used.add(field)
        for name in required:
            if name not in used:  # '{{}}' would print braces instead of the words
                raise ValueError(f"has no {{{name}}}, so the words would not be printed; add it")
        return value

    return AfterValidator(check)


class Handout(Strict):
    """What every flowing handout starts and ends with; kinds add `kind` and their body."""

    layout: Text = Field(
        description="The layout that draws this handout: a bundled one (like checklist) or one in "
        "the kit's layouts/ folder."
    )
    title: Text = Field(description="The handout's title, at the top of its first page.")
    subtitle: Text | None = Field(None, description="A line under the title.")
    intro: Text | None = Field(None, description="A short paragraph under the title.")
    closing: Text | None = Field(None, description="A last paragraph, after everything else.")


# The context key under which kit.py passes kit.yaml's `crisis:` numbers to validation.
FILL = "fill"


def _fill_in(value: str, info: ValidationInfo) -> str:
    """Check the {names} in a text against the numbers the kit gives in kit.yaml."""
    given: dict[str, str] = (info.context or {}).get(FILL) or {}
    allowed = ", ".join("{" + n + "}" for n in given)
    try:
        fields = [(f, spec, conv) for _, f, spec, conv in string.Formatter().parse(value)]
    except ValueError:
        raise ValueError(
            "the braces { } do not pair up; a number from kit.yaml is written like "
            + (allowed or "{crisis_line}")
            + ", and a brace that is just text is written {{ or }}"
        ) from None
    for field, spec, conversion in fields:
        if field is None:
            continue
        if spec or conversion or not field.isidentifier():
            raise ValueError(f"write placeholders plainly, like {allowed or '{crisis_line}'}")
        if field not in given:
            if not given:
                raise ValueError(
                    f"uses {{{clip(field)}}}, but kit.yaml gives no numbers under 'crisis:'; "
                    f"add '{clip(field)}' there (see the README), or write the number here"
                )
            raise ValueError(
                f"unknown placeholder {{{clip(field)}}}; kit.yaml's crisis: gives {allowed}"
            )
    return value


# A text that may show a number from kit.yaml's `crisis:` (say, "call {crisis_line}"),
# so a group outside the US changes its help lines in one place for every language.
FillIn = Annotated[Text, AfterValidator(_fill_in)]


def fill(text: str, numbers: dict[str, str] | None) -> str:
    """A FillIn text with the kit's numbers put in ({{ and }} become braces)."""
    return text.format_map(numbers or {})
