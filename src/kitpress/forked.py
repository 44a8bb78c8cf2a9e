"""Work done in a forked copy of this process, which starts with every module imported
and the kit loaded: a build's parts side by side (build.make: its languages, and each
one's kit.pdf beside its handouts), and the workers of an outreach run (outreach.py).

A Child runs one piece of work and hands back what it returned, pickled, through a
pipe. Whatever goes wrong in it (an error, a signal, a death) comes back as no result,
never as a half one: its caller then does that work itself, so an error reads exactly
as it would have in one process. A child cleans up after itself (its `cleanup`) on any
failure, including the SIGTERM its parent sends to stop it.

Fork is used only where it is safe: not on Windows (there is none), not on macOS (a
forked process may crash in system libraries), and not while this process runs other
threads (a lock one of them held would stay held in the copy for good).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from kitpress import interrupts

T = TypeVar("T")


def default_jobs() -> int:
    """Processes to work in at once when the user does not say: one per CPU we may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def usable() -> bool:
    """Whether work may be forked here, now (see the module's docstring)."""
    return hasattr(os, "fork") and sys.platform != "darwin" and threading.active_count() == 1


def die_with(parent: int) -> None:
    """A child whose parent is killed outright (kill -9, no clean-up) must not go on
    working for nobody: on Linux the kernel sends it SIGTERM when the parent dies."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the child finishes its work
        return
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


class Child(Generic[T]):
    """`work()` run in a forked child. `result()` waits for it and gives what work
    returned, or None if the child failed; `stop()` ends it first if it is still at
    work. A child is stopped only by its parent: Ctrl-C and a hang-up are the parent's
    to act on, and it then stops its children.

    Make one inside interrupts.held(), and list it there: a signal that came between
    the fork and the listing would leave a child no one stops or waits for, and one
    that reached the child before its handlers were set would run its parent's code
    on in it."""

    def __init__(
        self,
        work: Callable[[], T],
        cleanup: Callable[[], None],
        name: str | None = None,
        room: int = 0,
    ) -> None:
        """`name`: the child's process name (Linux: what ps and top show), if not ours.
        `room`: bytes of its result the pipe holds at once (Linux; else the system's
        64 kB), so that a child with a large result writes it and ends without waiting
        for this process to read it; every such pipe counts against the user's limit."""
        parent = os.getpid()
        self.pid = 0
        self._pipe: int | None = None
        self._data = bytearray()
        self._result: T | None = None
        self._ended = True  # until there is a child to wait for
        try:
            read, write = os.pipe()
        except OSError:  # no file to be had: the caller does the work
            return
        if room:
            with contextlib.suppress(OSError, AttributeError):  # (Linux only)
                import fcntl

                fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, room)
        try:
            with _named(name):
                pid = os.fork()
        except OSError:  # no process to be had (a limit, memory): the caller does the work
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # the child: never returns
            os.close(read)
            _child(work, cleanup, write, parent)
        os.close(write)
        self.pid, self._pipe, self._ended = pid, read, False

    def result(self, within: float | None = None) -> T | None:
        """What the work returned, once the child has ended; None if it failed, or
        (then stopped) if it had not ended `within` seconds. A signal may cut the
        waiting short (then stop() goes on), but never between a read and its
        keeping, or a wait and its noting."""
        end = None if within is None else time.monotonic() + within
        while self._pipe is not None:
            left = None if end is None else max(0.0, end - time.monotonic())
            if not _wait_readable(self._pipe, left):  # (what a signal cuts short)
                self.stop()
                return None
            with interrupts.held(keep=True):
                self._read()
            interrupts.stop_if_asked()
        with interrupts.held(keep=True):
            self._reap()
        interrupts.stop_if_asked()
        return self._result

    def stop(self) -> T | None:
        """Stop the child if it is still at work, and wait for it to end: its result
        if it had finished (what it made must then be cleaned up by the caller)."""
        with interrupts.held(keep=True):  # no second Ctrl-C cuts the waiting short
            if not self._ended:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGTERM)
            while self._pipe is not None:
                self._read()
            self._reap()
        return self._result

    def _read(self) -> None:
        assert self._pipe is not None
        chunk = os.read(self._pipe, 1 << 20)
        self._data += chunk
        if not chunk:
            os.close(self._pipe)
            self._pipe = None

    def _reap(self) -> None:
        if self._ended:
            return
        _, status = os.waitpid(self.pid, 0)
        self._ended = True
        if os.waitstatus_to_exitcode(status) == 0:
            with contextlib.suppress(Exception):  # a payload cut short: no result
                self._result = pickle.loads(self._data)
        self._data = bytearray()


@contextlib.contextmanager
def _named(name: str | None) -> Iterator[None]:
    """This process named `name` for the block, so that a child forked in it is born
    with that name: never seen, even for a moment, under its parent's. Linux only."""
    comm = "/proc/self/comm"  # (the main thread's: forks are made only there, usable())
    old, me = None, os.getpid()
    if name is not None:
        with contextlib.suppress(OSError):
            with open(comm, "rb") as f:
                old = f.read().rstrip(b"\n")
            with open(comm, "wb") as f:
                f.write(name.encode()[:15])  # (the kernel keeps 15 bytes)
    try:
        yield
    finally:
        if old is not None and os.getpid() == me:  # not in the child
            with contextlib.suppress(OSError), open(comm, "wb") as f:
                f.write(old)


def _wait_readable(fd: int, within: float | None = None) -> bool:
    """Whether fd has something to read (or has closed) before `within` seconds pass."""
    poll = select.poll()
    poll.register(fd, select.POLLIN)
    return bool(poll.poll(None if within is None else within * 1000))


def _child(work: Callable[[], T], cleanup: Callable[[], None], pipe: int, parent: int) -> None:
    code = 1
    try:
        for s in (signal.SIGINT, getattr(signal, "SIGHUP", None)):
            if s is not None:
                signal.signal(s, signal.SIG_IGN)
        interrupts.in_child()  # SIGTERM stops the work at a safe point, as Ctrl-C would
        die_with(parent)
        interrupts.stop_if_asked()  # a SIGTERM that came before the line above
        data = pickle.dumps(work(), pickle.HIGHEST_PROTOCOL)
        interrupts.stop_if_asked()  # a SIGTERM some library code swallowed
        view = memoryview(data)
        while view:
            view = view[os.write(pipe, view) :]
        code = 0
    except BaseException:  # noqa: BLE001 (any failure: the parent does the work itself)
        code = 1
        with contextlib.suppress(BaseException):
            cleanup()
    finally:
        os._exit(code)  # never back into the parent's code (a test run, Click)
