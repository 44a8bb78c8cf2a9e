"""Every PDF of the default kit opens cleanly in readers other than the one that made it:
pypdf in strict mode (no repairs, no warnings), and qpdf's structural check when qpdf
is installed (.ci/run installs it)."""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from kitpress.cli import cli
from kitpress.paths import bundled

PDFS = [
    "kit.pdf",
    "kit-booklet.pdf",
    "withdrawal-signs-checklist.pdf",
    "withdrawal-signs-checklist-booklet.pdf",
    "letter-prompt-cards.pdf",
    "letter-prompt-cards-calibration.pdf",
    "reconnection-worksheet.pdf",
    "reconnection-worksheet-booklet.pdf",
    "visiting-day.pdf",
    "visiting-day-booklet.pdf",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("valid") / "out"
    args = ["build", str(bundled("kit")), "-o", str(out), "--booklet", "-q"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "en").iterdir()) == sorted(PDFS)
    return out / "en"


@pytest.mark.parametrize("name", PDFS)
def test_pypdf_strict_reads_everything_without_warnings(built, name, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="pypdf"):
        reader = PdfReader(built / name, strict=True)
        assert reader.pdf_header.startswith("%PDF-1.")
        texts = [page.extract_text() for page in reader.pages]
        outline = reader.outline
        fields = reader.get_fields() or {}
        metadata = reader.metadata
    assert [r.getMessage() for r in caplog.records] == []
    assert reader.pages and any(texts)  # kit.pdf has blank pages, so handouts start on the right
    assert metadata is not None and metadata.title
    if name == "kit.pdf":  # a bookmark for the cover and each handout inside
        assert [entry.title for entry in outline] == [
            "Staying Close",
            "When someone you love pulls away",
            "Staying close when they pull away",
            "Visiting day",
        ]
    if name.startswith(("reconnection-worksheet.", "kit.")):
        assert fields, "the worksheet's form survives"


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")
@pytest.mark.parametrize("name", PDFS)
def test_qpdf_check_finds_no_errors_or_warnings(built, name) -> None:
    result = subprocess.run(
        ["qpdf", "--check", str(built / name)], capture_output=True, text=True, check=False
    )
    # qpdf exits 2 on errors and 3 on warnings
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout


@pytest.mark.parametrize("name", ["kit.pdf", "letter-prompt-cards.pdf", "kit-booklet.pdf"])
def test_page_and_form_streams_are_flate_alone(built, name) -> None:
    """Content streams are compressed with Flate and nothing over it: ASCII85 (ReportLab's
    default) makes each a quarter bigger. Pages, and the forms a card deck draws once
    and places on every card."""
    reader = PdfReader(built / name)
    streams = []
    for page in reader.pages:
        contents = page["/Contents"].get_object()
        streams += contents if isinstance(contents, list) else [contents]
        xobjects = page["/Resources"].get("/XObject", {})
        streams += [x for x in xobjects.values() if x.get_object()["/Subtype"] == "/Form"]
    streams = [s.get_object() for s in streams]
    if name == "letter-prompt-cards.pdf":
        assert len(streams) > len(reader.pages)  # the card forms
    for stream in streams:
        filters = stream.get("/Filter")
        if name == "kit-booklet.pdf" and filters is None:
            continue  # a sheet's few placing operators, written by pypdf
        assert filters in ("/FlateDecode", ["/FlateDecode"]), filters
        assert stream.get_data().strip()  # operators, read back
