"""kit.yaml: what the kit is, who made it, and which handouts it holds."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from kitpress.content.base import Strict, Text, template
from kitpress.errors import quoted

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")  # a file name, so not too long
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")


# Output names kitpress itself uses in each language folder (kit.pdf is the combined kit).
RESERVED = ("kit",)


def _slug(value: str) -> str:
    stem, dot, ext = value.rpartition(".")
    if dot and ext in ("yaml", "yml") and _SLUG.match(stem):
        raise ValueError(f"write the handout name without '.{ext}': {stem}")
    if value in RESERVED:
        raise ValueError(
            f"'{value}' is the name of the combined {value}.pdf; give this handout another "
            "name (rename its file too)"
        )
    if not _SLUG.match(value):
        raise ValueError(
            f"{quoted(value)} is not a handout name; give the file name without .yaml, "
            "in lowercase letters, digits and '-' (at most 80)"
        )
    return value


def _language(value: str) -> str:
    if not _LANGUAGE.match(value):
        raise ValueError(f"{quoted(value)} is not a language code; write it like en or es")
    return value


Slug = Annotated[str, AfterValidator(_slug)]
LanguageCode = Annotated[str, AfterValidator(_language)]


def _unique(values: list[str]) -> list[str]:
    seen: set[str] = set()
    for v in values:
        if v in seen:
            raise ValueError(f"{quoted(v)} is listed twice; list it once")
        seen.add(v)
    return values


class Organization(Strict):
    name: Text
    contact: Text | None = None


_NUMBER_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def _number_names(value: dict[str, str]) -> dict[str, str]:
    for name in value:
        if not _NUMBER_NAME.match(name):
            raise ValueError(
                f"{quoted(name)} is not a name for a number; use small letters, digits and _ "
                "(like crisis_line), starting with a letter"
            )
    return value


class Manifest(Strict):
    title: Text
    organization: Organization
    paper: Literal["letter", "a4"] = "letter"
    languages: Annotated[list[LanguageCode], Field(min_length=1), AfterValidator(_unique)]
    handouts: Annotated[list[Slug], Field(min_length=1), AfterValidator(_unique)]
    # Help lines, shown in box texts as {name} (e.g. call or text {crisis_line}). The
    # default kit's are US numbers: a group elsewhere changes them first.
    crisis: Annotated[dict[str, Text], AfterValidator(_number_names)] = {}


class Labels(Strict):
    """Words the reader sees that are not part of any one handout's text.

    They live in kit/<lang>/labels.yaml so a new language is new YAML only.
    """

    page: template("page", "pages")
    kit_page: template("page")  # footers inside kit.pdf, matching the cover's contents
    footer: template("name", "contact")
    quote: template("text")  # how quoted speech is marked, e.g. “{text}” or «{text}»
    noticed: Text
    instead: Text
    try_: Annotated[Text, Field(alias="try")]
