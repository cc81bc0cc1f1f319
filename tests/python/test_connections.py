"""The ways in of docs/bi-tools.md, run for real: SQLAlchemy (duckdb-engine) read-only, Python,
and DuckDB 1.4 (as bundled by BI drivers) in an environment of its own; reflection
of every mart as a BI tool does it on connect, in the project's SQLAlchemy and in
Superset's (SQLAlchemy 1.4, `.venv-superset`)."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.python.helpers import ROOT, Build, interpreter, run_with_duckdb_14
from tilt100.export import export_warehouse
from tilt100.warehouse.reader_file import write_reader_file
from tilt100.warehouse.refresh import export_parquet

SUPERSET = ROOT / ".venv-superset" / "bin" / "python"


def docs_blocks(language: str) -> list[str]:
    """The fenced code blocks of one language in docs/bi-tools.md's "Opening the warehouse"."""
    page = (ROOT / "docs" / "bi-tools.md").read_text(encoding="utf-8")
    section = page.split("## Opening the warehouse", 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", section, flags=re.DOTALL)


@pytest.fixture
def engine(text_build: Build) -> Iterator[sa.Engine]:
    engine = sa.create_engine(f"duckdb:///{text_build.db}", connect_args={"read_only": True})
    yield engine
    engine.dispose()  # DuckDB allows one configuration per file in a process


def test_the_docs_queries_run_through_sqlalchemy_read_only(engine: sa.Engine) -> None:
    queries = docs_blocks("sql")
    assert len(queries) == 4
    with engine.connect() as con:
        by_fylke, by_status, by_group, outside_europe = (con.execute(sa.text(q)).all() for q in queries)
    assert len(by_fylke) == 16 and by_fylke[0] == ("03", "Oslo", 1583)  # 15 fylker and Ukjent
    assert by_fylke[-1] == ("ukjent", "Ukjent", 20)
    january = date(2026, 1, 1)
    assert by_status == [
        (january, "Job seekers on a measure", 11301, 79696),
        (january, "Reduced work capacity, on a measure", 64651, 79696),
        (january, "Others on a measure", 3744, 79696),
    ]
    assert by_group[0] == ("Lønnstilskudd", "Wage subsidy", 349 + 6190 + 568, 7107, 7107)
    # one cell suppressed: it adds nothing, and 1-3 to the range
    assert ("Jobbskaping og egenetablering", "Job creation and self-employment", 81 + 6, 88, 90) in by_group
    assert sum(row[2] for row in by_group) == 79693  # 79 696 people, 3 in hidden cells
    assert outside_europe == [
        ("Job seekers on a measure", 3543),
        ("Reduced work capacity, on a measure", 12443),
        ("Others on a measure", 956),
    ]


def test_the_docs_shell_lines_run(text_build: Build, tmp_path: Path) -> None:
    """The CLI line's SQL (the DuckDB CLI is not installed: run through Python) and the `dbt show` line as written."""
    cli, dbt_show = docs_blocks("sh")
    sql = re.fullmatch(r'duckdb -readonly warehouse\.duckdb "(.*)"\n', cli, flags=re.DOTALL)
    assert sql, cli
    assert text_build.query(sql.group(1)) == [(date(2026, 1, 1), 79696)]  # January once, the people once
    env = {
        **os.environ,
        "WAREHOUSE_DB": str(text_build.db),
        "DBT_TARGET_PATH": str(tmp_path / "target"),
        "DBT_LOG_PATH": str(tmp_path / "logs"),
    }
    run = subprocess.run(["bash", "-c", dbt_show], cwd=ROOT, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Previewing node 'age_profile_by_status'" in run.stdout


def test_a_read_only_engine_cannot_write(engine: sa.Engine) -> None:
    with engine.connect() as con, pytest.raises(sa.exc.DBAPIError, match="read-only"):
        con.execute(sa.text("delete from audit.fct_participants"))


def test_the_docs_python_examples_run(text_build: Build, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every Python block of "Opening the warehouse", in a folder as a refresh and an export leave it."""
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(text_build.db, db)
    snapshot = tmp_path / ".warehouse_parquet.readme"
    export_parquet(db, snapshot, "readme", db)
    (tmp_path / "warehouse_parquet").symlink_to(snapshot.name)
    export_warehouse(db, tmp_path / "warehouse_export", io.StringIO())
    monkeypatch.chdir(tmp_path)  # the examples open "warehouse.duckdb", "warehouse_parquet", "warehouse_export" here
    examples = docs_blocks("python")
    assert len(examples) == 4
    duckdb_example: dict = {}
    exec(examples[0], duckdb_example)  # the page's own code
    duckdb_example["con"].close()
    assert duckdb_example["rows"] == [(date(2026, 1, 1), 79692, 79694, 79698)]  # two fylke cells suppressed
    sqlalchemy_example: dict = {}
    exec(examples[1], sqlalchemy_example)
    sqlalchemy_example["engine"].dispose()  # the pool would keep the file open for the other tests
    rows = sqlalchemy_example["rows"]
    assert len(rows) == 17 and rows[0] == ("Oslo", 9109)  # all status groups
    assert ("Svalbard og øvrige områder", None) in rows  # both its cells suppressed: nothing known
    parquet_example: dict = {}
    exec(examples[2], parquet_example)
    assert os.path.basename(parquet_example["snapshot"]) == snapshot.name  # the link resolved once
    cells = parquet_example["cells"]  # every leaf cell: each person once per dimension, never summed whole
    assert (len(cells), int(cells["participants"].sum())) == (498, 717246)
    assert len(parquet_example["totals"]) == 23
    export_example: dict = {}
    exec(examples[3], export_example)
    by_fylke = export_example["df"]
    assert str(by_fylke["month"].dtype).startswith("datetime64") and str(by_fylke["participants"].dtype) == "Int64"
    assert int(by_fylke["participants"].sum()) == 79692 and int(by_fylke["participants"].isna().sum()) == 2


def test_duckdb_14_opens_the_warehouse(text_build: Build) -> None:
    script = (
        "import sys, duckdb\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "print(duckdb.__version__)\n"
        "print(con.execute('select count(*), sum(participants) from audit.fct_participants"
        " where dimension = \\'arbeidsmarkedsstatus\\'').fetchone())\n"
        "for q in sys.argv[2:]: print(len(con.execute(q).fetchall()))\n"
    )
    out = run_with_duckdb_14(script, str(text_build.db), *docs_blocks("sql")).split("\n")
    assert out[0].startswith("1.4.")
    assert out[1] == "(3, 79696)"
    assert out[2:6] == ["16", "3", "9", "3"]


# What a BI tool does on connect (Superset's "test connection" and dataset editor,
# Metabase's sync): list schemas, tables and views, reflect each relation's columns
# and types, autoload it as a Table, look up its keys. Run by the project's
# SQLAlchemy and by Superset's; prints JSON.
REFLECT = """
import json, sys, warnings
import sqlalchemy as sa
warnings.simplefilter("ignore")  # duckdb-engine warns that it reflects no indexes
engine = sa.create_engine("duckdb:///" + sys.argv[1], connect_args={"read_only": True})
insp = sa.inspect(engine)
out = {"version": sa.__version__, "schemas": insp.get_schema_names(),
       "tables": insp.get_table_names(schema="marts"), "views": insp.get_view_names(schema="marts"),
       "qualified": insp.get_table_names(schema=sys.argv[2] + ".marts"), "relations": {}}
for name in out["tables"]:
    table = sa.Table(name, sa.MetaData(), schema="marts", autoload_with=engine)
    out["relations"][name] = {
        "columns": [[c["name"], [k.__name__ for k in type(c["type"]).__mro__], c["nullable"]]
                    for c in insp.get_columns(name, schema="marts")],
        "autoload": [c.name for c in table.columns],
        "pk": insp.get_pk_constraint(name, schema="marts"),
        "fk": insp.get_foreign_keys(name, schema="marts"),
        "unique": insp.get_unique_constraints(name, schema="marts"),
    }
engine.dispose()
print(json.dumps(out))
"""

# DuckDB's type (information_schema.columns.data_type) -> the SQLAlchemy type class a tool maps.
TYPE_CLASSES = {
    "DATE": "Date",
    "INTEGER": "Integer",
    "BIGINT": "Integer",
    "BOOLEAN": "Boolean",
    "VARCHAR": "String",
    "DOUBLE": "Float",
    "TIMESTAMP WITH TIME ZONE": "DateTime",
}


def reflect(python: Path, build: Build) -> dict:
    result = subprocess.run(
        [str(python), "-c", REFLECT, str(build.db), build.db.stem], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


@pytest.fixture(scope="module", params=["project", "superset"])
def reflected(request: pytest.FixtureRequest, text_build: Build) -> dict:
    """The project's SQLAlchemy (2.0, in .venv) or Superset's (1.4, in .venv-superset), each with duckdb-engine."""
    if request.param == "project":
        return reflect(Path(sys.executable), text_build)
    return reflect(interpreter(SUPERSET, "requirements-superset.txt"), text_build)


def test_a_bi_tool_reflects_every_mart(reflected: dict, text_build: Build) -> None:
    marts: dict[str, list[tuple[str, str, bool]]] = {}
    for table, column, data_type, nullable in text_build.query(
        "select table_name, column_name, data_type, is_nullable = 'YES' from information_schema.columns"
        " where table_catalog = current_database() and table_schema = 'marts' order by table_name, ordinal_position"
    ):
        marts.setdefault(table, []).append((column, data_type, nullable))
    # schemas come catalog-first ("warehouse.marts"); both spellings list the same tables
    assert "warehouse.marts" in reflected["schemas"]
    assert sorted(reflected["tables"]) == sorted(reflected["qualified"]) == sorted(marts)
    assert reflected["views"] == []
    for table, columns in marts.items():
        relation = reflected["relations"][table]
        got = relation["columns"]
        assert [name for name, _, _ in got] == [name for name, _, _ in columns] == relation["autoload"], table
        for (name, classes, nullable), (_, data_type, is_nullable) in zip(got, columns, strict=True):
            assert TYPE_CLASSES[data_type] in classes, (table, name, data_type, classes)
            assert nullable == is_nullable, (table, name)
    # NOT NULL from the contracts reaches the tool
    by_fylke = dict(
        (name, nullable) for name, _, nullable in reflected["relations"]["fct_participants_by_fylke"]["columns"]
    )
    assert by_fylke["fylke_nr"] is False and by_fylke["participants"] is True


def test_keys_do_not_reflect(reflected: dict) -> None:
    """Pinned upstream behaviour (duckdb-engine 0.17.0): no key columns, though the marts declare primary keys.
    A tool sees no grain; docs/bi-tools.md says how to set it by hand."""
    for table, relation in reflected["relations"].items():
        assert relation["pk"]["constrained_columns"] == [], table
        assert relation["fk"] == [] and relation["unique"] == [], table
    pk = reflected["relations"]["fct_participants_by_fylke"]["pk"]
    if reflected["version"].startswith("1.4."):
        assert pk["name"] == 'PRIMARY KEY("month", status_code, fylke_nr)'  # the constraint's text, not its columns
    else:
        assert reflected["version"] == "2.0.44"
        assert pk["name"] is None


def test_the_project_pins_a_sqlalchemy_that_reflects() -> None:
    """SQLAlchemy 2.0.45+ and 2.1 reflect columns through pg_catalog.pg_collation and keys through REGCLASS,
    neither of which DuckDB has: requirements pin 2.0.44 (issue duckdb/duckdb#22069, Mause/duckdb_engine#1379)."""
    assert sa.__version__ == "2.0.44"
    assert "SQLAlchemy==2.0.44\n" in (ROOT / "requirements.txt").read_text()
    assert "SQLAlchemy==1.4." in (ROOT / "requirements-superset.txt").read_text()


# What a BI tool lists and reflects when pointed at the file for BI tools, warehouse_parquet/warehouse.duckdb.
REFLECT_READER = """
import json, sys, warnings
import sqlalchemy as sa
warnings.simplefilter("ignore")
engine = sa.create_engine("duckdb:///" + sys.argv[1], connect_args={"read_only": True})
insp = sa.inspect(engine)
out = {"version": sa.__version__, "schemas": insp.get_schema_names(), "tables": {}, "comments": {},
       "fk": insp.get_foreign_keys("fct_participants_by_kommune", schema="marts"),
       "pk": insp.get_pk_constraint("dim_fylke", schema="marts")}
for schema in ("marts", "audit"):
    out["tables"][schema] = sorted(insp.get_table_names(schema=schema))
    for name in out["tables"][schema]:
        out["comments"][schema + "." + name] = insp.get_table_comment(name, schema=schema)["text"]
engine.dispose()
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def reader_db(text_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The file for BI tools a refresh writes beside its Parquet files, from the built January 2026 warehouse."""
    out = tmp_path_factory.mktemp("reader") / "warehouse.duckdb"
    write_reader_file(text_build.db, out)
    return out


@pytest.mark.parametrize("stack", ["project", "superset"])
def test_a_bi_tool_pointed_at_the_file_for_bi_tools_lists_marts_and_audit_alone(
    stack: str, reader_db: Path, text_build: Build
) -> None:
    python = Path(sys.executable) if stack == "project" else interpreter(SUPERSET, "requirements-superset.txt")
    result = subprocess.run([str(python), "-c", REFLECT_READER, str(reader_db)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout)
    # DuckDB's own schemas (system, temp, an empty main) are in every file; nothing of the build's insides is
    assert [s for s in seen["schemas"] if s.startswith("warehouse.")] == [
        "warehouse.audit",
        "warehouse.main",
        "warehouse.marts",
    ]
    for schema in ("marts", "audit"):
        built = text_build.query(
            "select table_name, comment from duckdb_tables() where schema_name = ? order by 1", [schema]
        )
        assert seen["tables"][schema] == [t for t, _ in built]
        assert {f"{schema}.{t}": seen["comments"][f"{schema}.{t}"] for t, _ in built} == {
            f"{schema}.{t}": c for t, c in built
        }
    assert seen["comments"]["audit.fct_participants"].count("Do not sum") == 1
    assert seen["pk"]["constrained_columns"] == []  # duckdb_engine#594: DuckDB's conkey counts from 0
    if stack == "project":
        assert seen["version"] == "2.0.44"
        assert sorted((fk["constrained_columns"], fk["referred_table"]) for fk in seen["fk"]) == [
            (["fylke_nr"], "dim_fylke"),
            (["kommune_nr"], "dim_kommune"),
            (["month"], "dim_month"),
        ]
    else:
        assert seen["version"].startswith("1.4.") and seen["fk"] == []  # SQLAlchemy 1.4 reads no DuckDB key


def test_every_count_of_people_is_one_integer_type(text_build: Build) -> None:
    """A BI tool maps one type for every figure: INTEGER, in marts and audit alike (a sum's HUGEINT cast down)."""
    types = text_build.query(
        "select data_type, count(*), list(table_name || '.' || column_name) from duckdb_columns()"
        " where schema_name in ('marts', 'audit')"
        " and (column_name like '%participants%' or column_name like '%\\_cells' escape '\\')"
        " group by data_type"
    )
    assert [(data_type, count >= 48) for data_type, count, _ in types] == [("INTEGER", True)], types


# The prefix of each dimension's label columns (the status group's is `status`, as in every fact).
LABEL_PREFIX = {
    "alder": "alder",
    "arbeidsmarkedsstatus": "status",
    "category": "category",
    "fodeland": "fodeland",
    "fylke": "fylke",
    "innvandrerstatus": "innvandrerstatus",
    "kjonn": "kjonn",
    "kommune": "kommune",
    "tiltaksgruppe": "tiltaksgruppe",
    "tiltakstype": "tiltakstype",
    "utdanning": "utdanning",
}


def test_one_label_convention_across_the_marts(text_build: Build) -> None:
    """`<dim>_label_no`, `<dim>_label_en`, `<dim>_sort_order` in dimensions and facts alike; no bare `label_no`,
    no `fylke_name` for a label (the dimensions keep the official name as `fylke_name`/`kommune_name`)."""
    columns: dict[str, set[str]] = {}
    for table, column in text_build.query(
        "select table_name, column_name from duckdb_columns() where schema_name = 'marts'"
    ):
        columns.setdefault(table, set()).add(column)
    for table, names in columns.items():
        assert not names & {"label_no", "label_en", "sort_order"}, table
        named = {n for n in names if (n.endswith("_name") or "_name_" in n) and n != "file_name"}
        assert named <= {"fylke_name", "kommune_name", "month_name_no", "month_name_en"}, (table, named)
        assert named <= {"month_name_no", "month_name_en"} or table in ("dim_fylke", "dim_kommune"), table
    for dimension, prefix in LABEL_PREFIX.items():
        own = {f"{prefix}_label_no", f"{prefix}_label_en", f"{prefix}_sort_order"}
        assert own <= columns[f"dim_{dimension}"], dimension
        fact = columns.get(f"fct_participants_by_{dimension}")
        if fact is not None and dimension != "kommune":
            assert own | {"status_label_no", "status_label_en", "status_sort_order"} <= fact, dimension
    assert {"kommune_label_no", "kommune_label_en", "fylke_label_no"} <= columns["fct_participants_by_kommune"]
    assert "fylke_label_no" in columns["fct_participants_by_fylke_today"]
