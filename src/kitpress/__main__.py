"""`python -m kitpress` and the `kitpress` command. The signal handlers go in before
Click and the rest are imported, so a Ctrl-C during start-up is handled like any other."""

import gc
import os
import sys
import threading

from kitpress import exiting, interrupts, pydanticplugins


def main() -> None:
    # One command, then the process exits: Python's cycle collector would only walk
    # objects that are about to go anyway (on a 150-page build, collecting the drawn
    # pages was an eighth of the run). Reference counting still frees what is dropped.
    # `kitpress preview` runs for hours: it turns the collector back on.
    gc.disable()
    exiting.park_until_exit(True)  # what the build lets go of last, freed by the OS
    interrupts.install()
    pydanticplugins.turn_off()
    from kitpress.cli import main as run

    try:
        run()
    except SystemExit as done:  # how Click ends every command
        leave(done.code)
        raise
    finally:
        # Python collects once more at exit, even with the collector off, unless the
        # objects are frozen (moved out of its reach); the OS frees the memory anyway
        gc.freeze()


def leave(code: object) -> None:
    """End the process now with `code`, skipping Python's teardown: it frees every
    module and what each holds, one object at a time (17 ms after a 152-page build),
    memory the OS takes back at once. Returns, for the usual exit, where that could
    change what the process does: a code that is not a number (Python prints it), a
    thread still running (Python waits for it), a stream that does not flush (Python
    reports it)."""
    if code is not None and not isinstance(code, int):
        return
    if threading.active_count() > 1:
        return
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return
    os._exit(code or 0)


if __name__ == "__main__":
    main()
