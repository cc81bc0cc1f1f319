"""What a whole report must be before any of it lands: checks on what it says, not on how it is drawn.

A file can parse cleanly and still be wrong: a month header shifted by one, a
period line naming another year, a report date in the future, a row printed
twice. Each rule here refuses such a file with one ExtractError naming the
place; the same rules hold in dbt (``tests/assert_*``) for files landed before
a rule existed.

- Pages: a page that prints "Side X av Y" is the X-th of its table's Y pages.
- Tables: every table of ``seeds/report_tables.csv`` is there.
- Time axis: the report date is a date, not in the future, and falls after
  the period it reports, within ``MAX_MONTHS_AFTER_PERIOD`` months of its end;
  the period lies within one calendar year; every row's month columns are the
  period's months, in order, ending in its last month.
- The report's months: within the first and last month its definition allows (TILT030 up to 2022).
- Empty cells: only in a table whose empty cells mean no participants (a sibling's measure types,
  ``seeds/report_tables.csv``); anywhere else a figure is missing.
- One row per label: in a block (a table's rows from one "I alt ..." row to
  the next), no label is printed twice; a table opens each block once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from extract.errors import ExtractError
from extract.model import Page, Report, Row
from extract.parse import header_key
from extract.reports import MONTHS, TOTAL_PREFIX, Definition, updated_line
from tilt100.settings import dbt_vars

# NAV publishes a month's report in the first days of the next month; a report
# reprinted later (an archive's export) stays near it. A report dated more than
# three whole months after its period ends is a period line from another year,
# or a date typed wrong, far likelier than a genuine late print: it is refused.
# dbt's twin of this rule reads the var `report_months_after_period_max`
# (dbt_project.yml); a test keeps the two equal.
MAX_MONTHS_AFTER_PERIOD = int(dbt_vars()["report_months_after_period_max"])  # dbt tests the same rule
# "Rapport oppdatert" may be at most this far ahead of the machine's clock: NAV
# dates in Norwegian time, a day ahead of UTC's date for an hour or two.
FUTURE_TOLERANCE = timedelta(days=1)
DATE_RE = re.compile(r"^(?P<day>\d{2})\.(?P<month>\d{2})\.(?P<year>\d{4})$")
PERIOD_PARTS_RE = re.compile(r"^(?P<first>\S+) (?P<first_year>\d{4}) - (?P<last>\S+) (?P<last_year>\d{4})$")
MONTH_NUMBERS = {name.lower(): number for number, name in enumerate(MONTHS, start=1)}
TOTAL_KEY = "".join(TOTAL_PREFIX.split()).lower()  # a total row's label, white space removed, in lower case


@dataclass(frozen=True)
class Period:
    """The months a report prints, from its period line ("Januar 2026 - Mars 2026")."""

    printed: str
    first: date  # the first month, day 1
    last: date  # the last month, day 1

    @property
    def month_names(self) -> tuple[str, ...]:
        return MONTHS[self.first.month - 1 : self.last.month]

    @property
    def end(self) -> date:
        """The period's last day."""
        return _add_months(self.last, 1) - timedelta(days=1)


def _add_months(day_one: date, months: int) -> date:
    index = day_one.year * 12 + day_one.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def place_of(row: Row) -> str:
    """Where a row stands, for a message: a page (and a text export's line), or a sheet and the row's first cell."""
    if row.sheet is not None:
        cell = next((f.cell_ref for f in row.figures if f.cell_ref), None)
        return f"sheet {row.sheet!r}" + (f", row {cell.lstrip('ABCDEFGHIJKLMNOPQRSTUVWXYZ')}" if cell else "")
    return f"page {row.page_number}" + (f", line {row.source_line}" if row.source_line is not None else "")


def _page_place(page: Page) -> int | str:
    return f"sheet {page.sheet!r}" if page.sheet is not None else page.number


def _first_page_printing(report: Report, attribute: str) -> int | str | None:
    page = next((p for p in report.pages if getattr(p, attribute) is not None), None)
    return _page_place(page) if page is not None else None


# ---- the time axis ------------------------------------------------------------------


def report_date(report: Report) -> date:
    """The "Rapport oppdatert" date, which must be a real DD.MM.YYYY date."""
    place = _first_page_printing(report, "updated")
    m = DATE_RE.match(report.updated)
    try:
        if m is None:
            raise ValueError
        return date(int(m["year"]), int(m["month"]), int(m["day"]))
    except ValueError:
        expected = f"a report date '{updated_line('DD.MM.YYYY')}'"
        raise ExtractError(report.file_name, place, expected, repr(report.updated)) from None


def report_period(report: Report) -> Period:
    """The period line's months, which must run forward within one calendar year."""
    place = _first_page_printing(report, "period")
    m = PERIOD_PARTS_RE.match(report.period.strip())
    expected = "a period 'Month YYYY - Month YYYY' within one calendar year, its first month no later than its last"
    if m is None or m["first"].lower() not in MONTH_NUMBERS or m["last"].lower() not in MONTH_NUMBERS:
        raise ExtractError(report.file_name, place, expected, repr(report.period))
    first = date(int(m["first_year"]), MONTH_NUMBERS[m["first"].lower()], 1)
    last = date(int(m["last_year"]), MONTH_NUMBERS[m["last"].lower()], 1)
    if first.year != last.year or first > last:
        raise ExtractError(report.file_name, place, expected, repr(report.period))
    return Period(report.period.strip(), first, last)


def check_dates(report: Report, today: date | None = None) -> Period:
    """The report date is no later than today and falls after the period, within a few months of its end."""
    updated = report_date(report)
    period = report_period(report)
    place = _first_page_printing(report, "updated")
    today = today or date.today()
    found = f"'{updated_line(report.updated)}'"
    if updated > today + FUTURE_TOLERANCE:
        expected = f"a report date no later than today ({today:%d.%m.%Y})"
        raise ExtractError(report.file_name, place, expected, f"{found}, in the future")
    if updated <= period.end:
        expected = f"a report date after the period {period.printed!r} ends ({period.end:%d.%m.%Y})"
        raise ExtractError(report.file_name, place, expected, found)
    latest = _add_months(period.last, MAX_MONTHS_AFTER_PERIOD + 1) - timedelta(days=1)
    if updated > latest:
        expected = (
            f"a report date within {MAX_MONTHS_AFTER_PERIOD} months after the period {period.printed!r}"
            f" ({period.end + timedelta(days=1):%d.%m.%Y} to {latest:%d.%m.%Y}; is the period from another year?)"
        )
        raise ExtractError(report.file_name, place, expected, found)
    return period


def check_month_columns(report: Report, period: Period) -> None:
    """Every row's month columns are the period's months, in order: none shifted, missing or added."""
    expected_names = period.month_names
    expected_keys = tuple(name.lower() for name in expected_names)
    seen: set[tuple[str, ...]] = set()
    for row in report.rows:
        headers = tuple(f.column.header for f in row.figures if header_key(f.column.header) in MONTH_NUMBERS)
        if headers in seen:
            continue
        if tuple(header_key(h) for h in headers) != expected_keys:
            where = place_of(row)
            expected = f"the month columns of the period {period.printed!r} ({', '.join(expected_names)})"
            found = f"the columns {', '.join(headers) or 'none'} (row {' '.join(row.label_lines)!r})"
            raise ExtractError(report.file_name, where, expected, found)
        seen.add(headers)


# ---- one row per label --------------------------------------------------------------


def _label_key(row: Row) -> str:
    return "".join(" ".join(row.label_lines).split()).lower()


def _tables(report: Report) -> Iterable[list[Row]]:
    """The rows of each table, by title: a table printed twice (two sheets, pages repeated) is one table."""
    tables: dict[str, list[Row]] = {}
    for row in report.rows:
        tables.setdefault(row.table_title, []).append(row)
    return tables.values()


def check_report_period(report: Report, definition: Definition, period: Period) -> None:
    """The period lies within the months the report prints at all (seed reports: TILT030 up to December 2022, the
    siblings from January 2023): a file naming another year is another report's, or mislabelled."""
    first, last = definition.first_month, definition.last_month
    if last is not None and period.last > last:
        expected = f"a {definition.code} report of a period up to {MONTHS[last.month - 1]} {last.year}"
        raise ExtractError(report.file_name, None, expected, repr(period.printed))
    if first is not None and period.first < first:
        expected = f"a {definition.code} report of a period from {MONTHS[first.month - 1]} {first.year}"
        raise ExtractError(report.file_name, None, expected, repr(period.printed))


def check_empty_cells(report: Report, definition: Definition) -> None:
    """An empty cell stands only in a table of the report's definition whose empty cells mean none."""
    for row in report.rows:
        if row.table_title in definition.empty_means_none:
            continue
        for figure in row.figures:
            if not figure.text:
                label = " ".join(row.label_lines)
                expected = (
                    f"a figure or '*' under {figure.column.header!r} (every cell of {row.table_title!r} holds one)"
                )
                raise ExtractError(report.file_name, place_of(row), expected, f"an empty cell in the row {label!r}")


def check_one_row_per_label(report: Report) -> None:
    """No label printed twice in a block, and no block opened twice in a table: nothing to choose between.

    A block opens with its "I alt ..." row; a continuation page repeats that
    row as its first: that copy is the same block, not a second one (dbt checks
    that its figures agree: assert_repeated_totals_agree).
    """
    for rows in _tables(report):
        block: tuple[str | None, str] | None = None
        opened: dict[tuple[str | None, str], Row] = {}
        printed: dict[tuple[tuple[str | None, str] | None, str], Row] = {}
        previous: Row | None = None
        for row in rows:
            # a block is a total row under its heading (TILT030's age band), where a report heads blocks
            key = (row.heading, _label_key(row))
            continues = previous is not None and _continues(row, previous)
            previous = row
            if key[1].startswith(TOTAL_KEY):
                if key == block and continues:
                    continue  # the block's total repeated at the top of a continuation page
                if key in opened:
                    _twice(report, row, opened[key], f"one block opened by {' '.join(row.label_lines)!r}")
                opened[key] = row
                block = key
                continue
            if (block, key[1]) in printed:
                _twice(report, row, printed[(block, key[1])], "one row per label in a block")
            printed[(block, key[1])] = row


def _continues(row: Row, previous: Row) -> bool:
    """Whether `row` is the first of the page after `previous`'s (a workbook's sheet is a whole table: never)."""
    return row.sheet is None and row.page_number == previous.page_number + 1


def _twice(report: Report, row: Row, first: Row, expected: str) -> None:
    label = " ".join(row.label_lines)
    where = f"of the table {row.table_title!r}"
    places = (place_of(first), place_of(row))
    if places[0] == places[1]:  # one PDF page: its rows carry no line, so say which of the page's rows
        places = (f"{places[0]}, row {_row_on_page(report, first)}", f"{places[1]}, row {_row_on_page(report, row)}")
    found = f"{label!r} twice: at {places[0]} and at {places[1]}"
    raise ExtractError(report.file_name, _page_place_of_row(row), f"{expected} {where}", found)


def _row_on_page(report: Report, row: Row) -> int:
    """Which of its page's table rows `row` is, the first 1 (by identity: a row printed twice equals its copy)."""
    page = next(p for p in report.pages if p.number == row.page_number and p.sheet == row.sheet)
    return next(number for number, printed in enumerate(page.rows, start=1) if printed is row)


def _page_place_of_row(row: Row) -> int | str:
    return f"sheet {row.sheet!r}" if row.sheet is not None else row.page_number
