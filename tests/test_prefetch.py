"""The kit's YAML parsed in a forked child while `kitpress build` imports its libraries
(prefetch.py): each file is taken from the child only if it still holds the text the
child parsed, so the files, the messages and the errors are those of a build without
it; the child reads nothing through a link and nothing past its budget, and never
outlives the command."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kitpress import facilities, forked, prefetch, yamlio
from kitpress.cli import cli
from kitpress.errors import InputError
from kitpress.kit import load_kit
from tests.test_forked import files

pytestmark = pytest.mark.skipif(not forked.usable(), reason="no fork here (Windows, macOS)")


@pytest.fixture
def parsed_here(monkeypatch):
    """Each file this process (not a child) parsed, in turn."""
    here = os.getpid()
    seen: list[Path] = []
    real = yamlio.parse_text

    def recorded(path: Path, text: str) -> yamlio.YamlDoc:
        if os.getpid() == here:  # (a child would only add to its own copy)
            seen.append(path)
        return real(path, text)

    monkeypatch.setattr(yamlio, "parse_text", recorded)
    return seen


def parsed_ahead(kit: Path, tmp_path: Path, monkeypatch) -> prefetch.Prefetch:
    """A Prefetch of `kit` that has parsed its files (and waits to be heard from)."""
    done = tmp_path / "parsed"
    real = prefetch._parse

    def parse(files: list[Path]) -> prefetch.Parsed:
        parsed = real(files)
        done.touch()  # in the child, when all are parsed
        return parsed

    monkeypatch.setattr(prefetch, "_parse", parse)
    ahead = prefetch.Prefetch(kit)
    deadline = time.monotonic() + 30
    while not done.exists():
        assert time.monotonic() < deadline, "the child did not parse the kit"
        time.sleep(0.01)
    return ahead


def kit_files(root: Path) -> set[Path]:
    return set(root.rglob("*.yaml"))


def build(kit: Path, out: Path, *more: str) -> str:
    result = CliRunner().invoke(cli, ["build", str(kit), "-o", str(out), "-q", *more])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_kits_files_are_parsed_in_the_child_and_make_the_same_files(
    kit_copy, tmp_path, parsed_here, monkeypatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(kit_copy, tmp_path / "two", "-j", "2")
    assert not set(parsed_here) & kit_files(kit_copy)  # every file of the kit came from the child
    parsed_here.clear()
    build(kit_copy, tmp_path / "one", "-j", "1")  # one process: no child
    assert kit_files(kit_copy) <= set(parsed_here)
    assert files(tmp_path / "two") == files(tmp_path / "one")


@pytest.mark.skipif(sys.platform != "linux", reason="process names in /proc")
def test_the_child_is_named_from_its_birth_and_this_process_keeps_its_name(kit_copy):
    mine = Path("/proc/self/comm").read_text()
    ahead = prefetch.Prefetch(kit_copy)
    assert ahead._child is not None
    assert Path(f"/proc/{ahead._child.pid}/comm").read_text() == "kitpress-read\n"
    assert Path("/proc/self/comm").read_text() == mine
    ahead.stop()


def test_check_takes_the_kits_files_from_the_child_too(kit_copy, parsed_here):
    result = CliRunner().invoke(cli, ["check", str(kit_copy)])
    assert result.exit_code == 0, result.output
    assert "8 handout(s) ready to build" in result.output
    assert not set(parsed_here) & kit_files(kit_copy)


def test_a_file_changed_after_the_child_parsed_it_is_parsed_again(
    kit_copy, tmp_path, monkeypatch, parsed_here
):
    ahead = parsed_ahead(kit_copy, tmp_path, monkeypatch)
    cover = kit_copy / "en" / "cover.yaml"
    text = cover.read_text(encoding="utf-8")
    assert 'title: "Staying Close"' in text
    cover.write_text(text.replace("Staying Close", "Written Later", 1), encoding="utf-8")
    with ahead.used():
        kit = load_kit(kit_copy)
    assert kit.covers[("en", "standard")].content.title == "Written Later"
    assert kit.covers[("es", "standard")].content.title == "Seguimos cerca"
    # the changed file alone was parsed again here, the others taken from the child
    assert [path for path in parsed_here if path.is_relative_to(kit_copy)] == [cover]


def test_a_file_broken_after_the_child_parsed_it_says_its_own_error(
    kit_copy, tmp_path, monkeypatch
):
    ahead = parsed_ahead(kit_copy, tmp_path, monkeypatch)
    labels = kit_copy / "es" / "labels.yaml"
    labels.write_text("page: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError) as without:
        load_kit(kit_copy)
    with pytest.raises(InputError) as caught, ahead.used():
        load_kit(kit_copy)
    assert str(caught.value) == str(without.value)
    assert "es/labels.yaml:1:7: the brackets [ ] opened here" in str(caught.value)


def test_a_broken_kit_reads_the_same_error_with_the_child_and_without(kit_copy, tmp_path):
    checklist = kit_copy / "en" / "withdrawal-signs-checklist.yaml"
    checklist.write_text(checklist.read_text(encoding="utf-8") + "\n  bad: [\n", "utf-8")
    said = []
    for jobs in ("1", "2"):
        result = CliRunner().invoke(
            cli, ["build", str(kit_copy), "-o", str(tmp_path / "out"), "-j", jobs]
        )
        assert result.exit_code == 1
        said.append(result.stderr)
    assert said[0] == said[1]
    assert "withdrawal-signs-checklist.yaml:" in said[0]


def test_the_child_reads_no_link_and_stops_at_its_budget(tmp_path, monkeypatch):
    kit = tmp_path / "kit"
    (kit / "en").mkdir(parents=True)
    (kit / "kit.yaml").write_text("title: x\n", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("a: 1\n", encoding="utf-8")
    (kit / "en" / "linked.yaml").symlink_to(outside / "secret.yaml")
    (kit / "linked-folder").symlink_to(outside, target_is_directory=True)
    small, big = kit / "en" / "small.yaml", kit / "en" / "big.yaml"
    small.write_text("a: 1\n", encoding="utf-8")
    big.write_text("b: " + "x" * 400 + "\n", encoding="utf-8")
    chosen = prefetch._candidates(kit)
    assert chosen[0] == kit / "kit.yaml"  # first, whatever its size
    assert small in chosen and big in chosen
    assert not any("secret" in p.name or "linked" in str(p) for p in chosen)
    monkeypatch.setattr(prefetch, "BUDGET", 100)
    assert small in prefetch._candidates(kit) and big not in prefetch._candidates(kit)
    (kit / "kit.yaml").unlink()
    assert prefetch._candidates(kit) == []  # no kit: nothing to guess at


def test_one_job_or_a_facility_run_forks_no_child(kit_copy, tmp_path, monkeypatch):
    made = []
    real = prefetch.Prefetch

    def counted(root):
        made.append(root)
        return real(root)

    monkeypatch.setattr(prefetch, "Prefetch", counted)
    build(kit_copy, tmp_path / "one", "-j", "1")
    assert made == [None]
    made.clear()
    build(kit_copy, tmp_path / "two", "-j", "2")
    assert made == [kit_copy]
    made.clear()
    # one kit per facility: each is read in a worker of its own (outreach.py)
    args = ["build", str(kit_copy), "-o", str(tmp_path / "f"), "--facility", "all", "-j", "2"]
    CliRunner().invoke(cli, args)
    assert made == [None]


def test_no_child_is_left_when_the_build_fails_before_it_is_heard_from(tmp_path, monkeypatch):
    inside = tmp_path / "kit" / "en"
    inside.mkdir(parents=True)
    (tmp_path / "kit" / "kit.yaml").write_text("title: x\n", encoding="utf-8")
    monkeypatch.chdir(inside)  # inside a kit: an error (kit.find_kit_dir)
    stopped = []
    real = prefetch.Prefetch.stop

    def stop(self):
        stopped.append(self._child)
        real(self)

    monkeypatch.setattr(prefetch.Prefetch, "stop", stop)
    result = CliRunner().invoke(cli, ["build", "-j", "2"])
    assert result.exit_code == 1
    assert "this folder is inside the kit" in result.stderr
    (child,) = stopped  # the example kit's files were being parsed (named_kit: none)
    assert child is not None
    with pytest.raises(ProcessLookupError):
        os.kill(child.pid, 0)  # ended and waited for: not even a zombie


def _gone(pid: int) -> bool:
    """Whether the process has ended and been waited for (not even a zombie)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    os.kill(pid, signal.SIGKILL)  # (not left to the rest of the run)
    os.waitpid(pid, 0)
    return False


def test_a_signal_that_came_as_the_child_was_forked_stops_it(kit_copy, monkeypatch):
    made = []
    real = forked.Child

    def forking(*args):
        child = real(*args)
        made.append(child)
        os.kill(os.getpid(), signal.SIGINT)  # held: acted on right after the fork
        return child

    monkeypatch.setattr(forked, "Child", forking)
    with pytest.raises(KeyboardInterrupt), prefetch.started(kit_copy, True):
        pytest.fail("the signal stops the build before this")
    (child,) = made
    assert _gone(child.pid)


def test_a_signal_while_the_child_is_waited_for_stops_it(kit_copy, monkeypatch):
    real = prefetch._parse

    def slow(files: list[Path]) -> prefetch.Parsed:
        time.sleep(20)
        return real(files)

    monkeypatch.setattr(prefetch, "_parse", slow)
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    with pytest.raises(KeyboardInterrupt), prefetch.started(kit_copy, True) as ahead:
        assert ahead._child is not None
        pid = ahead._child.pid
        timer.start()  # (after the fork: forked.usable)
        with ahead.used():  # Ctrl-C while this waits for the child
            pytest.fail("the signal stops the build before this")
    timer.join()
    assert _gone(pid)


def test_the_child_leaves_the_facilities_file_to_facility_runs(kit_copy):
    # a build without --facility never reads it, and a build with it has no child
    table = kit_copy / facilities.YAML
    table.write_text("- id: north\n  name: North\n", encoding="utf-8")
    chosen = prefetch._candidates(kit_copy)
    assert kit_copy / "en" / "labels.yaml" in chosen and table not in chosen


def test_a_child_slower_than_its_wait_is_stopped_and_the_kit_read_here(
    kit_copy, monkeypatch, parsed_here
):
    def slow(files: list[Path]) -> prefetch.Parsed:
        time.sleep(30)  # in the child: a file on a mount that hangs
        return {}

    monkeypatch.setattr(prefetch, "_parse", slow)
    monkeypatch.setattr(prefetch, "WAIT", 0.3)
    ahead = prefetch.Prefetch(kit_copy)
    child = ahead._child
    assert child is not None
    start = time.monotonic()
    with ahead.used():
        kit = load_kit(kit_copy)
    assert time.monotonic() - start < 10  # not the child's 30 s
    assert kit.covers[("en", "standard")].content.title == "Staying Close"
    assert kit_files(kit_copy) <= set(parsed_here)  # read here instead
    with pytest.raises(ProcessLookupError):
        os.kill(child.pid, 0)  # stopped and waited for
