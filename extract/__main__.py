"""``python -m extract [--db PATH] FILE_OR_DIR...``: land TILT100 reports raw in DuckDB."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from extract.errors import ExtractError
from extract.load import connect, is_loaded, land
from extract.read import read_report, sha256_of

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SUFFIXES = {".pdf", ".txt", ".xlsx"}


def default_db() -> Path:
    """--db, else env WAREHOUSE_DB, else warehouse.duckdb at the project root."""
    return Path(os.environ.get("WAREHOUSE_DB") or PROJECT_ROOT / "warehouse.duckdb")


def input_files(paths: Sequence[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES)
        else:
            yield path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extract", description=__doc__)
    parser.add_argument("paths", nargs="+", type=Path, help="TILT100 PDFs or text exports, or folders of them")
    parser.add_argument(
        "--db", type=Path, default=None, help="DuckDB file (default: $WAREHOUSE_DB or warehouse.duckdb)"
    )
    args = parser.parse_args(argv)
    db_path = args.db or default_db()
    con = connect(db_path)
    failed = loaded = skipped = 0
    files = list(input_files(args.paths))
    for number, path in enumerate(files, start=1):
        step = f"[{number}/{len(files)}]"
        try:
            if not path.is_file():
                raise ExtractError(str(path), None, "a file", "nothing at that path")
            if is_loaded(con, sha256_of(path)):
                print(f"{step} skipped {path}: already loaded (same SHA-256)", flush=True)
                skipped += 1
                continue
            report = read_report(path)
            figures = land(con, report)
        except ExtractError as error:
            print(f"{step} error: {error}", file=sys.stderr, flush=True)
            failed += 1
            continue
        loaded += 1
        print(
            f"{step} loaded {path}: {len(report.pages)} pages, {len(report.rows)} rows, {figures} figures", flush=True
        )
    con.close()
    print(f"{loaded} loaded, {skipped} skipped, {failed} failed -> {db_path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
