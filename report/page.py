"""Render the collected data as one self-contained HTML page (inline CSS, JSON and script)."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from string import Template

from report.data import Record

HERE = Path(__file__).parent


def embed_json(data: Record) -> str:
    """JSON safe inside a <script> element: no `</` can close it."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def break_note(data: Record) -> str:
    """One sentence under a time-series chart (whose lines sum the status groups), only for a break in range."""
    notes = []
    for item in data["breaks"]:
        groups = " and ".join(f"«{name}»" for name in item["statuses"])
        notes.append(
            f"Dashed line: NAV's series break in {item['name']} for {groups}: from then participants answer "
            "themselves whether they are job seekers, and many moved from the first group to the second (a move "
            "between groups alone cancels out in these lines, which sum all status groups)."
        )
    return "".join(f'<p class="note break-note">{escape(note)}</p>' for note in notes)


def single_month_note(data: Record) -> str:
    if len(data["months"]) > 1:
        return ""
    return '<p class="note">Only one month is loaded, so each series is a single point.</p>'


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
        script=(HERE / "chart.js").read_text(encoding="utf-8"),
        data=embed_json(data),
        break_note=break_note(data),
        single_month=single_month_note(data),
        grand_total=grand_total(data),
    )
