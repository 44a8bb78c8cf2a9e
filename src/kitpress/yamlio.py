"""Read one YAML file into plain Python data, remembering where every value came from.

Safe by construction: only plain YAML types (text, numbers, true/false, lists,
mappings); no custom tags; duplicate keys rejected; alias expansion, size and depth
bounded so a hostile or broken file fails fast with a message, never a hang.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kitpress.errors import InputError, Mark

KeyPath = tuple[str | int, ...]

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_NODES = 500_000  # after alias expansion; the largest real decks are ~30k nodes
MAX_DEPTH = 64

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


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


def _mark(path: Path, node: Node) -> Mark:
    return Mark(path, node.start_mark.line + 1, node.start_mark.column + 1)


def _decode(path: Path, raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) > 1 and raw[1:2] == b"\x00"):
        raise InputError("the file is saved as UTF-16; save it as UTF-8 text", Mark(path))
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a byte-order mark from a Windows editor is harmless
    if b"\x00" in raw:
        raise InputError(
            "the file is not text (it holds binary data); give a YAML file", Mark(path)
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        before = raw[: e.start]
        line = before.count(b"\n") + 1
        col = e.start - (before.rfind(b"\n") + 1) + 1
        raise InputError(
            f"byte 0x{raw[e.start]:02x} is not UTF-8 text; save the file as UTF-8",
            Mark(path, line, col),
        ) from None


def _yaml_problem(path: Path, e: yaml.MarkedYAMLError) -> InputError:
    """PyYAML's parser words, turned into what a volunteer can act on."""
    problem = (e.problem or "").strip()
    context = (e.context or "").strip()
    pm, cm = e.problem_mark, e.context_mark
    at = Mark(path, pm.line + 1, pm.column + 1) if pm else Mark(path)
    opened = Mark(path, cm.line + 1, cm.column + 1) if cm else at

    if "'\\t'" in problem:  # PyYAML: found character '\t' that cannot start any token
        msg = "a tab is used for indentation; YAML needs spaces: replace the tab with spaces"
    elif "quoted scalar" in context:
        return InputError("this quote is never closed; add the closing quote", opened)
    elif "flow sequence" in context or "flow mapping" in context:
        bracket = "[ ]" if "sequence" in context else "{ }"
        return InputError(f"the brackets {bracket} opened here are not closed; close them", opened)
    elif "mapping values are not allowed" in problem:
        msg = (
            "a ':' here starts a new key; if it belongs to the text, put the whole text "
            "in double quotes"
        )
    elif "could not find expected ':'" in problem:
        msg = "expected 'key: value'; check the indentation and the ':' after each key"
    elif "found undefined alias" in problem:
        msg = problem + "; define the anchor with '&name' before using '*name'"
    elif "but found '<scalar>'" in problem:
        msg = (
            "unexpected text here; if it belongs to the text above, put all of that text "
            "inside the quotes"
        )
    elif "expected <block end>" in problem or "expected '-' indicator" in problem:
        msg = (
            "the indentation does not line up; entries of one list or mapping start "
            "in the same column"
        )
    elif "found unexpected end" in problem:
        msg = "the file ends inside quotes or brackets; close them"
    else:
        msg = (problem or context or "not valid YAML") + "; fix the YAML syntax here"
    return InputError(msg, at)


def load_yaml(path: Path) -> YamlDoc:
    """Load and check one YAML file. Raises InputError (with file:line:col) on any problem."""
    path = Path(path)
    try:
        if path.is_dir():
            raise InputError("expected a YAML file but this is a folder", Mark(path))
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                f"the file is {size // (1024 * 1024)} MB; kit files may be at most "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MB",
                Mark(path),
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found; check the name and folder", Mark(path)) from None
    except PermissionError:
        raise InputError("permission denied reading this file", Mark(path)) from None
    except OSError as e:
        raise InputError(f"cannot read the file ({e.strerror})", Mark(path)) from None

    text = _decode(path, raw)
    try:
        nodes = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as e:
        raise _yaml_problem(path, e) from None
    except yaml.YAMLError as e:
        raise InputError(f"not valid YAML ({e}); fix the syntax", Mark(path)) from None
    except RecursionError:
        raise InputError(
            f"the file is nested too deeply; keep it under {MAX_DEPTH} levels", Mark(path)
        ) from None

    if len(nodes) > 1:
        raise InputError(
            "the file holds more than one YAML document ('---'); keep one per file",
            _mark(path, nodes[1]),
        )
    doc = YamlDoc(path=path, data=None, marks={(): Mark(path, 1, 1)})
    if nodes:
        doc.data = _Builder(doc).build(nodes[0], (), 0)
    return doc


class _Builder:
    def __init__(self, doc: YamlDoc) -> None:
        self.doc = doc
        self.count = 0
        self.constructor = SafeConstructor()

    def build(self, node: Node, key_path: KeyPath, depth: int) -> Any:
        path = self.doc.path
        self.count += 1
        if self.count > MAX_NODES:
            raise InputError(
                f"the file expands to more than {MAX_NODES:,} values (too many aliases?); "
                "remove the '*' aliases",
                _mark(path, node),
            )
        if depth > MAX_DEPTH:
            raise InputError(
                f"the file is nested too deeply; keep it under {MAX_DEPTH} levels",
                _mark(path, node),
            )
        self.doc.marks[key_path] = _mark(path, node)

        if isinstance(node, ScalarNode):
            if node.tag == _TIMESTAMP:
                return node.value  # a date is just text to a handout
            if node.tag not in _PLAIN_TAGS:
                raise InputError(
                    f"the tag '{node.tag}' is not allowed; kit files hold plain text, numbers, "
                    "lists and mappings only",
                    _mark(path, node),
                )
            return self.constructor.construct_object(node)
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                raise InputError(f"the tag '{node.tag}' is not allowed here", _mark(path, node))
            return [self.build(n, (*key_path, i), depth + 1) for i, n in enumerate(node.value)]
        if isinstance(node, MappingNode):
            if node.tag != _MAP:
                raise InputError(f"the tag '{node.tag}' is not allowed here", _mark(path, node))
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise InputError(
                        "'<<' merge keys are not supported; write the keys out",
                        _mark(path, key_node),
                    )
                if not isinstance(key_node, ScalarNode):
                    raise InputError(
                        "a key must be a plain word, not a list or mapping", _mark(path, key_node)
                    )
                key = str(key_node.value)
                if key in out:
                    raise InputError(
                        f"the key '{key}' appears twice in this mapping; keep one",
                        _mark(path, key_node),
                    )
                self.doc.key_marks[(*key_path, key)] = _mark(path, key_node)
                out[key] = self.build(value_node, (*key_path, key), depth + 1)
            return out
        raise InputError("unexpected YAML node", _mark(path, node))  # pragma: no cover
