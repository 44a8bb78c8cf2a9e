"""The preview's web server: on 127.0.0.1 only, answering from memory.

Nothing a request names is looked up on disk: the page's own files are read once at
start, a page picture is found by the digest of a PDF the preview built, and a PDF
by its place in the build (en/kit.pdf). The page learns of each update by server-sent
events (/events), so it follows the kit with no refresh, in every tab that is open.
"""

from __future__ import annotations

import json
import queue
import re
import sys
import threading
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from kitpress.preview.live import Issue, Part, Snapshot
from kitpress.preview.pages import Pictures

HOST = "127.0.0.1"
_ASSETS = Path(__file__).parent / "assets"
# path -> (file in assets/, content type): the page and what it loads, nothing else
_PAGE_FILES = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/preview.css": ("preview.css", "text/css; charset=utf-8"),
    "/preview.js": ("preview.js", "text/javascript; charset=utf-8"),
}
_PICTURE = re.compile(r"^/page/([0-9a-f]{20})/([1-9][0-9]{0,5})\.png$")
# The page's own script and styles only: a kit is untrusted input, and the page shows
# its words (as text, never as markup), so nothing else may run or load.
_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_KEEP_ALIVE = 15.0  # seconds between comments on a quiet event stream


class Hub:
    """The open event streams (one per tab), each with its queue of messages."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._streams: list[queue.Queue[bytes | None]] = []
        self.closed = False

    def join(self) -> queue.Queue[bytes | None]:
        stream: queue.Queue[bytes | None] = queue.Queue()
        with self._lock:
            self._streams.append(stream)
        return stream

    def leave(self, stream: queue.Queue[bytes | None]) -> None:
        with self._lock:
            if stream in self._streams:
                self._streams.remove(stream)

    def send(self, event: str, data: str) -> None:
        message = f"event: {event}\ndata: {data}\n\n".encode()
        with self._lock:
            for stream in self._streams:
                stream.put(message)

    def close(self) -> None:
        with self._lock:
            self.closed = True
            for stream in self._streams:
                stream.put(None)

    @property
    def count(self) -> int:
        with self._lock:
            return len(self._streams)


class PreviewServer(ThreadingHTTPServer):
    """Serves one preview. `snapshot` is what the page shows now; publish() a new one."""

    daemon_threads = True  # open event streams must not keep kitpress running
    request_queue_size = 64  # a page asks for many pictures at once

    def __init__(self, snapshot: Snapshot, port: int = 0) -> None:
        self.snapshot = snapshot
        self.hub = Hub()
        self.pictures = Pictures()
        self.files = {
            path: (_ASSETS / name).read_bytes() for path, (name, _) in _PAGE_FILES.items()
        }
        super().__init__((HOST, port), _Handler)
        self.port = self.server_address[1]
        self.hosts = {f"{HOST}:{self.port}", f"localhost:{self.port}"}

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="kitpress-preview", daemon=True)
        thread.start()
        return thread

    def publish(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.hub.send("state", state_json(snapshot))

    def show(self, snapshot: Snapshot, ahead: int = 4) -> None:
        """Publish a snapshot, then draw the first `ahead` pictures of each part that
        changed, in the order of the page: what the page asks for first is drawn first
        (or is being drawn, and is waited for), and kit.pdf is made after, not while."""
        shown = {p.digest for p in self.snapshot.parts}
        self.publish(snapshot)
        try:
            for part in snapshot.parts:
                if part.pdf is not None and part.digest not in shown:
                    for index in range(min(part.pages, ahead)):
                        self.pictures.png(part.digest, part.pdf, index)
        except Exception:  # only a head start: the page asks again, and is told why
            traceback.print_exc(file=sys.stderr)

    def busy(self) -> None:
        """Tell the page an update has begun (it says so until the update arrives)."""
        self.hub.send("busy", "{}")

    def stop(self) -> None:
        self.hub.close()
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "kitpress-preview"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base's name)
        pass  # the terminal shows updates and problems, not every request

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self._answer(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(head=True)

    def _refuse(self) -> None:
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, b"the preview only shows; it takes nothing\n")

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse  # noqa: N815

    def _answer(self, head: bool) -> None:
        # A web page elsewhere may point a name of its own at 127.0.0.1 (DNS rebinding)
        # to read the preview: answer only to the names this preview was opened by.
        if self.headers.get("Host", "") not in self.server.hosts:
            self._send(HTTPStatus.FORBIDDEN, f"open {self.server.url}\n".encode())
            return
        url = urlsplit(self.path)
        path = url.path
        snap = self.server.snapshot
        if path in _PAGE_FILES:
            body = self.server.files[path]
            extra = {"Content-Security-Policy": _POLICY} if path == "/" else {}
            self._send(HTTPStatus.OK, body, _PAGE_FILES[path][1], head, **extra)
        elif path == "/favicon.ico":  # asked for by every browser: there is none
            self._send(HTTPStatus.NO_CONTENT, b"", head=True)
        elif path == "/events" and not head:
            self._events()
        elif path == "/state.json":
            self._send(HTTPStatus.OK, state_json(snap).encode(), "application/json", head)
        elif (m := _PICTURE.match(path)) is not None:
            self._picture(snap, m.group(1), int(m.group(2)), head)
        elif path.startswith("/pdf/"):
            name = unquote(path[len("/pdf/") :])
            download = "download" in parse_qs(url.query)
            self._pdf(snap, name, download, head)
        else:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n")

    def _picture(self, snap: Snapshot, digest: str, number: int, head: bool) -> None:
        found = snap.pictured(digest)
        if found is None or number > found[1]:
            self._send(HTTPStatus.NOT_FOUND, b"no such page (the kit has changed since)\n")
            return
        png = self.server.pictures.png(digest, found[0], number - 1)
        # the address names the PDF's contents, so the picture at it never changes
        self._send(HTTPStatus.OK, png, "image/png", head, cache="max-age=86400, immutable")

    def _pdf(self, snap: Snapshot, name: str, download: bool, head: bool) -> None:
        data = snap.files.get(name)  # only a PDF this build made; a name is never a path
        if data is None:
            self._send(HTTPStatus.NOT_FOUND, b"no such PDF in this build\n")
            return
        filename = PurePosixPath(name).name
        how = "attachment" if download else "inline"
        self._send(
            HTTPStatus.OK,
            data,
            "application/pdf",
            head,
            **{"Content-Disposition": f'{how}; filename="{filename}"'},
        )

    def _events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        hub = self.server.hub
        stream = hub.join()
        try:
            first = f"event: state\ndata: {state_json(self.server.snapshot)}\n\n"
            self.wfile.write(first.encode())
            self.wfile.flush()
            while not hub.closed:
                try:
                    message = stream.get(timeout=_KEEP_ALIVE)
                except queue.Empty:
                    message = b": still here\n\n"  # finds a closed tab, keeps proxies open
                if message is None:
                    break
                self.wfile.write(message)
                self.wfile.flush()
        except OSError:  # the tab was closed or reloaded
            pass
        finally:
            hub.leave(stream)

    def _send(
        self,
        status: HTTPStatus,
        body: bytes,
        kind: str = "text/plain; charset=utf-8",
        head: bool = False,
        cache: str = "no-store",
        **headers: str,
    ) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", cache)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            if not head:
                self.wfile.write(body)
        except OSError:  # the browser went away mid-answer
            pass


def state_json(snap: Snapshot) -> str:
    """What the page needs to draw itself, as JSON."""
    width, height = snap.page_size
    return json.dumps(
        {
            "version": snap.version,
            "partial": snap.partial,
            "title": snap.title,
            "kit": snap.kit,
            "seconds": round(snap.seconds, 3),
            "when": snap.when,
            "aspect": round(width / height, 4),
            "problems": [_issue(i) for i in snap.issues],
            "parts": [_part(p) for p in snap.parts],
            "plan": _plan(snap),
        },
        ensure_ascii=False,
    )


def _issue(issue: Issue) -> dict[str, str]:
    return {
        "text": issue.text,
        "where": issue.where,
        "key": issue.key,
        "message": issue.message,
        "part": issue.part,
        "hint": issue.hint,
    }


def _part(part: Part) -> dict[str, Any]:
    digest = part.digest
    pages = [
        {
            "src": f"/page/{digest}/{n}.png",
            "n": n,
            "over": part.allowed is not None and n > part.allowed,
            "text": part.texts[n - 1] if n <= len(part.texts) else "",
        }
        for n in range(1, part.pages + 1)
    ]
    href = {path: "/pdf/" + "/".join(map(_quote, path.split("/"))) for _, path in part.files}
    fill = next((href[p] for _, p in part.files[:1] if part.fillable), None)
    return {
        "id": part.id,
        "folder": part.folder,
        "title": part.title,
        "kind": part.kind,
        "source": part.source,
        "pages": pages,
        "allowed": part.allowed,
        "paper": part.paper,
        "issues": [_issue(i) for i in part.issues],
        "stale": part.stale,
        "files": [
            {"label": label, "href": href[path] + "?download=1", "name": path.split("/")[-1]}
            for label, path in part.files
        ],
        "fill": fill,
        "notes": list(part.notes),
        "over": part.over,
    }


def _quote(segment: str) -> str:
    return quote(segment, safe="")


def _plan(snap: Snapshot) -> dict[str, Any]:
    rows = [
        {
            "file": j.path.as_posix(),
            "pages": j.pages,
            "sheets": j.sheets,
            "sides": "double" if j.double_sided else "single",
            "paper": j.stock,
            "kits": j.kits if j.in_kit else None,
            "total": j.sheets * j.kits if j.in_kit else None,
        }
        for j in snap.jobs
    ]
    # the plan's words under its table: the kits to print, and the paper for them all
    blocks = snap.plan.strip().split("\n\n")
    return {"rows": rows, "notes": blocks[2:] if len(blocks) > 2 else []}
