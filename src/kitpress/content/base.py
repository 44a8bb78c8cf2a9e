"""Shared pieces of every content schema."""

from __future__ import annotations

import string
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints


class Strict(BaseModel):
    """Unknown keys are errors; loaded content never changes afterwards."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def template(*names: str):
    """A Text that may use exactly the {placeholders} given, e.g. 'Page {page} of {pages}'."""

    def check(value: str) -> str:
        try:
            used = {f for _, f, _, _ in string.Formatter().parse(value) if f is not None}
        except ValueError as e:
            raise ValueError(f"{e}; write literal braces as {{{{ and }}}}") from None
        unknown = used - set(names)
        if unknown:
            allowed = ", ".join("{" + n + "}" for n in names)
            raise ValueError(f"unknown placeholder {{{sorted(unknown)[0]}}}; you can use {allowed}")
        return value

    return Annotated[Text, AfterValidator(check)]


class Handout(Strict):
    """What every flowing handout starts and ends with; kinds add `kind` and their body."""

    layout: Text
    title: Text
    subtitle: Text | None = None
    intro: Text | None = None
    closing: Text | None = None
