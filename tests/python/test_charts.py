"""`tilt100 charts`: one self-contained HTML page whose charts (Vega-Lite, drawn by Vega as SVG) draw in
headless Chromium with no network, and show the marts' figures.

Two warehouses: January 2026 alone (one month: sorted bar charts, no lines) and the
synthetic year 2025 plus January 2026 (thirteen months: lines too, April 2025's series
break inside the range). The expected figures come from the marts, by SQL; the drawn ones
from the page as Chromium leaves it: every mark says what it shows in its ARIA label.
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
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest

from tests.python.helpers import ROOT, Build
from tooling.corpus.html import CHROMIUM_FLAGS

BAR_CHARTS = {"status-totals", "latest-tiltaksgruppe", "latest-fylke"}
SERIES_CHARTS = {"series-status", "series-tiltaksgruppe", "series-fylke"}
LATEST = "(select max(month) from audit.fct_participants)"
PEOPLE = "Participants (people on a measure in the month)"


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
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node] = field(default_factory=list)
    text: str = ""

    def walk(self) -> list[Node]:
        return [self, *(n for child in self.children for n in child.walk())]

    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def marks(self, name: str) -> list[Node]:
        """The drawn items of the marks named `name` (Vega's group class `<name>_marks`), in drawing order."""
        return [
            item
            for group in self.walk()
            if f"{name}_marks" in group.classes()
            for item in group.children
            if item.attrs.get("role") == "graphics-symbol"
        ]

    def at(self) -> tuple[float, float]:
        """Where an item is drawn (x, y): its translate, or else where its path starts."""
        place = re.search(r"translate\(([-\d.]+),([-\d.]+)\)", self.attrs.get("transform", "")) or re.match(
            r"M([-\d.]+),([-\d.]+)", self.attrs.get("d", "")
        )
        assert place, self.attrs
        return float(place[1]), float(place[2])

    def x(self) -> float:
        return self.at()[0]

    def y(self) -> float:
        return self.at()[1]

    def label(self) -> str:
        return self.attrs.get("aria-label", "")


class Tree(HTMLParser):
    """The page as Chromium left it, as a tree."""

    VOID: ClassVar = {"meta", "br", "img", "input", "link", "hr"}

    def __init__(self) -> None:
        super().__init__()
        self.root = Node("document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].text += data

    def charts(self) -> dict[str, Node]:
        return {n.attrs["data-chart"]: n for n in self.root.walk() if "chart" in n.classes() and n.tag == "div"}


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


def drawn(chromium: str, page: Path, tmp_path: Path) -> Tree:
    tree = Tree()
    tree.feed(browse(chromium, page, tmp_path / "profile", "--dump-dom").stdout)
    return tree


def requests_of_the_page(chromium: str, page: Path, tmp_path: Path) -> list[str]:
    """Every URL the page asked for as Chromium opened it (its network log; Chromium's own requests, which
    are not the page's, have another isolation key than file://)."""
    log = tmp_path / f"{page.stem}.netlog.json"
    browse(chromium, page, tmp_path / f"profile-{page.stem}", f"--log-net-log={log}", "--dump-dom")
    events = json.loads(log.read_text(encoding="utf-8"))["events"]
    return sorted(
        {
            e["params"]["url"]
            for e in events
            if "url" in e.get("params", {}) and e["params"].get("network_isolation_key", "").startswith("file://")
        }
    )


def one(build: Build, sql: str) -> int:
    return build.query(sql)[0][0]


def figure(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def named(no: str, en: str | None) -> str:
    return f"{no} ({en})" if en and en != no else no


def test_page_is_self_contained(build: Build, chromium: str, tmp_path: Path) -> None:
    """The page asks for nothing: Chromium's network log of it is empty; the same page with one remote image
    is not (the check sees a request)."""
    page = tmp_path / "report.html"
    html = render(build, page)
    markup = re.sub(r"(<script\b[^>]*>).*?</script>", r"\1", html, flags=re.S)  # the page without its scripts' text
    assert not re.search(r"<script[^>]*\bsrc=|<link\b|<img\b|<iframe\b|@import|url\(", markup, re.IGNORECASE)
    assert requests_of_the_page(chromium, page, tmp_path) == []
    remote = tmp_path / "remote.html"
    remote.write_text(html.replace("<footer>", '<footer><img src="https://example.org/logo.png">'), encoding="utf-8")
    assert requests_of_the_page(chromium, remote, tmp_path) == ["https://example.org/logo.png"]
    specs = json.loads(re.search(r'<script type="application/json" id="chart-specs">(.*?)</script>', html, re.S)[1])
    latest = one(build, f"select strftime({LATEST}, '%B %Y')")
    assert f"{latest}: participants by measure group" in html
    assert all(spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6") for spec in specs.values())


def sums(build: Build, dimension: str, code: str, where: str = "true") -> list[tuple]:
    """Per category and month, over the status groups: (key, month, min, max, suppressed cells)."""
    return build.query(
        f"select {code}, month, sum(participants_min), sum(participants_max), count(*) filter (is_suppressed)"
        f" from marts.fct_participants_by_{dimension} where {where} group by all"
    )


def in_order(items: list[Node]) -> list[str]:
    """The labels of drawn items top down."""
    return [item.label() for item in sorted(items, key=Node.y)]


def value(lo: int, hi: int, hidden: int) -> str:
    return figure(lo) if not hidden else f"{figure(lo)}–{figure(hi)} ({hidden} suppressed cell{'s' * (hidden > 1)})"


def test_charts_draw_in_headless_chromium(chromium: str, build: Build, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    html = render(build, page)
    charts = drawn(chromium, page, tmp_path).charts()
    months = one(build, "select count(distinct month) from audit.fct_participants")
    # one month: bars only (a line of one point is a dot); several: lines as well
    assert set(charts) == (BAR_CHARTS if months == 1 else BAR_CHARTS | SERIES_CHARTS)
    assert ('<p class="note single-month">Only ' in html) == (months == 1)
    for name, chart in charts.items():
        assert chart.attrs.get("data-drawn") == "true", (name, chart.attrs.get("data-error"))
        # every chart says what its axes are, and in what unit
        assert any(PEOPLE in n.text for n in chart.walk() if n.tag == "text"), name

    # the latest month's status groups, largest first, each with its share of the grand total
    statuses = build.query(
        "select status_label_no, status_label_en, participants from marts.fct_participants_by_arbeidsmarkedsstatus"
        f" where month = {LATEST} order by participants desc"
    )
    bars = charts["status-totals"].marks("bars")
    assert in_order(bars) == [f"{named(no, en)}: {figure(n)}" for no, en, n in statuses]
    total = one(
        build, f"select sum(participants) from marts.fct_participants_by_arbeidsmarkedsstatus where month = {LATEST}"
    )
    shares = [n.text for n in sorted(charts["status-totals"].marks("values"), key=Node.y)]
    assert shares == [f"{figure(n)}  ({100 * n / total:.1f} %)" for _, _, n in statuses]

    # measure groups by status group: a bar per printed cell, groups largest first, a suppressed cell as its range
    cells = build.query(
        "select tiltaksgruppe_code, tiltaksgruppe_label_no, tiltaksgruppe_label_en, status_label_no,"
        " participants_min, participants_max, is_suppressed::int"
        f" from marts.fct_participants_by_tiltaksgruppe where month = {LATEST}"
    )
    totals = {k: lo + hi for k, _, lo, hi, _ in sums(build, "tiltaksgruppe", "tiltaksgruppe_code", f"month = {LATEST}")}
    names = {named(no, en): k for k, no, en, *_ in cells}
    chart = charts["latest-tiltaksgruppe"]
    expected = {f"{named(no, en)}, {status}: {value(lo, hi, h)}" for _, no, en, status, lo, hi, h in cells}
    assert sorted(b.label() for b in chart.marks("bars")) == sorted(expected)
    ranges = [f"{named(no, en)}, {status}: 1–3 (1 suppressed cell)" for _, no, en, status, _, _, h in cells if h]
    assert sorted(r.label() for r in chart.marks("ranges")) == sorted(ranges)
    groups = list(dict.fromkeys(names[label.rsplit(", ", 2)[0]] for label in in_order(chart.marks("bars"))))
    assert groups == sorted(totals, key=lambda k: -totals[k])

    # fylker, largest first; a sum with suppressed cells drawn as its range and labelled with it
    labels = {
        k: named(no, en)
        for k, no, en in build.query(
            "select distinct fylke_nr, fylke_label_no, fylke_label_en"
            f" from marts.fct_participants_by_fylke where month = {LATEST}"
        )
    }
    fylker = sorted(sums(build, "fylke", "fylke_nr", f"month = {LATEST}"), key=lambda row: -(row[2] + row[3]))
    chart = charts["latest-fylke"]
    assert in_order(chart.marks("bars")) == [f"{labels[k]}: {value(lo, hi, h)}" for k, _, lo, hi, h in fylker]
    with_hidden = [f"{labels[k]}: {value(lo, hi, h)}" for k, _, lo, hi, h in fylker if h]
    assert with_hidden, "January 2026 has suppressed fylke cells (Svalbard)"
    assert in_order(chart.marks("ranges")) == with_hidden
    assert any(label.endswith(": 2–6 (2 suppressed cells)") for label in with_hidden)  # Svalbard, both cells hidden

    if months == 1:
        return
    assert_series_charts(build, charts)
    assert html.count('class="note break-note"') == 3


def month_name(month: date) -> str:
    return month.strftime("%B %Y")


def assert_series_charts(build: Build, charts: dict[str, Node]) -> None:
    """The lines of thirteen months: a dot per exact month, a stroke per month with a range, April 2025's break."""
    breaks = one(
        build,
        "select count(distinct month) from audit.fct_participants"
        " where is_series_break_month and month > (select min(month) from audit.fct_participants)",
    )
    assert breaks == 1
    tiltaksgrupper = build.query(
        "select tiltaksgruppe_label_no, tiltaksgruppe_label_en, month, sum(participants_min), sum(participants_max),"
        " count(*) filter (is_suppressed) from marts.fct_participants_by_tiltaksgruppe group by all"
    )
    assert_series(charts["series-tiltaksgruppe"], tiltaksgrupper)
    # the status groups and their total: three lines and the total over them, the break marked and labelled
    statuses = build.query(
        "select status_label_no, status_label_en, month, participants_min, participants_max, is_suppressed::int"
        " from marts.fct_participants_by_arbeidsmarkedsstatus"
        " union all select 'I alt', 'All status groups', month, sum(participants_min), sum(participants_max),"
        " count(*) filter (is_suppressed) from marts.fct_participants_by_arbeidsmarkedsstatus group by month"
    )
    chart = charts["series-status"]
    assert_series(chart, statuses)
    assert [t.text for t in chart.marks("break_labels")] == ["Series break, April 2025"]
    points = {p.label().rsplit(": ", 1)[0]: p.y() for p in chart.marks("points")}
    nedsatt = "Nedsatt arbeidsevne, på tiltak (Reduced work capacity, on a measure)"
    above = [points[f"I alt (All status groups), {m}"] < points[f"{nedsatt}, {m}"] for m in month_names(statuses)]
    assert above and all(above)  # the total over each group, every month
    for name in ("series-tiltaksgruppe", "series-status"):
        # each line named at its end, no two names overlapping, none below the plot
        labels = charts[name].marks("labels")
        assert sorted(t.label() for t in labels) == sorted(line.label() for line in charts[name].marks("lines"))
        ys = sorted(t.y() for t in labels)
        assert all(b - a >= 12.9 for a, b in itertools.pairwise(ys)), f"{name}: names at the line ends overlap"
        assert ys[-1] <= 380 + 4

    # today's counties: a panel each across the reform, in the report's order, each on its own scale from 0
    today = build.query(
        "select today.fylke_label_no, today.month,"
        " today.participants_min, today.participants_max,"
        " case when today.participants_min = today.participants_max then 0 else today.suppressed_cells end"
        " from marts.fct_participants_by_fylke_today as today"
        " left join marts.dim_fylke as fylker on today.fylke_nr = fylker.fylke_nr"
        " order by fylker.fylke_sort_order, today.fylke_nr, today.month"
    )
    chart = charts["series-fylke"]
    assert_series(chart, [(name, None, *rest) for name, *rest in today])
    panels = panels_of(chart)
    order = list(dict.fromkeys(row[0] for row in today))
    assert [{line.label() for line in panel.marks("lines")} for panel in panels] == [{name} for name in order]
    assert len(panels) >= 15 and not any(name.startswith("Viken") for name in order)  # today's counties
    scales = [axis_max(panel) for panel in panels]
    largest = [max(hi for name, _, _, hi, _ in today if name == n) for n in order]
    assert all(top <= scale < 2.5 * top + 10 for top, scale in zip(largest, scales, strict=True)), scales
    assert len(set(scales)) > 3  # scales of their own
    assert all(len(panel.marks("breaks")) == 1 for panel in panels)
    for panel in panels:
        assert_break_between_march_and_april(panel)


def panels_of(chart: Node) -> list[Node]:
    """Small multiples' panels in order: the groups in Vega's mark group of facet cells."""
    return [panel for group in chart.walk() if "cell" in group.classes() for panel in group.children]


def month_names(rows: list[tuple]) -> list[str]:
    return sorted({month_name(row[2]) for row in rows})


def axis_max(panel: Node) -> int:
    """The top of a panel's y scale, as its axis reads it out ("… values from 0 to 10 000")."""
    axis = next(n for n in panel.walk() if n.label().startswith("Y-axis"))
    return int(re.search(r"from 0 to ([\d\u202f]+)", axis.label())[1].replace("\u202f", ""))


def assert_series(chart: Node, rows: list[tuple]) -> None:
    """A line chart's series: a line each, a dot for every exact month, a stroke for every month with a range
    (`rows`: label_no, label_en, month, min, max, suppressed cells), and the break between March and April 2025."""
    series = sorted({named(no, en) for no, en, *_ in rows})
    assert sorted(line.label() for line in chart.marks("lines")) == series
    assert any("L" in line.attrs["d"] for line in chart.marks("lines"))  # (a series of ranges alone has none)
    dots = sorted(f"{named(no, en)}, {month_name(m)}: {figure(lo)}" for no, en, m, lo, _, h in rows if not h)
    assert sorted(p.label() for p in chart.marks("points")) == dots
    strokes = sorted(f"{named(no, en)}, {month_name(m)}: {value(lo, hi, h)}" for no, en, m, lo, hi, h in rows if h)
    assert sorted(r.label() for r in chart.marks("ranges")) == strokes
    assert {b.label() for b in chart.marks("breaks")} == {"Series break, April 2025"}
    if not panels_of(chart):  # panels: each in its own frame, checked apart
        assert_break_between_march_and_april(chart)


def assert_break_between_march_and_april(scope: Node) -> None:
    """The break's rule is drawn between the marks of March and of April 2025 (one frame of x)."""
    (rule,) = scope.marks("breaks")
    months = scope.marks("points") + scope.marks("ranges")
    march = {round(p.x(), 3) for p in months if "March 2025" in p.label()}
    april = {round(p.x(), 3) for p in months if "April 2025" in p.label()}
    assert len(march) == len(april) == 1, (march, april)
    assert min(march) < rule.x() < min(april)


def test_screenshot(year_build: Build, chromium: str, tmp_path: Path) -> None:
    """A picture to look at (REPORT_SCREENSHOT=path keeps it); here only: it renders, and is not blank."""
    page = tmp_path / "report.html"
    render(year_build, page)
    png = Path(os.environ.get("REPORT_SCREENSHOT") or tmp_path / "report.png")
    browse(chromium, page, tmp_path / "profile", f"--screenshot={png}", "--window-size=1400,3000")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 50_000
