"""Render the collected data as one self-contained HTML page: inline CSS, the charts' Vega-Lite specifications
as JSON, and Vega, Vega-Lite and Vega-Embed themselves (vl-convert's bundle of them), so it draws offline."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from string import Template

import altair
import vl_convert

from tilt100.charts.data import Record
from tilt100.charts.specs import specs

HERE = Path(__file__).parent

SERIES = """
<section>
  <h2>Participants per month: in all (I alt) and by status group</h2>
  <div class="chart" data-chart="series-status" role="figure"
       aria-label="Participants per month, in all and by status group"></div>
  $status_break_note
</section>

<section>
  <h2>Participants by measure group (tiltaksgruppe) per month, all status groups summed</h2>
  <div class="chart" data-chart="series-tiltaksgruppe" role="figure"
       aria-label="Participants by measure group per month"></div>
  $break_note
</section>

<section>
  <h2>Participants by county (fylke) as it is today, per month, all status groups summed</h2>
  <p class="note">One panel per county of today, in the report's order, each on its own scale from 0 (compare
  sizes by the figures); the figure beside a county's name is its latest month (* a range: suppressed cells in
  it). Months before the 2024 reform count each kommune under the county it lies in today
  (<code>marts.fct_participants_by_fylke_today</code>), so every line runs across the reform.</p>
  <div class="chart" data-chart="series-fylke" role="figure"
       aria-label="Participants by county per month"></div>
  $break_note
</section>
"""

ONE_MONTH = """
<section>
  <p class="note single-month">Only $latest is loaded: the charts over the months appear when the warehouse
  holds two months or more.</p>
</section>
"""


def library() -> str:
    """Vega, Vega-Lite (the version Altair writes its specifications for: v6.4.1 -> "v6_4") and Vega-Embed
    as one script."""
    return vl_convert.javascript_bundle(vl_version="_".join(altair.SCHEMA_VERSION.split(".")[:2]))


def embed_json(data: Record) -> str:
    """JSON safe inside a <script> element: no `</` can close it."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


# What the break means for a chart: its lines sum the status groups, or draw each group and the total.
SUMMED = " (a move between groups alone cancels out in these lines, which sum all status groups)."
BY_STATUS = ". Compare the groups' levels only within one side of the line; the total (I alt) runs on across it."


def break_note(data: Record, meaning: str = SUMMED) -> str:
    """One sentence under a time-series chart, only for a break in range, with what it means for that chart."""
    notes = []
    for item in data["breaks"]:
        groups = " and ".join(f"«{name}»" for name in item["statuses"])
        notes.append(
            f"Dashed line: NAV's series break in {item['name']} for {groups}: from then participants answer "
            f"themselves whether they are job seekers, and many moved from the first group to the second{meaning}"
        )
    return "".join(f'<p class="note break-note">{escape(note)}</p>' for note in notes)


def series_sections(data: Record) -> str:
    """Lines over the months where there are several; one month is the bar charts above."""
    if len(data["months"]) > 1:
        by_status = SERIES.replace("$status_break_note", break_note(data, BY_STATUS))
        return by_status.replace("$break_note", break_note(data))
    return ONE_MONTH.replace("$latest", escape(data["latest_month_name"]))


def period(data: Record) -> str:
    first, last = data["month_names"][0], data["month_names"][-1]
    return first if first == last else f"{first} to {last}"


def grand_total(data: Record) -> str:
    total = data["grand_total"]
    if total is None:
        return "The grand total (I alt) is not published for this month."
    number = f"{total:,}".replace(",", "\u202f")
    return f"In all (I alt): <strong>{number}</strong> participants; the shares below are of this total."


def render(data: Record) -> str:
    template = Template((HERE / "page.html").read_text(encoding="utf-8"))
    return template.substitute(
        latest=escape(data["latest_month_name"]),
        period=escape(period(data)),
        css=(HERE / "page.css").read_text(encoding="utf-8"),
        specs=embed_json(specs(data)),
        library=library(),
        script=(HERE / "embed.js").read_text(encoding="utf-8"),
        series=series_sections(data),
        grand_total=grand_total(data),
    )
