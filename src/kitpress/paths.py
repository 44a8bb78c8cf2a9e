"""Where the bundled kit, layouts and fonts live: inside the installed package, or at
the top of a source checkout when running from one."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """The bundled folder `name` ('kit', 'layouts' or 'fonts')."""
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent.parent / name
