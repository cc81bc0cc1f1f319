"""``python -m warehouse [--db PATH] [REPORT_OR_DIR...]``: refresh the warehouse.

Lands the reports named (none: just rebuild), runs `dbt build`, exports the
marts as Parquet, and swaps the new warehouse in only if the build passed.
Readers holding the old file keep reading it until they reconnect. When new
reports landed and the project is as it was at the last refresh, only what the
reports feed is built (``warehouse.state``); ``--full`` builds everything.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from extract.__main__ import add_read_options, default_db
from extract.errors import MachineFault, NothingAttempted
from extract.summary import summary
from warehouse.paths import WarehousePaths
from warehouse.refresh import RefreshResult, refresh


def closing_lines(result: RefreshResult, db: Path) -> list[str]:
    loads = result.loads
    lines = [f"files: {loads.loaded} loaded, {loads.skipped} skipped (already loaded), {loads.failed} failed"]
    if result.build is not None and result.build.not_run:
        lines.append(f"dbt build: failed before running: {result.build.not_run}")
    elif result.build is not None:
        b = result.build
        lines.append(
            f"dbt build: {b.counts['model success']} models, {b.counts['seed success']} seeds;"
            f" tests {b.tests('pass')} passed, {b.tests('warn')} warned, {b.tests('fail')} failed,"
            f" {b.tests('error')} errored"
        )
    if result.swapped:
        lines += summary(db)
        lines.append(f"parquet: {WarehousePaths(db.resolve()).parquet}/<table>.parquet")
    else:
        lines.append(f"not swapped: {db} is as it was before this refresh")
    if loads.failed:
        lines.append(f"{loads.failed} file(s) could not be read: see the errors above")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m warehouse", description=__doc__)
    parser.add_argument("reports", nargs="*", type=Path, help="TILT100 PDFs, Excel twins, text exports, or folders")
    parser.add_argument(
        "--db", type=Path, default=None, help="DuckDB file (default: $WAREHOUSE_DB or warehouse.duckdb)"
    )
    add_read_options(parser)
    parser.add_argument(
        "--full",
        action="store_true",
        help="build the whole project, even when only new reports need building",
    )
    args = parser.parse_args(argv)
    db = args.db or default_db()
    try:
        result = refresh(db, args.reports, args.jobs, args.text_layer, args.full)
    except NothingAttempted as error:  # arguments, the warehouse file, a writer holding it: nothing changed
        print(f"error: {error}", file=sys.stderr)
        return 2
    except MachineFault as error:  # a full disk, a read-only folder, mid-refresh: the served warehouse is as it was
        print(f"error: {error}", file=sys.stderr)
        return 1
    print("\n".join(closing_lines(result, db)))
    return result.exit_code


if __name__ == "__main__":
    sys.exit(main())
