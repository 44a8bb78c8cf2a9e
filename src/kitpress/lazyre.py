"""Regular expressions that a library compiles as it is imported, left to be compiled
the first time they are used: a pattern whose character classes span most of Unicode
takes milliseconds to compile, on every start, and kitpress never uses some of them
(ReportLab's, render/platypus.py; PyYAML's, import_yaml below)."""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

# how PyYAML's Reader.NON_PRINTABLE begins (PyYAML 5 and 6)
_NON_PRINTABLE = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff"


class Deferred:
    """A regular expression compiled the first time it is used."""

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern_args = (pattern, flags)
        self.compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        # only a pattern's own attributes: copy and pickle ask a half-made object for
        # __setstate__, before it has `compiled` (asking for that here recursed)
        if name.startswith("__") or name in ("compiled", "pattern_args"):
            raise AttributeError(name)
        if self.compiled is None:
            self.compiled = re.compile(*self.pattern_args)
        return getattr(self.compiled, name)

    def __reduce__(self) -> tuple[Any, tuple[str, int]]:
        return Deferred, self.pattern_args  # copied or pickled: deferred again

    def __repr__(self) -> str:
        pattern, flags = self.pattern_args
        return f"Deferred(re.compile({pattern[:40]!r}..., {flags}))"


@contextlib.contextmanager
def compiled_later(picked: Callable[[str], bool]) -> Iterator[None]:
    """Inside the block, re.compile leaves each pattern `picked` says yes to (a Deferred)."""
    compile_ = re.compile

    def deferring(pattern: Any, flags: int = 0) -> Any:
        if isinstance(pattern, str) and picked(pattern):
            return Deferred(pattern, flags)
        return compile_(pattern, flags)

    re.compile = deferring
    try:
        yield
    finally:
        re.compile = compile_


def import_yaml() -> None:
    """PyYAML, imported with its Reader.NON_PRINTABLE left to be compiled when used: a
    class of most of Unicode, 9 ms of a build's start. Only PyYAML's pure-Python reader
    uses it, which kitpress runs only to word a syntax error (libyaml reads the kit).
    Call before anything imports yaml (after, it does nothing)."""
    if "yaml" in sys.modules:
        return
    with compiled_later(lambda pattern: pattern.startswith(_NON_PRINTABLE)):
        import yaml  # noqa: F401
