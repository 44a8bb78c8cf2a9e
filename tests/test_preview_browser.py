"""`kitpress preview` in a real browser: Debian's chromium, driven by Playwright.

One preview process and one browser for the module; each test leaves the kit as it
found it. They skip where chromium is not installed (`apt-get install chromium`;
.ci/run installs it): Playwright never downloads a browser here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from kitpress.paths import bundled
from tests.chromium import ARGS, CHROMIUM
from tests.previewproc import Preview

WAIT_MS = 30_000  # for what takes well under a second: a loaded machine must not fail it

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install '.[test]'"
)
if not Path(CHROMIUM).is_file():
    pytest.skip(
        "Debian's chromium is not installed (apt-get install chromium); the preview's "
        "browser tests need it",
        allow_module_level=True,
    )

CHECKLIST = "en/withdrawal-signs-checklist.yaml"
CHECKLIST_PART = '[data-id="en/withdrawal-signs-checklist"]'


@pytest.fixture(scope="module")
def kit_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("browser")
    shutil.copytree(bundled("kit"), work / "kit")
    manifest = yaml.safe_load((work / "kit" / "kit.yaml").read_text(encoding="utf-8"))
    manifest["languages"] = ["en"]  # the page the tests count: one language
    (work / "kit" / "kit.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True))
    return work / "kit"


@pytest.fixture(scope="module")
def preview(kit_dir: Path):
    p = Preview(kit_dir.parent, "kit")
    yield p
    assert p.stop() == 0


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, preview):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto(preview.url)
    tab.wait_for_selector("#problems .ok")
    yield tab
    context.close()
    assert errors == []  # the page's script never failed


@pytest.fixture
def checklist(kit_dir: Path):
    """The checklist's file; put back as it was after the test."""
    path = kit_dir / CHECKLIST
    text = path.read_text(encoding="utf-8")
    yield path
    path.write_text(text, encoding="utf-8")


def loaded(tab, selector: str) -> bool:
    """Whether the picture at selector has arrived and been drawn."""
    return tab.eval_on_selector(selector, "img => img.complete && img.naturalWidth > 0")


def test_the_page_shows_every_handout_as_pages(page, preview):
    parts = page.locator("article.part")
    assert parts.count() == 5
    titles = page.locator("article.part h3").all_inner_texts()
    assert titles == [
        "Cover of the whole kit: Staying Close",
        "When someone you love pulls away",
        "Letter Starters",
        "Staying close when they pull away",
        "Visiting day",
    ]
    counts = [part.locator("figure.page").count() for part in parts.all()]
    assert counts == [2, 2, 16, 3, 2]
    meta = page.locator(f"{CHECKLIST_PART} .meta").inner_text()
    assert meta == (
        "Checklist · kit/en/withdrawal-signs-checklist.yaml · 2 pages · Letter 8.5 × 11 in"
    )
    first = f"{CHECKLIST_PART} figure.page img"
    page.wait_for_function(
        "s => { const i = document.querySelector(s); return i.complete && i.naturalWidth > 0 }",
        arg=first,
    )
    assert loaded(page, first)
    # the print plan, and a PDF to download
    assert page.locator("#plan-table tbody tr").count() == 6
    with page.expect_download() as download:
        page.locator(f"{CHECKLIST_PART} a.button").click()
    assert download.value.suggested_filename == "withdrawal-signs-checklist.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    whole = page.locator('[data-id="en/:cover"] a.button')
    assert whole.inner_text() == "Download kit.pdf (the whole kit, 10 pages)"
    assert whole.get_attribute("href") == "/pdf/en/kit.pdf?download=1"
    fill = page.locator('[data-id="en/reconnection-worksheet"] a[target="_blank"]')
    assert fill.inner_text() == "Open to fill in on screen"


def test_a_save_shows_up_by_itself(page, browser, preview, checklist):
    other = browser.new_page()  # a second tab follows too
    other.set_default_timeout(WAIT_MS)
    other.goto(preview.url)
    other.wait_for_selector("#problems .ok")
    old_src = page.get_attribute(f"{CHECKLIST_PART} figure.page img", "src")
    text = checklist.read_text(encoding="utf-8")
    new = "When the letters stop coming"
    checklist.write_text(text.replace("When someone you love pulls away", new, 1), "utf-8")
    for tab in (page, other):
        tab.wait_for_function(
            "t => document.querySelector('[data-id=\"en/withdrawal-signs-checklist\"] h3')"
            ".textContent === t",
            arg=new,
        )
    img = f"{CHECKLIST_PART} figure.page img"
    # the new picture of the page, once it has arrived (the old one shows until then)
    page.wait_for_function(
        "([s, t]) => { const i = document.querySelector(s);"
        " return i.alt.startsWith('Page 1: ' + t) && i.complete && i.naturalWidth > 0 }",
        arg=[img, new],
    )
    assert page.get_attribute(img, "src") != old_src
    # the cover's contents name it too (kit.pdf is made just after the handouts)
    page.wait_for_function(
        "t => document.querySelector('[data-id=\"en/:cover\"] figure.page img').alt.includes(t)",
        arg=new,
    )
    other.close()


def test_a_problem_is_listed_at_its_line_and_clears_when_fixed(page, checklist):
    text = checklist.read_text(encoding="utf-8")
    checklist.write_text(text.replace("sections:", "sectons:", 1), encoding="utf-8")
    problem = page.locator("#problems li")
    problem.first.wait_for()
    assert problem.count() == 1
    assert problem.inner_text().startswith(
        "kit/en/withdrawal-signs-checklist.yaml:6:1 sectons: unknown key; did you mean 'sections'?"
    )
    banner = page.locator(f"{CHECKLIST_PART} .banner")
    assert banner.inner_text().startswith("This handout has a problem, so it cannot be built.")
    assert "kit/en/withdrawal-signs-checklist.yaml:6:1" in banner.inner_text()
    # the rest of the kit stays, and so do the checklist's last pages (faded)
    assert page.locator("article.part.has-problem").count() == 1
    assert page.locator(f"{CHECKLIST_PART} figure.page").count() == 2
    assert page.locator('[data-id="en/letter-prompt-cards"] figure.page').count() == 16
    checklist.write_text(text, encoding="utf-8")
    page.wait_for_selector("#problems .ok")
    assert page.locator(".banner").count() == 0


def test_pages_past_the_limit_are_marked(page, checklist):
    text = checklist.read_text(encoding="utf-8")
    more = "  - heading: More signs\n    items: [One more sign, And another one]\n"
    checklist.write_text(text.replace("sections:\n", "sections:\n" + more, 1), "utf-8")
    over = page.locator(f"{CHECKLIST_PART} figure.page.over")
    over.first.wait_for()
    assert over.count() == 1
    assert over.locator("figcaption").inner_text() == (
        "Page 3: over the limit (the layout allows 2 pages)"
    )
    banner = page.locator(f"{CHECKLIST_PART} .banner strong").inner_text()
    assert banner.startswith("This handout is too long: 1 page over the limit of 2")
    checklist.write_text(text, encoding="utf-8")
    page.wait_for_selector("#problems .ok")
    assert page.locator("figure.page.over").count() == 0
