"""``python -m report [--db PATH] [--out PATH]``: write the warehouse's charts as one HTML page."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

from extract.__main__ import PROJECT_ROOT, default_db
from report.data import collect
from report.page import render


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m report", description=__doc__)
    parser.add_argument(
        "--db", type=Path, default=None, help="DuckDB file (default: $WAREHOUSE_DB or warehouse.duckdb)"
    )
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "report.html", help="HTML file to write")
    args = parser.parse_args(argv)
    db_path = args.db or default_db()
    if not db_path.is_file():
        print(f"error: no warehouse at {db_path}: run `make run` first", file=sys.stderr)
        return 1
    with duckdb.connect(str(db_path), read_only=True) as con:
        data = collect(con)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(data), encoding="utf-8")
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
