"""The database carries its documentation: every relation and column dbt builds has its YAML description
as a DuckDB comment (`persist_docs` in dbt_project.yml), read back as a BI tool reads it, through
SQLAlchemy's inspector with duckdb-engine, in the project's SQLAlchemy 2.0 and in Superset's 1.4.
Each mart's comment says its grain and whether a plain `sum(participants)` counts people once; the
comments survive a refresh that rebuilds only what a new report feeds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from tests.python.helpers import ROOT, Build, copy_of, interpreter, refreshed, run_with_duckdb_14
from tilt100.warehouse import state
from tooling.replica.republished import february_and_march_2026
from tooling.replica.xlsx import write_xlsx

SUPERSET = ROOT / ".venv-superset" / "bin" / "python"
# What dbt builds (seeds, views, tables): every relation in these schemas is described in YAML.
BUILT_SCHEMAS = ("marts", "audit", "intermediate", "staging", "seeds")
# The tables on which the naive `sum(participants) group by month` is wrong (issue 20): schema audit, all of it.
WRONG_TO_SUM = {
    "audit.fct_participants",
    "audit.fct_published_totals",
    "audit.fct_participants_changes",
    "audit.fct_participants_history",
    "audit.fct_year_to_date_averages",
}  # marts.fct_participants_by_fylke_today sums right since its ranges are narrowed by the fylke table

# What a BI tool does to show a table's and its columns' descriptions (Superset's dataset editor,
# a data catalog): list each schema's tables and views, ask for each one's comment and its columns.
READ_COMMENTS = """
import json, sys, warnings
import sqlalchemy as sa
warnings.simplefilter("ignore")  # duckdb-engine warns that it reflects no indexes
engine = sa.create_engine("duckdb:///" + sys.argv[1], connect_args={"read_only": True})
insp = sa.inspect(engine)
out = {"version": sa.__version__, "relations": {}}
for schema in sys.argv[2:]:
    for name in insp.get_table_names(schema=schema) + insp.get_view_names(schema=schema):
        out["relations"][schema + "." + name] = {
            "comment": insp.get_table_comment(name, schema=schema)["text"],
            "columns": [[c["name"], c.get("comment")] for c in insp.get_columns(name, schema=schema)],
            "autoload": sa.Table(name, sa.MetaData(), schema=schema, autoload_with=engine).comment,
        }
engine.dispose()
print(json.dumps(out))
"""


def yaml_descriptions() -> dict[str, tuple[str, dict[str, str]]]:
    """Model and seed name -> (its description, {column: description}), as written in the YAML files."""
    described = {}
    for path in [*(ROOT / "models").rglob("*.yml"), ROOT / "seeds" / "_seeds.yml"]:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for node in document.get("models", []) + document.get("seeds", []):
            columns = {c["name"]: c.get("description", "") for c in node.get("columns", [])}
            described[node["name"]] = (node.get("description", ""), columns)
    return described


def read_comments(python: Path, db: Path) -> dict:
    result = subprocess.run(
        [str(python), "-c", READ_COMMENTS, str(db), *BUILT_SCHEMAS], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def catalog_comments(db: Path) -> dict[str, tuple[str | None, dict[str, str | None]]]:
    """schema.relation -> (comment, {column: comment}) from DuckDB's own catalog, every relation dbt builds."""
    found: dict[str, tuple[str | None, dict[str, str | None]]] = {}
    with duckdb.connect(str(db), read_only=True) as con:
        relations = con.execute(
            "select schema_name, table_name, comment from duckdb_tables() where database_name = current_database()"
            " union all select schema_name, view_name, comment from duckdb_views()"
            " where database_name = current_database() and not internal"
        ).fetchall()
        columns = con.execute(
            "select schema_name, table_name, column_name, comment from duckdb_columns()"
            " where database_name = current_database() order by column_index"
        ).fetchall()
    for schema, name, comment in relations:
        if schema in BUILT_SCHEMAS:
            found[f"{schema}.{name}"] = (comment, {})
    for schema, table, column, comment in columns:
        if f"{schema}.{table}" in found:
            found[f"{schema}.{table}"][1][column] = comment
    return found


@pytest.fixture(scope="module", params=["project", "superset"])
def reflected(request: pytest.FixtureRequest, text_build: Build) -> dict:
    """The project's SQLAlchemy (2.0, in .venv) or Superset's (1.4, in .venv-superset), each with duckdb-engine."""
    if request.param == "project":
        return read_comments(Path(sys.executable), text_build.db)
    return read_comments(interpreter(SUPERSET, "requirements-superset.txt"), text_build.db)


def test_every_relation_and_column_a_tool_lists_has_its_yaml_description(reflected: dict, text_build: Build) -> None:
    described = yaml_descriptions()
    relations = reflected["relations"]
    # what SQLAlchemy lists is every relation dbt built: 27 marts, the views and tables between, the seeds
    assert sorted(relations) == sorted(catalog_comments(text_build.db))
    assert sum(name.startswith("marts.") for name in relations) == 25
    assert sum(name.startswith("audit.") for name in relations) == 5
    assert {name.split(".")[0] for name in relations} == set(BUILT_SCHEMAS)
    problems = []
    for qualified, relation in relations.items():
        description, columns = described[qualified.split(".", 1)[1]]
        assert description.strip(), qualified
        if relation["comment"] != description:
            problems.append(f"{qualified}: comment {relation['comment']!r}")
        if relation["autoload"] != description:
            problems.append(f"{qualified}: Table(autoload_with=...).comment {relation['autoload']!r}")
        for column, comment in relation["columns"]:
            if not columns.get(column, "").strip() or comment != columns[column]:
                problems.append(f"{qualified}.{column}: comment {comment!r}")
    assert problems == [], "\n".join(problems)


def test_descriptions_with_quotes_survive(reflected: dict) -> None:
    """Apostrophes, double quotes, `*`, non-ASCII letters and line ends reach the tool as written."""
    relation = reflected["relations"]["audit.fct_participants"]
    assert "NAV's TILT100 reports" in relation["comment"]
    assert 'a cell NAV printed as "*" (1-3 people, Statistikkloven § 7-1)' in relation["comment"]
    columns = dict(relation["columns"])
    assert columns["category_code"].startswith("The category's stable code;")
    assert columns["is_suppressed"] == 'True where NAV printed "*" for a value of 1, 2 or 3 (Statistikkloven § 7-1).'
    assert reflected["relations"]["marts.dim_fodeland"]["comment"].startswith("Region of birth (fødeland)")
    assert reflected["relations"]["marts.fct_participants_by_fylke"]["comment"].endswith("never imputed.\n")


def test_each_marts_comment_says_how_to_sum_it(reflected: dict, text_build: Build) -> None:
    """Where `sum(participants) group by month` miscounts the people, the comment says not to; where it counts
    them once (within the range the suppressed cells leave), the comment says so. Every table says its grain.
    Every fact table of `marts` counts them once; every table of `audit` does not."""
    comments = {
        name: relation["comment"]
        for name, relation in reflected["relations"].items()
        if name.startswith(("marts.", "audit."))
    }
    (total,) = text_build.query(
        "select participants from audit.fct_published_totals where dimension = 'arbeidsmarkedsstatus'"
    )[0]
    assert total == 79696
    wrong = set()
    for table, comment in comments.items():
        assert "one row per " in comment, table
        columns = {c for (c,) in text_build.query(f"select column_name from (describe {table})")}
        figure = next((c for c in ("participants", "average_participants") if c in columns), None)
        if figure is None:
            assert table.startswith("marts.dim_") and "No figures" in comment, table
            continue
        # how suppression shows: the figure NULL, its range in _min/_max
        assert '"*"' in comment and "1-3" in comment, table
        assert f"{figure} NULL" in comment or f"{figure} is NULL" in comment, table
        if f"{figure}_min" in columns:
            assert f"{figure}_min 1" in comment or f"{figure}_min and {figure}_max" in comment, table
        by_month = text_build.query(
            f"select sum({figure}), count(*) filter (where {figure} is null) from {table} group by month"
            if "month" in columns
            else f"select sum({figure}), count(*) filter (where {figure} is null) from {table} group by through_month"
        )
        if table.startswith("marts.fct_participants_by_tiltakstype"):  # TILT100 alone loaded: test_siblings sums
            assert by_month == [] and "counts people once" in comment, table
            continue
        (known, hidden), *others = by_month
        assert others == [], table  # one month in the January 2026 report
        if known <= total <= known + 3 * hidden:
            assert "counts people once" in comment, table
        else:
            wrong.add(table)
            assert "Do not sum" in comment or "sum participants_min and participants_max" in comment, table
    assert wrong == WRONG_TO_SUM


def test_the_grain_of_the_long_tables(reflected: dict) -> None:
    comment = {name.split(".", 1)[1]: r["comment"] for name, r in reflected["relations"].items()}
    assert "one row per month × status group × dimension × category" in comment["fct_participants"]
    assert (
        "Do not sum participants over all rows or across dimensions: every person is counted once in each of"
        " TILT100's 9 dimensions, and once more in `tiltakstype` where the siblings are loaded. Sum within one month"
        " and one dimension"
    ) in comment["fct_participants"]
    assert "one row per month × status group × category" in comment["fct_participants_by_fylke"]
    assert (
        "sum(participants) over any filter of categories and status groups counts people once"
        in (comment["fct_participants_by_fylke"])
    )
    assert "Within one month the fylker hold every participant once" in comment["fct_participants_by_fylke_today"]
    assert "Do not sum participants over all rows or across dimensions" in comment["fct_published_totals"]
    assert "again for every report that printed the month" in comment["fct_participants_history"]
    assert "a sum over months is not a count of people" in comment["fct_participants_by_arbeidsmarkedsstatus"]


def test_duckdb_14_reads_the_comments(text_build: Build) -> None:
    """The file with its comments stays one DuckDB 1.4 (bundled by BI drivers) opens and reads."""
    script = (
        "import sys, duckdb\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "print(con.execute(\"select comment from duckdb_tables() where schema_name = 'audit'"
        " and table_name = 'fct_participants'\").fetchone()[0].split(':')[0])\n"
        'print(con.execute("select count(*), count(comment) from duckdb_columns()'
        " where schema_name in ('marts', 'audit')\").fetchone())\n"
    )
    out = run_with_duckdb_14(script, str(text_build.db)).split("\n")
    assert out[0] == "Participants in labour-market measures (tiltaksdeltakere), long"
    [(columns,)] = text_build.query("select count(*) from duckdb_columns() where schema_name in ('marts', 'audit')")
    assert columns > 290 and out[1] == f"({columns}, {columns})"  # every mart column, each with its comment


def test_comments_survive_a_refresh_that_builds_only_what_a_new_report_feeds(
    tmp_path: Path, text_build: Build, refreshed_january: Build
) -> None:
    """The second refresh rebuilds the marts and the incremental tables (`state.DATA_ONLY`) and keeps the views,
    seeds and the family's tables of the copied file: every relation keeps its comments, rebuilt or kept."""
    db = copy_of(refreshed_january.db, tmp_path / "served")  # January's text export, refreshed
    report = february_and_march_2026()[0]
    february = tmp_path / Path(report.file_name).with_suffix(".xlsx").name
    write_xlsx(report.spec, february)
    refreshed(db, february)
    with duckdb.connect(str(db), read_only=True) as con:
        selections = con.execute("select dbt_selection from meta.refreshes order by refreshed_at").fetchall()
        assert con.execute("select count(distinct month) from audit.fct_participants").fetchone() == (2,)
    assert selections == [(None,), (f"{state.DATA_ONLY} --exclude {state.FAMILY_ONLY}",)]
    comments = catalog_comments(db)
    assert comments == catalog_comments(text_build.db)  # the same comments as a whole build
    described = yaml_descriptions()
    for qualified, (comment, columns) in comments.items():
        description, column_descriptions = described[qualified.split(".", 1)[1]]
        assert comment == description, qualified
        assert columns == {name: column_descriptions[name] for name in columns}, qualified


def test_the_raw_tables_carry_their_source_descriptions(text_build: Build) -> None:
    """dbt builds no source, so persist_docs misses `raw`: the on-run-end hook comment_on_sources writes them."""
    document = yaml.safe_load((ROOT / "models" / "staging" / "tilt100" / "_tilt100__sources.yml").read_text("utf-8"))
    tables = {t["name"]: t for source in document["sources"] for t in source["tables"]}
    with duckdb.connect(str(text_build.db), read_only=True) as con:
        comments = dict(
            con.execute("select table_name, comment from duckdb_tables() where schema_name = 'raw'").fetchall()
        )
        columns = con.execute(
            "select table_name, column_name, comment from duckdb_columns() where schema_name = 'raw'"
        ).fetchall()
    assert comments == {name: table["description"].strip() for name, table in tables.items()}
    described = {(t, c["name"]): c["description"].strip() for t, table in tables.items() for c in table["columns"]}
    assert {(table, column): comment for table, column, comment in columns} == described
    assert "NAV's plain-text export" in comments["tilt100_files"]  # an apostrophe, as written
