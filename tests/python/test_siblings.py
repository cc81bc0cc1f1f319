"""The siblings TILT110-TILT180: measure types read exactly from workbooks of two layouts, reconciled to their own
totals and to TILT100's groups; a tampered sibling fails a named test.

The replicas (``tooling.replica.siblings``) split each measure group of a synthetic TILT100 year into its types,
so the truth is known cell by cell, and the types sum to TILT100's group exactly before suppression.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import duckdb
import openpyxl
import pytest

from extract import ExtractError, read_report
from extract.model import Report
from extract.reports import TOTAL_PREFIX
from extract.sources import TEXT_LAYERS, TextLayer
from tests.python.helpers import TEXT_EXPORT, Build, load_and_build, refreshed, refused_load, run_dbt
from tooling.corpus.catalogue import printed_by_reportlab
from tooling.corpus.sheets import write_workbook
from tooling.corpus.variant import SheetStyle
from tooling.replica.render import render_pdf
from tooling.replica.series import SyntheticReport, year_report
from tooling.replica.siblings import (
    FYLKE_TABLE,
    KOMMUNE_TABLE,
    TYPES_TABLE,
    UNKNOWN_TABLE,
    sibling_codes,
    sibling_report,
)
from tooling.replica.spec import EMPTY, SUPPRESSED, ReportSpec, RowSpec
from tooling.replica.tilt030 import tilt030_report, write_tilt030
from tooling.replica.xlsx import whole_label, write_xlsx

Writer = Callable[[ReportSpec, Path], None]
# Two layouts: the replica's (title row, the header over each block, figures as numbers, an "Om statistikken"
# sheet) and another (no title row, the header once at the top in two rows, figures as text with no-break spaces).
LAYOUTS: dict[str, Writer] = {
    "replica": write_xlsx,
    "header-once-text": lambda spec, out: write_workbook(
        spec, SheetStyle(title="none", header="two-rows", figures="text", header_per_block=False), out
    ),
}


def printed(value: int | str | None) -> str:
    """A spec's value as the extractor lands it: digits, "*", or "" (an empty cell)."""
    return SUPPRESSED if value is None else str(value)


def spec_cells(spec: ReportSpec, table: str) -> list[tuple[str, tuple[str, ...]]]:
    return [
        (whole_label(row.label), tuple(printed(v) for v in row.values))
        for t in spec.tables
        if t.title == table
        for block in t.blocks
        for row in block.rows
    ]


def read_cells(report: Report, table: str) -> list[tuple[str, tuple[str, ...]]]:
    return [
        (" ".join(row.label_lines), tuple(f.text.replace("\u00a0", "") for f in row.figures))
        for row in report.rows
        if row.table_title == table
    ]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize(("code", "year"), [(code, 2023) for code in sibling_codes()] + [("TILT110", 2025)])
def test_every_cell_of_a_sibling_workbook_reads_exactly(code: str, year: int, layout: str, tmp_path: Path) -> None:
    """Every label and figure of every table as the replica printed it, empty cells included (Arbeid med støtte
    before December 2023, Utvidet oppfølging i NAV after November, a place with no one); the kommune table from
    2025; a sheet of a table no definition holds is skipped by name."""
    report = sibling_report(code, year, 12, unknown_sheet=True)
    path = tmp_path / report.file_name
    LAYOUTS[layout](report.spec, path)
    read = read_report(path)
    assert read.report_code == code
    assert read.period == f"Januar {year} - Desember {year}"
    tables = [TYPES_TABLE, FYLKE_TABLE, *([KOMMUNE_TABLE] if year >= 2025 else [])]
    assert [table.title for table in report.spec.tables] == [*tables, UNKNOWN_TABLE]
    for table in tables:
        assert read_cells(read, table) == spec_cells(report.spec, table), table
    assert read.skipped_sheets == ((UNKNOWN_TABLE, f"table {UNKNOWN_TABLE!r}: not one of {code}'s tables"),)
    if code == "TILT140":  # a type that began and one that ended within the year: their empty months
        rows = dict(read_cells(read, TYPES_TABLE))
        assert rows["Arbeid med støtte"][1:12] == ("",) * 11 and rows["Arbeid med støtte"][12] != ""
        assert rows["Utvidet oppfølging i NAV"][12] == "" and "" not in rows["Utvidet oppfølging i NAV"][:12]


def test_an_empty_cell_in_a_tilt100_workbook_is_refused(tmp_path: Path) -> None:
    """TILT100 prints a figure or "*" in every cell: an emptied one is a figure lost, refused with its place."""
    report = year_report(2023, 3)
    path = tmp_path / "tilt100_2023-03.xlsx"
    write_xlsx(report.spec, path)
    book = openpyxl.load_workbook(path)
    sheet = book["Arbeidsmarkedsstatus og kjønn"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "Kvinner")
    sheet.cell(row, 4).value = None  # February
    book.save(path)
    assert (
        f"{path.name}, sheet 'Arbeidsmarkedsstatus og kjønn', row {row}: expected a figure or '*' under 'Februar'"
        f" (every cell of 'Arbeidsmarkedsstatus og kjønn' holds one), found an empty cell in the row 'Kvinner'"
    ) in refused_load(path, tmp_path)  # nothing landed: refused_load holds it


def _emptied(spec: ReportSpec, table: str, label: str, column: int) -> ReportSpec:
    """`spec` with the cell of column `column` (0: the average) of the first row labelled `label` in `table` empty."""
    done = False

    def row(spec_row: RowSpec) -> RowSpec:
        nonlocal done
        if done or whole_label(spec_row.label) != label:
            return spec_row
        done = True
        return replace(spec_row, values=tuple(EMPTY if i == column else v for i, v in enumerate(spec_row.values)))

    tables = tuple(
        replace(t, blocks=tuple(replace(b, rows=tuple(map(row, b.rows))) for b in t.blocks)) if t.title == table else t
        for t in spec.tables
    )
    assert done
    return replace(spec, tables=tables)


@pytest.mark.parametrize("layer", TEXT_LAYERS)
def test_an_empty_cell_in_a_tilt100_pdf_is_refused(layer: TextLayer, tmp_path: Path) -> None:
    """Placed by position, a header with nothing under it is an empty cell: in TILT100 a figure lost."""
    path = tmp_path / "tilt100_2023-03.pdf"
    render_pdf(_emptied(year_report(2023, 3).spec, "Arbeidsmarkedsstatus og kjønn", "Kvinner", 2), path)
    with pytest.raises(ExtractError) as refused:
        read_report(path, text_layer=layer)
    assert str(refused.value).startswith(
        f"{path.name}, page 11: expected a figure or '*' under 'Februar' (every cell of 'Arbeidsmarkedsstatus og"
        " kjønn' holds one), found an empty cell in the row 'Kvinner'"
    )


@pytest.mark.parametrize("layer", TEXT_LAYERS)
@pytest.mark.parametrize(("code", "year"), [("TILT140", 2023), ("TILT180", 2025)])
def test_every_cell_of_a_sibling_pdf_reads_exactly(code: str, year: int, layer: TextLayer, tmp_path: Path) -> None:
    """Should NAV print a sibling as it prints TILT100: every table read exactly through either text layer, its
    empty cells (a type's months outside its run, a place with no one) placed by position."""
    report = sibling_report(code, year, 12)
    path = tmp_path / report.file_name.replace(".xlsx", ".pdf")
    render_pdf(report.spec, path)
    read = read_report(path, text_layer=layer)
    assert read.report_code == code

    def key(label: str, figures: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
        """As the warehouse compares them: white space aside (a PDF wraps labels and spaces thousands)."""
        return "".join(label.split()), tuple("".join(f.split()) for f in figures)

    for table in report.spec.tables:
        rows = [row for row in read.rows if row.table_title == table.title]
        # a block's total repeated at the top of a continuation page is the same row (as NAV prints it, and as
        # int_tilt100__rows reads it: the same total label as the last, on a later page)
        kept, last = [], None
        for row in rows:
            label = " ".join(row.label_lines)
            if label.startswith(TOTAL_PREFIX):
                if last is not None and label == last[0] and row.page_number > last[1]:
                    continue
                last = (label, row.page_number)
            kept.append(row)
        got = [key(" ".join(row.label_lines), tuple(f.text for f in row.figures)) for row in kept]
        # as the replica prints them: a label clipped after three lines, as NAV clips it
        printed = printed_by_reportlab(report.spec)
        assert got == [key(*cells) for cells in spec_cells(printed, table.title)], table.title
    assert "" in {figure.text for row in read.rows for figure in row.figures}


@dataclass(frozen=True)
class Family:
    build: Build
    truth: dict[tuple[date, str, str, str], int]  # the newest report's: (month, status, "tiltakstype", type)


def _write(reports: list[SyntheticReport], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, report in enumerate(reports):
        path = folder / Path(report.file_name).with_suffix(".xlsx").name
        list(LAYOUTS.values())[number % len(LAYOUTS)](report.spec, path)
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def family(tmp_path_factory: pytest.TempPathFactory) -> Family:
    """TILT100's 2023 (December's report), every sibling's June and December 2023 reports (December's wins), and
    TILT130's June 2025 report, whose months no TILT100 here prints."""
    folder = tmp_path_factory.mktemp("family")
    june = [sibling_report(code, 2023, 6) for code in sibling_codes()]
    december = [sibling_report(code, 2023, 12) for code in sibling_codes()]
    alone = sibling_report("TILT130", 2025, 6)
    paths = _write([year_report(2023, 12), *june, *december, alone], folder / "in")
    truth = {key: value for report in (*december, alone) for key, value in report.truth.items()}
    return Family(load_and_build(paths, folder / "warehouse.duckdb"), truth)


def test_a_year_of_siblings_gives_every_type_figure_exactly(family: Family) -> None:
    """fct_participants_by_tiltakstype holds each type's true figure, or its range where NAV would print "*";
    no row for a month a type did not run; each from the newest report of its code."""
    assert family.build.returncode == 0, family.build.output
    rows = family.build.query(
        "select t.month, t.status_code, t.tiltakstype_code, t.participants, t.participants_min, t.participants_max,"
        " p.report_code from marts.fct_participants_by_tiltakstype as t inner join audit.fct_participants as p"
        " on p.dimension = 'tiltakstype' and p.category_code = t.tiltakstype_code and p.month = t.month"
        " and p.status_code = t.status_code"
    )
    got = {(m, s, "tiltakstype", t): (p, lo, hi, code) for m, s, t, p, lo, hi, code in rows}
    truth = {key: value for key, value in family.truth.items() if key[2] == "tiltakstype"}
    assert got.keys() == truth.keys()
    for key, value in truth.items():
        expected = (None, 1, 3) if value < 4 else (value, value, value)
        assert got[key][:3] == expected, key
    groups = dict(family.build.query("select tiltakstype_code, report_code from marts.dim_tiltakstype"))
    assert all(code == groups[key[3]] for key, (*_, code) in got.items())
    assert not [key for key in got if key[0] in (date(2023, 1, 1), date(2023, 11, 1)) and key[3] == "arbeid_med_stotte"]


@pytest.mark.parametrize("dimension", ["fylke", "kommune"])
def test_every_type_by_place_is_exact(family: Family, dimension: str) -> None:
    """fct_participants_by_tiltakstype_and_fylke (2023 and TILT130's 2025) and _and_kommune (2025 alone: the
    siblings print it from 2025) hold each type's true figure in each place, or its range where NAV would print
    "*"; no row for a place with no one; the build reconciles the places with the types' totals, the status
    table and (kommuner) the fylker."""
    assert family.build.returncode == 0, family.build.output
    assert re.search(r"PASS measure_type_places_reconcile ", family.build.output)
    code = "fylke_nr" if dimension == "fylke" else "kommune_nr"
    rows = family.build.query(
        f"select month, tiltakstype_code, {code}, participants, participants_min, participants_max"
        f" from marts.fct_participants_by_tiltakstype_and_{dimension}"
    )
    got = {(m, "alle", f"{t}/{dimension}", place): (p, lo, hi) for m, t, place, p, lo, hi in rows}
    truth = {key: value for key, value in family.truth.items() if key[2].endswith(f"/{dimension}")}
    assert got.keys() == truth.keys()
    assert {key: (None, 1, 3) if v < 4 else (v, v, v) for key, v in truth.items()} == got
    years = {key[0].year for key in got}
    assert years == ({2023, 2025} if dimension == "fylke" else {2025})


def test_types_reconcile_with_tilt100s_groups_where_both_are_loaded(family: Family, tmp_path: Path) -> None:
    """The build's reconciliation compares every month, status and group of 2023 (TILT180's Tilrettelegging
    types under their own group, Egenetablering under Jobbskaping og egenetablering); 2025, which only TILT130
    prints, is checked against TILT130's own totals."""
    assert family.build.returncode == 0, family.build.output
    for test in ("measure_types_reconcile_with_tilt100_groups", "block_leaves_sum_to_block_total"):
        assert re.search(rf"PASS {test} ", family.build.output), test
    show = run_dbt(
        family.build.db,
        tmp_path,
        "show",
        "--output",
        "json",
        "--limit",
        "1000",
        "--inline",
        "select year(month) as year, count(distinct month) as months, count(*) as compared,"
        " count(distinct tiltaksgruppe_code) as groups_, "
        " bool_and(types_min = group_min or types_min < types_max or group_min < group_max) as exact_where_known"
        " from {{ ref('chk_reconciliation__tiltakstype') }} group by all",
    )
    assert show.returncode == 0, show.stdout + show.stderr
    shown = json.loads(show.stdout[show.stdout.index("{") :])["show"]
    # 2023: 12 months x the (status, group) pairs TILT100 prints (all nine groups for nedsatt arbeidsevne)
    pairs = {(s, g) for (_, s, dimension, g) in year_report(2023, 12).truth if dimension == "tiltaksgruppe"}
    assert shown == [{"year": 2023, "months": 12, "compared": 12 * len(pairs), "groups_": 9, "exact_where_known": True}]
    totals = family.build.query(
        "select report_code, count(*) from audit.fct_published_totals where dimension = 'tiltakstype'"
        " and year(month) = 2025 group by all"
    )
    assert totals == [("TILT130", 3 * 6)]


def _tamper(path: Path, label: str, column: int, change: Callable[[object], object], total: bool = False) -> int:
    """Change the cell under the sheet's `column` (B = 2) of the first row labelled `label`, and the same cell of
    its block's total row if `total`; returns the row's number."""
    book = openpyxl.load_workbook(path)
    sheet = book["Arbeidsmarkedsstatus og tiltak"]
    rows = [r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == label]
    row = rows[0]
    sheet.cell(row, column).value = change(sheet.cell(row, column).value)
    if total:
        opener = max(r for r in range(1, row) if str(sheet.cell(r, 1).value or "").startswith("I alt"))
        sheet.cell(opener, column).value = change(sheet.cell(opener, column).value)
    book.save(path)
    return row


def test_a_tampered_sibling_fails_a_named_test(tmp_path: Path) -> None:
    """Two wrong files beside TILT100's 2023: TILT110 with a type and its total both 50 more in March (agrees with
    itself, not with TILT100); TILT120 with a type 50 more in March (its total disagrees too)."""
    reports = [year_report(2023, 12), *(sibling_report(code, 2023, 12) for code in ("TILT110", "TILT120"))]
    _, tilt110, tilt120 = paths = _write(reports, tmp_path / "in")
    plus = lambda value: int(str(value).replace("\u00a0", "")) + 50  # noqa: E731
    _tamper(tilt110, "Midlertidig lønnstilskudd", 5, plus, total=True)
    _tamper(tilt120, "Arbeidstrening", 5, plus)
    build = load_and_build(paths, tmp_path / "warehouse.duckdb")
    assert build.returncode == 1
    failed = {test: count for count, test in re.findall(r"FAIL (\d+) (\w+) ", build.output)}
    assert failed == {
        "measure_types_reconcile_with_tilt100_groups": "2",  # March, each tampered group's first status
        "block_leaves_sum_to_block_total": "1",  # TILT120's March
        # the changed rows' averages no longer their months' mean: TILT110's type and total, TILT120's type
        "year_to_date_average_is_the_mean_of_the_months": "3",
        # each changed type's March no longer its "I alt" row in the file's fylke table
        "measure_type_places_reconcile": "2",
    }
    mismatched = build.query(
        "select month, status_code, tiltaksgruppe_code, report_code, types_min - group_min"
        " from test_failures.measure_types_reconcile_with_tilt100_groups order by all"
    )
    march = date(2023, 3, 1)
    assert mismatched == [
        (march, "arbeidssokere", "arbeidspraksis", "TILT120", 50),
        (march, "arbeidssokere", "lonnstilskudd", "TILT110", 50),
    ]


def test_an_empty_cell_in_a_month_a_type_ran_fails_a_named_test(tmp_path: Path) -> None:
    """TILT150's one type, Avklaring, with its March cell emptied: a figure lost, named with its file and place."""
    (path,) = _write([sibling_report("TILT150", 2023, 12)], tmp_path / "in")
    _tamper(path, "Avklaring", 5, lambda _: None)
    build = load_and_build([path], tmp_path / "warehouse.duckdb")
    assert build.returncode == 1
    assert re.search(r"FAIL 1 assert_empty_cells_are_outside_a_types_months ", build.output)
    empty = build.query(
        "select file_name, label_text, column_header from test_failures.assert_empty_cells_are_outside_a_types_months"
    )
    assert empty == [(path.name, "Avklaring", "Mars")]


def test_with_every_sibling_loaded_the_types_count_each_status_once(family: Family) -> None:
    """In 2023, where all eight siblings are loaded, a month's types sum to TILT100's status totals (within the
    range suppression leaves), as the mart's comment says."""
    assert family.build.returncode == 0, family.build.output
    compared = family.build.query(
        "select types.month, types.status_code, types.low, types.high, statuses.participants"
        " from (select month, status_code, sum(participants_min) as low, sum(participants_max) as high"
        "       from marts.fct_participants_by_tiltakstype where year(month) = 2023 group by all) as types"
        " inner join marts.fct_participants_by_arbeidsmarkedsstatus as statuses using (month, status_code)"
    )
    assert len(compared) == 12 * 3
    assert [row for row in compared if not row[2] <= row[4] <= row[3]] == []


def test_a_tampered_place_fails_a_named_test(tmp_path: Path) -> None:
    """TILT150's 2025 with Oslo's March 30 more in its kommune table: Oslo's kommuner no longer sum to Oslo's row in
    the fylke table (the type's total over all kommuner still holds it: the many suppressed kommuner leave a range
    wider than 30, and a range is never narrowed by a guess); and a place no seed knows is named."""
    (path,) = _write([sibling_report("TILT150", 2025, 12)], tmp_path / "in")
    book = openpyxl.load_workbook(path)
    sheet = book[KOMMUNE_TABLE]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "0301 Oslo")
    sheet.cell(row, 5).value = int(sheet.cell(row, 5).value) + 30  # B the average, C January: E March
    fylker = book[FYLKE_TABLE]
    unknown = next(r for r in range(1, fylker.max_row + 1) if fylker.cell(r, 1).value == "03 Oslo")
    book.save(path)
    build = load_and_build([path], tmp_path / "warehouse.duckdb")
    assert build.returncode == 1
    assert re.findall(r"FAIL (\d+) (\w+) ", build.output) == [("1", "measure_type_places_reconcile")]
    failed = build.query(
        "select comparison, dimension, tiltakstype_code, fylke_nr, month, parts_min - total_min"
        " from test_failures.measure_type_places_reconcile order by all"
    )
    march = date(2025, 3, 1)
    assert failed == [("kommuner_to_fylke", "kommune", "avklaring", "03", march, 30)]
    (hidden,) = build.query(
        "select count(*) from intermediate.int_tiltakstype__places where dimension = 'kommune'"
        " and tiltakstype_code = 'avklaring' and month = ? and is_suppressed",
        [march],
    )[0]
    assert 2 * hidden > 30  # the kommune total's range is wider than the change

    write_xlsx(sibling_report("TILT150", 2025, 12).spec, path)
    book = openpyxl.load_workbook(path)
    book[FYLKE_TABLE].cell(unknown, 1).value = "77 Christiania"
    book.save(path)
    build = load_and_build([path], tmp_path / "again.duckdb")
    assert build.returncode == 1
    assert re.findall(r"FAIL (\d+) (\w+) ", build.output) == [("1", "assert_every_place_is_known")]
    assert build.query("select label_text from test_failures.assert_every_place_is_known") == [("77 Christiania",)]


def test_a_sibling_of_2025_without_its_kommune_table_is_refused_and_one_of_2024_is_not(tmp_path: Path) -> None:
    """The kommune table is printed from 2025 (seed report_tables' printed_from): a 2025 workbook lacking it is a
    sheet lost; a 2024 one never had it."""
    for year in (2024, 2025):
        report = sibling_report("TILT160", year, 12)
        path = tmp_path / report.file_name
        write_xlsx(report.spec, path)
        book = openpyxl.load_workbook(path)
        if KOMMUNE_TABLE in book.sheetnames:
            del book[KOMMUNE_TABLE]
            book.save(path)
        if year == 2024:
            assert [page.title for page in read_report(path).pages if page.rows] == [TYPES_TABLE, FYLKE_TABLE]
            continue
        assert (
            f"{path.name}: expected a sheet with the table 'Tiltak og kommune' (sheet name 'Tiltak og kommune'),"
            " found only Arbeidsmarkedsstatus og tiltak, Tiltak og fylke"
        ) in refused_load(path, tmp_path)


def test_a_refresh_in_any_order_builds_what_one_refresh_of_them_all_does(tmp_path: Path) -> None:
    """TILT110's December 2023, then its June (older: its months' versions recomputed, the newest still wins) and
    TILT030's 2022, then TILT100's January 2026 (the family's tables left as they were, warehouse.state), refreshed
    one after another, hold what one refresh of the four holds."""
    reports = [sibling_report("TILT110", 2023, 12), sibling_report("TILT110", 2023, 6)]
    december, june = _write(reports[:1], tmp_path / "dec") + _write(reports[1:], tmp_path / "jun")
    old = tmp_path / "old" / "tilt030_2022-12.xlsx"
    write_tilt030(tilt030_report(2022), old)

    def marts(db: Path) -> dict[str, list[tuple]]:
        """Every table of marts, audit and intermediate (TILT030's cells among them), its rows in order."""
        tables = "select table_schema || '.' || table_name from information_schema.tables"
        tables += " where table_schema in ('marts', 'audit', 'intermediate') and table_type = 'BASE TABLE' order by 1"
        with duckdb.connect(str(db), read_only=True) as con:
            names = [name for (name,) in con.execute(tables).fetchall()]
            return {name: con.execute(f"select * from {name} order by all").fetchall() for name in names}

    one_by_one, at_once = tmp_path / "one" / "w.duckdb", tmp_path / "once" / "w.duckdb"
    for files in ([december], [june, old]):
        refreshed(one_by_one, *files)
    assert "but the family's (TILT100 files alone landed)" in refreshed(one_by_one, TEXT_EXPORT)
    refreshed(at_once, december, june, old, TEXT_EXPORT)
    assert marts(one_by_one) == marts(at_once)
    with duckdb.connect(str(one_by_one), read_only=True) as con:
        versions = con.execute(
            "select year(month), max(version_count) from audit.fct_participants_history"
            " where dimension = 'tiltakstype' group by all"
        ).fetchall()
        years = con.execute("select distinct year(month) from marts.fct_participants_by_tiltakstype order by 1")
        assert versions == [(2023, 2)] and years.fetchall() == [(2022,), (2023,)]  # June's months: two versions


def test_a_sibling_of_a_year_before_2023_is_refused(tmp_path: Path) -> None:
    """The siblings print the classification of 2023 on: a file naming 2022 is TILT030's years, or mislabelled."""
    report = sibling_report("TILT120", 2022, 12)
    path = tmp_path / report.file_name
    write_xlsx(report.spec, path)
    assert (
        f"{path.name}: expected a TILT120 report of a period from Januar 2023, found 'Januar 2022 - Desember 2022'"
    ) in refused_load(path, tmp_path)


def test_a_sibling_under_tilt100s_code_is_refused(tmp_path: Path) -> None:
    """A refresh of TILT100 files alone leaves the family's tables as they were (warehouse.state), so a sibling's
    workbook under TILT100's code must never land as a TILT100: read by TILT100's tables, it lacks them."""
    (path,) = _write([sibling_report("TILT110", 2023, 12)], tmp_path / "in")
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        sheet["A1"] = "Kilde: NAV TILT100 Tiltaksdeltakere. Hovedgruppe og demografi. Tidsserie måned"
    book.save(path)
    error = refused_load(path, tmp_path)
    assert f"{path.name}: expected a sheet with one of TILT100's tables, found only 'Arbeidsmarkedsstatus og" in error
    assert "table 'Arbeidsmarkedsstatus og tiltak': not one of TILT100's tables" in error


def test_a_sibling_titled_as_another_fails_a_named_test(tmp_path: Path) -> None:
    """TILT150's code with TILT140's title on every page: read by its code, then named by the build."""
    (path,) = _write([sibling_report("TILT150", 2023, 12)], tmp_path / "in")
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        sheet["A1"] = "Kilde: NAV TILT150 Tiltaksdeltakere. Oppfølging. Tidsserie måned"
    book.save(path)
    build = load_and_build([path], tmp_path / "warehouse.duckdb")
    assert build.returncode == 1
    assert re.findall(r"FAIL (\d+) (\w+) ", build.output) == [("1", "assert_source_titles_are_their_reports")]
    assert build.query(
        "select source_title, expected_title from test_failures.assert_source_titles_are_their_reports"
    ) == [
        (
            "TILT150 Tiltaksdeltakere. Oppfølging. Tidsserie måned",
            "TILT150 Tiltaksdeltakere. Avklaring. Tidsserie måned",
        )
    ]
