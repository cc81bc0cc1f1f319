"""TILT030, the years before 2023: its age blocks read exactly from workbooks of two layouts, summed to types with
bounds, joined to the siblings' types in one history with January 2023's break; a tampered file fails a named test.

The replicas (``tooling.replica.tilt030``) draw every cell (month x status x type x age band) first, so every
total is known exactly before suppression.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from extract import read_report
from extract.reports import MONTHS
from tests.python.helpers import Build, load_and_build, refused_load
from tooling.corpus.office import convert
from tooling.replica.series import year_report
from tooling.replica.siblings import sibling_report
from tooling.replica.spec import SUPPRESSED, SUPPRESSION_LIMIT
from tooling.replica.tilt030 import (
    STATUSES,
    Tilt030Report,
    Tilt030Style,
    ages,
    sheet_rows,
    table_titles,
    tilt030_report,
    write_tilt030,
)
from tooling.replica.xlsx import write_xlsx

LAYOUTS = {
    "title-beside-numbers": Tilt030Style(),
    "title-own-row-text-two-row-header": Tilt030Style(title="own", figures="text", header_rows=2),
    "no-title-row": Tilt030Style(title="none"),
}
MAPPED = {  # TILT030's label -> the type's code across 2023 (seed tilt030_tiltakstyper)
    "Arbeidsforberedende trening (AFT)": "arbeidsforberedende_trening",
    "Varig tilrettelagt arbeid": "varig_tilrettelagt_arbeid",
    "Arbeidsmarkedsopplæring (AMO)": "amo_kurs",
}


@pytest.mark.parametrize("producer", ["openpyxl", "libreoffice-resave"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_cell_of_a_tilt030_workbook_reads_exactly(layout: str, producer: str, tmp_path: Path) -> None:
    """Every row of every age block as printed: its heading, its label (the group's before its first type), its
    figures; the blank and heading rows are no rows. As written by openpyxl, and as LibreOffice Calc saves it
    again (its own cell types, shared strings and column widths)."""
    report = tilt030_report(2022)
    path = tmp_path / report.file_name
    write_tilt030(report, path, LAYOUTS[layout])
    if producer == "libreoffice-resave":
        written, path = path, tmp_path / "calc" / report.file_name
        path.parent.mkdir()
        convert(written, "xlsx:Calc MS Excel 2007 XML", path)
    read = read_report(path)
    assert (read.report_code, read.period) == ("TILT030", "Januar 2022 - Desember 2022")
    for status in STATUSES:
        printed = []
        heading = None
        for column_a, column_b, values in sheet_rows(report, status):
            if not values:
                heading = column_a or heading
                continue
            label = " ".join(part for part in (column_a, column_b) if part)
            printed.append((heading, label, tuple(SUPPRESSED if v is None else str(v) for v in values)))
        got = [
            (row.heading, " ".join(row.label_lines), tuple(f.text.replace("\u00a0", "") for f in row.figures))
            for row in read.rows
            if row.table_title == table_titles()[status]
        ]
        assert got == printed, status
    assert len(read.rows) == 3 * len(ages()) * 29  # per block: its total, 19 types, 9 groups' totals


@dataclass(frozen=True)
class History:
    build: Build
    tilt030: list[Tilt030Report]


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> History:
    """TILT030's 2020, 2021 and 2022 (one layout each), and 2023 from TILT100's, TILT140's and TILT170's December
    reports."""
    folder = tmp_path_factory.mktemp("history") / "in"
    reports = [tilt030_report(2020), tilt030_report(2021), tilt030_report(2022)]
    for report, style in zip(reports, LAYOUTS.values(), strict=True):
        write_tilt030(report, folder / report.file_name, style)
    write_xlsx(year_report(2023, 12).spec, folder / "tilt100_2023-12.xlsx")
    for code in ("TILT140", "TILT170"):  # Oppfølging; Tilrettelagt arbeid, whose VTA split in 2023
        write_xlsx(sibling_report(code, 2023, 12).spec, folder / f"{code.lower()}_2023-12.xlsx")
    return History(load_and_build(sorted(folder.iterdir()), folder.parent / "warehouse.duckdb"), reports)


def _bounds(values: list[int]) -> tuple[int | None, int, int]:
    """A sum of age bands' cells as the warehouse gives it: unknown if any is suppressed, and its range."""
    hidden = [v for v in values if v < SUPPRESSION_LIMIT]
    known = sum(v for v in values if v >= SUPPRESSION_LIMIT)
    return (None if hidden else known), known + len(hidden), known + 3 * len(hidden)


def test_tilt030s_age_bands_sum_to_each_type_with_bounds(history: History) -> None:
    """Each month x status x type of 2020 to 2022 is its age bands' sum; a suppressed band widens the range and
    leaves the figure unknown, never vanishes."""
    assert history.build.returncode == 0, history.build.output
    codes = dict(history.build.query("select label_no, tiltakstype_code from seeds.tilt030_tiltakstyper"))
    expected: dict[tuple[date, str, str], tuple[int | None, int, int]] = {}
    for report in history.tilt030:
        bands: dict[tuple[date, str, str], list[int]] = {}
        for (month, status, label, _), value in report.truth.items():
            bands.setdefault((month, status, codes[label]), []).append(value)
        expected |= {key: _bounds(values) for key, values in bands.items()}
    got = {
        (m, s, t): (p, lo, hi)
        for m, s, t, p, lo, hi in history.build.query(
            "select month, status_code, tiltakstype_code, participants, participants_min, participants_max"
            " from marts.fct_participants_by_tiltakstype where year(month) < 2023"
        )
    }
    assert got == expected
    widened = [key for key, (p, lo, hi) in got.items() if p is None]
    assert widened and all(got[key][1] < got[key][2] for key in widened)


def test_one_history_of_types_from_tilt030_to_the_siblings_with_the_2023_break(history: History) -> None:
    """2020 to 2023 in one table: a renamed type continues under its code, a split one ends in 2022; January 2023
    starts a new series of the types (not of TILT100's dimensions)."""
    assert history.build.returncode == 0, history.build.output
    months = dict(
        history.build.query(
            "select tiltakstype_code, list(distinct year(month) order by year(month))"
            " from marts.fct_participants_by_tiltakstype where status_code = 'nedsatt_arbeidsevne' group by all"
        )
    )
    assert months["oppfolging"] == [2020, 2021, 2022, 2023]
    assert months["varig_tilrettelagt_arbeid"] == [2020, 2021, 2022]
    assert months["vta_skjermet"] == [2023]
    for label, code in MAPPED.items():
        assert months[code][:3] == [2020, 2021, 2022], label
    periods = history.build.query(
        "select year(month), list(distinct series_period), bool_or(is_series_break_month and month = '2023-01-01')"
        " from marts.fct_participants_by_tiltakstype where status_code = 'nedsatt_arbeidsevne' group by all order by 1"
    )
    assert periods == [(2020, [1], False), (2021, [1], False), (2022, [1], False), (2023, [2], True)]
    statuses = history.build.query(
        "select distinct series_period from marts.fct_participants_by_arbeidsmarkedsstatus where year(month) = 2023"
    )
    assert statuses == [(1,)]  # TILT100's dimensions do not break in January 2023
    assert re.search(r"PASS tilt030_age_blocks_reconcile ", history.build.output)


def _tampered(tmp_path: Path, year: int, status: str, label: str, change: Callable[[Worksheet, int], None]) -> Build:
    """TILT030 of `year`, the row of type `label` in the first age block of `status`'s sheet changed, built."""
    report = tilt030_report(year)
    path = tmp_path / "in" / report.file_name
    write_tilt030(report, path)
    book = openpyxl.load_workbook(path)
    sheet = book[table_titles()[status][:31]]
    change(sheet, next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 2).value == label))
    book.save(path)
    return load_and_build([path], tmp_path / "warehouse.duckdb")


def test_a_tampered_tilt030_figure_fails_the_age_blocks_reconciliation(tmp_path: Path) -> None:
    """2021 with Arbeidstrening's March 40 more in the first age block: its group's total is no longer its sum."""

    def plus_40_in_march(sheet: Worksheet, row: int) -> None:
        sheet.cell(row, 6).value += 40  # C the average, D January

    build = _tampered(tmp_path, 2021, "nedsatt_arbeidsevne", "Arbeidstrening", plus_40_in_march)
    assert build.returncode == 1
    assert re.findall(r"FAIL (\d+) (\w+) ", build.output) == [("1", "tilt030_age_blocks_reconcile")]
    mismatched = build.query(
        "select file_name, block_heading, month, total_of, parts_min - total_min"
        " from test_failures.tilt030_age_blocks_reconcile"
    )
    heading = f"{ages()[0][1]} Nedsatt arbeidsevne, på tiltak"
    assert mismatched == [("tilt030_2021-12.xlsx", heading, date(2021, 3, 1), "arbeidspraksis", 40)]


def test_a_tilt030_row_placed_nowhere_fails_by_name(tmp_path: Path) -> None:
    """2022 with Jobbklubb printed as "Jobbsøkerkurs" (a type no seed knows), and the andre sheet's second age block
    headed as Arbeidssøkere's (a heading of another status group): named with their file, never dropped."""
    second = f"{ages()[1][1]} Andre på tiltak"

    def rename(sheet: Worksheet, row: int) -> None:
        sheet.cell(row, 2).value = "Jobbsøkerkurs"
        heading = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == second)
        sheet.cell(heading, 1).value = f"{ages()[1][1]} Arbeidssøkere på tiltak"

    build = _tampered(tmp_path, 2022, "andre", "Jobbklubb", rename)
    assert build.returncode == 1
    assert re.findall(r"FAIL (\d+) (\w+) ", build.output) == [("30", "assert_every_tilt030_row_is_placed")]
    unplaced = build.query(
        "select block_heading, label_text from test_failures.assert_every_tilt030_row_is_placed order by all"
    )
    assert (f"{ages()[0][1]} Andre på tiltak", "Jobbsøkerkurs") in unplaced
    assert len([row for row in unplaced if row[0] == f"{ages()[1][1]} Arbeidssøkere på tiltak"]) == 29  # its block


def _edited(tmp_path: Path, change: Callable[[Worksheet], None], year: int = 2022) -> Path:
    """TILT030 of `year`, its first sheet (4a, Arbeidssøkere) changed."""
    report = tilt030_report(year)
    path = tmp_path / report.file_name
    write_tilt030(report, path)
    book = openpyxl.load_workbook(path)
    change(book[table_titles()["arbeidssokere"][:31]])
    book.save(path)
    return path


def _rows_in_column_a(sheet: Worksheet, text: str) -> list[int]:
    return [r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == text]


def test_an_age_block_printed_twice_is_refused(tmp_path: Path) -> None:
    """The second age block headed as the first: two blocks with one heading, nothing to choose between."""
    first = f"{ages()[0][1]} Arbeidssøkere på tiltak"

    def repeat_the_first_heading(sheet: Worksheet) -> None:
        sheet.cell(_rows_in_column_a(sheet, f"{ages()[1][1]} Arbeidssøkere på tiltak")[0], 1).value = first

    path = _edited(tmp_path, repeat_the_first_heading)
    assert (
        f"expected one block opened by 'I alt Arbeidssøkere på tiltak' of the table '{table_titles()['arbeidssokere']}'"
    ) in refused_load(path, tmp_path)


def test_an_age_blocks_month_headers_shifted_are_refused(tmp_path: Path) -> None:
    """One block's headers a month on ("Februar" over January's figures): the period's months, in order, or none."""

    def shift(sheet: Worksheet) -> None:
        header = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 4).value == "Januar")
        for column in range(4, 4 + 12):
            sheet.cell(header, column).value = MONTHS[(column - 4 + 1) % 12]

    error = refused_load(_edited(tmp_path, shift), tmp_path)
    assert (
        "sheet '4a. Arbeidssøkere på tiltak Til', row 7: expected the month columns of the period"
        " 'Januar 2022 - Desember 2022' (Januar, Februar,"
    ) in error, error


def test_a_tilt030_of_a_year_after_2022_is_refused(tmp_path: Path) -> None:
    """TILT030 is the years up to 2022 (the siblings print 2023 on): a file naming 2023 is another report's year."""
    report = tilt030_report(2023)
    path = tmp_path / report.file_name
    write_tilt030(report, path)
    error = refused_load(path, tmp_path)
    assert (
        f"{path.name}: expected a TILT030 report of a period up to Desember 2022, found 'Januar 2023 - Desember 2023'"
        in error
    )
