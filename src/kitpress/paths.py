"""Where the bundled kit, layouts and fonts live: inside the installed package, or at
the top of a source checkout when running from one."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
MANIFEST = "kit.yaml"


def bundled(name: str) -> Path:
    """The bundled folder `name` ('kit', 'layouts' or 'fonts')."""
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent.parent / name


def named_kit(given: Path | None) -> Path | None:
    """The kit folder `given` names (or the folder of the kit.yaml it names); with none
    given, this folder if it holds kit.yaml, else ./kit if it does. None: no kit is
    named or here (kit.find_kit_dir then says what is wrong, or takes the example)."""
    if given is not None:
        # `kitpress build kit/kit.yaml` can only mean that kit
        return given.parent if given.name == MANIFEST and given.is_file() else given
    if Path(MANIFEST).is_file():
        return Path(".")
    local = Path("kit")
    return local if (local / MANIFEST).is_file() else None


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
