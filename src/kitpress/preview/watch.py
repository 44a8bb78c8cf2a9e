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

# What a build or an editor writes that cannot change the kit: PDFs and a build's
# temporary files (kit/out may be inside the kit folder), besides watchfiles' own list
# (editor swap and backup files, .git, …).
_IGNORED = (".pdf", ".tmp", ".bak")


class _KitFilter(watchfiles.DefaultFilter):
    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        return not path.endswith(_IGNORED) and super().__call__(change, path)


def _identity(root: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(root)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def follow(root: Path, changed: Callable[[], None], stop: threading.Event) -> None:
    """Call changed() after each batch of changes under root (and when root goes or
    comes back), until stop is set."""
    while not stop.is_set():
        start = _identity(root)
        if start is None:
            if stop.wait(0.5):
                return
            if _identity(root) is not None:
                changed()
            continue
        for batch in watchfiles.watch(
            root,
            watch_filter=_KitFilter(),
            step=50,  # a save is seen 50 ms after the last write of it
            rust_timeout=1000,  # and at least once a second, to see the folder go
            yield_on_timeout=True,
            stop_event=stop,
        ):
            now = _identity(root)
            if batch or now != start:
                changed()
            if now != start:
                break  # watch the folder that is there now, if any
