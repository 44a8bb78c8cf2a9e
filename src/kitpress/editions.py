"""Editions of a kit: the same words laid out for other readers. Each edition has its
own output folder beside the standard one (out/en-large/) and may bring its own
layouts: a layout folder searched before the standard layouts, whose files usually
`extends:` the standard layout of the same name and change only sizes. Adding an
edition is one entry in EDITIONS plus its layout folder."""

from __future__ import annotations

from dataclasses import dataclass

STANDARD = "standard"
WEB = "web"


@dataclass(frozen=True)
class Edition:
    name: str  # as written in kit.yaml's editions: and after --edition
    suffix: str  # the output folder is <language><suffix>
    layouts: str | None  # the layouts/ subfolder searched first; None: standard layouts
    printed: bool = True  # False: web pages, never in the print plan


EDITIONS: dict[str, Edition] = {
    e.name: e
    for e in (
        Edition(STANDARD, "", None),
        Edition("large-print", "-large", "large-print"),
        Edition(WEB, "", None, printed=False),
    )
}


def edition(name: str) -> Edition:
    return EDITIONS[name]


def folder(lang: str, edition_name: str) -> str:
    """The output folder (and print-plan name) of one language in one edition."""
    if not EDITIONS[edition_name].printed:
        return f"{WEB}/{lang}"
    return lang + EDITIONS[edition_name].suffix


def printed(edition_name: str) -> bool:
    return EDITIONS[edition_name].printed
