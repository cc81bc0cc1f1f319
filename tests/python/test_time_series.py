"""Many reports, loaded in any order and again: one clean series per category.

The synthetic reports (a year of 2025, three from 2023, February and March
2026 repeating January 2026) are rendered from known figures; the warehouse
built from them plus NAV's January 2026 text export must give those figures.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from extract import read_report
from extract.model import Row
from tests.python.helpers import ROOT, TEXT_EXPORT, Build, load_and_build
from tests.python.kept_chars import kept_chars
from tooling.replica.series import SyntheticReport
from tooling.replica.synthetic import synthetic_reports, write_reports

Key = tuple[date, str, str, str]


@pytest.fixture(scope="module")
def reports() -> list[SyntheticReport]:
    return synthetic_reports()


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory, reports: list[SyntheticReport]) -> Path:
    out = tmp_path_factory.mktemp("reports")
    write_reports(out, reports, twins=True)
    (out / TEXT_EXPORT.name).write_bytes(TEXT_EXPORT.read_bytes())
    return out


@pytest.fixture(scope="module")
def series(tmp_path_factory: pytest.TempPathFactory, report_dir: Path) -> Build:
    build = load_and_build([report_dir], tmp_path_factory.mktemp("series") / "warehouse.duckdb")
    assert build.returncode == 0, build.output
    return build


def build_of(files: list[Path], db: Path) -> Build:
    build = load_and_build(files, db)
    assert build.returncode == 0, build.output
    return build


def test_excel_twins_build_the_same_marts_as_the_pdfs(report_dir: Path, tmp_path: Path, series: Build) -> None:
    pdfs = build_of(sorted(report_dir.glob("*.pdf")), tmp_path / "pdf.duckdb")
    workbooks = build_of(sorted(report_dir.glob("*.xlsx")), tmp_path / "xlsx.duckdb")
    queries = {
        "fct_participants": "month, status_code, dimension, category_code, category_name, participants,"
        " participants_min, participants_max, is_suppressed, series_period, is_series_break_month, report_updated_on",
        "fct_published_totals": "month, status_code, dimension, participants, participants_min, participants_max",
        "fct_year_to_date_averages": "through_month, status_code, dimension, category_code, is_total,"
        " average_participants, average_participants_min, average_participants_max",
    }
    for table, columns in queries.items():
        query = f"select {columns} from audit.{table} order by all"
        rows = pdfs.query(query)
        assert len(rows) > 500, (table, len(rows))
        assert workbooks.query(query) == rows, table
    # all twins together: one report each, every file's lineage kept
    assert series.query("select count(*), count(distinct report_key) from staging.stg_tilt100__files") == [(35, 18)]


def newest_truth(reports: list[SyntheticReport]) -> dict[Key, int]:
    """What each month should hold: the figures of the newest report printing it."""
    expected: dict[Key, int] = {}
    for report in sorted(reports, key=lambda r: r.spec.updated[-4:] + r.spec.updated[3:5] + r.spec.updated[:2]):
        expected.update(report.truth)
    return expected


def test_every_figure_is_the_newest_reports_truth(series: Build, reports: list[SyntheticReport]) -> None:
    expected = newest_truth(reports)
    rows = series.query(
        "select month, status_code, dimension, category_code, participants, participants_min, participants_max"
        " from audit.fct_participants"
    )
    mart = {(m, s, d, c): (p, lo, hi) for m, s, d, c, p, lo, hi in rows}
    assert len(mart) == len(rows)  # one row per month x status x dimension x category
    missing = set(expected) - set(mart)
    assert not missing, sorted(missing)[:5]
    for key, value in expected.items():
        if 1 <= value <= 3:
            assert mart[key] == (None, 1, 3), key
        else:
            assert mart[key] == (value, value, value), key
    # the only figures without a known truth: the cells January 2026 suppressed, in the 2026 reports
    unknown = {key for key in mart if key not in expected}
    assert len(unknown) == 3 * 9
    assert all(key[0].year == 2026 and mart[key] == (None, 1, 3) for key in unknown)
    months = {key[0] for key in mart}
    assert {date(2025, m, 1) for m in range(1, 13)} <= months
    assert {date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1), date(2023, 12, 1)} <= months


def test_revised_january_kept_in_history(series: Build) -> None:
    current = series.query(
        "select category_code, participants, report_updated_on from audit.fct_participants"
        " where month = date '2026-01-01' and status_code = 'arbeidssokere' and dimension = 'kjonn' order by 1"
    )
    assert current == [("kvinner", 5870, date(2026, 4, 2)), ("menn", 5431, date(2026, 4, 2))]
    warned = [line for line in series.output.splitlines() if "months_revised_by_a_later_report" in line]
    assert any("WARN 2" in line for line in warned), warned
    revisions = series.query(
        "select category_code, previous_participants, participants, file_name from audit.fct_participants_history"
        " where is_revision order by 1"
    )
    assert revisions == [
        ("kvinner", 5872, 5870, "tilt100_2026-03.pdf"),
        ("menn", 5429, 5431, "tilt100_2026-03.pdf"),
    ]
    versions = series.query(
        "select file_name, participants from audit.fct_participants_history where month = date '2026-01-01'"
        " and status_code = 'arbeidssokere' and dimension = 'kjonn' and category_code = 'kvinner' order by 1"
    )
    assert versions == [
        ("tilt100_2026-01.txt", 5872),
        ("tilt100_2026-02.pdf", 5872),
        ("tilt100_2026-03.pdf", 5870),
    ]


def test_year_to_date_averages(series: Build, reports: list[SyntheticReport]) -> None:
    assert "year_to_date_average_is_the_mean_of_the_months" in series.output
    december = next(r for r in reports if r.file_name == "tilt100_2025-12.pdf")
    oslo = [december.truth[(date(2025, m, 1), "alle", "kommune", "0301")] for m in range(1, 13)]
    published = series.query(
        "select average_participants from audit.fct_year_to_date_averages"
        " where through_month = date '2025-12-01' and dimension = 'kommune' and category_code = '0301'"
    )
    assert published == [(int(sum(oslo) / 12 + 0.5),)]


def test_series_break_is_flagged(series: Build) -> None:
    flags = series.query(
        "select strftime(month, '%Y-%m'), series_period, is_series_break_month from audit.fct_participants"
        " where status_code = ? and dimension = 'arbeidsmarkedsstatus' and month between ? and ? order by 1",
        ["andre", date(2025, 3, 1), date(2025, 5, 1)],
    )
    assert flags == [("2025-03", 1, False), ("2025-04", 2, True), ("2025-05", 2, False)]
    nedsatt = series.query(
        "select distinct series_period from audit.fct_participants where status_code = 'nedsatt_arbeidsevne'"
    )
    assert nedsatt == [(1,)]


def test_2023_maps_onto_todays_fylker(series: Build, reports: list[SyntheticReport]) -> None:
    december_2023 = next(r for r in reports if r.file_name == "tilt100_2023-12.pdf")
    month = date(2023, 12, 1)
    reported = dict(
        series.query(
            "select category_code, participants_min from audit.fct_participants"
            " where month = ? and dimension = 'fylke' and status_code = 'nedsatt_arbeidsevne'",
            [month],
        )
    )
    assert "30" in reported and "31" not in reported  # as reported: Viken
    today = series.query(
        "select fylke_nr, participants, participants_min, participants_max, suppressed_cells, is_bounded_by_fylke_table"
        " from marts.fct_participants_by_fylke_today where month = ? order by fylke_nr",
        [month],
    )
    bounded = {fylke: by_fylke_table for fylke, *_, by_fylke_table in today}
    # the reform's fylker have the kommune sum alone; the fylker the report printed as they are today, both tables
    assert {f for f, by_table in bounded.items() if not by_table} == {"31", "32", "33", "39", "40", "55", "56"}
    assert not {"30", "38", "54"} & set(bounded)
    truth = december_2023.truth
    for fylke, participants, low, high, _, by_fylke_table in today:
        if by_fylke_table:  # the fylke table's true figure, summed over the status groups, lies in the range
            printed = sum(v for k, v in truth.items() if k[0] == month and k[2] == "fylke" and k[3] == fylke)
            assert low <= printed <= high, fylke
            assert participants in (None, printed), fylke
    kommune_truth = [v for k, v in truth.items() if k[0] == month and k[2] == "kommune"]
    low = sum(v if v > 3 else 1 for v in kommune_truth)
    high = sum(v if v > 3 else 3 for v in kommune_truth)
    in_all = (sum(row[2] for row in today), sum(row[3] for row in today))
    assert low <= in_all[0] <= sum(kommune_truth) <= in_all[1] <= high  # the overlap: never wider than the kommune sum
    # a fylke with a suppressed kommune is still known where its fylke table prints it
    assert any(participants is not None and suppressed for _, participants, _, _, suppressed, _ in today)


def test_month_arithmetic(series: Build, reports: list[SyntheticReport]) -> None:
    expected = newest_truth(reports)
    key_now = (date(2025, 12, 1), "nedsatt_arbeidsevne", "kjonn", "kvinner")
    key_before = (date(2025, 11, 1), *key_now[1:])
    change = series.query(
        "select change_from_previous_month from audit.fct_participants_changes"
        " where month = ? and status_code = ? and dimension = ? and category_code = ?",
        list(key_now),
    )
    assert change == [(expected[key_now] - expected[key_before],)]
    suppressed = series.query(
        "select count(*) filter (where change_from_previous_month is not null) from audit.fct_participants_changes c"
        " join audit.fct_participants p using (month, status_code, dimension, category_code) where p.is_suppressed"
    )
    assert suppressed == [(0,)]


def test_any_order_and_again_lands_the_same(series: Build, report_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "reverse.duckdb"
    files = sorted(report_dir.iterdir(), reverse=True)
    half = len(files) // 2
    first = subprocess.run(
        [sys.executable, "-m", "extract", "--db", str(db), *map(str, files[:half])], cwd=ROOT, capture_output=True
    )
    assert first.returncode == 0
    rebuilt = load_and_build(files, db)  # the first half again, then the rest
    assert rebuilt.returncode == 0, rebuilt.output
    again = subprocess.run(
        [sys.executable, "-m", "extract", "--db", str(db), str(report_dir)], cwd=ROOT, capture_output=True, text=True
    )
    assert again.returncode == 0 and again.stdout.count("already loaded") == len(files)
    assert f"0 loaded, {len(files)} skipped" in again.stdout
    query = "select * exclude (file_sha256, row_order) from audit.fct_participants order by all"
    assert rebuilt.query(query) == series.query(query)
    history = "select count(*), count(*) filter (where is_revision) from audit.fct_participants_history"
    assert rebuilt.query(history) == series.query(history)


def test_both_text_layers_read_every_report_alike(report_dir: Path) -> None:
    """PDFium (the default) and pdfplumber (the reference) give the same rows, figures and columns.

    Positions differ a little (PDFium measures a character's box by the font's
    bounds, pdfminer by its own), never by as much as the gap between columns.
    """
    pdfs = sorted(report_dir.glob("*.pdf"))
    assert len(pdfs) == 17
    for pdf in pdfs:
        with kept_chars(pdf):  # pdfplumber's characters of this file, kept between runs
            fast, reference = read_report(pdf), read_report(pdf, text_layer="pdfplumber")
        assert (fast.updated, fast.period, len(fast.pages)) == (
            reference.updated,
            reference.period,
            len(reference.pages),
        )
        assert [printed(row) for row in fast.rows] == [printed(row) for row in reference.rows], pdf.name
        for fast_row, reference_row in zip(fast.rows, reference.rows, strict=True):
            for a, b in zip(fast_row.figures, reference_row.figures, strict=True):
                assert a.x0 is not None and a.x1 is not None and a.top is not None
                assert b.x0 is not None and b.x1 is not None and b.top is not None
                assert max(abs(a.x0 - b.x0), abs(a.x1 - b.x1), abs(a.top - b.top)) < 1.5, (pdf.name, a, b)


def printed(row: Row) -> tuple:
    return (
        row.page_number,
        row.table_title,
        row.label_lines,
        tuple((f.column.order, f.column.header, f.text) for f in row.figures),
    )
