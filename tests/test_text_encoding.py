"""kitpress's TaggedTTFont.splitString (render/internals.py) encodes text whose every
character already has a code with one str.translate; it must give exactly what
ReportLab's own TTFont.splitString gives, call after call, as codes are given out."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase import ttfonts
from reportlab.pdfgen.canvas import Canvas

from kitpress import paths
from kitpress.render.internals import TaggedTTFont

FONT = TaggedTTFont("SplitTest", str(paths.bundled("fonts") / "Andika-Regular.ttf"))
# Latin text, no-break spaces, Spanish, a character Andika lacks (U+4E00), and enough
# others that the codes run past the first 256 (a second subset)
ALPHABET = st.sampled_from(
    list("abcdefghij ABC.,;:?!-'\"0123456789\u00a0áéíóúñ¿¡\u4e00")
    + [chr(c) for c in range(0x100, 0x17F)]
)


def _doc() -> object:
    return Canvas(io.BytesIO())._doc


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(ALPHABET, max_size=40), min_size=1, max_size=30))
def test_split_string_matches_reportlab_call_after_call(texts: list[str]) -> None:
    fast_doc, plain_doc = _doc(), _doc()
    for text in texts + texts:  # the second time round, every character has its code
        fast = FONT.splitString(text, fast_doc)
        plain = ttfonts.TTFont.splitString(FONT, text, plain_doc)
        assert fast == plain, text
    assert FONT.state[fast_doc].assignments == FONT.state[plain_doc].assignments


def test_text_already_coded_takes_the_quick_path(monkeypatch) -> None:
    doc = _doc()
    original = ttfonts.TTFont.splitString
    calls: list[str] = []

    def counted(self, text, doc, encoding="utf-8"):  # type: ignore[no-untyped-def]
        calls.append(text)
        return original(self, text, doc, encoding)

    monkeypatch.setattr(ttfonts.TTFont, "splitString", counted)
    FONT.splitString("Hello, wörld", doc)  # 'ö' has no code yet: ReportLab's path
    assert calls == ["Hello, wörld"]
    # every character coded now (a no-break space is drawn as a space): the quick path
    assert FONT.splitString("hello\u00a0wörld", doc) == original(FONT, "hello wörld", doc)
    assert calls == ["Hello, wörld"]


def test_a_drawn_pdf_leaves_nothing_for_the_cycle_collector() -> None:
    """A one-shot kitpress process runs without the cycle collector (__main__.py): what
    drawing a handout makes must be freed by reference counting alone once its PDF is
    written. (Each text object once kept itself alive through the wrapper that ends its
    lines with a space: a 10,000-card deck held 86,866 of them.)"""
    import gc

    from reportlab.pdfbase.pdfdoc import PDFPage
    from reportlab.pdfgen.textobject import PDFTextObject

    from kitpress.build import lay_out
    from kitpress.kit import load_kit
    from kitpress.options import Options
    from kitpress.paper import paper

    kit = load_kit(paths.bundled("kit"))
    laid = [lay_out(kit, h, paper(kit.manifest.paper), Options()) for h in kit.handouts[:4]]

    def alive() -> int:
        return sum(isinstance(o, (PDFTextObject, PDFPage)) for o in gc.get_objects())

    gc.collect()
    before = alive()
    gc.disable()
    try:
        pdfs = [r.pdf() for r in laid]
        assert alive() == before, "text objects or pages outlived their PDF"
    finally:
        gc.enable()
    assert all(pdf.startswith(b"%PDF") for pdf in pdfs)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), st.text(st.characters(max_codepoint=0x7F)), st.binary()))
def test_pdf_strings_are_written_as_reportlab_writes_them(value: object) -> None:
    """render/internals.fast_pdfdoc_encoding: ASCII by str.encode, the rest (and the
    ASCII controls PDFDocEncoding lacks) through ReportLab's own codec, as before."""
    from reportlab.pdfbase import pdfdoc

    import kitpress.render.canvas  # noqa: F401 (installs the quick path)
    from kitpress.render import internals

    assert pdfdoc.pdfdocEnc is internals._pdfdoc_enc
    try:
        expected = internals._pdfdoc_encoding(value)
    except UnicodeEncodeError:
        expected = None
    try:
        got = pdfdoc.pdfdocEnc(value)
    except UnicodeEncodeError:
        got = None
    assert got == expected


class _Numbered:
    """Enough of a PDFDocument for formatting references (and no encryption)."""

    def __init__(self) -> None:
        from reportlab.pdfbase import pdfdoc

        self.encrypt = pdfdoc.NoEncryption()
        self.idToObjectNumberAndVersion = {"Page1": (3, 0), "F1": (12, 0)}


_numbers = st.one_of(
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from([0, 0.0, -0.0, 1, 1.0, 683.59375, 1e12, 2.5, True, False]),
)
_plain = st.one_of(
    _numbers,
    st.text(st.characters(max_codepoint=0x17F), max_size=12).map(lambda t: "/" + t),
    st.binary(max_size=8),
)


def _multiline(made: object, multiline: object) -> object:
    made.multiline = multiline  # type: ignore[attr-defined]
    return made


# a dictionary's or array's own setting: (with rl_config.pdfMultiLine) on many lines,
# on one, or on many lines whatever the setting (a stream's dictionary)
_MULTILINE = st.sampled_from([True, False, "forced"])


def _pdf_value(children: st.SearchStrategy) -> st.SearchStrategy:
    from collections import OrderedDict

    from reportlab.pdfbase import pdfdoc

    keys = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x17F), min_size=1, max_size=8)
    entries = st.dictionaries(keys, children, max_size=14)
    # (an OrderedDict's keys are written in its order, not sorted)
    entries = st.one_of(entries, entries.map(lambda d: OrderedDict(reversed(d.items()))))
    items = st.lists(children, max_size=24)
    return st.one_of(
        st.builds(_multiline, st.builds(pdfdoc.PDFArray, items), _MULTILINE),
        st.builds(pdfdoc.PDFArrayCompact, items),
        st.builds(_multiline, st.builds(pdfdoc.PDFDictionary, entries), _MULTILINE),
        st.builds(pdfdoc.PDFString, st.text(max_size=10)),
        st.builds(pdfdoc.PDFObjectReference, st.sampled_from(["Page1", "F1"])),
    )


def _written_both_ways(value: object) -> tuple[bytes | str, bytes | str]:
    """`value` formatted the quick way and by ReportLab's own PDFDictionary.format and
    PDFArray.format: the bytes, or the error (a character PDFDocEncoding lacks, a number
    too big for ReportLab's fp_str)."""
    from reportlab.pdfbase import pdfdoc

    import kitpress.render.canvas  # noqa: F401 (installs the quick path)
    from kitpress.render import internals

    def written() -> bytes | str:
        try:
            return pdfdoc.format(value, _Numbered())
        except (UnicodeEncodeError, ValueError) as e:
            return type(e).__name__

    got = written()
    originals = internals.REPORTLAB_FORMATS
    assert pdfdoc.PDFDictionary.format is not originals[pdfdoc.PDFDictionary]
    try:
        pdfdoc.PDFDictionary.format = originals[pdfdoc.PDFDictionary]
        pdfdoc.PDFArray.format = originals[pdfdoc.PDFArray]
        expected = written()
    finally:
        internals.quick_dictionaries()
    return got, expected


@settings(max_examples=150, deadline=None)
@given(st.recursive(_plain, _pdf_value, max_leaves=30), st.sampled_from([0, 1]))
def test_dictionaries_and_arrays_are_written_as_reportlab_writes_them(value, multiline) -> None:
    """render/internals.quick_dictionaries: every dictionary and array, nested to any
    depth, with keys and values of every kind, gives ReportLab's own bytes, on many
    lines or on one, whichever rl_config.pdfMultiLine (0 by default)."""
    from reportlab import rl_config

    default = rl_config.pdfMultiLine
    try:
        rl_config.pdfMultiLine = multiline
        got, expected = _written_both_ways(value)
    finally:
        rl_config.pdfMultiLine = default
    assert got == expected


class _CaseBlind(str):
    """A key equal to any other of its letters in another case (as a str subclass may
    be): it is still written as its own characters."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and self.lower() == other.lower()

    def __hash__(self) -> int:
        return hash(self.lower())


def test_a_key_of_a_str_subclass_is_written_from_its_own_characters() -> None:
    from reportlab.pdfbase import pdfdoc

    for key in ("type", _CaseBlind("TYPE")):  # (the first has the name "/type" kept)
        got, expected = _written_both_ways(pdfdoc.PDFDictionary({key: 1}))
        assert got == expected
