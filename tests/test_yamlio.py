import time
import tracemalloc
from pathlib import Path

import pytest

from kitpress import yamlio
from kitpress.errors import InputError
from kitpress.yamlio import load_yaml


def write(tmp_path: Path, content: bytes | str, name: str = "f.yaml") -> Path:
    p = tmp_path / name
    p.write_bytes(content.encode() if isinstance(content, str) else content)
    return p


def error(path: Path) -> str:
    with pytest.raises(InputError) as e:
        load_yaml(path)
    return str(e.value)


def test_positions_of_values_and_keys(tmp_path):
    doc = load_yaml(write(tmp_path, "a: 1\nlist:\n  - x\n  - {b: 2}\n"))
    assert doc.data == {"a": 1, "list": ["x", {"b": 2}]}
    assert (doc.marks[("list", 1, "b")].line, doc.marks[("list", 1, "b")].column) == (4, 9)
    assert (doc.key_marks[("list",)].line, doc.key_marks[("list",)].column) == (2, 1)
    # a path that does not exist falls back to its closest parent
    assert doc.mark(("list", 1, "missing")).line == 4


def test_dates_stay_text(tmp_path):
    assert load_yaml(write(tmp_path, "when: 2024-05-01\n")).data == {"when": "2024-05-01"}


def test_byte_order_mark_is_accepted(tmp_path):
    assert load_yaml(write(tmp_path, b"\xef\xbb\xbfa: 1\n")).data == {"a": 1}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("a: 1\n\tb: 2\n", "f.yaml:2:1: a tab is used for indentation"),
        ('a: "open\nb: 2\n', "f.yaml:1:4: this quote is never closed"),
        ("a: 1\na: 2\n", "f.yaml:2:1: the key 'a' appears twice in this mapping; keep one"),
        ("a: !!python/object:os.system x\n", "f.yaml:1:4: the tag '!!python/object:os.system'"),
        ("a: b: c\n", "f.yaml:1:5: a ':' here starts a new key"),
        ("a: [1, 2\n", "f.yaml:1:4: the brackets [ ] opened here are not closed"),
        ("a: 1\n---\nb: 2\n", "f.yaml:2:1: the file holds more than one YAML document"),
        ("base: &b {x: 1}\nc:\n  <<: *b\n", "f.yaml:3:3: '<<' merge keys are not supported"),
    ],
)
def test_syntax_problems_are_one_line_with_position(tmp_path, monkeypatch, content, expected):
    monkeypatch.chdir(tmp_path)
    message = error(write(tmp_path, content))
    assert message.startswith(expected)
    assert "\n" not in message


def test_encodings_and_binary(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert error(write(tmp_path, "a: é\n".encode("utf-16"))) == (
        "f.yaml: the file is saved as UTF-16; save it as UTF-8 text"
    )
    assert error(write(tmp_path, b"a: 1\nb: caf\xe9\n")) == (
        "f.yaml:2:7: byte 0xe9 is not UTF-8 text; save the file as UTF-8"
    )
    assert "binary data" in error(write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00"))


def test_alias_bomb_is_rejected(tmp_path):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    assert "aliases here repeat values more than 25,000 times" in error(
        write(tmp_path, "\n".join(lines) + "\n")
    )


def test_deep_nesting_is_rejected(tmp_path):
    assert "nested too deeply" in error(write(tmp_path, "a: " + "[" * 200 + "]" * 200 + "\n"))


def test_missing_file_and_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert error(tmp_path / "nope.yaml") == "nope.yaml: file not found; check the name and folder"
    assert error(tmp_path).endswith("expected a YAML file but this is a folder")


def test_empty_file_has_no_data(tmp_path):
    assert load_yaml(write(tmp_path, "# only a comment\n")).data is None


def test_billion_laughs_is_refused_at_once_in_little_memory(tmp_path):
    """Ten levels of ten aliases would expand to 10^10 values; it is refused after
    reading a few lines, because an alias adds the size of what it repeats."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 11)]
    path = write(tmp_path, "\n".join(lines) + "\n")
    tracemalloc.start()
    start = time.perf_counter()
    message = error(path)
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert message.endswith(
        "the '*' aliases here repeat values more than 25,000 times in all; "
        "write the values out instead of repeating aliases"
    )
    assert elapsed < 1.0  # about a millisecond
    assert peak < 10 * 2**20  # about 100 kB


def test_a_file_with_too_many_values_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(yamlio, "MAX_NODES", 100)
    message = error(write(tmp_path, "".join("- x\n" for _ in range(200))))
    assert message.endswith(
        "f.yaml:100:3: the file holds more than 100 values; kitpress reads at most that "
        "many from one file: make it smaller"
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("a: &a [1, *a]\n", "f.yaml:1:11: the alias '*a' is inside the value it repeats"),
        ("a: *b\n", "f.yaml:1:4: the alias '*b' has no anchor"),
        ("a: 1\nb: x\x07y\n", "f.yaml:2:5: the file holds an invisible control character (U+0007)"),
        ("a: " + "9" * 5000 + "\n", "f.yaml:1:4: this cannot be read as a number"),
        ("a: !!binary aGk=\n", "f.yaml:1:4: the tag '!!binary' is not allowed"),
        ("? [a]\n: 1\n", "f.yaml:1:3: a key must be a plain word"),
    ],
)
def test_more_problems_are_one_line_with_position(tmp_path, monkeypatch, content, expected):
    monkeypatch.chdir(tmp_path)
    message = error(write(tmp_path, content))
    assert message.startswith(expected)
    assert "\n" not in message


def test_times_stay_text_and_aliases_repeat_values(tmp_path):
    doc = load_yaml(write(tmp_path, "at: 6:30\nx: &x [a, b]\ny: *x\n"))
    assert doc.data == {"at": "6:30", "x": ["a", "b"], "y": ["a", "b"]}


@pytest.mark.skipif(yamlio._FAST_LOADER is None, reason="PyYAML built without libyaml")
def test_without_libyaml_the_same_data_and_positions(tmp_path, monkeypatch):
    path = write(tmp_path, "a: 1\nlist:\n  - x\n  - {b: 'é😀', c: [1, 2.5, true, ~]}\n")
    fast = load_yaml(path)
    monkeypatch.setattr(yamlio, "_FAST_LOADER", None)
    slow = load_yaml(path)
    assert (slow.data, slow.marks, slow.key_marks) == (fast.data, fast.marks, fast.key_marks)
