"""`kitpress preview` without a browser: what the library keeps between rebuilds,
problems collected instead of raised, a handout drawn past its page limit, the
preview's rebuilds (only what changed, never a crash), and its server (loopback only,
from memory only). The browser itself is tested in test_preview_browser.py."""

from __future__ import annotations

import http.client
import io
import json
import queue
import re
import shutil
import signal
import socket
import struct
import sys
import threading
import time
import urllib.request

import pytest
import yaml
from pypdf import PdfReader

from kitpress.build import lay_out
from kitpress.errors import FitError, KitpressError
from kitpress.kit import load_kit
from kitpress.options import Options
from kitpress.paper import paper
from kitpress.paths import bundled
from kitpress.render.flowing import OverLimit

CHECKLIST = "en/withdrawal-signs-checklist.yaml"
WORKSHEET = "en/reconnection-worksheet.yaml"


@pytest.fixture(autouse=True)
def english_only(request: pytest.FixtureRequest) -> None:
    """These tests count the parts and pages of one language; the default kit's Spanish
    is followed by test_every_language_and_edition_is_shown and tests/test_spanish.py."""
    if "kit_copy" in request.fixturenames:
        kit = request.getfixturevalue("kit_copy")
        manifest = yaml.safe_load((kit / "kit.yaml").read_text(encoding="utf-8"))
        manifest["languages"] = ["en"]
        (kit / "kit.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True))


CARDS = "en/letter-prompt-cards.yaml"


def edit_yaml(path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def lengthen(data: dict, items: int = 4) -> None:
    """A checklist section of extra items: the default checklist then runs to 3 pages."""
    extra = [f"Another sign to look for, number {n}" for n in range(items)]
    data["sections"].insert(1, {"heading": "More signs", "items": extra})


# --- what the library keeps between loads -------------------------------------------


def test_fonts_and_layouts_are_read_once_while_their_files_stay_the_same(kit_copy):
    first = load_kit(kit_copy)
    again = load_kit(kit_copy)
    for a, b in zip(first.handouts, again.handouts, strict=True):
        assert a.fonts.text is b.fonts.text  # the font files were parsed once
        assert a.layout is b.layout  # the layout was read, merged and checked once
    # a kit layout that changes is read again, and only what uses it changes
    (kit_copy / "layouts").mkdir()
    (kit_copy / "layouts" / "checklist.yaml").write_text(
        "extends: checklist\ncheckbox: {size: 0.3in}\n", encoding="utf-8"
    )
    changed = {h.name: h for h in load_kit(kit_copy).handouts}
    assert changed["withdrawal-signs-checklist"].layout.checkbox.size == pytest.approx(21.6)
    old = {h.name: h for h in again.handouts}
    assert changed["withdrawal-signs-checklist"].layout != old["withdrawal-signs-checklist"].layout
    assert changed["reconnection-worksheet"].layout == old["reconnection-worksheet"].layout


# --- problems collected, not raised -------------------------------------------------


def test_load_kit_collects_a_problem_per_part_and_keeps_the_rest(kit_copy, in_tmp):
    text = (kit_copy / CHECKLIST).read_text(encoding="utf-8")
    (kit_copy / CHECKLIST).write_text(text.replace("sections:", "sectons:", 1), encoding="utf-8")
    (kit_copy / WORKSHEET).write_text("kind: worksheet\nlayout: [\n", encoding="utf-8")
    problems: list = []
    kit = load_kit(kit_copy, problems=problems)
    assert [h.name for h in kit.handouts] == ["letter-prompt-cards", "visiting-day"]
    assert set(kit.covers) == {("en", "standard")}
    found = {(p.lang, p.part, p.edition): str(p.error) for p in problems}
    checklist = found.pop(("en", "withdrawal-signs-checklist", ""))
    assert checklist == (
        "kit/en/withdrawal-signs-checklist.yaml:6:1: sectons: unknown key; did you mean 'sections'?"
    )
    worksheet = found.pop(("en", "reconnection-worksheet", ""))
    assert worksheet == (
        "kit/en/reconnection-worksheet.yaml:3:1: the file ends inside quotes or brackets; "
        "close them"
    )
    assert found == {}
    # without a list to collect into, the first problem is raised, as `build` needs
    with pytest.raises(KitpressError) as raised:
        load_kit(kit_copy)
    assert str(raised.value) == checklist


def test_a_broken_labels_file_keeps_out_its_language_only(kit_copy):
    (kit_copy / "en" / "labels.yaml").write_text("page: [\n", encoding="utf-8")
    problems: list = []
    kit = load_kit(kit_copy, problems=problems)
    assert kit.handouts == () and kit.covers == {}
    assert [(p.lang, p.part) for p in problems] == [("en", "")]


# --- a handout past its page limit --------------------------------------------------


def test_a_handout_past_its_limit_is_laid_out_whole_when_asked(kit_copy):
    edit_yaml(kit_copy / CHECKLIST, lengthen)
    kit = load_kit(kit_copy)
    (h,) = [h for h in kit.handouts if h.name == "withdrawal-signs-checklist"]
    letter = paper("letter")
    with pytest.raises(FitError) as plain:  # a build: the error alone, as before
        lay_out(kit, h, letter, Options())
    assert not isinstance(plain.value, OverLimit)
    with pytest.raises(OverLimit) as over:
        lay_out(kit, h, letter, Options(over_limit=True))
    assert str(over.value) == str(plain.value)
    assert "runs over the 2 pages layout 'checklist' allows (about " in str(over.value)
    assert over.value.allowed == 2 and over.value.laid_out.pages == 3
    pdf = PdfReader(io.BytesIO(over.value.laid_out.pdf()))
    assert len(pdf.pages) == 3 and "Page 3 of 3" in pdf.pages[2].extract_text()


# --- the preview's rebuilds ---------------------------------------------------------


@pytest.fixture
def counted(monkeypatch) -> list[str]:
    """The handouts the preview lays out, by part id, in order."""
    from kitpress.preview import live

    calls: list[str] = []

    def counting(kit, h, paper, options):
        calls.append(f"{h.lang}/{h.name}")
        return lay_out(kit, h, paper, options)

    monkeypatch.setattr(live, "lay_out", counting)
    return calls


def test_the_preview_shows_what_a_build_writes(kit_copy, in_tmp):
    from kitpress.build import build_kit
    from kitpress.preview.live import Live

    snap = Live(kit_copy).update()
    assert snap.issues == ()
    assert [(p.id, p.kind, p.pages) for p in snap.parts] == [
        ("en/:cover", "cover", 2),
        ("en/withdrawal-signs-checklist", "checklist", 2),
        ("en/letter-prompt-cards", "card-deck", 16),
        ("en/reconnection-worksheet", "worksheet", 3),
        ("en/visiting-day", "resource-sheet", 2),
    ]
    build_kit(load_kit(kit_copy), in_tmp / "out")
    written = {
        p.relative_to(in_tmp / "out").as_posix(): p.read_bytes()
        for p in (in_tmp / "out").rglob("*.pdf")
    }
    assert snap.files == written  # byte for byte: the pages a build would print
    assert snap.plan == (in_tmp / "out" / "print-plan.txt").read_text(encoding="utf-8")
    by_id = {p.id: p for p in snap.parts}
    assert by_id["en/reconnection-worksheet"].fillable  # its form fields, to fill on screen
    assert not by_id["en/withdrawal-signs-checklist"].fillable
    # each page's text is there to be read (the pictures' alt text)
    assert (
        by_id["en/withdrawal-signs-checklist"]
        .texts[0]
        .startswith("When someone you love pulls away")
    )


def test_only_what_depends_on_a_changed_file_is_laid_out_again(kit_copy, counted):
    from kitpress.preview.live import Live

    live = Live(kit_copy)
    live.update()
    assert sorted(counted) == [
        "en/letter-prompt-cards",
        "en/reconnection-worksheet",
        "en/visiting-day",
        "en/withdrawal-signs-checklist",
    ]
    counted.clear()
    live.update()  # nothing changed
    assert counted == []
    edit_yaml(kit_copy / CHECKLIST, lambda d: d.update(title="Our new checklist"))
    snap = live.update()
    assert counted == ["en/withdrawal-signs-checklist"]
    assert "Our new checklist" in snap.parts[1].texts[0]
    assert "Our new checklist" in snap.parts[0].texts[0]  # the cover's contents too
    counted.clear()
    edit_yaml(kit_copy / "kit.yaml", lambda d: d.update(copies=30))  # the plan only
    snap = live.update()
    assert counted == [] and "30 kits" in snap.plan
    (kit_copy / "layouts").mkdir()
    (kit_copy / "layouts" / "worksheet.yaml").write_text("extends: worksheet\n", encoding="utf-8")
    live.update()  # a layout file that changes nothing that is printed
    assert counted == []
    (kit_copy / "layouts" / "worksheet.yaml").write_text(
        "extends: worksheet\nmax_pages: 4\n", encoding="utf-8"
    )
    live.update()
    assert counted == ["en/reconnection-worksheet"]
    counted.clear()
    edit_yaml(kit_copy / "kit.yaml", lambda d: d["organization"].update(name="Open Doors"))
    snap = live.update()  # in every footer: every handout
    assert sorted(counted) == [
        "en/letter-prompt-cards",
        "en/reconnection-worksheet",
        "en/visiting-day",
        "en/withdrawal-signs-checklist",
    ]
    assert "Open Doors" in snap.parts[1].texts[0]


def test_a_problem_is_shown_where_it_is_now_after_an_edit_elsewhere(kit_copy, in_tmp):
    """A layout kept from the last update keeps its problem; that problem names kit.yaml's
    line (a footer's words) and the layout's file, which an edit that changes nothing
    printed may move: the preview says what one started now would say."""
    from kitpress.preview.live import Live

    edit_yaml(kit_copy / "kit.yaml", lambda d: d["organization"].update(name="Open Doors " * 20))
    live = Live(kit_copy)
    first = live.update()
    assert first.issues and all(i.where.startswith("kit/kit.yaml:") for i in first.issues)
    text = (kit_copy / "kit.yaml").read_text(encoding="utf-8")
    (kit_copy / "kit.yaml").write_text("# a line above\n" + text, encoding="utf-8")
    moved = live.update()
    assert moved.issues != first.issues
    assert moved.issues == Live(kit_copy).update().issues
    (kit_copy / "layouts").mkdir()
    for name in ("checklist", "cover"):  # the same layouts, in files of the kit's
        (kit_copy / "layouts" / f"{name}.yaml").write_text(f"extends: {name}\n")
    named = live.update()
    assert any("(kit/layouts/checklist.yaml)" in i.text for i in named.issues)
    assert named.issues == Live(kit_copy).update().issues


def test_every_problem_is_listed_at_once_and_the_rest_stays(kit_copy, in_tmp):
    from kitpress.preview.live import Live

    live = Live(kit_copy)
    before = live.update()
    good = {p.id: p for p in before.parts}
    text = (kit_copy / CHECKLIST).read_text(encoding="utf-8")
    (kit_copy / CHECKLIST).write_text(text.replace("sections:", "sectons:", 1), encoding="utf-8")
    edit_yaml(kit_copy / WORKSHEET, lambda d: d.update(layout="worksheat"))
    snap = live.update()
    assert [i.text for i in snap.issues] == [
        "kit/en/reconnection-worksheet.yaml:2:9: layout: unknown layout 'worksheat'; did you "
        "mean 'worksheet'?",
        "kit/en/withdrawal-signs-checklist.yaml:6:1: sectons: unknown key; did you mean "
        "'sections'?",
    ]
    assert [(i.where, i.key, i.part) for i in snap.issues] == [
        ("kit/en/reconnection-worksheet.yaml:2:9", "layout", "en/reconnection-worksheet"),
        ("kit/en/withdrawal-signs-checklist.yaml:6:1", "sectons", "en/withdrawal-signs-checklist"),
    ]
    parts = {p.id: p for p in snap.parts}
    broken = parts["en/withdrawal-signs-checklist"]
    # its last good pages, marked as such, and nothing of it to download
    assert broken.stale and broken.pdf == good[broken.id].pdf and broken.files == ()
    assert [i.text for i in broken.issues] == [snap.issues[1].text]
    cards = parts["en/letter-prompt-cards"]
    assert not cards.stale and cards.issues == () and cards.pdf == good[cards.id].pdf
    assert "en/letter-prompt-cards.pdf" in snap.files
    # kit.pdf would leave out the broken handouts: it is not offered until they are fixed
    assert "en/kit.pdf" not in snap.files and parts["en/:cover"].files == ()
    (kit_copy / CHECKLIST).write_text(text, encoding="utf-8")
    edit_yaml(kit_copy / WORKSHEET, lambda d: d.update(layout="worksheet"))
    fixed = live.update()
    assert fixed.issues == () and not any(p.stale for p in fixed.parts)
    assert fixed.files == before.files


def test_a_handout_past_its_limit_is_shown_with_its_extra_pages(kit_copy, in_tmp):
    from kitpress.preview.live import Live

    edit_yaml(kit_copy / CHECKLIST, lengthen)
    snap = Live(kit_copy).update()
    part = {p.id: p for p in snap.parts}["en/withdrawal-signs-checklist"]
    assert (part.pages, part.allowed) == (3, 2)
    assert len(PdfReader(io.BytesIO(part.pdf)).pages) == 3
    assert part.over.startswith("1 page over the limit of 2: shorten it by about ")
    lines = int(part.over.split("about ")[1].split()[0])
    assert 3 <= lines <= 45  # the page past the limit is partly full
    # at the section that crosses the limit (file:line:col, its key), by how much
    (issue,) = snap.issues
    where = re.fullmatch(
        r"kit/en/withdrawal-signs-checklist\.yaml:(\d+):\d+: sections\[(\d+)\]: the handout runs "
        rf"over the 2 pages layout 'checklist' allows \(about {lines} lines more; it spills "
        r"over in this part\); shorten the text, or raise max_pages in your kit's "
        r"layouts/checklist\.yaml \(see Layouts in the README\)",
        issue.text,
    )
    assert where, issue.text
    data = yaml.safe_load((kit_copy / CHECKLIST).read_text(encoding="utf-8"))
    heading = data["sections"][int(where[2])]["heading"]
    assert (
        heading
        in (kit_copy / CHECKLIST).read_text(encoding="utf-8").splitlines()[int(where[1]) - 1]
    )
    assert "en/withdrawal-signs-checklist.pdf" not in snap.files and part.files == ()


def test_broken_saves_deleted_files_and_renamed_folders_never_stop_it(kit_copy, in_tmp):
    from kitpress.preview.live import Live

    live = Live(kit_copy)
    good = live.update()
    manifest = (kit_copy / "kit.yaml").read_bytes()
    checklist = kit_copy / CHECKLIST
    text = checklist.read_bytes()
    half = text[: len(text) // 2]
    broken = [
        lambda: checklist.write_bytes(b""),  # an editor's first write
        lambda: checklist.write_bytes(half),  # half a save
        lambda: checklist.write_bytes(b"\xff\xfe\x00garbage\x00"),
        checklist.unlink,
        lambda: (kit_copy / "en").rename(kit_copy / "en-old"),
        lambda: (kit_copy / "kit.yaml").write_text("title: [", encoding="utf-8"),
        lambda: (kit_copy / "kit.yaml").unlink(),
        lambda: kit_copy.rename(in_tmp / "moved"),
    ]
    for n, breaking in enumerate(broken):
        breaking()
        snap = live.update()  # never raises
        assert snap.issues, n
        assert all(i.text.startswith(("kit", in_tmp.name)) or i.where == "" for i in snap.issues)
        assert len(snap.parts) == 5  # the kit stays on the page
        assert any(p.pdf is not None for p in snap.parts)
        # put it back as it was
        if (in_tmp / "moved").exists():
            (in_tmp / "moved").rename(kit_copy)
        if (kit_copy / "en-old").exists():
            (kit_copy / "en-old").rename(kit_copy / "en")
        (kit_copy / "kit.yaml").write_bytes(manifest)
        checklist.write_bytes(text)
        assert live.update().issues == (), n
    assert live.update().files == good.files


def test_a_bug_in_kitpress_is_shown_and_the_preview_goes_on(kit_copy, monkeypatch, capsys):
    from kitpress.preview import live as live_module
    from kitpress.preview.live import Live

    live = Live(kit_copy)
    good = live.update()

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(live_module, "lay_out", broken)
    edit_yaml(kit_copy / CHECKLIST, lambda d: d.update(title="Set off the bug"))
    snap = live.update()
    (issue,) = snap.issues
    assert issue.text.startswith("kitpress could not finish this update (RuntimeError: a bug)")
    assert "Traceback" in capsys.readouterr().err  # for the report, in the terminal
    assert [p.pdf for p in snap.parts] == [p.pdf for p in good.parts]  # the last pages stay
    monkeypatch.undo()
    assert live.update().issues == ()


def test_every_language_and_edition_is_shown(kit_copy, counted):
    from kitpress.preview.live import Live

    edit_yaml(kit_copy / "kit.yaml", lambda d: d.update(languages=["en", "es"]))
    edit_yaml(
        kit_copy / "es" / "withdrawal-signs-checklist.yaml", lambda d: d.update(title="Cuando")
    )
    live = Live(kit_copy, Options(edition=("standard", "large-print")))
    snap = live.update()
    assert snap.issues == ()
    assert [p.id for p in snap.parts if p.kind in ("cover", "checklist")] == [
        "en/:cover",
        "en/withdrawal-signs-checklist",
        "en-large/:cover",
        "en-large/withdrawal-signs-checklist",
        "es/:cover",
        "es/withdrawal-signs-checklist",
        "es-large/:cover",
        "es-large/withdrawal-signs-checklist",
    ]
    large = {p.id: p for p in snap.parts}["es-large/withdrawal-signs-checklist"]
    assert large.texts[0].startswith("Cuando") and large.pages > 2
    assert {"en/kit.pdf", "en-large/kit.pdf", "es/kit.pdf", "es-large/kit.pdf"} <= set(snap.files)
    counted.clear()
    edit_yaml(kit_copy / "es" / "withdrawal-signs-checklist.yaml", lambda d: d.update(title="Si"))
    live.update()  # one file: that handout in each edition, nothing in English
    assert counted == ["es/withdrawal-signs-checklist", "es/withdrawal-signs-checklist"]


def test_the_watch_follows_a_kit_folder_deleted_or_renamed_and_made_again(tmp_path):
    from kitpress.preview.watch import follow

    root = tmp_path / ".venv" / "kit"  # inside a folder watchfiles would ignore
    root.mkdir(parents=True)
    heard: queue.Queue[int] = queue.Queue()
    stop = threading.Event()
    watching = threading.Thread(target=follow, args=(root, lambda: heard.put(1), stop))
    watching.start()

    def heard_after(change) -> bool:
        """Whether a call comes after the change (made again until one does: the
        watch may not have started yet)."""
        for _ in range(30):
            change()
            try:
                heard.get(timeout=1)
            except queue.Empty:
                continue
            while not heard.empty():
                heard.get()
            return True
        return False

    try:
        assert heard_after(lambda: (root / "a.yaml").write_text("one", encoding="utf-8"))
        assert heard_after(lambda: root.exists() and root.rename(tmp_path / "kit-old"))
        assert heard_after(lambda: root.mkdir(exist_ok=True))  # a new folder, same name
        # the new folder is the one followed now
        assert heard_after(lambda: (root / "b.yaml").write_text("two", encoding="utf-8"))
        shutil.rmtree(root)
        assert heard_after(lambda: root.mkdir(exist_ok=True))
        assert heard_after(lambda: (root / "c.yaml").write_text("three", encoding="utf-8"))
    finally:
        stop.set()
        watching.join(timeout=30)
    assert not watching.is_alive()


def test_a_folder_made_again_while_an_update_runs_is_seen(tmp_path):
    """The kit folder renamed away and made again while the update it caused is still
    running: one more update follows (the folder it ran on is taken before the call)."""
    from kitpress.preview.watch import follow

    root = tmp_path / "kit"
    root.mkdir()
    calls: queue.Queue[bool] = queue.Queue()
    stop = threading.Event()

    def changed() -> None:
        calls.put(root.exists())
        if calls.qsize() == 1 and not root.exists():  # the update of the rename
            root.mkdir()  # made again before the update ends

    watching = threading.Thread(target=follow, args=(root, changed, stop))
    watching.start()
    try:
        time.sleep(0.5)  # the watch started
        root.rename(tmp_path / "kit-old")
        assert calls.get(timeout=10) is False
        assert calls.get(timeout=10) is True  # the new folder's update
    finally:
        stop.set()
        watching.join(timeout=30)
    assert not watching.is_alive()


# --- the server ---------------------------------------------------------------------


@pytest.fixture
def served(kit_copy, in_tmp):
    """A preview of a kit copy, served in this process: (live, server)."""
    from kitpress.preview.app import serve

    live, server = serve(kit_copy, Options())
    server.start()
    yield live, server
    server.stop()


def get(server, path: str, host: str | None = None, method: str = "GET"):
    """(status, headers, body) of one request, sent as a browser would."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", host or f"127.0.0.1:{server.port}")
        conn.endheaders()
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_the_server_serves_the_page_the_pictures_and_the_pdfs(served):
    live, server = served
    status, headers, body = get(server, "/")
    assert status == 200 and b"/preview.js" in body
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    state = json.loads(get(server, "/state.json")[2])
    assert [p["id"] for p in state["parts"]] == [p.id for p in live.snapshot.parts]
    page = state["parts"][1]["pages"][0]
    status, headers, png = get(server, page["src"])
    assert status == 200 and headers["Content-Type"] == "image/png"
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (1020, 1320)  # Letter at 120 dpi
    checklist = state["parts"][1]
    (download,) = checklist["files"]
    status, headers, pdf = get(server, download["href"])
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"] == 'attachment; filename="withdrawal-signs-checklist.pdf"'
    assert pdf == live.snapshot.files["en/withdrawal-signs-checklist.pdf"]
    worksheet = state["parts"][3]
    status, headers, pdf = get(server, worksheet["fill"])  # opens in the browser's viewer
    assert headers["Content-Disposition"].startswith("inline;")
    assert "/AcroForm" in PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert [r["file"] for r in state["plan"]["rows"]][-1] == "en/kit.pdf"


def test_no_request_reaches_the_disk(served, kit_copy, in_tmp):
    """Only what the preview built, from memory: no name in a request is a path."""
    _, server = served
    (in_tmp / "secret.txt").write_text("do not show", encoding="utf-8")
    opened: list[str] = []
    watching = threading.Event()

    def audit(event: str, args: tuple) -> None:
        if watching.is_set() and event == "open" and isinstance(args[0], str):
            opened.append(args[0])

    sys.addaudithook(audit)
    tries = [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/pdf/../secret.txt",
        "/pdf/%2e%2e%2fsecret.txt",
        "/pdf/..%2F..%2Fsecret.txt",
        f"/pdf/{in_tmp}/secret.txt",
        "/pdf//etc/passwd",
        "/pdf/en/withdrawal-signs-checklist.yaml",
        "/pdf/kit.yaml",
        "/pdf/en/../en/kit.pdf",
        "/page/../../secret.txt",
        "/page/0123456789abcdef0123/1.png/../../../secret.txt",
        "/preview.js/../../secret.txt",
        "/assets/preview.js",
        "/index.html",
        "//etc/passwd",
        "/etc/passwd",
    ]
    watching.set()
    try:
        answers = {path: get(server, path)[0] for path in tries}
        fine = get(server, "/pdf/en/kit.pdf")[0]
    finally:
        watching.clear()
    assert answers == dict.fromkeys(tries, 404)
    assert fine == 200
    assert not [p for p in opened if str(in_tmp) in p or p.startswith("/etc")]


def test_it_answers_only_on_loopback_and_only_to_its_own_name(served):
    _, server = served
    assert get(server, "/", host=f"localhost:{server.port}")[0] == 200
    # a page elsewhere that points its own name at 127.0.0.1 (DNS rebinding) is refused
    assert get(server, "/state.json", host=f"evil.example:{server.port}")[0] == 403
    assert get(server, "/state.json", host="127.0.0.1")[0] == 403
    for method in ("POST", "PUT", "DELETE"):
        assert get(server, "/", method=method)[0] == 405
    # bound to the loopback address, not to every address (0.0.0.0): nothing on the
    # network can reach it
    assert server.socket.getsockname() == ("127.0.0.1", server.port)


def test_every_open_tab_hears_each_update(served, kit_copy):
    live, server = served
    streams = [_EventStream(server) for _ in range(2)]  # two tabs
    try:
        for s in streams:
            assert s.next_state()["version"] == 1  # the page as it is, at once
        edit_yaml(kit_copy / CHECKLIST, lambda d: d.update(title="Heard in both tabs"))
        server.busy()
        server.publish(live.update())
        for s in streams:
            state = s.next_state()
            assert state["version"] == 2
            assert state["parts"][1]["title"] == "Heard in both tabs"
    finally:
        for s in streams:
            s.close()


class _EventStream:
    """A tab's /events connection, read one event at a time."""

    def __init__(self, server) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        self.conn.request("GET", "/events")
        self.response = self.conn.getresponse()
        assert self.response.headers["Content-Type"].startswith("text/event-stream")

    def next_state(self) -> dict:
        event, data = "", ""
        while True:
            line = self.response.fp.readline().decode()
            if line.startswith("event: "):
                event = line[7:].strip()
            elif line.startswith("data: "):
                data = line[6:]
            elif line == "\n" and event == "state":
                return json.loads(data)

    def close(self) -> None:
        self.conn.close()


def test_nothing_is_written_into_the_kit_or_anywhere_else(served, kit_copy, in_tmp):
    live, server = served

    def everything() -> dict[str, tuple[int, int]]:
        return {
            p.relative_to(in_tmp).as_posix(): (p.stat().st_mtime_ns, p.stat().st_size)
            for p in in_tmp.rglob("*")
        }

    before = everything()
    state = json.loads(get(server, "/state.json")[2])
    for part in state["parts"]:
        for page in part["pages"]:
            assert get(server, page["src"])[0] == 200
        for f in part["files"]:
            assert get(server, f["href"])[0] == 200
    server.publish(live.update())
    assert everything() == before


# --- the command ----------------------------------------------------------------------


def test_preview_command_follows_saves_and_stops_cleanly(kit_copy, in_tmp):
    from tests.previewproc import Preview

    preview = Preview(in_tmp, "kit")
    try:
        preview.wait_for(r"updated in .*: no problems")
        state = json.loads(urllib.request.urlopen(preview.url + "state.json", timeout=10).read())
        assert state["kit"] == "kit" and len(state["parts"]) == 5
        text = (kit_copy / CHECKLIST).read_text(encoding="utf-8")
        (kit_copy / CHECKLIST).write_text(text.replace("sections:", "sectons:", 1), "utf-8")
        preview.wait_for(r"updated in .*: 1 problem:")
        assert preview.wait_for("sectons") == (
            "  kit/en/withdrawal-signs-checklist.yaml:6:1: sectons: unknown key; did you mean "
            "'sections'?"
        )
        (kit_copy / CHECKLIST).write_text(text, encoding="utf-8")
        preview.wait_for(r"updated in .*: no problems")
    finally:
        code = preview.stop()
    assert code == 0
    assert preview.wait_for("stopped") == "preview stopped; nothing was written"


def test_preview_command_says_in_one_line_what_stops_it(runner, in_tmp):
    from kitpress.cli import cli

    result = runner.invoke(cli, ["preview", "nowhere", "--no-open"])
    assert result.exit_code == 1
    assert result.output == ("nowhere: kit folder not found; give the folder that holds kit.yaml\n")
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        result = runner.invoke(
            cli, ["preview", str(bundled("kit")), "--no-open", "--port", str(port)]
        )
    finally:
        taken.close()
    assert result.exit_code == 1
    assert result.output == (
        f"cannot answer on port {port} (Address already in use); choose another with --port, "
        "or leave --port out to use a free one\n"
    )
    assert "127.0.0.1" in runner.invoke(cli, ["preview", "--help"]).output


def test_preview_command_answers_on_the_port_asked_and_opens_the_browser(kit_copy, in_tmp):
    """--port is the port it answers on, and without --no-open the person's browser
    (Python's webbrowser, which follows $BROWSER) is given the address."""
    from tests.previewproc import Preview

    opened = in_tmp / "opened.txt"
    browser = in_tmp / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" > "{opened}"\n', encoding="utf-8")
    browser.chmod(0o755)
    free = socket.socket()
    free.bind(("127.0.0.1", 0))
    port = free.getsockname()[1]
    free.close()
    env = {"BROWSER": str(browser), "DISPLAY": ":0"}  # a desktop to open it on
    preview = Preview(in_tmp, "kit", "--port", str(port), open_browser=True, env=env)
    try:
        assert preview.url == f"http://127.0.0.1:{port}/"
        with urllib.request.urlopen(preview.url, timeout=10) as answer:
            assert b"preview.js" in answer.read()
        preview.wait_for(r"updated in .*: no problems")
        for _ in range(100):  # the browser is started on a thread of its own
            if opened.exists() and opened.read_text(encoding="utf-8"):
                break
            threading.Event().wait(0.1)
        assert opened.read_text(encoding="utf-8") == f"http://127.0.0.1:{port}/\n"
    finally:
        assert preview.stop() == 0


def test_with_no_desktop_the_address_is_given_and_no_browser_started(monkeypatch):
    """Over ssh, Python's webbrowser would start a text browser in the very terminal."""
    import webbrowser

    from kitpress.preview.app import open_page

    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    started: list[str] = []
    monkeypatch.setattr(webbrowser, "open", started.append)
    said: list[str] = []
    open_page("http://127.0.0.1:1234/", said.append)
    assert started == []
    assert said == ["  (no desktop here to open a browser on: open the address in yours)"]


def test_a_signal_that_library_code_swallowed_still_stops_the_watch(tmp_path, monkeypatch):
    """SIGTERM during an update can land in ReportLab's bare `except:`: only recorded,
    never raised. The watch acts on it (within a second), so the preview still stops."""
    from kitpress import interrupts
    from kitpress.preview.watch import follow

    (tmp_path / "kit.yaml").write_text("title: x\n", encoding="utf-8")
    monkeypatch.setattr(interrupts._state, "received", [signal.SIGTERM])  # as swallowed
    stop = threading.Event()
    raised: list[BaseException] = []

    def watch() -> None:
        try:
            follow(tmp_path, lambda: None, stop)
        except BaseException as e:
            raised.append(e)

    watching = threading.Thread(target=watch)
    watching.start()
    watching.join(timeout=10)
    stop.set()  # (a watch that went on regardless ends here, and the test fails)
    watching.join(timeout=10)
    assert len(raised) == 1 and isinstance(raised[0], interrupts.Interrupted)
    assert raised[0].signum == signal.SIGTERM


def test_a_handout_taken_out_of_the_kit_is_let_go(kit_copy):
    """The preview keeps each part's last pictures, to show while it has a problem; a
    handout taken out of kit.yaml is not kept for the rest of the session."""
    from kitpress.preview.live import Live

    live = Live(kit_copy)
    live.update()
    assert "en/visiting-day" in live._drawn
    edit_yaml(kit_copy / "kit.yaml", lambda m: m["handouts"].remove("visiting-day"))
    snap = live.update()
    assert "en/visiting-day" not in {p.id for p in snap.parts}
    assert "en/visiting-day" not in live._drawn
    assert "en/withdrawal-signs-checklist" in live._drawn
