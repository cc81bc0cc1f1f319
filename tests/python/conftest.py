"""Shared fixtures: the January 2026 report, read and built into warehouses."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest

from extract import Report, read_report
from replica.series import write_reports, year_report

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
TEXT_EXPORT = FIXTURES / "tilt100_2026-01.txt"
TAMPERED = FIXTURES / "tilt100_2026-01_tampered_oslo.txt"
REPLICA_PDF = ROOT / "data" / "reports" / "tilt100_2026-01.pdf"
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Build:
    db: Path
    returncode: int
    output: str

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.db), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()


RAW_TABLES = ("tilt100_files", "tilt100_pages", "tilt100_rows", "tilt100_cells")


def raw_state(db: Path) -> dict[str, list[tuple]]:
    """Every raw row as landed, but the load time."""
    if not db.exists():
        return {}
    with duckdb.connect(str(db), read_only=True) as con:
        if con.execute("select count(*) from duckdb_tables() where schema_name = 'raw'").fetchone() != (4,):
            return {}  # killed before the tables were made: nothing landed
        return {
            t: con.execute(f"select * exclude (loaded_at) from raw.{t} order by all").fetchall()
            if t == "tilt100_files"
            else con.execute(f"select * from raw.{t} order by all").fetchall()
            for t in RAW_TABLES
        }


def load_and_build(files: list[Path], db: Path) -> Build:
    """Land files with the extractor, then `dbt build` against that database."""
    env = {**os.environ, "WAREHOUSE_DB": str(db), "DBT_PROFILES_DIR": str(ROOT)}
    extract = subprocess.run(
        [sys.executable, "-m", "extract", *map(str, files)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert extract.returncode == 0, extract.stdout + extract.stderr
    dbt = subprocess.run(
        [str(BIN / "dbt"), "build", "--target-path", str(db.parent / "target"), "--log-path", str(db.parent / "logs")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    return Build(db, dbt.returncode, dbt.stdout + dbt.stderr)


@pytest.fixture(scope="session")
def text_report() -> Report:
    return read_report(TEXT_EXPORT)


@pytest.fixture(scope="session")
def pdf_report() -> Report:
    return read_report(REPLICA_PDF)


@pytest.fixture(scope="session")
def text_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    build = load_and_build([TEXT_EXPORT], tmp_path_factory.mktemp("text") / "warehouse.duckdb")
    assert build.returncode == 0, build.output
    return build


@pytest.fixture(scope="session")
def pdf_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    build = load_and_build([REPLICA_PDF], tmp_path_factory.mktemp("pdf") / "warehouse.duckdb")
    assert build.returncode == 0, build.output
    return build


@pytest.fixture(scope="session")
def year_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The synthetic 2025 report (January to December) and NAV's January 2026 text export."""
    reports = tmp_path_factory.mktemp("report-input")
    write_reports(reports, [year_report(2025, 12)])
    shutil.copy(TEXT_EXPORT, reports / TEXT_EXPORT.name)
    build = load_and_build([reports], tmp_path_factory.mktemp("report-year") / "warehouse.duckdb")
    assert build.returncode == 0, build.output
    # thirteen months, with April 2025's series break inside the range
    assert build.query("select count(distinct month) from marts.fct_participants") == [(13,)]
    assert build.query("select distinct month from marts.fct_participants where is_series_break_month") == [
        (date(2025, 4, 1),)
    ]
    return build
