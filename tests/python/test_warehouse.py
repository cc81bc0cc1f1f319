"""`dbt build` on the January 2026 fixtures: the marts hold NAV's figures, and
a report with one figure changed fails the build."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from extract import Report
from tests.python.helpers import TAMPERED, Build, load_and_build, run_dbt
from tooling.replica import render_from_text

LEAF_CELLS = {
    "kommune": 359,
    "fylke": 50,
    "tiltaksgruppe": 23,
    "alder": 21,
    "fodeland": 15,
    "utdanning": 15,
    "kjonn": 6,
    "innvandrerstatus": 6,
    "arbeidsmarkedsstatus": 3,
}
MART_COLUMNS = (
    "month, status_code, dimension, category_code, category_name, participants,"
    " participants_min, participants_max, is_suppressed, page_number"
)


def printed_leaf_figures(report: Report) -> dict[int, str]:
    """Row order -> the January figure as printed, for every leaf row (not "I alt")."""
    return {
        order: row.figures[-1].text
        for order, row in enumerate(report.rows, start=1)
        if not "".join(row.label_lines).replace(" ", "").startswith("Ialt")
    }


def test_every_leaf_cell_of_january_2026(text_build: Build, text_report: Report) -> None:
    counts = dict(text_build.query("select dimension, count(*) from audit.fct_participants group by dimension"))
    assert counts == LEAF_CELLS
    assert sum(counts.values()) == 498
    printed = printed_leaf_figures(text_report)
    mart = {
        order: (participants, low, high, suppressed)
        for order, participants, low, high, suppressed in text_build.query(
            "select row_order, participants, participants_min, participants_max, is_suppressed"
            " from audit.fct_participants"
        )
    }
    assert mart.keys() == printed.keys()
    for order, text in printed.items():
        if text == "*":
            assert mart[order] == (None, 1, 3, True)
        else:
            value = int(text.replace("\u00a0", ""))
            assert mart[order] == (value, value, value, False)


def test_named_figures(text_build: Build) -> None:
    def cell(status: str, dimension: str, code: str) -> tuple:
        return text_build.query(
            "select category_name, participants, is_suppressed, page_number from audit.fct_participants"
            " where month = date '2026-01-01' and status_code = ? and dimension = ? and category_code = ?",
            [status, dimension, code],
        )[0]

    assert cell("alle", "kommune", "0301") == ("Oslo", 9109, False, 24)
    assert cell("alle", "kommune", "5540") == ("Gáivuotna - Kåfjord - Kaivuono", 40, False, 54)
    assert cell("alle", "kommune", "5007") == ("Namsos - Nåavmesjenjaelmie", 232, False, 49)
    assert cell("alle", "kommune", "5025") == ("Røros - Rossen", 78, False, 50)
    assert cell("alle", "kommune", "2100") == ("Svalbard", 4, False, 32)
    assert cell("alle", "kommune", "ukjent") == ("Ukjent", 63, False, 56)
    assert cell("alle", "kommune", "1144")[1:3] == (None, True)
    assert cell("arbeidssokere", "fylke", "15") == ("Møre og Romsdal", 491, False, 6)
    assert cell("nedsatt_arbeidsevne", "fylke", "97")[1:3] == (None, True)
    assert cell("nedsatt_arbeidsevne", "tiltaksgruppe", "tilrettelagt_arbeid")[:2] == ("Tilrettelagt arbeid", 14265)
    assert cell("andre", "utdanning", "hoyere_lang")[:2] == ("Universitets- og høgskolenivå, lang over 4 år", 375)
    assert cell("arbeidssokere", "alder", "-19")[:2] == ("19 år og under", 332)
    assert cell("nedsatt_arbeidsevne", "arbeidsmarkedsstatus", "nedsatt_arbeidsevne")[1] == 64651


def test_todays_fylker_hold_the_people_of_january_2026_once(text_build: Build) -> None:
    """Every fylke of today is known, though 11, 18 and 50 have suppressed kommuner: their fylke table prints them."""
    rows = text_build.query(
        "select fylke_nr, participants, participants_min, participants_max, suppressed_cells"
        " from marts.fct_participants_by_fylke_today order by fylke_nr"
    )
    assert len(rows) == 17  # 15 fylker, 97 Svalbard and other areas, ukjent
    assert all(participants == low == high for _, participants, low, high, _ in rows)
    assert sum(participants for _, participants, *_ in rows) == 79_696
    assert {fylke: participants for fylke, participants, *_ in rows if fylke in ("03", "11", "50")} == {
        "03": 9_109,
        "11": 6_219,
        "50": 7_317,
    }
    assert {fylke for fylke, *_, suppressed in rows if suppressed} == {"11", "18", "50"}


def test_published_totals_once_each(text_build: Build) -> None:
    totals = text_build.query(
        "select status_code, dimension, participants from audit.fct_published_totals order by all"
    )
    assert len(totals) == 2 + 3 * 7
    by_status: dict[str, set[int]] = {}
    for status, _, participants in totals:
        by_status.setdefault(status, set()).add(participants)
    assert by_status == {"alle": {79696}, "arbeidssokere": {11301}, "nedsatt_arbeidsevne": {64651}, "andre": {3744}}


def test_pdf_and_text_export_build_the_same_marts(text_build: Build, pdf_build: Build) -> None:
    query = f"select {MART_COLUMNS.replace(', page_number', '')} from audit.fct_participants order by all"
    assert pdf_build.query(query) == text_build.query(query)
    totals = "select month, status_code, dimension, participants from audit.fct_published_totals order by all"
    assert pdf_build.query(totals) == text_build.query(totals)


def test_reconciliation_tests_ran(text_build: Build) -> None:
    for name in (
        "block_leaves_sum_to_block_total",
        "statuses_sum_to_grand_total",
        "ranges_overlap_chk_reconciliation__kommune_fylke",
        "single_value_per_group_chk_reconciliation__status_totals",
    ):
        assert name in text_build.output
    assert "Completed successfully" in text_build.output


@pytest.fixture(scope="module")
def tampered_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tampered") / "tilt100_2026-01_tampered_oslo.pdf"
    render_from_text(TAMPERED, out)
    return out


@pytest.mark.parametrize("kind", ["txt", "pdf"])
def test_changed_figure_fails_the_build(kind: str, tampered_pdf: Path, tmp_path: Path) -> None:
    # Oslo's kommune figure printed as 9 209 instead of 9 109
    source = TAMPERED if kind == "txt" else tampered_pdf
    build = load_and_build([source], tmp_path / "warehouse.duckdb")
    assert build.returncode != 0
    failed = [line for line in build.output.splitlines() if " FAIL " in line]
    assert any("block_leaves_sum_to_block_total" in line for line in failed), build.output
    assert any("ranges_overlap_chk_reconciliation__kommune_fylke" in line for line in failed), build.output
    # the kommune mart no longer sums to the grand total
    assert any("reconciles_with_status_totals_fct_participants_by_kommune" in line for line in failed), build.output
    # the two printed bounds of today's Oslo no longer overlap: 9 209 by its kommune, 9 109 by the fylke table
    assert any("expression_is_true_fct_participants_by_fylke_today" in line for line in failed), build.output
    kommune_total = build.query("select total_min, parts_min from test_failures.block_leaves_sum_to_block_total")
    # the printed kommune figures sum to 79 685; +100 tampered; 6 suppressed kommuner at least 1 each
    assert kommune_total == [(79696, 79685 + 100 + 6)]


def test_a_key_its_dimension_lacks_and_a_null_key_fail_their_tests(text_build: Build, tmp_path: Path) -> None:
    # Each fact declares its keys once (keys_in_dimensions), each model its non-NULL columns
    # once (not_null_columns), each seed its code (primary_key): a build whose facts lost a
    # dimension's row, whose rows lost their status, or whose seed holds a code twice or a NULL
    # code, fails with the column and the value named.
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(text_build.db, db)
    with duckdb.connect(str(db)) as con:
        con.execute("delete from marts.dim_kommune where kommune_nr = '0301'")
        con.execute("update intermediate.int_tilt100__rows set status_code = null where row_order = 3")
        con.execute("insert into seeds.kjonn select * from seeds.kjonn where kjonn_code = 'kvinner'")
        con.execute("update seeds.fodeland set fodeland_code = null where sort_order = 2")
    tests = ("test_name:keys_in_dimensions", "test_name:not_null_columns", "test_name:primary_key")
    result = run_dbt(db, tmp_path, "test", "--select", *tests)
    assert result.returncode == 1, result.stdout + result.stderr
    failed = sorted(line.split(" FAIL ")[1].split()[1] for line in result.stdout.splitlines() if " FAIL " in line)
    assert failed == [
        "keys_in_dimensions_fct_participants",
        "keys_in_dimensions_fct_participants_by_kommune",
        "not_null_columns_int_tilt100__rows",
        "primary_key_fodeland_fodeland_code",
        "primary_key_kjonn_kjonn_code",
    ], result.stdout
    broken = Build(db, 1, "")
    assert broken.query("select * from test_failures.keys_in_dimensions_fct_participants_by_kommune") == [
        ("kommune_nr", "dim_kommune", "0301", 1)
    ]
    assert broken.query(
        "select * from test_failures.keys_in_dimensions_fct_participants where missing_value = '0301'"
    ) == [("category_code", "dim_kommune", "0301", 1)]  # the kommune table: one status, "alle"
    nulls = "not_null_columns_int_tilt100__rows"
    assert broken.query(f"select * from test_failures.{nulls}") == [("status_code", 1)]
    assert broken.query("select * from test_failures.primary_key_kjonn_kjonn_code") == [("kvinner", 2)]
    assert broken.query("select * from test_failures.primary_key_fodeland_fodeland_code") == [(None, 1)]
