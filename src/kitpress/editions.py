"""Editions of a kit: the same words laid out for other readers. Each edition has its
own output folder beside the standard one (out/en-large/) and may bring its own
layouts: a layout folder searched before the standard layouts, whose files usually
`extends:` the standard layout of the same name and change only sizes. Adding an
edition is one entry in EDITIONS plus its layout folder."""

from __future__ import annotations

from dataclasses import dataclass

STANDARD = "standard"


@dataclass(frozen=True)
class Edition:
    name: str  # as written in kit.yaml's editions: and after --edition
    suffix: str  # the output folder is <language><suffix>
    layouts: str | None  # the layouts/ subfolder searched first; None: standard layouts


EDITIONS: dict[str, Edition] = {
    e.name: e
    for e in (
        Edition(STANDARD, "", None),
        Edition("large-print", "-large", "large-print"),
    )
}


def edition(name: str) -> Edition:
    return EDITIONS[name]


def folder(lang: str, edition_name: str) -> str:
    """The output folder (and print-plan name) of one language in one edition."""
    return lang + EDITIONS[edition_name].suffix
