"""The analyst's first queries (analyses/*.sql): each compiles, runs against the
January 2026 warehouse, and gives figures the test derives on its own from the
marts (and, for Lønnstilskudd, from the printed report)."""

from __future__ import annotations

import datetime as dt
import math
import os
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from tests.python import dbt_fork
from tests.python.helpers import ROOT, Build

ANALYSES_DIR = ROOT / "analyses"
ANALYSES = sorted(ANALYSES_DIR.glob("*.sql"))
JANUARY = dt.date(2026, 1, 1)
# Shares are rounded to 4 decimals: a sum of n of them is off by at most n * 0.00005.
ROUNDING = 0.00005


@pytest.fixture(scope="module")
def compiled(text_build: Build, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """`dbt compile` of the analyses against the January 2026 warehouse: name -> compiled SQL."""
    tmp = tmp_path_factory.mktemp("analyses")
    env = {**os.environ, "WAREHOUSE_DB": str(text_build.db), "DBT_PROFILES_DIR": str(ROOT)}
    paths = ["--target-path", str(tmp / "target"), "--log-path", str(tmp / "logs")]
    run = dbt_fork.run(["compile", "--select", "resource_type:analysis", *paths], env, ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    out = tmp / "target" / "compiled" / "tilt100" / "analyses"
    return {path.stem: path.read_text() for path in out.glob("*.sql")}


def run_analysis(build: Build, compiled: dict[str, str], name: str) -> list[dict]:
    """Run a compiled analysis read-only; rows as dicts by column name."""
    with duckdb.connect(str(build.db), read_only=True) as con:
        result = con.execute(compiled[name])
        columns = [d[0] for d in result.description]
        return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]


def close(a: float, b: float, tolerance: float = ROUNDING) -> bool:
    return math.isclose(a, b, abs_tol=tolerance)


def test_there_are_analyses() -> None:
    assert {path.stem for path in ANALYSES} >= {
        "participants_by_tiltaksgruppe_over_months",
        "status_share_by_fylke_latest_month",
        "kommuner_ranked_within_fylke_latest_month",
        "age_profile_by_status",
    }


@pytest.mark.parametrize("path", ANALYSES, ids=[path.stem for path in ANALYSES])
def test_every_analysis_compiles_and_runs(path: Path, compiled: dict[str, str], text_build: Build) -> None:
    source = path.read_text()
    assert source.startswith("--"), f"{path.name}: start with a comment saying what it answers"
    assert "{{ ref(" in source, f"{path.name}: read the marts through ref()"
    assert path.stem in compiled, f"{path.name} did not compile"
    assert "{{" not in compiled[path.stem]
    rows = run_analysis(text_build, compiled, path.stem)
    assert rows, f"{path.name} returned no rows for January 2026"


def test_participants_by_tiltaksgruppe_over_months(compiled: dict[str, str], text_build: Build) -> None:
    rows = run_analysis(text_build, compiled, "participants_by_tiltaksgruppe_over_months")
    got = {(r["month"], r["status_code"], r["tiltaksgruppe_code"]): r["participants"] for r in rows}
    assert len(got) == len(rows)
    mart = {
        (month, status, code): participants
        for month, status, code, participants in text_build.query(
            "select month, status_code, category_code, participants from audit.fct_participants"
            " where dimension = 'tiltaksgruppe'"
        )
    }
    assert got == mart  # every cell, suppressed ones still NULL
    # As printed in tests/fixtures/tilt100_2026-01.txt: "Lønnstilskudd 349 349" (arbeidssøkere).
    assert got[JANUARY, "arbeidssokere", "lonnstilskudd"] == 349
    assert got[JANUARY, "nedsatt_arbeidsevne", "lonnstilskudd"] == 6190
    assert got[JANUARY, "andre", "jobbskaping_og_egenetablering"] is None  # printed "*"
    labels = {r["tiltaksgruppe_code"]: r["tiltaksgruppe_label_en"] for r in rows}
    assert labels["lonnstilskudd"] == "Wage subsidy"
    # In the report's order: status groups, then measure groups, then months.
    keys = [(r["status_sort_order"], r["tiltaksgruppe_sort_order"], r["month"]) for r in rows]
    assert keys == sorted(keys)
    assert rows[0]["status_code"] == "arbeidssokere"


def test_status_share_by_fylke_latest_month(compiled: dict[str, str], text_build: Build) -> None:
    rows = run_analysis(text_build, compiled, "status_share_by_fylke_latest_month")
    ((latest,),) = text_build.query("select max(month) from audit.fct_participants where dimension = 'fylke'")
    assert latest == JANUARY
    assert {r["month"] for r in rows} == {latest}
    cells = text_build.query(
        "select category_code, status_code, participants from audit.fct_participants"
        " where dimension = 'fylke' and month = ?",
        [latest],
    )
    assert {(r["fylke_nr"], r["status_code"]) for r in rows} == {(f, s) for f, s, _ in cells}
    known = defaultdict(int)
    for fylke, _, participants in cells:
        known[fylke] += participants or 0
    totals = dict(
        text_build.query(
            "select status_code, participants from audit.fct_published_totals where dimension = 'fylke' and month = ?",
            [latest],
        )
    )
    by_fylke = defaultdict(list)
    by_status = defaultdict(list)
    for r in rows:
        by_fylke[r["fylke_nr"]].append(r)
        by_status[r["status_code"]].append(r)
        if r["participants"] is None:  # "*": never imputed
            assert r["is_suppressed"]
            assert r["share_of_fylke_known"] is None
            assert r["share_of_status_total"] is None
            continue
        assert r["known_participants_in_fylke"] == known[r["fylke_nr"]]
        assert close(r["share_of_fylke_known"], r["participants"] / known[r["fylke_nr"]])
        assert r["status_total"] == totals[r["status_code"]]
        assert close(r["share_of_status_total"], r["participants"] / totals[r["status_code"]])
    # Within each fylke the status groups' shares of the known cells sum to 1.
    for fylke, group in by_fylke.items():
        shares = [r["share_of_fylke_known"] for r in group if r["share_of_fylke_known"] is not None]
        if not shares:  # every cell "*" (97 Svalbard og øvrige områder): nothing to share
            assert all(r["is_suppressed"] for r in group), fylke
            continue
        assert close(sum(shares), 1, ROUNDING * len(shares)), fylke
    # Each status group's fylke shares of its published total sum to 1, less the suppressed fylker (1-3 each).
    assert any(r["is_suppressed"] for r in rows)  # January 2026 has suppressed fylke cells
    for status, group in by_status.items():
        shares = sum(r["share_of_status_total"] or 0 for r in group)
        hidden = sum(r["is_suppressed"] for r in group)
        slack = ROUNDING * len(group)
        assert 1 - 3 * hidden / totals[status] - slack <= shares <= 1 - hidden / totals[status] + slack, status
    oslo = {r["status_code"]: r for r in by_fylke["03"]}
    assert oslo["arbeidssokere"]["participants"] == 1583
    assert close(oslo["arbeidssokere"]["share_of_fylke_known"], 1583 / (1583 + 7156 + 370))


def test_kommuner_ranked_within_fylke_latest_month(compiled: dict[str, str], text_build: Build) -> None:
    rows = run_analysis(text_build, compiled, "kommuner_ranked_within_fylke_latest_month")
    ((latest,),) = text_build.query("select max(month) from audit.fct_participants where dimension = 'kommune'")
    assert {r["month"] for r in rows} == {latest}
    # Independently: the kommune cells of fct_participants, each under the fylke of dim_kommune.
    cells = text_build.query(
        "select k.fylke_nr, p.category_code, p.participants from audit.fct_participants as p"
        " join marts.dim_kommune as k on p.category_code = k.kommune_nr"
        " where p.dimension = 'kommune' and p.month = ?",
        [latest],
    )
    assert len(rows) == len(cells) == 359
    expected = {}
    by_fylke = defaultdict(list)
    for fylke, kommune, participants in cells:
        by_fylke[fylke].append((kommune, participants))
    for fylke, kommuner in by_fylke.items():
        for kommune, participants in kommuner:
            if participants is None:
                expected[fylke, kommune] = None
            else:
                known = [other for _, other in kommuner if other is not None]
                expected[fylke, kommune] = 1 + sum(other > participants for other in known)
    got = {(r["fylke_nr"], r["kommune_nr"]): r["rank_in_fylke"] for r in rows}
    assert got == expected
    first = {r["fylke_nr"]: r["kommune_label_no"] for r in rows if r["rank_in_fylke"] == 1}
    assert first["03"] == "Oslo"
    assert first["11"] == "Stavanger"
    for r in rows:
        assert r["kommuner_in_fylke"] == len(by_fylke[r["fylke_nr"]])
        assert (r["rank_in_fylke"] is None) == r["is_suppressed"]
    assert any(r["is_suppressed"] for r in rows)
    oslo = next(r for r in rows if r["kommune_nr"] == "0301")
    assert (oslo["fylke_nr"], oslo["rank_in_fylke"], oslo["participants"]) == ("03", 1, 9109)


def test_age_profile_by_status(compiled: dict[str, str], text_build: Build) -> None:
    rows = run_analysis(text_build, compiled, "age_profile_by_status")
    totals = {
        (month, status): participants
        for month, status, participants in text_build.query(
            "select month, status_code, participants from audit.fct_published_totals where dimension = 'alder'"
        )
    }
    cells = text_build.query(
        "select month, status_code, category_code, participants from audit.fct_participants where dimension = 'alder'"
    )
    assert len(rows) == len(cells) == 21
    assert {(r["month"], r["status_code"], r["aldersgruppe_code"]) for r in rows} == {c[:3] for c in cells}
    groups = defaultdict(list)
    for r in rows:
        total = totals[r["month"], r["status_code"]]
        assert r["status_total"] == total
        groups[r["month"], r["status_code"]].append(r)
        if r["participants"] is None:
            assert r["share_of_status_total"] is None
            assert close(r["share_of_status_total_min"], 1 / total)
            assert close(r["share_of_status_total_max"], 3 / total)
        else:
            assert close(r["share_of_status_total"], r["participants"] / total)
    assert {status for _, status in groups} == {"arbeidssokere", "nedsatt_arbeidsevne", "andre"}
    for key, group in groups.items():
        slack = ROUNDING * len(group)
        assert sum(r["share_of_status_total_min"] for r in group) <= 1 + slack, key
        assert sum(r["share_of_status_total_max"] for r in group) >= 1 - slack, key
        if not any(r["is_suppressed"] for r in group):  # January 2026: no age band is suppressed
            assert close(sum(r["share_of_status_total"] for r in group), 1, slack), key
    assert totals[JANUARY, "arbeidssokere"] == 11301
    youngest = next(r for r in groups[JANUARY, "arbeidssokere"] if r["aldersgruppe_code"] == "-19")
    assert (youngest["participants"], youngest["share_of_status_total"]) == (332, round(332 / 11301, 4))
