"""PyYAML's syntax errors, reworded so a volunteer knows what to change and where."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from kitpress.errors import CLIP, InputError, Mark, clip


def syntax_error(path: Path, text: str, e: yaml.YAMLError) -> InputError:
    """One line, with the position, for any error the parser raised on `text`."""
    if isinstance(e, yaml.reader.ReaderError):
        before = text[: e.position]
        line, col = before.count("\n") + 1, e.position - (before.rfind("\n") + 1) + 1
        return InputError(
            f"the file holds an invisible control character (U+{e.character:04X}); delete it "
            "(it may have come with pasted text)",
            Mark(path, line, col),
        )
    if isinstance(e, yaml.MarkedYAMLError):
        return (
            _key_too_long(path, text, e)
            or _curly_close(path, text, e)
            or _colon_in_list_item(path, text, e)
            or _quote_ended_early(path, text, e)
            or _typing_slip(path, text.splitlines(), e)
            or _yaml_problem(path, e)
        )
    return InputError("not valid YAML; fix the syntax", Mark(path))


_DASH_NO_SPACE = re.compile(r"^(\s*)-[^\s-]")
_COLON_NO_SPACE = re.compile(r"^(\s*(?:- )?[A-Za-z_][\w-]*):(?![\s/])\S")


def _typing_slip(path: Path, lines: list[str], e: yaml.MarkedYAMLError) -> InputError | None:
    """Small slips the parser reports far from where they are: '-item' without its
    space, 'key:value' without its space, a '*' bullet."""
    pm, cm = e.problem_mark, e.context_mark
    if pm is None:
        return None
    context = e.context or ""
    if cm is not None and ("scanning an alias" in context or "scanning an anchor" in context):
        return InputError(
            f"YAML reads a '{lines[cm.line][cm.column]}' at the start of a value as an alias "
            "or anchor; start list items with '- ', and put text that starts with * or & in "
            "double quotes",
            Mark(path, cm.line + 1, cm.column + 1),
        )
    first = max(min(cm.line, pm.line) if cm else 0, pm.line - 3, 0)
    for n in range(first, min(pm.line, len(lines) - 1) + 1):
        if m := _DASH_NO_SPACE.match(lines[n]):
            return InputError(
                "a list item needs a space after its '-'; write '- ' here",
                Mark(path, n + 1, len(m.group(1)) + 1),
            )
        if m := _COLON_NO_SPACE.match(lines[n]):
            return InputError(
                f"a key needs a space after its ':'; write '{clip(m.group(1).strip())}: '",
                Mark(path, n + 1, len(m.group(1)) + 1),
            )
    if "could not find expected ':'" in (e.problem or "") and cm is not None:
        return InputError(
            "this line is read as a key, but has no ':' after it; if it continues the line "
            "above, indent it more or join it to that line",
            Mark(path, cm.line + 1, cm.column + 1),
        )
    return None


# a value opened with a straight quote and ended, on its line, with a curly one
_STRAIGHT_THEN_CURLY = re.compile(
    r"""^\s*(?:-\s+)?(?:[^\s:#"'][^:#]*:\s+)?(["'])[^"'\n]*([”’“»])\s*$"""
)


def _curly_close(path: Path, text: str, e: yaml.MarkedYAMLError) -> InputError | None:
    """`title: "Before your visit”`: to YAML the quote is still open, and the error
    comes a line or more later. Said at the curly mark that was meant to close it."""
    pm, cm = e.problem_mark, e.context_mark
    if pm is None:
        return None
    lines = text.splitlines()
    first = cm.line if cm is not None and cm.line <= pm.line else max(pm.line - 5, 0)
    for n in range(min(pm.line, len(lines) - 1), first - 1, -1):
        if m := _STRAIGHT_THEN_CURLY.match(lines[n]):
            straight, curly = m.group(1), m.group(2)
            return InputError(
                f"this text opens with a straight {straight} but ends with a curly {curly}, "
                f"which is not a quote to YAML; end it with a straight {straight}",
                Mark(path, n + 1, m.start(2) + 1),
            )
    return None


MAX_KEY = 1024  # YAML's limit on a key written without '?'


def _key_too_long(path: Path, text: str, e: yaml.MarkedYAMLError) -> InputError | None:
    """YAML ends a key at 1,024 characters, and then says it found no ':' after it."""
    cm = e.context_mark
    if cm is None or "could not find expected ':'" not in (e.problem or ""):
        return None
    line = text.splitlines()[cm.line] if cm.line < len(text.splitlines()) else ""
    rest = line[cm.column :]
    end = rest.find(": ")
    key = rest[:end] if end >= 0 else rest.rstrip().removesuffix(":")
    if len(key) <= MAX_KEY:
        return None
    return InputError(
        f"this key is {len(key):,} characters long; YAML allows at most {MAX_KEY:,} in a key: "
        "shorten it",
        Mark(path, cm.line + 1, cm.column + 1),
    )


_KEY = re.compile(r"[a-z_][a-z0-9_-]*")  # a kit's keys are lower case; "Tip:" is prose


def _colon_in_list_item(path: Path, text: str, e: yaml.MarkedYAMLError) -> InputError | None:
    """`- Short answers: "fine" or "okay"` reads as a key 'Short answers' and a quoted
    value with more text after it; the fix is quotes around the whole item."""
    pm = e.problem_mark
    if pm is None or "but found '<scalar>'" not in (e.problem or ""):
        return None
    line = text.splitlines()[pm.line] if pm.line < len(text.splitlines()) else ""
    item = line.lstrip()
    colon = item.find(": ")
    if not item.startswith("- ") or colon < 0 or item[2:3] in "\"'":
        return None
    if _KEY.fullmatch(item[2:colon]):  # `- text: "…"`: a key meant as one
        return None
    column = len(line) - len(item) + colon + 1
    return InputError(
        "the ': ' here makes the rest of the line read as 'key: value'; put the whole text "
        "in quotes (single quotes if it holds double quotes)",
        Mark(path, pm.line + 1, column),
    )


def _quote_ended_early(path: Path, text: str, e: yaml.MarkedYAMLError) -> InputError | None:
    """Text found right after a quoted value's closing quote. Either the value holds its
    own quote mark (`"Showing "feelings" inside"`, `'doesn't'`), which ended it early;
    or a quote left open at a line's end ran on, across lines, to the next quote mark
    (`title: "When someone` ...), and the error comes a line later than the slip."""
    pm = e.problem_mark
    if pm is None or "but found '<scalar>'" not in (e.problem or ""):
        return None
    lines = text.splitlines()
    if pm.line >= len(lines):
        return None
    before = lines[pm.line][: pm.column].rstrip()
    if not before or before[-1] not in "\"'":
        return None
    quote, closing = before[-1], len(before) - 1
    inside = bool(_quotes(before[:closing], quote))  # the text opened on this line
    # Only when the text found goes on to a quote mark of its own (`feelings" inside"`,
    # the next value's `hello"`), or, for a quote left open, starts a key or an item:
    # else the quote was meant to end the text (`"Before your visit" (read first)`,
    # `'it''s' x`, a text over two lines on purpose) and the slip is what follows it.
    if not _quotes(lines[pm.line][pm.column :], quote) and (
        inside or not _A_KEY_OR_ITEM.match(lines[pm.line])
    ):
        return None
    if inside:  # a quote mark inside
        # a quote mark meant as text, or text meant to go on inside the quotes: one fix
        said = (
            'this " ends the quoted text, but more text follows; write quote marks inside '
            'the text as “ ” (or \\"), or put the whole text in single quotes'
            if quote == '"'
            else "this ' ends the quoted text, but more text follows; write an apostrophe "
            "inside the text as ’ (or twice: ''), or put the whole text in double quotes"
        )
        return InputError(said, Mark(path, pm.line + 1, closing + 1))
    for n in range(pm.line - 1, max(pm.line - 20, -1), -1):  # where it was left open
        opened = _quotes(lines[n], quote)
        if len(opened) % 2:
            return InputError(
                f"this {quote} is never closed on its line, so the text runs on to the next "
                f"{quote} (line {pm.line + 1}); add the closing {quote} at the end of the text",
                Mark(path, n + 1, opened[-1] + 1),
            )
    return None


# a line that starts a key or a list item, not one that goes on with the text above
_A_KEY_OR_ITEM = re.compile(rf"\s*(?:- |{_KEY.pattern}: )")


def _quotes(line: str, quote: str) -> list[int]:
    """Where `quote` marks stand in a line, outside a comment; a double quote escaped
    with a backslash is text, not a mark."""
    found: list[int] = []
    for i, c in enumerate(line):
        if c == "#" and (i == 0 or line[i - 1] in " \t") and len(found) % 2 == 0:
            break
        if c == quote and not (quote == '"' and i and line[i - 1] == "\\"):
            found.append(i)
    return found


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
        msg = clip(problem, CLIP + 25) + "; define the anchor with '&name' before using '*name'"
    elif "but found '<scalar>'" in problem:
        msg = (
            "unexpected text here; if it belongs to the text above, put all of that text "
            "inside the quotes"
        )
    elif "expected <block end>" in problem or "expected '-' indicator" in problem:
        msg = (
            "the indentation does not line up with the lines above; entries of one list "
            "or mapping start in the same column"
        )
    elif "expected '<document start>'" in problem:
        msg = (
            "this line starts further left than the lines above it; keys of one mapping "
            "start in the same column"
        )
    elif "found unexpected end" in problem or "'<stream end>'" in problem:
        msg = "the file ends inside quotes or brackets; close them"
    else:
        msg = clip(problem or context or "not valid YAML", CLIP + 25) + "; fix the YAML syntax here"
    return InputError(msg, at)
