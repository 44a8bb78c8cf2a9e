"""Following the kit folder: a call after every batch of changes to it.

watchfiles stops hearing a folder that is deleted and made again, so the watch is
started afresh whenever the kit folder is no longer the one it started on (deleted,
renamed away, or another folder renamed into its place), and while there is no kit
folder it is looked for twice a second.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import watchfiles

from kitpress import interrupts

# What a build or an editor writes that cannot change the kit: PDFs and a build's
# temporary files (kit/out may be inside the kit folder), besides watchfiles' own list
# (editor swap and backup files, .git, …).
_IGNORED = (".pdf", ".tmp", ".bak")


class _KitFilter(watchfiles.DefaultFilter):
    def __init__(self, root: str) -> None:
        super().__init__()
        self.root = root

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        # judged inside the kit folder only: a kit kept under, say, a .venv folder is
        # still followed
        inside = os.path.relpath(path, self.root)
        return not path.endswith(_IGNORED) and super().__call__(change, inside)


def _identity(root: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(root)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def follow(root: Path, changed: Callable[[], None], stop: threading.Event) -> None:
    """Call changed() after each batch of changes under root, and whenever root is no
    longer the folder it was (gone, or another in its place), until stop is set."""
    seen = _identity(root)  # the folder the last update was made from
    while not stop.is_set():
        # a Ctrl-C or SIGTERM that library code swallowed during an update (ReportLab
        # has bare `except:` clauses) was only recorded: act on it here
        interrupts.stop_if_asked()
        now = _identity(root)
        if now != seen:
            changed()
            seen = now
        if now is None:  # no kit folder: look again shortly
            if stop.wait(0.5):
                return
            continue
        where = os.path.abspath(root)
        for batch in watchfiles.watch(
            root,
            watch_filter=_KitFilter(where),
            step=50,  # a save is seen 50 ms after the last write of it
            rust_timeout=1000,  # and at least once a second, to see the folder go
            yield_on_timeout=True,
            stop_event=stop,
        ):
            interrupts.stop_if_asked()  # (and at least once a second)
            if batch:
                # which folder this update is made from, taken before the call: a folder
                # put in place while it runs is then a change the next look sees
                seen = _identity(root)
                changed()
            # the folder itself deleted (a new one may have its inode), or another
            # renamed into its place: watch the folder that is there now, if any
            gone = {os.path.abspath(p) for c, p in batch if c == watchfiles.Change.deleted}
            if where in gone or _identity(root) != now:
                break
