"""What a build imports, and the stand-ins that keep it from importing more: a default
build must not pull in modules only other commands need (each costs every start)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape as sax_escape

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kitpress.markup import escape

SRC = Path(__file__).resolve().parents[1] / "src"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab &<>\"'&amp;;\n\u00e9\u201c"))))
def test_escape_is_saxutils_escape(text):
    assert escape(text) == sax_escape(text)
    quote = {'"': "&quot;"}
    assert escape(text, quote) == sax_escape(text, quote)


def test_a_default_build_imports_only_what_it_needs(tmp_path):
    """Build the default kit with `python -m kitpress` in a fresh process and list what
    it imported. A kit with no facility values never needs facilities.py (nor csv with
    it); nothing needs xml.sax.saxutils, which brings urllib.request, http.client and
    ssl; nor importlib.metadata, which pydantic imports to look for plugins."""
    modules = _imported(["build", str(_kit()), "-o", str(tmp_path), "-q"])
    assert (tmp_path / "en" / "kit.pdf").is_file()  # it did build
    assert "kitpress.render.worksheet" in modules  # and the list is the build's
    unneeded = ("kitpress.facilities", "xml.sax.saxutils", "urllib.request", "ssl")
    if _reportlab() < (5, 1):  # 5.0 imports urllib.request itself (5.1: on first use)
        unneeded = unneeded[:2]
    for name in (*unneeded, "importlib.metadata"):
        assert name not in modules, name


def _reportlab() -> tuple[int, ...]:
    import reportlab

    return tuple(int(n) for n in reportlab.Version.split(".")[:2])


def test_a_kit_with_no_qr_code_never_imports_the_barcode_package(tmp_path):
    """The QR codes' encoder is imported when a code is drawn: ReportLab's barcode
    package takes 6 ms to import, and a kit without `web:` or a resource sheet has none."""
    kit = tmp_path / "kit"
    shutil.copytree(_kit(), kit)
    manifest = yaml.safe_load((kit / "kit.yaml").read_text(encoding="utf-8"))
    manifest["languages"], manifest["handouts"] = ["en"], ["withdrawal-signs-checklist"]
    (kit / "kit.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    modules = _imported(["build", str(kit), "-o", str(tmp_path / "out"), "-q"])
    assert (tmp_path / "out" / "en" / "kit.pdf").is_file()
    assert "kitpress.render.checklist" in modules
    assert not any(m.startswith("reportlab.graphics.barcode") for m in modules)


def test_qr_codes_are_drawn_without_importing_the_barcode_package(tmp_path):
    """The default kit draws QR codes (its visiting-day sheets), with ReportLab's QR
    encoder loaded alone: the barcode package's __init__ imports every barcode widget
    (18 ms). tests/test_resources.py decodes the codes drawn."""
    modules = _imported(["build", str(_kit()), "-o", str(tmp_path / "out"), "-q", "-j", "1"])
    assert "kitpress.render.resources" in modules
    assert not any(m.startswith("reportlab.graphics") for m in modules)


def test_a_build_never_runs_pil_image_and_reportlab_still_draws_bitmaps(tmp_path):
    """ReportLab imports PIL.Image (12 ms), which a build never uses: it is loaded on
    first use. Used after kitpress is imported, it works as ever."""
    modules = _imported(["build", str(_kit()), "-o", str(tmp_path / "out"), "-q", "-j", "1"])
    assert "reportlab.lib.utils" in modules and "PIL.Image" in modules
    assert "PIL.ExifTags" not in modules  # what PIL.Image imports when it runs
    script = """
import io, kitpress.render
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
out = io.BytesIO()
c = Canvas(out)
c.drawImage(ImageReader(Image.new("RGB", (8, 8), "red")), 10, 10, 40, 40)
c.save()
print(b"/Subtype /Image" in out.getvalue())
"""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert done.stdout.strip() == "True", done.stderr


def test_platypus_is_imported_without_compiling_the_uri_pattern():
    """render/platypus.py leaves reportlab.platypus.paragraph's uri_pat (19 ms to compile)
    and textsplit's CJK pattern to be compiled when first used; used, they match as the
    compiled patterns do, and re.compile is itself again."""
    script = """
import json, re
compile_ = re.compile
import kitpress.render
import reportlab.platypus.paragraph as p
from kitpress.render.platypus import Deferred
assert re.compile is compile_
assert isinstance(p.uri_pat, Deferred) and p.uri_pat.compiled is None
import reportlab.lib.textsplit as t
assert isinstance(t.rx, Deferred) and t.rx.compiled is None
cjk = compile_(*t.rx.pattern_args)
assert t.rx.split("ab中文c") == cjk.split("ab中文c") == ["ab", "中", "", "文", "c"]
real = compile_(*p.uri_pat.pattern_args)
uris = ["https://example.org/a/b?c=1", "HTTP://Ex-ample.ORG:8080/", "ftp://10.0.0.1/x",
        "mailto:someone@example.org", "not a uri", "https://", "https://bücher.de/s"]
print(json.dumps([[str(p.uri_pat.match(u) and p.uri_pat.match(u).groups()),
                   str(real.match(u) and real.match(u).groups())] for u in uris]))
print(json.dumps([p._uri_split_pairs(u) for u in uris]))
"""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    ).stdout.splitlines()
    matches, pairs = json.loads(out[0]), json.loads(out[1])
    assert all(ours == theirs for ours, theirs in matches)
    assert sum(ours != "None" for ours, _ in matches) >= 4  # some did match
    assert pairs[0] and pairs[0][-1] == ["https://", "example.org/a/b?c=1"]


def _imported(args: list[str]) -> set[str]:
    """The modules `python -m kitpress ARGS` imported, in a fresh process."""
    script = (
        "import json, sys\n"
        "import kitpress.__main__ as entry\n"
        "entry.leave = lambda code: None  # (it ends the process: tests/test_exit.py)\n"
        f"sys.argv = ['kitpress', *{args!r}]\n"
        "try:\n"
        "    entry.main()\n"
        "except SystemExit as e:\n"
        "    assert not e.code, e.code\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    env.pop("PYDANTIC_DISABLE_PLUGINS", None)
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    return set(json.loads(out.stdout.splitlines()[-1]))


def _kit() -> Path:
    from kitpress.paths import bundled

    return bundled("kit")


def test_words_is_string_constraints_written_out():
    """content.base.Words stands in for StringConstraints(strip_whitespace=True,
    min_length=1, max_length=N): the same core schema, JSON Schema and errors."""
    from typing import Annotated

    import pytest
    from pydantic import StringConstraints, TypeAdapter, ValidationError

    from kitpress.content.base import Words

    ours = TypeAdapter(Annotated[str, Words(5)])
    theirs = TypeAdapter(
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5)]
    )
    assert ours.core_schema == theirs.core_schema
    assert ours.json_schema() == theirs.json_schema()
    assert ours.validate_python("  ab  ") == theirs.validate_python("  ab  ") == "ab"
    for bad in ("   ", "abcdef", 3):
        with pytest.raises(ValidationError) as a:
            ours.validate_python(bad)
        with pytest.raises(ValidationError) as b:
            theirs.validate_python(bad)
        assert a.value.errors() == b.value.errors()


def test_length_input_is_the_union_written_out():
    """units.LengthInput stands in for float | Annotated[str, StringConstraints(pattern=…)]
    in the layouts' JSON Schemas."""
    from typing import Annotated

    from pydantic import StringConstraints, TypeAdapter

    from kitpress.units import _LENGTH, LengthInput

    union = float | Annotated[str, StringConstraints(pattern=_LENGTH.pattern)]
    assert TypeAdapter(LengthInput).json_schema() == TypeAdapter(union).json_schema()
    assert TypeAdapter(LengthInput).core_schema == TypeAdapter(union).core_schema


def test_the_plugin_loader_stand_in_serves_pydantic(monkeypatch):
    """pydanticplugins puts a stand-in for pydantic.plugin._loader that answers
    get_plugins with none, and anything else from the real loader. pydantic must ask it
    for get_plugins alone, or the stand-in would import the search after all."""
    import ast

    import pydantic

    from kitpress import pydanticplugins

    package = Path(pydantic.__file__).parent
    wanted: set[str] = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            relative = path.parent == package / "plugin" and node_module(node) == "_loader"
            if relative or node_module(node) == pydanticplugins.LOADER:
                wanted |= {alias.name for alias in node.names}
    assert wanted == {"get_plugins"}

    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "__all__")
    monkeypatch.delitem(sys.modules, pydanticplugins.LOADER, raising=False)
    pydanticplugins.turn_off()
    stand_in = sys.modules[pydanticplugins.LOADER]
    assert list(stand_in.get_plugins()) == []
    assert stand_in.PYDANTIC_ENTRY_POINT_GROUP == "pydantic"  # from the real loader


def test_plugins_the_user_chose_are_left_to_pydantic(monkeypatch):
    from kitpress import pydanticplugins

    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "some-plugin")
    monkeypatch.delitem(sys.modules, pydanticplugins.LOADER, raising=False)
    pydanticplugins.turn_off()
    assert pydanticplugins.LOADER not in sys.modules
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS")
    pydanticplugins.turn_off()
    assert list(sys.modules[pydanticplugins.LOADER].get_plugins()) == []
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "__all__"


def node_module(node: object) -> str | None:
    """The module a `from … import` names (None for other nodes)."""
    import ast

    return node.module if isinstance(node, ast.ImportFrom) else None


def test_a_deferred_pattern_can_be_copied_and_pickled():
    """A Deferred stands where ReportLab keeps a compiled pattern, which copy and pickle
    handle: so must it (asking for a missing attribute of its own, as copy and pickle
    do of a half-made object, used to recurse without end)."""
    import copy
    import pickle
    import re

    from kitpress.render.platypus import Deferred

    for fresh in (True, False):
        pattern = Deferred("(^ab+)", re.I)
        if not fresh:
            assert pattern.match("ABB")  # compiled now
        for again in (
            copy.copy(pattern),
            copy.deepcopy(pattern),
            pickle.loads(pickle.dumps(pattern)),
        ):
            assert again.match("aBbc").group(1) == "aBb"
            assert again.pattern == "(^ab+)" and again.flags & re.I
    with pytest.raises(AttributeError):
        Deferred("x", 0).__no_such_thing__  # noqa: B018


def test_a_build_imports_yaml_without_compiling_its_non_printable_pattern(tmp_path):
    """PyYAML's Reader.NON_PRINTABLE (9 ms to compile) is left to be compiled when its
    pure-Python reader first runs (lazyre.import_yaml, as a build or check starts), which
    kitpress does only to word a syntax error: the errors read as they did."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: 1\nb: x\x07y\n", encoding="utf-8")
    script = f"""
import json, re
compile_ = re.compile
from kitpress import cli
with cli._parsed_ahead(None, 1, ()):  # (one job: no child)
    pass
import yaml
from kitpress.lazyre import Deferred
assert re.compile is compile_
pattern = yaml.reader.Reader.NON_PRINTABLE
assert isinstance(pattern, Deferred) and pattern.compiled is None
from kitpress.errors import InputError
from kitpress.yamlio import load_yaml
try:
    load_yaml({str(bad)!r})
except InputError as e:
    said = str(e)
assert pattern.compiled is not None  # used by now
print(json.dumps(said))
"""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    from kitpress.errors import InputError
    from kitpress.yamlio import load_yaml

    with pytest.raises(InputError) as here:  # yaml imported as it is, its pattern compiled
        load_yaml(bad)
    assert json.loads(done.stdout) == str(here.value)
    assert "control character (U+0007)" in str(here.value)
