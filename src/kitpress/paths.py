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


def misnamed(expected: Path) -> Path | None:
    """The file a user probably meant when `expected` is missing: saved as .yml, given
    a hidden .txt by a Windows editor, or named in other capitals (Kit.yaml)."""
    folder = expected.parent
    if not folder.is_dir():
        return None
    near = {expected.name.lower(), f"{expected.stem.lower()}.yml", f"{expected.name.lower()}.txt"}
    for path in sorted(folder.iterdir()):
        if path.name != expected.name and path.name.lower() in near and path.is_file():
            return path
    return None
