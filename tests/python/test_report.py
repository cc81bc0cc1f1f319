"""`python -m report`: one self-contained HTML page whose charts draw in headless Chromium.

Two warehouses: January 2026 alone (one month, so every line is a single dot) and
the synthetic year 2025 plus January 2026 (thirteen months, April 2025's series
break inside the range). The expected counts come from the marts, by SQL.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from replica.series import write_reports, year_report
from tests.python.conftest import ROOT, TEXT_EXPORT, Build, load_and_build

CHARTS = {"status-totals", "latest-tiltaksgruppe", "series-tiltaksgruppe", "series-fylke"}
SERIES_CHARTS = {"series-tiltaksgruppe": "tiltaksgruppe", "series-fylke": "fylke"}
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
LATEST = "(select max(month) from marts.fct_participants)"


@pytest.fixture(scope="module")
def chromium() -> str:
    path = shutil.which("chromium")
    if path:
        return path
    message = "chromium not found on PATH: `make browser` installs Debian's chromium"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def year_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The synthetic 2025 report (January to December) and NAV's January 2026 text export."""
    reports = tmp_path_factory.mktemp("report-input")
    write_reports(reports, [year_report(2025, 12)])
    shutil.copy(TEXT_EXPORT, reports / TEXT_EXPORT.name)
    build = load_and_build([reports], tmp_path_factory.mktemp("report-year") / "warehouse.duckdb")
    assert build.returncode == 0, build.output
    # thirteen months, with April 2025's series break inside the range
    assert build.query("select count(distinct month) from marts.fct_participants") == [(13,)]
    assert build.query("select distinct month from marts.fct_participants where is_series_break_month") == [
        (date(2025, 4, 1),)
    ]
    return build


@pytest.fixture(params=["text_build", "year_build"])
def build(request: pytest.FixtureRequest) -> Build:
    return request.getfixturevalue(request.param)


@dataclass
class Dom(HTMLParser):
    """The elements of each <svg class="chart">, as (tag, attributes), keyed by data-chart."""

    charts: dict[str, dict[str, str]] = field(default_factory=dict)
    elements: dict[str, list[tuple[str, dict[str, str]]]] = field(default_factory=dict)
    current: str | None = None

    def __post_init__(self) -> None:
        super().__init__()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "svg" and "chart" in values.get("class", "").split():
            self.current = values["data-chart"]
            self.charts[self.current] = values
            self.elements[self.current] = []
        elif self.current:
            self.elements[self.current].append((tag, values))

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self.current = None

    def of(self, chart: str, tag: str, css_class: str) -> list[dict[str, str]]:
        return [a for t, a in self.elements[chart] if t == tag and css_class in a.get("class", "").split()]


def render(build: Build, out: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "report", "--db", str(build.db), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == str(out)
    return out.read_text(encoding="utf-8")


def browse(chromium: str, page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND",  # no name resolves: the page must not need the network
        f"--user-data-dir={profile}",
        "--virtual-time-budget=5000",
        *extra,
        page.as_uri(),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def one(build: Build, sql: str) -> int:
    return build.query(sql)[0][0]


def test_page_is_self_contained(build: Build, tmp_path: Path) -> None:
    html = render(build, tmp_path / "report.html")
    # nothing to fetch: no remote src/href/url()/@import, no <link>/<img>, and no URL but the SVG namespace name
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.IGNORECASE)
    assert not re.search(r"url\(|@import|<link\b|<img\b|<iframe\b", html, re.IGNORECASE)
    assert set(re.findall(r"https?://[^\s\"'<>)]*", html)) == {SVG_NAMESPACE}
    embedded = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.DOTALL)
    assert embedded, "the data is embedded as JSON"
    data = json.loads(embedded.group(1))
    assert data["latest_month"] == one(build, f"select strftime({LATEST}, '%Y-%m-%d')")
    assert f"{data['latest_month_name']}: participants by measure group" in html


def test_charts_draw_in_headless_chromium(chromium: str, build: Build, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    html = render(build, page)
    dom = Dom()
    dom.feed(browse(chromium, page, tmp_path / "profile", "--dump-dom").stdout)
    assert set(dom.charts) == CHARTS
    for name, chart in dom.charts.items():
        assert chart.get("data-drawn") == "true", name

    # the latest month: a bar per status total and per printed, unsuppressed measure-group cell
    status_bars = one(
        build,
        "select count(participants) from marts.fct_participants"
        f" where dimension = 'arbeidsmarkedsstatus' and month = {LATEST}",
    )
    assert len(dom.of("status-totals", "rect", "bar")) == status_bars == 3
    cells, shown = build.query(
        "select count(*), count(participants) from marts.fct_participants"
        f" where dimension = 'tiltaksgruppe' and month = {LATEST}"
    )[0]
    bars = dom.of("latest-tiltaksgruppe", "rect", "bar")
    assert len(bars) == int(dom.charts["latest-tiltaksgruppe"]["data-bars"]) == shown
    assert len(dom.of("latest-tiltaksgruppe", "text", "suppressed")) == cells - shown  # "*", not a bar
    assert {b["data-status"] for b in bars} == {"arbeidssokere", "nedsatt_arbeidsevne", "andre"}

    # the series: one line per category in sort order, a dot per month whose sum over the statuses is known
    months = one(build, "select count(distinct month) from marts.fct_participants")
    breaks = one(
        build,
        "select count(distinct month) from marts.fct_participants"
        " where is_series_break_month and month > (select min(month) from marts.fct_participants)",
    )
    for name, dimension in SERIES_CHARTS.items():
        keys = [
            row[0]
            for row in build.query(
                "select d.category_code from marts.dim_category as d where d.dimension = $1 and d.category_code in"
                " (select category_code from marts.fct_participants where dimension = $1) order by d.sort_order",
                [dimension],
            )
        ]
        # the rule the page states: a month with any suppressed status cell is a gap
        points = build.query(
            "select count(*) from (select 1 from marts.fct_participants where dimension = $1"
            " group by category_code, month having count(participants) = count(*))",
            [dimension],
        )[0][0]
        chart = dom.charts[name]
        paths = dom.of(name, "path", "series")
        dots = dom.of(name, "circle", "point")
        assert [p["data-key"] for p in paths] == keys, name
        assert int(chart["data-series"]) == len(keys)
        assert len(dots) == int(chart["data-points"]) == points, name
        markers = dom.of(name, "line", "break")
        assert len(markers) == int(chart["data-breaks"]) == breaks, name
        if months == 1:
            assert all("L" not in p["d"] for p in paths), "one month: dots, no line segments"
        else:
            assert any("L" in p["d"] for p in paths)
        if breaks:
            assert [m["data-month"] for m in markers] == ["2025-04-01"]
            assert dom.of(name, "text", "break-label")
    assert html.count('class="note break-note"') == 2 * breaks


def test_screenshot(year_build: Build, chromium: str, tmp_path: Path) -> None:
    """A picture to look at (REPORT_SCREENSHOT=path keeps it); here only: it renders, and is not blank."""
    page = tmp_path / "report.html"
    render(year_build, page)
    png = Path(os.environ.get("REPORT_SCREENSHOT") or tmp_path / "report.png")
    browse(chromium, page, tmp_path / "profile", f"--screenshot={png}", "--window-size=1400,3000")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 50_000
