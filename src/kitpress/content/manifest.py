"""kit.yaml: what the kit is, who made it, and which handouts it holds."""

from __future__ import annotations

import difflib
import functools
import keyword
import re
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints, create_model

from kitpress.content.base import Strict, Text, template
from kitpress.errors import quoted
from kitpress.paper import DEFAULT as DEFAULT_PAPER
from kitpress.paper import PAPERS

# Labels are a few words printed on every page or around every quote: short, so a
# label cannot multiply into pages of text.
MAX_LABEL = 200
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_LABEL)]

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")  # a file name, so not too long
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")


# A build's work grows with handouts x languages; these keep any kit's build bounded.
MAX_HANDOUTS = 25  # a cover lists a dozen or so on its one page
MAX_LANGUAGES = 12

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


def _paper(value: str) -> str:
    if value not in PAPERS:
        close = difflib.get_close_matches(value.lower(), list(PAPERS), n=1)
        names = [f"'{p}'" for p in PAPERS]
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else "use one of " + ", ".join(names[:-1]) + " or " + names[-1]
        )
        raise ValueError(f"{quoted(value)} is not allowed here; {hint}")
    return value


class Manifest(Strict):
    title: Text
    organization: Organization
    paper: Annotated[str, AfterValidator(_paper)] = DEFAULT_PAPER
    languages: Annotated[
        list[LanguageCode], Field(min_length=1, max_length=MAX_LANGUAGES), AfterValidator(_unique)
    ]
    handouts: Annotated[
        list[Slug], Field(min_length=1, max_length=MAX_HANDOUTS), AfterValidator(_unique)
    ]


class Labels(Strict):
    """Words the reader sees that are not part of any one handout's text.

    They live in kit/<lang>/labels.yaml so a new language is new YAML only. Besides
    these, labels.yaml may give defaults for the words a kind prints (the checklist's
    'When I noticed', say): see labels_model.
    """

    page: Annotated[Label, template("page", "pages", required=("page",))]
    # footers inside kit.pdf, as on the cover
    kit_page: Annotated[Label, template("page", required=("page",))]
    footer: Annotated[Label, template("name", "contact", required=("name",))]
    # quoted speech, e.g. “{text}” or «{text}»
    quote: Annotated[Label, template("text", required=("text",))]

    def word(self, name: str) -> str | None:
        """A kind's word given in labels.yaml, or None."""
        value = getattr(self, _field_name(name), None)
        return value if isinstance(value, str) else None


def _field_name(word: str) -> str:
    return word + "_" if keyword.iskeyword(word) or not word.isidentifier() else word


@functools.cache
def labels_model(words: frozenset[str]) -> type[Labels]:
    """Labels plus an optional field for each of the kinds' words, so labels.yaml is
    checked like every other file (a misspelt word gets "did you mean")."""
    fields: dict[str, Any] = {
        _field_name(w): (Label | None, Field(None, alias=w)) for w in sorted(words)
    }
    return create_model("Labels", __base__=Labels, **fields)
