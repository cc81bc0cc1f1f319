"""``python -m extract [--db PATH] FILE_OR_DIR...``: land TILT100 reports raw in DuckDB."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from extract.batch import default_jobs, load_paths
from extract.errors import ExtractError, MachineFault, NothingAttempted
from extract.explain import explain
from extract.pdf import DEFAULT_TEXT_LAYER, TEXT_LAYERS, TextLayer

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def default_db() -> Path:
    """--db, else env WAREHOUSE_DB, else warehouse.duckdb at the project root."""
    return Path(os.environ.get("WAREHOUSE_DB") or PROJECT_ROOT / "warehouse.duckdb")


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, found {text}")
    return value


def add_read_options(parser: argparse.ArgumentParser) -> None:
    """--jobs and --text-layer, shared with ``python -m warehouse``."""
    parser.add_argument(
        "--jobs",
        "-j",
        type=positive_int,
        default=None,
        help=f"processes reading files at once (default: one per core, here {default_jobs()})",
    )
    parser.add_argument(
        "--text-layer",
        choices=TEXT_LAYERS,
        default=DEFAULT_TEXT_LAYER,
        help="what locates a PDF's characters: pdfium (default, fast) or pdfplumber (the reference)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extract", description=__doc__)
    parser.add_argument("paths", nargs="*", type=Path, help="TILT100 PDFs, Excel twins or text exports, or folders")
    parser.add_argument(
        "--explain",
        type=Path,
        metavar="FILE",
        help="land nothing: show how each page of FILE was read, line by line (what to run when a file is refused)",
    )
    parser.add_argument("--page", type=positive_int, help="with --explain: that page (or sheet) only")
    parser.add_argument(
        "--db", type=Path, default=None, help="DuckDB file (default: $WAREHOUSE_DB or warehouse.duckdb)"
    )
    add_read_options(parser)
    args = parser.parse_args(argv)
    if args.explain is not None:
        return _explain(args.explain, args.page, args.text_layer)
    if not args.paths:
        parser.error("name the reports to load (files or folders), or --explain FILE")
    db_path = args.db or default_db()
    try:
        counts = load_paths(db_path, args.paths, args.jobs, args.text_layer)
    except NothingAttempted as error:  # arguments, the warehouse file, a read-only folder: nothing changed
        print(f"error: {error}", file=sys.stderr)
        return 2
    except MachineFault as error:  # the disk filled up: the files landed so far stay, the rest did not
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"{counts.loaded} loaded, {counts.skipped} skipped, {counts.failed} failed -> {db_path}")
    return 1 if counts.failed else 0


def _explain(path: Path, page: int | None, text_layer: TextLayer) -> int:
    try:
        for line in explain(path, page, text_layer):
            print(line)
    except ExtractError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"error: {path}: {error.strerror or error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
