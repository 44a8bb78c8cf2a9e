"""`python -m kitpress` and the `kitpress` command. The signal handlers go in before
Click and the rest are imported, so a Ctrl-C during start-up is handled like any other."""

import gc

from kitpress import interrupts, pydanticplugins


def main() -> None:
    # One command, then the process exits: Python's cycle collector would only walk
    # objects that are about to go anyway (on a 150-page build, collecting the drawn
    # pages was an eighth of the run). Reference counting still frees what is dropped.
    # `kitpress preview` runs for hours: it turns the collector back on.
    gc.disable()
    interrupts.install()
    pydanticplugins.turn_off()
    from kitpress.cli import main as run

    try:
        run()
    finally:
        # Python collects once more at exit, even with the collector off, unless the
        # objects are frozen (moved out of its reach); the OS frees the memory anyway
        gc.freeze()


if __name__ == "__main__":
    main()
