"""A kit's YAML files parsed in a forked child while `kitpress build` (or `check`)
imports ReportLab and pydantic: a third of a second in which the second core has
nothing to do (issue 18).

The child reads and parses the kit's own YAML files (kit.yaml, then the others in the
kit folder and its folders, and the bundled layouts, smallest first, up to BUDGET
bytes) and hands back each one that parsed, with the text it parsed. yamlio.load_yaml
still reads every file itself, with all its checks, and takes the child's document only
for the very text it read: a file changed, added or broken in between is parsed as it
is without the child, so every result and every error is the one a build without the
child gives. The child is a guess; what it costs this process is the unpickling of what
it sends (a sixth of the parse it saves), and a wait only if the child has more to
parse than the imports take, which BUDGET keeps short and WAIT bounds.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from kitpress import forked, interrupts, yamlio
from kitpress.paths import MANIFEST, bundled, named_kit

# At most this much YAML is parsed ahead: about what parses while the libraries import
# (a 150-page checklist is 245 kB; a 10,000-card deck is parsed in this process).
BUDGET = 1 << 20
MAX_FILES = 256
MAX_FOLDERS = 32
NAME = "kitpress-read"  # the child's process name (what ps and top show)
# what the pipe holds at once: the child writes what it parsed and ends, unwaited for
PIPE = 1 << 20  # (Linux's limit for a user's pipe)
# The longest this process waits for the child once it needs the kit; then it parses
# the kit itself. The child's work is bounded (BUDGET; each file's values, yamlio), but
# it also reads files the build may never open: one on a mount that hangs, or many
# files dense with values, must not hold a build up that would not wait for them.
WAIT = 1.0
# read only with --facility, which is not parsed ahead (facilities.YAML: not imported
# here, it needs pydantic); an outreach kit's file can be most of the budget
UNREAD = frozenset({"facilities.yaml"})

Parsed = dict[Path, tuple[str, yamlio.YamlDoc]]


class Prefetch:
    """The child at work, from the start of a build until `used` or `stop`."""

    def __init__(self, root: Path | None) -> None:
        self._child: forked.Child[Parsed] | None = None
        if root is None or not forked.usable():
            return
        files = _candidates(root)
        if not files:
            return
        with interrupts.held():  # listed here as it is forked (forked.Child)
            self._child = forked.Child(lambda: _parse(files), lambda: None, NAME, PIPE)
        try:
            interrupts.stop_if_asked()
        except BaseException:  # started() never had this Prefetch to stop
            self.stop()
            raise

    @contextlib.contextmanager
    def used(self) -> Iterator[None]:
        """Inside the block, load_yaml takes each file the child parsed (if the file
        still holds that text)."""
        # forgotten only once heard from: a signal that cuts the waiting short leaves
        # the child to stop()
        got = self._child.result(WAIT) if self._child is not None else None
        self._child = None
        with yamlio.parsed_ahead(got or {}):
            yield

    def stop(self) -> None:
        """End the child if it is still at work (the build failed before `used`, or a
        signal cut its waiting short)."""
        child, self._child = self._child, None
        if child is not None:
            child.stop()


@contextlib.contextmanager
def started(given: Path | None, wanted: bool) -> Iterator[Prefetch]:
    """A Prefetch of the kit `kitpress build` will find from `given` (kit.find_kit_dir;
    a guess: whatever that finds or says is what the build goes on with), if `wanted`.
    The child is stopped, if still at work, when the block ends."""
    root = (named_kit(given) or bundled("kit")) if wanted else None
    ahead = Prefetch(root)
    try:
        yield ahead
    finally:
        ahead.stop()


def _candidates(root: Path) -> list[Path]:
    """kit.yaml, then the kit's other YAML files (in it and in its folders, not
    through links) and the bundled layouts, smallest first, as many as fit in BUDGET.
    None for a folder without kit.yaml: that build stops with an error, or is no kit's."""
    manifest = root / MANIFEST
    sized: list[tuple[bool, int, Path]] = []
    try:
        if not manifest.is_file():
            return []
        folders = [root]
        with os.scandir(root) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False) and not entry.name.startswith("."):
                    folders.append(root / entry.name)
        folders = [*sorted(folders)[: MAX_FOLDERS + 1], bundled("layouts")]
        for folder in folders:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name.endswith(".yaml") and entry.is_file(follow_symlinks=False):
                        path = folder / entry.name
                        if folder == root and entry.name in UNREAD:
                            continue
                        size = entry.stat(follow_symlinks=False).st_size
                        sized.append((path != manifest, size, path))
    except OSError:  # whatever the build meets there, it meets and says itself
        return []
    chosen, total = [], 0
    for _, size, path in sorted(sized)[:MAX_FILES]:
        total += size
        if total > BUDGET:
            break
        chosen.append(path)
    return chosen


def _parse(files: list[Path]) -> Parsed:
    """In the child: each file that reads and parses, with the text it was parsed from."""
    parsed = {}
    for path in files:
        try:
            text = yamlio.read_text(path)
            parsed[path] = (text, yamlio.parse_text(path, text))
        except Exception:  # noqa: BLE001, S112 (the build meets it and says it itself)
            continue
    return parsed
