"""The README's ways in, run for real: SQLAlchemy (duckdb-engine) read-only, Python,
and DuckDB 1.4 (as bundled by BI drivers) in an environment of its own."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.python.conftest import ROOT, Build

DUCKDB_14 = ROOT / ".venv-duckdb14" / "bin" / "python"


def readme_blocks(language: str) -> list[str]:
    """The fenced code blocks of one language in the README's "Opening the warehouse"."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Opening the warehouse", 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", section, flags=re.DOTALL)


def duckdb_14() -> Path:
    """The DuckDB 1.4 interpreter (`make test` makes it); its absence fails CI."""
    if not DUCKDB_14.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{DUCKDB_14} is missing: `make test` makes it (requirements-duckdb14.txt)")
        pytest.skip(f"{DUCKDB_14} is missing: run `make .venv-duckdb14/.installed`")
    return DUCKDB_14


def run_with_duckdb_14(script: str, *args: str) -> str:
    result = subprocess.run([str(duckdb_14()), "-c", script, *args], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def engine(text_build: Build) -> Iterator[sa.Engine]:
    engine = sa.create_engine(f"duckdb:///{text_build.db}", connect_args={"read_only": True})
    yield engine
    engine.dispose()  # DuckDB allows one configuration per file in a process


def test_the_readme_queries_run_through_sqlalchemy_read_only(engine: sa.Engine) -> None:
    queries = readme_blocks("sql")
    assert len(queries) == 3
    with engine.connect() as con:
        by_fylke, totals, by_group = (con.execute(sa.text(q)).all() for q in queries)
    assert len(by_fylke) == 16 and by_fylke[0] == ("03", "Oslo", 1583)  # 15 fylker and Ukjent
    assert by_fylke[-1] == ("ukjent", "Ukjent", 20)
    january = date(2026, 1, 1)
    assert totals == [
        (january, "alle", 79696),
        (january, "nedsatt_arbeidsevne", 64651),
        (january, "arbeidssokere", 11301),
        (january, "andre", 3744),
    ]
    assert by_group[0] == ("Lønnstilskudd", "Wage subsidy", 349 + 6190 + 568, 0)
    assert ("Jobbskaping og egenetablering", "Job creation and self-employment", 81 + 6, 1) in by_group


def test_a_read_only_engine_cannot_write(engine: sa.Engine) -> None:
    with engine.connect() as con, pytest.raises(sa.exc.DBAPIError, match="read-only"):
        con.execute(sa.text("delete from marts.fct_participants"))


def test_the_readme_python_examples_run(text_build: Build, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(text_build.db.parent)  # the examples open "warehouse.duckdb" here
    assert text_build.db.name == "warehouse.duckdb"
    examples = readme_blocks("python")
    assert len(examples) == 2
    duckdb_example: dict = {}
    exec(examples[0], duckdb_example)  # the README's own code
    assert duckdb_example["con"].execute("select count(*) from marts.fct_participants").fetchone() == (498,)
    duckdb_example["con"].close()
    sqlalchemy_example: dict = {}
    exec(examples[1], sqlalchemy_example)
    sqlalchemy_example["engine"].dispose()  # the pool would keep the file open for the other tests
    assert len(sqlalchemy_example["rows"]) == 5


def test_duckdb_14_opens_the_warehouse(text_build: Build) -> None:
    script = (
        "import sys, duckdb\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "print(duckdb.__version__)\n"
        "print(con.execute('select count(*), sum(participants) from marts.fct_participants"
        " where dimension = \\'arbeidsmarkedsstatus\\'').fetchone())\n"
        "for q in sys.argv[2:]: print(len(con.execute(q).fetchall()))\n"
    )
    out = run_with_duckdb_14(script, str(text_build.db), *readme_blocks("sql")).split("\n")
    assert out[0].startswith("1.4.")
    assert out[1] == "(3, 79696)"
    assert out[2:5] == ["16", "4", "9"]
