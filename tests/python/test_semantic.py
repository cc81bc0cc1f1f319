"""The shape a BI tool sums right, and the semantic layer over it.

One mart per dimension (`fct_participants_by_<dimension>`): within a month, a sum
over any filter of categories and status groups counts people once. dbt semantic
models and metrics over them, `participants` semi-additive over the month, are
validated by `dbt parse` (dbt-core validates the semantic manifest as it parses).
The one metric to ask, `participants` (and its bounds), sums one dimension's cells
of fct_participants whatever the query groups by; `mf query` answers it, and the
saved queries, exactly.
"""

from __future__ import annotations

import csv
import json
import os
from datetime import date
from pathlib import Path

import pytest

from tests.python import dbt_fork
from tests.python.helpers import ROOT, Build

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
    run = dbt_fork.run(["parse", "--target-path", str(tmp / "target"), "--log-path", str(tmp / "logs")], env, ROOT)
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
    assert text_build.query("select sum(participants) from audit.fct_participants") == [(717246,)]


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
    marts = [
        n for n in manifest["nodes"].values() if n["resource_type"] == "model" and n["schema"] in ("marts", "audit")
    ]
    assert len(marts) >= 27
    for node in marts:
        assert node["contract"]["enforced"], node["name"]
        assert all(column.get("data_type") for column in node["columns"].values()), node["name"]
    by_name = {n["name"]: n for n in marts}
    primary_keys = {
        name: next((c["columns"] for c in node["constraints"] if c["type"] == "primary_key"), None)
        for name, node in by_name.items()
    }
    # every table has its grain as a primary key (a block's total in the year-to-date averages: category `i_alt`)
    assert [name for name, key in primary_keys.items() if key is None] == []
    assert primary_keys["fct_year_to_date_averages"] == [
        "through_month",
        "status_code",
        "dimension",
        "report_code",
        "category_code",
    ]
    assert primary_keys["dim_category"] == ["dimension", "category_code"]
    assert primary_keys["fct_participants"] == ["month", "status_code", "dimension", "category_code"]
    assert primary_keys["fct_participants_by_fylke"] == ["month", "status_code", "fylke_nr"]
    assert primary_keys["fct_participants_by_arbeidsmarkedsstatus"] == ["month", "status_code"]


def test_semantic_models_and_metrics_parse(manifest: dict) -> None:
    semantic = {m["name"]: m for m in manifest["semantic_models"].values()}
    metrics = {m["name"]: m for m in manifest["metrics"].values()}
    per_dimension = {f"participants_by_{d}" for d in DIMENSIONS}
    assert set(semantic) == per_dimension | {"participant_cells", "participants_by_kommune"}
    assert set(metrics) == per_dimension | {
        "participants", "participants_min", "participants_max",
        "participants_by_kommune", "participants_by_kommune_min", "participants_by_kommune_max",
        "cell_breakdowns", "cell_participants", "cell_participants_min", "cell_participants_max",
        "status_table_participants", "status_table_participants_min", "status_table_participants_max",
    }  # fmt: skip
    for name, model in semantic.items():
        assert model["defaults"]["agg_time_dimension"] == "participation_month"
        # a stock: over a period, the last month's sum, never a sum over months
        for measure in model["measures"]:
            assert measure["non_additive_dimension"] == {
                "name": "participation_month",
                "window_choice": "max",
                "window_groupings": [],
            }, (name, measure["name"])
    for name in per_dimension:
        assert semantic[name]["node_relation"]["alias"] == f"fct_{name}"
        (measure,) = semantic[name]["measures"]
        assert measure["agg"] == "sum" and measure["expr"] == "participants"
        assert metrics[name]["type"] == "simple"
    assert semantic["participant_cells"]["node_relation"]["alias"] == "fct_participants"
    for name in ("participants", "participants_min", "participants_max"):
        assert metrics[name]["type"] == "derived"
    saved = {q["name"]: q for q in manifest["saved_queries"].values()}
    assert set(saved) == {"latest_month_by_status", "latest_month_by_fylke", "tiltaksgruppe_over_time"}
    # one calendar: dim_month is the month-grain time spine, built from the day-grain one
    spines = {n["name"]: n["time_spine"] for n in manifest["nodes"].values() if n.get("time_spine")}
    assert spines == {
        "dim_month": {"standard_granularity_column": "month", "custom_granularities": []},
        "metricflow_time_spine": {"standard_granularity_column": "date_day", "custom_granularities": []},
    }
    assert "model.tilt100.metricflow_time_spine" in manifest["nodes"]["model.tilt100.dim_month"]["depends_on"]["nodes"]


def test_the_time_spines_are_the_calendar(text_build: Build) -> None:
    """The day spine runs over dim_month's months, whole: from the first printed month to the last."""
    assert text_build.query(
        "select min(date_day), max(date_day), count(*) from intermediate.metricflow_time_spine"
    ) == [(date(2026, 1, 1), date(2026, 1, 31), 31)]
    assert text_build.query("select month, month_end, statbank_month, is_reported from marts.dim_month") == [
        (date(2026, 1, 1), date(2026, 1, 31), "2026M01", True)
    ]


def test_the_docs_document_the_semantic_layer() -> None:
    page = (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")
    assert "non_additive_dimension" in page
    assert Path(ROOT / "models" / "marts" / "_marts__semantic.yml").exists()


PARSED: dict[Path, Path] = {}  # a warehouse -> the project folder its semantic manifest was parsed into


def semantic_project(build: Build, tmp: Path) -> Path:
    """A project folder whose target/ holds the semantic manifest, parsed once per warehouse (mf reads it there)."""
    if build.db not in PARSED:
        project = tmp / "project"  # never the shared target/
        (project / "target").mkdir(parents=True)
        for name in ("dbt_project.yml", "profiles.yml"):
            (project / name).write_bytes((ROOT / name).read_bytes())
        paths = ["--target-path", str(project / "target"), "--log-path", str(tmp / "logs")]
        parse = dbt_fork.run(["parse", "--project-dir", str(ROOT), *paths], metricflow_env(build, project), ROOT)
        assert parse.returncode == 0, parse.stdout + parse.stderr
        PARSED[build.db] = project
    return PARSED[build.db]


def metricflow_env(build: Build, project: Path) -> dict[str, str]:
    return {**os.environ, "WAREHOUSE_DB": str(build.db), "DBT_PROFILES_DIR": str(project), "DBT_TARGET": "reader"}


def metricflow(build: Build, tmp: Path, *args: str) -> list[list[str]]:
    """`mf query ...` (dbt-metricflow) on a warehouse through the read-only `reader` target, rows as CSV."""
    project = semantic_project(build, tmp)
    out = tmp / "out.csv"
    tmp.mkdir(parents=True, exist_ok=True)
    query = dbt_fork.run_mf(["query", *args, "--csv", str(out)], metricflow_env(build, project), project)
    assert query.returncode == 0, query.stdout + query.stderr
    with out.open(newline="") as rows:
        return list(csv.reader(rows))


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


BOUNDS = ["participants", "participants_min", "participants_max"]


def test_one_metric_sums_one_dimension_whatever_it_is_grouped_by(text_build: Build, tmp_path: Path) -> None:
    """`participants` never adds one dimension's cells to another's: no group-by and by status group, the status
    table; by breakdown, each table's own sum, suppressed cells out and their range beside."""
    metrics = ",".join(BOUNDS)
    assert metricflow(text_build, tmp_path / "all", "--metrics", metrics) == [BOUNDS, ["79696"] * 3]
    by_status = metricflow(
        text_build, tmp_path / "status", "--metrics", metrics, "--group-by", "cell__status_code", "--order",
        "cell__status_code",
    )  # fmt: skip
    assert by_status == [
        ["cell__status_code", *BOUNDS],
        ["andre", "3744", "3744", "3744"],
        ["arbeidssokere", "11301", "11301", "11301"],
        ["nedsatt_arbeidsevne", "64651", "64651", "64651"],
    ]
    by_breakdown = metricflow(
        text_build, tmp_path / "breakdown", "--metrics", metrics, "--group-by", "cell__breakdown", "--order",
        "cell__breakdown",
    )  # fmt: skip
    assert by_breakdown == [
        ["cell__breakdown", *BOUNDS],
        ["alder", "79696", "79696", "79696"],
        ["arbeidsmarkedsstatus", "79696", "79696", "79696"],
        ["fodeland", "79696", "79696", "79696"],
        ["fylke", "79692", "79694", "79698"],  # two suppressed fylke cells: said, not dropped unsaid
        ["innvandrerstatus", "79696", "79696", "79696"],
        ["kjonn", "79696", "79696", "79696"],
        ["tiltaksgruppe", "79693", "79694", "79696"],
        ["utdanning", "79696", "79696", "79696"],
    ]
    # one breakdown chosen by a filter: that table's categories, as the mart sums them
    kjonn = metricflow(
        text_build, tmp_path / "kjonn", "--metrics", metrics, "--group-by", "cell__category_code",
        "--where", "{{ Dimension('cell__breakdown') }} = 'kjonn'", "--order", "cell__category_code",
    )  # fmt: skip
    expected = text_build.query(
        "select kjonn_code, sum(participants), sum(participants_min), sum(participants_max)"
        " from marts.fct_participants_by_kjonn group by kjonn_code order by kjonn_code"
    )
    assert kjonn == [["cell__category_code", *BOUNDS], *[[str(v) for v in row] for row in expected]]
    assert sum(int(row[1]) for row in kjonn[1:]) == 79696
    # a code several tables share (`ukjent`) mixes tables: no figure, never a sum across them
    ukjent = metricflow(
        text_build, tmp_path / "ukjent", "--metrics", metrics,
        "--where", "{{ Dimension('cell__category_code') }} = 'ukjent'",
    )  # fmt: skip
    assert ukjent == [BOUNDS, ["", "", ""]]


def test_the_kommune_metric(text_build: Build, tmp_path: Path) -> None:
    metrics = "participants_by_kommune,participants_by_kommune_min,participants_by_kommune_max"
    rows = metricflow(text_build, tmp_path / "all", "--metrics", metrics)
    (known, least, most) = text_build.query(
        "select sum(participants), sum(participants_min), sum(participants_max) from marts.fct_participants_by_kommune"
    )[0]
    assert rows[1] == [str(known), str(least), str(most)]
    assert known < GRAND_TOTAL and least <= GRAND_TOTAL <= most
    oslo = metricflow(
        text_build, tmp_path / "oslo", "--metrics", "participants_by_kommune", "--group-by",
        "kommune_cell__fylke_nr_today", "--where", "{{ Dimension('kommune_cell__kommune_nr') }} = '0301'",
    )  # fmt: skip
    assert oslo == [["kommune_cell__fylke_nr_today", "participants_by_kommune"], ["03", "9109"]]


def test_saved_queries_answer_the_common_questions(text_build: Build, tmp_path: Path) -> None:
    status = metricflow(text_build, tmp_path / "status", "--saved-query", "latest_month_by_status")
    assert status == [
        ["cell__category_name", "cell__status_code", *BOUNDS],  # MetricFlow orders the group-by columns by name
        ["Andre på tiltak", "andre", "3744", "3744", "3744"],
        ["Arbeidssøkere på tiltak", "arbeidssokere", "11301", "11301", "11301"],
        ["Nedsatt arbeidsevne, på tiltak", "nedsatt_arbeidsevne", "64651", "64651", "64651"],
    ]
    fylke = metricflow(text_build, tmp_path / "fylke", "--saved-query", "latest_month_by_fylke")
    expected = text_build.query(
        "select fylke_nr, any_value(fylke_label_no), sum(participants), sum(participants_min), sum(participants_max)"
        " from marts.fct_participants_by_fylke group by fylke_nr order by fylke_nr"
    )
    assert fylke == [
        ["cell__category_code", "cell__category_name", *BOUNDS],
        *[["" if v is None else str(v) for v in row] for row in expected],
    ]
    assert len(fylke) == 1 + 17
    assert ["03", "Oslo", "9109", "9109", "9109"] in fylke
    assert ["97", "Svalbard og øvrige områder", "", "2", "6"] in fylke  # both its cells suppressed
    totals = [sum(int(row[i] or 0) for row in fylke[1:]) for i in (2, 3, 4)]
    assert totals == [79692, 79694, 79698]


def test_saved_queries_over_a_year(year_build: Build, tmp_path: Path) -> None:
    """Month by month, each month's own figures; the latest month is January 2026 (NAV's report)."""
    over_time = metricflow(year_build, tmp_path / "time", "--saved-query", "tiltaksgruppe_over_time")
    expected = year_build.query(
        "select strftime(month, '%Y-%m-%d 00:00:00'), tiltaksgruppe_code, any_value(tiltaksgruppe_label_no),"
        " sum(participants), sum(participants_min), sum(participants_max)"
        " from marts.fct_participants_by_tiltaksgruppe group by all order by 1, 2"
    )
    assert over_time[0] == ["metric_time__month", "cell__category_code", "cell__category_name", *BOUNDS]
    assert over_time[1:] == [["" if v is None else str(v) for v in row] for row in expected]
    assert len({row[0] for row in over_time[1:]}) == 13
    status = metricflow(year_build, tmp_path / "status", "--saved-query", "latest_month_by_status")
    assert [row[2] for row in status[1:]] == ["3744", "11301", "64651"]
    # over 2025, the one metric is December's status totals, not a sum of twelve months
    december = year_build.query(
        "select sum(participants) from marts.fct_participants_by_arbeidsmarkedsstatus where month = date '2025-12-01'"
    )[0][0]
    rows = metricflow(
        year_build, tmp_path / "2025", "--metrics", "participants", "--start-time", "2025-01-01",
        "--end-time", "2025-12-31",
    )  # fmt: skip
    assert rows == [["participants"], [str(december)]]


def test_every_fact_joins_the_calendar(manifest: dict) -> None:
    """Each fact's month (the year-to-date averages': through_month) is a key to dim_month (keys_in_dimensions)."""
    joined = {
        (node["attached_node"].rsplit(".", 1)[1], key["column"])
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and node.get("test_metadata", {}).get("name") == "keys_in_dimensions"
        for key in node["test_metadata"]["kwargs"]["keys"]
        if key["to"] == "dim_month" and key.get("field", key["column"]) == "month"
    }
    facts = {
        (node["name"], column)
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["schema"] in ("marts", "audit") and node["name"].startswith("fct_")
        for column in node["columns"]
        if column in ("month", "through_month")
    }
    assert len(facts) == 18
    assert joined == facts


def test_the_calendar_over_a_year(year_build: Build) -> None:
    months = year_build.query(
        "select month, quarter_number, month_name_no, month_name_en, statbank_month, statbank_quarter,"
        " series_period, is_series_break_month, is_reported from marts.dim_month order by month"
    )
    assert len(months) == 13
    assert months[0] == (date(2025, 1, 1), 1, "januar", "January", "2025M01", "2025K1", 1, False, True)
    assert months[3] == (date(2025, 4, 1), 2, "april", "April", "2025M04", "2025K2", 2, True, True)
    assert months[-1] == (date(2026, 1, 1), 1, "januar", "January", "2026M01", "2026K1", 2, False, True)
    assert [m[0].month for m in months] == [*range(1, 13), 1]
    # the day spine is the same calendar, day by day
    assert year_build.query(
        "select min(date_day), max(date_day), count(*) from intermediate.metricflow_time_spine"
    ) == [(date(2025, 1, 1), date(2026, 1, 31), 396)]
    for table in ("audit.fct_participants", "marts.fct_participants_by_fylke", "marts.fct_participants_by_kommune"):
        assert year_build.query(
            f"select count(*) from {table} where month not in (select month from marts.dim_month)"
        ) == [(0,)]
