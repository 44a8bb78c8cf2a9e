"""Writing outputs safely: a file appears whole or not at all, and a failed build never
destroys the previous good one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from kitpress.errors import Mark, OutputError


def write_atomic(path: Path, data: bytes) -> None:
    """Write data to path via a temporary file in the same folder and an atomic rename."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(
            f"cannot create the output folder ({e.strerror})", Mark(path.parent)
        ) from None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are for sharing
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError):
            raise OutputError(f"cannot write the file ({e.strerror})", Mark(path)) from None
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
