"""``tilt100 COMMAND ...``: the project's one command; every subcommand is registered in COMMANDS below.

``python -m extract`` is an alias of ``tilt100 load`` (the extractor, run on its own).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from tilt100.plumbing import (
    MachineFault,
    NothingAttempted,
    check_built,
    check_warehouse,
    machine_fault,
    quoted,
    warehouse_error,
)
from tilt100.settings import CHARTS_PAGE, SETTINGS, WAREHOUSE, default_db

if TYPE_CHECKING:
    from tilt100.warehouse import RefreshResult

DB_HELP = f"the warehouse, a DuckDB file (default: ${WAREHOUSE.env}, else {WAREHOUSE.default} at the project root)"


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
    parser.add_argument(
        "reports",
        nargs="*",
        type=Path,
        help="reports (TILT100, TILT110-180, TILT030): PDFs, workbooks, text exports, or folders",
    )
    add_db(parser)
    add_read_options(parser)
    parser.add_argument(
        "--full", action="store_true", help="build the whole project, even when only new reports need building"
    )


def run_refresh(args: argparse.Namespace) -> int:
    from tilt100.warehouse import refresh

    db = args.db or default_db()
    try:
        result = refresh(db, args.reports, args.jobs, args.text_layer, args.full)
    except (NothingAttempted, MachineFault) as error:
        return stopped(error)
    print("\n".join(closing_lines(result, db)))
    return result.exit_code


def closing_lines(result: RefreshResult, db: Path) -> list[str]:
    """What a refresh did, in a few lines: files, dbt's counts, then what the warehouse holds (if swapped in)."""
    from tilt100.warehouse import WarehousePaths, summary

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
        lines.append("steps: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result.steps))
        parquet = WarehousePaths(db.resolve()).parquet
        lines.append(f"parquet: {parquet}/<table>.parquet")
        lines.append(f"for BI tools: {parquet / db.name} (schemas marts and audit alone, read-only)")
    else:
        lines.append(f"not swapped: {db} is as it was before this refresh")
    if loads.failed:
        lines.append(f"{loads.failed} file(s) could not be read: see the errors above")
    return lines


# ---- load and explain ----------------------------------------------------------------


def load_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        help="reports (TILT100, TILT110-180, TILT030): PDFs, workbooks, text exports, or folders",
    )
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
    except BrokenPipeError:  # the reader of the output stopped: not the file's fault (`run`)
        raise
    except OSError as error:
        print(f"error: {path}: {error.strerror or error}", file=sys.stderr)
        return 2
    return 0


# ---- what the warehouse holds --------------------------------------------------------


def reading(args: argparse.Namespace, reads: Sequence[str], work: Callable[[Path], int]) -> int:
    """A command that only reads the warehouse (`reads`: what it queries): checked first, then `work`'s exit code.

    Every way it can stop is one line: the warehouse missing, unusable, held by
    a writer or never built (exit 2, as a refresh says it; `check_built`), a
    page that cannot be written (exit 1).
    """
    db = args.db or default_db()
    try:
        check_built(db, reads)
        return work(db)
    except (NothingAttempted, MachineFault) as error:
        return stopped(error)
    except duckdb.Error as error:  # a writer opened it after the check: said as the check says it
        return stopped(warehouse_error(db, error))


def run_summary(args: argparse.Namespace) -> int:
    from tilt100.warehouse import summary
    from tilt100.warehouse.summary import READS

    def show(db: Path) -> int:
        print("\n".join(summary(db)))
        return 0

    return reading(args, READS, show)


def charts_arguments(parser: argparse.ArgumentParser) -> None:
    add_db(parser)
    parser.add_argument(
        "--out", type=Path, default=CHARTS_PAGE, help=f"the HTML page to write (default: {CHARTS_PAGE.name} here)"
    )


def run_charts(args: argparse.Namespace) -> int:
    from tilt100.charts import READS, write_page

    def draw(db: Path) -> int:
        try:
            print(write_page(db, args.out))
        except OSError as error:
            doing = f"writing the charts page {quoted(args.out.name)}"
            fault = machine_fault(error, doing, quoted(args.out.parent))
            raise fault or MachineFault(f"{quoted(args.out)}: cannot be written ({error.strerror or error})") from None
        return 0

    return reading(args, READS, draw)


def run_docs(args: argparse.Namespace) -> int:
    from tilt100.warehouse import generate_docs

    return reading(args, (), generate_docs)  # dbt's own failure: generate_docs says it


# ---- export ---------------------------------------------------------------------------


EXPORT_HELP = """every table of schemas marts (safe to sum) and audit (published figures kept whole, not to sum)
as csv/<table>.csv (UTF-8, a header row, ISO dates, NULL empty); a wide table per
dimension as wide/<dimension>.csv (a row per status group x category, a column per month, 2026M01;
a suppressed cell empty, its bounds in the mart's participants_min/participants_max); one workbook,
tilt100.xlsx (an about sheet with each table's description, a sheet per table with dates as dates,
a wide_<dimension> sheet per dimension, a columns sheet); about.csv and columns.csv (each table's
and column's description and type); export.json. Written beside the folder and renamed into place."""


def export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EXPORT_HELP
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    add_db(parser)
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="the folder to write; an earlier export there is replaced (default: <warehouse stem>_export/ beside it)",
    )


def run_export(args: argparse.Namespace) -> int:
    from tilt100.export import READS, default_out, export_warehouse

    def write(db: Path) -> int:
        done = export_warehouse(db, args.out or default_out(db))
        print(f"export: {done.tables} tables (marts and audit), {done.wide_tables} wide tables -> {done.out}")
        return 0

    return reading(args, READS, write)


# ---- the registry: one line per subcommand -------------------------------------------

# ---- fetch ---------------------------------------------------------------------------


def fetch_arguments(parser: argparse.ArgumentParser) -> None:
    from tilt100.fetch import add_arguments

    add_arguments(parser)


def run_fetch(args: argparse.Namespace) -> int:
    from tilt100.fetch import checked, run_command

    args = checked(args.parser, args)
    if args.refresh:  # its refresh comes after the downloads: the warehouse is checked before them
        try:
            check_warehouse(args.db or default_db())  # as the refresh checks it: a missing file is one to make
        except NothingAttempted as error:
            return stopped(error)
    return run_command(args)


COMMANDS = (
    Command("refresh", "land reports, build, export Parquet, swap the new build in", refresh_arguments, run_refresh),
    Command("load", "land reports raw in the warehouse, in place (no dbt build)", load_arguments, run_load),
    Command("explain", "show how each page of a file was read, line by line", explain_arguments, run_explain),
    Command("summary", "what the warehouse holds, in a few lines", add_db, run_summary),
    Command("charts", "write the warehouse's charts as one HTML page", charts_arguments, run_charts),
    Command("docs", "dbt's documentation site into <warehouse>_docs/ beside it, opened read-only", add_db, run_docs),
    Command("fetch", "download NAV's new TILT100 files; with --refresh, the monthly job", fetch_arguments, run_fetch),
    Command("export", "marts and audit tables as CSV and a workbook, wide month tables", export_arguments, run_export),
)


def parser_for(command: Command, prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=command.summary)
    command.add_arguments(parser)
    parser.set_defaults(run=command.run, parser=parser)
    return parser


def settings_help() -> str:
    """The settings (tilt100/settings.py), each with its environment variable and the value in force."""
    lines = ["settings (tilt100/settings.py; set the environment variable to change one):"]
    for setting in SETTINGS:
        unit = f" {setting.unit}" if setting.unit else ""
        lines.append(f"  {setting.env}={setting.text()}{unit}\n      {setting.help}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:
        in_utf8_mode()
    parser = argparse.ArgumentParser(
        prog="tilt100",
        description="The warehouse of NAV's TILT100 report and its family (TILT110-180, TILT030).",
        epilog=settings_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True, parser_class=_CommandParser)
    for command in COMMANDS:
        sub = commands.add_parser(command.name, help=command.summary, description=command.summary, command=command)
        sub.set_defaults(run=command.run, parser=sub)
    args = parser.parse_args(argv)
    return run(args)


class _CommandParser(argparse.ArgumentParser):
    """A subcommand's parser, given its arguments when that subcommand is named: building every command's
    (the reading options, fetch's) would import what only they use (`tilt100 summary`: 0.26 s of CPU, else 0.58 s)."""

    def __init__(self, *args: object, command: Command | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._unfilled = command

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        if self._unfilled is not None:
            self._unfilled.add_arguments(self)
            self._unfilled = None
        return super().parse_known_args(args, namespace)


def alias(name: str, prog: str, argv: Sequence[str] | None = None) -> int:
    """``python -m <package>``: the subcommand `name`, under its old name."""
    if argv is None:
        in_utf8_mode()
    command = next(c for c in COMMANDS if c.name == name)
    args = parser_for(command, prog).parse_args(argv)
    return run(args)


def run(args: argparse.Namespace) -> int:
    """The subcommand; output piped into a reader that stopped early (`| head`) ends it quietly."""
    try:
        code = args.run(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would complain again flushing stdout at exit: it points at /dev/null instead.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return code


def in_utf8_mode() -> None:
    """Run the command in Python's UTF-8 mode, whatever the locale (LC_ALL=C PYTHONUTF8=0): re-run it so if need be.

    Under an ASCII locale, Python gives a non-ASCII file name ("Tiltaksdeltakere_øst.txt")
    as lone surrogates, which DuckDB, dbt and the terminal each refuse. In UTF-8
    mode a name is its own letters (Linux file names are bytes, UTF-8 by
    convention), output is UTF-8, and the child processes (dbt, the readers)
    inherit the mode through PYTHONUTF8.
    """
    if sys.flags.utf8_mode or not sys.executable or sys.getfilesystemencoding().lower() in ("utf-8", "utf8"):
        return
    os.environ["PYTHONUTF8"] = "1"
    os.execv(sys.executable, [sys.executable, "-X", "utf8", *sys.orig_argv[1:]])  # noqa: S606 (this very command)
