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


@pytest.mark.parametrize("where", ["en", "out"])
def test_a_file_in_the_way_of_a_folder_is_named_itself(tmp_path, where):
    """out/en (or out) is a file: the message names it, not the PDF to be written below
    it ("out/en/checklist.pdf: cannot write here (Not a directory)" said neither what
    nor where), and nothing is written."""
    root = tmp_path / "out"
    if where == "en":
        root.mkdir()
        (root / "en").write_bytes(b"mine")
    else:
        root.write_bytes(b"mine")
    blocking = root / "en" if where == "en" else root
    with pytest.raises(OutputError) as stopped:
        write_all([(root / "en" / "checklist.pdf", b"x")], root)
    assert str(stopped.value) == f"{blocking}: a file has this folder's name; move or rename it"
    assert blocking.read_bytes() == b"mine"


def test_a_folder_that_cannot_be_made_says_to_choose_another(tmp_path, monkeypatch):
    def refused(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(output.Path, "mkdir", refused)
    with pytest.raises(OutputError) as stopped:
        write_all([(tmp_path / "out" / "en" / "a.pdf", b"x")], tmp_path / "out")
    assert str(stopped.value).endswith(
        "out: cannot create the output folder (Permission denied); choose another output "
        "folder with -o"
    )
