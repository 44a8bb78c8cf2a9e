"""kit.yaml: what the kit is, who made it, and which handouts it holds."""

# no `from __future__ import annotations`: see layouts/models.py

import difflib
import functools
import keyword
import re
import unicodedata
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, Field, create_model, model_validator

from kitpress.content.base import Strict, Text, Words, template
from kitpress.errors import Located, clip, listed, quoted
from kitpress.paper import DEFAULT as DEFAULT_PAPER
from kitpress.paper import PAPERS
from kitpress.units import Whole

# Labels are a few words printed on every page or around every quote: short, so a
# label cannot multiply into pages of text.
MAX_LABEL = 200
Label = Annotated[str, Words(MAX_LABEL)]

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")  # a file name, so not too long
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")


# A build's work grows with handouts x languages; these keep any kit's build bounded.
MAX_HANDOUTS = 25  # a cover lists a dozen or so on its one page
MAX_LANGUAGES = 12

# Output names kitpress itself uses in each language folder (kit.pdf is the combined kit).
RESERVED = ("kit",)


def handout_name(value: str) -> str:
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


def pdf_name(value: str) -> str:
    """A handout's `file:`, the name of its PDF in one language (without .pdf). Said as
    a file name, with the name to write instead: a translator's first try is often
    "Tarjetas para cartas.pdf" or "lista-de-señales"."""
    stem = value[:-4] if value.lower().endswith(".pdf") else value
    if stem in RESERVED:
        raise ValueError(
            f"'{stem}' is the name of the combined {stem}.pdf; give this handout's PDF another name"
        )
    if stem != value or not _SLUG.match(stem):
        plain = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
        like = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:80].rstrip("-")
        example = f"like {like}" if like and like not in RESERVED else "like my-handout"
        raise ValueError(
            f"{quoted(value)} cannot name a PDF; write it without .pdf, in small letters "
            f"without accents, digits and '-' (at most 80), {example}"
        )
    return stem


def _language(value: str) -> str:
    if not _LANGUAGE.match(value):
        raise ValueError(f"{quoted(value)} is not a language code; write it like en or es")
    return value


Slug = Annotated[str, AfterValidator(handout_name)]
LanguageCode = Annotated[str, AfterValidator(_language)]


def _unique(values: list[str]) -> list[str]:
    seen: set[str] = set()
    for v in values:
        if v in seen:
            raise ValueError(f"{quoted(v)} is listed twice; list it once")
        seen.add(v)
    return values


# A text the reader sees may be one text for every language, or one per language:
#   contact: {en: "Tuesdays at 6 pm", es: "Los martes a las 6 pm"}
Localized = Text | dict[str, Text]


class Organization(Strict):
    name: Localized = Field(description="Your group's name, printed in the footer of every page.")
    contact: Localized | None = Field(
        None,
        description="How to reach your group (a day and time, a phone number), beside its "
        "name in every footer.",
    )


@dataclass(frozen=True)
class OrgLine:
    name: str
    contact: str | None


@dataclass(frozen=True)
class Masthead:
    """What kit.yaml says of the kit and its makers, in one language: what renderers
    print in footers and the PDF metadata."""

    title: str
    organization: OrgLine
    crisis: dict[str, str]  # help-line numbers, shown in box texts as {names}
    web: str | None = None  # where the web edition is published (no trailing /)


def _edition(value: str) -> str:
    from kitpress.editions import EDITIONS

    if value not in EDITIONS:
        close = difflib.get_close_matches(value, list(EDITIONS), n=1)
        hint = f"did you mean '{close[0]}'?" if close else "use " + " or ".join(EDITIONS)
        raise ValueError(f"{quoted(value)} is not an edition; {hint}")
    return value


EditionName = Annotated[str, AfterValidator(_edition)]

# Printed under a QR code on every handout, so it must stay short enough for a small code.
MAX_WEB = 100
_LABEL = r"[a-z0-9]([a-z0-9-]*[a-z0-9])?"  # one part of a host name
_HOST = re.compile(rf"^{_LABEL}(\.{_LABEL})+(:[0-9]{{1,5}})?$", re.I)


def _web_address(value: str) -> str:
    """kit.yaml's `web:`: the https:// address of the folder that holds the web edition
    (OUT/web/), so en/index.html is <web>/en/index.html. Plain ASCII, no ?query or
    #part: it goes into QR codes and is printed for people to type."""
    from urllib.parse import urlsplit

    how = "write it like https://example.org/staying-close"
    if not value.isascii() or any(c.isspace() for c in value):
        raise ValueError(f"{quoted(value)} is not a web address; {how} (no spaces)")
    if not value.startswith("https://"):
        raise ValueError(f"{quoted(value)} must start with https://; {how}")
    parts = urlsplit(value)
    if parts.query or parts.fragment or "@" in parts.netloc or not _HOST.match(parts.netloc):
        raise ValueError(f"{quoted(value)} is not a web address of a folder; {how}")
    value = value.rstrip("/")
    if len(value) > MAX_WEB:
        raise ValueError(
            f"the address is {len(value)} characters; it is printed under a small QR code, "
            f"so keep it to {MAX_WEB}"
        )
    return value


WebAddress = Annotated[str, AfterValidator(_web_address)]
Copies = Annotated[Whole, Field(ge=1, le=100_000)]


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
    title: Localized = Field(
        description="The kit's title: one for every language, or one per language ({en: …, es: …})."
    )
    organization: Organization = Field(
        description="Who hands the kit out: printed at the foot of every page."
    )
    paper: Annotated[str, AfterValidator(_paper)] = Field(
        DEFAULT_PAPER, description="The paper size: letter or a4."
    )
    languages: Annotated[
        list[LanguageCode], Field(min_length=1, max_length=MAX_LANGUAGES), AfterValidator(_unique)
    ] = Field(description="The languages of the kit: each is a folder of YAML files (en/, es/).")
    # the editions a build makes (--edition picks others); each in its own folder
    editions: Annotated[list[EditionName], Field(min_length=1), AfterValidator(_unique)] = Field(
        ["standard"], description="The editions a build makes: standard, large-print, web."
    )
    # kits to print, for the print plan: one number, or per language or folder
    # ({en: 30, es: 10, en-large: 5}); --copies overrides
    copies: Copies | dict[str, Copies] = Field(
        1,
        description="Kits to print, for the print plan: one number, or per language or "
        "folder ({en: 30, es: 10}).",
    )
    handouts: Annotated[
        list[Slug], Field(min_length=1, max_length=MAX_HANDOUTS), AfterValidator(_unique)
    ] = Field(description="The handouts, in order: each is a file <language>/<name>.yaml.")
    # Help lines, shown in box texts as {name} (e.g. call or text {crisis_line}). The
    # default kit's are US numbers: a group elsewhere changes them first.
    crisis: Annotated[dict[str, Text], AfterValidator(_number_names)] = Field(
        {}, description="Help-line numbers, shown in box texts as {name} (like {crisis_line})."
    )
    # Where the group publishes the web edition (OUT/web/): each printed handout then
    # carries a QR code and the short address of its own page.
    web: WebAddress | None = Field(
        None,
        description="Where you publish the web edition (https://…): each printed handout "
        "then carries a QR code to its page.",
    )

    @model_validator(mode="after")
    def _languages_given(self) -> "Manifest":
        texts: list[tuple[tuple[str | int, ...], Localized | None]] = [
            (("title",), self.title),
            (("organization", "name"), self.organization.name),
            (("organization", "contact"), self.organization.contact),
        ]
        for path, value in texts:
            if isinstance(value, dict):
                # a language not (or no longer) in `languages` may keep its text: taking
                # a language out of a build should not mean editing every text
                for lang in value:
                    if not _LANGUAGE.match(lang):
                        raise Located(
                            (*path, lang),
                            f"{quoted(lang)} is not a language code; write it like en or es",
                        )
                for lang in self.languages:
                    if lang not in value:
                        # a text for another language is most often this one misnamed
                        others = [quoted(k) for k in value if k not in self.languages]
                        aside = (
                            f" ({listed(others)} {'is' if len(others) == 1 else 'are'} not "
                            f"among this kit's languages: {', '.join(self.languages)})"
                            if others
                            else ""
                        )
                        raise Located(path, f"no text for '{lang}'; add {lang}: …{aside}")
        if isinstance(self.copies, dict):
            from kitpress.editions import folder, printed

            known = {
                *self.languages,
                *(folder(g, e) for g in self.languages for e in self.editions if printed(e)),
            }
            for key in self.copies:
                if key not in known:
                    raise Located(
                        ("copies", key),
                        f"'{clip(key)}' is neither a language nor an edition's folder of "
                        f"this kit; use one of: {listed(sorted(known))}",
                    )
        return self

    def masthead(self, lang: str) -> Masthead:
        org = self.organization
        contact = None if org.contact is None else _pick(org.contact, lang)
        org_line = OrgLine(_pick(org.name, lang), contact)
        return Masthead(_pick(self.title, lang), org_line, dict(self.crisis), self.web)

    def copies_of(self, folder: str, lang: str) -> int:
        """Kits to print of one language in one edition (its output folder)."""
        if isinstance(self.copies, int):
            return self.copies
        return self.copies.get(folder, self.copies.get(lang, 1))


def _pick(value: Localized, lang: str) -> str:
    """The text for `lang` (a plain text is every language's)."""
    return value[lang] if isinstance(value, dict) else value


class WebWords(Strict):
    """labels.yaml's `web:`: the words of the web edition that no handout has, and
    the words printed beside a handout's QR code (kit.yaml's `web:`)."""

    language: Label = Field(
        description="This language's name in itself, on the links between languages."
    )
    home: Label = Field(description="The link back to the kit's first page.")
    saved: Label = Field(description="Where typed answers are kept (this device only).")
    clear: Label = Field(description="The button that clears typed answers.")
    phone: Label = Field(description="Printed over the short address beside a handout's QR code.")


class Labels(Strict):
    """Words the reader sees that are not part of any one handout's text.

    They live in kit/<lang>/labels.yaml so a new language is new YAML only. Besides
    these, labels.yaml may give defaults for the words a kind prints (the checklist's
    'When I noticed', say): see labels_model.
    """

    page: Annotated[Label, template("page", "pages", required=("page",))] = Field(
        description="The page number in the footer, like: Page {page} of {pages}."
    )
    # footers inside kit.pdf, as on the cover
    kit_page: Annotated[Label, template("page", required=("page",))] = Field(
        description="The page number in the footers of kit.pdf, like: Page {page}."
    )
    footer: Annotated[Label, template("name", "contact", required=("name",))] = Field(
        description="The organization line at the foot of each page, like: {name} · {contact}."
    )
    # quoted speech, e.g. “{text}” or «{text}»
    quote: Annotated[Label, template("text", required=("text",))] = Field(
        description="Quoted speech, like “{text}” or «{text}»; straight quotes in the texts "
        "print in these marks too."
    )
    web: WebWords | None = Field(
        None, description="The words of the web edition, and those beside a handout's QR code."
    )  # needed for the web edition or a `web:` address

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
