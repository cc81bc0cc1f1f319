"""The warehouse for spreadsheet and file users (``tilt100 export``): every mart as CSV, one workbook, wide tables.

What it writes, into one folder (by default ``<warehouse stem>_export/`` beside the warehouse):

- ``csv/<table>.csv``: every table of schemas ``marts`` (safe to sum) and ``audit`` (the published figures kept
  whole; not to sum), UTF-8, a header row, ISO dates, NULL empty;
- ``wide/<dimension>.csv``: participants per dimension, a row per status group × category, a column per
  month (``2026M01``), as NAV published them: a suppressed cell is empty, its bounds are in the mart's
  ``participants_min``/``participants_max``;
- ``tilt100.xlsx``: an ``about`` sheet (each sheet's table and description), a sheet per table, a
  ``wide_<dimension>`` sheet per dimension (a suppressed cell empty with a note) and ``columns``;
- ``about.csv`` and ``columns.csv``: the same two sheets (each table's and column's description and type);
- ``export.json``: when, from which warehouse, what.

The folder is written beside the target and renamed into place at the end: a reader sees the
previous export or this one, never half of one. An existing folder is replaced only if it is an
export (it has ``export.json``).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import duckdb

from tilt100.export.tables import Table, Wide, dimensions, marts, month_header, quote, rows, wide
from tilt100.export.workbook import WorkbookWriter, sheet_names, widths_for
from tilt100.plumbing import MachineFault, NothingAttempted, machine_fault, quoted

READS = ("audit.fct_participants",)
WORKBOOK = "tilt100.xlsx"
MARKER = "export.json"
ABOUT_HEADER = ("sheet", "file", "table", "rows", "description")
COLUMNS_HEADER = ("table", "column", "position", "type", "description")


@dataclass(frozen=True)
class Exported:
    out: Path
    tables: int
    wide_tables: int
    files: list[str]


def default_out(db: Path) -> Path:
    return db.parent / f"{db.stem}_export"


def wide_description(table: Wide) -> str:
    rows = "status group × category" if "status_code" in table.key_columns else "category"
    return (
        f"Participants by {table.dimension}, as NAV published them: one row per {rows} (in the report's order),"
        f" one column per month ({month_header(table.months[0]) if table.months else '2026M01'}, ...)."
        f' An empty figure is a cell NAV suppressed ("*", 1-3 people; its bounds are participants_min and'
        f" participants_max in {table.source}) or a row that month's report did not have. Rows of one month add up to"
        " its people on measures (a sum over months does not)."
    )


def export_warehouse(db: Path, out: Path, stream: TextIO | None = None) -> Exported:
    """Write the export of `db` (opened read-only, once: one consistent view) into `out`, a line per file.

    Raises NothingAttempted if `out` is there and is not an export, MachineFault if the disk refuses.
    """
    stream = stream or sys.stdout
    if out.exists() and not (out.is_dir() and (out / MARKER).is_file()):
        raise NothingAttempted(
            f"{quoted(out)}: expected an export folder (with {MARKER}) or nothing there, found another"
            " file or folder; nothing was written. Name another with --out"
        )
    stage = out.parent / f".{out.name}.tmp-{os.getpid()}"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(stage, ignore_errors=True)
        stage.mkdir()
        result = _write(db, stage, out, stream)
        _swap(stage, out)
    except OSError as error:
        shutil.rmtree(stage, ignore_errors=True)
        fault = machine_fault(error, f"writing the export {quoted(out.name)}", quoted(out.parent))
        raise fault or MachineFault(f"{quoted(out)}: cannot be written ({error.strerror or error})") from None
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return result


def _write(db: Path, stage: Path, out: Path, stream: TextIO) -> Exported:
    (stage / "csv").mkdir()
    (stage / "wide").mkdir()
    files: list[str] = []

    def wrote(name: str, what: str) -> None:
        files.append(name)
        print(f"wrote {out / name} ({what})", file=stream, flush=True)

    with duckdb.connect(str(db), read_only=True) as con:
        tables = marts(con)
        wides = [wide(con, dimension, mart) for dimension, mart in dimensions(con, tables)]
        sheets = sheet_names([t.name for t in tables])
        for table in tables:
            name = f"csv/{table.name}.csv"
            _copy_csv(con, table, stage / name)
            wrote(name, f"{table.rows} rows")
        for table in wides:
            name = f"wide/{table.dimension}.csv"
            _write_csv(stage / name, table.header, table.rows())
            wrote(name, f"{len(table.keys)} rows × {len(table.months)} month(s)")
        about = [[sheets[t.name], f"csv/{t.name}.csv", f"{t.schema}.{t.name}", t.rows, t.description] for t in tables]
        about += [
            [f"wide_{w.dimension}", f"wide/{w.dimension}.csv", w.source, len(w.keys), wide_description(w)]
            for w in wides
        ]
        about.append(["columns", "columns.csv", "", sum(len(t.columns) for t in tables), "Each table's columns."])
        columns = [
            [f"{t.schema}.{t.name}", c.name, i, c.type, c.description]
            for t in tables
            for i, c in enumerate(t.columns, 1)
        ]
        _write_csv(stage / "about.csv", ABOUT_HEADER, about)
        wrote("about.csv", f"{len(about)} sheets and files")
        _write_csv(stage / "columns.csv", COLUMNS_HEADER, columns)
        wrote("columns.csv", f"{len(columns)} columns")

        book = WorkbookWriter()
        book.sheet("about", ABOUT_HEADER, about, [34, 40, 40, 8, 120])
        for table in tables:
            types = [c.type for c in table.columns]
            book.sheet(sheets[table.name], table.column_names, rows(con, table), widths_for(table.column_names, types))
        for table in wides:
            book.wide_sheet(f"wide_{table.dimension}", table, table.source)
        book.sheet("columns", COLUMNS_HEADER, columns, [34, 28, 8, 10, 120])
        book.save(stage / WORKBOOK)
        wrote(WORKBOOK, f"{len(about) + 1} sheets")

    marker = {
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "warehouse": str(db.resolve()),
        "tables": {f"{t.schema}.{t.name}": t.rows for t in tables},
        "wide_tables": [w.dimension for w in wides],
        "files": files,
    }
    (stage / MARKER).write_text(json.dumps(marker, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return Exported(out, len(tables), len(wides), files)


def _copy_csv(con: duckdb.DuckDBPyConnection, table: Table, path: Path) -> None:
    """DuckDB's CSV: UTF-8, a header, ISO dates, NULL as an empty field, quotes only where needed."""
    target = str(path).replace("'", "''")
    con.execute(f"copy ({table.ordered_select()}) to '{target}' (format csv, header true, nullstr '')")


def _write_csv(path: Path, header: tuple[str, ...] | list[str], body: object) -> None:
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(body)  # type: ignore[arg-type]


def _swap(stage: Path, out: Path) -> None:
    """`stage` becomes `out`; a previous export is removed once the new one is in place."""
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        os.replace(out, old)
    os.replace(stage, out)
    shutil.rmtree(old, ignore_errors=True)


__all__ = ["MARKER", "READS", "WORKBOOK", "Exported", "default_out", "export_warehouse", "quote"]
