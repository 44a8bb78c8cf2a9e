"""A whole kit: find it, then load and check every file in it.

Loading validates and preflights everything (schemas, layouts, fonts, glyphs) before
a single page is drawn, so `check` and `build` fail on exactly the same inputs.
"""

from __future__ import annotations

import contextlib
import difflib
import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kitpress import kinds
from kitpress.content.base import FILL
from kitpress.content.cover import Cover
from kitpress.content.manifest import Labels, Manifest, labels_model, pdf_name
from kitpress.editions import EDITIONS, WEB
from kitpress.errors import (
    InputError,
    KitpressError,
    Mark,
    OutputError,
    Source,
    clip,
    quoted,
)
from kitpress.fonts import FontBook, FontChain, font_book
from kitpress.kinds import Kind
from kitpress.kitfiles import look, special
from kitpress.layouts.loader import LayoutLibrary, library
from kitpress.layouts.models import BaseLayout, CoverLayout
from kitpress.paths import MANIFEST, bundled, misnamed, named_kit
from kitpress.placeholders import Texts
from kitpress.typography import Quotes, typeset, typeset_data
from kitpress.validation import validate
from kitpress.yamlio import KeyPath, YamlDoc

LABELS = "labels.yaml"
COVER = "cover.yaml"
# keys whose values are names for the program, not words printed on the page
_NOT_PRINTED = {("kind",), ("layout",)}
_NAMES = frozenset({"kind", "layout", "file"})  # a handout's keys that name files and kinds


def find_kit_dir(given: Path | None, command: str = "build") -> Path:
    """The kit to build: the one given; else this folder if it holds kit.yaml (run from
    inside a kit); else ./kit if it has a manifest; else the bundled example kit (which
    the CLI then says it is building). Run from a folder inside a kit (en/), it is an
    error: building the example there instead would look like success. `command`: the
    one the error tells to run on the kit."""
    named = named_kit(given)
    if named is not None:
        return named
    local = Path("kit")
    for up in (Path(".."), Path("../..")):  # in a language or layouts folder of a kit
        if (up / MANIFEST).is_file():
            raise InputError(
                f"this folder is inside the kit at {up}, not the kit's own folder; run "
                f"kitpress there, or name the kit: kitpress {command} {up}",
                Mark(up / MANIFEST),
            )
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


def _check_init_target(dest: Path) -> None:
    """A kit is copied into a new folder, or into an empty one made for it (filled in
    place, copy_default_kit); anything else is refused, saying why."""
    if dest.is_dir() and not dest.is_symlink():
        try:
            empty = not any(os.scandir(dest))
        except OSError:
            empty = False
        if empty:
            return
        said = (
            "holds a kit already; edit that one, or choose a new folder"
            if (dest / MANIFEST).exists()
            else "already holds files; choose a new or empty folder"
        )
        raise OutputError(said, Mark(dest))
    if dest.is_symlink():  # (never followed: the kit is made where it is named)
        raise OutputError("is a link; choose a new folder for the kit", Mark(dest))
    if os.path.lexists(dest):
        raise OutputError("is a file, not a folder; choose a folder for the kit", Mark(dest))
    for up in dest.parents:
        if up.exists() or up.is_symlink():
            if not up.is_dir():
                raise OutputError("is a file, not a folder; choose another place", Mark(up))
            return


def copy_default_kit(dest: Path) -> None:
    """Copy the bundled kit to dest, for editing, with the JSON Schemas its files name
    on their first lines (schema.add_schemas). Never overwrites anything. The copy is
    made in a hidden folder beside dest and renamed: stopped half-way (Ctrl-C), it
    leaves no half kit behind."""
    import shutil
    import tempfile

    _check_init_target(dest)
    # An empty folder is filled, not replaced: it may be the one kitpress runs in
    # (`init .`, which cannot be renamed onto), or a shell's, left in a deleted folder.
    # The copy is made inside it then, hidden, and its files moved out.
    into = dest.is_dir()
    parent = dest if into else dest.parent if str(dest.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{dest.name or 'kit'}.", dir=parent))
    except OSError as e:
        raise OutputError(f"cannot copy the default kit here ({e.strerror})", Mark(dest)) from None
    try:
        shutil.copytree(bundled("kit"), work / "kit")
        from kitpress.schema import add_schemas

        add_schemas(work / "kit")
        if into:
            _move_into(work / "kit", dest)
        else:
            os.rename(work / "kit", dest)  # fails, rather than replaces, if dest appeared
    except OSError as e:
        raise OutputError(f"cannot copy the default kit here ({e.strerror})", Mark(dest)) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _move_into(made: Path, dest: Path) -> None:
    """The copy's files moved into the folder `dest`; stopped half-way, those moved are
    removed again, and nothing that appeared there meanwhile is replaced."""
    moved: list[Path] = []
    try:
        for entry in sorted(made.iterdir()):
            if os.path.lexists(dest / entry.name):
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST))
            os.rename(entry, dest / entry.name)
            moved.append(dest / entry.name)
    except BaseException:
        for path in moved:
            os.rename(path, made / path.name)  # back into the copy, removed with it
        raise


@dataclass(frozen=True)
class Handout:
    """One handout in one language and one edition, loaded and checked."""

    name: str
    lang: str
    edition: str
    kind: Kind[Any, Any]
    source: Source
    content: Any
    layout: BaseLayout
    fonts: FontChain
    labels: Labels
    file: str  # the output's name in this language (without .pdf): `file:`, else `name`

    @property
    def title(self) -> str:
        return getattr(self.content, "title", self.name)


@dataclass(frozen=True)
class CoverPage:
    """The cover of one language's combined kit, in one edition."""

    lang: str
    edition: str
    source: Source
    content: Cover
    layout: CoverLayout
    fonts: FontChain
    labels: Labels


COVER_PART = ":cover"  # Problem.part of a language's cover (no handout name has a colon)


@dataclass(frozen=True)
class Problem:
    """A problem load_kit went past: the error, and the part of the kit it leaves out.
    lang "" is the whole kit; part "" every part in that language (its labels.yaml),
    else a handout's name or COVER_PART; edition "" every edition."""

    error: KitpressError
    lang: str = ""
    part: str = ""
    edition: str = ""


@contextlib.contextmanager
def _going_past(problems: list[Problem] | None, *where: str) -> Iterator[None]:
    """Raise a problem in the block, or, collecting, note it and go on after the block."""
    try:
        yield
    except KitpressError as e:
        if problems is None:
            raise
        problems.extend(Problem(each, *where) for each in e.every())


@dataclass(frozen=True)
class Kit:
    root: Path
    manifest: Manifest
    editions: tuple[str, ...]
    handouts: tuple[Handout, ...]  # language by language, edition by edition
    covers: dict[tuple[str, str], CoverPage]  # by (language, edition)
    manifest_source: Source | None = None  # kit.yaml's positions, for the footer's words


def layout_folders(root: Path, edition: str) -> list[Path]:
    """Where an edition's layouts are looked for, first to last: its own folder in the
    kit and in kitpress, then the standard ones (which its files usually extend)."""
    standard = [root / "layouts", bundled("layouts")]
    sub = EDITIONS[edition].layouts
    return [root / "layouts" / sub, bundled("layouts") / sub, *standard] if sub else standard


def load_kit(
    root: Path,
    editions: tuple[str, ...] = (),
    also: tuple[str, ...] = (),
    problems: list[Problem] | None = None,
    texts: Texts | None = None,
) -> Kit:
    """Load and check the kit at root, in the editions given (default: the kit's own),
    and those in `also` (--web adds the web edition to the kit's own).

    Given a list as `problems`, a problem in one language, handout or cover goes into
    it and only that part is left out of the kit, so a preview can show the rest and
    every problem at once. A kit.yaml that cannot be read is still raised.

    `texts` reads the files, filling in one facility's {facility.…} values (see
    facilities.py); by default a text that uses one is an error saying to choose."""
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
    read = (texts or Texts(root)).read
    manifest_doc = read(manifest_path, None)
    manifest = validate(Manifest, manifest_doc)
    editions = tuple(dict.fromkeys((*(editions or manifest.editions), *also)))
    libraries = {e: library(layout_folders(root, e), kit=root) for e in editions}
    fonts = font_book(bundled("fonts"))

    handouts: list[Handout] = []
    covers: dict[tuple[str, str], CoverPage] = {}
    labels_schema = labels_model(frozenset(kinds.all_words()))
    quotes: dict[str, Quotes] = {}
    for lang in manifest.languages:
        with _going_past(problems, lang):  # labels.yaml: every part of the language
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
            labels_doc = read(lang_dir / LABELS, lang)  # a facility's values filled in
            # the language's quote marks, then its words printed with them
            quotes[lang] = Quotes.from_label(validate(labels_schema, labels_doc).quote)
            labels_doc = _typeset(labels_doc, quotes[lang])
            labels = validate(labels_schema, labels_doc)
            _web_words(labels, labels_doc, WEB in editions, manifest.web is not None)
            files: dict[str, tuple[str, Mark | None]] = {}  # PDF name -> handout, its file:
            for i, name in enumerate(manifest.handouts):
                with _going_past(problems, lang, name):
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
                    raw = _typeset(read(path, lang), quotes[lang])
                    doc, file = _output_name(raw, name)
                    _unique_file(files, file, name, raw)
                    kind = _kind_of(doc)
                    # box texts may show kit.yaml's crisis numbers as {names}: checked here
                    words = _with_words(doc, kind, labels, labels_doc)
                    content = validate(kind.content, words, {FILL: manifest.crisis})
                    for edition in editions:
                        with _going_past(problems, lang, name, edition):
                            layouts = libraries[edition]
                            h = _handout(
                                doc,
                                name,
                                lang,
                                edition,
                                kind,
                                content,
                                layouts,
                                fonts,
                                labels,
                                file,
                                words,
                            )
                            _check_glyphs(labels_doc, h.fonts)
                            handouts.append(h)
            with _going_past(problems, lang, COVER_PART):
                _require(lang_dir / COVER, root, lang, "words")
                cover_doc = _typeset(read(lang_dir / COVER, lang), quotes[lang])
                cover = validate(Cover, cover_doc, {FILL: manifest.crisis})
                for edition in editions:
                    with _going_past(problems, lang, COVER_PART, edition):
                        covers[lang, edition] = _load_cover(
                            cover_doc, cover, lang, edition, libraries[edition], fonts, labels
                        )
    # the organisation's name and contact are printed in every footer, in every font chain
    with _going_past(problems):
        for chain in {h.fonts for h in handouts} | {c.fonts for c in covers.values()}:
            _check_glyphs(manifest_doc, chain)
    source = Source(manifest_path, manifest_doc.marks)
    manifest = _typeset_manifest(manifest, quotes)
    return Kit(root, manifest, editions, tuple(handouts), covers, source)


def _typeset(doc: YamlDoc, quotes: Quotes) -> YamlDoc:
    """The file with its printed texts' straight quotes made typographic (typography.py);
    the program's names (kind:, layout:, file:) as written."""
    data = typeset_data(doc.data, quotes, _NAMES)
    return YamlDoc(doc.path, data, doc.marks, doc.key_marks)


def _typeset_manifest(manifest: Manifest, quotes: dict[str, Quotes]) -> Manifest:
    """kit.yaml's printed words (title, the organization's name and contact) with each
    language's quote marks: one text per language, as a translator could have written."""

    def each(value: Any) -> Any:
        if value is None:
            return None
        return {
            lang: typeset(value[lang] if isinstance(value, dict) else value, q)
            for lang, q in quotes.items()
            if not isinstance(value, dict) or lang in value
        } or value

    org = manifest.organization
    named = org.model_copy(update={"name": each(org.name), "contact": each(org.contact)})
    return manifest.model_copy(update={"title": each(manifest.title), "organization": named})


def _require(path: Path, root: Path, lang: str, what: str) -> None:
    if look(path, root) == "missing":
        raise _missing(
            path,
            f"{path.name} for language '{lang}'",
            f"no {path.name} for language '{lang}'; copy the one from the default kit "
            f"and write its {what}",
            Mark(path),
        )


def _web_words(labels: Labels, doc: YamlDoc, web_edition: bool, web_address: bool) -> None:
    """The web edition, and the QR code beside each printed handout, print words that
    only labels.yaml's `web:` gives."""
    if labels.web is not None or not (web_edition or web_address):
        return
    why = (
        "the web edition needs its words"
        if web_edition
        else f"{MANIFEST} gives a web: address, so each handout prints words beside its QR code"
    )
    raise InputError(
        f"{why}; add 'web:' with language, home, saved, clear and phone (see the README)",
        doc.mark(()),
    )


def _load_cover(
    doc: YamlDoc,
    cover: Cover,
    lang: str,
    edition: str,
    layouts: LayoutLibrary,
    fonts: FontBook,
    labels: Labels,
) -> CoverPage:
    layout = layouts.load(cover.layout, CoverLayout, "cover", doc.mark(("layout",)), ("layout",))
    chain = _font_chain(fonts, layouts, layout)
    _check_glyphs(doc, chain)
    return CoverPage(lang, edition, Source(doc.path, doc.marks), cover, layout, chain, labels)


def _handout(
    doc: YamlDoc,
    name: str,
    lang: str,
    edition: str,
    kind: Kind[Any, Any],
    content: Any,
    layouts: LayoutLibrary,
    fonts: FontBook,
    labels: Labels,
    file: str,
    words: YamlDoc,
) -> Handout:
    """The handout in one edition: its content with that edition's layout and fonts.
    `words`: the handout with labels.yaml's words added (their marks at its lines)."""
    layout = layouts.load(
        content.layout, kind.layout, kind.name, doc.mark(("layout",)), ("layout",)
    )
    chain = _font_chain(fonts, layouts, layout)
    _check_glyphs(doc, chain)
    source = Source(doc.path, words.marks)
    return Handout(name, lang, edition, kind, source, content, layout, chain, labels, file)


def _output_name(doc: YamlDoc, name: str) -> tuple[YamlDoc, str]:
    """A handout of any kind may say `file:`, the name of its PDF in this language
    (the cover lists it), so a Spanish deck need not be letter-prompt-cards.pdf. The
    key is taken out before the kind's own schema sees the handout."""
    if not isinstance(doc.data, dict) or "file" not in doc.data:
        return doc, name
    value = doc.data["file"]
    try:
        file = pdf_name(value if isinstance(value, str) else repr(value))
    except ValueError as e:
        raise InputError(str(e), doc.mark(("file",)), ("file",)) from None
    data = {k: v for k, v in doc.data.items() if k != "file"}
    marks = {p: m for p, m in doc.marks.items() if p[:1] != ("file",)}
    return YamlDoc(doc.path, data, marks, doc.key_marks), file


def _unique_file(
    files: dict[str, tuple[str, Mark | None]], file: str, name: str, doc: YamlDoc
) -> None:
    """Two handouts of one language whose PDFs would have one name (a `file:` the same
    as another handout's) would overwrite each other: said at the `file:` to change."""
    given = doc.mark(("file",)) if isinstance(doc.data, dict) and "file" in doc.data else None
    if file in files:
        other, other_mark = files[file]
        where = given or other_mark
        raise InputError(
            f"handouts '{other}' and '{name}' would both be written to {file}.pdf; "
            "give one of them another file: name",
            where,
            ("file",),
        )
    files[file] = (name, given)


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
    # a loop, not a nested function that calls itself: that function and its closure
    # refer to each other, a cycle holding `doc` (the file's data and every position)
    # that a build, run without the cycle collector (__main__.py), never frees
    todo: list[tuple[Any, KeyPath]] = [(doc.data, ())]
    while todo:
        value, path = todo.pop()
        if isinstance(value, str):
            if path not in _NOT_PRINTED:
                chain.check(value, doc.mark(path), path)
        elif isinstance(value, dict):
            todo += reversed([(v, (*path, k)) for k, v in value.items()])
        elif isinstance(value, list):
            todo += reversed([(v, (*path, i)) for i, v in enumerate(value)])
