"""The warehouse's charts: one self-contained HTML page drawn from the marts (``tilt100 charts``)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from charts.data import collect
from charts.page import render


def write_page(db: Path, out: Path) -> Path:
    """Query the marts of `db` (read-only) and write the charts page to `out`."""
    with duckdb.connect(str(db), read_only=True) as con:
        data = collect(con)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(data), encoding="utf-8")
    return out


__all__ = ["collect", "render", "write_page"]
