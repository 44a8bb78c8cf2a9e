"""Straight quotes print as typographic ones in the language's marks, on every
handout, the cover, kit.pdf and the web edition; what must stay as typed does."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
import yaml

from kitpress.build import build_kit
from kitpress.kit import load_kit
from kitpress.options import Options
from kitpress.paths import bundled
from kitpress.typography import Quotes, typeset
from tests.pdfread import all_text, embedded_fonts

EN = Quotes.from_label("“{text}”")
ES = Quotes.from_label("«{text}»")


@pytest.mark.parametrize(
    ("typed", "english", "spanish"),
    [
        ("don't", "don’t", "don’t"),
        ('"fine" or "okay"', "“fine” or “okay”", "«fine» or «okay»"),
        ("back in the '90s", "back in the ’90s", "back in the ’90s"),
        (
            "'Tis rock 'n' roll, tell 'em",
            "’Tis rock ’n’ roll, tell ’em",
            "’Tis rock ’n’ roll, tell ’em",
        ),
        ("'never' and 'no'", "‘never’ and ‘no’", "‘never’ and ‘no’"),
        ("James' book", "James’ book", "James’ book"),
        ("'Why?' she asked", "‘Why?’ she asked", "‘Why?’ she asked"),
        (
            "She said \"he told me 'no'\"",
            "She said “he told me ‘no’”",
            "She said «he told me “no”»",
        ),
        (
            'He said "I said "stop" twice"',
            "He said “I said ‘stop’ twice”",
            "He said «I said “stop” twice»",
        ),
        ("(\"quoted\") and ['single']", "(“quoted”) and [‘single’]", "(«quoted») and [‘single’]"),
        ('"¿Cómo está?"', "“¿Cómo está?”", "«¿Cómo está?»"),
        ('Instead of:\n"Why?"', "Instead of:\n“Why?”", "Instead of:\n«Why?»"),
        ("“Already” it's", "“Already” it’s", "“Already” it’s"),
        ("“Say 'no'”", "“Say ‘no’”", "“Say ‘no’”"),
        # what must stay as typed
        ('5\'10" tall, 8" paper', '5\'10" tall, 8" paper', '5\'10" tall, 8" paper'),
        ("see https://example.org/it's", "see https://example.org/it’s"[:-4] + "it's", None),
        ("write to o'brien@example.org", "write to o'brien@example.org", None),
        ('call {crisis_line} "now"', "call {crisis_line} “now”", "call {crisis_line} «now»"),
        ("(555) 014-2200", "(555) 014-2200", "(555) 014-2200"),
        ("no quotes at all", "no quotes at all", "no quotes at all"),
    ],
)
def test_typeset(typed: str, english: str, spanish: str | None):
    assert typeset(typed, EN) == english
    assert typeset(typed, ES) == (english if spanish is None else spanish)


def test_quote_marks_come_from_the_label():
    assert Quotes.from_label("«{text}»") == Quotes("«", "»")
    assert Quotes.from_label("„{text}“") == Quotes("„", "“")
    assert typeset("\"a 'b'\"", Quotes.from_label("„{text}“")) == "„a ‚b‘“"
    assert Quotes.from_label("“{text}”") == Quotes()
    assert Quotes.from_label("{text}") == Quotes()  # no marks given: the usual ones


# --- read back from every handout in both languages ----------------------------------

TYPED = "Ann's \"yes\" and 'no'"
PRINTED = {"en": "Ann’s “yes” and ‘no’", "es": "Ann’s «yes» and ‘no’"}
SITE = "example.org/ann's-page"  # an address: printed as typed


def _put(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _intro(data: dict) -> None:
    data["intro"] = f"{TYPED}. {data['intro']}"


def _first_card(data: dict) -> None:
    data["categories"][0]["cards"][0] = TYPED


def _site(data: dict) -> None:
    _intro(data)
    entry = data["sections"][0]["entries"][0]
    entry["website"] = SITE
    entry["qr"] = False


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[str, str]]]:
    """The default kit with straight quotes typed into every kind of handout, the cover
    and kit.yaml, Spanish set to «» in labels.yaml, built once with the web edition."""
    tmp = tmp_path_factory.mktemp("quotes")
    kit = tmp / "kit"
    shutil.copytree(bundled("kit"), kit)
    labels = kit / "es/labels.yaml"
    labels.write_text(labels.read_text(encoding="utf-8").replace("“{text}”", "«{text}»"), "utf-8")

    def org(data: dict) -> None:
        data["organization"]["name"] = {"en": 'Ann\'s "Circle"', "es": 'El "Círculo" de Ann'}

    _put(kit / "kit.yaml", org)
    for lang in ("en", "es"):
        for name in ("withdrawal-signs-checklist", "reconnection-worksheet", "cover"):
            _put(kit / lang / f"{name}.yaml", _intro)
        _put(kit / lang / "letter-prompt-cards.yaml", _first_card)
        _put(kit / lang / "visiting-day.yaml", _site)
    out = tmp / "out"
    result = build_kit(load_kit(kit, also=("web",)), out, Options(web=True))
    files = {
        lang: {p.stem: all_text(p) for p in result_files(result, out / lang)}
        for lang in ("en", "es")
    }
    return out, files


def result_files(result, folder: Path) -> list[Path]:
    return [
        f.path for f in result.files if f.path.parent == folder and "calibration" not in f.path.name
    ]


FOOTER = {"en": "Ann’s “Circle”", "es": "El «Círculo» de Ann"}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_handout_prints_typographic_quotes(built, lang: str):
    _, files = built
    assert len(files[lang]) == 5  # four handouts and kit.pdf
    for stem, text in files[lang].items():
        assert text.count(PRINTED[lang]) >= (4 if stem == "kit" else 1), stem
        if "cartas" not in stem and "cards" not in stem:  # a card has no footer
            assert FOOTER[lang] in text, stem
        without_site = text.replace(SITE, "")
        assert "'" not in without_site and '"' not in without_site, (stem, without_site[:200])


@pytest.mark.parametrize("lang", ["en", "es"])
def test_addresses_are_printed_as_typed(built, lang: str):
    _, files = built
    sheet = {"en": "visiting-day", "es": "dia-de-visita"}[lang]
    assert SITE in files[lang][sheet]
    assert SITE in files[lang]["kit"]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_web_edition_has_them_too(built, lang: str):
    out, _ = built
    pages = sorted((out / "web" / lang).glob("*.html"))
    assert len(pages) == 5
    for page in pages:
        visible = html.unescape(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))
        assert FOOTER[lang] in visible, page.name
    every = " ".join(html.unescape(p.read_text(encoding="utf-8")) for p in pages)
    assert every.count(PRINTED[lang]) >= 5


def test_the_fonts_have_the_marks(built):
    """The glyph check runs on the typeset texts: a build that passed drew them, and
    with fonts that are embedded (no fallback to a viewer's font)."""
    out, files = built
    for lang in ("en", "es"):
        assert embedded_fonts(out / lang / "kit.pdf")
    assert "’" in files["en"]["letter-prompt-cards"]


def test_the_default_kit_prints_no_straight_quotes(tmp_path: Path):
    out = tmp_path / "out"
    result = build_kit(load_kit(bundled("kit")), out, Options())
    for item in result.files:
        text = all_text(item.path)
        assert "'" not in text and '"' not in text, item.path.name
