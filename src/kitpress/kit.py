"""A whole kit: find it, then load and check every file in it.

Loading validates and preflights everything (schemas, layouts, fonts, glyphs) before
a single page is drawn, so `check` and `build` fail on exactly the same inputs.
"""

from __future__ import annotations

import difflib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kitpress import kinds
from kitpress.content.cover import Cover
from kitpress.content.manifest import Labels, Manifest, labels_model
from kitpress.errors import InputError, Mark, OutputError, Source, clip, quoted
from kitpress.fonts import FontBook, FontChain
from kitpress.kinds import Kind
from kitpress.kitfiles import look, special
from kitpress.layouts.loader import LayoutLibrary
from kitpress.layouts.models import BaseLayout, CoverLayout
from kitpress.paths import bundled, misnamed
from kitpress.validation import validate
from kitpress.yamlio import KeyPath, YamlDoc, load_yaml

MANIFEST = "kit.yaml"
LABELS = "labels.yaml"
COVER = "cover.yaml"
# keys whose values are names for the program, not words printed on the page
_NOT_PRINTED = {("kind",), ("layout",)}


def find_kit_dir(given: Path | None) -> Path:
    """The kit to build: the one given, else ./kit if it has a manifest, else the bundled kit."""
    if given is not None:
        # `kitpress build kit/kit.yaml` can only mean that kit
        return given.parent if given.name == MANIFEST and given.is_file() else given
    local = Path("kit")
    if (local / MANIFEST).is_file():
        return local
    if local.is_dir():  # never quietly build the default kit instead of the user's
        raise _missing(
            local / MANIFEST,
            f"{MANIFEST} in this kit folder",
            f"this kit folder has no {MANIFEST}; add one (see the README), or name the kit "
            "folder to build",
            Mark(local),
        )
    return bundled("kit")


def _missing(
    path: Path, shown: str, otherwise: str, where: Mark, key_path: tuple = (), folder: str = ""
) -> InputError:
    """The error for a file that is not there (`shown` is how to name it): when a file
    of nearly that name is (saved as .yml, a hidden .txt, other capitals), say to
    rename it; otherwise say `otherwise`."""
    near = misnamed(path)
    if near is None:
        return InputError(otherwise, where, key_path)
    return InputError(
        f"no {shown}, but there is {folder}{clip(near.name)}: rename it {path.name}",
        where,
        key_path,
    )


def copy_default_kit(dest: Path) -> None:
    """Copy the bundled kit to dest, for editing. Never overwrites anything. The copy is
    made in a hidden folder beside dest and renamed: stopped half-way (Ctrl-C), it
    leaves no half kit behind."""
    import shutil
    import tempfile

    if os.path.lexists(dest):
        raise OutputError(
            "already exists; choose another folder, or edit the kit that is there", Mark(dest)
        )
    parent = dest.parent if str(dest.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=parent))
    except OSError as e:
        raise OutputError(f"cannot copy the default kit here ({e.strerror})", Mark(dest)) from None
    try:
        shutil.copytree(bundled("kit"), work / "kit")
        os.rename(work / "kit", dest)  # fails, rather than replaces, if dest appeared
    except OSError as e:
        raise OutputError(f"cannot copy the default kit here ({e.strerror})", Mark(dest)) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)


@dataclass(frozen=True)
class Handout:
    name: str
    lang: str
    kind: Kind[Any, Any]
    source: Source
    content: Any
    layout: BaseLayout
    fonts: FontChain
    labels: Labels

    @property
    def title(self) -> str:
        return getattr(self.content, "title", self.name)


@dataclass(frozen=True)
class CoverPage:
    """The cover of one language's combined kit."""

    lang: str
    source: Source
    content: Cover
    layout: CoverLayout
    fonts: FontChain
    labels: Labels


@dataclass(frozen=True)
class Kit:
    root: Path
    manifest: Manifest
    handouts: tuple[Handout, ...]
    covers: dict[str, CoverPage]
    manifest_source: Source | None = None  # kit.yaml's positions, for the footer's words


def load_kit(root: Path) -> Kit:
    root = Path(root)
    try:
        mode = root.stat().st_mode
    except FileNotFoundError:
        mode = None  # said below, with what to do
    except OSError as e:  # a name too long, a folder we may not read, …
        raise InputError(f"cannot open the kit folder ({e.strerror})", Mark(root)) from None
    if mode is not None and not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
        raise InputError(
            f"this is {special(mode)}; give the kit folder, the one that holds kit.yaml",
            Mark(root),
        )
    if root.is_file():
        raise InputError(
            "this is a file; give the kit folder, the one that holds kit.yaml", Mark(root)
        )
    if not root.is_dir():
        raise InputError("kit folder not found; give the folder that holds kit.yaml", Mark(root))
    manifest_path = root / MANIFEST
    if look(manifest_path, root) == "missing":
        raise _missing(
            manifest_path,
            f"{MANIFEST} in this folder",
            f"no {MANIFEST} in this folder; is it a kit folder? (see the README to start one)",
            Mark(root),
        )
    manifest_doc = load_yaml(manifest_path, root)
    manifest = validate(Manifest, manifest_doc)
    layouts = LayoutLibrary([root / "layouts", bundled("layouts")], kit=root)
    fonts = FontBook(bundled("fonts"))

    handouts = []
    covers = {}
    labels_schema = labels_model(frozenset(kinds.all_words()))
    for lang in manifest.languages:
        lang_dir = root / lang
        if look(lang_dir, root) == "file":
            raise InputError(
                f"'{lang}' is a file; each language is a folder of YAML files",
                Mark(lang_dir),
            )
        if look(lang_dir, root) != "folder":
            raise InputError(
                f"no folder '{lang}/' for this language; create it or remove '{lang}'",
                manifest_doc.mark(("languages", manifest.languages.index(lang))),
                ("languages", manifest.languages.index(lang)),
            )
        _require(lang_dir / LABELS, root, lang, "words in this language")
        labels_doc = load_yaml(lang_dir / LABELS, root)
        labels = validate(labels_schema, labels_doc)
        for i, name in enumerate(manifest.handouts):
            path = lang_dir / f"{name}.yaml"
            if look(path, root) == "missing":
                raise _missing(
                    path,
                    f"file {lang}/{name}.yaml for this handout",
                    f"no file {lang}/{name}.yaml for this handout; create it or remove "
                    f"'{name}' from handouts",
                    manifest_doc.mark(("handouts", i)),
                    ("handouts", i),
                    folder=f"{lang}/",
                )
            handout = _load_handout(path, root, name, lang, layouts, fonts, labels, labels_doc)
            _check_glyphs(labels_doc, handout.fonts)
            handouts.append(handout)
        covers[lang] = _load_cover(lang_dir / COVER, root, lang, layouts, fonts, labels)
    # the organisation's name and contact are printed in every footer, in every font chain
    for chain in {h.fonts for h in handouts} | {c.fonts for c in covers.values()}:
        _check_glyphs(manifest_doc, chain)
    return Kit(root, manifest, tuple(handouts), covers, Source(manifest_path, manifest_doc.marks))


def _require(path: Path, root: Path, lang: str, what: str) -> None:
    if look(path, root) == "missing":
        raise _missing(
            path,
            f"{path.name} for language '{lang}'",
            f"no {path.name} for language '{lang}'; copy the one from the default kit "
            f"and write its {what}",
            Mark(path),
        )


def _load_cover(
    path: Path, root: Path, lang: str, layouts: LayoutLibrary, fonts: FontBook, labels: Labels
) -> CoverPage:
    _require(path, root, lang, "words")
    doc = load_yaml(path, root)
    cover = validate(Cover, doc)
    layout = layouts.load(cover.layout, CoverLayout, "cover", doc.mark(("layout",)), ("layout",))
    chain = _font_chain(fonts, layouts, layout)
    _check_glyphs(doc, chain)
    return CoverPage(lang, Source(path, doc.marks), cover, layout, chain, labels)


def _load_handout(
    path: Path,
    root: Path,
    name: str,
    lang: str,
    layouts: LayoutLibrary,
    fonts: FontBook,
    labels: Labels,
    labels_doc: YamlDoc,
) -> Handout:
    doc = load_yaml(path, root)
    kind = _kind_of(doc)
    full = _with_words(doc, kind, labels, labels_doc)  # marks: the words at labels.yaml's lines
    content = validate(kind.content, full)
    layout = layouts.load(
        content.layout, kind.layout, kind.name, doc.mark(("layout",)), ("layout",)
    )
    chain = _font_chain(fonts, layouts, layout)
    _check_glyphs(doc, chain)
    return Handout(name, lang, kind, Source(path, full.marks), content, layout, chain, labels)


def _font_chain(fonts: FontBook, layouts: LayoutLibrary, layout: BaseLayout) -> FontChain:
    return fonts.chain(
        layout.fonts.text,
        layout.fonts.symbols,
        lambda key: layouts.mark(layout.name, ("fonts", key)),
    )


def _with_words(doc: YamlDoc, kind: Kind[Any, Any], labels: Labels, labels_doc: YamlDoc) -> YamlDoc:
    """The handout with the kind's words it does not set taken from labels.yaml (a
    problem with one of them is reported at its line in labels.yaml)."""
    data, marks = doc.data, dict(doc.marks)
    if not isinstance(data, dict):
        return doc
    data = dict(data)
    for word in kind.words:
        value = labels.word(word)
        if word not in data and value is not None:
            data[word] = value
            marks[(word,)] = labels_doc.mark((word,))
    return YamlDoc(doc.path, data, marks, doc.key_marks)


def _kind_of(doc: YamlDoc) -> Kind[Any, Any]:
    known = ", ".join(kinds.names())
    if doc.data is None:
        raise InputError(
            f"the file is empty; a handout starts with 'kind:' ({known})", doc.mark(())
        )
    if not isinstance(doc.data, dict):
        raise InputError("a handout must be a mapping of 'key: value' lines", doc.mark(()))
    if "kind" not in doc.data:
        raise InputError(f"missing required key 'kind'; add it ({known})", doc.mark(()))
    value = doc.data["kind"]
    if isinstance(value, str) and value in kinds.names():
        return kinds.kind(value)
    close = difflib.get_close_matches(str(value), kinds.names(), n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"use one of: {known}"
    raise InputError(f"unknown kind {quoted(value)}; {hint}", doc.mark(("kind",)), ("kind",))


def _check_glyphs(doc: YamlDoc, chain: FontChain) -> None:
    """Every printed string must be drawable by the font chain: no blank boxes."""

    def walk(value: Any, path: KeyPath) -> None:
        if isinstance(value, str):
            if path not in _NOT_PRINTED:
                chain.check(value, doc.mark(path), path)
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(v, (*path, k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, (*path, i))

    walk(doc.data, ())
