from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kitpress.paths import bundled

DATA = Path(__file__).parent / "data"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def kit_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled default kit, safe to edit in a test."""
    dest = tmp_path / "kit"
    shutil.copytree(bundled("kit"), dest)
    return dest


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test from an empty working folder (relative paths in messages)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
