"""The warehouse's charts: one self-contained HTML page drawn from the marts (``tilt100 charts``)."""

from __future__ import annotations

import shlex
from pathlib import Path

import duckdb

from tilt100.charts.data import READS, NoFigures, collect
from tilt100.charts.page import render
from tilt100.plumbing import quoted


def write_page(db: Path, out: Path) -> Path:
    """Query the marts of `db` (read-only) and write the charts page to `out`.

    Raises NoFigures (nothing attempted) for a warehouse built from no report.
    """
    with duckdb.connect(str(db), read_only=True) as con:
        try:
            data = collect(con)
        except NoFigures:
            raise NoFigures(
                f"{quoted(db)}: expected a warehouse with a month of figures, found none (built from no report);"
                f" nothing was written. Load one: tilt100 refresh REPORTS --db {shlex.quote(str(db))}"
            ) from None
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(data), encoding="utf-8")
    return out


__all__ = ["READS", "NoFigures", "collect", "render", "write_page"]
