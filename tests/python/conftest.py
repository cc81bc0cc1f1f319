"""Shared fixtures: the January 2026 report, read and built into warehouses."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from filelock import FileLock

from extract import Report, read_report
from tests.python.helpers import REPLICA_PDF, TEXT_EXPORT, Build, load_and_build, run_refresh
from tooling.replica.series import year_report
from tooling.replica.synthetic import write_reports

# pytest rewrites each test module's asserts as it imports it, and keeps the result as bytecode beside it
# unless bytecode is not written (PYTHONDONTWRITEBYTECODE, set on this machine and CI): then each worker of
# each run rewrote all of them again (collecting took 3.2 s of CPU, 1.9 s with the bytecode kept). The
# workers write it (tests/python/__pycache__, ignored by git); the processes the tests start keep the
# environment's setting.
sys.dont_write_bytecode = False


@pytest.fixture(scope="session")
def text_report() -> Report:
    return read_report(TEXT_EXPORT)


@pytest.fixture(scope="session")
def pdf_report() -> Report:
    return read_report(REPLICA_PDF)


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], Build]) -> Build:
    """`build(db)` into a folder `name` once per run of the suite, and a copy of that folder for this worker.

    Under pytest-xdist the first worker to ask builds (the others wait for it, by a lock in the run's
    folder, which every worker's lies in) and each worker copies what was built: no two processes ever
    share the warehouse file. A run without workers builds into its own folder."""
    own = tmp_path_factory.mktemp(name)
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return build(own / "warehouse.duckdb")
    shared = tmp_path_factory.getbasetemp().parent / f"built-once-{name}"
    with FileLock(f"{shared}.lock"):
        if not (shared / "build.json").exists():
            shutil.rmtree(shared, ignore_errors=True)  # what a build that raised left
            shared.mkdir()
            made = build(shared / "warehouse.duckdb")
            (shared / "build.json").write_text(json.dumps({"returncode": made.returncode, "output": made.output}))
    shutil.copytree(shared, own, symlinks=True, dirs_exist_ok=True)
    made = json.loads((own / "build.json").read_text())
    return Build(own / "warehouse.duckdb", made["returncode"], made["output"], shared / "warehouse.duckdb")


@pytest.fixture(scope="session")
def text_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    build = built_once(tmp_path_factory, "text", lambda db: load_and_build([TEXT_EXPORT], db))
    assert build.returncode == 0, build.output
    return build


@pytest.fixture(scope="session")
def pdf_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    build = built_once(tmp_path_factory, "pdf", lambda db: load_and_build([REPLICA_PDF], db))
    assert build.returncode == 0, build.output
    return build


@pytest.fixture(scope="session")
def year_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The synthetic 2025 report (January to December) and NAV's January 2026 text export."""

    def build(db: Path) -> Build:
        reports = db.parent / "reports"
        reports.mkdir()
        write_reports(reports, [year_report(2025, 12)])
        shutil.copy(TEXT_EXPORT, reports / TEXT_EXPORT.name)
        return load_and_build([reports], db)

    build = built_once(tmp_path_factory, "report-year", build)
    assert build.returncode == 0, build.output
    # thirteen months, with April 2025's series break inside the range
    assert build.query("select count(distinct month) from audit.fct_participants") == [(13,)]
    assert build.query("select distinct month from audit.fct_participants where is_series_break_month") == [
        (date(2025, 4, 1),)
    ]
    return build


@pytest.fixture(scope="session")
def refreshed_january(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """A warehouse served by one `tilt100 refresh` of January 2026's text export: the file, its Parquet
    snapshot and link, the file for BI tools, the kept parse; `output` what the refresh printed. Read it, or
    copy its folder to refresh it again: every test file of a worker shares it."""

    def build(db: Path) -> Build:
        done = run_refresh(db, TEXT_EXPORT)
        return Build(db, done.returncode, done.stdout + done.stderr)

    build = built_once(tmp_path_factory, "refreshed-january", build)
    assert build.returncode == 0, build.output
    return build
