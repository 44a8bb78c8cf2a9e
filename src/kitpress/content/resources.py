"""kind: resource-sheet — where to call, go and write: sections of entries, each a
name with any of phone, hours, address, website, e-mail and a note.

Phone numbers, web addresses and e-mail addresses are checked here, so what the
renderer prints, links and puts in a QR code is known to be well formed. The checks
run on the value as given, so text filled in from elsewhere (a facility's row, later)
is checked the same way once it has been put in.
"""

# no `from __future__ import annotations`: see layouts/models.py

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StrictBool, model_validator

from kitpress.content.base import Handout, Items, Sections, Strict, Text
from kitpress.errors import Located, quoted

NonEmpty = Items

MAX_PHONE = 30  # longer is not one phone number, and it is never broken across lines
# QR codes in one handout: each takes ReportLab about 13 ms to make and lay out (every
# module is a shape), and they are made before the page limit can stop the layout:
# 6,000 entries with `qr: true` (within the other limits) ran 76 s to say "too long"
MAX_QR = 100
MAX_ADDRESS = 200  # a QR code for more would need squares too small to print
_PHONE = re.compile(r"^\+?[0-9 ().\-]+$")
# a site name with at least one dot, then an optional path (the characters RFC 3986
# allows in a URL, so it can go into a link and a QR code as written)
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
_WEBSITE = re.compile(
    rf"^(https?://)?{_LABEL}(?:\.{_LABEL})+(?::[0-9]{{1,5}})?"
    r"(?:[/?#][A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*)?$"
)
_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+$")


def _phone(value: str) -> str:
    if not _PHONE.fullmatch(value) or sum(c.isdigit() for c in value) < 3:
        raise ValueError(
            f"{quoted(value)} is not a phone number; write only the number, in digits with "
            "spaces, + ( ) - or . (like (555) 010-0100), and put words in 'note'"
        )
    if len(value) > MAX_PHONE:
        raise ValueError(f"is {len(value)} characters; a phone number has at most {MAX_PHONE}")
    return value


def _website(value: str) -> str:
    # Only http(s) or no scheme (https:// is added): a kit is shared, and a link such
    # as javascript:… must never reach a PDF.
    if not _WEBSITE.fullmatch(value):
        raise ValueError(
            f"{quoted(value)} is not a web address; write it like example.org/visit or "
            "https://example.org/visit, with no spaces (letters, digits and - . _ ~ / ? # "
            "& = % + : only)"
        )
    if len(value) > MAX_ADDRESS:
        raise ValueError(f"is {len(value)} characters; use a web address of at most {MAX_ADDRESS}")
    return value


def _email(value: str) -> str:
    if not _EMAIL.fullmatch(value):
        raise ValueError(
            f"{quoted(value)} is not an e-mail address; write it like name@example.org"
        )
    if len(value) > MAX_ADDRESS:
        raise ValueError(f"is {len(value)} characters; use an address of at most {MAX_ADDRESS}")
    return value


Phone = Annotated[Text, AfterValidator(_phone)]
Website = Annotated[Text, AfterValidator(_website)]
Email = Annotated[Text, AfterValidator(_email)]


def website_uri(website: str) -> str:
    """The link a website opens (and its QR code holds): https:// unless it says http."""
    return website if re.match(r"^https?://", website) else "https://" + website


def short_url(website: str) -> str:
    """The website as printed: without https:// and a trailing slash."""
    return re.sub(r"^https?://", "", website).rstrip("/") or website


def phone_uri(phone: str) -> str:
    """tel: link for a phone number (a phone dials it when the PDF is read on one)."""
    return "tel:" + ("+" if phone.startswith("+") else "") + re.sub(r"[^0-9]", "", phone)


# The details an entry may have, in the order they are printed; each is printed
# after its label, one of the kind's words.
DETAILS = ("phone", "hours", "address", "website", "email")


class Entry(Strict):
    name: Text = Field(description="The place, service or line.")
    phone: Phone | None = Field(
        None, description="A phone number, in digits (like (555) 010-0100); words go in note."
    )
    hours: Text | None = Field(None, description="When it is open; line breaks are kept.")
    address: Text | None = Field(None, description="Where it is; line breaks are kept.")
    website: Website | None = Field(None, description="A web address, like example.org/visit.")
    email: Email | None = Field(None, description="An e-mail address.")
    note: Text | None = Field(None, description="A sentence or two more.")
    qr: StrictBool = Field(
        False, description="true: print a QR code for the website, with the short address under it."
    )

    @model_validator(mode="after")
    def _qr_needs_website(self) -> "Entry":
        if self.qr and self.website is None:
            raise Located(
                ("qr",),
                "a QR code needs a website to point to; add 'website:' to this entry, or "
                "remove 'qr'",
            )
        return self

    def labelled(self) -> list[str]:
        """The details printed after a label (a website with a QR code is printed
        under the code instead)."""
        return [
            d for d in DETAILS if getattr(self, d) is not None and not (d == "website" and self.qr)
        ]


class Section(Strict):
    heading: Text = Field(description="The section's heading.")
    note: Text | None = Field(None, description="A short paragraph under the heading.")
    entries: Annotated[list[Entry], NonEmpty] = Field(
        description="The places, services or lines in this section."
    )


# The labels printed before the details. Each may be set here, per handout, or once
# for the language in labels.yaml; `false` prints the detail with no label.
WORDS = DETAILS
Word = Text | Literal[False] | None


class ResourceSheet(Handout):
    kind: Literal["resource-sheet"] = Field(description="The kind of handout: resource-sheet.")
    phone: Word = Field(
        None,
        description="The label before a phone number; false for none (default: labels.yaml's).",
    )
    hours: Word = Field(None, description="The label before the hours; false for none.")
    address: Word = Field(None, description="The label before an address; false for none.")
    website: Word = Field(None, description="The label before a web address; false for none.")
    email: Word = Field(None, description="The label before an e-mail address; false for none.")
    sections: Annotated[list[Section], Sections] = Field(
        description="The sections of the sheet, in order."
    )

    @model_validator(mode="after")
    def _not_too_many_codes(self) -> "ResourceSheet":
        codes = [
            (i, j)
            for i, section in enumerate(self.sections)
            for j, entry in enumerate(section.entries)
            if entry.qr
        ]
        if len(codes) > MAX_QR:
            i, j = codes[MAX_QR]
            raise Located(
                ("sections", i, "entries", j, "qr"),
                f"is the handout's QR code number {MAX_QR + 1:,}; a handout prints at most "
                f"{MAX_QR}: keep them for the web pages people most need to open",
            )
        return self

    @model_validator(mode="after")
    def _words_given(self) -> "ResourceSheet":
        for i, section in enumerate(self.sections):
            for j, entry in enumerate(section.entries):
                for word in entry.labelled():
                    if getattr(self, word) is None:
                        raise Located(
                            ("sections", i, "entries", j, word),
                            f"needs the word '{word}' (printed as its label); give '{word}:' "
                            f"in this handout or in labels.yaml, or '{word}: false' to leave "
                            "it out",
                        )
        return self

    def label(self, detail: str) -> str | None:
        """The label printed before a detail, or None for none."""
        value = getattr(self, detail)
        return value if isinstance(value, str) else None
