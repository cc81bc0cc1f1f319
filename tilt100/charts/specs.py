"""The page's charts as Vega-Lite specifications, built with Altair from the collected data.

Every mark says what it shows in words (its ARIA label and tooltip, the `description`
channel): "Lønnstilskudd (Wage subsidy), Arbeidssøkere: 1 234", or for a sum with
suppressed cells "… : 1 232–1 238 (2 suppressed cells)". A suppressed cell is never
imputed: bars stop at the least a value can be and a light bar runs on to the most;
lines run through exact months only, and a month with a range is a vertical stroke.
Marks are named (`bars`, `ranges`, `lines`, `points`, `breaks`, `labels`, …), so each
kind is found in the drawn page by its name (Vega gives its group the class `<name>_marks`).
"""

from __future__ import annotations

import itertools
import json
import math
from datetime import date, timedelta
from typing import Any

import altair as alt

from tilt100.charts.data import Record

PEOPLE = "Participants (people on a measure in the month)"
STATUS_COLORS = ["#0067c5", "#d47b00", "#06893a"]
TOTAL_COLOR = "#262626"
PALETTE = ["#0067c5", "#d47b00", "#06893a", "#c30000", "#8269a2", "#8c5a3c", "#d6569e", "#5f6b77", "#a2a300", "#00a3b4"]
BAR_WIDTH = 560
PLOT = {"width": 600, "height": 380}
PANEL = {"width": 190, "height": 90}
LABEL_GAP = 13  # pixels between two line-end labels: none overlaps another
Spec = dict[str, Any]


def fmt(n: int) -> str:
    """1234 -> "1 234" (a narrow no-break space between thousands, as the page prints figures)."""
    return f"{n:,}".replace(",", "\u202f")


def cells(n: int) -> str:
    return f"{n} suppressed cell{'' if n == 1 else 's'}"


def value_text(v: Record) -> str:
    """ "1 234", or "1 232–1 238 (2 suppressed cells)": the range a sum with suppressed cells can be."""
    if not v["suppressed"]:
        return fmt(v["min"])
    return f"{fmt(v['min'])}–{fmt(v['max'])} ({cells(v['suppressed'])})"


def label(item: Record) -> str:
    """ "Lønnstilskudd (Wage subsidy)": Norwegian as printed, English beside it where it differs."""
    no, en = item["label_no"], item.get("label_en")
    return f"{no} ({en})" if en and en != no else no


def axis_label(item: Record) -> str:
    """A category's axis label: Norwegian, English on the line under it (split at "|" by LABEL_LINES)."""
    no, en = item["label_no"], item.get("label_en")
    return f"{no}|{en}" if en and en != no else no


LABEL_LINES = "split(datum.label, '|')"


def nice_max(top: int) -> int:
    """The axis' end: at least `top`, a step of 1, 2 or 5 times a power of ten taken five times or so."""
    raw = max(top, 1) / 5
    power = 10 ** math.floor(math.log10(raw))
    step = max(1, next(s for s in (m * power for m in (1, 2, 5, 10)) if s >= raw))
    return int(math.ceil(max(top, 1) / step) * step)


def bar_row(item: Record, value: Record, *, status: str = "n", status_label: str = "", text: str = "") -> Record:
    what = label(item) + (f", {status_label}" if status_label else "")
    return {
        "key": item["key"],
        "category": axis_label(item),
        "status": status,
        "min": value["min"],
        "max": value["max"],
        "suppressed": value["suppressed"],
        "text": text or value_text(value),
        "description": f"{what}: {value_text(value)}",
    }


def bars(rows: list[Record], *, colors: dict[str, str], names: dict[str, str] | None = None) -> Spec:
    """Horizontal bars, one row per category in the rows' order; where `names` names the statuses (code:
    label), a bar per status within a row, in that order, and a legend that says which is which."""
    offset = list(names or {})
    order = list(dict.fromkeys(row["category"] for row in rows))
    domain = list(colors)
    legend = alt.Legend(title=None, orient="top", labelExpr=f"{json.dumps(names)}[datum.label]") if offset else None
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("category:N", sort=order, title=None, axis=alt.Axis(labelExpr=LABEL_LINES, labelLimit=320)),
        color=alt.Color(
            "status:N", scale=alt.Scale(domain=domain, range=list(colors.values())), legend=legend, sort=domain
        ),
        tooltip=alt.Tooltip("description:N"),
        description=alt.Description("description:N"),
    )
    if offset:
        base = base.encode(yOffset=alt.YOffset("status:N", sort=offset, scale=alt.Scale(domain=offset)))
    x = alt.X("min:Q", title=PEOPLE)
    layers = [
        base.mark_bar().encode(x=x).properties(name="bars"),
        base.transform_filter("datum.suppressed > 0")
        .mark_bar(opacity=0.35)
        .encode(x=x, x2="max:Q")
        .properties(name="ranges"),
        base.mark_text(align="left", dx=5, color="#666").encode(x="max:Q", text="text:N").properties(name="values"),
    ]
    step = 16 if offset else 30  # with an offset, the step is each bar's
    return alt.layer(*layers).properties(width=BAR_WIDTH, height=alt.Step(step)).to_dict()


def status_totals(data: Record, colors: dict[str, str]) -> Spec:
    """The latest month's status groups, largest first, with each one's share of the grand total."""
    total = data["grand_total"]

    def share(v: Record) -> str:
        if total and not v["suppressed"]:
            return f"{fmt(v['min'])}  ({100 * v['min'] / total:.1f} %)"
        return value_text(v)

    statuses = sorted(data["statuses"], key=lambda s: -s["value"]["max"])
    rows = [bar_row(s, s["value"], status=s["key"], text=share(s["value"])) for s in statuses]
    return bars(rows, colors=colors)


def latest_tiltaksgruppe(data: Record, colors: dict[str, str]) -> Spec:
    """Measure groups (largest first) by status group: a bar per printed cell, none where a status has no row."""
    names = {s["key"]: s["label_no"] for s in data["statuses"]}
    rows = [
        bar_row(group, group["values"][status], status=status, status_label=names[status])
        for group in data["latest_tiltaksgruppe"]
        for status in data["status_order"]
        if status in group["values"]
    ]
    return bars(rows, colors={code: colors[code] for code in data["status_order"]}, names=names)


def latest_fylke(data: Record) -> Spec:
    """Counties, largest first, all status groups summed."""
    return bars([bar_row(f, f["value"]) for f in data["latest_fylke"]], colors={"n": STATUS_COLORS[0]})


def series_rows(data: Record, series: list[Record], panel: dict[str, str] | None = None) -> list[Record]:
    """One row per series and month with a value: `y` is the figure where exact (the line runs through it) and
    null where it is a range (the line breaks; a stroke shows the range)."""
    breaks = {item["month"]: item for item in data["breaks"]}
    rows = []
    for s in series:
        for i, v in enumerate(s["values"]):
            if v is None:
                continue
            month = data["months"][i]
            rows.append(
                {
                    "key": s["key"],
                    "series": label(s),
                    "panel": (panel or {}).get(s["key"], ""),
                    "month": month,
                    "y": None if v["suppressed"] else v["min"],
                    "min": v["min"],
                    "max": v["max"],
                    "suppressed": v["suppressed"],
                    "break_at": between(month) if month in breaks else None,
                    "break_text": break_text(breaks[month]) if month in breaks else None,
                    "description": f"{label(s)}, {data['month_names'][i]}: {value_text(v)}",
                }
            )
    return rows


def break_text(item: Record) -> str:
    return f"Series break, {item['name']}"


def between(month: str) -> str:
    """The middle of the month before `month` and `month` itself: where a series break is drawn."""
    first = date.fromisoformat(month)
    before = (first - timedelta(days=1)).replace(day=1)
    return (before + (first - before) / 2).isoformat()


def month_axis(data: Record, every: int) -> alt.X:
    return alt.X(
        "month:T",
        title="Month",
        axis=alt.Axis(format="%b %Y", tickCount={"interval": "month", "step": every}, labelAngle=0, grid=False),
        scale=alt.Scale(domain=[data["months"][0], data["months"][-1]]),
    )


def line_layers(x: alt.X, y: alt.Y, color: alt.Color) -> list[alt.Chart]:
    """A series' marks: its line through the exact months, a dot on each, a stroke from least to most on a
    month whose value has suppressed cells."""
    base = alt.Chart().encode(x=x, color=color, description=alt.Description("description:N"))
    return [
        base.mark_line(strokeWidth=2)
        .encode(y=y, detail="key:N", description=alt.Description("series:N"))
        .properties(name="lines"),
        base.transform_filter("datum.suppressed == 0")
        .mark_circle(size=36, opacity=1)
        .encode(y=y, tooltip=alt.Tooltip("description:N"))
        .properties(name="points"),
        base.transform_filter("datum.suppressed > 0")
        .mark_rule(strokeWidth=3, opacity=0.55)
        .encode(y=alt.Y("min:Q"), y2="max:Q", tooltip=alt.Tooltip("description:N"))
        .properties(name="ranges"),
    ]


def end_labels(data: Record, series: list[Record], top: int) -> list[Record]:
    """Each series' name at its last month, pushed apart so that none overlaps another (LABEL_GAP pixels) and
    back up from the foot of the plot where the pushing ran past it."""
    per_pixel = top / PLOT["height"]
    ends = []
    for s in series:
        last = max((i for i, v in enumerate(s["values"]) if v is not None), default=None)
        if last is not None:
            v = s["values"][last]
            ends.append(
                {
                    "key": s["key"],
                    "text": s["label_no"],
                    "description": label(s),
                    "month": data["months"][last],
                    "value": (v["min"] + v["max"]) / 2,
                }
            )
    ends.sort(key=lambda e: -e["value"])
    gap = LABEL_GAP * per_pixel
    placed: list[float] = []
    for end in ends:
        placed.append(min(end["value"], placed[-1] - gap) if placed else end["value"])
    for k in range(len(placed) - 1, -1, -1):
        floor = placed[k + 1] + gap if k + 1 < len(placed) else 0
        placed[k] = max(placed[k], floor)
    return [end | {"label_y": y} for end, y in zip(ends, placed, strict=True)]


def lines(data: Record, series: list[Record], colors: dict[str, str]) -> Spec:
    """Lines over the months, each named at its end (no legend to match colours against); the series break
    a dashed rule, labelled."""
    top = nice_max(max((v["max"] for s in series for v in s["values"] if v), default=0))
    x = month_axis(data, max(1, math.ceil(len(data["months"]) / 6)))
    y = alt.Y("y:Q", title=PEOPLE, scale=alt.Scale(domain=[0, top], nice=False))
    color = alt.Color("key:N", scale=alt.Scale(domain=list(colors), range=list(colors.values())), legend=None)
    rows = series_rows(data, series)
    breaks = [{"at": between(item["month"]), "text": break_text(item)} for item in data["breaks"]]
    labels = alt.Chart(alt.Data(values=end_labels(data, series, top))).encode(
        x=alt.X("month:T"), color=color, description=alt.Description("description:N")
    )
    layers = [
        *(layer.properties(data=alt.Data(values=rows)) for layer in line_layers(x, y, color)),
        alt.Chart(alt.Data(values=breaks))
        .mark_rule(strokeDash=[6, 4], color="#444", strokeWidth=1.5)
        .encode(x="at:T", description=alt.Description("text:N"))
        .properties(name="breaks"),
        alt.Chart(alt.Data(values=breaks))
        .mark_text(align="left", dx=5, baseline="top", fontWeight="bold", color="#23262a")
        .encode(x="at:T", y=alt.value(2), text="text:N", description=alt.Description("text:N"))
        .properties(name="break_labels"),
        labels.mark_rule(strokeWidth=0.8, opacity=0.5, xOffset=4, x2Offset=14)
        .encode(y="value:Q", y2="label_y:Q", x2=alt.X2("month:T"))
        .properties(name="leaders"),
        labels.mark_text(align="left", dx=18, fontWeight="bold")
        .encode(y="label_y:Q", text="text:N", tooltip=alt.Tooltip("description:N"))
        .properties(name="labels"),
    ]
    return alt.layer(*layers).properties(**PLOT).to_dict()


def panels(data: Record, series: list[Record]) -> Spec:
    """Small multiples: a panel per series in the report's order, each on its own scale from 0 (a small
    county's changes show as clearly as a large one's: compare sizes by the figures beside the names)."""
    titles = {}
    for s in series:
        latest = s["values"][-1]
        figure = f"  {value_text(latest).split(' (')[0]}{' *' if latest['suppressed'] else ''}" if latest else ""
        titles[s["key"]] = s["label_no"].split(" - ")[0] + figure
    x = month_axis(data, len(data["months"]))
    y = alt.Y("y:Q", title=None, scale=alt.Scale(zero=True), axis=alt.Axis(tickCount=3))
    color = alt.Color("key:N", scale=alt.Scale(range=[PALETTE[0]]), legend=None)
    breaks = (
        alt.Chart()
        .transform_filter("datum.break_at != null")
        .mark_rule(strokeDash=[6, 4], color="#444", strokeWidth=1.5)
        .encode(x="break_at:T", description=alt.Description("break_text:N"))
        .properties(name="breaks")
    )
    panel = alt.layer(breaks, *line_layers(x, y, color)).properties(**PANEL)
    order = [titles[s["key"]] for s in series]
    chart = panel.facet(
        facet=alt.Facet("panel:N", sort=order, title=f"{PEOPLE}, each panel its own scale"),
        columns=4,
        data=alt.Data(values=series_rows(data, series, titles)),
    ).resolve_scale(y="independent")
    return chart.to_dict()


def specs(data: Record) -> dict[str, Spec]:
    """Every chart of the page by its name; the series only where there are two months or more."""
    status_colors = dict(zip(data["status_order"], STATUS_COLORS, strict=False))
    charts = {
        "status-totals": status_totals(data, status_colors),
        "latest-tiltaksgruppe": latest_tiltaksgruppe(data, status_colors),
        "latest-fylke": latest_fylke(data),
    }
    if len(data["months"]) > 1:
        by_status = {"alle": TOTAL_COLOR} | status_colors
        others = [s["key"] for s in data["series_tiltaksgruppe"]]
        charts |= {
            "series-status": lines(data, data["series_status"], by_status),
            "series-tiltaksgruppe": lines(
                data,
                data["series_tiltaksgruppe"],
                dict(zip(others, itertools.cycle(PALETTE), strict=False)),
            ),
            "series-fylke": panels(data, data["series_fylke_today"]),
        }
    return charts
