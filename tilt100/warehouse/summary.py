"""What the warehouse holds, in a few lines (``tilt100 summary``, and the end of a refresh)."""

from __future__ import annotations

from pathlib import Path

import duckdb

QUERIES = {
    "files loaded": "select count(*) from raw.tilt100_files",
    "reports (twin files count once)": "select count(distinct report_key) from staging.stg_tilt100__files",
    "months": "select string_agg(distinct strftime(month, '%Y-%m'), ', ' order by strftime(month, '%Y-%m'))"
    " from audit.fct_participants",
    "leaf cells (fct_participants)": "select count(*) from audit.fct_participants",
    "suppressed cells": "select count(*) from audit.fct_participants where is_suppressed",
    "published totals": "select count(*) from audit.fct_published_totals",
    "participants, latest month": "select participants from audit.fct_published_totals"
    " where status_code = 'alle' and dimension = 'arbeidsmarkedsstatus' order by month desc limit 1",
}


# What the queries read: checked before they run (`plumbing.check_built`).
READS = ("raw.tilt100_files", "staging.stg_tilt100__files", "audit.fct_participants", "audit.fct_published_totals")


def _report(code: str, count: int, first: str, last: str) -> str:
    """ "TILT110 2 reports (2023-01 to 2023-12)": a report code's reports and the months they span."""
    months = first if first == last else f"{first} to {last}"
    return f"{code} {count} report{'s' * (count != 1)} ({months})"


def summary(db_path: Path) -> list[str]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        lines = [f"warehouse: {db_path}"]
        for name, query in QUERIES.items():
            row = con.execute(query).fetchone()
            lines.append(f"  {name}: {row[0] if row else None}")
        reports = con.execute(
            "select report_code, count(distinct report_key), strftime(min(period_start_month), '%Y-%m'),"
            " strftime(max(period_end_month), '%Y-%m') from staging.stg_tilt100__files group by all order by 1"
        ).fetchall()
        lines.append("  by report: " + ", ".join(_report(*row) for row in reports))
        cells = con.execute(
            "select dimension, count(*) from audit.fct_participants group by dimension order by 2 desc"
        ).fetchall()
        lines.append("  cells by dimension: " + ", ".join(f"{d} {n}" for d, n in cells))
    return lines
