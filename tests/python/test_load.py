"""Landing raw rows: lineage, one transaction per file, nothing twice."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from extract.__main__ import default_db, main
from tests.python.conftest import TEXT_EXPORT

COUNTS = {
    "tilt100_files": 1,
    "tilt100_pages": 56,
    "tilt100_rows": 557,
    "tilt100_cells": 1114,
}


def raw_counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in COUNTS}


def test_lands_once_with_lineage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.duckdb"
    assert main(["--db", str(db), str(TEXT_EXPORT)]) == 0
    assert raw_counts(db) == COUNTS
    assert main(["--db", str(db), str(TEXT_EXPORT.parent)]) == 0  # the folder: same file again, plus the tampered one
    out = capsys.readouterr().out
    assert f"[1/2] skipped {TEXT_EXPORT}: already loaded (same SHA-256)" in out
    with duckdb.connect(str(db), read_only=True) as con:
        files = con.execute(
            "select file_name, file_format, report_updated, period, page_count from raw.tilt100_files"
            " order by file_name"
        ).fetchall()
        oslo = con.execute(
            "select r.page_number, r.label_lines, c.column_header, c.value_text from raw.tilt100_rows r"
            " join raw.tilt100_cells c using (file_sha256, row_order) join raw.tilt100_files f using (file_sha256)"
            " where f.file_name = ? and r.label_lines = ['0301 Oslo'] order by c.column_order",
            [TEXT_EXPORT.name],
        ).fetchall()
    assert files == [
        ("tilt100_2026-01.txt", "txt", "02.02.2026", "Januar 2026 - Januar 2026", 56),
        ("tilt100_2026-01_tampered_oslo.txt", "txt", "02.02.2026", "Januar 2026 - Januar 2026", 56),
    ]
    assert oslo == [
        (24, ["0301 Oslo"], "Gjennom snitt hittil i år", "9\u00a0109"),
        (24, ["0301 Oslo"], "Januar", "9\u00a0109"),
    ]


def test_bad_file_lands_nothing_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.duckdb"
    broken = tmp_path / "broken.txt"
    text = TEXT_EXPORT.read_text(encoding="utf-8")
    broken.write_text(text.replace("5636 Unjárga -\nNesseby 8 8", "5636 Unjárga -\nNesseby 8 8 x"), encoding="utf-8")
    assert main(["--db", str(db), str(broken), str(TEXT_EXPORT)]) == 1
    err = capsys.readouterr().err
    assert "broken.txt, page 56: expected 2 figures at the end of the row, found 'Nesseby 8 8 x'" in err
    assert raw_counts(db) == COUNTS  # the good file landed, the bad one not at all


def test_database_path_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WAREHOUSE_DB", str(tmp_path / "env.duckdb"))
    assert default_db() == tmp_path / "env.duckdb"
    monkeypatch.delenv("WAREHOUSE_DB")
    assert default_db() == Path(__file__).resolve().parents[2] / "warehouse.duckdb"
    assert os.environ.get("WAREHOUSE_DB") is None


def test_printed_text_reaches_sql_only_as_data(tmp_path: Path) -> None:
    """A label that reads like SQL lands as the text it is: rows go in as bound parameters."""
    db = tmp_path / "w.duckdb"
    hostile = "0301 Oslo'); drop table raw.tilt100_files; --"
    report = tmp_path / "hostile.txt"
    report.write_text(TEXT_EXPORT.read_text(encoding="utf-8").replace("0301 Oslo 9", f"{hostile} 9"), encoding="utf-8")
    assert main(["--db", str(db), str(report)]) == 0
    assert raw_counts(db) == COUNTS
    with duckdb.connect(str(db), read_only=True) as con:
        found = con.execute("select label_lines from raw.tilt100_rows where label_lines[1] like '0301 %'").fetchall()
    assert found == [([hostile],)]
