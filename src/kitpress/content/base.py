"""Shared pieces of every content schema."""

from __future__ import annotations

import string
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints


class Strict(BaseModel):
    """Unknown keys are errors; loaded content never changes afterwards."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


# A page holds about 4,000 characters: a longer text cannot fit anywhere, and checking
# that early keeps a pasted-in book from tying up the layout engine.
MAX_TEXT = 5000
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]


def template(*names: str) -> AfterValidator:
    """Lets a Text use exactly the {placeholders} given, e.g. 'Page {page} of {pages}':
    write Annotated[Text, template("page", "pages")]."""

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
        for field, spec, conversion in fields:
            if field is None:
                continue
            if field not in names:
                raise ValueError(f"unknown placeholder {{{field}}}; you can use {allowed}")
            if spec or conversion:  # '{page:>999999999}' would be legal Python, and huge
                raise ValueError(f"write placeholders plainly, like {allowed}")
        return value

    return AfterValidator(check)


class Handout(Strict):
    """What every flowing handout starts and ends with; kinds add `kind` and their body."""

    layout: Text
    title: Text
    subtitle: Text | None = None
    intro: Text | None = None
    closing: Text | None = None
