"""What several test files share, beside the fixtures of conftest.py: the fixtures' files, builds, raw state."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from extract import Report
from tests.python import dbt_fork
from tilt100.settings import JANUARY_2026_TEXT, REPORTS, ROOT

FIXTURES = ROOT / "tests" / "fixtures"
TEXT_EXPORT = JANUARY_2026_TEXT
TAMPERED = FIXTURES / "tilt100_2026-01_tampered_oslo.txt"
REPLICA_PDF = REPORTS / "tilt100_2026-01.pdf"
BIN = Path(sys.executable).parent
DUCKDB_14 = ROOT / ".venv-duckdb14" / "bin" / "python"


@dataclass(frozen=True)
class Build:
    db: Path
    returncode: int
    output: str
    made_as: Path | None = None  # where it was built, if `db` is a copy (`conftest.built_once`): what `output` names

    @property
    def built_at(self) -> Path:
        """The warehouse path the build ran against (what its output and its Parquet manifest name)."""
        return self.made_as or self.db

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.db), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()


RAW_TABLES = ("tilt100_files", "tilt100_pages", "tilt100_rows", "tilt100_cells")


def copy_of(db: Path, folder: Path) -> Path:
    """The warehouse `db`'s folder copied to `folder` (the file, its Parquet link and snapshots, the kept parse):
    the copy's warehouse path."""
    shutil.copytree(db.parent, folder, symlinks=True)
    return folder / db.name


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


def run_refresh(db: Path, *reports: Path) -> subprocess.CompletedProcess[str]:
    """`tilt100 refresh` of `reports` into the warehouse `db` (`WAREHOUSE_DB`), its output captured."""
    env = {**os.environ, "WAREHOUSE_DB": str(db)}
    command = [sys.executable, "-m", "tilt100", "refresh", *map(str, reports)]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)


def refreshed(db: Path, *reports: Path) -> str:
    """`run_refresh` that passed (exit 0): what it printed."""
    run = run_refresh(db, *reports)
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout


def refused_load(path: Path, folder: Path) -> str:
    """`tilt100 load` of `path` into a warehouse in `folder`: refused with exit 1, no traceback, nothing
    landed; what it said on stderr."""
    db = folder / "refused.duckdb"
    run = subprocess.run(
        [str(BIN / "tilt100"), "load", "--db", str(db), str(path)], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stdout + run.stderr
    assert raw_state(db).get("tilt100_files", []) == []
    return run.stderr


def target_and_logs(folder: Path, log_level: str = "info") -> list[str]:
    """dbt's target and log folders in `folder`: a test's dbt never writes the project's. Its file log at
    info, as the refresh's: no debug line a statement (a tenth of a build; `warehouse.dbt_events`)."""
    return ["--target-path", str(folder / "target"), "--log-path", str(folder / "logs"), "--log-level-file", log_level]


def run_dbt(
    db: Path, folder: Path, *args: str, env: dict[str, str | None] | None = None, log_level: str = "info"
) -> subprocess.CompletedProcess[str]:
    """dbt's command line against `db` (this project's parse made once on the machine), its target and
    logs in `folder`; `env`: changes to its environment (None: unset), say another machine cache. Run in a
    fork of a process that has imported dbt, as `dbt_fork.COMMAND` would run it."""
    changed = {"WAREHOUSE_DB": str(db), "DBT_PROFILES_DIR": str(ROOT), **(env or {})}
    environ = {k: v for k, v in {**os.environ, **changed}.items() if v is not None}
    return dbt_fork.run([*args, *target_and_logs(folder, log_level)], environ, ROOT)


def load_and_build(files: list[Path], db: Path) -> Build:
    """Land files with the extractor, then `dbt build` against that database."""
    env = {**os.environ, "WAREHOUSE_DB": str(db), "DBT_PROFILES_DIR": str(ROOT)}
    extract = subprocess.run(
        [sys.executable, "-m", "extract", *map(str, files)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert extract.returncode == 0, extract.stdout + extract.stderr
    dbt = run_dbt(db, db.parent, "build", "--no-write-json")  # no test reads its manifest.json (half a second)
    return Build(db, dbt.returncode, dbt.stdout + dbt.stderr)


def leaf_and_total_cells(report: Report) -> Counter:
    """Every printed cell, keyed by table, label (white space aside) and column.

    A block's total row repeats at the top of each continuation page, and the
    replica paginates differently from NAV's PDF: repeats are counted once.
    """
    cells: Counter = Counter()
    seen_totals = set()
    for row in report.rows:
        label = "".join(" ".join(row.label_lines).split())
        figures = tuple((f.column.header, f.text) for f in row.figures)
        key = (row.table_title, label, figures)
        if label.startswith("Ialt"):
            if key in seen_totals:
                continue
            seen_totals.add(key)
        cells[key] += 1
    return cells


def interpreter(path: Path, requirements: str) -> Path:
    """An interpreter of its own environment (`make test` makes it); its absence fails CI."""
    if not path.exists():
        venv = path.parent.parent.name
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: `make test` makes it ({requirements})")
        pytest.skip(f"{path} is missing: run `make {venv}/.installed`")
    return path


def duckdb_14() -> Path:
    """The DuckDB 1.4 interpreter."""
    return interpreter(DUCKDB_14, "requirements-duckdb14.txt")


def run_with_duckdb_14(script: str, *args: str) -> str:
    """Run `script` under DuckDB 1.4 and return what it printed."""
    result = subprocess.run([str(duckdb_14()), "-c", script, *args], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def string_constants(path: Path) -> list[str]:
    """Every string a module writes in its code: its literals and f-strings' parts, not its docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]
