"""A progress bar on stderr for builds that take more than a moment; silent when
stderr is not a terminal (CI, pipes) or the user asked for quiet."""

from __future__ import annotations

import sys
import time

import click

DELAY = 0.5  # seconds before the bar appears: quick builds stay quiet


class Progress:
    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.start = time.monotonic()
        self.count = 0
        self.shown = False

    def step(self, label: str) -> None:
        self.count += 1
        if self.enabled and time.monotonic() - self.start >= DELAY:
            self.shown = True
            click.echo(f"\r\033[Kbuilding {self.count}: {label}", nl=False, err=True)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.shown:
            click.echo("\r\033[K", nl=False, err=True)
