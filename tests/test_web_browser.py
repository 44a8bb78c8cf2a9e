"""The web edition in a real browser: Debian's chromium, driven by Playwright, with
axe-core from npm (tests/web/package.json, installed by .ci/run with `npm ci`).

Every page of the default kit (English and Spanish) is checked with axe-core at
WCAG 2.2 AA at a phone's width (360 px) and a desktop's (1280 px), and screenshots of
both are written (to $KITPRESS_SCREENSHOTS when set) to be looked at. The pages are
served from 127.0.0.1, and every request the browser makes is watched.

The module skips, saying why, when chromium, Playwright or axe-core is missing.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import os
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kitpress.build import build_kit
from kitpress.kit import load_kit
from kitpress.options import Options
from kitpress.paths import bundled
from kitpress.web.pages import page_text
from tests.chromium import ARGS, CHROMIUM

AXE = Path(__file__).parent / "web" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = (360, 1280)

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install '.[test]'"
)
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's chromium is not installed (apt-get install chromium; .ci/run does)",
)
needs_axe = pytest.mark.skipif(
    not AXE.exists(), reason="axe-core is not installed: npm ci --prefix tests/web"
)


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[str, list[str]]]:
    """The default kit's web edition (English and Spanish) on
    http://127.0.0.1:PORT/default/, and the path of every page."""
    root = tmp_path_factory.mktemp("web")
    build_kit(load_kit(bundled("kit"), ("web",)), root / "default", Options())
    pages = sorted(p.relative_to(root).as_posix() for p in root.glob("*/web/**/*.html"))
    assert len(pages) == 11  # the index, and each language's index and four handouts
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/", pages
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _open(page, url: str) -> None:
    """Go to a page and wait until it and its fonts have loaded. (Every request goes to
    127.0.0.1, so "load" and the fonts' promise are enough: Playwright's "networkidle"
    would add half a second of quiet to every page.)"""
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    """Says nothing when the browser drops a request it no longer needs (a page left
    while a file was still being sent); any other error is printed as usual."""

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


@contextlib.contextmanager
def watched(browser, base: str, **context_args) -> Iterator[tuple[object, list[str]]]:
    """A page whose every request is recorded; any that would leave the test server
    is refused (and so fails the tests that look at the list)."""
    context = browser.new_context(**context_args)
    requests: list[str] = []

    def route(route) -> None:
        requests.append(route.request.url)
        if route.request.url.startswith(base):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)
    try:
        yield context.new_page(), requests
    finally:
        context.close()


def _shots() -> Path | None:
    folder = os.environ.get("KITPRESS_SCREENSHOTS")
    return Path(folder) if folder else None


@needs_axe
@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_passes_axe_at_wcag_22_aa(served, browser, width):
    base, pages = served
    problems = []
    shots = _shots()
    # bypass_csp: the pages' policy rightly refuses the injected axe script
    viewport = {"width": width, "height": 900}
    with watched(browser, base, viewport=viewport, bypass_csp=True) as (page, _):
        for path in pages:
            _open(page, base + path)
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                WCAG_22_AA,
            )
            assert result["passes"], path  # axe really ran its rules on the page
            # violations, and what axe could not decide (it asks a person to look): none
            for v in result["violations"] + result["incomplete"]:
                targets = [n["target"] for n in v["nodes"]][:3]
                problems.append(f"{path} at {width}px: {v['id']} ({v['help']}) {targets}")
            if shots is not None:
                shots.mkdir(parents=True, exist_ok=True)
                name = path.replace("/", "_").removesuffix(".html")
                page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)
    assert not problems, "\n".join(problems)


def test_no_request_leaves_the_server_and_the_fonts_load(served, browser):
    base, pages = served
    with watched(browser, base, viewport={"width": 360, "height": 800}) as (page, requests):
        for path in pages:
            _open(page, base + path)
            assert page.evaluate("document.fonts.check('16px KitText')"), path
            loaded = page.evaluate("[...document.fonts].map(f => f.status)")
            assert loaded and set(loaded) == {"loaded"}, (path, loaded)
    outside = [url for url in requests if not url.startswith(base)]
    assert not outside
    assert any(url.endswith(".woff2") for url in requests)  # the fonts came from here


def test_answers_survive_a_reload_and_are_never_sent(served, browser):
    base, _ = served
    url = base + "default/web/en/reconnection-worksheet.html"
    with watched(browser, base, viewport={"width": 360, "height": 800}) as (page, requests):
        _open(page, url)
        before = len(requests)
        page.fill("textarea#topic", "The garden, and the new dog")
        page.check("input[id='noticed.1']")
        page.fill("input[id='tracker.letters.week_1']", "2")
        page.fill("textarea[id='rewrite.1.kinder']", "I miss you")
        assert len(requests) == before  # typing sends nothing, anywhere
        page.reload(wait_until="load")
        assert page.input_value("textarea#topic") == "The garden, and the new dog"
        assert page.is_checked("input[id='noticed.1']")
        assert not page.is_checked("input[id='noticed.2']")
        assert page.input_value("input[id='tracker.letters.week_1']") == "2"
        assert page.input_value("textarea[id='rewrite.1.kinder']") == "I miss you"
        keys = page.evaluate("Object.keys(localStorage)")
        assert keys and all(k.startswith("kitpress:/default/web/en/") for k in keys)
        # each page keeps its own answers: the checklist starts empty
        page.goto(base + "default/web/en/withdrawal-signs-checklist.html")
        assert not page.is_checked("#s4-1")
        page.check("#s4-1")
        page.fill("#s4-1-when", "June")
        page.reload()
        assert page.is_checked("#s4-1") and page.input_value("#s4-1-when") == "June"
        # a shared phone: one button clears what was typed on the page
        page.goto(url)
        page.click("[data-clear]")
        page.reload()
        assert page.input_value("textarea#topic") == ""
        assert not page.is_checked("input[id='noticed.1']")
    assert all(r.startswith(base) for r in requests)


def test_pages_read_the_same_with_javascript_turned_off(served, browser):
    base, pages = served
    with watched(browser, base, java_script_enabled=False) as (page, _):
        for path in pages:
            _open(page, base + path)
            shown = _norm(page.inner_text("main"))
            html = page.content()
            # every word of the page is on the screen, but the note about keeping
            # answers, which only the script makes true
            main = html[html.index("<main") : html.index("</main>")]
            main = re.sub(r'<div class="keep".*?</div>', "", main, flags=re.S)
            main = main.replace("<br>", " ")  # a card's label on its own line
            assert _norm(page_text(main)) == shown, path
            assert page.locator("[data-keep-note]").count() == 0 or not page.is_visible(
                "[data-keep-note]"
            )
            assert page.evaluate("document.fonts.check('16px KitText')"), path


def test_pages_fit_a_320_px_screen(served, browser):
    base, pages = served
    with watched(browser, base, viewport={"width": 320, "height": 640}) as (page, _):
        for path in pages:
            _open(page, base + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, (path, width)  # nothing to scroll sideways
            size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
            assert size >= 16, (path, size)


def test_languages_link_to_the_same_page_in_each_other(served, browser):
    base, _ = served
    with watched(browser, base) as (page, _):
        page.goto(base + "default/web/en/letter-prompt-cards.html")
        page.click("a[hreflang='es']")
        assert page.url == base + "default/web/es/tarjetas-para-cartas.html"
        assert page.get_attribute("html", "lang") == "es"
        assert page.inner_text("a[hreflang='en']") == "English"
        page.click("a[hreflang='en']")
        assert page.url.endswith("/default/web/en/letter-prompt-cards.html")
        page.goto(base + "default/web/index.html")
        assert page.inner_text("li[lang='es']") == "Seguimos cerca"
        page.click("li[lang='es'] a")
        assert page.url.endswith("/default/web/es/index.html")
        assert page.inner_text("h1") == "Seguimos cerca"


def test_the_print_stylesheet_prints_words_and_answers_not_the_links(served, browser):
    from pypdf import PdfReader

    base, _ = served
    with watched(browser, base) as (page, _):
        page.goto(base + "default/web/en/reconnection-worksheet.html")
        page.fill("textarea#topic", "Our old dog Rufus")
        page.emulate_media(media="print")
        assert not page.is_visible("nav")
        assert not page.is_visible("[data-clear]")
        pdf = page.pdf(format="Letter")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Staying close when they pull away" in text
    assert "Our old dog Rufus" in text
    assert "All the handouts" not in text and "Clear my answers" not in text


def test_pages_opened_from_a_folder_work_too(served, browser, tmp_path):
    """A group may hand the folder round on a stick: file:// pages get their style,
    fonts and kept answers just the same (the page's security policy allows 'self')."""
    root = tmp_path / "out"
    build_kit(load_kit(bundled("kit"), ("web",)), root, Options())
    page = browser.new_page()
    try:
        page.goto((root / "web" / "en" / "reconnection-worksheet.html").as_uri())
        page.wait_for_load_state("load")
        assert page.evaluate("document.fonts.check('16px KitText')")
        family = page.evaluate("getComputedStyle(document.body).fontFamily")
        assert family.startswith("KitText")
        assert page.is_visible("[data-keep-note]")  # the script ran
    finally:
        page.close()


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
