"""Read one YAML file into plain Python data, remembering where every value came from.

Safe by construction: only plain YAML types (text, numbers, true/false, lists,
mappings); no custom tags; duplicate keys rejected; alias expansion, size and depth
bounded so a hostile or broken file fails fast with a message, never a hang.

The file is read as a stream of parser events (libyaml's when installed) and built
into data in one loop with an explicit stack: no recursion, so no depth can crash
it, and every limit is checked before the value that would break it is built.
An alias adds the size of the value it repeats to the count without copying it, so
a "billion laughs" file is refused after a few events.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    Event,
    MappingStartEvent,
    ScalarEvent,
    SequenceStartEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from kitpress.errors import InputError, Mark, clip, quoted
from kitpress.kitfiles import file_kind, look, special
from kitpress.yamlsyntax import syntax_error

KeyPath = tuple[str | int, ...]

MAX_FILE_BYTES = 16 * 1024 * 1024
# Values after alias expansion. A 10,000-card deck is about 10,000 values and a
# 200-page checklist about 7,000; every value of a handout becomes something laid out,
# so this also bounds the work of laying one out (benchmarks/limits.py).
MAX_NODES = 25_000
MAX_DEPTH = 64

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
# Above this size a syntax error is worded from libyaml's message, not re-parsed by
# the (slower, better-worded) pure-Python parser.
_REPARSE_LIMIT = 2 * 1024 * 1024
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


@dataclass
class YamlDoc:
    """Plain data plus the source position of every value (and of every mapping key)."""

    path: Path
    data: Any
    marks: dict[KeyPath, Mark] = field(default_factory=dict)
    key_marks: dict[KeyPath, Mark] = field(default_factory=dict)

    def mark(self, key_path: KeyPath, *, key: bool = False) -> Mark:
        """The closest known position for key_path (walking up to its parents)."""
        if key and key_path in self.key_marks:
            return self.key_marks[key_path]
        p = tuple(key_path)
        while p:
            if p in self.marks:
                return self.marks[p]
            p = p[:-1]
        return self.marks.get((), Mark(self.path))


def _mark(path: Path, event: Event) -> Mark:
    m = event.start_mark
    return Mark(path, m.line + 1, m.column + 1) if m is not None else Mark(path)


def _decode(path: Path, raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) > 1 and raw[1:2] == b"\x00"):
        raise InputError("the file is saved as UTF-16; save it as UTF-8 text", Mark(path))
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a byte-order mark from a Windows editor is harmless
    if b"\x00" in raw:
        raise InputError(
            "the file is not text (it holds binary data); give a YAML file", Mark(path)
        )
    text = decode_utf8(raw, path, "save the file as UTF-8")
    bom = text.find("\ufeff")
    if bom >= 0:  # invisible, and YAML would read it as part of a key or the text
        ahead = text[:bom]
        raise InputError(
            "a byte-order mark (U+FEFF, invisible) is in the middle of the file, as when "
            "two files saved by Windows editors are joined; delete it",
            Mark(path, ahead.count("\n") + 1, bom - (ahead.rfind("\n") + 1) + 1),
        )
    return text


# Characters no font prints: control characters (YAML lets them in as escapes like
# "\a" or "\u0007") and lone halves of a surrogate pair ("\ud800").
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _printable(path: Path, event: Event, text: str, key_path: KeyPath) -> None:
    found = _UNPRINTABLE.search(text)
    if found is None:
        return
    cp = ord(found.group())
    what = (
        f"half of a character pair (a lone surrogate) U+{cp:04X}"
        if 0xD800 <= cp <= 0xDFFF
        else f"a control character U+{cp:04X}"
    )
    raise InputError(
        f"{what} at character {found.start() + 1} of this text cannot be printed; delete it",
        _mark(path, event),
        key_path,
    )


# A text a word processor wrapped in its quotes: “Before your visit”
_CURLY_WRAPPED = re.compile(r"^[“‘«„][^\n]*[”’»“\"']$")
# Keys whose text is a title or a name, never quoted speech as a whole. Elsewhere a
# text in curly quotes is what it looks like (a card's “I miss you.”, as a program
# like yaml.safe_dump writes it): it is printed with its quotes.
_NAMING = {"title", "subtitle", "heading", "name"}


def _curly_quoted(path: Path, event: Event, text: str, key_path: KeyPath) -> None:
    """`title: “Before your visit”` is text with curly quotes in it to YAML, not a
    quoted text: they would be printed. Said, with both ways to write it."""
    if _CURLY_WRAPPED.match(text) is None or not key_path or key_path[-1] not in _NAMING:
        return
    raise InputError(
        "curly quotes “ ” are not quotes to YAML, so they would be printed as part of the "
        'text; use straight double quotes "…" (or, to print them, put the whole text in '
        "straight quotes)",
        _mark(path, event),
        key_path,
    )


def load_yaml(path: Path, kit: Path | None = None) -> YamlDoc:
    """Load and check one YAML file. Raises InputError (with file:line:col) on any problem.
    With `kit`, the file is in that kit folder and must not lead out of it (kitfiles)."""
    path = Path(path)
    if kit is not None and look(path, kit) == "missing":
        raise InputError("file not found; check the name and folder", Mark(path))
    text = read_text(path)
    ahead = _AHEAD.pop(path, None)
    if ahead is not None and ahead[0] == text:  # parsed from this very text (prefetch.py)
        return ahead[1]
    return parse_text(path, text)


# Documents parsed ahead, for the time of parsed_ahead: a table of the module, as
# load_yaml is called from many places (kit.py, placeholders.py, layouts/loader.py) that
# need not know where a document was parsed.
_AHEAD: dict[Path, tuple[str, YamlDoc]] = {}


@contextlib.contextmanager
def parsed_ahead(docs: dict[Path, tuple[str, YamlDoc]]) -> Iterator[None]:
    """load_yaml takes each file's document from `docs` (path: the text it was parsed
    from, and the document) when it reads that same text, inside the block."""
    _AHEAD.update(docs)
    try:
        yield
    finally:
        _AHEAD.clear()


def read_text(path: Path) -> str:
    """The file's text, read and decoded with every check load_yaml makes."""
    return _decode(path, _read(path))


def parse_text(path: Path, text: str) -> YamlDoc:
    """The document of `text`, read from `path`; InputError on any problem in it."""
    if _FAST_LOADER is None:
        return _parse(path, text, yaml.SafeLoader)
    try:
        return _parse(path, text, _FAST_LOADER)
    except yaml.YAMLError as e:
        if len(text) > _REPARSE_LIMIT:
            raise syntax_error(path, text, e) from None
    # PyYAML's own parser words its errors better (and they are what _yaml_problem knows)
    return _parse(path, text, yaml.SafeLoader)


def decode_utf8(raw: bytes, path: Path, fix: str) -> str:
    """The bytes as text, or one line at the line and column of the first byte that
    is not UTF-8, saying how to `fix` it."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        before = raw[: e.start]
        line = before.count(b"\n") + 1
        col = e.start - (before.rfind(b"\n") + 1) + 1
        raise InputError(
            f"byte 0x{raw[e.start]:02x} is not UTF-8 text; {fix}", Mark(path, line, col)
        ) from None


def _read(path: Path) -> bytes:
    """The file's bytes. Opened without blocking and checked on the open file, so a
    FIFO or a device is refused, never waited on or read without end."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise InputError("file not found; check the name and folder", Mark(path)) from None
    except IsADirectoryError:
        raise InputError("expected a YAML file but this is a folder", Mark(path)) from None
    except PermissionError:
        raise InputError("permission denied reading this file", Mark(path)) from None
    except OSError as e:
        raise InputError(f"cannot read the file ({e.strerror})", Mark(path)) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise InputError("expected a YAML file but this is a folder", Mark(path))
        if not stat.S_ISREG(st.st_mode):
            raise InputError(
                f"this is {special(st.st_mode)}, not a file; kitpress reads only plain files: "
                f"put the {file_kind(path)} itself here",
                Mark(path),
            )
        if st.st_size > MAX_FILE_BYTES:
            raise InputError(
                f"the file is {st.st_size // (1024 * 1024)} MB; kit files may be at most "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MB",
                Mark(path),
            )
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(st.st_size + 1)
            if len(data) > st.st_size:  # it grew while being read: up to the limit, no more
                data += f.read(MAX_FILE_BYTES + 1 - len(data))
    except OSError as e:
        raise InputError(f"cannot read the file ({e.strerror})", Mark(path)) from None
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        raise InputError(
            f"the file is more than {MAX_FILE_BYTES // (1024 * 1024)} MB; kit files may be at "
            f"most {MAX_FILE_BYTES // (1024 * 1024)} MB",
            Mark(path),
        )
    return data


def _parse(path: Path, text: str, loader: type) -> YamlDoc:
    """Build the document from the parser's events; YAMLError escapes only from `loader`."""
    builder = _Builder(path)
    try:
        for event in yaml.parse(text, Loader=loader):
            builder.feed(event)
    except yaml.YAMLError as e:
        if loader is not yaml.SafeLoader:
            raise
        raise syntax_error(path, text, e) from None
    return builder.doc


@dataclass
class _Open:
    """A list or mapping whose end event has not come yet."""

    value: list | dict
    key_path: KeyPath
    anchor: str | None
    start_count: int  # values built before this one, to size it for aliases
    key: str | None = None  # mappings: the key waiting for its value


class _Builder:
    """Turns parser events into plain data and positions, checking every limit."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.doc = YamlDoc(path=path, data=None, marks={(): Mark(path, 1, 1)})
        self.stack: list[_Open] = []
        self.anchors: dict[str, tuple[Any, int]] = {}  # name -> (value, size in values)
        self.count = 0  # values built, counting each alias as the values it repeats
        self.repeated = 0  # of which through aliases
        self.documents = 0
        self.resolver = Resolver()
        self.constructor = SafeConstructor()

    def feed(self, event: Event) -> None:
        if isinstance(event, DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise InputError(
                    "the file holds more than one YAML document ('---'); keep one per file",
                    _mark(self.path, event),
                )
        elif isinstance(event, CollectionEndEvent):
            self._close()
        elif isinstance(event, (ScalarEvent, SequenceStartEvent, MappingStartEvent, AliasEvent)):
            top = self.stack[-1] if self.stack else None
            if top is not None and isinstance(top.value, dict) and top.key is None:
                self._key(top, event)
            else:
                self._node(event, top)

    def _key(self, mapping: _Open, event: Event) -> None:
        if not isinstance(event, ScalarEvent):
            raise InputError(
                "a key must be a plain word, not a list, mapping or '*' alias",
                _mark(self.path, event),
            )
        tag = self._tag(event)
        if tag == _MERGE:
            raise InputError(
                "'<<' merge keys are not supported; write the keys out", _mark(self.path, event)
            )
        if tag not in _PLAIN_TAGS and tag != _TIMESTAMP:
            raise self._bad_tag(tag, event)
        key = str(event.value)
        _printable(self.path, event, key, mapping.key_path)
        if key in mapping.value:
            in_list = len(self.stack) > 1 and isinstance(self.stack[-2].value, list)
            hint = " or, if a new entry starts here, begin it with '- '" if in_list else ""
            raise InputError(
                f"the key {quoted(key)} appears twice in this mapping; keep one{hint}",
                _mark(self.path, event),
            )
        mapping.key = key
        path: KeyPath = (*mapping.key_path, key)
        self.doc.key_marks[path] = _mark(self.path, event)

    def _node(self, event: Event, parent: _Open | None) -> None:
        if parent is None:
            key_path: KeyPath = ()
        elif isinstance(parent.value, dict):
            key_path = (*parent.key_path, cast(str, parent.key))  # set by the key event
        else:
            key_path = (*parent.key_path, len(parent.value))
        if len(self.stack) > MAX_DEPTH:
            raise InputError(
                f"the file is nested too deeply; keep it under {MAX_DEPTH} levels",
                _mark(self.path, event),
            )
        self.doc.marks[key_path] = _mark(self.path, event)

        if isinstance(event, AliasEvent):
            self._alias(event, parent, key_path)
            return
        self._count(1, event)
        if isinstance(event, ScalarEvent):
            value = self._scalar(event)
            if isinstance(value, str):
                _printable(self.path, event, value, key_path)
                if not event.style:  # plain: None from PyYAML's parser, '' from libyaml's
                    _curly_quoted(self.path, event, value, key_path)
            if event.anchor is not None:
                self.anchors[event.anchor] = (value, 1)
            self._attach(parent, value)
            return
        if not isinstance(event, CollectionStartEvent):  # the parser sends nothing else
            raise TypeError(f"unexpected YAML event {event!r}")
        tag = event.tag if event.tag not in (None, "!") else None
        wanted = _SEQ if isinstance(event, SequenceStartEvent) else _MAP
        if tag is not None and tag != wanted:
            raise self._bad_tag(tag, event)
        made: list | dict = [] if wanted == _SEQ else {}
        self.stack.append(_Open(made, key_path, event.anchor, self.count))

    def _close(self) -> None:
        done = self.stack.pop()
        if done.anchor is not None:
            self.anchors[done.anchor] = (done.value, self.count - done.start_count + 1)
        self._attach(self.stack[-1] if self.stack else None, done.value)

    def _attach(self, parent: _Open | None, value: Any) -> None:
        if parent is None:
            self.doc.data = value
        elif isinstance(parent.value, dict):
            parent.value[parent.key] = value
            parent.key = None
        else:
            parent.value.append(value)

    def _alias(self, event: AliasEvent, parent: _Open | None, key_path: KeyPath) -> None:
        if any(o.anchor == event.anchor for o in self.stack):
            raise InputError(
                f"the alias '*{clip(event.anchor)}' is inside the value it repeats; remove it",
                _mark(self.path, event),
            )
        if event.anchor not in self.anchors:
            raise InputError(
                f"the alias '*{clip(event.anchor)}' has no anchor; define it with "
                f"'&{clip(event.anchor)}' before using '*{clip(event.anchor)}'",
                _mark(self.path, event),
            )
        value, size = self.anchors[event.anchor]
        self.repeated += size
        self._count(size, event)
        # Shared, not copied: the data is only read from here on, and copying would
        # cost what the alias count just bounded.
        self._attach(parent, value)

    def _count(self, n: int, event: Event) -> None:
        self.count += n
        if self.count <= MAX_NODES:
            return
        if self.repeated:
            raise InputError(
                f"the '*' aliases here repeat values more than {MAX_NODES:,} times in all; "
                "write the values out instead of repeating aliases",
                _mark(self.path, event),
            )
        raise InputError(
            f"the file holds more than {MAX_NODES:,} values; kitpress reads at most that "
            "many from one file: make it smaller",
            _mark(self.path, event),
        )

    def _tag(self, event: ScalarEvent) -> str:
        if event.tag in (None, "!"):
            return self.resolver.resolve(ScalarNode, event.value, event.implicit)
        return event.tag

    def _scalar(self, event: ScalarEvent) -> Any:
        tag = self._tag(event)
        if tag in (_STR, _TIMESTAMP):  # a date is just text to a handout
            return event.value
        if tag not in _PLAIN_TAGS:
            raise self._bad_tag(tag, event)
        if event.tag is None and ":" in event.value:
            return event.value  # YAML 1.1 reads 6:30 as the number 390: keep it as written
        node = ScalarNode(tag, event.value)
        try:
            return self.constructor.yaml_constructors[tag](self.constructor, node)
        except (ValueError, KeyError):  # too many digits, or a !!int on a word
            raise InputError(
                "this cannot be read as a number; if it is text, put it in double quotes",
                _mark(self.path, event),
            ) from None

    def _bad_tag(self, tag: str, event: Event) -> InputError:
        shown = tag.replace("tag:yaml.org,2002:", "!!")  # as it was written
        return InputError(
            f"the tag {quoted(shown)} is not allowed; kit files hold plain text, numbers, "
            "lists and mappings only",
            _mark(self.path, event),
        )
