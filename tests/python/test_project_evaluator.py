"""dbt Labs' dbt-project-evaluator passes on this project, with every finding fixed or excepted.

The evaluator and the dbt_utils it needs are vendored in vendor/ and loaded only when the var
`evaluate_project` is true (dbt_project.yml's packages-install-path): every other build parses
none of them. Its tests warn by default; here a warning fails the run (`--warn-error-options`
on its test results), and the run must pass with no warning. The exceptions it is told to let
pass (seeds/dbt_project_evaluator_exceptions.csv) each carry a reason, each still matches a
resource, and the primary keys they excuse are enforced by DuckDB. A copy of the project with one
breach (a staging model's key test taken away) fails on that one rule, naming that one model.
The sources' freshness (NAV publishes monthly) passes on a fresh load and warns a month late.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests.python import dbt_fork
from tests.python.helpers import BIN, ROOT, TEXT_EXPORT, run_dbt

EXCEPTIONS = ROOT / "seeds" / "dbt_project_evaluator_exceptions.csv"
PACKAGES = ("dbt_project_evaluator", "dbt_utils")
# What dbt reads of the project: a copy of these is a whole project (vendor/ included).
PROJECT = ("dbt_project.yml", "profiles.yml", "models", "seeds", "tests", "macros", "analyses", "vendor")


@dataclass(frozen=True)
class Evaluation:
    returncode: int
    output: str
    results: dict[str, str]  # test name -> status
    manifest: dict
    db: Path

    def findings(self, rule: str) -> list[tuple]:
        """The rows of the evaluator's table for `rule` (fct_missing_primary_key_tests, ...) after the exceptions."""
        with duckdb.connect(str(self.db), read_only=True) as con:
            return con.execute(f"select * from main.{rule} order by all").fetchall()


def evaluate(project: Path, folder: Path) -> Evaluation:
    """`dbt build` of the evaluator (and the exceptions seed) in `project`, a warning failing it."""
    db = folder / "evaluator.duckdb"
    env = {**os.environ, "WAREHOUSE_DB": str(db), "DBT_PROFILES_DIR": str(project), "DBT_TARGET": "dev"}
    command = ["build", "--select", "package:dbt_project_evaluator", "dbt_project_evaluator_exceptions"]
    command += ["--vars", "{evaluate_project: true}", "--warn-error-options", '{"error": ["LogTestResult"]}']
    command += ["--target-path", str(folder / "target"), "--log-path", str(folder / "logs")]
    run = dbt_fork.run_plain(command, env, project)  # `dbt build ...`
    target = folder / "target"
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    statuses = {r["unique_id"].split(".")[2]: r["status"] for r in results if r["unique_id"].startswith("test.")}
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    return Evaluation(run.returncode, run.stdout + run.stderr, statuses, manifest, db)


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory: pytest.TempPathFactory) -> Evaluation:
    return evaluate(ROOT, tmp_path_factory.mktemp("evaluator"))


def exceptions() -> list[dict[str, str]]:
    with EXCEPTIONS.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def like(pattern: str) -> re.Pattern[str]:
    """SQL's `like` as a regular expression (`%` any run, `_` any one character)."""
    return re.compile("".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern))


def test_the_evaluator_passes_with_no_warning(evaluation: Evaluation) -> None:
    assert evaluation.returncode == 0, evaluation.output[-3000:]
    assert len(evaluation.results) >= 25, f"only {len(evaluation.results)} of the evaluator's tests ran"
    assert {name for name, status in evaluation.results.items() if status != "pass"} == set()
    # each rule's table is empty once the exceptions are applied, not merely unread
    assert evaluation.findings("fct_missing_primary_key_tests") == []
    assert evaluation.findings("fct_exposures_dependent_on_private_models") == []
    assert evaluation.findings("fct_sources_without_freshness") == []


def test_every_exception_has_a_reason_and_still_matches_something(evaluation: Evaluation) -> None:
    rules = {n["name"] for n in evaluation.manifest["nodes"].values() if n["package_name"] == "dbt_project_evaluator"}
    names = {n["name"] for n in evaluation.manifest["nodes"].values() if n["package_name"] == "tilt100"}
    names |= {f"{s['source_name']}.{s['name']}" for s in evaluation.manifest["sources"].values()}
    rows = exceptions()
    assert rows, "no exceptions read"
    for row in rows:
        assert row["fct_name"] in rules, f"{row['fct_name']}: no such rule of the evaluator"
        assert len(row["comment"].split()) >= 8, f"{row}: an exception needs its reason"
        assert any(like(row["id_to_exclude"]).fullmatch(name) for name in names), f"{row}: matches nothing"


def test_the_primary_keys_excepted_are_enforced_by_duckdb(evaluation: Evaluation) -> None:
    """The facts the primary-key rule lets pass each declare their key in an enforced contract."""
    patterns = [
        like(r["id_to_exclude"])
        for r in exceptions()
        if r["fct_name"] == "fct_missing_primary_key_tests" and r["id_to_exclude"].startswith("fct_")
    ]
    facts = [
        n
        for n in evaluation.manifest["nodes"].values()
        if n["resource_type"] == "model"
        and n["package_name"] == "tilt100"
        and any(p.fullmatch(n["name"]) for p in patterns)
    ]
    assert len(facts) >= 15
    for node in facts:
        assert node["config"]["contract"]["enforced"], node["name"]
        assert node["config"]["materialized"] in ("table", "incremental"), node["name"]
        assert any(c["type"] == "primary_key" for c in node["constraints"]), f"{node['name']}: no primary key"


def test_the_marts_exposures_read_are_public_and_the_rest_protected(evaluation: Evaluation) -> None:
    models = {n["name"]: n for n in evaluation.manifest["nodes"].values() if n["resource_type"] == "model"}
    read = {
        parent.split(".")[-1]
        for exposure in evaluation.manifest["exposures"].values()
        for parent in exposure["depends_on"]["nodes"]
        if parent.startswith("model.")
    }
    assert len(read) >= 25
    assert {name for name in read if models[name]["access"] != "public"} == set()
    ours = [n for n in models.values() if n["package_name"] == "tilt100"]
    assert {n["group"] for n in ours} == {"warehouse"}
    assert {n["name"] for n in ours if n["access"] == "public"} == {
        n["name"] for n in ours if n["config"]["schema"] in ("marts", "audit")
    }


def test_a_breach_fails_on_its_rule_alone(tmp_path: Path) -> None:
    """A copy of the project with one key test taken away: the evaluator fails on the primary-key rule alone."""
    project = tmp_path / "project"
    project.mkdir()
    for name in PROJECT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name)
        else:
            shutil.copy2(source, project / name)
    files = project / "models" / "staging" / "tilt100" / "stg_tilt100__files.yml"
    text = files.read_text(encoding="utf-8")
    assert text.count("data_tests: [primary_key]") == 1
    files.write_text(text.replace("data_tests: [primary_key]", "data_tests: [unique]"), encoding="utf-8")
    breach = evaluate(project, tmp_path / "run")
    assert breach.returncode != 0, breach.output[-3000:]
    assert {name for name, status in breach.results.items() if status != "pass"} == {
        "is_empty_fct_missing_primary_key_tests_"
    }
    assert breach.results["is_empty_fct_missing_primary_key_tests_"] == "fail"
    assert [row[0] for row in breach.findings("fct_missing_primary_key_tests")] == ["stg_tilt100__files"]


def test_a_build_without_the_var_reads_no_vendored_package(tmp_path: Path) -> None:
    """The product's builds (tilt100 refresh, make run) parse none of vendor/: no node or macro of it."""
    db = tmp_path / "w.duckdb"
    run = run_dbt(db, tmp_path, "parse")
    assert run.returncode == 0, run.stdout + run.stderr
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text(encoding="utf-8"))
    packages = {n["package_name"] for kind in ("nodes", "macros", "disabled") for n in _flat(manifest[kind])}
    assert packages & set(PACKAGES) == set()
    assert "tilt100" in packages


def _flat(entries: dict) -> list[dict]:
    return [n for value in entries.values() for n in (value if isinstance(value, list) else [value])]


def test_a_month_late_warns_in_source_freshness(tmp_path: Path) -> None:
    """NAV publishes monthly: the raw sources are fresh just after a load, and warn 40 days after it."""
    db = tmp_path / "w.duckdb"
    env = {**os.environ, "WAREHOUSE_DB": str(db)}
    extract = [str(BIN / "python"), "-m", "extract", str(TEXT_EXPORT)]
    load = subprocess.run(extract, cwd=ROOT, env=env, capture_output=True)
    assert load.returncode == 0, load.stderr

    def freshness(folder: str) -> dict[str, str]:
        run = run_dbt(db, tmp_path / folder, "source", "freshness", "--select", "source:raw")
        sources = json.loads((tmp_path / folder / "target" / "sources.json").read_text(encoding="utf-8"))
        assert run.returncode == 0, run.stdout + run.stderr
        return {r["unique_id"].split(".")[-1]: r["status"] for r in sources["results"]}

    tables = {"tilt100_files", "tilt100_pages", "tilt100_rows", "tilt100_cells"}
    assert freshness("fresh") == dict.fromkeys(tables, "pass")
    with duckdb.connect(str(db)) as con:
        con.execute("update raw.tilt100_files set loaded_at = loaded_at - interval 40 day")
    assert freshness("late") == dict.fromkeys(tables, "warn")
