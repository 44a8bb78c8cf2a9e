"""Writing outputs: all files or none, even when a rename fails part-way."""

from __future__ import annotations

import os

import pytest

from kitpress import output
from kitpress.errors import OutputError
from kitpress.output import write_all


def test_all_files_appear_together(tmp_path):
    write_all([(tmp_path / "a.pdf", b"A"), (tmp_path / "en" / "b.pdf", b"B")])
    assert (tmp_path / "a.pdf").read_bytes() == b"A"
    assert (tmp_path / "en" / "b.pdf").read_bytes() == b"B"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.pdf", "b.pdf", "en"]


def test_a_failed_rename_puts_back_what_was_replaced(tmp_path, monkeypatch):
    old = {"a.pdf": b"old A", "b.pdf": b"old B"}
    for name, data in old.items():
        (tmp_path / name).write_bytes(data)
    real_replace = os.replace

    def locked(src, dst):  # the third file is locked, as by a PDF viewer on Windows
        if str(dst).endswith("c.pdf"):
            raise PermissionError(13, "Permission denied")
        real_replace(src, dst)

    monkeypatch.setattr(output.os, "replace", locked)
    new = [(tmp_path / n, b"new") for n in ("a.pdf", "new.pdf", "c.pdf", "b.pdf")]
    with pytest.raises(
        OutputError,
        match=r"c\.pdf: cannot write the file \(Permission denied\); "
        "nothing was changed",
    ):
        write_all(new)
    monkeypatch.setattr(output.os, "replace", real_replace)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == old  # no temp, no backup


def test_never_over_yaml(tmp_path):
    with pytest.raises(OutputError, match="a build never writes over a YAML file"):
        write_all([(tmp_path / "x.pdf", b"x"), (tmp_path / "kit.yaml", b"x")])
    assert list(tmp_path.iterdir()) == []
