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


# --- reading a font file (render/internals.QuickFace) ----------------------------------


def _parsed(face) -> dict:
    """Everything a parse leaves on the face, dicts as their items in order (the order
    is what later code iterates)."""
    return {
        k: list(v.items()) if isinstance(v, dict) else v
        for k, v in vars(face).items()
        if k != "_pdfScale"  # a lambda made afresh by each parse
    }


@pytest.mark.parametrize("path", sorted(bundled("fonts").glob("*.ttf")), ids=lambda p: p.name)
def test_quick_face_reads_every_bundled_font_as_reportlab_does(path):
    from reportlab.pdfbase.ttfonts import TTFontFace

    from kitpress.render.internals import QuickFace

    ours, theirs = _parsed(QuickFace(str(path))), _parsed(TTFontFace(str(path)))
    assert ours.keys() == theirs.keys()
    for key in theirs:
        assert ours[key] == theirs[key], key
    assert len(ours["charToGlyph"]) > 2000 and len(ours["glyphPos"]) > 3000  # read, not empty


@pytest.mark.parametrize("path", sorted(bundled("fonts").glob("*.ttf")), ids=lambda p: p.name)
def test_quick_face_makes_every_subset_as_reportlab_does(path):
    """QuickFace._subset against TTFontFile.makeSubset: the same font program, byte for
    byte, and ReportLab's reader left where ReportLab leaves it, for subsets of every
    size (a PDF's 256-character subsets, the 1,500 glyphs of typed answers, composite
    glyphs and their parts, characters the font lacks, a character twice)."""
    import random

    from reportlab.pdfbase.ttfonts import TTFontFile

    from kitpress.render.internals import QuickFace

    face = QuickFace(str(path))
    chars = sorted(face.charToGlyph)
    composite = [c for c in chars if _composite(face, face.charToGlyph[c])]
    assert composite, "a bundled font has composite glyphs (accented letters)"
    rng = random.Random(path.name)
    subsets = [chars[:1500], chars, composite[:256], [0x41, 0x41], [0x10FFFF], []]
    for size in (1, 3, 40, 256, 256, 900):
        subsets.append(
            [rng.choice(chars if rng.random() < 0.9 else composite) for _ in range(size)]
            + [rng.randrange(0x110000) for _ in range(size // 20)]
        )
    for subset in subsets:
        expected = TTFontFile.makeSubset(face, subset)
        left = face._pos
        face._pos = -1
        assert face._subset(subset) == expected
        assert face._pos == left


def _composite(face, glyph: int) -> bool:
    import struct

    at = face.get_table_pos("glyf")[0] + face.glyphPos[glyph]
    has_data = face.glyphPos[glyph + 1] > face.glyphPos[glyph]
    return has_data and struct.unpack_from(">h", face._ttf_data, at)[0] < 0


def _format4(path, cut: int = 0) -> bytes:
    """The font with every character map record pointing at its format 4 subtable (the
    bundled fonts' own choice is format 12), that subtable's length cut by `cut` bytes:
    glyph ids of its last segments then lie past its end, as in a broken font."""
    import struct

    data = bytearray(path.read_bytes())
    (tables,) = struct.unpack_from(">H", data, 4)
    cmap = next(
        struct.unpack_from(">L", data, 12 + 16 * i + 8)[0]
        for i in range(tables)
        if data[12 + 16 * i : 16 + 16 * i] == b"cmap"
    )
    (records,) = struct.unpack_from(">H", data, cmap + 2)
    offsets = [struct.unpack_from(">L", data, cmap + 8 + 8 * i)[0] for i in range(records)]
    four = next(o for o in offsets if struct.unpack_from(">H", data, cmap + o)[0] == 4)
    for i in range(records):
        struct.pack_into(">L", data, cmap + 8 + 8 * i, four)
    length = struct.unpack_from(">H", data, cmap + four + 2)[0]
    struct.pack_into(">H", data, cmap + four + 2, length - cut)
    return bytes(data)


@pytest.mark.parametrize("cut", [0, 41], ids=["whole", "cut short"])
def test_quick_face_reads_a_format_4_character_map_as_reportlab_does(cut):
    import io

    from reportlab.pdfbase.ttfonts import TTFontFace

    from kitpress.render.internals import QuickFace

    path = bundled("fonts") / "DejaVuSans.ttf"
    data = _format4(path, cut)  # odd: the last glyph id read is half inside
    ours, theirs = QuickFace(io.BytesIO(data)), TTFontFace(io.BytesIO(data))
    assert _parsed(ours) == _parsed(theirs)
    whole = TTFontFace(str(path)).charToGlyph
    assert len(theirs.charToGlyph) > 2000
    lost = [c for c, g in theirs.charToGlyph.items() if g == 0 and whole.get(c)]
    assert bool(lost) == bool(cut)  # cut short, some characters lost their glyphs


def test_every_face_a_kit_registers_is_read_by_quick_face():
    from kitpress.render.internals import QuickFace

    family = FontBook(bundled("fonts")).family("Andika")
    assert {type(font.face) for font in family.fonts.values()} == {QuickFace}
    assert len({font.face.filename for font in family.fonts.values()}) == 4


def test_a_subset_in_two_pdfs_is_made_and_compressed_once(monkeypatch):
    """A build embeds the same font subset in several PDFs (a deck and its calibration
    sheet, every facility's kit): QuickFace makes and compresses it once, into the very
    bytes ReportLab's own face makes."""
    import io
    import zlib

    from pypdf import PdfReader
    from reportlab.pdfbase import pdfmetrics, ttfonts
    from reportlab.pdfgen.canvas import Canvas

    from kitpress.render import internals

    path = str(bundled("fonts") / "Andika-Regular.ttf")
    # pdfmetrics maps a new name for an already registered face to the font first
    # registered for it (another test's, perhaps not read by QuickFace): a registry of
    # this test's own, so the font drawn is the one made here.
    monkeypatch.setattr(pdfmetrics, "_fonts", dict(pdfmetrics._fonts))
    monkeypatch.setattr(pdfmetrics, "_dynFaceNames", {})
    font = internals.quick_font("SubsetOnce", path)
    pdfmetrics.registerFont(font)
    assert pdfmetrics.getFont("SubsetOnce") is font
    made, reportlabs = internals.QuickFace._subset, ttfonts.TTFontFile.makeSubset
    subsets: list[list[int]] = []

    def counted(face, subset):  # noqa: ANN001, ANN202
        subsets.append(list(subset))
        return made(face, subset)

    monkeypatch.setattr(internals.QuickFace, "_subset", counted)
    before = internals._flate.cache_info()

    def font_program() -> tuple[bytes, bytes]:
        canvas = Canvas(io.BytesIO())
        canvas.setFont("SubsetOnce", 12)
        canvas.drawString(72, 72, "Ŵŷ and ŉ, once")  # no other test draws these
        fonts = PdfReader(io.BytesIO(canvas.getpdfdata())).pages[0]["/Resources"]["/Font"]
        (font,) = [f for name, f in fonts.items() if name != "/F1"]  # F1: Helvetica
        program = font.get_object()["/FontDescriptor"]["/FontFile2"].get_object()
        return program.get_data(), program._data

    (raw, packed), again = font_program(), font_program()
    after = internals._flate.cache_info()
    assert len(subsets) == 1  # made once
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 1)  # compressed once
    assert again == (raw, packed) and zlib.decompress(packed) == raw
    assert raw == reportlabs(_lean_face(path), subsets[0])  # ReportLab's own bytes
    assert len(raw) > 10_000


def _lean_face(path: str):
    """ReportLab's own face, its 'name' table made lean as QuickFace makes it."""
    from reportlab.pdfbase.ttfonts import TTFontFace

    from kitpress.render.internals import lean_names

    face = TTFontFace(path)
    table = face.get_table
    face.get_table = lambda tag: lean_names(table(tag)) if tag == "name" else table(tag)
    return face


def _tables(program: bytes) -> dict[bytes, bytes]:
    import struct

    count = struct.unpack_from(">H", program, 4)[0]
    tables = {}
    for n in range(count):
        tag, _, offset, length = struct.unpack_from(">4sLLL", program, 12 + 16 * n)
        tables[tag] = program[offset : offset + length]
    return tables


@pytest.mark.parametrize("path", sorted(bundled("fonts").glob("*.ttf")), ids=lambda p: p.name)
def test_an_embedded_subset_keeps_the_copyright_but_not_the_licence_text(path):
    """Every subset a PDF embeds carried the font's whole 'name' table: the licence's
    text and the names of features the subset has no table for, half of an Andika
    subset. A subset of a font under the SIL Open Font License (Andika) keeps the names
    that say what the font is and whose (copyright, family, version, maker, the
    licence's address), read back by fontTools exactly as in the font file; any other
    (DejaVu: its licence asks for its notice in every copy) keeps them all. Every other
    table is exactly as ReportLab makes it."""
    import io

    from fontTools.ttLib import TTFont
    from reportlab.pdfbase.ttfonts import TTFontFace

    from kitpress.render.internals import QuickFace

    codes = [ord(c) for c in "Querida mamá, ¿cómo estás?"]
    ours = QuickFace(str(path)).makeSubset(codes)
    theirs = TTFontFace(str(path)).makeSubset(codes)
    mine, full = _tables(ours), _tables(theirs)
    assert mine.keys() == full.keys()
    for tag in full.keys() - {b"name"}:
        if tag == b"head":  # all but the checksum of the whole file (bytes 8-11)
            assert mine[tag][:8] + mine[tag][12:] == full[tag][:8] + full[tag][12:]
        else:
            assert mine[tag] == full[tag], tag
    original = {(r.nameID, r.platformID): r.toUnicode() for r in TTFont(path)["name"].names}
    kept = {(r.nameID, r.platformID): r.toUnicode() for r in TTFont(io.BytesIO(ours))["name"].names}
    if "Andika" in path.name:  # SIL Open Font License
        names = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 17}  # not 13 or 256 on
        assert kept == {k: v for k, v in original.items() if k[0] in names}
        assert len(ours) < len(theirs) * 0.7
        assert "Copyright" in kept[(0, 3)] and "OFL" in kept[(14, 3)]
    else:
        assert kept == original and "Bitstream" in kept[(13, 3)]
        assert mine[b"name"] == full[b"name"]


def test_a_name_table_of_another_format_or_unreadable_is_kept_whole():
    import struct

    from kitpress.render.internals import lean_names

    table = struct.pack(">3H", 1, 1, 18) + struct.pack(">6H", 3, 1, 1033, 13, 4, 0) + b"\0a\0b"
    assert lean_names(table) == table
    assert lean_names(b"") == b""
    ofl = "https://openfontlicense.org".encode("utf-16-be")
    whole = struct.pack(">3H", 0, 2, 30)
    whole += struct.pack(">6H", 3, 1, 1033, 14, len(ofl), 0)
    whole += struct.pack(">6H", 3, 1, 1033, 300, 2, len(ofl)) + ofl + b"\0x"
    assert lean_names(whole) == struct.pack(">3H", 0, 1, 18) + whole[6:18] + ofl
    assert lean_names(whole[:20]) == whole[:20]  # its records cut off: kept as it is
