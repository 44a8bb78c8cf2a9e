"""The web edition's files, read back without a browser: which files a build writes,
the same words as the print edition, semantic HTML, escaping of a kit's text, the
fonts, and the web edition kept out of the print plan. (tests/test_web_browser.py
reads the same pages in Chromium.)"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from kitpress.build import build_kit
from kitpress.cli import cli
from kitpress.content.base import fill
from kitpress.kit import load_kit
from kitpress.options import Options
from kitpress.paths import bundled
from kitpress.web.pages import page_text
from tests.pdfread import printed

HANDOUTS = ("withdrawal-signs-checklist", "letter-prompt-cards", "reconnection-worksheet")
# keys whose values are names for the program, or words only a printer reads
# (icon_alt says what a card's icon shows, for screen readers of the tagged PDF: the web
# page draws no icons)
NOT_SHOWN = {
    "kind", "layout", "name", "type", "icon", "icon_alt", "number", "calibration", "separately"
}  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The default kit, printed and on the web (kitpress build --web)."""
    out = tmp_path_factory.mktemp("web") / "out"
    build_kit(load_kit(bundled("kit"), (), ("web",)), out, Options())
    return out


def edit(path: Path, **changes: Any) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def shown(html: str) -> str:
    """The words a page shows, as one line (a card's <br> is a line break)."""
    return norm(page_text(html.replace("<br>", "\n")))


class Tags(HTMLParser):
    """Every start tag of a page, in order, with its attributes, and the text of each
    <label for=…>."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.labels: dict[str, str] = {}
        self._label: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "label":
            self._label = dict(attrs).get("for")
            if self._label:
                self.labels[self._label] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._label = None

    def handle_data(self, data: str) -> None:
        if self._label:
            self.labels[self._label] += data

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


def strings(value: Any, numbers: dict[str, str], key: str = "") -> list[str]:
    """Every text of a content model that a reader sees, {names} filled in."""
    if key in NOT_SHOWN or value is None or value is False:
        return []
    if isinstance(value, str):
        return [fill(value, numbers) if "{" in value else value]
    if isinstance(value, BaseModel):
        return [s for k in type(value).model_fields for s in strings(getattr(value, k), numbers, k)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v, numbers)]
    return []


# --- files ----------------------------------------------------------------------------


def test_a_web_build_writes_a_page_per_handout_an_index_and_the_assets(built):
    web = built / "web"
    for name in (*HANDOUTS, "index"):
        assert (web / "en" / f"{name}.html").is_file(), name
    assert (web / "index.html").is_file()
    for asset in ("kit.css", "answers.js", "fonts/kittext-regular.woff2", "fonts/OFL-Andika.txt"):
        assert (web / "assets" / asset).is_file(), asset
    # and the printed edition as ever, beside it
    assert (built / "en" / "kit.pdf").is_file()


def test_the_web_edition_is_not_in_the_print_plan(built, tmp_path):
    plan = (built / "print-plan.txt").read_text(encoding="utf-8")
    assert "web" not in plan and ".html" not in plan
    plain = tmp_path / "plain"
    build_kit(load_kit(bundled("kit")), plain, Options())
    assert (plain / "print-plan.txt").read_text(encoding="utf-8") == plan


def test_web_only_builds_write_no_pdf_and_no_print_plan(kit_copy, runner, in_tmp):
    result = runner.invoke(cli, ["build", str(kit_copy), "-o", "out", "--edition", "web"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (in_tmp / "out").iterdir()) == ["web"]
    manifest = yaml.safe_load((bundled("kit") / "kit.yaml").read_text())
    pages = len(manifest["handouts"]) + 1  # and the index
    assert result.output.splitlines() == [
        f"wrote out/web/{lang}/ ({pages} web pages)" for lang in manifest["languages"]
    ]
    # the kit may ask for it itself
    edit(kit_copy / "kit.yaml", editions=["standard", "web"])
    result = runner.invoke(cli, ["build", str(kit_copy), "-o", "out2", "-q"])
    assert result.exit_code == 0, result.output
    assert (in_tmp / "out2" / "web" / "en" / "index.html").is_file()
    assert (in_tmp / "out2" / "en" / "kit.pdf").is_file()


def test_only_writes_that_page_and_leaves_the_index(built, runner, tmp_path):
    import shutil

    out = tmp_path / "out"
    shutil.copytree(built, out)
    index = out / "web" / "en" / "index.html"
    index.write_text("the previous index", encoding="utf-8")
    (out / "web" / "en" / "reconnection-worksheet.html").unlink()
    args = ["build", str(bundled("kit")), "-o", str(out), "--web", "-q"]
    result = runner.invoke(cli, [*args, "--only", "reconnection-worksheet"])
    assert result.exit_code == 0, result.output
    assert (out / "web" / "en" / "reconnection-worksheet.html").is_file()
    assert index.read_text(encoding="utf-8") == "the previous index"


def test_json_lists_the_web_files_and_check_renders_the_pages(runner, in_tmp):
    import json

    result = runner.invoke(cli, ["build", str(bundled("kit")), "-o", "out", "--web", "--json"])
    assert result.exit_code == 0, result.output
    web = json.loads(result.output)["web"]
    assert "out/web/en/withdrawal-signs-checklist.html" in web
    assert all("/web/" in path for path in web)
    result = runner.invoke(cli, ["check", str(bundled("kit")), "--web"])
    assert result.exit_code == 0, result.output


def test_two_builds_are_byte_identical(built, tmp_path):
    again = tmp_path / "again"
    build_kit(load_kit(bundled("kit"), ("web",)), again, Options())
    for path in sorted((built / "web").rglob("*")):
        if path.is_file():
            rel = path.relative_to(built)
            assert (again / rel).read_bytes() == path.read_bytes(), rel


# --- the words --------------------------------------------------------------------------


@pytest.mark.parametrize("name", HANDOUTS)
def test_every_word_of_the_handout_is_on_its_page(built, name):
    kit = load_kit(bundled("kit"), ("web",))
    handout = next(h for h in kit.handouts if h.name == name)
    page = shown((built / "web" / "en" / f"{name}.html").read_text(encoding="utf-8"))
    words = strings(handout.content, kit.manifest.crisis)
    assert len(words) > 20
    for text in words:
        assert norm(text) in page, text
    assert "Your group" in page  # the footer, as on paper


def test_the_index_has_the_cover_its_back_and_links_to_every_page(built):
    kit = load_kit(bundled("kit"), ("web",))
    cover = kit.covers["en", "web"].content
    html = (built / "web" / "en" / "index.html").read_text(encoding="utf-8")
    page = shown(html)
    for text in strings(cover, kit.manifest.crisis):
        assert norm(text) in page, text
    # the help boxes (the back of the printed cover) come before the contents
    assert page.index("I am worried about suicide") < page.index("In this kit")
    assert page.index("Before you mail anything") < page.index("In this kit")
    hrefs = [a["href"] for a in Tags(html).all("a")]
    for name in HANDOUTS:
        assert f"{name}.html" in hrefs


def test_crisis_numbers_are_links_a_phone_can_call(built, kit_copy, tmp_path):
    html = (built / "web" / "en" / "withdrawal-signs-checklist.html").read_text(encoding="utf-8")
    assert '<a href="tel:988">988</a>' in html
    assert '<a href="tel:911">911</a>' in html
    # a number with words in it is not a phone number: it stays text
    edit(kit_copy / "kit.yaml", crisis={"crisis_line": "text HOME to 741741", "emergency": "112"})
    build_kit(load_kit(kit_copy, ("web",)), tmp_path / "out", Options())
    html = (tmp_path / "out" / "web" / "en" / "index.html").read_text(encoding="utf-8")
    assert "text HOME to 741741" in html and 'href="tel:741741"' not in html
    assert '<a href="tel:112">112</a>' in html


# --- the HTML ---------------------------------------------------------------------------


def pages(built: Path) -> list[Path]:
    return sorted((built / "web").rglob("*.html"))


def test_pages_are_semantic_and_every_field_has_a_label(built):
    for path in pages(built):
        html = path.read_text(encoding="utf-8")
        tags = Tags(html)
        # its folder's language (the root page that links the languages: the first one)
        lang = path.parent.name if path.parent.name != "web" else "en"
        assert tags.all("html")[0]["lang"] == lang, path
        headings = [int(t[1]) for t, _ in tags.tags if re.fullmatch(r"h[1-6]", t)]
        assert headings.count(1) == 1 and headings[0] == 1, path
        steps = zip(headings, headings[1:], strict=False)
        assert all(b - a <= 1 for a, b in steps), path  # no heading level skipped
        ids = [a["id"] for _, a in tags.tags if "id" in a]
        assert len(ids) == len(set(ids)), path
        for field in tags.all("input") + tags.all("textarea"):
            name = field.get("aria-label") or tags.labels.get(field["id"] or "", "")
            assert norm(name or ""), (path, field)
    checklist = Tags((built / "web" / "en" / "withdrawal-signs-checklist.html").read_text())
    boxes = [a for a in checklist.all("input") if a.get("type") == "checkbox"]
    assert len(boxes) == 6  # the six signs, each a real checkbox with its words as label
    assert checklist.labels[boxes[0]["id"] or ""] == "Short answers, like “fine” or “okay”"
    worksheet = Tags((built / "web" / "en" / "reconnection-worksheet.html").read_text())
    assert worksheet.labels["topic"] == "A light topic I can write about:"
    assert [a for a in worksheet.all("th") if a.get("scope") == "row"]  # the tracker's rows
    assert len(worksheet.all("textarea")) >= 10


def test_pages_ask_for_nothing_from_anywhere_else(built):
    for path in pages(built):
        html = path.read_text(encoding="utf-8")
        tags = Tags(html)
        for tag, attrs in tags.tags:
            for key in ("href", "src", "action", "srcset"):
                url = attrs.get(key)
                if url is None:
                    continue
                if tag == "a" and key == "href":  # a link a person follows is no request;
                    # a resource sheet links to the places it lists
                    assert re.match(r"^(https://|mailto:|tel:)|^[^:]*$", url), url
                else:
                    assert not re.match(r"^[a-z]+:|^//", url), url
            assert "style" not in attrs  # no inline style: the page's policy refuses it
        scripts = tags.all("script")
        assert all(s.get("src") == "../assets/answers.js" for s in scripts), path
        assert "default-src 'none'" in html  # the Content-Security-Policy
    css = (built / "web" / "assets" / "kit.css").read_text(encoding="utf-8")
    assert not re.search(r"url\((?!\"fonts/)", css) and "@import" not in css
    js = (built / "web" / "assets" / "answers.js").read_text(encoding="utf-8")
    for call in ("fetch(", "XMLHttpRequest", "sendBeacon", "WebSocket", "import("):
        assert call not in js


def test_only_pages_with_fields_load_the_script(built):
    def has_script(name: str) -> bool:
        return "answers.js" in (built / "web" / "en" / f"{name}.html").read_text()

    assert has_script("reconnection-worksheet") and has_script("withdrawal-signs-checklist")
    assert not has_script("letter-prompt-cards") and not has_script("index")


def test_a_kits_text_is_escaped_never_markup(kit_copy, tmp_path):
    """A kit is untrusted input: words that look like HTML are shown as words."""
    evil = '<script>alert(1)</script> & <img src=x onerror="alert(2)">'
    path = kit_copy / "en" / "withdrawal-signs-checklist.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["title"] = evil
    data["sections"][3]["items"][0] = '"><b>bold</b>'
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    edit(kit_copy / "en" / "labels.yaml", quote="«{text}»")  # label words go through too
    build_kit(load_kit(kit_copy, ("web",)), tmp_path / "out", Options())
    html = (tmp_path / "out" / "web" / "en" / "withdrawal-signs-checklist.html").read_text()
    tags = Tags(html)
    assert [s.get("src") for s in tags.all("script")] == ["../assets/answers.js"]
    assert not tags.all("img") and not tags.all("b")
    # shown as words (its quote marks typographic, as all printed text)
    assert printed(evil, "«{text}»") == "<script>alert(1)</script> & <img src=x onerror=«alert(2)»>"
    assert printed(evil, "«{text}»") in page_text(html)
    assert printed('"><b>bold</b>', "«{text}»") in page_text(html)
    assert "«We think about you every day. Write when you can. We love you.»" in page_text(html)


# --- fonts ------------------------------------------------------------------------------


def font(path: Path):
    from fontTools.ttLib import TTFont

    return TTFont(io.BytesIO(path.read_bytes()))


def test_fonts_are_small_renamed_subsets_that_draw_every_character(built):
    assets = built / "web" / "assets" / "fonts"
    text = "".join(page_text(p.read_text(encoding="utf-8")) for p in pages(built))
    for face in ("regular", "bold"):
        path = assets / f"kittext-{face}.woff2"
        assert path.read_bytes()[:4] == b"wOF2"
        assert path.stat().st_size < 20_000  # the whole font is 670 KB
        f = font(path)
        cmap = f.getBestCmap()
        missing = {c for c in text if not c.isspace() and ord(c) not in cmap}
        assert not missing
        assert len(cmap) < 200  # a subset, not the whole font
        names = {r.nameID: r.toUnicode() for r in f["name"].names}
        assert names[1] == "KitText" and "Andika" not in names[4]  # OFL: no Reserved Name
        assert "SIL" in names[0]  # the copyright stays
    assert not list(assets.glob("kitsymbols*"))  # no page needs the symbols font


def test_characters_the_text_font_lacks_come_with_the_symbols_font(kit_copy, tmp_path):
    path = kit_copy / "en" / "withdrawal-signs-checklist.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["sections"][3]["items"][0] = "Short answers ✔"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    build_kit(load_kit(kit_copy, ("web",)), tmp_path / "out", Options())
    assets = tmp_path / "out" / "web" / "assets"
    symbols = font(assets / "fonts" / "kitsymbols1-regular.woff2").getBestCmap()
    assert ord("✔") in symbols and ord("a") not in symbols
    css = (assets / "kit.css").read_text(encoding="utf-8")
    assert '"KitText", "KitSymbols1", system-ui' in css


def test_every_kind_has_its_web_template():
    """A new kind is one template away from the web edition (templates/kinds/<kind>.html)."""
    from kitpress import kinds
    from kitpress.web.pages import HERE

    for name in kinds.names():
        assert (HERE / "templates" / "kinds" / f"{name}.html").is_file(), name
