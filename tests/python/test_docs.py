"""The documentation answers the analyst: every model, seed, source table and
column of a built warehouse has a description in dbt's manifest, and
`dbt docs generate` writes a catalog with the marts in it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.python import dbt_fork
from tests.python.helpers import ROOT, Build

# Schemas the project builds (or the extractor lands); test_failures holds dbt's stored test failures.
DOCUMENTED_SCHEMAS = ["marts", "audit", "intermediate", "staging", "seeds", "raw"]


@dataclass(frozen=True)
class Docs:
    returncode: int
    output: str
    manifest: dict
    catalog: dict


READER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
con.execute("select count(*) from audit.fct_participants").fetchall()
print("open", flush=True)
time.sleep(600)
"""


@contextmanager
def another_reader(db: Path) -> Iterator[None]:
    """Another process holding the warehouse open read-only (a BI tool, a notebook) while the block runs."""
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout and reader.stdout.readline().strip() == "open"
        yield
    finally:
        reader.kill()
        reader.wait()


def dbt_reader(db: Path, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """dbt with the read-only `reader` target (profiles.yml), as `make docs` runs it."""
    env = {**os.environ, "WAREHOUSE_DB": str(db), "DBT_PROFILES_DIR": str(ROOT)}
    command = [*args, "--target", "reader", "--target-path", str(tmp / "target")]
    return dbt_fork.run([*command, "--log-path", str(tmp / "logs")], env, ROOT)


@pytest.fixture(scope="module")
def docs(text_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Docs:
    """`dbt docs generate` (read-only, as `make docs`) on the January 2026 warehouse while another process reads it."""
    tmp = tmp_path_factory.mktemp("docs")
    with another_reader(text_build.db):
        run = dbt_reader(text_build.db, tmp, "docs", "generate")
    target = tmp / "target"

    def load(name: str) -> dict:
        path = target / name
        return json.loads(path.read_text()) if path.exists() else {}

    return Docs(run.returncode, run.stdout + run.stderr, load("manifest.json"), load("catalog.json"))


def documented_relations(manifest: dict) -> dict[tuple[str, str], dict]:
    """(schema, relation) -> the manifest node (model, seed or source table) that documents it."""
    relations = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] in ("model", "seed"):
            relations[node["schema"], node.get("alias") or node["name"]] = node
    for source in manifest["sources"].values():
        relations[source["schema"], source.get("identifier") or source["name"]] = source
    return relations


def actual_columns(build: Build, schema: str) -> dict[str, list[str]]:
    columns: dict[str, list[str]] = {}
    for table, column in build.query(
        "select table_name, column_name from information_schema.columns"
        " where table_catalog = current_database() and table_schema = ?"
        " order by table_name, ordinal_position",
        [schema],
    ):
        columns.setdefault(table, []).append(column)
    return columns


def is_described(entry: dict | None) -> bool:
    return bool(entry and (entry.get("description") or "").strip())


def test_docs_generate_succeeds(docs: Docs) -> None:
    assert docs.returncode == 0, docs.output
    assert docs.manifest, "dbt docs generate wrote no manifest.json"
    assert docs.catalog, "dbt docs generate wrote no catalog.json"


@pytest.mark.parametrize(
    ("schema", "one_of_them"), [("marts", "fct_participants_by_fylke"), ("audit", "fct_participants")]
)
def test_catalog_lists_every_mart_and_audit_table(docs: Docs, text_build: Build, schema: str, one_of_them: str) -> None:
    tables = {
        table
        for (table,) in text_build.query(
            "select table_name from information_schema.tables"
            " where table_catalog = current_database() and table_schema = ?",
            [schema],
        )
    }
    assert one_of_them in tables
    catalogued = {
        node["metadata"]["name"]: node
        for node in docs.catalog["nodes"].values()
        if node["metadata"]["schema"] == schema
    }
    assert sorted(tables - catalogued.keys()) == [], f"{schema} tables missing from catalog.json"
    for table in tables:
        columns = {name.lower() for name in catalogued[table]["columns"]}
        assert columns == set(actual_columns(text_build, schema)[table]), f"catalog columns of {schema}.{table}"


@pytest.mark.parametrize("schema", DOCUMENTED_SCHEMAS)
def test_every_column_has_a_description(docs: Docs, text_build: Build, schema: str) -> None:
    """Every column of every relation in the schema, as built, has a non-empty description."""
    relations = documented_relations(docs.manifest)
    columns = actual_columns(text_build, schema)
    assert columns, f"schema {schema} is empty"
    problems = []
    for table, names in columns.items():
        node = relations.get((schema, table))
        if node is None:
            problems.append(f"{schema}.{table}: no model, seed or source in the manifest documents it")
            continue
        if not is_described(node):
            problems.append(f"{schema}.{table}: the {node['resource_type']} {node['name']} has no description")
        for name in names:
            if not is_described(node["columns"].get(name)):
                problems.append(f"{schema}.{table}.{name}: no description ({node['resource_type']} {node['name']})")
        for name in node["columns"].keys() - set(names):
            problems.append(f"{schema}.{table}.{name}: described in YAML but not a column of the relation")
    assert problems == [], "undocumented:\n" + "\n".join(problems)


def test_every_model_seed_and_source_has_a_description(docs: Docs) -> None:
    """Also the nodes that built nothing (a model disabled or failing would not show above)."""
    nodes = [n for n in docs.manifest["nodes"].values() if n["resource_type"] in ("model", "seed", "analysis")]
    nodes += list(docs.manifest["sources"].values())
    assert {n["resource_type"] for n in nodes} >= {"model", "seed", "source"}
    missing = [n["unique_id"] for n in nodes if n["resource_type"] != "analysis" and not is_described(n)]
    assert missing == [], f"no description: {missing}"
    for source in docs.manifest["sources"].values():
        assert (source.get("source_description") or "").strip(), f"source {source['source_name']} has no description"


def test_analyses_are_in_the_docs(docs: Docs) -> None:
    analyses = {n["name"] for n in docs.manifest["nodes"].values() if n["resource_type"] == "analysis"}
    assert analyses == {path.stem for path in (ROOT / "analyses").glob("*.sql")}


def test_dbt_show_runs_an_analysis_beside_a_reader(text_build: Build, tmp_path: Path) -> None:
    """The `dbt show` (docs/tables.md) of an analysis, read-only, while another process has the warehouse open."""
    with another_reader(text_build.db):
        run = dbt_reader(text_build.db, tmp_path, "show", "--select", "age_profile_by_status", "--limit", "20")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Previewing node 'age_profile_by_status'" in run.stdout
    assert "19 år og under" in run.stdout


def test_the_read_write_target_is_refused_beside_a_reader(text_build: Build, tmp_path: Path) -> None:
    """Why the `reader` target exists: dbt's default target opens the file read-write, which DuckDB refuses."""
    env = {**os.environ, "WAREHOUSE_DB": str(text_build.db), "DBT_PROFILES_DIR": str(ROOT)}
    paths = ["--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")]
    with another_reader(text_build.db):
        run = dbt_fork.run(["show", "--select", "age_profile_by_status", *paths], env, ROOT)
    assert run.returncode != 0
    assert "lock" in (run.stdout + run.stderr).lower()


def test_makefile_has_a_docs_target() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "\ndocs: setup\n\t$(BIN)/tilt100 docs\n" in makefile
    phony = next(line for line in makefile.splitlines() if line.startswith(".PHONY:"))
    assert "docs" in phony.split(":", 1)[1].split()
