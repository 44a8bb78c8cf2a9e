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
