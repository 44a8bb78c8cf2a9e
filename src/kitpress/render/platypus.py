"""ReportLab's platypus, imported without compiling patterns kitpress never uses.

As it is imported, reportlab.platypus.paragraph compiles `uri_pat`, which finds web
addresses to break at their slashes when a paragraph is hyphenated. Its
case-insensitive letter ranges span most of Unicode, and compiling them takes 19 ms:
a tenth of kitpress's start-up, paid by every build. kitpress never hyphenates, so the
pattern is left to be compiled the first time it is used, if ever. So is
reportlab.lib.textsplit's `rx` (3 ms), which its CJK line wrapping uses.

ReportLab's utilities import PIL.Image as they are imported (12 ms, with its EXIF and
TIFF tag tables), though only drawing a bitmap uses it, and kitpress draws none: it is
loaded the first time something uses it (importlib's LazyLoader), if ever.

kitpress.render imports this module before any renderer imports platypus.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from typing import Any

_URI_PAT = "(^(?:[a-z0-9\\.\\-\\+]*)://)"  # how uri_pat begins (ReportLab 4 and 5)
_CJK = "([\u2e80-\uffff])"  # textsplit.rx


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


def import_platypus() -> None:
    if "reportlab.platypus.paragraph" in sys.modules:
        return  # imported already: its patterns are compiled
    _lazy_pil_image()
    compile_ = re.compile

    def deferring(pattern: Any, flags: int = 0) -> Any:
        if isinstance(pattern, str) and (pattern.startswith(_URI_PAT) or pattern == _CJK):
            return Deferred(pattern, flags)
        return compile_(pattern, flags)

    re.compile = deferring
    try:
        import reportlab.platypus.paragraph  # noqa: F401
    finally:
        re.compile = compile_


def _lazy_pil_image() -> None:
    """PIL.Image as a module that runs its code on first use (see the docstring above)."""
    if "PIL.Image" in sys.modules:
        return
    try:
        import PIL

        spec = importlib.util.find_spec("PIL.Image")
    except ImportError:  # no Pillow: ReportLab says so itself
        return
    if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["PIL.Image"] = module
    spec.loader.exec_module(module)  # lazily: runs on first attribute asked for
    setattr(PIL, "Image", module)  # noqa: B010 (as importing the submodule would)
