"""Writing outputs safely: a build's files appear all together or not at all, and a
failed or interrupted build never destroys the previous good ones."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TypeVar

from kitpress import interrupts
from kitpress.errors import Mark, OutputError, display_path

T = TypeVar("T")
# A build writes PDFs, text and web pages, never these: the kit's own files.
_PROTECTED = (".yaml", ".yml")


def check_out_dir(out_dir: Path, kit_dir: Path) -> None:
    """The output folder may not be the kit folder or hold it: people clear out and
    delete output folders, and the kit must not go with them. A folder inside the kit
    (kit/out) is fine: a build writes only .pdf and .txt files, and the web edition's
    pages, styles, scripts and fonts, never over YAML."""
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


def out_folder(out_dir: Path, kit_dir: Path, typed: bool = True) -> Path:
    """The real folder a build writes into, after refusing the links a kit can bring.

    A kit travels as a zip file or a shared folder, and either can hold symbolic
    links: `kit/out -> ../somewhere`, or `out -> ../victim` beside the kit. So the
    path to the output folder may not pass through a link inside the kit folder, and
    the output folder may be a link only when the person typed it with -o. The
    folders below it are checked as they are written (write_all)."""
    check_out_dir(out_dir, kit_dir)
    kit = kit_dir.resolve()
    here = Path(out_dir.anchor or Path.cwd())
    parts = out_dir.parts[1:] if out_dir.anchor else out_dir.parts
    for i, name in enumerate(parts):
        step = here / name
        if name == "..":
            here = here.parent
        elif step.is_symlink():
            if here == kit or kit in here.parents:
                raise OutputError(
                    "this is a link inside the kit folder; a build writes only into real "
                    "folders: delete the link, or give -o a folder outside the kit",
                    Mark(step),
                )
            if i == len(parts) - 1 and not typed:
                raise OutputError(
                    "the output folder is a link (a shared kit can bring one); delete it, or "
                    f"give -o {display_path(out_dir)} to write where it points",
                    Mark(out_dir),
                )
            here = step.resolve()
        elif name != ".":
            here = step
    return out_dir.resolve()


@dataclass(frozen=True)
class Staged:
    """A finished file already on disk in a staging folder on the same file system
    (a build of many facilities writes there as it goes): write_all renames it into
    place with the others, rather than writing bytes, and otherwise treats it like any
    other file."""

    path: Path


@dataclass(frozen=True)
class Beside:
    """A finished file already in its temporary file beside its target (written by
    Early as the build went): write_all renames it into place with the others."""

    temp: Path


class Early:
    """Where a build writes each file as soon as it is finished, so that a big build
    does not hold them all in memory (ten 201-page handouts and their kit.pdf are
    32 MB): each goes to a temporary file beside its target, named as write_all names
    its own, and write_all then moves them all into place together.

    Use it through `early_writes(root)`, which removes, whatever stops the build, every
    temporary file not moved into place and every folder made for it."""

    def __init__(self, root: Path, owner: int | None = None) -> None:
        self.root = root
        # whose process id names the temporary files: a forked child (forked.Child)
        # writes under its parent's, which a later build knows is still running
        self.owner = owner or os.getpid()
        self.temps: list[str] = []
        self.made: list[Path] = []  # folders made for the files, first first

    def folders(self, paths: Iterable[Path]) -> None:
        """Make the folders of these files now (absolute, inside root): before a child
        is forked, so that no two processes make one folder at once."""
        with interrupts.held():
            for folder in dict.fromkeys(path.parent for path in paths):
                _enter(folder, self.root, self.made)

    def adopt(self, other: Early) -> None:
        """Take on what another Early (a forked child's) made, to move into place or
        remove with this one's."""
        self.temps += other.temps
        self.made += other.made

    def sweep(self, folders: Iterable[Path]) -> None:
        """Remove the temporary files in these folders named for this Early's owner that
        it does not hold: those of a forked child killed outright (kill -9, the kernel
        out of memory) before it could remove them. The sweep of a later build would
        leave them while this process lives."""
        held = set(self.temps)

        def orphaned(m: re.Match[str], path: Path) -> bool:
            mine = int(m.group("pid")) == self.owner
            return mine and path.name.endswith(_TEMP) and str(path) not in held

        for folder in dict.fromkeys(folders):
            _remove_leftovers(folder, orphaned)

    def write(self, path: Path, fill: Callable[[BinaryIO], T]) -> tuple[Beside, T]:
        """A temporary file for `path` (absolute, inside root), filled by `fill` and
        made durable; what fill returns comes back with it."""
        _check_target(path)
        with interrupts.held():  # made and listed for removal in one step
            _enter(path.parent, self.root, self.made)
            fd, tmp = _new_temp(path, self.owner)
            self.temps.append(tmp)
        with _unlinked_on_failure(tmp, path), os.fdopen(fd, "wb") as f:
            interrupts.stop_if_asked()  # one that came while the file was made
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are for sharing
            out = fill(f)
            f.flush()
            os.fsync(f.fileno())
        return Beside(Path(tmp)), out

    def put(self, path: Path, data: bytes) -> Beside:
        """`data` written to a temporary file for `path`."""
        return self.write(path, lambda f: f.write(data))[0]

    def clean(self, written: bool) -> None:
        """Remove the temporary files not moved into place and, unless `written`, the
        folders made for them."""
        for tmp in self.temps:  # those moved into place are gone already
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if not written:
            for folder in reversed(self.made):  # a failed build leaves no new empty folders
                with contextlib.suppress(OSError):
                    folder.rmdir()


@contextlib.contextmanager
def early_writes(root: Path) -> Iterator[Early]:
    """An Early for a build into the real output folder `root`; when the block ends, its
    temporary files are gone (moved into place by write_all, or removed) and, unless
    the block ended normally, so are the folders it made. No signal cuts that short."""
    files = Early(root)
    written = False
    try:
        yield files
        written = True
    finally:
        with interrupts.held(keep=True):
            files.clean(written)
    interrupts.stop_if_asked()


def write_all(
    files: Sequence[tuple[Path, bytes | Staged | Beside]], root: Path | None = None
) -> None:
    """Write every file or none: each goes to a temporary file beside its target (a
    Staged file is already on disk, in its staging folder on the same file system), and
    only when all are on disk are they renamed into place, in one pass no signal can
    cut in two (Ctrl-C waits for its end, or stops the build before it begins). If a
    rename fails part-way (a file locked or owned by someone else), the files already
    replaced are put back as they were. Temporary files, backups and the folders made
    for a build that did not finish never outlive this call; those a killed build left
    (kill -9) are removed by the next one that writes in their folder.

    With `root` (the real output folder), every folder between it and a file must be
    a real folder, not a link, and a target that is a link is replaced, never followed.
    """
    names: dict[Path, set[str]] = {}  # each folder's files (an outreach run: thousands)
    for path, _ in files:
        _check_target(path)
        names.setdefault(path.parent, set()).add(path.name)
    folders = list(names)
    made: list[Path] = []
    temps: list[tuple[str, Path]] = []
    backups: dict[Path, str] = {}
    done = False
    with interrupts.held():
        interrupts.mark_written(False)
        try:
            for folder in folders:
                _enter(folder, root, made)
            for folder in folders:
                _remove_stale(folder, names[folder])
            for path, data in files:
                interrupts.stop_if_asked()
                temps.append((_write_temp(path, data), path))
            for _, path in temps:
                if os.path.lexists(path):
                    backups[path] = _backup(path)
            interrupts.stop_if_asked()  # the last moment a signal can still stop the build
            _replace_all(temps, backups)
            done = True
            interrupts.mark_written()
        finally:
            for leftover in [tmp for tmp, _ in temps] + list(backups.values()):
                with contextlib.suppress(OSError):
                    os.unlink(leftover)
            if not done:
                for folder in reversed(made):  # a failed build leaves no new empty folders
                    with contextlib.suppress(OSError):
                        folder.rmdir()
    interrupts.stop_if_asked()  # one that came while the files moved into place


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
    backup = str(path.with_name(f".{path.name}.{os.getpid()}{_BACKUP}"))
    with contextlib.suppress(FileNotFoundError):
        os.unlink(backup)
    try:
        os.link(path, backup, follow_symlinks=False)
    except OSError:
        try:
            shutil.copy2(path, backup, follow_symlinks=False)
        except OSError as e:
            raise OutputError(f"cannot write the file ({e.strerror})", Mark(path)) from None
    return backup


def _check_target(path: Path) -> None:
    if path.suffix.lower() in _PROTECTED:
        raise OutputError("a build never writes over a YAML file", Mark(path))
    try:
        is_dir = stat.S_ISDIR(os.lstat(path).st_mode)  # a link is replaced, so not looked into
    except FileNotFoundError:
        is_dir = False
    except OSError as e:  # a name too long for the file system, say
        raise _cannot(path, e) from None
    if is_dir:
        raise OutputError("a folder has this file's name; move or rename it", Mark(path))


def _enter(folder: Path, root: Path | None, made: list[Path]) -> None:
    """Make sure `folder` is there, making what is missing (and listing it in `made`,
    to take away again if the build fails). Below `root`, every folder on the way must
    be a real folder: a link there would send the files somewhere else."""
    below = root is not None and root in folder.parents
    _make_folders(root if root is not None and below else folder, made)
    if not below or root is None:
        return
    here = root
    for name in folder.relative_to(root).parts:
        here = here / name
        try:
            st = os.lstat(here)
        except FileNotFoundError:
            _make_folders(here, made)
            continue
        except OSError as e:
            raise _cannot(here, e) from None
        if stat.S_ISLNK(st.st_mode):
            raise OutputError(
                "this folder is a link; a build writes only into real folders inside the "
                "output folder: delete the link",
                Mark(here),
            )
        if not stat.S_ISDIR(st.st_mode):
            raise OutputError("a file has this folder's name; move or rename it", Mark(here))


def _make_folders(folder: Path, made: list[Path]) -> None:
    """mkdir -p, listing each folder it made."""
    missing = []
    for part in [folder, *folder.parents]:
        if os.path.lexists(part):
            break
        missing.append(part)
    try:
        for part in reversed(missing):
            part.mkdir()
            made.append(part)
        is_dir = folder.is_dir()
    except FileExistsError:
        is_dir = False
    except OSError as e:
        raise _cannot(folder, e, "cannot create the output folder") from None
    if not is_dir:
        raise OutputError("a file has this folder's name; move or rename it", Mark(folder))


def _cannot(path: Path, e: OSError, doing: str = "cannot write here") -> OutputError:
    """What stopped a write at `path`, said where it is: a file standing where a folder
    on the way should be is named itself (not the file to be written below it)."""
    if isinstance(e, NotADirectoryError):
        for up in reversed(path.parents):
            if os.path.lexists(up) and not up.is_dir():
                return OutputError("a file has this folder's name; move or rename it", Mark(up))
    if isinstance(e, PermissionError) or e.errno == errno.EROFS:
        return OutputError(
            f"{doing} ({e.strerror}); choose another output folder with -o", Mark(path)
        )
    return OutputError(f"{doing} ({e.strerror})", Mark(path))


# Temporary files and backups are named .<file>.<process id>.<…>: one whose process is
# gone was left by a build that was killed (kill -9), and the next build removes it.
_TEMP = ".tmp"
_BACKUP = ".bak"
_LEFTOVER = re.compile(
    r"^\.(?P<target>.+\.(?:pdf|txt|html|css|js|woff2))\.(?P<pid>\d+)"
    r"(?:\.[A-Za-z0-9_]{8}\.tmp|\.bak)$"
)


def _remove_stale(folder: Path, targets: set[str]) -> None:
    """Remove the temporary files and backups of `targets` (file names in `folder`) that
    a build which is no longer running left behind. Nothing else is touched."""

    def stale(m: re.Match[str], path: Path) -> bool:
        return m.group("target") in targets and not _alive(int(m.group("pid")))

    _remove_leftovers(folder, stale)


def _remove_leftovers(folder: Path, chosen: Callable[[re.Match[str], Path], bool]) -> None:
    """Remove the temporary files and backups in `folder` (regular files named as
    _LEFTOVER says) that `chosen` picks."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        m = _LEFTOVER.match(name)
        path = folder / name
        if m is None or not chosen(m, path):
            continue
        with contextlib.suppress(OSError):
            if stat.S_ISREG(os.lstat(path).st_mode):
                os.unlink(path)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's process, or not a process id we can ask about
    return True


def _new_temp(path: Path, owner: int | None = None) -> tuple[int, str]:
    """A new temporary file beside `path`, named so that a later build knows it
    (its process id, or its owner's) and removes it if this one is killed."""
    try:
        prefix = f".{path.name}.{owner or os.getpid()}."
        return tempfile.mkstemp(prefix=prefix, suffix=_TEMP, dir=path.parent)
    except OSError as e:
        raise OutputError(f"cannot write the file ({e.strerror})", Mark(path)) from None


def _write_temp(path: Path, data: bytes | Staged | Beside) -> str:
    if isinstance(data, Beside):
        return str(data.temp)
    if isinstance(data, Staged):  # renamed straight into place, with the others (made
        return str(data.path)  # by open(): already 0666 less the umask, for sharing)
    fd, tmp = _new_temp(path)
    with _unlinked_on_failure(tmp, path):
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are for sharing
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    return tmp


@contextlib.contextmanager
def _unlinked_on_failure(tmp: str, path: Path) -> Iterator[None]:
    """Whatever stops the work on a temporary file (an error, a signal) removes it;
    an OSError is said of the file it was for."""
    try:
        yield
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
