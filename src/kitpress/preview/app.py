"""`kitpress preview`, run: build the kit once, serve the page, open the browser, and
update the page after every save until Ctrl-C."""

from __future__ import annotations

import os
import sys
import threading
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path

from kitpress.kit import MANIFEST, load_kit
from kitpress.options import Options
from kitpress.placeholders import Texts
from kitpress.preview.live import Live, Snapshot
from kitpress.preview.server import PreviewServer
from kitpress.preview.watch import follow

Say = Callable[[str], None]


def serve(root: Path, options: Options, port: int = 0) -> tuple[Live, PreviewServer]:
    """The kit built once and a server answering for it (not yet started). OSError
    when the port cannot be had; KitpressError when root is no kit folder at all (a
    mistyped name), while a kit that has problems is shown with them."""
    if not (root / MANIFEST).is_file():
        load_kit(root)  # raises: what is wrong with the folder, and what to do
    live = Live(root, options)
    snapshot = live.update()
    return live, PreviewServer(snapshot, port)


def run(live: Live, server: PreviewServer, say: Say, open_browser: bool) -> None:
    """Serve until Ctrl-C (KeyboardInterrupt), following the kit folder."""
    stop = threading.Event()
    server.start()
    say(f"kitpress preview: {server.url}")
    if live.name.startswith("the example kit"):
        say(f"  showing {live.name}; to write your own, stop this (Ctrl-C), run")
        say("  `kitpress init` to copy it to ./kit, and run `kitpress preview` again")
    else:
        say(f"  showing the kit in {live.name}/, following every save to it; Ctrl-C stops it")
    first = Texts.first(live.root).row
    if first is not None:
        say(
            f"  each facility has its own kit: this shows the first one's, '{first.id}' "
            "(kitpress build --facility all builds them all)"
        )
    report(live.snapshot, say)
    if open_browser:
        open_page(server.url, say)

    def changed() -> None:
        server.busy()
        # the handouts first, then kit.pdf and its cover
        server.show(live.update(early=server.show))
        report(live.snapshot, say)

    try:
        follow(live.root, changed, stop)
    finally:
        stop.set()
        server.stop()


def open_page(url: str, say: Say) -> None:
    """Open the page in the person's browser. Not on a Linux machine with no desktop
    (over ssh, say): Python would open a text browser there, in this very terminal."""
    desktop = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    if sys.platform.startswith("linux") and not desktop:
        say("  (no desktop here to open a browser on: open the address in yours)")
        return
    # some systems take a moment to start a browser: do not wait for it
    threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()


def report(snap: Snapshot, say: Say) -> None:
    """One line per update in the terminal, and each problem under it."""
    clock = time.strftime("%H:%M:%S", time.localtime(snap.when))
    n = len(snap.issues)
    problems = "no problems" if n == 0 else f"{n} problem{'s' if n > 1 else ''}:"
    say(f"{clock} updated in {snap.seconds:.2f} s: {problems}")
    for issue in snap.issues:
        say(f"  {issue.text}")
