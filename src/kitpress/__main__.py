"""`python -m kitpress` and the `kitpress` command. The signal handlers go in before
Click and the rest are imported, so a Ctrl-C during start-up is handled like any other."""

from kitpress import interrupts


def main() -> None:
    interrupts.install()
    from kitpress.cli import main as run

    run()


if __name__ == "__main__":
    main()
