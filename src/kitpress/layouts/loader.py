"""Find a layout by name, follow its `extends` chain, merge, validate.

A kit may bring its own layouts/ folder: its files come first, so a kit file named
like a bundled one replaces it, and may `extends:` the bundled one of the same name.
"""

from __future__ import annotations

import difflib
import os
import re
from collections import OrderedDict
from pathlib import Path
from typing import Any, TypeVar, cast

from kitpress.errors import InputError, Mark, clip, display_path, listed, quoted
from kitpress.kitfiles import look
from kitpress.layouts.models import BaseLayout
from kitpress.paths import misnamed
from kitpress.validation import validate
from kitpress.yamlio import KeyPath, YamlDoc, load_yaml

L = TypeVar("L", bound=BaseLayout)

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")  # a file name, so not too long
MAX_CHAIN = 16
HINTS = 24  # layouts tried when suggesting one for a handout
_KEPT = 8  # libraries kept by library(): the kit's editions, with room to spare
_libraries: OrderedDict[tuple[Path | None, tuple[Path, ...]], tuple[tuple, LayoutLibrary]] = (
    OrderedDict()
)


def library(folders: list[Path], kit: Path | None = None) -> LayoutLibrary:
    """A LayoutLibrary for these folders, the same one while no file in them changes:
    a preview that reloads the kit on every save, or a kit in several languages, then
    reads, merges and checks each layout once. `kit`: the kit folder (LayoutLibrary)."""
    key = (kit, tuple(folders))
    signature = _signature(folders)
    kept = _libraries.get(key)
    if kept is not None and kept[0] == signature:
        _libraries.move_to_end(key)
        return kept[1]
    made = LayoutLibrary(folders, kit=kit)
    _libraries[key] = (signature, made)
    while len(_libraries) > _KEPT:
        _libraries.popitem(last=False)
    return made


def _signature(folders: list[Path]) -> tuple:
    """What tells a changed layout folder: each file's name, size, time and inode (an
    editor that saves by renaming a new file over the old one changes the inode)."""
    out: list[tuple] = []
    for folder in folders:
        try:
            with os.scandir(folder) as entries:
                files = []
                for e in entries:
                    st = e.stat()
                    files.append((e.name, st.st_size, st.st_mtime_ns, st.st_ino))
        except OSError:  # no such folder (most kits bring no layouts/): that is its state
            files = [("", -1, -1, -1)]
        out.append((folder, tuple(sorted(files))))
    return tuple(out)


class LayoutLibrary:
    """The layout folders to search, highest priority first."""

    def __init__(self, folders: list[Path], kit: Path | None = None) -> None:
        """`kit`: the kit folder. Layout folders inside it are the kit's, and nothing in
        them may lead out of it (kitfiles); the bundled folders are trusted."""
        self.kit = kit
        self.folders = [f for f in folders if self._entry(f) == "folder"]
        self._docs: dict[str, YamlDoc] = {}  # merged layouts by name, for positions
        self._loaded: dict[tuple[str, type, str], BaseLayout] = {}

    def _kit_of(self, path: Path) -> Path | None:
        """The kit folder if `path` is in it (as written, links not followed)."""
        if self.kit is None:
            return None
        inside = Path(os.path.abspath(self.kit)) in Path(os.path.abspath(path)).parents
        return self.kit if inside else None

    def _entry(self, path: Path) -> str:
        kit = self._kit_of(path)
        if kit is not None:
            return look(path, kit)
        if path.is_dir():
            return "folder"
        return "file" if path.is_file() else "missing"

    def names(self) -> list[str]:
        return sorted(
            {p.stem for f in self.folders for p in f.glob("*.yaml") if _NAME.match(p.stem)}
        )

    def _find(self, name: str, start: int = 0) -> tuple[int, Path] | None:
        for i, folder in enumerate(self.folders[start:], start):
            path = folder / f"{name}.yaml"
            if self._entry(path) != "missing":  # a folder of that name: load_yaml says so
                return i, path
        return None

    def load(self, name: str, model: type[L], kind: str, where: Mark, key_path: KeyPath = ()) -> L:
        """Load layout `name` for a handout of `kind`; `where` is its `layout:` value.
        Each layout is read and checked once per kit, however many handouts use it (a
        kit in twenty languages would otherwise read base.yaml hundreds of times)."""
        done = self._loaded.get((name, model, kind))
        if done is not None:
            return cast(L, done)
        layout = self._load(name, model, kind, where, key_path)
        self._loaded[(name, model, kind)] = layout
        return layout

    def _load(self, name: str, model: type[L], kind: str, where: Mark, key_path: KeyPath) -> L:
        found = self._find(name) if _NAME.match(name) else None
        if found is None:
            raise InputError(self._unknown(name), where, key_path)
        doc = self._merged(found, chain=[], where=where)
        made_for = doc.data.get("kind") if isinstance(doc.data, dict) else None
        if isinstance(made_for, str) and made_for != kind:
            # (the first few layouts only: each is read and checked to see if it fits)
            fitting = [n for n in self.names()[:HINTS] if self._usable(n, kind, model)]
            hint = f"use one of: {listed(fitting, 12)}" if fitting else "use one made for it"
            raise InputError(
                f"layout {quoted(name)} is for {clip(made_for)} handouts, not {kind}; {hint}",
                where,
                key_path,
            )
        data = dict(doc.data)
        data["name"] = name
        doc.data = data
        self._docs[name] = doc
        layout = validate(model, doc)
        layout._file = found[1]  # for messages that name the layout's file
        return layout

    def mark(self, name: str, key_path: KeyPath) -> Mark | None:
        """Where in the loaded layout `name` the value at key_path was set."""
        doc = self._docs.get(name)
        return doc.mark(key_path) if doc else None

    def _usable(self, name: str, kind: str, model: type[BaseLayout]) -> bool:
        """Whether layout `name` draws `kind` and is complete (not a base like 'cards',
        which has no card size of its own)."""
        found = self._find(name)
        if found is None:
            return False
        try:
            doc = self._merged(found, chain=[], where=None)
            if not isinstance(doc.data, dict) or doc.data.get("kind") != kind:
                return False
            validate(model, YamlDoc(doc.path, {**doc.data, "name": name}))
        except InputError:
            return False
        return True

    def _unknown(self, name: str) -> str:
        for folder in self.folders if len(name) <= 80 else ():  # longer: not a file name
            exact = folder / f"{name}.yaml"
            near = exact if exact.is_file() else misnamed(exact)
            if near is not None:
                lower = clip(near.name.split(".")[0].lower())
                shown = clip(display_path(near), 120)
                return (
                    f"layout {quoted(name)} is {shown}; layout files are named "
                    f"in small letters and end in .yaml: rename it {lower}.yaml and write "
                    f"'{lower}' here"
                )
        names = self.names()
        close = difflib.get_close_matches(name, names, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "available: " + listed(names, 12)
        return f"unknown layout {quoted(name)}; {hint}"

    def _merged(self, found: tuple[int, Path], chain: list[Path], where: Mark | None) -> YamlDoc:
        """The layout at found[1] with its extends chain merged in; `where` is what
        named it (a handout's layout: or the extends: of the layout before it)."""
        index, path = found
        if path in chain:
            loop = " -> ".join(p.stem for p in [*chain, path])
            raise InputError(
                f"layouts extend each other in a circle ({loop}); change one 'extends' to "
                "break the loop",
                where or Mark(path),
            )
        if len(chain) >= MAX_CHAIN:
            raise InputError(
                f"the extends chain is longer than {MAX_CHAIN} layouts", where or Mark(path)
            )
        doc = load_yaml(path, self._kit_of(path))
        if doc.data is None:
            raise InputError(
                "the layout file is empty; start it with 'extends:' and the layout it changes, "
                "like 'extends: checklist'",
                Mark(path),
            )
        if not isinstance(doc.data, dict):
            raise InputError("a layout must be a mapping of 'key: value' lines", doc.mark(()))
        parent_name = doc.data.pop("extends", None)
        if parent_name is None:
            return doc
        here = doc.mark(("extends",))
        if not isinstance(parent_name, str) or not _NAME.match(parent_name):
            raise InputError(
                f"{quoted(parent_name)} is not a layout name; extends takes the name of another "
                "layout, its file name without .yaml, like 'checklist'",
                here,
                ("extends",),
            )
        # extending a layout of the same name means the next one down the search path
        start = index + 1 if parent_name == path.stem else 0
        parent = self._find(parent_name, start)
        if parent is None:
            raise InputError(self._unknown(parent_name), here, ("extends",))
        base = self._merged(parent, [*chain, path], here)
        return _merge_docs(base, doc)


def _merge_docs(base: YamlDoc, over: YamlDoc) -> YamlDoc:
    """Deep-merge mappings (over wins); keep each value's own file position."""
    data = _merge(base.data, over.data)
    dropped = _leading_follows_size(data, over.data)
    marks = {
        p: m for p, m in base.marks.items() if not _replaced(p, over.data) and p[:3] not in dropped
    }
    marks.update(over.marks)
    key_marks = {**base.key_marks, **over.key_marks}
    return YamlDoc(over.path, data, marks, key_marks)


def _leading_follows_size(merged: Any, over: Any) -> set[KeyPath]:
    """A style given a new size but no leading gets the default leading for the new size,
    not the leading its parent chose for the old one (18 pt text on a 16 pt leading
    would print its lines over each other). Returns the leadings dropped."""
    styles = over.get("styles") if isinstance(over, dict) else None
    if not isinstance(styles, dict):
        return set()
    dropped: set[KeyPath] = set()
    for name, style in styles.items():
        given = isinstance(style, dict) and "size" in style and "leading" not in style
        # a mapping `over` gives was copied by _merge, so this changes no parent layout
        if given and merged["styles"][name].pop("leading", None) is not None:
            dropped.add(("styles", name, "leading"))
    return dropped


def _merge(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = _merge(base[k], v) if k in base else v
        return out
    return over


def _replaced(path: KeyPath, over: Any) -> bool:
    """True if `over` replaces the value at path (so base's position no longer applies)."""
    node = over
    for part in path:
        if isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return False
    return not isinstance(node, dict)
