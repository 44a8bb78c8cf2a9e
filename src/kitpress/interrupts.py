"""Ctrl-C (SIGINT), SIGTERM and SIGHUP: what a signal may stop, and what it must wait for.

The command installs one handler for the life of the process (`install`). The first
signal raises `Interrupted` where the program is, unless a section that must not be
cut in two is running (`held`: moving the finished files into place, cleaning up);
then it waits there, and the section asks `pending()` at its safe points. Later
signals are only counted, so the clean-up that follows the first one runs to its end.
Every signal is recorded before anything is raised, so one that library code swallows
or turns into another error is still acted on (`interruption`).
Each Interrupted says whether the build's files had already been written in full, so
the message the user reads is true whichever moment the signal came at.

Library callers that did not install the handler still get `held` sections: the
handler is put in place for the section and the previous one restored after it.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

from kitpress.errors import Interrupted

NAMES = ("SIGINT", "SIGTERM", "SIGHUP")
SIGNALS = tuple(getattr(signal, n) for n in NAMES if hasattr(signal, n))


class _State:
    def __init__(self) -> None:
        self.installed = False  # the handler is in place for the whole process
        self.holding = 0  # depth of held sections (+1 before a command begins, after it ends)
        self.received: list[int] = []  # signals that came, first first
        self.written = False  # the build's files are all in place


_state = _State()


def _on_signal(signum: int, frame: FrameType | None) -> None:
    _state.received.append(signum)
    if len(_state.received) == 1 and not _state.holding:
        raise Interrupted(signum, written=_state.written)


def install() -> None:
    """For the command line: take over the three signals for good. Signals are held
    until the command `begin`s, so none lands inside Click's own code."""
    if threading.current_thread() is not threading.main_thread():
        return
    _state.holding = 1
    for s in SIGNALS:
        signal.signal(s, _on_signal)
    _state.installed = True


def in_child() -> None:
    """For a forked child (forked.Child): SIGTERM, which its parent sends to stop it,
    raises Interrupted as the first signal does in a command, and waits out held
    sections. Of what was recorded (the child starts in its parent's held section)
    only a SIGTERM is the child's to act on: Ctrl-C and a hang-up are the parent's."""
    _state.received[:] = [s for s in _state.received if s == signal.SIGTERM]
    _state.holding = 0
    _state.installed = True
    signal.signal(signal.SIGTERM, _on_signal)


def begin() -> None:
    """A command starts its work: from here the first signal stops it (at once, if one
    came while the command line was being read)."""
    _state.written = False
    if not _state.installed:
        _state.received.clear()
        return
    _state.holding = 0
    stop_if_asked()


def finish() -> None:
    """The command has said everything, or is saying its last line: nothing is left to
    stop, so a late signal cannot cut that line short or turn a finished build into a
    traceback or a death by signal while Python exits. (Ignored, not just held: Python
    puts back the default action of every signal it handles as it shuts down.)"""
    _state.holding += 1
    if _state.installed:
        for s in SIGNALS:
            signal.signal(s, signal.SIG_IGN)


def pending() -> int | None:
    """The first signal that came and has not been acted on, if any."""
    return _state.received[0] if _state.received else None


def stop_if_asked() -> None:
    """Raise Interrupted now if a signal came (for the safe points of a held section)."""
    stop = interruption()
    if stop is not None:
        if not _state.installed:
            # a library caller may go on after it (a test run, a program of its own):
            # told now, the signal must not stop its next call as well
            _state.received.clear()
        raise stop


def interruption() -> Interrupted | None:
    """The Interrupted for the signal that came, if one did. Libraries do not all let a
    KeyboardInterrupt through: ReportLab has bare `except:` clauses that turn it into
    another error (a font "cannot be opened") or drop it. So whatever error ends a
    command, a signal that came first is what the user is told about."""
    signum = pending()
    return None if signum is None else Interrupted(signum, written=_state.written)


def mark_written(written: bool = True) -> None:
    """Every file of the build is in place (or, False: a new write is starting): an
    interruption from now on says so."""
    _state.written = written


@contextlib.contextmanager
def held(keep: bool = False) -> Iterator[None]:
    """A section no signal may cut in two. Signals wait; look at pending().

    For a library caller (no handler installed) a section starts with no signal
    recorded, unless `keep`: a clean-up while an interruption is on its way out must
    not forget the signal that caused it."""
    previous: dict[int, Any] = {}
    if not _state.installed and threading.current_thread() is threading.main_thread():
        if not keep:
            _state.received.clear()
        try:
            for s in SIGNALS:
                previous[s] = signal.signal(s, _on_signal)
        except BaseException:
            _restore(previous)
            raise
    _state.holding += 1
    try:
        yield
    finally:
        _state.holding -= 1
        _restore(previous)


def _restore(previous: dict[int, Any]) -> None:
    for s, handler in previous.items():
        signal.signal(s, handler)
