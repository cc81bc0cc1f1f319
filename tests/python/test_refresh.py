"""A refresh builds beside the served warehouse and swaps it in only when `dbt build` passed.

Readers holding the old file keep a consistent old view; a failed refresh leaves
the warehouse and its Parquet files exactly as they were; the Parquet exports
equal the tables.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.python.helpers import (
    REPLICA_PDF,
    ROOT,
    TAMPERED,
    TEXT_EXPORT,
    Build,
    copy_of,
    run_dbt,
    run_refresh,
    run_with_duckdb_14,
)
from tilt100.settings import dbt_folders
from tilt100.warehouse import WarehousePaths, dbt, reader_file, state
from tilt100.warehouse.refresh import refresh
from tooling.replica.republished import february_and_march_2026
from tooling.replica.xlsx import write_xlsx

# A BI tool's view of the warehouse: leaf cells, months, files landed.
SNAPSHOT_SQL = (
    "select (select count(*) from audit.fct_participants),"
    " (select count(distinct month) from audit.fct_participants),"
    " (select count(*) from raw.tilt100_files)"
)
READER = f"""
import sys, duckdb
def snapshot(con):
    return " ".join(map(str, con.execute({SNAPSHOT_SQL!r}).fetchone()))
held = duckdb.connect(sys.argv[1], read_only=True)
print(snapshot(held), flush=True)
sys.stdin.readline()  # the refresh runs now
print(snapshot(held), flush=True)
held.close()  # DuckDB shares one instance per file in a process: reconnecting means closing first
print(snapshot(duckdb.connect(sys.argv[1], read_only=True)), flush=True)
"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def served(refreshed_january: Build) -> Path:
    """A warehouse refreshed once, from January 2026's text export (conftest): read it, or copy it."""
    return refreshed_january.db


@pytest.fixture
def warehouse(served: Path, tmp_path: Path) -> Path:
    """A private copy of the served warehouse's folder: the file, the Parquet link and snapshot."""
    return copy_of(served, tmp_path / "copy")


@pytest.fixture(scope="module")
def february(tmp_path_factory: pytest.TempPathFactory) -> Path:
    report = february_and_march_2026()[0]
    path = tmp_path_factory.mktemp("february") / Path(report.file_name).with_suffix(".xlsx").name
    write_xlsx(report.spec, path)
    return path


def test_refresh_says_what_it_did(refreshed_january: Build) -> None:
    served, stdout = refreshed_january.db, refreshed_january.output
    assert "[1/1] loaded" in stdout and "tilt100_2026-01.txt: 56 pages" in stdout
    assert "files: 1 loaded, 0 skipped (already loaded), 0 failed" in stdout
    assert "leaf cells (fct_participants): 498" in stdout
    assert "months: 2026-01" in stdout
    assert " 0 failed, 0 errored" in stdout and "tests 0 passed" not in stdout
    [steps] = [line for line in stdout.splitlines() if line.startswith("steps: ")]
    timed = re.findall(r"(?:^steps: |, )([a-zA-Z' ]+) (\d+\.\d) s", steps)
    assert [name for name, _ in timed] == [
        "making the build folder",
        "copying the warehouse",
        "copying dbt's parsed project",  # dbt reads it while the reports land
        "landing the reports",
        "running dbt build",
        "dropping what the project no longer builds",
        "recording the refresh",
        "exporting Parquet",
        "swapping the new warehouse in",
        "pointing the Parquet link at the new snapshot",
    ], steps
    assert max(timed, key=lambda t: float(t[1]))[0] == "running dbt build"  # where a refresh's time goes
    bi_file = WarehousePaths(refreshed_january.built_at).parquet / "warehouse.duckdb"
    assert f"for BI tools: {bi_file} (schemas marts and audit alone, read-only)\n" in stdout
    leftovers = [p.name for p in served.parent.iterdir() if p.name.startswith(".warehouse.refresh-")]
    assert leftovers == []


def test_the_served_catalogue_holds_the_marts_and_the_warehouses_own_schemas(served: Path) -> None:
    """Readers browse `marts` and `audit`; the rest is the warehouse's own; no empty test_failures tables."""
    with duckdb.connect(str(served), read_only=True) as con:
        schemas = {s for (s,) in con.execute("select distinct schema_name from duckdb_tables()").fetchall()}
        views = {
            s for (s,) in con.execute("select distinct schema_name from duckdb_views() where not internal").fetchall()
        }
    assert schemas | views == {"raw", "seeds", "staging", "intermediate", "marts", "audit", "meta"}


def test_parquet_exports_equal_the_tables(served: Path) -> None:
    parquet = WarehousePaths(served).parquet
    assert parquet.is_symlink() and parquet.resolve().is_dir()
    with duckdb.connect(str(served), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables"
            " where table_schema in ('marts', 'audit') order by table_name"
        ).fetchall()
        assert {s for s, _ in tables} == {"marts", "audit"}
        assert sorted(p.stem for p in parquet.glob("*.parquet")) == [t for _, t in tables]
        for schema, table in tables:
            file = str(parquet / f"{table}.parquet")
            count = con.execute(f"select count(*) from {schema}.{table}").fetchone()
            assert count == con.execute("select count(*) from read_parquet(?)", [file]).fetchone()
            for a, b in ((f"{schema}.{table}", "read_parquet($file)"), ("read_parquet($file)", f"{schema}.{table}")):
                differ = con.execute(f"select count(*) from (from {a} except all from {b})", {"file": file})
                assert differ.fetchone() == (0,), f"{table}: {a} has rows {b} lacks"
    assert count is not None and count[0] > 0


def test_the_file_for_bi_tools_holds_the_marts_and_audit_tables_alone_with_their_keys(served: Path) -> None:
    """warehouse_parquet/warehouse.duckdb: a BI tool lists marts and audit alone, as served, with keys and comments."""
    reader = WarehousePaths(served).parquet / "warehouse.duckdb"
    tables = "select schema_name, table_name, comment from duckdb_tables() where database_name = ?"
    views = "select schema_name, view_name from duckdb_views() where database_name = ? and not internal"
    with duckdb.connect(str(reader), read_only=True) as con:
        con.execute("attach ? as served (read_only)", [str(served)])
        listed = con.execute(tables, ["warehouse"]).fetchall()
        assert {s for s, _, _ in listed} == {"marts", "audit"} and con.execute(views, ["warehouse"]).fetchall() == []
        published = con.execute(tables + " and schema_name in ('marts', 'audit')", ["served"]).fetchall()
        assert sorted(listed) == sorted(published)  # every table, with its comment
        columns = "select table_name, column_name, data_type, comment from duckdb_columns() where database_name = ?"
        assert sorted(con.execute(columns, ["warehouse"]).fetchall()) == sorted(
            r for r in con.execute(columns + " and schema_name in ('marts', 'audit')", ["served"]).fetchall()
        )
        for schema, table, _ in listed:
            ours, theirs = f"warehouse.{schema}.{table}", f"served.{schema}.{table}"
            for left, right in ((ours, theirs), (theirs, ours)):
                differ = con.execute(f"select count(*) from (from {left} except all from {right})").fetchone()
                assert differ == (0,), f"{left} has rows {right} lacks"
        keys = (
            "select table_name, constraint_text from duckdb_constraints()"
            " where database_name = ? and constraint_type = ? and schema_name in ('marts', 'audit')"
        )
        assert sorted(con.execute(keys, ["warehouse", "PRIMARY KEY"]).fetchall()) == sorted(
            con.execute(keys, ["served", "PRIMARY KEY"]).fetchall()
        )
        foreign = {
            (table, column, to)
            for table, [column], to in con.execute(
                "select table_name, constraint_column_names, referenced_table from duckdb_constraints()"
                " where database_name = 'warehouse' and constraint_type = 'FOREIGN KEY'"
            ).fetchall()
        }
    facts = [t for s, t, _ in listed if s == "marts" and t.startswith("fct_")]
    assert {(t, "month", "dim_month") for t in facts} <= foreign  # every fact joins the calendar
    assert {
        ("fct_participants_by_kommune", "kommune_nr", "dim_kommune"),
        ("fct_participants_by_kommune", "fylke_nr", "dim_fylke"),
        ("fct_participants_by_fylke", "status_code", "dim_arbeidsmarkedsstatus"),
        ("fct_participants_by_alder", "aldersgruppe_code", "dim_alder"),
        ("fct_participants_by_fylke_today", "fylke_nr", "dim_fylke"),
        ("dim_kommune", "fylke_nr", "dim_fylke"),
        ("dim_tiltakstype", "tiltaksgruppe_code", "dim_tiltaksgruppe"),
    } <= foreign
    # month in each of the 13 facts; status (9) and category code (8) in the per-dimension ones; the kommune
    # table's kommune and fylke; today's fylke; the measure types' group; the types by place: type, group and
    # place (2 x 3); two between dimensions
    assert len(facts) == 13 and len(foreign) == 13 + 9 + 8 + 2 + 1 + 1 + 6 + 2
    assert not [f for f in foreign if f[0].startswith(("fct_participants_history", "fct_published"))]


def test_a_refresh_drops_what_the_project_no_longer_builds(served: Path, tmp_path: Path) -> None:
    """A warehouse of an older layout (fct_participants in marts, a view since removed): the refresh drops the old
    copies, says so, and neither the served file nor the file for BI tools lists them."""
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(served, db)
    with duckdb.connect(str(db)) as con:
        con.execute("create table marts.fct_participants as select * from audit.fct_participants")
        con.execute("create view staging.stg_tilt100__old as select 1 as one")
    result = run_refresh(db)
    assert result.returncode == 0, result.stdout + result.stderr
    dropped = [line for line in result.stdout.splitlines() if line.startswith("dropped ")]
    assert dropped == [
        "dropped marts.fct_participants: the project no longer builds it (an old copy no refresh would update)",
        "dropped staging.stg_tilt100__old: the project no longer builds it (an old copy no refresh would update)",
    ]
    for file in (db, WarehousePaths(db).parquet / "warehouse.duckdb"):
        with duckdb.connect(str(file), read_only=True) as con:
            names = con.execute(
                "select schema_name || '.' || table_name from duckdb_tables()"
                " union all select schema_name || '.' || view_name from duckdb_views() where not internal"
            ).fetchall()
        assert ("marts.fct_participants",) not in names and ("staging.stg_tilt100__old",) not in names, file
        assert ("audit.fct_participants",) in names, file
    again = run_refresh(db)  # nothing stale now: nothing said
    assert again.returncode == 0 and "dropped " not in again.stdout, again.stdout + again.stderr


def test_the_file_for_bi_tools_refuses_a_code_its_dimension_lacks(served: Path, tmp_path: Path) -> None:
    """DuckDB checks the declared foreign keys: a build whose fact names a fylke dim_fylke lacks is refused, named."""
    build = tmp_path / "warehouse.duckdb"
    shutil.copyfile(served, build)
    with duckdb.connect(str(build)) as con:
        con.execute("update marts.fct_participants_by_fylke set fylke_nr = '99' where fylke_nr = '03'")
    with pytest.raises(reader_file.KeyViolation, match=r"^marts\.fct_participants_by_fylke: expected its keys to hold"):
        reader_file.write_reader_file(build, tmp_path / "reader.duckdb")


def test_a_build_the_file_for_bi_tools_refuses_is_not_served(
    served: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A passed build that still breaks a key (dbt's tests missed it): exit 1, one line, nothing served."""
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(served, db)
    before = sha256(db)

    def refuse(build: Path, out: Path) -> None:
        raise reader_file.KeyViolation("marts.fct_participants_by_fylke: expected its keys to hold, found fylke 99")

    monkeypatch.setattr(reader_file, "write_reader_file", refuse)
    result = refresh(db, [])
    assert (result.swapped, result.exit_code) == (False, 1)
    said = [line for line in capsys.readouterr().out.splitlines() if "refused" in line]
    assert said == [
        "the file for BI tools refused the build: marts.fct_participants_by_fylke: expected its keys to hold,"
        f" found fylke 99; the warehouse {db} is unchanged."
    ]
    assert sha256(db) == before and not WarehousePaths(db).parquet.exists()
    assert not list(tmp_path.glob(".warehouse_parquet.*")) and not list(tmp_path.glob(".warehouse.refresh-*"))


def test_each_parquet_snapshot_has_a_manifest_of_its_files_rows_and_refresh(refreshed_january: Build) -> None:
    served = refreshed_january.db
    parquet = WarehousePaths(served).parquet
    manifest = json.loads((parquet / "manifest.json").read_text())
    assert manifest["snapshot"] == parquet.resolve().name == f".warehouse_parquet.{manifest['refresh']}"
    warehouse = refreshed_january.built_at.resolve()
    assert manifest["warehouse"] == str(warehouse) and manifest["replaces"] is None  # the first refresh
    assert sorted(t["file"] for t in manifest["tables"]) == sorted(p.name for p in parquet.glob("*.parquet"))
    assert [t["schema"] for t in manifest["tables"]] == sorted((t["schema"] for t in manifest["tables"]), reverse=True)
    assert manifest["duckdb"] == {
        "file": "warehouse.duckdb",
        "sha256": sha256(parquet / "warehouse.duckdb"),
        "schemas": ["marts", "audit"],
    }
    with duckdb.connect(str(served), read_only=True) as con:
        for entry in manifest["tables"]:
            file = parquet / entry["file"]
            assert entry["file"] == f"{entry['table']}.parquet" and entry["sha256"] == sha256(file)
            name = f"{entry['schema']}.{entry['table']}"
            assert con.execute(f"select count(*) from {name}").fetchone() == (entry["rows"],)
            tag = "select value::varchar from parquet_kv_metadata(?) where key::varchar = 'tilt100_refresh'"
            assert con.execute(tag, [str(file)]).fetchall() == [(manifest["refresh"],)]
            described = con.execute(
                "select column_name, column_type from (describe select * from read_parquet(?))", [str(file)]
            )
            assert [(c["name"], c["type"]) for c in entry["columns"]] == described.fetchall()
            comments = con.execute(
                "select column_name, comment from duckdb_columns() where schema_name = ? and table_name = ?"
                " order by column_index",
                [entry["schema"], entry["table"]],
            ).fetchall()
            assert [(c["name"], c["description"]) for c in entry["columns"]] == [(n, d.strip()) for n, d in comments]
            assert all(c["description"] for c in entry["columns"])  # every column described (persist_docs)
        assert manifest["source_files"] == [
            {
                "file_name": "tilt100_2026-01.txt",
                "file_sha256": sha256(TEXT_EXPORT),
                "file_format": "txt",
                "report_updated": "02.02.2026",
                "period": "Januar 2026 - Januar 2026",
            }
        ]


def test_duckdb_14_reads_the_refreshed_warehouse_and_its_parquet(served: Path) -> None:
    script = (
        "import sys, duckdb\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "print(con.execute('select count(*) from audit.fct_participants').fetchone()[0])\n"
        "print(con.execute('select count(*) from read_parquet(?)', [sys.argv[2]]).fetchone()[0])\n"
    )
    parquet = WarehousePaths(served).parquet / "fct_participants.parquet"
    assert run_with_duckdb_14(script, str(served), str(parquet)).split() == ["498", "498"]


def test_a_reader_keeps_its_view_while_a_refresh_swaps_in_a_new_month(warehouse: Path, february: Path) -> None:
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(warehouse)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert reader.stdin is not None and reader.stdout is not None
    try:
        before = reader.stdout.readline().split()
        assert before == ["498", "1", "1"]
        result = run_refresh(warehouse, february)  # the reader holds its connection throughout
        assert result.returncode == 0, result.stdout + result.stderr
        reader.stdin.write("go\n")
        reader.stdin.flush()
        held, reconnected = reader.stdout.readline().split(), reader.stdout.readline().split()
    finally:
        reader.stdin.close()
        reader.wait(timeout=60)
    assert reader.returncode == 0, reader.stderr.read() if reader.stderr else ""
    assert held == before  # the old, consistent view
    assert reconnected == [str(498 * 2), "2", "2"]  # February's report adds a month of 498 cells
    with duckdb.connect(str(warehouse), read_only=True) as con:  # and so does any new process
        assert con.execute(SNAPSHOT_SQL).fetchone() == (498 * 2, 2, 2)


def test_a_failed_refresh_leaves_the_warehouse_as_it_was(warehouse: Path) -> None:
    paths = WarehousePaths(warehouse)
    db_before = sha256(warehouse)
    link_before = os.readlink(paths.parquet)
    parquet_before = {p.name: sha256(p) for p in paths.parquet.glob("*.parquet")}

    result = run_refresh(warehouse, TAMPERED)

    assert result.returncode == 1
    assert "dbt build failed; the warehouse" in result.stdout and "is unchanged" in result.stdout
    assert "test assert_twin_files_agree" in result.stdout  # names the test that caught it
    assert sha256(warehouse) == db_before
    assert os.readlink(paths.parquet) == link_before
    assert {p.name: sha256(p) for p in paths.parquet.glob("*.parquet")} == parquet_before
    assert (paths.failed_build / "logs" / "dbt.log").is_file()  # dbt's log and results of this run, kept with it
    assert json.loads((paths.failed_build / "target" / "run_results.json").read_text())["results"]
    kept = paths.failed_build / warehouse.name
    with duckdb.connect(str(kept), read_only=True) as con:  # the failed build, kept to look at
        assert con.execute("select count(*) from raw.tilt100_files").fetchone() == (2,)
        failing = "select count(*) from test_failures.assert_twin_files_agree"  # with the failing rows
        assert con.execute(failing).fetchone()[0] > 0


def test_a_bad_file_is_reported_and_the_good_ones_still_land(warehouse: Path, february: Path, tmp_path: Path) -> None:
    bad = tmp_path / "not_a_report.pdf"
    bad.write_bytes(b"<html>404</html>")
    result = run_refresh(warehouse, bad, february)
    assert result.returncode == 1
    assert "not_a_report.pdf: expected a PDF" in result.stderr
    assert "files: 1 loaded, 0 skipped (already loaded), 1 failed" in result.stdout
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute(SNAPSHOT_SQL).fetchone() == (498 * 2, 2, 2)


def marts_of(db: Path) -> dict[str, list[tuple]]:
    """Every table of marts and audit, and the intermediate ones (the incremental models among them)."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables"
            " where table_schema in ('marts', 'audit', 'intermediate') and table_type = 'BASE TABLE' order by 1"
        ).fetchall()
        return {t: con.execute(f"select * from {t} order by all").fetchall() for (t,) in tables}


# What a refresh landing TILT100 files alone builds (warehouse.state): the family's tables are left as they were.
TILT100_ALONE = f"{state.DATA_ONLY} --exclude tag:family_only"


def refreshes_of(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select dbt_selection, files_loaded from meta.refreshes order by refreshed_at").fetchall()


def test_a_new_report_builds_only_what_it_feeds_and_the_marts_equal_a_whole_build(
    warehouse: Path, february: Path, tmp_path: Path
) -> None:
    result = run_refresh(warehouse, february)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "dbt build of the tables and tests the reports feed (source:raw+) but the family's" in result.stdout
    assert ", 0 seeds;" in result.stdout
    assert refreshes_of(warehouse) == [(None, 1), (TILT100_ALONE, 1)]

    whole = tmp_path / "whole" / "warehouse.duckdb"
    result = run_refresh(whole, TEXT_EXPORT, february)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "dbt build of the whole project" in result.stdout
    assert marts_of(warehouse) == marts_of(whole)


def test_a_refresh_of_tilt100_files_alone_leaves_out_the_family_and_what_reads_it_alone(tmp_path: Path) -> None:
    """Its build leaves out the family's tables (tag family_only) and the tests that read them alone, and still
    runs a test that reads one of them and what TILT100 feeds (a family mart's months in dim_month)."""
    plan = state.BuildPlan("", project_unchanged=True).landed(frozenset({"TILT100"}))
    options = dbt.build_options(plan.selection, plan.full_refresh, plan.skipped_resource_types, plan.exclusion)
    assert "--full-refresh" not in options  # `dbt ls` takes the rest
    listed = run_dbt(tmp_path / "w.duckdb", tmp_path, "ls", "--output", "name", "--quiet", *options)
    assert listed.returncode == 0, listed.stdout + listed.stderr
    built = set(listed.stdout.split())
    still = {"fct_participants", "measure_type_places_reconcile", "keys_in_dimensions_fct_participants_by_tiltakstype"}
    left_out = {"int_tilt030__cells", "fct_participants_by_tiltakstype", "assert_every_place_is_known"}
    assert still <= built and not left_out & built, sorted(built)
    sibling = state.BuildPlan("", project_unchanged=True).landed(frozenset({"TILT100", "TILT110"}))
    assert (sibling.selection, sibling.exclusion) == (state.DATA_ONLY, None)


def test_a_twin_landing_after_its_report_recounts_its_version_as_a_whole_build_does(
    warehouse: Path, tmp_path: Path
) -> None:
    # The PDF of the report the served text export holds: no new version, but the version's
    # file count goes from 1 to 2 (fct_participants_history.file_count), so the months it
    # prints are recomputed by the incremental models, not skipped.
    result = run_refresh(warehouse, REPLICA_PDF)
    assert result.returncode == 0, result.stdout + result.stderr
    assert refreshes_of(warehouse) == [(None, 1), (TILT100_ALONE, 1)]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select distinct file_count from audit.fct_participants_history").fetchall() == [(2,)]

    whole = tmp_path / "whole" / "warehouse.duckdb"
    result = run_refresh(whole, TEXT_EXPORT, REPLICA_PDF)
    assert result.returncode == 0, result.stdout + result.stderr
    assert marts_of(warehouse) == marts_of(whole)


def test_a_warehouse_built_by_another_project_version_is_built_whole(warehouse: Path, february: Path) -> None:
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update meta.refreshes set project_fingerprint = 'an older project'")
    result = run_refresh(warehouse, february)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "dbt build of the whole project" in result.stdout
    seeds = len(list((ROOT / "seeds").glob("*.csv"))) - 1  # all but the evaluator's exceptions (its run alone)
    assert f", {seeds} seeds;" in result.stdout


def test_the_fingerprint_covers_what_dbt_reads_and_only_that(tmp_path: Path) -> None:
    project = tmp_path / "project"
    assert dbt_folders() == ("models", "seeds", "tests", "macros")  # as dbt_project.yml names them
    for name in dbt_folders():
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in state.PROJECT_FILES:
        shutil.copy(ROOT / name, project / name)
    assert state.project_fingerprint(project) == state.project_fingerprint()
    (project / "tests" / "python" / "test_new.py").write_text("# not read by dbt\n")
    assert state.project_fingerprint(project) == state.project_fingerprint()
    model = project / "models" / "audit" / "fct_participants.sql"
    model.write_text(model.read_text() + "\n")
    assert state.project_fingerprint(project) != state.project_fingerprint()
    # the folders are dbt_project.yml's: a project whose models live elsewhere is read there
    moved = project / "dbt_project.yml"
    moved.write_text(moved.read_text().replace('model-paths: ["models"]', 'model-paths: ["dbt_models"]'))
    before = state.project_fingerprint(project)
    (project / "models").rename(project / "dbt_models")
    assert state.project_fingerprint(project) != before
    model = project / "dbt_models" / "audit" / "fct_participants.sql"
    model.write_text(model.read_text() + "\n")
    assert state.project_fingerprint(project) != before


def test_dbt_progress_comes_from_its_events_and_never_counts_back(warehouse: Path, tmp_path: Path) -> None:
    """`dbt build`'s progress: each node done once, of the run's total, from dbt's own events (no text matched)."""
    from tilt100.warehouse.dbt import Build

    steps: list[tuple[int, int]] = []
    with Build(warehouse, tmp_path / "run") as dbt:
        # the selection a refresh of new reports builds (its tables, incremental models and data tests)
        result = dbt.run(state.DATA_ONLY, on_step=lambda done, total: steps.append((done, total)))
    assert result.ok, result.failures or result.messages
    built = result.counts["model success"] + result.tests("pass")
    assert built > 10 and steps == [(n, steps[-1][1]) for n in range(1, len(steps) + 1)]
    assert steps[-1] == (len(steps), len(steps)) and len(steps) >= built


def test_a_dbt_that_stops_before_running_says_why_and_reports_no_old_counts(warehouse: Path, tmp_path: Path) -> None:
    """No run_results of an earlier run stand for this one: dbt's own reason instead."""
    from tilt100.warehouse.dbt import Build

    with Build(warehouse, tmp_path / "run") as dbt:
        result = dbt.run("state:modified")  # needs --state: dbt stops before it runs a node
    assert not result.ok and result.counts == {} and result.failures == ()
    assert result.not_run is not None and "state" in result.not_run, result.messages


def test_paths_with_quotes_spaces_braces_and_non_ascii_refresh_end_to_end(tmp_path: Path) -> None:
    """Valid names a user may have: quotes, spaces, braces, non-ASCII in the folders, the report and the file."""
    folder = tmp_path / 'it\'s "here" {2026} æøå'
    folder.mkdir()
    report = folder / "TILT100 {jan} ø.txt"
    shutil.copyfile(TEXT_EXPORT, report)
    db = folder / "lager {w} å.duckdb"
    result = run_refresh(db, report)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "leaf cells (fct_participants): 498" in result.stdout
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select file_name from raw.tilt100_files").fetchall() == [(report.name,)]
    quoted = run_refresh(folder / "it's.duckdb", report)  # dbt-duckdb puts the file's own name into SQL unescaped
    assert quoted.returncode == 2 and "expected a warehouse file name without quotes" in quoted.stderr + quoted.stdout
