from __future__ import annotations

import io

from kitpress import progress
from kitpress.progress import Progress


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_appears_on_a_terminal_after_a_moment(monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 0)
    term = FakeTerminal()
    with Progress(stream=term) as bar:
        bar.step("en/kit", 3, 4)
    out = term.getvalue()
    assert "[" + "#" * 12 + "-" * 12 + "] 3/4 en/kit" in out
    assert out.endswith("\r\033[K")  # the line is cleared when the build ends


def test_quiet_on_pipes_and_when_asked(monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 0)
    pipe = io.StringIO()
    Progress(stream=pipe).step("x", 1, 2)
    term = FakeTerminal()
    Progress(enabled=False, stream=term).step("x", 1, 2)
    assert pipe.getvalue() == term.getvalue() == ""


def test_quick_builds_show_nothing():
    term = FakeTerminal()
    Progress(stream=term).step("x", 1, 2)  # well under the delay
    assert term.getvalue() == ""


def test_finished_pieces_fill_the_bar_and_give_the_time_left(monkeypatch):
    clock = iter([100.0, 130.0, 190.0])  # started; 30 s for 1 of 4; 90 s for 3 of 4
    monkeypatch.setattr(progress.time, "monotonic", lambda: next(clock))
    term = FakeTerminal()
    with Progress(stream=term) as bar:
        bar.finished("north-ridge", 1, 4)
        bar.finished("riverbend", 3, 4)
    shown = term.getvalue().split("\r\033[K")
    assert shown[1] == "[" + "#" * 6 + "-" * 18 + "] 1/4 about 1 min 30 s left (north-ridge)"
    assert shown[2] == "[" + "#" * 18 + "-" * 6 + "] 3/4 about 30 s left (riverbend)"


def test_durations_read_naturally():
    assert [progress._duration(s) for s in (0.2, 59.4, 125, 3725)] == [
        "1 s",
        "59 s",
        "2 min 05 s",
        "1 h 02 min",
    ]
