"""Writing outputs safely: a build's files appear all together or not at all, and a
failed or interrupted build never destroys the previous good ones."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from kitpress.errors import Interrupted, Mark, OutputError

# A build writes PDFs and text, never these: the kit's own files.
_PROTECTED = (".yaml", ".yml")


def check_out_dir(out_dir: Path, kit_dir: Path) -> None:
    """The output folder may not be the kit folder or hold it: people clear out and
    delete output folders, and the kit must not go with them. A folder inside the kit
    (kit/out) is fine: a build writes only .pdf and .txt files, never over YAML."""
    out, kit = out_dir.resolve(), kit_dir.resolve()
    if out == kit:
        raise OutputError(
            "the output folder is the kit folder; choose another with -o, like -o out",
            Mark(out_dir),
        )
    if out in kit.parents:
        raise OutputError(
            f"the output folder holds the kit folder ({kit.relative_to(out)}); choose one "
            "that does not, like -o out",
            Mark(out_dir),
        )


def write_all(files: list[tuple[Path, bytes]]) -> None:
    """Write every file or none: each goes to a temporary file beside its target, and
    only when all are on disk are they renamed into place, in one quick pass that
    Ctrl-C cannot cut in two. If a rename fails part-way (a file locked or owned by
    someone else), the files already replaced are put back as they were. Temporary
    files and backups never outlive this call."""
    for path, _ in files:
        _check_target(path)
    for path, _ in files:
        _make_folder(path.parent)
    temps: list[tuple[str, Path]] = []
    backups: dict[Path, str] = {}
    try:
        for path, data in files:
            temps.append((_write_temp(path, data), path))
        for _, path in temps:
            if path.exists():
                backups[path] = _backup(path)
        with _signals_held() as held:
            _replace_all(temps, backups)
        if held:  # acted on now that every file is in place
            raise Interrupted(held[0], written=True)
    finally:
        for leftover in [tmp for tmp, _ in temps] + list(backups.values()):
            with contextlib.suppress(OSError):
                os.unlink(leftover)


def _replace_all(temps: list[tuple[str, Path]], backups: dict[Path, str]) -> None:
    done: list[Path] = []
    try:
        for tmp, path in temps:
            os.replace(tmp, path)
            done.append(path)
    except OSError as e:
        failed = temps[len(done)][1]
        for path in reversed(done):  # undo: the previous files come back, new ones go
            with contextlib.suppress(OSError):
                if path in backups:
                    os.replace(backups.pop(path), path)
                else:
                    os.unlink(path)
        raise OutputError(
            f"cannot write the file ({e.strerror}); nothing was changed", Mark(failed)
        ) from None


def _backup(path: Path) -> str:
    """A second name for the current file (a hard link, else a copy), to restore it."""
    backup = str(path.with_name(f".{path.name}.{os.getpid()}.bak"))
    with contextlib.suppress(FileNotFoundError):
        os.unlink(backup)
    try:
        os.link(path, backup)
    except OSError:
        try:
            shutil.copy2(path, backup)
        except OSError as e:
            raise OutputError(f"cannot write the file ({e.strerror})", Mark(path)) from None
    return backup


def _check_target(path: Path) -> None:
    if path.suffix.lower() in _PROTECTED:
        raise OutputError("a build never writes over a YAML file", Mark(path))
    try:
        is_dir = path.is_dir()
    except OSError as e:  # a name too long for the file system, say
        raise OutputError(f"cannot write here ({e.strerror})", Mark(path)) from None
    if is_dir:
        raise OutputError("a folder has this file's name; move or rename it", Mark(path))


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"cannot create the output folder ({e.strerror})", Mark(folder)) from None


def _write_temp(path: Path, data: bytes) -> str:
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise OutputError(f"cannot write the file ({e.strerror})", Mark(path)) from None
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are for sharing
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError):
            raise OutputError(f"cannot write the file ({e.strerror})", Mark(path)) from None
        raise
    return tmp


@contextlib.contextmanager
def _signals_held() -> Iterator[list[int]]:
    """Hold Ctrl-C, SIGTERM and SIGHUP until the block ends; yield the list of those
    that came. (Only the main thread may set handlers; elsewhere nothing is held.)"""
    held: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield held
        return
    names = ("SIGINT", "SIGTERM", "SIGHUP")
    wanted = [getattr(signal, n) for n in names if hasattr(signal, n)]
    previous = {s: signal.signal(s, lambda signum, frame: held.append(signum)) for s in wanted}
    try:
        yield held
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
