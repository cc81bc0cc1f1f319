"""`tilt100 charts`: one self-contained HTML page whose charts draw in headless Chromium.

Two warehouses: January 2026 alone (one month: sorted bar charts, no lines) and the
synthetic year 2025 plus January 2026 (thirteen months: lines too, April 2025's series
break inside the range). The expected counts come from the marts, by SQL.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.python.helpers import ROOT, Build
from tooling.corpus.html import CHROMIUM_FLAGS

BAR_CHARTS = {"status-totals", "latest-tiltaksgruppe", "latest-fylke"}
SERIES_CHARTS = {"series-status", "series-tiltaksgruppe", "series-fylke"}
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
LATEST = "(select max(month) from audit.fct_participants)"


@pytest.fixture(scope="module")
def chromium() -> str:
    path = shutil.which("chromium")
    if path:
        return path
    message = "chromium not found on PATH: `make browser` installs Debian's chromium"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


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
        [sys.executable, "-m", "tilt100", "charts", "--db", str(build.db), "--out", str(out)],
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
        *CHROMIUM_FLAGS,  # headless, no sandbox, no background networking: as the corpus prints with
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


def sums(build: Build, dimension: str, code: str, where: str = "true") -> list[tuple]:
    """Per category and month, over the status groups: (key, month, min, max, suppressed cells)."""
    return build.query(
        f"select {code}, month, sum(participants_min), sum(participants_max), count(*) filter (is_suppressed)"
        f" from marts.fct_participants_by_{dimension} where {where} group by all"
    )


def bar_values(dom: Dom, chart: str) -> list[tuple[str, int, int]]:
    return [(b["data-key"], int(b["data-min"]), int(b["data-max"])) for b in dom.of(chart, "rect", "bar")]


def test_charts_draw_in_headless_chromium(chromium: str, build: Build, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    html = render(build, page)
    dom = Dom()
    dom.feed(browse(chromium, page, tmp_path / "profile", "--dump-dom").stdout)
    months = one(build, "select count(distinct month) from audit.fct_participants")
    # one month: bars only (a line of one point is a dot); several: lines as well
    assert set(dom.charts) == (BAR_CHARTS if months == 1 else BAR_CHARTS | SERIES_CHARTS)
    assert ("Only " in html) == (months == 1)
    for name, chart in dom.charts.items():
        assert chart.get("data-drawn") == "true", name
        # every chart says what its axes are, and in what unit
        titles = [a for t, a in dom.elements[name] if t == "text" and "axis-title" in a.get("class", "")]
        assert titles, name
    assert "Participants (people on a measure in the month)" in dom_text(page, chromium, tmp_path)

    # the latest month's status groups, largest first
    statuses = build.query(
        "select status_code, participants from marts.fct_participants_by_arbeidsmarkedsstatus"
        f" where month = {LATEST} order by participants desc"
    )
    assert [(k, lo) for k, lo, _ in bar_values(dom, "status-totals")] == statuses

    # measure groups by status group: a bar per printed cell, groups largest first, a suppressed cell as its range
    cells, hidden = build.query(
        "select count(*), count(*) filter (is_suppressed) from marts.fct_participants_by_tiltaksgruppe"
        f" where month = {LATEST}"
    )[0]
    bars = dom.of("latest-tiltaksgruppe", "rect", "bar")
    assert len(bars) == int(dom.charts["latest-tiltaksgruppe"]["data-bars"]) == cells
    assert {b["data-status"] for b in bars} == {"arbeidssokere", "nedsatt_arbeidsevne", "andre"}
    ranges = dom.of("latest-tiltaksgruppe", "rect", "range")
    assert len(ranges) == int(dom.charts["latest-tiltaksgruppe"]["data-ranges"]) == hidden
    assert all((r["data-min"], r["data-max"]) == ("1", "3") for r in ranges)
    order = [b["data-key"] for b in bars]
    groups = list(dict.fromkeys(order))
    totals = {k: lo + hi for k, _, lo, hi, _ in sums(build, "tiltaksgruppe", "tiltaksgruppe_code", f"month = {LATEST}")}
    assert groups == sorted(groups, key=lambda k: -totals[k])

    # fylker, largest first; a sum with suppressed cells drawn as its range and labelled with it
    fylker = sorted(sums(build, "fylke", "fylke_nr", f"month = {LATEST}"), key=lambda row: -(row[2] + row[3]))
    assert bar_values(dom, "latest-fylke") == [(k, lo, hi) for k, _, lo, hi, _ in fylker]
    with_hidden = [row for row in fylker if row[4]]
    assert with_hidden, "January 2026 has suppressed fylke cells (Svalbard)"
    ranges = dom.of("latest-fylke", "rect", "range")
    assert [(r["data-key"], int(r["data-min"]), int(r["data-max"])) for r in ranges] == [
        (k, lo, hi) for k, _, lo, hi, _ in with_hidden
    ]
    assert "2–6 (2 suppressed cells)" in dom_text(page, chromium, tmp_path)  # Svalbard, both status cells hidden

    if months == 1:
        return
    breaks = one(
        build,
        "select count(distinct month) from audit.fct_participants"
        " where is_series_break_month and month > (select min(month) from audit.fct_participants)",
    )
    assert breaks == 1
    by_tiltaksgruppe = sums(build, "tiltaksgruppe", "tiltaksgruppe_code")
    keys = [
        k
        for (k,) in build.query(
            "select tiltaksgruppe_code from marts.fct_participants_by_tiltaksgruppe"
            " group by tiltaksgruppe_code order by min(tiltaksgruppe_sort_order), tiltaksgruppe_code"
        )
    ]
    assert_series(dom, "series-tiltaksgruppe", keys, [row[2:] for row in by_tiltaksgruppe], breaks)
    # the status groups and their total: three lines and the total over them, the break marked and labelled
    by_status = build.query(
        "select status_code, month, participants_min, participants_max, is_suppressed::int"
        " from marts.fct_participants_by_arbeidsmarkedsstatus"
    )
    totals = build.query(
        "select month, sum(participants_min), sum(participants_max), count(*) filter (is_suppressed)"
        " from marts.fct_participants_by_arbeidsmarkedsstatus group by month"
    )
    statuses = ["alle", "arbeidssokere", "nedsatt_arbeidsevne", "andre"]
    assert_series(dom, "series-status", statuses, [r[2:] for r in by_status] + [r[1:] for r in totals], breaks)
    assert dom.of("series-status", "text", "break-label")
    points = {p["data-key"]: [] for p in dom.of("series-status", "circle", "point")}
    for point in dom.of("series-status", "circle", "point"):
        points[point["data-key"]].append(float(point["cy"]))
    assert all(t < s for t, s in zip(points["alle"], points["nedsatt_arbeidsevne"], strict=True))  # above each
    # today's counties: a panel each, across the reform, each on its own scale (not one for all)
    today = build.query(
        "select today.fylke_nr, today.month, today.participants_min, today.participants_max,"
        " (today.participants_min < today.participants_max)::int"
        " from marts.fct_participants_by_fylke_today as today"
    )
    order = [
        row[0]
        for row in build.query(
            "select today.fylke_nr, min(fylker.fylke_sort_order) as sort_order"
            " from marts.fct_participants_by_fylke_today as today"
            " left join marts.dim_fylke as fylker on today.fylke_nr = fylker.fylke_nr"
            " group by today.fylke_nr order by sort_order, today.fylke_nr"
        )
    ]
    assert_series(dom, "series-fylke", order, [r[2:] for r in today], breaks)
    panels = dom.of("series-fylke", "g", "panel")
    assert [p["data-key"] for p in panels] == order and len(panels) == int(dom.charts["series-fylke"]["data-panels"])
    assert len(panels) >= 15 and "30" not in order  # today's counties: no Viken
    largest = {k: max(hi for key, _, _, hi, _ in today if key == k) for k in order}
    assert all(largest[p["data-key"]] <= int(p["data-scale-max"]) < 2.5 * largest[p["data-key"]] + 10 for p in panels)
    assert len({p["data-scale-max"] for p in panels}) > 3  # scales of their own
    assert len(dom.of("series-fylke", "line", "break")) == len(panels) * breaks
    # measure groups and statuses: each line labelled at its end, no two labels overlapping, none below the plot
    for name in ("series-tiltaksgruppe", "series-status"):
        labels = dom.of(name, "text", "direct-label")
        assert sorted(d["data-key"] for d in labels) == sorted(p["data-key"] for p in dom.of(name, "path", "series"))
        ys = sorted(float(d["y"]) for d in labels)
        assert all(b - a >= 12.9 for a, b in itertools.pairwise(ys)), f"{name}: direct labels overlap"
    assert html.count('class="note break-note"') == 3 * breaks


def assert_series(dom: Dom, name: str, keys: list[str], values: list[tuple], breaks: int) -> None:
    """A line chart's series in order; a dot per exact month, a stroke per month with a range; the break marked.
    `values`: (min, max, suppressed) of every series-month the chart should draw."""
    chart = dom.charts[name]
    assert [p["data-key"] for p in dom.of(name, "path", "series")] == keys, name
    assert int(chart["data-series"]) == len(keys)
    dots, strokes = dom.of(name, "circle", "point"), dom.of(name, "line", "range")
    assert len(dots) == int(chart["data-points"]) == sum(1 for v in values if not v[2]), name
    assert len(strokes) == int(chart["data-ranges"]) == sum(1 for v in values if v[2]), name
    assert any("L" in p["d"] for p in dom.of(name, "path", "series"))
    assert int(chart["data-breaks"]) == breaks
    assert {m["data-month"] for m in dom.of(name, "line", "break")} == {"2025-04-01"}


def dom_text(page: Path, chromium: str, tmp_path: Path) -> str:
    """The rendered page's text (labels drawn by the script included)."""
    dump = browse(chromium, page, tmp_path / "profile-text", "--dump-dom").stdout
    return re.sub(r"<[^>]+>", " ", dump)


def test_screenshot(year_build: Build, chromium: str, tmp_path: Path) -> None:
    """A picture to look at (REPORT_SCREENSHOT=path keeps it); here only: it renders, and is not blank."""
    page = tmp_path / "report.html"
    render(year_build, page)
    png = Path(os.environ.get("REPORT_SCREENSHOT") or tmp_path / "report.png")
    browse(chromium, page, tmp_path / "profile", f"--screenshot={png}", "--window-size=1400,3000")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 50_000
