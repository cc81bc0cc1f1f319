"""The Excel twin: the same report from .xlsx, and bad workbooks refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from extract import ExtractError, Report, read_report
from tests.python.helpers import REPLICA_PDF, Build, leaf_and_total_cells, load_and_build
from tilt100.cli import main as tilt100
from tooling.replica.from_text import spec_from_report
from tooling.replica.xlsx import write_xlsx

KOMMUNE_SHEET = "Tiltaksdeltakere og kommune"


@pytest.fixture(scope="module")
def twin(tmp_path_factory: pytest.TempPathFactory, text_report: Report) -> Path:
    out = tmp_path_factory.mktemp("twin") / "tilt100_2026-01.xlsx"
    write_xlsx(spec_from_report(text_report), out)
    return out


def edited_twin(twin: Path, tmp_path: Path, edit: object) -> Path:
    workbook = load_workbook(twin)
    edit(workbook)  # type: ignore[operator]
    out = tmp_path / "edited.xlsx"
    workbook.save(out)
    return out


def cell_of(workbook: object, sheet: str, label: str, column: int) -> str:
    ws = workbook[sheet]  # type: ignore[index]
    row = next(r for r in ws.iter_rows(min_col=1, max_col=1) if r[0].value == label)[0].row
    return ws.cell(row=row, column=column).coordinate


def test_twin_gives_every_cell_of_the_text_export(twin: Path, text_report: Report) -> None:
    report = read_report(twin)
    assert (report.file_format, report.updated, report.period) == ("xlsx", "02.02.2026", "Januar 2026 - Januar 2026")
    expected = leaf_and_total_cells(text_report)

    def numeric(cells: dict) -> dict:  # Excel holds 79696 as a number where the PDF prints "79 696"
        return {
            (t, label, tuple((h.replace("Gjennom snitt", "Gjennomsnitt"), v.replace("\u00a0", "")) for h, v in figs)): n
            for (t, label, figs), n in cells.items()
        }

    assert numeric(leaf_and_total_cells(report)) == numeric(expected)
    oslo = next(row for row in report.rows if row.label_lines == ("0301 Oslo",))
    assert (oslo.sheet, [f.cell_ref for f in oslo.figures], [f.text for f in oslo.figures]) == (
        KOMMUNE_SHEET,
        ["B7", "C7"],
        ["9109", "9109"],
    )


def test_missing_sheet(twin: Path, tmp_path: Path) -> None:
    bad = edited_twin(twin, tmp_path, lambda wb: wb.remove(wb["Arbeidsmarkedsstatus og kjønn"]))
    with pytest.raises(ExtractError, match=r"edited.xlsx: expected a sheet with the table 'Arbeidsmarkedsstatus og kj"):
        read_report(bad)


def test_block_without_header_row(twin: Path, tmp_path: Path) -> None:
    bad = edited_twin(twin, tmp_path, lambda wb: wb["Arbeidsmarkedsstatus og kjønn"].delete_rows(5))
    with pytest.raises(ExtractError, match=r"sheet 'Arbeidsmarkedsstatus og kjønn': expected column headers above"):
        read_report(bad)


def test_text_where_a_figure_belongs(twin: Path, tmp_path: Path) -> None:
    def edit(workbook: object) -> None:
        workbook[KOMMUNE_SHEET][cell_of(workbook, KOMMUNE_SHEET, "1101 Eigersund", 3)] = "2O2"  # type: ignore[index]

    bad = edited_twin(twin, tmp_path, edit)
    with pytest.raises(
        ExtractError, match=r"sheet 'Tiltaksdeltakere og kommune': expected a figure .* '2O2' in cell C8"
    ):
        read_report(bad)


def test_password_protected_workbook(tmp_path: Path) -> None:
    # An encrypted Office file is an OLE2 compound file, whatever its name says.
    bad = tmp_path / "locked.xlsx"
    bad.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504))
    with pytest.raises(ExtractError, match=r"locked\.xlsx: expected a workbook without a password"):
        read_report(bad)


def test_bad_workbook_lands_nothing(twin: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = edited_twin(twin, tmp_path, lambda wb: wb.remove(wb[KOMMUNE_SHEET]))
    db = tmp_path / "w.duckdb"
    assert tilt100(["load", "--db", str(db), str(bad)]) == 1
    assert "edited.xlsx: expected a sheet with the table 'Tiltaksdeltakere og kommune'" in capsys.readouterr().err
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from raw.tilt100_cells").fetchone() == (0,)


@pytest.fixture(scope="module")
def twins_build(tmp_path_factory: pytest.TempPathFactory, twin: Path) -> Build:
    build = load_and_build([twin, REPLICA_PDF], tmp_path_factory.mktemp("twins") / "warehouse.duckdb")
    assert build.returncode == 0, build.output
    return build


def test_excel_builds_the_same_marts_as_the_pdf(twins_build: Build, pdf_build: Build) -> None:
    query = (
        "select month, status_code, dimension, category_code, category_name, participants, participants_min,"
        " participants_max, is_suppressed from audit.fct_participants order by all"
    )
    assert twins_build.query(query) == pdf_build.query(query)
    assert twins_build.query("select count(*) from staging.stg_tilt100__files") == [(2,)]
    assert twins_build.query("select count(distinct report_key) from staging.stg_tilt100__files") == [(1,)]
    assert twins_build.query("select max(file_count), count(*) from audit.fct_participants_history") == [(2, 498)]


def test_twin_with_a_changed_figure_fails_naming_the_cell(twin: Path, tmp_path: Path) -> None:
    def edit(workbook: object) -> None:
        workbook[KOMMUNE_SHEET]["C7"] = 9110  # type: ignore[index]  # Oslo, January: the PDF says 9 109

    changed = edited_twin(twin, tmp_path, edit)
    build = load_and_build([changed, REPLICA_PDF], tmp_path / "warehouse.duckdb")
    assert build.returncode != 0
    assert any("assert_twin_files_agree" in line and " FAIL " in line for line in build.output.splitlines())
    printed = build.query("select printed from test_failures.assert_twin_files_agree")
    assert printed == [(f"edited.xlsx, sheet {KOMMUNE_SHEET} cell C7: 9110; tilt100_2026-01.pdf, page 25: 9 109",)]
