"""Property: whatever a volunteer does to a valid kit, kitpress builds it or stops with
one clean KitpressError, never another exception, and never slowly.

Mutations are applied to the default kit and to copies of the bundled layouts placed
in the kit's layouts/ folder: to the YAML text (lines deleted, doubled, swapped,
re-indented; stray characters typed in) and to the loaded data (values replaced with
other types and odd values, keys removed or added). The examples are derandomized so
CI runs the same ones every time; to search harder locally:

    FUZZ_EXAMPLES=2000 FUZZ_RANDOM=1 python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import atexit
import copy
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kitpress.build import build_kit
from kitpress.errors import KitpressError
from kitpress.kit import load_kit
from kitpress.paths import bundled

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
LAYOUTS = ("base", "checklist", "cards", "poker", "worksheet", "cover")
FILES = (
    "kit.yaml",
    "en/labels.yaml",
    "en/cover.yaml",
    "en/withdrawal-signs-checklist.yaml",
    "en/letter-prompt-cards.yaml",
    "en/reconnection-worksheet.yaml",
    *(f"layouts/{name}.yaml" for name in LAYOUTS),
)
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    database=None,
    # one build of the default kit takes ~0.25 s: 40 times that is a hang, not a slow CI
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.too_slow],
)


def _make_kit() -> Path:
    top = Path(tempfile.mkdtemp(prefix="kitpress-fuzz-"))
    atexit.register(shutil.rmtree, top, ignore_errors=True)  # made at import: no fixture
    root = top / "kit"
    shutil.copytree(bundled("kit"), root)
    (root / "layouts").mkdir()
    for name in LAYOUTS:
        shutil.copy(bundled("layouts") / f"{name}.yaml", root / "layouts")
    return root


KIT = _make_kit()
ORIGINAL = {name: (KIT / name).read_text(encoding="utf-8") for name in FILES}
DATA = {name: yaml.safe_load(text) for name, text in ORIGINAL.items()}


# pydantic's messages ("Input should be …") and its names for what it tried
# ("constrained-int", "dict[str,constrained-int]", "function-after[…]")
PYDANTIC_WORDS = re.compile(
    r"Input should|constrained-|function-(after|before|wrap|plain)\[|\[type=|[a-z]\[str,"
)


def build_with(name: str, content: str | bytes) -> None:
    """Build the kit with one file replaced; any error but a KitpressError escapes."""
    path = KIT / name
    data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    path.write_bytes(data)
    out = KIT.parent / "out"
    try:
        build_kit(load_kit(KIT), out)
    except KitpressError as e:
        message = str(e)
        assert message and "\n" not in message and "Traceback" not in message, message
        # pydantic's own words and names never reach a volunteer (validation.py)
        assert not PYDANTIC_WORDS.search(message), message
    finally:
        path.write_text(ORIGINAL[name], encoding="utf-8")
        shutil.rmtree(out, ignore_errors=True)


# --- mutations of the text -------------------------------------------------------------

STRAY = [
    "\t",
    ":",
    ": ",
    '"',
    "'",
    "-",
    "- ",
    "[",
    "]",
    "{",
    "}",
    "#",
    "&a",
    "*a",
    "!",
    "!!str",
    "|",
    ">",
    "%",
    "@",
    "`",
    "?",
    ",",
    "\\",
    "😀",
    "✔",
    "é",
    "\x00",
    "\x07",
    "\x1b",
    "\r",
    "\u2028",
    "\ufeff",
    "\u200b",
    "\n",
    "  ",
    "~",
    "<<: ",
    "---\n",
    "{page}",
    "{",
    "0x",
]


def _delete(draw, lines: list[str]) -> list[str]:
    i = draw(st.integers(0, len(lines) - 1))
    return lines[:i] + lines[i + 1 :]


def _duplicate(draw, lines: list[str]) -> list[str]:
    i = draw(st.integers(0, len(lines) - 1))
    return lines[: i + 1] + lines[i:]


def _swap(draw, lines: list[str]) -> list[str]:
    i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
    lines = list(lines)
    lines[i], lines[j] = lines[j], lines[i]
    return lines


def _indent(draw, lines: list[str]) -> list[str]:
    i = draw(st.integers(0, len(lines) - 1))
    change = draw(st.sampled_from(["+1", "+2", "-1", "-2", "tab"]))
    line = lines[i]
    if change == "tab":
        line = "\t" + line
    elif change.startswith("+"):
        line = " " * int(change[1]) + line
    else:
        line = line[min(int(change[1]), len(line) - len(line.lstrip(" "))) :]
    return [*lines[:i], line, *lines[i + 1 :]]


def _insert(draw, lines: list[str]) -> list[str]:
    i = draw(st.integers(0, len(lines) - 1))
    at = draw(st.integers(0, len(lines[i])))
    stray = draw(st.sampled_from(STRAY) | st.characters(codec="utf-8"))
    return [*lines[:i], lines[i][:at] + stray + lines[i][at:], *lines[i + 1 :]]


def _retype(draw, lines: list[str]) -> list[str]:
    """Replace a value after 'key:' with a value of another type."""
    keyed = [i for i, line in enumerate(lines) if ": " in line]
    if not keyed:
        return lines
    i = draw(st.sampled_from(keyed))
    key = lines[i].split(": ", 1)[0]
    value = draw(st.sampled_from(ODD_SCALARS))
    return [*lines[:i], f"{key}: {value}\n", *lines[i + 1 :]]


ODD_SCALARS = [
    "0",
    "-1",
    "1.5",
    "1e999",
    "-1e999",
    ".nan",
    ".inf",
    "yes",
    "no",
    "null",
    "~",
    "[]",
    "{}",
    '""',
    "''",
    "[a, b]",
    "{a: 1}",
    "12in",
    "-3in",
    "0pt",
    "0.0001pt",
    "1000in",
    "99" * 40,
    "2024-05-01",
    "6:30",
    "0o17",
    "0x1F",
    "&x 1",
    "*x",
    "!!binary aGk=",
    "!!set {a}",
    "|\n  x",
]
OPS: list[Callable] = [_delete, _duplicate, _swap, _indent, _insert, _retype]


@st.composite
def text_mutations(draw) -> tuple[str, str]:
    name = draw(st.sampled_from(FILES))
    lines = ORIGINAL[name].splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        lines = draw(st.sampled_from(OPS))(draw, lines)
    return name, "".join(lines)


@FUZZ
@given(text_mutations())
def test_mutated_yaml_text_builds_or_fails_cleanly(mutation: tuple[str, str]) -> None:
    build_with(*mutation)


# --- mutations of the data -------------------------------------------------------------

LENGTHS = st.builds(
    lambda number, unit: f"{number:g}{unit}",
    st.sampled_from([0, 0.001, 0.5, 1, 3, 12, 40, 300, 1200, -1, -40])
    | st.floats(-2000, 2000, allow_nan=False),
    st.sampled_from(["pt", "in", "mm", "cm", ""]),
)
NAMES = st.sampled_from(
    [
        "sun",
        "poker",
        "index",
        "postcard",
        "checklist",
        "worksheet",
        "card-deck",
        "base",
        "cover",
        "tracker",
        "prompt",
        "short",
        "rewrite",
        "example",
        "tip",
        "text",
        "en",
        "a4",
        "letter",
        "long",
        "short",
        "auto",
        "always",
        "never",
        "{page}",
        "{x}",
        "{number}",
        "ink",
        "accent",
        "#000000",
        "Andika",
        "DejaVuSans",
        "kit",
        "x",
        "",
    ]
)
VALUES = st.one_of(
    st.text(max_size=40),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    LENGTHS,
    NAMES,
    st.lists(st.text(max_size=8) | NAMES, max_size=3),
    st.dictionaries(NAMES, st.text(max_size=8) | LENGTHS, max_size=3),
    st.text(min_size=300, max_size=3000, alphabet="abc de."),
)


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in the data: each key of each mapping, each item of each list."""
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*prefix, i))
    return out


def _set(data: Any, path: tuple, action: str, value: Any) -> Any:
    if not path:
        return value if action == "replace" else data
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if action == "replace":
        parent[last] = value
    elif action == "delete":
        del parent[last]
    elif isinstance(parent, dict):
        parent[f"{last}x" if isinstance(last, str) else "extra"] = value
    else:
        parent.insert(last, value)
    return data


@st.composite
def data_mutations(draw) -> tuple[str, str]:
    name = draw(st.sampled_from(FILES))
    data = copy.deepcopy(DATA[name])
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(data)))
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        data = _set(data, path, action, draw(VALUES))
    return name, yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@FUZZ
@given(data_mutations())
def test_mutated_kit_data_builds_or_fails_cleanly(mutation: tuple[str, str]) -> None:
    build_with(*mutation)
