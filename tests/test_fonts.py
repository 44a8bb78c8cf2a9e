from __future__ import annotations

import pytest

from kitpress.errors import GlyphError
from kitpress.fonts import FontBook
from kitpress.paths import bundled


@pytest.fixture(scope="module")
def chain():
    return FontBook(bundled("fonts")).chain("Andika", "DejaVuSans")


def test_andika_draws_latin_and_spanish(chain):
    chain.check("¿Cómo estás? Mañana — “sí”.", None)


def test_symbols_fall_back_to_dejavu(chain):
    assert 0x2714 not in chain.text.coverage  # Andika has no heavy check mark
    markup = chain.markup("Done ✔ & <ok>")
    assert markup == 'Done <font name="DejaVuSans">✔</font> &amp; &lt;ok&gt;'
    assert chain.markup("✔", bold=True) == '<font name="DejaVuSans-Bold">✔</font>'


def test_undrawable_character_is_an_error(chain):
    with pytest.raises(GlyphError, match=r"U\+1F980 \(CRAB\)"):
        chain.check("a crab 🦀", None)


def test_unknown_font_family():
    from kitpress.errors import InputError

    with pytest.raises(InputError, match="unknown font 'Andka'; did you mean 'Andika'"):
        FontBook(bundled("fonts")).family("Andka")


def test_licences_ship_with_the_fonts():
    folder = bundled("fonts")
    assert "SIL Open Font License" in (folder / "OFL-Andika.txt").read_text()
    assert "Bitstream" in (folder / "LICENSE-DejaVu.txt").read_text()
