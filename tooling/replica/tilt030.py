"""Synthetic TILT030 workbooks (the years before 2023) with known figures, in NAV's layout as its app describes it.

One workbook a year. A sheet per status group ("4a. Arbeidssøkere på tiltak Til...", cut at 31 characters as
Excel does); in each, the age blocks stacked: a heading row "<age band> <status group>", the month header row,
the block's "I alt <status group>" row, a blank row, then the measure types: the group in column A on its first
row only, the type in column B, figures from column C (the year-to-date average, then the months); each group
closed by its "I alt <group>" row. The types and their labels are seed ``tilt030_tiltakstyper``'s.

The figures are drawn bottom up (month x status x type x age band, each at least 1, small types suppressed),
so every total is exact before suppression. Two layouts (``Tilt030Style``): the title beside the report date,
figures as numbers, the header in one row; or the title on a row of its own, figures as text with no-break
spaces, the average's header in two rows; or no title row at all (the sheet's name, cut at 31 characters, says
the table), the date alone.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from openpyxl import Workbook

from extract.reports import AVERAGE, MONTHS, TOTAL_PREFIX, definitions, source_line, updated_line
from tooling.replica.series import average, seed_rows, statuses
from tooling.replica.spec import NO_BREAK_SPACE, SUPPRESSED, suppress
from tooling.replica.xlsx import SHEET_NAME_LENGTH, without_save_time

CODE = "TILT030"
STATUSES = ("arbeidssokere", "nedsatt_arbeidsevne", "andre")
SMALL = {"Mentor", "Funksjonsassistanse", "Høyere utdanning"}  # a participant or three in an age band: "*"

Key = tuple[date, str, str, str]  # month, status, TILT030's type label, age band code


@dataclass(frozen=True)
class Tilt030Style:
    title: str = "beside"  # "beside" the report date, on a row of its "own", or "none" (the sheet's name says it)
    figures: str = "numbers"  # or "text" with no-break spaces
    header_rows: int = 1  # the average's header in one row, or two ("Gjennomsnitt" / "hittil i år")


@dataclass(frozen=True)
class Tilt030Report:
    file_name: str
    year: int
    last_month: int
    updated: str
    truth: dict[Key, int]  # every cell of every age block, before suppression

    @property
    def months(self) -> list[date]:
        return [date(self.year, m, 1) for m in range(1, self.last_month + 1)]


@cache
def old_types() -> tuple[tuple[str, str], ...]:
    """(group code, type label as TILT030 prints it), in the report's order."""
    groups = {r["tiltaksgruppe_code"]: int(r["sort_order"]) for r in seed_rows("tiltaksgrupper")}
    rows = sorted(
        seed_rows("tilt030_tiltakstyper"), key=lambda r: (groups[r["tiltaksgruppe_code"]], int(r["sort_order"]))
    )
    return tuple((r["tiltaksgruppe_code"], r["label_no"]) for r in rows)


@cache
def ages() -> tuple[tuple[str, str], ...]:
    """(code, label) of each age band, in order."""
    return tuple(
        (r["aldersgruppe_code"], r["label_no"])
        for r in sorted(seed_rows("aldersgrupper"), key=lambda r: int(r["sort_order"]))
    )


@cache
def group_labels() -> dict[str, str]:
    return {r["tiltaksgruppe_code"]: r["label_no"] for r in seed_rows("tiltaksgrupper")}


def tilt030_report(year: int, last_month: int = 12) -> Tilt030Report:
    """TILT030 for `year` (before 2023), January to `last_month`: its truth drawn bottom up."""
    truth: dict[Key, int] = {}
    for month in (date(year, m, 1) for m in range(1, last_month + 1)):
        rng = random.Random(f"tilt030 {month}")
        season = 1 + 0.05 * math.sin((month.month - 1) / 12 * 2 * math.pi)
        for status_number, status in enumerate(STATUSES):
            for type_number, (_, label) in enumerate(old_types()):
                base = 2 if label in SMALL else 40 + 37 * ((type_number * 7 + status_number * 3) % 11)
                for age_number, (age, _) in enumerate(ages()):
                    weight = 1.0 if label in SMALL else 1 + 0.4 * math.cos(age_number)
                    truth[(month, status, label, age)] = max(1, round(base * weight * season * rng.uniform(0.9, 1.1)))
    updated = date(year + (last_month == 12), last_month % 12 + 1, 3).strftime("%d.%m.%Y")
    return Tilt030Report(f"tilt030_{year}-{last_month:02d}.xlsx", year, last_month, updated, truth)


def _values(monthly: Sequence[int]) -> tuple[int | None, ...]:
    return tuple(suppress(v) for v in (average(monthly), *monthly))


def sheet_rows(report: Tilt030Report, status: str) -> list[tuple[str | None, str | None, tuple[int | None, ...]]]:
    """The table of one status group as (column A, column B, figures) rows; a heading row has no figures, a blank
    row is (None, None, ())."""
    rows: list[tuple[str | None, str | None, tuple[int | None, ...]]] = []
    status_label = statuses()[status]

    def series(labels: Sequence[str], age: str) -> list[int]:
        return [sum(report.truth[(m, status, label, age)] for label in labels) for m in report.months]

    for age, age_label in ages():
        rows.append((f"{age_label} {status_label}", None, ()))
        rows.append((f"{TOTAL_PREFIX} {status_label}", None, _values(series([t for _, t in old_types()], age))))
        rows.append((None, None, ()))
        for group, label in group_labels().items():
            types = [t for g, t in old_types() if g == group]
            for number, type_label in enumerate(types):
                rows.append((label if not number else None, type_label, _values(series([type_label], age))))
            if types:
                rows.append((f"{TOTAL_PREFIX} {label}", None, _values(series(types, age))))
        rows.append((None, None, ()))
    return rows


def table_titles() -> dict[str, str]:
    """Status code -> its table's title (seed report_tables)."""
    return {r["status_code"]: r["table_title"] for r in seed_rows("report_tables") if r["report_code"] == CODE}


def write_tilt030(report: Tilt030Report, out: Path, style: Tilt030Style = Tilt030Style()) -> None:
    """The workbook, one sheet per status group; the same report and style give the same bytes."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    headers = (AVERAGE, *MONTHS[: report.last_month])
    right = 2 + len(headers)
    period = f"{MONTHS[0]} {report.year} - {MONTHS[report.last_month - 1]} {report.year}"
    for status in STATUSES:
        title = table_titles()[status]
        sheet = workbook.create_sheet(title[:SHEET_NAME_LENGTH])
        sheet.cell(1, 1, source_line(definitions()[CODE].source_title))
        if style.title != "none":
            sheet.cell(2, 1, title)
        sheet.cell(3 if style.title == "own" else 2, right, updated_line(report.updated))
        row = 4 if style.title == "own" else 3
        sheet.cell(row, 1, period)
        row += 2
        for column_a, column_b, values in sheet_rows(report, status):
            if column_a is not None and not values:  # a heading: then the block's header row
                sheet.cell(row, 1, column_a)
                row = _header(sheet, row + 1, headers, style)
                continue
            if column_a is not None:
                sheet.cell(row, 1, column_a)
            if column_b is not None:
                sheet.cell(row, 2, column_b)
            for column, value in enumerate(values, start=3):
                sheet.cell(row, column, _figure(value, style))
            row += 1
    out.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    out.write_bytes(without_save_time(buffer.getvalue()))


def _header(sheet: object, row: int, headers: Sequence[str], style: Tilt030Style) -> int:
    """The month header row (the average's in two rows if the style says so); returns the row after it."""
    if style.header_rows == 2:
        sheet.cell(row, 3, "Gjennomsnitt")  # type: ignore[attr-defined]
        row += 1
    for column, header in enumerate(headers, start=3):
        text = "hittil i år" if style.header_rows == 2 and header == AVERAGE else header
        sheet.cell(row, column, text)  # type: ignore[attr-defined]
    return row + 1


def _figure(value: int | None, style: Tilt030Style) -> int | str:
    if value is None:
        return SUPPRESSED
    return f"{value:,}".replace(",", NO_BREAK_SPACE) if style.figures == "text" else value
