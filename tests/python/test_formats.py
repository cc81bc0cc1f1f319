"""The input formats' registry (extract/formats.py): every suffix, first bytes and page loop in one
place, read by the extractor, `explain` and fetch; which twin stands for a report, in dbt's vars."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from extract import ExtractError, read_report
from extract.formats import FORMATS, PDF, TXT, XLSX, format_of
from extract.limits import Limits
from extract.sources import DEFAULT_TEXT_LAYER
from tests.python.helpers import ROOT
from tilt100.fetch.links import SUFFIXES as FETCHED_SUFFIXES
from tilt100.fetch.net import MAGIC as FETCHED_MAGIC


def test_every_format_has_its_place_among_twins_in_dbt() -> None:
    """The marts choose between twin files by dbt's var twin_file_formats: it names every format, once."""
    twins = yaml.safe_load((ROOT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]["twin_file_formats"]
    assert sorted(twins) == sorted(fmt.name for fmt in FORMATS) and len(set(twins)) == len(twins)
    assert twins[0] == PDF.name  # what NAV prints stands for its report


def test_fetch_takes_what_nav_publishes_from_the_registry() -> None:
    assert set(FETCHED_SUFFIXES) == {PDF.suffix, XLSX.suffix}
    assert {PDF.suffix: (PDF.magic, PDF.called), XLSX.suffix: (XLSX.magic, XLSX.called)} == FETCHED_MAGIC


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("report.pdf", b"%PDF-1.7\n", PDF),
        ("report.txt", b"%PDF-1.7\n", PDF),  # a PDF whatever its name
        ("report.xlsx", b"PK\x03\x04rest", XLSX),
        ("report.txt", b"Kilde: NAV TILT100", TXT),
    ],
)
def test_a_file_is_told_by_its_first_bytes_and_its_name(tmp_path: Path, name: str, head: bytes, expected) -> None:
    path = tmp_path / name
    path.write_bytes(head)
    assert format_of(path) is expected


@pytest.mark.parametrize(
    ("name", "head", "says"),
    [
        ("report.xlsx", bytes.fromhex("d0cf11e0a1b11ae1") + b"x", "expected a workbook without a password"),
        ("report.pdf", b"\x89PNG\r\n", "expected a PDF (starting with %PDF-), an .xlsx workbook or a .txt text export"),
        ("report.zip", b"PK\x03\x04rest", "found a ZIP archive (an Office file?)"),
        ("report.xlsx", b"<!doctype html>", "found an HTML page"),
    ],
)
def test_a_file_of_no_format_is_refused_saying_what_it_is(tmp_path: Path, name: str, head: bytes, says: str) -> None:
    path = tmp_path / name
    path.write_bytes(head)
    with pytest.raises(ExtractError) as refused:
        format_of(path)
    assert says in str(refused.value) and str(refused.value).startswith(name)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("cut.pdf", b"%PDF-1.7\n1 0 obj\n<< >>\nendobj\n", "expected a complete PDF (ending with %%EOF)"),
        ("big.xlsx", b"PK\x03\x04" + b"\0" * 600_000, "expected a workbook of at most 0.5 MB (TILT100_MAX_FILE_MB)"),
        ("big.txt", b"Kilde: NAV TILT100\n" + b"x" * 600_000, "expected a text export of at most 0.5 MB"),
    ],
)
def test_each_formats_guard_refuses_before_its_pages_are_read_by_the_reader_and_explain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, content: bytes, says: str
) -> None:
    """The registry runs a format's guard ahead of its page loop, the one loop both the reader and `explain`
    walk: the file is refused, naming itself and the limit, and no page is read."""
    path = tmp_path / name
    path.write_bytes(content)
    monkeypatch.setenv("TILT100_MAX_FILE_MB", "0.5")
    fmt = format_of(path)
    with pytest.raises(ExtractError, match=re.escape(says)):
        read_report(path)
    with pytest.raises(ExtractError, match=re.escape(says)):
        next(fmt.pages(path, Limits.from_env(), DEFAULT_TEXT_LAYER))
    explained = subprocess.run(
        [sys.executable, "-m", "tilt100", "explain", str(path)], capture_output=True, text=True, env=os.environ
    )
    assert explained.returncode == 1 and says in explained.stderr and "Traceback" not in explained.stderr
