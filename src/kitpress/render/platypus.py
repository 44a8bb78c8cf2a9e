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
import sys

from kitpress.lazyre import Deferred, compiled_later

__all__ = ["Deferred", "import_platypus"]  # (Deferred: where the tests find it)

_URI_PAT = "(^(?:[a-z0-9\\.\\-\\+]*)://)"  # how uri_pat begins (ReportLab 4 and 5)
_CJK = "([\u2e80-\uffff])"  # textsplit.rx


def import_platypus() -> None:
    if "reportlab.platypus.paragraph" in sys.modules:
        return  # imported already: its patterns are compiled
    _lazy_pil_image()
    with compiled_later(lambda pattern: pattern.startswith(_URI_PAT) or pattern == _CJK):
        import reportlab.platypus.paragraph  # noqa: F401


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
