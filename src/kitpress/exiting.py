"""What a build lets go of last, left for the process's exit to take back.

A command ends with os._exit (__main__.leave), and the OS takes the process's memory
back at once. What the build lets go of before that is freed object by object: the
layout of a 152-page checklist, let go of as its PDF is written, took 30 ms, the last
2% of the build, with nothing left to use the memory. `park` keeps such an object to
the exit instead.

Only a process that makes one build and ends parks (__main__.main turns it on; a forked
child inherits it). The preview, which runs for hours, and a build per facility, one
kit after another, turn it off: there what is parked would outlive the collection that
follows each kit (outreach.py). At most one object is parked (parking another frees
the one before), and only where nothing after it in the process needs the memory: a
layout kept through kit.pdf's save would raise a long kit's peak (build._make_handout).
"""

_parked: list[object] = [None]
_on = False


def park_until_exit(on: bool) -> None:
    """Turn parking on (this process ends with its command) or off (freeing what it holds)."""
    global _on
    _on = on
    if not on:
        _parked[0] = None


def park(obj: object) -> None:
    """Let go of `obj`, its last use done: freed now, or, where parking is on, at exit."""
    if _on:
        _parked[0] = obj


def unpark() -> None:
    """Free what is parked now: this process has more to make after all."""
    _parked[0] = None
