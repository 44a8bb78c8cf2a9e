"""`kitpress preview` run as a person runs it, in its own process, for the tests."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
WAIT = 60.0  # seconds to wait for something that takes well under one on a quiet machine


class Preview:
    """`python -m kitpress preview ARGS --no-open` in `cwd` (without --no-open when
    `open_browser`; `env` added to the environment), with its output read as it comes.
    The address it prints is `url`."""

    def __init__(
        self, cwd: Path, *args: str, open_browser: bool = False, env: dict[str, str] | None = None
    ) -> None:
        env = {**os.environ, **(env or {})}
        env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]).rstrip(
            os.pathsep
        )
        env["PYTHONUNBUFFERED"] = "1"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kitpress", "preview", *args]
            + ([] if open_browser else ["--no-open"]),
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        try:
            first = self.wait_for(r"http://127\.0\.0\.1:\d+/")
        except BaseException:  # never leave it running
            self.process.kill()
            self.process.wait()
            raise
        self.url = re.search(r"http://127\.0\.0\.1:\d+/", first).group(0)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern: str) -> str:
        """The next line of its output that matches pattern."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None and self.lines.empty():
                    break
                continue
            self.seen.append(line)
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no line matching {pattern!r}; it printed: {self.seen}")

    def stop(self) -> int:
        """Stop it as a kill does (SIGTERM), and return its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=WAIT)
        finally:
            if self.process.poll() is None:
                self.process.kill()
