"""The handout kinds kitpress knows. A kind is its content schema, its layout schema,
the words it prints (with defaults from the language's labels.yaml) and its renderer,
declared once as a typed `Kind` in the kind's render module (see render/checklist.py).

Kinds are imported when first asked for, so `kitpress --help` stays quick; a test
imports every registered kind, so a wrong module name fails there.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from pydantic import BaseModel

from kitpress.layouts.models import BaseLayout

if TYPE_CHECKING:
    from kitpress.errors import Source
    from kitpress.render.context import RenderContext, Rendered

C = TypeVar("C", bound=BaseModel)
L = TypeVar("L", bound=BaseLayout)
C_in = TypeVar("C_in", bound=BaseModel, contravariant=True)
L_in = TypeVar("L_in", bound=BaseLayout, contravariant=True)


class Renderer(Protocol[C_in, L_in]):
    """render(content, ctx, source): lay the handout out (raise FitError if it does
    not fit), and return what was laid out."""

    def __call__(self, content: C_in, ctx: RenderContext[L_in], source: Source) -> Rendered: ...


@dataclass(frozen=True)
class Kind(Generic[C, L]):
    name: str  # what a handout's `kind:` says
    content: type[C]
    layout: type[L]
    render: Renderer[C, L]
    # Words the kind prints that the language's labels.yaml may give once for every
    # handout of the kind (a handout may still set or turn off each one itself).
    words: tuple[str, ...] = ()
    # Goes inside the combined kit.pdf (its renderer returns a Bindable result). False
    # for what is printed on its own, such as card decks on cardstock.
    in_kit: bool = True


@dataclass(frozen=True)
class Entry:
    module: str  # defines the kind as KIND
    # a copy of KIND.words, so labels.yaml is checked without importing every kind
    # (kind() makes sure the two agree)
    words: tuple[str, ...] = ()


_MODULES = {
    "checklist": Entry("kitpress.render.checklist", ("noticed", "instead", "try")),
    "card-deck": Entry("kitpress.render.cards"),
    "worksheet": Entry("kitpress.render.worksheet"),
    "resource-sheet": Entry(
        "kitpress.render.resources", ("phone", "hours", "address", "website", "email")
    ),
}
_loaded: dict[str, Kind[Any, Any]] = {}


def names() -> list[str]:
    return list(dict.fromkeys([*_MODULES, *_loaded]))


def kind(name: str) -> Kind[Any, Any]:
    """The kind called `name` (one of names())."""
    if name not in _loaded:
        entry = _MODULES[name]
        found = importlib.import_module(entry.module).KIND
        if not isinstance(found, Kind) or found.name != name or found.words != entry.words:
            raise TypeError(
                f"{entry.module}.KIND is not the Kind named {name!r} with words {entry.words}"
            )
        _loaded[name] = found
    return _loaded[name]


def register(new: Kind[Any, Any]) -> None:
    """Add a kind defined elsewhere (a test, or a plugin) under its name."""
    _loaded[new.name] = new


def unregister(name: str) -> None:
    _loaded.pop(name, None)


def all_words() -> set[str]:
    """Every word any registered kind lets labels.yaml give (imports no kind)."""
    words = {w for entry in _MODULES.values() for w in entry.words}
    return words | {w for k in _loaded.values() for w in k.words}
