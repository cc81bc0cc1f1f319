"""``tilt100 COMMAND ...``: the project's one command; every subcommand is registered in COMMANDS below.

The ``python -m extract``, ``python -m warehouse`` and ``python -m charts`` forms are aliases
of ``tilt100 load``, ``tilt100 refresh`` and ``tilt100 charts``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from plumbing import MachineFault, NothingAttempted
from project import CHARTS_PAGE, default_db

if TYPE_CHECKING:
    from warehouse import RefreshResult

DB_HELP = "the warehouse, a DuckDB file (default: $WAREHOUSE_DB, else warehouse.duckdb at the project root)"


@dataclass(frozen=True)
class Command:
    name: str
    summary: str  # one line, for `tilt100 --help`
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]  # the exit code


# ---- shared options ------------------------------------------------------------------


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, found {text}")
    return value


def add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, default=None, metavar="PATH", help=DB_HELP)


def add_read_options(parser: argparse.ArgumentParser) -> None:
    """--jobs and --text-layer: how files are read, for `load` and `refresh`."""
    from extract import DEFAULT_TEXT_LAYER, TEXT_LAYERS, default_jobs

    parser.add_argument(
        "--jobs",
        "-j",
        type=positive_int,
        default=None,
        metavar="N",
        help=f"processes reading files at once (default: one per core, here {default_jobs()})",
    )
    parser.add_argument(
        "--text-layer",
        choices=TEXT_LAYERS,
        default=DEFAULT_TEXT_LAYER,
        help="what locates a PDF's characters: pdfium (fast) or pdfplumber (the reference)"
        f" (default: {DEFAULT_TEXT_LAYER})",
    )


def stopped(error: Exception) -> int:
    """NothingAttempted: nothing changed, exit 2. MachineFault: what was being written is as it was, exit 1."""
    print(f"error: {error}", file=sys.stderr)
    return 2 if isinstance(error, NothingAttempted) else 1


# ---- refresh -------------------------------------------------------------------------


def refresh_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("reports", nargs="*", type=Path, help="TILT100 PDFs, Excel twins, text exports, or folders")
    add_db(parser)
    add_read_options(parser)
    parser.add_argument(
        "--full", action="store_true", help="build the whole project, even when only new reports need building"
    )


def run_refresh(args: argparse.Namespace) -> int:
    from warehouse import refresh

    db = args.db or default_db()
    try:
        result = refresh(db, args.reports, args.jobs, args.text_layer, args.full)
    except (NothingAttempted, MachineFault) as error:
        return stopped(error)
    print("\n".join(closing_lines(result, db)))
    return result.exit_code


def closing_lines(result: RefreshResult, db: Path) -> list[str]:
    """What a refresh did, in a few lines: files, dbt's counts, then what the warehouse holds (if swapped in)."""
    from warehouse import WarehousePaths, summary

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


# ---- load and explain ----------------------------------------------------------------


def load_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, help="TILT100 PDFs, Excel twins or text exports, or folders")
    parser.add_argument(
        "--explain",
        type=Path,
        metavar="FILE",
        help="land nothing: show how each page of FILE was read (the same as: tilt100 explain FILE)",
    )
    parser.add_argument("--page", type=positive_int, help="with --explain: that page (or sheet) only")
    add_db(parser)
    add_read_options(parser)


def run_load(args: argparse.Namespace) -> int:
    from extract import load_paths

    if args.explain is not None:
        return explain_file(args.explain, args.page, args.text_layer)
    if not args.paths:
        args.parser.error("name the reports to load (files or folders), or --explain FILE")
    db = args.db or default_db()
    try:
        counts = load_paths(db, args.paths, args.jobs, args.text_layer)
    except (NothingAttempted, MachineFault) as error:  # MachineFault: the files landed so far stay, the rest did not
        return stopped(error)
    print(f"{counts.loaded} loaded, {counts.skipped} skipped, {counts.failed} failed -> {db}")
    return 1 if counts.failed else 0


def explain_arguments(parser: argparse.ArgumentParser) -> None:
    from extract import DEFAULT_TEXT_LAYER, TEXT_LAYERS

    parser.add_argument("file", type=Path, help="a TILT100 PDF, Excel twin or text export")
    parser.add_argument("--page", type=positive_int, help="that page (or sheet) only (default: every page)")
    parser.add_argument(
        "--text-layer",
        choices=TEXT_LAYERS,
        default=DEFAULT_TEXT_LAYER,
        help=f"what locates a PDF's characters (default: {DEFAULT_TEXT_LAYER})",
    )


def run_explain(args: argparse.Namespace) -> int:
    return explain_file(args.file, args.page, args.text_layer)


def explain_file(path: Path, page: int | None, text_layer: str) -> int:
    from extract import ExtractError, explain

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


# ---- what the warehouse holds --------------------------------------------------------


def warehouse_at(args: argparse.Namespace) -> Path | None:
    db = args.db or default_db()
    if not db.is_file():
        print(f"error: no warehouse at {db}: run `make run` (or tilt100 refresh) first", file=sys.stderr)
        return None
    return db


def run_summary(args: argparse.Namespace) -> int:
    from warehouse import summary

    db = warehouse_at(args)
    if db is None:
        return 1
    print("\n".join(summary(db)))
    return 0


def charts_arguments(parser: argparse.ArgumentParser) -> None:
    add_db(parser)
    parser.add_argument(
        "--out", type=Path, default=CHARTS_PAGE, help=f"the HTML page to write (default: {CHARTS_PAGE.name} here)"
    )


def run_charts(args: argparse.Namespace) -> int:
    from charts import write_page

    db = warehouse_at(args)
    if db is None:
        return 1
    print(write_page(db, args.out))
    return 0


def run_docs(args: argparse.Namespace) -> int:
    from warehouse import generate_docs

    db = warehouse_at(args)
    if db is None:
        return 1
    return generate_docs(db)


# ---- the registry: one line per subcommand -------------------------------------------

# ---- fetch ---------------------------------------------------------------------------


def fetch_arguments(parser: argparse.ArgumentParser) -> None:
    from fetch import add_arguments

    add_arguments(parser)


def run_fetch(args: argparse.Namespace) -> int:
    from fetch import checked, run_command

    return run_command(checked(args.parser, args))


COMMANDS = (
    Command("refresh", "land reports, build, export Parquet, swap the new build in", refresh_arguments, run_refresh),
    Command("load", "land reports raw in the warehouse, in place (no dbt build)", load_arguments, run_load),
    Command("explain", "show how each page of a file was read, line by line", explain_arguments, run_explain),
    Command("summary", "what the warehouse holds, in a few lines", add_db, run_summary),
    Command("charts", "write the warehouse's charts as one HTML page", charts_arguments, run_charts),
    Command("docs", "dbt's documentation site into target/, the warehouse opened read-only", add_db, run_docs),
    Command("fetch", "download NAV's new TILT100 files; with --refresh, the monthly job", fetch_arguments, run_fetch),
)


def parser_for(command: Command, prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=command.summary)
    command.add_arguments(parser)
    parser.set_defaults(run=command.run, parser=parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tilt100", description="The warehouse of NAV's TILT100 report.")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for command in COMMANDS:
        sub = commands.add_parser(command.name, help=command.summary, description=command.summary)
        command.add_arguments(sub)
        sub.set_defaults(run=command.run, parser=sub)
    args = parser.parse_args(argv)
    return args.run(args)


def alias(name: str, prog: str, argv: Sequence[str] | None = None) -> int:
    """``python -m <package>``: the subcommand `name`, under its old name."""
    command = next(c for c in COMMANDS if c.name == name)
    args = parser_for(command, prog).parse_args(argv)
    return args.run(args)
