"""Read one file (any format of ``extract.formats``) into a ``Report``."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

from extract.checks import (
    check_dates,
    check_empty_cells,
    check_month_columns,
    check_one_row_per_label,
    check_report_period,
)
from extract.errors import ExtractError
from extract.formats import BY_NAME, Format, format_of
from extract.limits import Limits, TimeLimit
from extract.model import Line, Page, Report
from extract.parse import is_header_line, parse_page
from extract.reports import (
    FOOTER_REST,
    SIDE_RE,
    SOURCE_PREFIX,
    Definition,
    definition_of,
    definitions,
    page_footer,
)
from extract.sources import DEFAULT_TEXT_LAYER, TextLayer

# What a notes sheet is skipped as (`is_notes_sheet`).
NOTES = "no report table: notes"
# Excel cuts sheet names at 31 characters.
SHEET_NAME_LENGTH = 31


def file_name_of(path: Path) -> str:
    """A file's name as text: bytes that are not UTF-8 (a Latin-1 name) shown as escapes, never a surrogate.

    Python keeps such bytes as lone surrogates, which no UTF-8 database,
    terminal or log line accepts: the name lands as 'Tiltaksdeltakere_\\xf8st.txt'.
    """
    return os.fsencode(path.name).decode("utf-8", "backslashreplace")


def sha256_of(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def source_title_of(lines: list[Line]) -> str | None:
    """The report a page says it is from: the text after "Kilde: NAV " (as the row parser reads it)."""
    for line in lines:
        text = line.text
        if text.startswith(SOURCE_PREFIX) and text not in FOOTER_REST:
            return text[len(SOURCE_PREFIX) :].strip()
    return None


def sheet_title(sheet: str, definition: Definition | None) -> str:
    """The table a sheet holds when no row names it: the one of the report's whose title the sheet's name begins
    (Excel cuts at 31), else the sheet's name."""
    tables = definition.tables if definition is not None else ()
    titles = [title for title in tables if title[:SHEET_NAME_LENGTH] == sheet[:SHEET_NAME_LENGTH]]
    return titles[0] if len(titles) == 1 else sheet


def is_notes_sheet(lines: list[Line]) -> bool:
    """A sheet a workbook adds beside the tables (notes, definitions): no source line, no column headers."""
    return source_title_of(lines) is None and not any(is_header_line(line) for line in lines)


def _check_source(lines: list[Line], file_name: str, place: int | str, source: str | None) -> str:
    """The page is from a report the warehouse reads (``extract.reports``), the same as the pages before: checked
    before its layout."""
    page_source = source_title_of(lines)
    if page_source is None or definition_of(page_source) is None:
        first = next((line.text for line in lines if line.text), "")
        found = (
            repr(SOURCE_PREFIX + page_source)
            if page_source
            else f"no '{SOURCE_PREFIX.strip()}' line; the page begins {first!r}"
        )
        raise ExtractError(file_name, place, f"a page headed '{SOURCE_PREFIX}<code> ...', the code {_codes()}", found)
    if source is not None and page_source != source:
        raise ExtractError(file_name, place, f"the same report as page 1 ({source!r})", repr(page_source))
    return page_source


def _codes() -> str:
    """ "TILT100, TILT110, ... or TILT180": the reports the warehouse reads, for a message."""
    codes = list(definitions())
    return f"{', '.join(codes[:-1])} or {codes[-1]}" if len(codes) > 1 else codes[0]


def read_report(
    path: Path,
    on_page: Callable[[int], None] | None = None,
    text_layer: TextLayer = DEFAULT_TEXT_LAYER,
    sha256: str | None = None,
) -> Report:
    """Read a report of the family (``extract.reports``). Raises ExtractError for anything else.

    `on_page` is called with each page's number as it is read (for progress);
    `text_layer` locates a PDF's characters (``extract.sources.pdf``); `sha256`,
    the file's hash if the caller has it already (a load hashes each file once).
    Reading stops with ExtractError at the limits of ``extract.limits``.
    """
    fmt = format_of(path)
    limits = Limits.from_env()
    with TimeLimit(path.name, limits.seconds) as clock:
        return _read(path, fmt, limits, clock, on_page, text_layer, sha256)


def _read(
    path: Path,
    fmt: Format,
    limits: Limits,
    clock: TimeLimit,
    on_page: Callable[[int], None] | None,
    text_layer: TextLayer,
    sha256: str | None,
) -> Report:
    source = definition = None
    parsed: list[Page] = []
    skipped: list[tuple[str, str]] = []
    clock.page = None if fmt.sheets else 1  # the page being read, for a message
    for number, (sheet, lines) in enumerate(fmt.pages(path, limits, text_layer, None), start=1):
        if isinstance(lines, ExtractError):
            raise lines
        assert lines is not None  # every page is read
        place = f"sheet {sheet!r}" if sheet else number
        clock.check()
        limits.check_page_count(path.name, number)
        if on_page is not None:
            on_page(number)
        if sheet is not None and is_notes_sheet(lines):
            skipped.append((sheet, NOTES))
            continue
        source = _check_source(lines, path.name, place, source)
        definition = definition_of(source)
        untitled = sheet and sheet_title(sheet, definition)
        headings = definition is not None and definition.block_headings
        page = parse_page(lines, number, path.name, sheet, untitled=untitled, headings=headings)
        if sheet is not None and (reason := _unread_table(page, definition)) is not None:
            skipped.append((sheet, reason))
            continue
        parsed.append(page)
        clock.page = None if fmt.sheets else number + 1
    clock.page = None
    if source is None or definition is None:
        raise ExtractError(path.name, None, f"pages of a NAV report ({_codes()})", "no page")
    if skipped and not any(page.rows for page in parsed):  # say why, before the period the pages lack
        passed = "; ".join(f"{name!r}, {why}" for name, why in skipped)
        raise ExtractError(path.name, None, f"a sheet with one of {definition.code}'s tables", f"only {passed}")
    updated = _one(parsed, "updated", path.name)
    period = _one(parsed, "period", path.name)
    layer = text_layer if fmt.text_layers else None
    digest = sha256 or sha256_of(path)
    size = path.stat().st_size
    report = Report(
        file_name_of(path), digest, fmt.name, size, source, updated, period, tuple(parsed), layer, tuple(skipped)
    )
    if not report.rows:
        raise ExtractError(path.name, None, "table rows with figures", "none")
    _check_footers(report)
    period = check_dates(report)
    check_report_period(report, definition, period)
    _check_tables(report, definition, period.last)
    check_empty_cells(report, definition)
    check_month_columns(report, period)
    check_one_row_per_label(report)
    return report


def _check_footers(report: Report) -> None:
    """No page is missing: a page that prints "Side X av Y" is the X-th page of its table, of Y.

    A table is a run of pages with one title; its numbering starts at 1. Not
    every page prints its footer (NAV's text export drops most), so only the
    footers printed are checked.
    """
    tables: list[list[Page]] = []
    for page in report.pages:
        if tables and page.title == tables[-1][0].title:
            tables[-1].append(page)
        else:
            tables.append([page])
    for pages in tables:
        sides = [(i, page, m) for i, page in enumerate(pages, start=1) if (m := SIDE_RE.match(page.footer or ""))]
        for index, page, side in sides:
            if int(side["number"]) != index:
                expected = f"page {index} of the table {page.title!r} to say '{page_footer(index, int(side['count']))}'"
                missing = "a page missing before it?" if int(side["number"]) > index else "a page repeated?"
                raise ExtractError(report.file_name, page.number, expected, f"{page.footer!r} ({missing})")
        for _, page, side in sides:
            if int(side["count"]) != len(pages):
                expected = f"{side['count']} pages of the table {page.title!r} ({page.footer!r} on page {page.number})"
                found = f"{len(pages)} (a page missing?)"
                raise ExtractError(report.file_name, pages[-1].number, expected, found)


def _unread_table(page: Page, definition: Definition | None) -> str | None:
    """Why a sheet's table is passed over: a table the report's definition does not hold (None: it is read)."""
    if not page.rows or definition is None or page.title in definition.tables:
        return None
    return f"table {page.title!r}: not one of {definition.code}'s tables"


def _check_tables(report: Report, definition: Definition, period_end: date) -> None:
    """Every table of the report its period prints is there (a missing sheet, a lost table)."""
    titles = {page.title for page in report.pages if page.rows}
    for title in definition.required(period_end):
        if title not in titles:
            kind = "sheet" if BY_NAME[report.file_format].sheets else "page"
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
