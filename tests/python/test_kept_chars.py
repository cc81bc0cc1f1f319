"""The tests' cache of pdfplumber's characters (`kept_chars`): it gives what pdfplumber gives, or nothing."""

from __future__ import annotations

import marshal
import shutil
import zlib
from pathlib import Path

import pytest
from pdfplumber.page import Page

from extract.model import Line
from extract.sources.pdf import pdf_page_reads
from tests.python.helpers import REPLICA_PDF
from tests.python.kept_chars import cache_file, kept_chars


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TILT100_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def first_page(path: Path) -> list[Line]:
    """Page 1 of `path` through the pdfplumber layer (the others are not read)."""
    pages = list(pdf_page_reads(path, text_layer="pdfplumber", only=1))
    assert isinstance(pages[0], list)
    return pages[0]


def pdfminer_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    """pdfplumber can no longer interpret a page: what the page gives must have been kept."""

    def refused(page: Page) -> None:
        raise AssertionError(f"page {page.page_number} interpreted")

    monkeypatch.setattr(Page, "objects", property(refused))


def test_kept_characters_read_as_pdfplumbers_own(monkeypatch: pytest.MonkeyPatch) -> None:
    read = first_page(REPLICA_PDF)
    with kept_chars(REPLICA_PDF):
        assert first_page(REPLICA_PDF) == read
    assert "chars" not in Page.__dict__  # pdfplumber's own again
    assert cache_file(REPLICA_PDF).exists()
    pdfminer_refuses(monkeypatch)
    with kept_chars(REPLICA_PDF):
        assert first_page(REPLICA_PDF) == read  # from the cache
    with pytest.raises(AssertionError, match="page 1 interpreted"):
        first_page(REPLICA_PDF)  # outside the block, nothing is kept


def test_another_file_is_read_by_pdfplumber_and_a_broken_cache_read_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "copy.pdf"
    shutil.copyfile(REPLICA_PDF, copy)
    with kept_chars(copy):
        first_page(REPLICA_PDF)  # not the block's file: not kept under its name
    assert not cache_file(copy).exists()

    read = first_page(REPLICA_PDF)
    # not zlib; cut short; not pages of characters
    for broken in (b"not zlib", zlib.compress(marshal.dumps({1: []}))[:-3], zlib.compress(marshal.dumps({1: ["x"]}))):
        cache_file(REPLICA_PDF).parent.mkdir(parents=True, exist_ok=True)
        cache_file(REPLICA_PDF).write_bytes(broken)
        with kept_chars(REPLICA_PDF):
            assert first_page(REPLICA_PDF) == read
        with monkeypatch.context() as patched:
            pdfminer_refuses(patched)
            with kept_chars(REPLICA_PDF):
                assert first_page(REPLICA_PDF) == read  # written again, whole
