"""The shape a BI tool sums right, and the semantic layer over it.

One mart per dimension (`fct_participants_by_<dimension>`): within a month, a sum
over any filter of categories and status groups counts people once. dbt semantic
models and metrics over them, `participants` semi-additive over the month, are
validated by `dbt parse` (dbt-core validates the semantic manifest as it parses).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.python.helpers import BIN, ROOT, Build

DIMENSIONS = {
    "arbeidsmarkedsstatus": None,
    "tiltaksgruppe": "tiltaksgruppe_code",
    "fylke": "fylke_nr",
    "kjonn": "kjonn_code",
    "alder": "aldersgruppe_code",
    "innvandrerstatus": "innvandrerstatus_code",
    "fodeland": "fodeland_code",
    "utdanning": "utdanning_code",
}
GRAND_TOTAL = 79696  # January 2026, I alt
STATUS_TOTALS = {"nedsatt_arbeidsevne": 64651, "arbeidssokere": 11301, "andre": 3744}


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("parse")
    env = {**os.environ, "WAREHOUSE_DB": str(tmp / "none.duckdb"), "DBT_PROFILES_DIR": str(ROOT)}
    run = subprocess.run(
        [str(BIN / "dbt"), "parse", "--target-path", str(tmp / "target"), "--log-path", str(tmp / "logs")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return json.loads((tmp / "target" / "manifest.json").read_text())


def test_the_default_sum_counts_people_once(text_build: Build) -> None:
    """What a BI tool does first: sum(participants). Every per-dimension mart gives the people, within suppression."""
    for dimension in [*DIMENSIONS, "kommune"]:
        (known, least, most, hidden) = text_build.query(
            "select sum(participants), sum(participants_min), sum(participants_max), count(*) filter (is_suppressed)"
            f" from marts.fct_participants_by_{dimension}"
        )[0]
        assert least <= GRAND_TOTAL <= most, dimension
        assert GRAND_TOTAL - known in range(hidden, 3 * hidden + 1), dimension  # 1-3 per hidden cell, never imputed
    # the long table re-counts the same people in every dimension: nine times
    assert text_build.query("select sum(participants) from marts.fct_participants") == [(717246,)]


@pytest.mark.parametrize("dimension", [d for d in DIMENSIONS if d != "arbeidsmarkedsstatus"])
def test_a_mart_per_dimension_has_its_labels_and_sums_to_each_status(text_build: Build, dimension: str) -> None:
    code = DIMENSIONS[dimension]
    columns = [c for (c,) in text_build.query(
        "select column_name from information_schema.columns where table_schema = 'marts' and table_name = ?"
        " order by ordinal_position",
        [f"fct_participants_by_{dimension}"],
    )]  # fmt: skip
    label = "alder" if dimension == "alder" else dimension
    assert columns[:9] == [
        "month", "status_code", "status_label_no", "status_label_en", "status_sort_order",
        code, f"{label}_label_no", f"{label}_label_en", f"{label}_sort_order",
    ]  # fmt: skip
    by_status = text_build.query(
        f"select status_code, sum(participants_min), sum(participants_max) from marts.fct_participants_by_{dimension}"
        " group by status_code"
    )
    assert {status for status, _, _ in by_status} == set(STATUS_TOTALS)
    for status, least, most in by_status:
        assert least <= STATUS_TOTALS[status] <= most, (dimension, status)


def test_every_mart_is_reconciled_by_a_dbt_test(manifest: dict) -> None:
    tested = {
        node["attached_node"].rsplit(".", 1)[1]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test"
        and node.get("test_metadata", {}).get("name") == "reconciles_with_status_totals"
    }
    assert tested == {f"fct_participants_by_{d}" for d in [*DIMENSIONS, "kommune"]}


def test_every_mart_has_an_enforced_contract(manifest: dict) -> None:
    marts = [n for n in manifest["nodes"].values() if n["resource_type"] == "model" and n["schema"] == "marts"]
    assert len(marts) >= 25
    for node in marts:
        assert node["contract"]["enforced"], node["name"]
        assert all(column.get("data_type") for column in node["columns"].values()), node["name"]
    by_name = {n["name"]: n for n in marts}
    primary_keys = {
        name: next((c["columns"] for c in node["constraints"] if c["type"] == "primary_key"), None)
        for name, node in by_name.items()
    }
    assert primary_keys["fct_participants"] == ["month", "status_code", "dimension", "category_code"]
    assert primary_keys["fct_participants_by_fylke"] == ["month", "status_code", "fylke_nr"]
    assert primary_keys["fct_participants_by_arbeidsmarkedsstatus"] == ["month", "status_code"]


def test_semantic_models_and_metrics_parse(manifest: dict) -> None:
    semantic = {m["name"]: m for m in manifest["semantic_models"].values()}
    metrics = {m["name"]: m for m in manifest["metrics"].values()}
    expected = {f"participants_by_{d}" for d in DIMENSIONS}
    assert set(semantic) == expected
    assert set(metrics) == expected
    for name, model in semantic.items():
        assert model["node_relation"]["alias"] == f"fct_{name}"
        assert model["defaults"]["agg_time_dimension"] == "participation_month"
        (measure,) = model["measures"]
        assert measure["agg"] == "sum" and measure["expr"] == "participants"
        # a stock: over a period, the last month's sum, never a sum over months
        assert measure["non_additive_dimension"] == {
            "name": "participation_month",
            "window_choice": "max",
            "window_groupings": [],
        }
        assert metrics[name]["type"] == "simple"
    spine = manifest["nodes"]["model.tilt100.metricflow_time_spine"]
    assert spine["time_spine"]["standard_granularity_column"] == "date_day"


def test_the_time_spine_builds(text_build: Build) -> None:
    days = text_build.query("select min(date_day), max(date_day), count(*) from intermediate.metricflow_time_spine")
    (first, last, count) = days[0]
    assert (str(first), str(last)) == ("2015-01-01", "2040-12-31")
    assert count == (last - first).days + 1


def test_readme_documents_the_semantic_layer() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "non_additive_dimension" in readme
    assert Path(ROOT / "models" / "marts" / "_marts__semantic.yml").exists()


def metricflow(build: Build, tmp: Path, *args: str) -> list[list[str]]:
    """`mf query ...` (dbt-metricflow) on a warehouse through the read-only `reader` target, rows as CSV."""
    project = tmp / "project"  # mf reads target/semantic_manifest.json under the project: never the shared one
    (project / "target").mkdir(parents=True)
    for name in ("dbt_project.yml", "profiles.yml"):
        (project / name).write_bytes((ROOT / name).read_bytes())
    env = {**os.environ, "WAREHOUSE_DB": str(build.db), "DBT_PROFILES_DIR": str(project), "DBT_TARGET": "reader"}
    paths = ["--target-path", str(project / "target"), "--log-path", str(tmp / "logs")]
    parse = subprocess.run(
        [str(BIN / "dbt"), "parse", "--project-dir", str(ROOT), *paths],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert parse.returncode == 0, parse.stdout + parse.stderr
    out = tmp / "out.csv"
    query = subprocess.run(
        [str(BIN / "mf"), "query", *args, "--csv", str(out)], cwd=project, env=env, capture_output=True, text=True
    )
    assert query.returncode == 0, query.stdout + query.stderr
    return [line.split(",") for line in out.read_text().splitlines()]


def test_a_metric_is_a_stock_over_months(year_build: Build, tmp_path: Path) -> None:
    """MetricFlow answers for a period with its last month, never with a sum over the months."""
    rows = metricflow(
        year_build,
        tmp_path,
        "--metrics",
        "participants_by_fylke,participants_by_arbeidsmarkedsstatus",
        "--start-time",
        "2025-01-01",
        "--end-time",
        "2025-12-31",
    )
    december = year_build.query(
        "select sum(participants) from marts.fct_participants_by_fylke where month = date '2025-12-01'"
    )[0][0]
    statuses = year_build.query(
        "select sum(participants) from marts.fct_participants_by_arbeidsmarkedsstatus where month = date '2025-12-01'"
    )[0][0]
    assert rows == [
        ["participants_by_fylke", "participants_by_arbeidsmarkedsstatus"],
        [str(december), str(statuses)],
    ]
    by_month = metricflow(
        year_build, tmp_path / "by-month", "--metrics", "participants_by_fylke", "--group-by", "metric_time__month"
    )
    assert len(by_month) == 1 + 13
