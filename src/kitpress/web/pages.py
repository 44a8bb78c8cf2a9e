"""The web edition's pages, made from the loaded content models by Jinja2 templates
with autoescaping on: a kit is untrusted input, and no text is pasted into HTML by
hand. Each handout kind has one template, templates/kinds/<kind>.html, that extends
base.html: a new kind needs only its template."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePath
from typing import Any

import jinja2

from kitpress.content.resources import phone_uri, short_url, website_uri
from kitpress.content.worksheet import label_name, label_text
from kitpress.editions import WEB
from kitpress.errors import InputError
from kitpress.kit import Handout, Kit
from kitpress.render.cards import _is_label

HERE = Path(__file__).parent
ASSETS = PurePath("assets")
INDEX = "index.html"
# a crisis: value that is a phone number becomes a tel: link, so a phone calls it with
# one tap; other values ("Text HOME to 741741") stay text
_PHONE = re.compile(r"\+?[0-9][0-9 ().-]{1,30}")


@dataclass(frozen=True)
class Piece:
    """Part of a box's text: words, or a number from kit.yaml's crisis: to call."""

    text: str
    tel: str | None = None


def pieces(text: str, numbers: dict[str, str]) -> list[Piece]:
    """A box text with its {names} filled in from kit.yaml's crisis: (checked at load)."""
    out: list[Piece] = []
    for literal, name, _, _ in string.Formatter().parse(text):
        if literal:
            out.append(Piece(literal))
        if name is not None:
            number = numbers[name]
            tel = re.sub(r"[^0-9+]", "", number) if _PHONE.fullmatch(number) else None
            out.append(Piece(number, tel))
    return out


def card_lines(text: str) -> list[tuple[bool, str]]:
    """A card's lines, each with whether it is a bold label ("Write about:"), as printed."""
    lines = text.split("\n")
    return [(_is_label(lines, k), line) for k, line in enumerate(lines)]


@dataclass(frozen=True)
class Other:
    """The same page in another language."""

    lang: str
    href: str
    name: str  # the language's name in itself


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(["html"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # helpers the kinds' templates use (each kind's words come from its content model)
    env.globals.update(
        card_lines=card_lines,
        label_text=label_text,
        label_name=label_name,
        phone_uri=phone_uri,
        website_uri=website_uri,
        short_url=short_url,
    )
    return env


class Site:
    """Every page of one kit's web edition, by its path under OUT/web/."""

    def __init__(self, kit: Kit) -> None:
        self.kit = kit
        self.handouts = [h for h in kit.handouts if h.edition == WEB]
        self.langs = list(dict.fromkeys(h.lang for h in self.handouts))
        self.files = {(h.lang, h.name): h.file for h in self.handouts}
        self.env = environment()

    def handout_path(self, h: Handout) -> PurePath:
        return PurePath(h.lang, f"{h.file}.html")

    def index_path(self, lang: str) -> PurePath:
        return PurePath(lang, INDEX)

    def root_path(self) -> PurePath:
        return PurePath(INDEX)

    def pages(self) -> dict[PurePath, str]:
        pages = {self.root_path(): self._root()}
        for lang in self.langs:
            pages[self.index_path(lang)] = self._index(lang)
        for h in self.handouts:
            pages[self.handout_path(h)] = self._handout(h)
        return pages

    def assets(self, fonts: list[dict[str, Any]]) -> dict[str, bytes]:
        css = self.env.get_template("kit.css").render(fonts=fonts)
        js = (HERE / "static" / "answers.js").read_bytes()
        return {"kit.css": css.encode("utf-8"), "answers.js": js}

    # --- pages ------------------------------------------------------------------------

    def _common(self, lang: str, others: list[Other], title: str) -> dict[str, Any]:
        masthead = self.kit.manifest.masthead(lang)
        labels = self.kit.covers[lang, WEB].labels
        org = masthead.organization
        footer = org.name
        if org.contact:
            footer = labels.footer.format(name=org.name, contact=org.contact)
        return {
            "lang": lang,
            "title": title,
            "kit_title": masthead.title,
            "root": "../",
            "words": labels.web,
            "is_index": False,
            "others": others,
            "footer": footer,
            "box_text": lambda text: pieces(text, masthead.crisis),
            "quote": lambda text: labels.quote.format(text=text),
        }

    def _others(self, lang: str, name: str | None) -> list[Other]:
        """Links to this page in the kit's other languages (the index if name is None)."""
        out = []
        for other in self.langs:
            if other == lang:
                continue
            file = INDEX if name is None else f"{self.files[other, name]}.html"
            words = self.kit.covers[other, WEB].labels.web
            assert words is not None  # load_kit requires them for the web edition
            out.append(Other(other, f"../{other}/{file}", words.language))
        return out

    def _render(self, template: str, **context: Any) -> str:
        """The page; the script that keeps answers is linked only when it has fields."""
        t = self.env.get_template(template)
        html = t.render(keeps=False, **context)
        return t.render(keeps=True, **context) if "data-keep" in html else html

    def _root(self) -> str:
        first = self.langs[0]
        entries = [
            Other(lang, f"{lang}/{INDEX}", self.kit.manifest.masthead(lang).title)
            for lang in self.langs
        ]
        context = self._common(first, [], " / ".join(e.name for e in entries))
        return self._render("root.html", **{**context, "root": "", "entries": entries})

    def _index(self, lang: str) -> str:
        cover = self.kit.covers[lang, WEB]
        handouts = [h for h in self.handouts if h.lang == lang]
        contents = [Other(lang, f"{h.file}.html", h.title) for h in handouts]
        context = self._common(lang, self._others(lang, None), cover.content.title)
        context["is_index"] = True
        return self._render("index.html", cover=cover.content, contents=contents, **context)

    def _handout(self, h: Handout) -> str:
        template = f"kinds/{h.kind.name}.html"
        if not (HERE / "templates" / template).is_file():
            raise InputError(
                f"the web edition has no page for kind '{h.kind.name}' yet; build without the "
                "web edition",
                h.source.at(("kind",)),
                ("kind",),
            )
        title = f"{h.title} · {self.kit.manifest.masthead(h.lang).title}"
        context = self._common(h.lang, self._others(h.lang, h.name), title)
        return self._render(template, c=h.content, handout=h, **context)


class _Text(HTMLParser):
    """The words a page shows (for the fonts): its text, without scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)
