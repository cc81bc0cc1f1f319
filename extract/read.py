"""Read one file (PDF or text export) into a ``Report``."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from extract.errors import ExtractError
from extract.model import Page, Report
from extract.parse import Line, parse_page
from extract.pdf import pdf_pages
from extract.text import text_pages
from extract.xlsx import xlsx_sheets

REPORT_CODE = "TILT100"
# The tables every TILT100 report prints, by title: the seed is the one list.
REPORT_TABLES = Path(__file__).resolve().parents[1] / "seeds" / "report_tables.csv"
# Excel cuts sheet names at 31 characters.
SHEET_NAME_LENGTH = 31
OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # an encrypted (password-protected) Office file


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_format(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if path.suffix.lower() == ".xlsx" and head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if path.suffix.lower() == ".xlsx" and head == OLE_MAGIC:
        raise ExtractError(path.name, None, "a workbook without a password", "a password-protected (encrypted) file")
    if path.suffix.lower() == ".txt":
        return "txt"
    expected = "a PDF (starting with %PDF-), an .xlsx workbook or a .txt text export"
    raise ExtractError(path.name, None, expected, repr(head[:5]))


def expected_tables() -> list[str]:
    with REPORT_TABLES.open(encoding="utf-8") as handle:
        return [row["table_title"] for row in csv.DictReader(handle)]


def _pages(path: Path, fmt: str) -> Iterator[tuple[str | None, list[Line]]]:
    if fmt == "xlsx":
        yield from xlsx_sheets(path)
        return
    pages: Iterable[list[Line]] = pdf_pages(path) if fmt == "pdf" else text_pages(path)
    for lines in pages:
        yield None, lines


def read_report(path: Path, on_page: Callable[[int], None] | None = None) -> Report:
    """Read a TILT100 report. Raises ExtractError for anything else.

    `on_page` is called with each page's number as it is read (for progress).
    """
    fmt = file_format(path)
    source = None
    parsed: list[Page] = []
    for number, (sheet, lines) in enumerate(_pages(path, fmt), start=1):
        if on_page is not None:
            on_page(number)
        page_source, page = parse_page(lines, number, path.name, sheet)
        place = f"sheet {sheet!r}" if sheet else number
        if page_source is None or not page_source.startswith(REPORT_CODE):
            raise ExtractError(path.name, place, f"a page headed 'Kilde: NAV {REPORT_CODE} ...'", repr(page_source))
        if source is not None and page_source != source:
            raise ExtractError(path.name, place, f"the same report as page 1 ({source!r})", repr(page_source))
        source = page_source
        parsed.append(page)
    if source is None:
        raise ExtractError(path.name, None, f"pages of a NAV {REPORT_CODE} report", "no page")
    updated = _one(parsed, "updated", path.name)
    period = _one(parsed, "period", path.name)
    report = Report(path.name, sha256_of(path), fmt, path.stat().st_size, source, updated, period, tuple(parsed))
    if not report.rows:
        raise ExtractError(path.name, None, "table rows with figures", "none")
    _check_tables(report)
    return report


def _check_tables(report: Report) -> None:
    """Every table of the report is there (a missing sheet, a lost table)."""
    titles = {page.title for page in report.pages if page.rows}
    for title in expected_tables():
        if title not in titles:
            kind = "sheet" if report.file_format == "xlsx" else "page"
            found = ", ".join(sorted(t for t in titles if t)) or "none"
            expected = f"a {kind} with the table {title!r}"
            if kind == "sheet":
                expected += f" (sheet name {title[:SHEET_NAME_LENGTH]!r})"
            raise ExtractError(report.file_name, None, expected, f"only {found}")


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
