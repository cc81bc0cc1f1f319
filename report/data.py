"""Query the marts into the plain data the page embeds as JSON."""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

Record = dict[str, Any]

STATUSES = """
    select category_code as code, label_no, label_en
    from marts.dim_category where dimension = 'arbeidsmarkedsstatus' order by sort_order
"""

STATUS_TOTALS = """
    select p.category_code as code, p.participants
    from marts.fct_participants as p
    where p.dimension = 'arbeidsmarkedsstatus' and p.month = $month
"""

GRAND_TOTAL = """
    select participants from marts.fct_published_totals
    where status_code = 'alle' and dimension = 'arbeidsmarkedsstatus' and month = $month
"""

LATEST_CELLS = """
    select p.category_code as key, d.label_no, d.label_en, p.status_code as status, p.participants
    from marts.fct_participants as p
    left join marts.dim_category as d on d.dimension = p.dimension and d.category_code = p.category_code
    where p.dimension = $dimension and p.month = $month
    order by d.sort_order, p.category_code
"""

# Summed over the status groups; a month with any suppressed cell stays NULL (a gap, never imputed).
SERIES = """
    with cells as (
        select
            category_code,
            month,
            if(count(participants) = count(*), sum(participants), null) as participants
        from marts.fct_participants
        where dimension = $dimension
        group by category_code, month
    )
    select c.category_code as key, d.label_no, d.label_en, c.month, c.participants
    from cells as c
    left join marts.dim_category as d on d.dimension = $dimension and d.category_code = c.category_code
    order by d.sort_order, c.category_code, c.month
"""

BREAKS = """
    select b.break_month as month, list(d.label_no order by d.sort_order) as statuses
    from seeds.series_breaks as b
    left join marts.dim_category as d on d.dimension = 'arbeidsmarkedsstatus' and d.category_code = b.status_code
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


def latest_cells(con: duckdb.DuckDBPyConnection, dimension: str, month: date) -> Record:
    """Categories in sort order with their value per status: null where suppressed, absent where not printed."""
    groups: dict[str, Record] = {}
    for row in fetch(con, LATEST_CELLS, {"dimension": dimension, "month": month}):
        group = groups.setdefault(row["key"], label(row) | {"values": {}})
        group["values"][row["status"]] = row["participants"]
    return {"groups": list(groups.values())}


def series(con: duckdb.DuckDBPyConnection, dimension: str, months: list[date]) -> list[Record]:
    """One series per category, a value (or null) for every month of the axis."""
    index = {month: i for i, month in enumerate(months)}
    out: dict[str, Record] = {}
    for row in fetch(con, SERIES, {"dimension": dimension}):
        entry = out.setdefault(row["key"], label(row) | {"values": [None] * len(months)})
        entry["values"][index[row["month"]]] = row["participants"]
    return list(out.values())


def label(row: Record) -> Record:
    return {"key": row["key"], "label_no": row["label_no"] or row["key"], "label_en": row["label_en"]}


def breaks_in_range(con: duckdb.DuckDBPyConnection, months: list[date]) -> list[Record]:
    """Series breaks after the first month and up to the last: a line there has months on both sides."""
    return [
        {"month": row["month"].isoformat(), "name": month_name(row["month"]), "statuses": row["statuses"]}
        for row in fetch(con, BREAKS)
        if months[0] < row["month"] <= months[-1]
    ]


def collect(con: duckdb.DuckDBPyConnection) -> Record:
    """Everything the page draws, as JSON-ready data."""
    first, last = con.execute("select min(month), max(month) from marts.fct_participants").fetchone() or (None, None)
    if last is None:
        raise ValueError("marts.fct_participants is empty: load a report and run dbt build first")
    months = month_range(first, last)
    totals = {row["code"]: row["participants"] for row in fetch(con, STATUS_TOTALS, {"month": last})}
    grand = fetch(con, GRAND_TOTAL, {"month": last})
    return {
        "latest_month": last.isoformat(),
        "latest_month_name": month_name(last),
        "months": [month.isoformat() for month in months],
        "month_names": [month_name(month) for month in months],
        "statuses": [row | {"participants": totals.get(row["code"])} for row in fetch(con, STATUSES)],
        "grand_total": grand[0]["participants"] if grand else None,
        "latest_tiltaksgruppe": latest_cells(con, "tiltaksgruppe", last),
        "series_tiltaksgruppe": series(con, "tiltaksgruppe", months),
        "series_fylke": series(con, "fylke", months),
        "breaks": breaks_in_range(con, months),
    }
