"""The example kit's stand-ins, still in a kit about to be printed.

The example kit ships made-up details where a group's own go: its organization line
("Your group's name here"), phone numbers in 555-0100 to 555-0199 (set aside for
fiction in North America) and addresses at example.org, .com and .net (set aside for
examples, RFC 2606). They are valid, so nothing stops a build, and a group could
print thirty kits with them in every footer. `stand_ins` lists each one left, as a
warning with its place, for `build` and `check` to show; the build goes on.
"""

from __future__ import annotations

import re

from kitpress.errors import Mark, clip
from kitpress.kit import Kit
from kitpress.paths import bundled

_PHONE = re.compile(r"(?<!\d)555[-. ]?01\d\d(?!\d)")
# not example.com.au or example.org.uk, real addresses of their own; a full stop after
# one (the end of a sentence) still ends it
_ADDRESS = re.compile(
    r"(?<![\w.-])(?:[\w-]+\.)*example\.(?:org|com|net)(?![\w-]|\.[a-z])", re.IGNORECASE
)
_WHAT = (
    (_PHONE, "made-up phone number", "made-up phone numbers"),
    (_ADDRESS, "example address", "example addresses"),
)


def stand_ins(kit: Kit) -> list[str]:
    """One warning per kind of stand-in (the organization line, phone numbers,
    addresses) left anywhere in the kit: the first one's place, and how many more."""
    warnings = _organization(kit)
    files = [kit.root / "kit.yaml"]
    files += [h.source.file for h in kit.handouts] + [c.source.file for c in kit.covers.values()]
    texts = []
    for file in dict.fromkeys(files):
        try:
            texts.append((file, file.read_text(encoding="utf-8")))
        except (OSError, UnicodeError):
            continue  # read and checked when the kit was loaded; nothing to add here
    for pattern, one, many in _WHAT:
        found = [(file, *at) for file, text in texts for at in _found(pattern, text)]
        if found:
            (file, line, column, value), more = found[0], len(found) - 1
            said = (
                f"{clip(value)} and {more} more are {many} from the example kit; put in the "
                "real ones"
                if more
                else f"{clip(value)} is a {one} from the example kit; put in the real one"
            )
            warnings.append(f"{Mark(file, line, column)}: {said} before you print")
    return warnings


def _organization(kit: Kit) -> list[str]:
    """The organization's name or contact, in any language, as the example kit has it:
    one warning, at the first."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    written = []  # both as written (loading the kit made its apostrophes typographic)
    for root in (bundled("kit"), kit.root):
        try:
            data = yaml.load((root / "kit.yaml").read_text(encoding="utf-8"), Loader=loader)
        except (OSError, UnicodeError, yaml.YAMLError):
            return []
        organization = data.get("organization") if isinstance(data, dict) else None
        if not isinstance(organization, dict):
            return []
        written.append(organization)
    theirs, ours = written
    left: list[tuple[tuple[str, ...], str]] = []  # (key path, text) of each still there
    for key in ("name", "contact"):
        mine, shipped = ours.get(key), theirs.get(key)
        for lang in kit.manifest.languages:
            text = mine.get(lang) if isinstance(mine, dict) else mine
            example_text = shipped.get(lang) if isinstance(shipped, dict) else shipped
            path: tuple[str, ...] = ("organization", key)
            path += (lang,) if isinstance(mine, dict) else ()
            if text is not None and text == example_text and (path, text) not in left:
                left.append((path, text))
    if not left:
        return []
    path, text = left[0]
    where = kit.manifest_source.at(path) if kit.manifest_source else Mark(kit.root / "kit.yaml")
    more = f" and {len(left) - 1} more of its texts are" if len(left) > 1 else " is"
    return [
        f"{where}: organization: {clip(text)!r}{more} still the example kit's, printed at the "
        "foot of every page; put in your group's name and contact before you print"
    ]


# a key or list item whose value is a block of text (| or >) on the lines below it
_BLOCK = re.compile(r"(?:^|[:\s])-?\s*[|>][-+0-9]*\s*$")


def _found(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, str]]:
    """Each match outside YAML comments: its line, column (1-based) and text. In a
    block of text (| or >) a # is text, not a comment."""
    out = []
    block: int | None = None  # the indentation of the line that opened a block of text
    for number, line in enumerate(text.splitlines(), 1):
        indent = len(line) - len(line.lstrip(" "))
        if block is not None and (not line.strip() or indent > block):
            body = line  # a line of the block, whole
        else:
            block = None
            body = _without_comment(line)
            if _BLOCK.search(body):
                block = indent
        out += [(number, m.start() + 1, m.group()) for m in pattern.finditer(body)]
    return out


def _without_comment(line: str) -> str:
    """The line up to its comment: a # at its start or after a space, outside a quoted
    value."""
    quote, before = None, ""  # before: the last character that was not a space
    for i, c in enumerate(line):
        if quote:
            quote = None if c == quote else quote
        elif c in "'\"" and (not before or before in ":-[{,"):  # opens a quoted value;
            quote = c  # an apostrophe inside plain text does not
        elif c == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i]
        if not c.isspace():
            before = c
    return line
