"""Query the marts into the plain data the page embeds as JSON.

Every figure comes from a `fct_participants_by_<dimension>` mart, whose sum within a
month counts people once. A sum is a range: `min` and `max` (equal where no cell in it
is suppressed) and `suppressed`, the number of suppressed cells (1-3 people each) in
it. A suppressed cell is never imputed: the page draws such a sum as its range.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from tilt100.plumbing import NothingAttempted

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

Record = dict[str, Any]


class NoFigures(NothingAttempted):
    """A warehouse built from no report: no month to draw (`write_page` says which file)."""


# What the queries below read: checked before they run (`plumbing.check_built`).
READS = (
    "audit.fct_participants",
    "audit.fct_published_totals",
    "marts.fct_participants_by_arbeidsmarkedsstatus",
    "marts.fct_participants_by_tiltaksgruppe",
    "marts.fct_participants_by_fylke",
    "marts.fct_participants_by_fylke_today",
    "marts.dim_arbeidsmarkedsstatus",
    "marts.dim_fylke",
    "seeds.series_breaks",
)

# dimension -> (its code column, its label prefix) in marts.fct_participants_by_<dimension>
DIMENSIONS = {
    "arbeidsmarkedsstatus": ("status_code", "status"),
    "tiltaksgruppe": ("tiltaksgruppe_code", "tiltaksgruppe"),
    "fylke": ("fylke_nr", "fylke"),
}


STATUSES = """
    select status_code as code, status_label_no as label_no, status_label_en as label_en,
        participants_min as min, participants_max as max, is_suppressed::int as suppressed
    from marts.fct_participants_by_arbeidsmarkedsstatus
    where month = $month
    order by status_sort_order
"""

GRAND_TOTAL = """
    select participants from audit.fct_published_totals
    where status_code = 'alle' and dimension = 'arbeidsmarkedsstatus' and month = $month
"""

# One cell per category and status group in the latest month, in the report's order.
LATEST_CELLS = """
    select {code} as key, {prefix}_label_no as label_no, {prefix}_label_en as label_en, status_code as status,
        participants_min as min, participants_max as max, is_suppressed::int as suppressed
    from marts.fct_participants_by_{dimension}
    where month = $month
    order by {prefix}_sort_order, {code}, status_sort_order
"""

# Per category and month, summed over the status groups: a range where a cell is suppressed.
SUMS = """
    select
        {code} as key,
        arg_max({prefix}_label_no, month) as label_no,
        arg_max({prefix}_label_en, month) as label_en,
        min({prefix}_sort_order) as sort_order,
        month,
        sum(participants_min) as min,
        sum(participants_max) as max,
        count(*) filter (where is_suppressed) as suppressed
    from marts.fct_participants_by_{dimension}
    group by {code}, month
    order by sort_order, key, month
"""

# The status groups summed per month: the people on a measure (a range where a group is suppressed).
STATUS_TOTAL = """
    select
        'alle' as key,
        'I alt' as label_no,
        'All status groups' as label_en,
        month,
        sum(participants_min) as min,
        sum(participants_max) as max,
        count(*) filter (where is_suppressed) as suppressed
    from marts.fct_participants_by_arbeidsmarkedsstatus
    group by month
    order by month
"""

# Today's counties per month (2023's summed from their kommuner into today's); a figure is exact where the
# kommune sum and the county table pin it to one number, else the range the suppressed cells leave.
FYLKE_TODAY = """
    select
        today.fylke_nr as key,
        today.fylke_label_no as label_no,
        null as label_en,
        fylker.fylke_sort_order as sort_order,
        today.month,
        today.participants_min as min,
        today.participants_max as max,
        case when today.participants_min = today.participants_max then 0 else today.suppressed_cells end
            as suppressed
    from marts.fct_participants_by_fylke_today as today
    left join marts.dim_fylke as fylker on today.fylke_nr = fylker.fylke_nr
    order by sort_order, key, month
"""

BREAKS = """
    select b.break_month as month, list(d.status_label_no order by d.status_sort_order) as statuses
    from seeds.series_breaks as b
    left join marts.dim_arbeidsmarkedsstatus as d on d.status_code = b.status_code
    where b.dimension is null  -- the charts draw the status groups' series, not the measure types'
    group by b.break_month
    order by b.break_month
"""


def fetch(con: duckdb.DuckDBPyConnection, sql: str, params: Record | None = None) -> list[Record]:
    """Rows of a query as dicts keyed by column name."""
    cursor = con.execute(sql, params or {})
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def month_name(month: date) -> str:
    return f"{MONTH_NAMES[month.month - 1]} {month.year}"


def month_range(first: date, last: date) -> list[date]:
    """Every month from first to last, so a month no report printed is a gap on the axis."""
    months, month = [], first
    while month <= last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def value(row: Record) -> Record:
    """A figure or a sum as its range: min == max where nothing in it is suppressed."""
    return {"min": int(row["min"]), "max": int(row["max"]), "suppressed": int(row["suppressed"])}


def label(row: Record) -> Record:
    return {"key": row["key"], "label_no": row["label_no"] or row["key"], "label_en": row["label_en"]}


def latest_cells(con: duckdb.DuckDBPyConnection, dimension: str, month: date) -> list[Record]:
    """Categories with their value per status group (absent where not printed), largest sum first."""
    code, prefix = DIMENSIONS[dimension]
    groups: dict[str, Record] = {}
    for row in fetch(con, LATEST_CELLS.format(code=code, prefix=prefix, dimension=dimension), {"month": month}):
        group = groups.setdefault(row["key"], label(row) | {"values": {}})
        group["values"][row["status"]] = value(row)
    return sorted(groups.values(), key=lambda g: -sum(v["min"] + v["max"] for v in g["values"].values()))


def sums(con: duckdb.DuckDBPyConnection, dimension: str, months: list[date]) -> list[Record]:
    """One series per category in the report's order: its sum over the status groups for every month of the axis
    (null where no report printed the month)."""
    code, prefix = DIMENSIONS[dimension]
    return series_of(fetch(con, SUMS.format(code=code, prefix=prefix, dimension=dimension)), months)


def series_of(rows: list[Record], months: list[date]) -> list[Record]:
    """One series per key, in the rows' order: a value for every month of the axis (null where none), labelled
    as its latest month (rows by month within a key)."""
    index = {month: i for i, month in enumerate(months)}
    out: dict[str, Record] = {}
    for row in rows:
        entry = out.setdefault(row["key"], {"values": [None] * len(months)})
        entry["values"][index[row["month"]]] = value(row)
        entry |= label(row)
    return list(out.values())


def status_series(con: duckdb.DuckDBPyConnection, months: list[date]) -> list[Record]:
    """The total (I alt) and each status group per month: the three groups are disjoint and sum to the total."""
    return series_of(fetch(con, STATUS_TOTAL), months) + sums(con, "arbeidsmarkedsstatus", months)


def fylke_today_series(con: duckdb.DuckDBPyConnection, months: list[date]) -> list[Record]:
    """Today's counties, one series each across the 2024 reform, in the report's order."""
    return series_of(fetch(con, FYLKE_TODAY), months)


def latest_sums(series: list[Record]) -> list[Record]:
    """The last month of each series that has it, largest first."""
    rows = [label(s) | {"value": s["values"][-1]} for s in series if s["values"][-1] is not None]
    return sorted(rows, key=lambda r: -(r["value"]["min"] + r["value"]["max"]))


def breaks_in_range(con: duckdb.DuckDBPyConnection, months: list[date]) -> list[Record]:
    """Series breaks after the first month and up to the last: a line there has months on both sides."""
    return [
        {"month": row["month"].isoformat(), "name": month_name(row["month"]), "statuses": row["statuses"]}
        for row in fetch(con, BREAKS)
        if months[0] < row["month"] <= months[-1]
    ]


def collect(con: duckdb.DuckDBPyConnection) -> Record:
    """Everything the page draws, as JSON-ready data."""
    first, last = con.execute("select min(month), max(month) from audit.fct_participants").fetchone() or (None, None)
    if last is None:
        raise NoFigures("audit.fct_participants is empty")
    months = month_range(first, last)
    grand = fetch(con, GRAND_TOTAL, {"month": last})
    series_fylke = sums(con, "fylke", months)
    return {
        "latest_month": last.isoformat(),
        "latest_month_name": month_name(last),
        "months": [month.isoformat() for month in months],
        "month_names": [month_name(month) for month in months],
        "statuses": [
            label(row | {"key": row["code"]}) | {"value": value(row)} for row in fetch(con, STATUSES, {"month": last})
        ],
        "status_order": [row["code"] for row in fetch(con, STATUSES, {"month": last})],
        "grand_total": grand[0]["participants"] if grand else None,
        "latest_tiltaksgruppe": latest_cells(con, "tiltaksgruppe", last),
        "latest_fylke": latest_sums(series_fylke),
        "series_tiltaksgruppe": sums(con, "tiltaksgruppe", months),
        "series_fylke": series_fylke,
        "series_status": status_series(con, months),
        "series_fylke_today": fylke_today_series(con, months),
        "breaks": breaks_in_range(con, months),
    }
