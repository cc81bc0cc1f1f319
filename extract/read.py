"""Read one file (PDF or text export) into a ``Report``."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from extract.errors import ExtractError
from extract.model import Page, Report
from extract.parse import Line, parse_page
from extract.pdf import pdf_pages
from extract.text import text_pages

REPORT_CODE = "TILT100"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_format(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(5)
    if head == b"%PDF-":
        return "pdf"
    if path.suffix.lower() == ".txt":
        return "txt"
    raise ExtractError(path.name, None, "a PDF (starting with %PDF-) or a .txt text export", repr(head))


def read_report(path: Path) -> Report:
    """Read a TILT100 report. Raises ExtractError for anything else."""
    fmt = file_format(path)
    pages: Iterable[list[Line]] = pdf_pages(path) if fmt == "pdf" else text_pages(path)
    source = None
    parsed: list[Page] = []
    for number, lines in enumerate(pages, start=1):
        page_source, page = parse_page(lines, number, path.name)
        if page_source is None or not page_source.startswith(REPORT_CODE):
            raise ExtractError(path.name, number, f"a page headed 'Kilde: NAV {REPORT_CODE} ...'", repr(page_source))
        if source is not None and page_source != source:
            raise ExtractError(path.name, number, f"the same report as page 1 ({source!r})", repr(page_source))
        source = page_source
        parsed.append(page)
    if source is None:
        raise ExtractError(path.name, None, f"pages of a NAV {REPORT_CODE} report", "no page")
    updated = _one(parsed, "updated", path.name)
    period = _one(parsed, "period", path.name)
    report = Report(path.name, sha256_of(path), fmt, path.stat().st_size, source, updated, period, tuple(parsed))
    if not report.rows:
        raise ExtractError(path.name, None, "table rows with figures", "none")
    return report


def _one(pages: list[Page], attribute: str, file_name: str) -> str:
    """The value every page that prints it agrees on (report date, period)."""
    first: str | None = None
    for page in pages:
        value = getattr(page, attribute)
        if value is None:
            continue
        if first is not None and value != first:
            raise ExtractError(file_name, page.number, f"{attribute} {first!r} as on the pages before", repr(value))
        first = first or value
    if first is None:
        raise ExtractError(file_name, None, f"a report {attribute} on the pages", "none")
    return first
