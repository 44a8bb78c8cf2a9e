"""yamlsyntax's quote heuristics: a quote mark inside quoted text, or a quote left
open, is said where it is; YAML that only has text after a value closed on purpose
keeps the plain message, never advice to change a quote that was right."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kitpress.yamlsyntax import syntax_error

INSIDE = "“ ”"  # or ’: the advice for a quote mark inside the text
INSIDE_SQ = "’"
LEFT_OPEN = "is never closed on its line"
AFTER = "unexpected text here"
COLON = "the ': ' here"


def said(text: str) -> str:
    with pytest.raises(yaml.YAMLError) as e:
        yaml.safe_load(text)
    return str(syntax_error(Path("f.yaml"), text, e.value))


@pytest.mark.parametrize(
    ("text", "message", "at"),
    [
        ('title: "Showing "feelings" inside"\n', INSIDE, "1:17"),
        ("title: 'doesn't work'\n", INSIDE_SQ, "1:14"),
        ('- text: "A "lockdown," a move"\n', INSIDE, "1:12"),
        ('title: "When someone\nnote: "hello"\n', LEFT_OPEN, "1:8"),
        ("title: 'When someone\nnote: it's fine\n", LEFT_OPEN, "1:8"),
        ('title: "A guide: ok" for you "now"\n', INSIDE, "1:20"),
        # a value closed where it was meant to be, and text after it
        ('title: "Before your visit" (read first)\n', AFTER, "1:28"),
        ("title: 'it''s' here\n", AFTER, "1:16"),
        ('title: "say \\"hi\\" now" here\n', AFTER, "1:25"),
        ('title: "a # b" c\n', AFTER, "1:16"),
        ('a: "x"\nb: "y" z\n', AFTER, "2:8"),
        ('body: |\n  He said "hi\nnote: "a" b\n', AFTER, "3:11"),
        ('title: "line one\n  line two" here\n', AFTER, "2:13"),  # two lines on purpose
        # prose with a capital before its colon is not a key
        ('- Tip: "fine" or "okay"\n', COLON, "1:6"),
        ('- Remember: "no" means no\n', COLON, "1:11"),
    ],
)
def test_quote_slips_are_said_where_they_are(text: str, message: str, at: str):
    got = said(text)
    assert got.startswith(f"f.yaml:{at}: ") and message in got, got
