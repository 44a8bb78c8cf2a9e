"""The one error root. Every message names where the problem is and what to do.

Only the CLI prints these and exits; library code raises and never calls sys.exit.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Mark:
    """A place in a source file (1-based line and column)."""

    file: Path
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = display_path(self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where


@dataclass(frozen=True)
class Source:
    """Where a handout's content came from, so a renderer can point at one value
    (say, a card too long to fit) without knowing anything about YAML."""

    file: Path
    marks: dict = field(default_factory=dict, compare=False, hash=False)

    def at(self, key_path: tuple = ()) -> Mark:
        p = tuple(key_path)
        while p:
            if p in self.marks:
                return self.marks[p]
            p = p[:-1]
        return Mark(self.file)


def display_path(path: Path) -> str:
    """Paths relative to the working folder read best; fall back to the full path.
    Links are not followed: a message names the path in the kit, not where a link
    in it points."""
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


# Line breaks and other control characters, shown escaped: a message is one line.
_CONTROLS = {c: repr(chr(c))[1:-1] for c in [*range(32), 127, 0x85, 0x2028, 0x2029]}


def one_line(message: str) -> str:
    """Messages quote values from the kit; one holding a line break must not turn the
    one line into many."""
    return message.translate(_CONTROLS)


# A message quotes at most about this many characters of any one piece of input: a
# 100 KB key, or a line of a file a link pointed at, must not come out whole.
CLIP = 60


def clip(value: object, limit: int = CLIP) -> str:
    """A piece of the kit (a key, a name, some text) cut short for a message."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def listed(names: Iterable[object], limit: int = 8) -> str:
    """Names for a message, 'a, b, c': the first few and how many more (a layout may
    hold thousands of colours, a folder thousands of files)."""
    every = [str(n) for n in names]
    shown = ", ".join(clip(n, 40) for n in every[:limit])
    return shown if len(every) <= limit else f"{shown} and {len(every) - limit:,} more"


def quoted(value: object, limit: int = 40) -> str:
    """A value from the kit, quoted for a message and cut short if it is long."""
    text = str(value)
    return f"'{text[:limit]}…'" if len(text) > limit else f"'{text}'"


def format_key_path(path: tuple[str | int, ...]) -> str:
    """('sections', 1, 'items') -> 'sections[1].items' (each key cut short if long)."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + clip(part)
    return out


def problem_key(error: Exception) -> tuple[str, int, int, str]:
    """Problems listed together are sorted by file, then line and column."""
    mark = error.mark if isinstance(error, KitpressError) else None
    if mark is None:
        return ("", 0, 0, str(error))
    return (display_path(mark.file), mark.line or 0, mark.column or 0, str(error))


class Located(ValueError):
    """Raised by a schema's cross-field check to blame one key, not the whole mapping:
    Located(("styles", "body", "color"), "…") is reported at that key's line.

    `also`: the other keys the check involves, each with the message to give there. A
    kit layout that extends a bundled one sets only some keys; the one blamed is the
    first that the kit's own file sets, so the message never points into the bundled
    files."""

    def __init__(
        self,
        key_path: tuple[str | int, ...],
        message: str,
        also: tuple[tuple[tuple[str | int, ...], str], ...] = (),
    ) -> None:
        self.key_path = key_path
        self.message = message
        self.also = also
        super().__init__(message)


class KitpressError(Exception):
    """Bad input or a build that cannot go on. str(error) is the one-line message."""

    def __init__(
        self,
        message: str,
        mark: Mark | None = None,
        key_path: tuple[str | int, ...] = (),
    ) -> None:
        self.message = message
        self.mark = mark
        self.key_path = key_path
        # more problems found with this one (a file's other schema errors): `build`
        # stops at this one, `check` lists them all
        self.others: tuple[KitpressError, ...] = ()
        super().__init__(str(self))

    def every(self) -> list[KitpressError]:
        """This problem and the others found with it."""
        return [self, *self.others]

    def __str__(self) -> str:
        parts = []
        if self.mark is not None:
            parts.append(str(self.mark))
        if self.key_path:
            parts.append(format_key_path(self.key_path))
        parts.append(self.message)
        return one_line(": ".join(parts))


class InputError(KitpressError):
    """A kit, layout or font file that cannot be read or does not follow its schema."""


class FitError(KitpressError):
    """Text that does not fit where the layout puts it."""


class GlyphError(KitpressError):
    """A character that no bundled font can draw."""


class BadOption(InputError):
    """A command-line value only the kit shows to be wrong (--only a handout it does not
    have): the command line's mistake, so the CLI tells it as a usage error (exit 2),
    in Click's words: "Invalid value for '--only': …"."""

    def __init__(
        self,
        message: str,
        mark: Mark | None = None,
        key_path: tuple[str | int, ...] = (),
        option: str = "",
    ) -> None:
        super().__init__(message, mark, key_path)
        self.option = option


class OutputError(KitpressError):
    """An output file or folder that cannot be written."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C (SIGINT) or SIGTERM. `written`: it came while the finished files were
    being moved into place, so they were all written before it was acted on."""

    def __init__(self, signum: int | str = 2, written: bool = False) -> None:
        super().__init__()
        # ReportLab re-raises an error during layout as type(e)(its words and e's)
        # (reportlab.lib.utils.annotateException): then the argument is text, and which
        # signal came is known only to kitpress.interrupts (None here)
        self.signum = signum if isinstance(signum, int) else None
        self.written = written
