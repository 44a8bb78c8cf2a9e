"""A kit's languages built side by side (--jobs, forked.py): the same files, in the same
order, as one process makes; a child that fails or dies is redone here, so its error
reads the same; a build that fails here stops its child; nothing is left behind."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kitpress import build, forked, prefetch
from kitpress.build import build_kit
from kitpress.cli import cli
from kitpress.errors import KitpressError
from kitpress.kit import load_kit
from kitpress.options import Options
from kitpress.paths import bundled
from tests.test_bad_inputs import snapshot
from tests.test_interrupt import ENV, build_on_a_terminal, kitpress, read_until

pty = pytest.importorskip("pty")  # POSIX only: the progress bar needs a terminal
pytestmark = pytest.mark.skipif(not forked.usable(), reason="no fork here (Windows, macOS)")

LONG_WORD = "Respuestas" * 40


def _default() -> Path:
    return bundled("kit")


def files(folder: Path) -> dict[str, bytes]:
    """Every file under folder, hidden ones too (a temporary file would show here)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def children(monkeypatch):
    """Every forked.Child made, as the build made it."""
    made: list[forked.Child] = []
    real = forked.Child

    def counted(*args, **kwargs):
        child = real(*args, **kwargs)
        made.append(child)
        return child

    monkeypatch.setattr(forked, "Child", counted)
    return made


def spoil(kit: Path, lang: str) -> None:
    """A word too long for its line in the language's checklist: a FitError."""
    first = {
        "en": '"Short answers, like \\"fine\\" or \\"okay\\""',
        "es": '"Respuestas cortas, como “bien” o “todo bien”"',
    }[lang]
    path = kit / lang / "withdrawal-signs-checklist.yaml"
    text = path.read_text(encoding="utf-8")
    assert first in text
    path.write_text(text.replace(first, f'"{LONG_WORD}"', 1), encoding="utf-8")


def errors_with_one_job_and_two(kit: Path, tmp_path: Path) -> list[str]:
    """The error a build of `kit` fails with, with --jobs 1 and with --jobs 2 (each into
    a folder of its own, named alike in the messages); neither leaves an output folder."""
    said = []
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}"
        with pytest.raises(KitpressError) as caught:
            build_kit(load_kit(kit), out, Options(jobs=jobs))
        said.append(str(caught.value).replace(f"out{jobs}", "out"))
        assert not out.exists()  # no folder, no temporary file
    return said


def test_two_languages_at_once_make_the_same_files_in_the_same_order(tmp_path, children):
    kit = load_kit(_default())
    one = build_kit(kit, tmp_path / "one", Options(jobs=1))
    assert children == []
    two = build_kit(kit, tmp_path / "two", Options(jobs=2))
    assert len(children) == 1  # Spanish, in a child
    assert files(tmp_path / "two") == files(tmp_path / "one")
    assert [(f.path.relative_to(tmp_path / "two"), f.pages, f.notes) for f in two.files] == [
        (f.path.relative_to(tmp_path / "one"), f.pages, f.notes) for f in one.files
    ]
    assert two.plan == one.plan
    assert {p.split("/")[0] for p in files(tmp_path / "two")} == {"en", "es", "print-plan.txt"}


def test_progress_counts_every_step_once(tmp_path):
    kit = load_kit(_default())
    seen: list[tuple[str, int, int]] = []
    build_kit(kit, tmp_path / "out", Options(jobs=2), on_step=lambda *s: seen.append(s))
    labels = [label for label, _, _ in seen]
    assert [done for _, done, _ in seen] == list(range(1, len(seen) + 1))
    assert {total for _, _, total in seen} == {len(seen)}
    assert "es/kit.pdf" in labels and "en/kit.pdf" in labels
    assert len(set(labels)) == len(labels)


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_error_in_the_second_language_reads_the_same_and_writes_nothing(
    kit_copy, tmp_path, jobs, children
):
    spoil(kit_copy, "es")
    out = tmp_path / "out"
    with pytest.raises(KitpressError) as caught:
        build_kit(load_kit(kit_copy), out, Options(jobs=jobs))
    assert "es/withdrawal-signs-checklist.yaml:" in str(caught.value)
    assert "is too long for its line" in str(caught.value)
    assert not out.exists()  # no folder, no temporary file
    assert len(children) == (jobs - 1)
    assert all(c.result() is None for c in children)  # the child failed: redone here


def test_the_error_is_the_same_with_one_job_and_two(kit_copy, tmp_path):
    spoil(kit_copy, "es")
    said = errors_with_one_job_and_two(kit_copy, tmp_path)
    assert said[0] == said[1]


def test_an_error_here_stops_the_child_and_leaves_the_old_outputs(kit_copy, tmp_path, children):
    out = tmp_path / "out"
    build_kit(load_kit(kit_copy), out, Options(jobs=1))
    before = snapshot(out)
    spoil(kit_copy, "en")
    with pytest.raises(KitpressError, match="is too long for its line"):
        build_kit(load_kit(kit_copy), out, Options(jobs=2))
    assert snapshot(out) == before  # the child's temporary files are gone too
    (child,) = children
    with pytest.raises(ProcessLookupError):
        os.kill(child.pid, 0)  # ended and waited for: not even a zombie


def test_a_child_that_dies_is_redone_here(tmp_path, monkeypatch, children):
    kit = load_kit(_default())
    build_kit(kit, tmp_path / "one", Options(jobs=1))

    def dies(*args, **kwargs):
        os._exit(9)  # in the child: as if the kernel had killed it

    monkeypatch.setattr(build, "_make_in_child", dies)
    build_kit(kit, tmp_path / "two", Options(jobs=2))
    assert len(children) == 1 and children[0].result() is None
    assert files(tmp_path / "two") == files(tmp_path / "one")


def test_no_fork_while_another_thread_runs(tmp_path, children):
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not forked.usable()
        build_kit(load_kit(_default()), tmp_path / "out", Options(jobs=2))
    finally:
        stop.set()
        other.join()
    assert children == []
    assert (tmp_path / "out" / "es" / "kit.pdf").is_file()


def test_jobs_on_the_command_line(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["build", str(_default()), "-o", str(tmp_path / "o"), "-j", "1"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["check", str(_default()), "--jobs", "2"])
    assert result.exit_code == 2
    assert "--jobs works with --facility" in result.stderr
    helps = {
        c: " ".join(runner.invoke(cli, [c, "--help"]).output.split()) for c in ("build", "check")
    }
    assert "a kit's languages, and each one's kit.pdf, side by side" in helps["build"]
    assert "With --facility: facilities checked at once" in helps["check"]


def make_bilingual(kit: Path, cards: int) -> None:
    """Two languages, each one card deck of `cards` cards: seconds of work in each."""
    for lang in ("en", "es"):
        (kit / lang).mkdir(parents=True, exist_ok=True)
        for name in ("labels.yaml", "cover.yaml"):
            (kit / lang / name).write_bytes((bundled("kit") / lang / name).read_bytes())
        lines = ["kind: card-deck\nlayout: poker\ntitle: Deck\ncategories:\n"]
        lines.append("  - name: Questions\n    icon: question\n    cards:\n")
        lines += [
            f'      - "Card {n}: what was the best part of your week?"\n' for n in range(cards)
        ]
        (kit / lang / "deck.yaml").write_text("".join(lines), encoding="utf-8")
    text = (bundled("kit") / "kit.yaml").read_text(encoding="utf-8")
    (kit / "kit.yaml").write_text(
        "title: Cards\norganization: {name: Test}\nlanguages: [en, es]\nhandouts: [deck]\n"
        + text[text.index("\ncrisis:") + 1 :],
        encoding="utf-8",
    )


@pytest.mark.skipif(sys.platform != "linux", reason="finds the child in /proc")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
def test_a_stopped_two_language_build_stops_its_child_and_leaves_nothing(tmp_path, signum):
    kit = tmp_path / "kit"
    make_bilingual(kit, cards=8)
    first = subprocess.run(kitpress("build", "kit", "-o", "out"), cwd=tmp_path, env=ENV)
    assert first.returncode == 0
    before = snapshot(tmp_path / "out")
    make_bilingual(kit, cards=6_000)  # seconds of work in each language
    proc, leader = build_on_a_terminal(tmp_path)
    try:
        kids: list[int] = []
        end = time.monotonic() + 60
        while not kids and proc.poll() is None and time.monotonic() < end:
            # (not the child that parses the kit's YAML as the build starts: prefetch.py)
            kids = [k for k in _children_of(proc.pid) if _name(k) != prefetch.NAME]
            time.sleep(0.02)
        assert len(kids) == 1, kids  # the Spanish deck, in a forked child
        time.sleep(0.3)  # both at work on their decks
        if signum == signal.SIGINT:  # the terminal's Ctrl-C reaches both processes at once
            # (one kill after the other, the parent may have stopped and reaped the child
            # before the second: it does so on a Ctrl-C of its own)
            os.killpg(proc.pid, signum)
        else:  # a kill, only the parent
            proc.send_signal(signum)
        said = read_until(leader, b"as they were", timeout=60)
        code = proc.wait(timeout=60)
    finally:
        proc.kill()
        os.close(leader)
    assert code == 128 + signum
    assert (
        said.decode()
        .splitlines()[-1]
        .endswith("interrupted; nothing was written, earlier outputs are as they were")
    )
    assert snapshot(tmp_path / "out") == before  # no temporary file of either process
    time.sleep(0.2)
    for pid in kids:
        assert not Path(f"/proc/{pid}").exists() or _state(pid) == "Z"


def _children_of(pid: int) -> list[int]:
    """The processes whose parent is pid (Linux's /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _name(pid: int) -> str:
    """The process's name (what ps shows), or "" once it is gone."""
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _state(pid: int) -> str:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat[stat.rindex(")") + 2 :].split()[0]


def test_files_a_finished_child_wrote_are_removed_when_this_process_fails(
    kit_copy, tmp_path, monkeypatch, children
):
    out = tmp_path / "out"
    build_kit(load_kit(kit_copy), out, Options(jobs=1))
    before = snapshot(out)
    here = os.getpid()
    real = build._make_part

    def fails_here_after_the_child(*args, **kwargs):
        if os.getpid() != here:
            return real(*args, **kwargs)
        end = time.monotonic() + 60
        while _state(children[0].pid) != "Z" and time.monotonic() < end:
            time.sleep(0.01)  # the child has made every Spanish file, and ended
        raise KitpressError("stopped here on purpose")

    monkeypatch.setattr(build, "_make_part", fails_here_after_the_child)
    with pytest.raises(KitpressError, match="on purpose"):
        build_kit(load_kit(kit_copy), out, Options(jobs=2))
    assert children[0].result() is not None  # it had finished, its files written
    assert snapshot(out) == before  # and they are gone again


def add_language(kit: Path, lang: str, like: str) -> None:
    """A third language, a copy of `like`'s words under its own code."""
    import re
    import shutil

    shutil.copytree(kit / like, kit / lang)
    path = kit / "kit.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "languages: [en, es]", f"languages: [en, es, {lang}]"
    )
    text = re.sub(rf"^( *){like}: (.*)$", rf"\g<0>\n\g<1>{lang}: \g<2>", text, flags=re.M)
    path.write_text(text, encoding="utf-8")


def test_three_languages_in_two_jobs_say_the_first_error_one_process_meets(kit_copy, tmp_path):
    add_language(kit_copy, "pt", like="es")
    spoil(kit_copy, "es")
    spoiled = kit_copy / "pt" / "withdrawal-signs-checklist.yaml"  # a later language, too
    spoiled.write_text(
        (kit_copy / "es" / "withdrawal-signs-checklist.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    said = errors_with_one_job_and_two(kit_copy, tmp_path)
    assert "es/withdrawal-signs-checklist.yaml:" in said[0]
    assert said[1] == said[0]


def test_three_languages_in_two_jobs_make_the_same_files(kit_copy, tmp_path, children):
    add_language(kit_copy, "pt", like="es")
    kit = load_kit(kit_copy)
    one = build_kit(kit, tmp_path / "one", Options(jobs=1, booklet=True))
    two = build_kit(kit, tmp_path / "two", Options(jobs=2, booklet=True))
    assert len(children) == 1
    assert files(tmp_path / "two") == files(tmp_path / "one")
    assert [f.path.relative_to(tmp_path / "two") for f in two.files] == [
        f.path.relative_to(tmp_path / "one") for f in one.files
    ]
    assert two.plan == one.plan


def test_a_ctrl_c_in_the_child_as_it_is_forked_stays_in_the_child(tmp_path):
    """Ctrl-C reaches every process of the terminal's group, a child just forked too,
    before it has set its own handlers: it must not leave the child running its
    parent's code (here, the lines after build_kit: they would run twice)."""
    script = f"""
import os, signal
from pathlib import Path
from kitpress.build import build_kit
from kitpress.kit import load_kit
from kitpress.options import Options
from kitpress.paths import bundled
real = os.fork
def fork():
    pid = real()
    if pid == 0:
        os.kill(os.getpid(), signal.SIGINT)
    return pid
os.fork = fork
try:
    build_kit(load_kit(bundled("kit")), Path({str(tmp_path / "out")!r}), Options(jobs=2))
except BaseException as e:
    print("raised", type(e).__name__, flush=True)
else:
    print("built", flush=True)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], env=ENV, capture_output=True, text=True, timeout=120
    )
    assert done.stdout == "built\n", done.stdout + done.stderr
    assert done.returncode == 0
    assert [p for p in files(tmp_path / "out") if "/." in p] == []  # no temporary file


def test_a_signal_here_as_the_child_is_forked_stops_it(tmp_path, monkeypatch):
    """A signal that lands just after fork, before the child is listed, must still
    stop the child and take away what it writes."""
    forks: list[int] = []
    real = os.fork

    def fork() -> int:
        pid = real()
        if pid:
            forks.append(pid)
            os.kill(os.getpid(), signal.SIGINT)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        build_kit(load_kit(_default()), out, Options(jobs=2))
    monkeypatch.undo()
    (pid,) = forks
    with contextlib.suppress(ChildProcessError):  # already waited for, as it should be
        os.waitpid(pid, 0)  # (else it went on alone, writing)
    assert not out.exists()


def test_no_process_to_fork_builds_here(tmp_path, monkeypatch):
    kit = load_kit(_default())
    build_kit(kit, tmp_path / "one", Options(jobs=1))

    def fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")  # a process limit

    monkeypatch.setattr(os, "fork", fork)
    build_kit(kit, tmp_path / "two", Options(jobs=2))
    assert files(tmp_path / "two") == files(tmp_path / "one")


class _Os:
    """forked's os, with one function wrapped."""

    def __init__(self, **wrapped):
        self.__dict__.update(wrapped)

    def __getattr__(self, name):
        return getattr(os, name)


def _signalled_once():
    """A SIGINT to this process, the first time it is called."""
    sent = []

    def send() -> None:
        if not sent:
            sent.append(True)
            os.kill(os.getpid(), signal.SIGINT)

    return send


@pytest.mark.parametrize("moment", ["read", "waitpid", "adopt"])
def test_a_signal_just_after_the_child_is_heard_from_leaves_nothing(
    tmp_path, monkeypatch, children, moment
):
    """Ctrl-C as the child's result comes in (just after a read, a wait, or before its
    files are taken on) stops the build as at any other moment: no other error, and
    the child's temporary files removed with this process's."""
    send = _signalled_once()
    if moment == "read":

        def read(fd: int, n: int) -> bytes:
            got = os.read(fd, n)
            if got:
                send()
            return got

        monkeypatch.setattr(forked, "os", _Os(read=read))
    elif moment == "waitpid":

        def waitpid(pid: int, options: int) -> tuple[int, int]:
            got = os.waitpid(pid, options)
            send()
            return got

        monkeypatch.setattr(forked, "os", _Os(waitpid=waitpid))
    else:
        real = build.Early.adopt

        def adopt(self, other) -> None:
            send()
            real(self, other)

        monkeypatch.setattr(build.Early, "adopt", adopt)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        build_kit(load_kit(_default()), out, Options(jobs=2))
    assert len(children) == 1
    assert not out.exists()


def test_a_child_killed_after_writing_leaves_no_temporary_file(tmp_path, monkeypatch, children):
    """Killed outright (the kernel out of memory), a child cannot remove its files: this
    process does, as it builds that language itself."""
    kit = load_kit(_default())
    build_kit(kit, tmp_path / "one", Options(jobs=1))
    real = build._make_in_child

    def killed(*args, **kwargs):
        real(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(build, "_make_in_child", killed)
    build_kit(kit, tmp_path / "two", Options(jobs=2))
    assert len(children) == 1 and children[0].result() is None
    assert files(tmp_path / "two") == files(tmp_path / "one")  # hidden files too


# --- one language: its kit.pdf made beside its handouts (build._halves) ---------------


def english_only(kit: Path) -> None:
    """The kit in one language: a build of it has kit.pdf to make apart."""
    path = kit / "kit.yaml"
    text = path.read_text(encoding="utf-8")
    assert "languages: [en, es]" in text
    path.write_text(text.replace("languages: [en, es]", "languages: [en]"), encoding="utf-8")


def spoil_worksheet(kit: Path) -> None:
    """A word too long for its line in the English worksheet, a handout inside kit.pdf
    after the checklist."""
    path = kit / "en" / "reconnection-worksheet.yaml"
    text = path.read_text(encoding="utf-8")
    assert "Fill in what you can." in text
    path.write_text(text.replace("Fill in what you can.", LONG_WORD), encoding="utf-8")


def test_one_language_makes_kit_pdf_in_a_child_the_same(kit_copy, tmp_path, children):
    english_only(kit_copy)
    kit = load_kit(kit_copy)
    one = build_kit(kit, tmp_path / "one", Options(jobs=1, booklet=True))
    assert children == []
    two = build_kit(kit, tmp_path / "two", Options(jobs=2, booklet=True))
    (child,) = children
    made, labels, _ = child.result()
    assert labels == ["en/kit.pdf"]  # the child made kit.pdf (and its booklet) alone
    assert {m.path.as_posix() for _, m in made} == {"en/kit.pdf", "en/kit-booklet.pdf"}
    assert files(tmp_path / "two") == files(tmp_path / "one")
    assert [(f.path.relative_to(tmp_path / "two"), f.pages, f.notes) for f in two.files] == [
        (f.path.relative_to(tmp_path / "one"), f.pages, f.notes) for f in one.files
    ]
    assert two.plan == one.plan


def test_two_languages_in_four_jobs_make_the_same_files(tmp_path, children):
    kit = load_kit(_default())
    one = build_kit(kit, tmp_path / "one", Options(jobs=1))
    four = build_kit(kit, tmp_path / "four", Options(jobs=4))
    # English's kit.pdf, Spanish's handouts, Spanish's kit.pdf: each in a child
    steps = sorted(c.result()[1] for c in children)  # forked Spanish first
    assert steps[0] == ["en/kit.pdf"] and steps[2] == ["es/kit.pdf"]
    assert len(steps[1]) == 4 and all(s.startswith("es/") and s != "es/kit.pdf" for s in steps[1])
    assert files(tmp_path / "four") == files(tmp_path / "one")
    assert [f.path.relative_to(tmp_path / "four") for f in four.files] == [
        f.path.relative_to(tmp_path / "one") for f in one.files
    ]


def test_one_language_progress_counts_every_step_once(kit_copy, tmp_path):
    english_only(kit_copy)
    seen: list[str] = []
    options = Options(jobs=2)
    build_kit(load_kit(kit_copy), tmp_path / "out", options, lambda label, *_: seen.append(label))
    assert sorted(seen) == sorted(
        ["en/withdrawal-signs-checklist.pdf", "en/letter-prompt-cards.pdf"]
        + ["en/reconnection-worksheet.pdf", "en/visiting-day.pdf", "en/kit.pdf"]
    )


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_first_handouts_step_is_told_before_it_is_laid_out(
    kit_copy, tmp_path, monkeypatch, jobs
):
    """Split in halves, the first handout is laid out before kit.pdf's child is forked,
    for both: its step is still told first, as with one job, not after that layout."""
    english_only(kit_copy)
    events: list[tuple[str, str]] = []
    real = build.lay_out

    def logged(kit, h, *args):
        events.append(("lay_out", h.name))
        return real(kit, h, *args)

    monkeypatch.setattr(build, "lay_out", logged)
    options = Options(jobs=jobs)
    told = lambda label, *_: events.append(("step", label))  # noqa: E731
    build_kit(load_kit(kit_copy), tmp_path / "out", options, told)
    assert events[:2] == [
        ("step", "en/withdrawal-signs-checklist.pdf"),
        ("lay_out", "withdrawal-signs-checklist"),
    ]
    assert [e for e in events if e[0] == "step"][-1] == ("step", "en/kit.pdf")


def test_kit_pdf_apart_meets_the_cover_error_where_one_process_does(kit_copy, tmp_path):
    """One process lays out the cover once the first handout inside kit.pdf is made:
    a cover too long is met before an error in a later handout, with two jobs too."""
    english_only(kit_copy)
    cover = kit_copy / "en" / "cover.yaml"
    text = cover.read_text(encoding="utf-8")
    cover.write_text(text.replace("Take your time.", "Take your time. " * 60), encoding="utf-8")
    spoil_worksheet(kit_copy)
    said = errors_with_one_job_and_two(kit_copy, tmp_path)
    assert "the cover does not fit on one page" in said[0]
    assert said[1] == said[0]


def test_a_kit_pdf_child_that_dies_is_redone_here(kit_copy, tmp_path, monkeypatch, children):
    english_only(kit_copy)
    kit = load_kit(kit_copy)
    build_kit(kit, tmp_path / "one", Options(jobs=1))

    def dies(*args, **kwargs):
        os._exit(9)

    monkeypatch.setattr(build, "_make_in_child", dies)
    build_kit(kit, tmp_path / "two", Options(jobs=2))
    assert len(children) == 1 and children[0].result() is None
    assert files(tmp_path / "two") == files(tmp_path / "one")


def test_a_language_too_big_for_a_second_process_stays_in_one(kit_copy, tmp_path, monkeypatch):
    """Above KIT_APART_VALUES the second process's memory counts for more than its time."""
    english_only(kit_copy)
    kit = load_kit(kit_copy)
    plan = build.make_plan(kit, Options())
    inside = sum(len(h.source.marks) for h in kit.handouts if h.kind.in_kit)
    assert [(p.own, p.bound) for p in build._parts(plan, 2)] == [(True, False), (False, True)]
    monkeypatch.setattr(build, "KIT_APART_VALUES", inside - 1)
    assert [(p.own, p.bound) for p in build._parts(plan, 2)] == [(True, True)]
    partial = build.make_plan(kit, Options(only=("visiting-day",)))  # no kit.pdf to make
    monkeypatch.setattr(build, "KIT_APART_VALUES", inside)
    assert [(p.own, p.bound) for p in build._parts(partial, 2)] == [(True, True)]


def test_the_first_handout_is_laid_out_once_for_both_halves(kit_copy, tmp_path, monkeypatch):
    """Laid out before the fork, its layout serves this process's PDF and the child's
    kit.pdf; the other handouts are laid out in each process that needs them."""
    english_only(kit_copy)
    log = tmp_path / "laid-out.txt"
    real = build.lay_out

    def logged(kit, h, *args):
        with log.open("a", encoding="utf-8") as f:  # appended to from both processes
            f.write(f"{h.name}\n")
        return real(kit, h, *args)

    monkeypatch.setattr(build, "lay_out", logged)
    build_kit(load_kit(kit_copy), tmp_path / "out", Options(jobs=2))
    names = log.read_text(encoding="utf-8").split()
    assert names.count("withdrawal-signs-checklist") == 1  # first: once, for both
    assert names.count("reconnection-worksheet") == 2  # inside kit.pdf: in each process
    assert names.count("letter-prompt-cards") == 1  # not inside kit.pdf: here only


def test_an_error_in_the_first_handout_is_met_before_any_fork(kit_copy, tmp_path, children):
    english_only(kit_copy)
    spoil(kit_copy, "en")
    said = errors_with_one_job_and_two(kit_copy, tmp_path)
    assert "en/withdrawal-signs-checklist.yaml:" in said[0]
    assert said[1] == said[0]
    assert children == []


def test_kit_pdf_apart_meets_a_kit_footer_error_where_one_process_does(kit_copy, tmp_path):
    """kit.pdf's page labels ("Page 7") are checked against the footer only as they are
    drawn, which one process does as each handout goes in: a label too wide there is met
    before an error in a later handout, with two jobs too."""
    english_only(kit_copy)
    labels = kit_copy / "en" / "labels.yaml"
    text = labels.read_text(encoding="utf-8")
    long = 'kit_page: "Page {page} of the Staying Close kit, printed for you by your group"'
    labels.write_text(text.replace('kit_page: "Page {page}"', long), encoding="utf-8")
    spoil_worksheet(kit_copy)
    said = errors_with_one_job_and_two(kit_copy, tmp_path)
    assert "too long for the footer of every page" in said[0]
    assert said[1] == said[0]


@pytest.mark.parametrize("spoiled", ["cover", "kit footer"])
def test_a_kit_of_one_handout_meets_a_kit_pdf_error_where_one_process_does(
    kit_copy, tmp_path, spoiled
):
    """With nothing after the last handout, the handouts' process leaves the cover and
    kit.pdf's footers to kit.pdf's process: an error in them fails it, and is met here
    as kit.pdf is then made here, the error one process meets."""
    english_only(kit_copy)
    manifest = kit_copy / "kit.yaml"
    text = manifest.read_text(encoding="utf-8")
    others = "  - letter-prompt-cards\n  - reconnection-worksheet\n  - visiting-day\n"
    assert others in text
    manifest.write_text(text.replace(others, ""), encoding="utf-8")
    if spoiled == "cover":
        cover = kit_copy / "en" / "cover.yaml"
        text = cover.read_text(encoding="utf-8")
        cover.write_text(text.replace("Take your time.", "Take your time. " * 150), "utf-8")
    else:
        labels = kit_copy / "en" / "labels.yaml"
        text = labels.read_text(encoding="utf-8")
        long = 'kit_page: "Page {page} of the Staying Close kit, printed for you by your group"'
        labels.write_text(text.replace('kit_page: "Page {page}"', long), encoding="utf-8")
    assert [h.name for h in load_kit(kit_copy).handouts] == ["withdrawal-signs-checklist"]
    said = errors_with_one_job_and_two(kit_copy, tmp_path)
    assert ("does not fit on one page" if spoiled == "cover" else "too long for the footer") in (
        said[0]
    )
    assert said[1] == said[0]


@pytest.mark.parametrize("langs", ["en", "en, es"])
def test_a_folder_that_cannot_be_made_is_met_where_one_process_meets_it(kit_copy, tmp_path, langs):
    """The folders are made before any fork, but a build that cannot make one tells
    first what one process meets first: here the first handout's error."""
    if langs == "en":
        english_only(kit_copy)
    spoil(kit_copy, "en")
    said = []
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}"
        out.mkdir()
        (out / "en").write_text("in the way", encoding="utf-8")
        with pytest.raises(KitpressError) as caught:
            build_kit(load_kit(kit_copy), out, Options(jobs=jobs))
        said.append(str(caught.value).replace(f"out{jobs}", "out"))
        assert sorted(p.name for p in out.iterdir()) == ["en"]
    assert "en/withdrawal-signs-checklist.yaml:" in said[0]
    assert said[1] == said[0]


def test_other_languages_do_not_wait_for_the_first_handout_laid_out_once(tmp_path, monkeypatch):
    """With four jobs, English's first handout is laid out here for English's two
    halves; Spanish's children are forked before that, not after it."""
    events: list[tuple[str, ...]] = []  # in this process only
    real_lay_out, real_child = build.lay_out, forked.Child

    def logged(kit, h, *args):
        events.append(("lay out", h.lang, h.name))
        return real_lay_out(kit, h, *args)

    def forking(work, cleanup):
        part = work.args[1]
        events.append(("fork", part.plan.handouts[0].lang, "own" if part.own else "kit"))
        return real_child(work, cleanup)

    monkeypatch.setattr(build, "lay_out", logged)
    monkeypatch.setattr(forked, "Child", forking)
    kit = load_kit(_default())
    one = build_kit(kit, tmp_path / "one", Options(jobs=1))
    events.clear()
    four = build_kit(kit, tmp_path / "four", Options(jobs=4))
    assert events[:4] == [
        ("fork", "es", "own"),
        ("fork", "es", "kit"),
        ("lay out", "en", "withdrawal-signs-checklist"),
        ("fork", "en", "kit"),
    ]
    assert files(tmp_path / "four") == files(tmp_path / "one")
    assert [f.path.relative_to(tmp_path / "four") for f in four.files] == [
        f.path.relative_to(tmp_path / "one") for f in one.files
    ]
