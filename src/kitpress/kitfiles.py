"""What kitpress may read in a kit folder. Groups pass kits around as zip files and
shared folders, so a kit is untrusted input: it may hold symbolic links to files
elsewhere on the machine (kit/en/checklist.yaml -> /home/me/taxes.txt), FIFOs that
would block a read forever, or devices. kitpress reads only plain files and folders
that are inside the kit folder, following a link only when it stays inside; anything
else is refused with one line naming the path in the kit (never the link's target)."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Literal

from kitpress.errors import InputError, Mark

Entry = Literal["file", "folder", "missing"]


def look(path: Path, kit: Path) -> Entry:
    """What is at `path` inside the kit folder `kit`: a plain file, a folder, or
    nothing. Raises InputError for a link that leads out of the kit (or in a circle,
    or nowhere) and for anything that is not a plain file or a folder."""
    try:
        own = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return "missing"
    except OSError as e:
        raise InputError(f"cannot read this ({e.strerror})", Mark(path)) from None
    what = "folder" if _is_folder_path(path, own) else "file"
    try:
        real = path.resolve(strict=True)
        kit_real = kit.resolve(strict=True)
    except FileNotFoundError:
        raise InputError(
            f"this is a link to a {what} that is not there; put the {what} itself here",
            Mark(path),
        ) from None
    except (OSError, RuntimeError):  # a link that leads back to itself
        raise InputError(
            f"this is a link that leads in a circle; put the {what} itself here", Mark(path)
        ) from None
    if real != kit_real and kit_real not in real.parents:
        raise InputError(
            f"this is a link to a {what} outside the kit folder; kitpress reads only what "
            f"is inside the kit: put the {what} itself here",
            Mark(path),
        )
    mode = os.stat(real).st_mode
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISREG(mode):
        return "file"
    raise InputError(
        f"this is {special(mode)}, not a file; kitpress reads only plain files: put the "
        f"{file_kind(path)} itself here",
        Mark(path),
    )


def file_kind(path: Path) -> str:
    """'CSV file' or 'YAML file', as a message asks for the file at `path`."""
    return "CSV file" if path.suffix.lower() == ".csv" else "YAML file"


def special(mode: int) -> str:
    """'a FIFO (named pipe)', 'a device', … for a mode that is neither file nor folder."""
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _is_folder_path(path: Path, own: os.stat_result) -> bool:
    if not stat.S_ISLNK(own.st_mode):
        return stat.S_ISDIR(own.st_mode)
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:
        return False
