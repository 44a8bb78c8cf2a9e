"""A progress bar on stderr for builds that take more than a moment; silent when
stderr is not a terminal (CI, pipes) or the user asked for quiet."""

from __future__ import annotations

import sys
import time
from typing import TextIO

DELAY = 0.5  # seconds before the bar appears: quick builds stay quiet
WIDTH = 24


class Progress:
    def __init__(self, enabled: bool = True, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.start = time.monotonic()
        self.shown = False

    def step(self, label: str, done: int, total: int) -> None:
        """Called as each piece starts: `done` of `total`, working on `label`."""
        if not self.enabled or time.monotonic() - self.start < DELAY:
            return
        filled = WIDTH * (done - 1) // max(total, 1)
        bar = "#" * filled + "-" * (WIDTH - filled)
        self.stream.write(f"\r\033[K[{bar}] {done}/{total} {label}")
        self.stream.flush()
        self.shown = True

    def finished(self, label: str, done: int, total: int) -> None:
        """Called as each of `total` pieces ends (`done` so far, `label` the last):
        a bar of the finished ones and, from their pace, the time left."""
        elapsed = time.monotonic() - self.start
        if not self.enabled or elapsed < DELAY:
            return
        filled = WIDTH * done // max(total, 1)
        bar = "#" * filled + "-" * (WIDTH - filled)
        left = elapsed / max(done, 1) * (total - done)
        eta = f" about {_duration(left)} left" if done < total else ""
        self.stream.write(f"\r\033[K[{bar}] {done}/{total}{eta} ({label})")
        self.stream.flush()
        self.shown = True

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()


def _duration(seconds: float) -> str:
    """5 s, 2 min 05 s, 1 h 03 min: precise enough to plan a coffee by."""
    s = max(1, round(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"
