"""``python -m extract [--db PATH] FILE_OR_DIR...``: land TILT100 reports raw in DuckDB."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from extract.batch import load_paths
from extract.load import WarehouseInUse

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def default_db() -> Path:
    """--db, else env WAREHOUSE_DB, else warehouse.duckdb at the project root."""
    return Path(os.environ.get("WAREHOUSE_DB") or PROJECT_ROOT / "warehouse.duckdb")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extract", description=__doc__)
    parser.add_argument("paths", nargs="+", type=Path, help="TILT100 PDFs, Excel twins or text exports, or folders")
    parser.add_argument(
        "--db", type=Path, default=None, help="DuckDB file (default: $WAREHOUSE_DB or warehouse.duckdb)"
    )
    args = parser.parse_args(argv)
    db_path = args.db or default_db()
    try:
        counts = load_paths(db_path, args.paths)
    except WarehouseInUse as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{counts.loaded} loaded, {counts.skipped} skipped, {counts.failed} failed -> {db_path}")
    return 1 if counts.failed else 0


if __name__ == "__main__":
    sys.exit(main())
