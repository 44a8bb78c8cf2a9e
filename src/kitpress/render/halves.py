"""A long flowing handout's pages drawn half by each of two processes (issue 18).

With kit.pdf made in a forked child (build._halves), this process draws the handout's
own PDF and the child draws kit.pdf: the same page bodies, with other footers. Instead
of each drawing every body, each draws some and keeps them (render/replay.py's takes),
and the two swap what they kept:

- the child draws pages 1 to `split` into kit.pdf, and keeps them;
- this process draws the rest first, and keeps them, on a scratch canvas it never
  saves;
- each puts the other's takes on its own pages (replay.put_on, which gives each font
  and character its own PDF's name and code), and this process its own takes too.

The child takes the first pages, as it has more to do after the swap: kit.pdf's cover
and a longer structure tree to write. (The first pages are put on the handout's own PDF
as they are, most often: drawn first in both PDFs, their characters have the same
codes in both; the scratch canvas's never do.)

The files are the bytes that drawing every page makes. A take is put on only where
replay.py can say for certain what drawing would make, and only if its page drew
nothing for the first time that the PDF has drawn already (Tagger.repeats: a table
header repeated across the split); any other page is drawn. If either process fails
or is stopped, the other receives nothing and draws every page itself.

A take names the structure-tree nodes its drawing marked, and the marked flowables it
drew. The layout was made before the fork, so each of its objects has the same id in
both processes: they cross the pipe as ids, and only those the layout made (noted as
it was laid out: tagging.noting) and their nodes; a page that names anything else, or
made a link or a field, is drawn.
"""

from __future__ import annotations

import contextlib
import math
import os
import pickle
import select
import weakref
from collections.abc import Callable
from typing import Any

from reportlab.pdfgen.canvas import Canvas

from kitpress import interrupts
from kitpress.render.replay import Recorder, Take, put_on

# The share of the pages the child draws first: it also lays out kit.pdf's cover
# before them, and writes the larger file after
SHARE = 0.45
FEWEST = 8  # pages: a shorter handout is drawn whole by both
_WAIT = 0.1  # seconds between looks for a signal while waiting for the other process


class Halves:
    """Made before the fork for a handout laid out for both processes (`marks`: every
    marked flowable its layout made), with a pipe each way."""

    def __init__(self, pages: int, marks: list[Any]) -> None:
        self.split = math.ceil(pages * SHARE)
        self._parent = os.getpid()
        known: dict[int, Any] = {}
        for m in marks:
            known[id(m)] = m
            node = m.mark[0]
            while node is not None and id(node) not in known:
                known[id(node)] = node
                node = node.parent
        self._known = known
        self._down = os.pipe()  # to the child
        try:
            self._up = os.pipe()  # to the parent
        except OSError:
            os.close(self._down[0])
            os.close(self._down[1])
            raise
        self._open = {*self._down, *self._up}  # (each closed once: its number is reused)
        self._kept: Recorder | None = Recorder()
        self._kept.begin()
        self._theirs: dict[int, Take] | None = None

    @classmethod
    def of(cls, pages: int, marks: list[Any]) -> Halves | None:
        """A split for a handout of `pages`, if it is long enough and pipes are to be
        had (else each process draws every page, as without one)."""
        if pages < FEWEST:
            return None
        try:
            return cls(pages, marks)
        except OSError:
            return None

    def here(self) -> bool:
        """Whether this is the process that made the split (not its child)."""
        return os.getpid() == self._parent

    def forked(self, child: int) -> None:
        """In this process, once the child is forked (`child`: its pid, 0 if none was):
        the child's ends of the pipes are closed here, so that reading from the child
        ends when the child closes its end (or dies), not never."""
        self._close(self._down[0], self._up[1])
        if not child:
            self.close()

    @property
    def swapping(self) -> bool:
        """Whether there may be takes to swap: pipes still open here (none once no child
        was forked, or the swap is done)."""
        return bool(self._open)

    def close(self) -> None:
        """No more swapping: the other process receives nothing from here, and nothing
        is named any more (the layout is freed when it is done with, as without this)."""
        self._close(*self._down, *self._up)
        self._known = {}

    def draw(self, canvas: Canvas, number: int, body: Callable[[], None]) -> None:
        """Page `number`'s body on the child's PDF: drawn and kept up to `split`, then
        the other process's take of it where it can be put on."""
        if number <= self.split and self._kept is not None:
            self._kept.draw(canvas, number, body)
            return
        if self._theirs is None:
            mine, self._kept = self._kept.takes if self._kept else {}, None
            self._theirs = self.trade(mine)
        take = self._theirs.get(number)
        if take is None or not put_on(canvas, take):
            body()

    def trade(self, mine: dict[int, Take]) -> dict[int, Take]:
        """Send the other process this one's takes, and return its takes ({} if it sent
        none that can be read)."""
        if self.here():
            send, receive, unused = self._down[1], self._up[0], (self._down[0], self._up[1])
        else:
            send, receive, unused = self._up[1], self._down[0], (self._up[0], self._down[1])
        self._close(*unused)
        if send not in self._open or receive not in self._open:
            self.close()
            return {}  # the child was never forked
        try:
            data = pickle.dumps(self._named(mine), pickle.HIGHEST_PROTOCOL)
            got = _swap(send, receive, data, self._close)
        finally:
            self._close(send, receive)
        try:
            return self._found(pickle.loads(got)) if got else {}
        except Exception:  # noqa: BLE001 (cut short: the other process failed)
            return {}
        finally:
            self._known = {}  # the layout is freed when it is done with, as without this

    def _named(self, takes: dict[int, Take]) -> dict[int, tuple[Any, ...]]:
        sent = {}
        for number, take in takes.items():
            journal = []
            for what, value in take.journal:
                if what == "drawn":
                    value = value()
                elif what not in ("content", "place"):
                    break  # a link or a field: made again by what made it, here only
                if value is None or self._known.get(id(value)) is not value:
                    break
                journal.append((what, id(value)))
            else:
                sent[number] = (take.pieces, tuple(journal), take.fonts, take.codes)
        return sent

    def _found(self, sent: dict[int, tuple[Any, ...]]) -> dict[int, Take]:
        takes = {}
        for number, (pieces, named, fonts, codes) in sent.items():
            journal = []
            for what, key in named:
                value = self._known[key]
                journal.append((what, weakref.ref(value) if what == "drawn" else value))
            takes[number] = Take(pieces, tuple(journal), fonts, codes)
        return takes

    def _close(self, *fds: int) -> None:
        for fd in fds:
            if fd in self._open:
                self._open.discard(fd)
                with contextlib.suppress(OSError):
                    os.close(fd)


def _swap(send: int, receive: int, data: bytes, close: Callable[[int], None]) -> bytes:
    """Write `data` to `send` (then `close` it: the other process reads to its end)
    while reading `receive` to its end, so that neither process waits on a full pipe
    for the other; a signal is acted on as it comes."""
    os.set_blocking(send, False)
    view, got = memoryview(data), bytearray()
    poll = select.poll()
    poll.register(send, select.POLLOUT)
    poll.register(receive, select.POLLIN)
    sending, receiving = True, True
    while receiving or sending:
        if sending and not view:
            poll.unregister(send)
            close(send)
            sending = False
            continue
        events = poll.poll(_WAIT * 1000)
        interrupts.stop_if_asked()
        for fd, _ in events:
            if fd == send:
                try:
                    view = view[os.write(send, view[: 1 << 16]) :]
                except BlockingIOError:
                    pass
                except OSError:  # the other process is gone: it wants nothing more
                    view = view[:0]
            elif fd == receive:
                try:
                    chunk = os.read(receive, 1 << 20)
                except OSError:  # nothing more to be had: drawn here instead
                    got.clear()
                    chunk = b""
                if chunk:
                    got += chunk
                else:
                    poll.unregister(receive)
                    receiving = False
    return bytes(got)
