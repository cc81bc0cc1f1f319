"""Shared fixtures: the January 2026 report, read and built into warehouses."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from extract import Report, read_report
from tests.python.helpers import REPLICA_PDF, TEXT_EXPORT, Build, load_and_build
from tooling.replica.series import year_report
from tooling.replica.synthetic import write_reports


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
    assert build.query("select count(distinct month) from audit.fct_participants") == [(13,)]
    assert build.query("select distinct month from audit.fct_participants where is_series_break_month") == [
        (date(2025, 4, 1),)
    ]
    return build
