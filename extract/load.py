"""Land a read report in DuckDB schema ``raw``: one file, one transaction.

Raw is raw: the tables hold the text as printed plus its lineage (file hash,
page, row order, position). Rows are only ever inserted, never updated. Text
reaches SQL only as bound parameters.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from pathlib import Path

import duckdb
import pyarrow as pa

from extract.checks import place_of
from extract.errors import ExtractError
from extract.model import Report
from tilt100.plumbing import WarehouseInUse, warehouse_error
from tilt100.settings import STORAGE_COMPATIBILITY

__all__ = ["Records", "WarehouseInUse", "connect", "land", "loaded_files", "records"]

# Raised when what lands for a file changes. A PDF's row adds the text layer that read it: "2+pdfium".
EXTRACTOR_VERSION = "2"
# The largest figure a report may print: Norway has about 5.6 million people.
MAX_FIGURE = 10_000_000
# The name a file's records go by while they are inserted (`_insert`).
ARROW_VIEW = "landing_records"

# The one definition of the raw tables; models/staging/tilt100/_tilt100__sources.yml describes them
# column for column, with these types (tests/python/test_load.py checks).
DDL = """
create schema if not exists raw;
create table if not exists raw.tilt100_files (
    file_sha256 varchar primary key,
    file_name varchar not null,
    file_format varchar not null,
    file_size bigint not null,
    source_title varchar not null,
    report_updated varchar not null,
    period varchar not null,
    page_count integer not null,
    row_count integer not null,
    extractor_version varchar not null,
    loaded_at timestamp with time zone not null default current_timestamp,
    report_code varchar
);
create table if not exists raw.tilt100_pages (
    file_sha256 varchar not null,
    page_number integer not null,
    page_title varchar,
    report_updated varchar,
    period varchar,
    footer varchar,
    row_count integer not null,
    sheet_name varchar,
    primary key (file_sha256, page_number)
);
create table if not exists raw.tilt100_rows (
    file_sha256 varchar not null,
    row_order integer not null,
    page_number integer not null,
    table_title varchar not null,
    label_lines varchar[] not null,
    source_line integer,
    sheet_name varchar,
    block_heading varchar,
    primary key (file_sha256, row_order)
);
create table if not exists raw.tilt100_cells (
    file_sha256 varchar not null,
    row_order integer not null,
    column_order integer not null,
    column_header varchar not null,
    value_text varchar not null,
    x0 double,
    x1 double,
    top double,
    cell_ref varchar
    -- Key (file_sha256, row_order, column_order), kept by `records` where the file is read (`check_cells`),
    -- not by an index: the index was a third of landing (BENCHMARKS.md). Warehouses made before keep theirs.
);
-- Excel lineage, added after the first release: warehouses made before it gain the columns.
alter table raw.tilt100_pages add column if not exists sheet_name varchar;
-- The report's code, added with the family (TILT110-180): older rows hold NULL (staging reads it off source_title).
alter table raw.tilt100_files add column if not exists report_code varchar;
alter table raw.tilt100_rows add column if not exists sheet_name varchar;
-- TILT030's block headings, added with it: older rows hold NULL (no report before it heads its blocks).
alter table raw.tilt100_rows add column if not exists block_heading varchar;
alter table raw.tilt100_cells add column if not exists cell_ref varchar;
"""


def connect(db_path: Path) -> duckdb.DuckDBPyConnection:
    """The landing connection. One DuckDB thread: each insert is one file's rows, too small to share out, and
    the cores are the readers' (the decade's landing took 2 s less of the machine, `--jobs 1` 1.5 s less time)."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    config = {"storage_compatibility_version": STORAGE_COMPATIBILITY, "threads": 1}
    try:
        con = duckdb.connect(str(db_path), config=config)
    except duckdb.Error as error:  # held by another process, or not a database this DuckDB can write
        raise warehouse_error(db_path, error) from error
    con.execute(DDL)
    return con


def loaded_files(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The SHA-256 of every file landed: one query for a whole load (a decade's is 120 short strings)."""
    return {sha256 for (sha256,) in con.execute("select file_sha256 from raw.tilt100_files").fetchall()}


def check_figures(report: Report) -> None:
    """No figure above MAX_FIGURE: a count of people beyond any TILT100 report (and the warehouse's integers).

    The parser refuses what is not a whole number (letters, a sign, a decimal
    point); this refuses a whole number too large, naming its file, page or
    sheet and cell, before anything of the file lands.
    """
    for row in report.rows:
        for figure in row.figures:
            digits = figure.text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
            if digits.isdigit() and (len(digits) > 9 or int(digits) > MAX_FIGURE):
                place: int | str = f"sheet {row.sheet!r}" if row.sheet else row.page_number
                where = f"cell {figure.cell_ref}" if figure.cell_ref else repr(" / ".join(row.label_lines))
                if row.source_line is not None:
                    where += f" (line {row.source_line})"
                expected = f"a figure of at most {MAX_FIGURE:,} (people on a measure)".replace(",", " ")
                raise ExtractError(report.file_name, place, expected, f"{figure.text!r} in {where}")


def check_cells(report: Report) -> None:
    """One figure per column in each row: raw.tilt100_cells' key (file, row, column), kept here, before landing.

    The parser puts each figure under one column and refuses a second under
    the same one; this holds the key whatever built the rows, so a file whose
    cells would share a key is refused, naming the row, and lands nothing.
    """
    for row in report.rows:
        seen: set[int] = set()
        for figure in row.figures:
            if figure.column.order in seen:
                found = f"two under {figure.column.header!r} in the row {' '.join(row.label_lines)!r}"
                raise ExtractError(report.file_name, place_of(row), "one figure per column in each row", found)
            seen.add(figure.column.order)


@dataclass(frozen=True)
class Records:
    """A report as the rows that land for it, built where it was read (`records`): the landing process only inserts."""

    file: dict[str, object]  # raw.tilt100_files: column -> value
    tables: dict[str, pa.Table]  # raw.tilt100_pages, _rows, _cells: their columns, as Arrow builds them
    skipped_sheets: tuple[tuple[str, str], ...] = ()  # the workbook's sheets passed over, and why: said, never landed

    @property
    def sha256(self) -> str:
        return str(self.file["file_sha256"])

    def count(self, table: str) -> int:
        """How many rows land in raw.`table` (tilt100_pages, tilt100_rows, tilt100_cells)."""
        return self.tables[table].num_rows


def records(report: Report) -> Records:
    """What lands for a report, as columns; its figures and keys checked first (ExtractError)."""
    check_figures(report)
    check_cells(report)
    pages = _columns(
        ("page_number", "page_title", "report_updated", "period", "footer", "row_count", "sheet_name"),
        ((p.number, p.title, p.updated, p.period, p.footer, len(p.rows), p.sheet) for p in report.pages),
    )
    rows = _columns(
        ("row_order", "page_number", "table_title", "label_lines", "source_line", "sheet_name", "block_heading"),
        (
            (order, r.page_number, r.table_title, list(r.label_lines), r.source_line, r.sheet, r.heading)
            for order, r in enumerate(report.rows, start=1)
        ),
    )
    cells = _columns(
        ("row_order", "column_order", "column_header", "value_text", "x0", "x1", "top", "cell_ref"),
        (
            (order, f.column.order, f.column.header, f.text, f.x0, f.x1, f.top, f.cell_ref)
            for order, r in enumerate(report.rows, start=1)
            for f in r.figures
        ),
    )
    file = {
        "file_sha256": report.sha256,
        "file_name": report.file_name,
        "file_format": report.file_format,
        "file_size": report.file_size,
        "report_code": report.report_code,
        "source_title": report.source_title,
        "report_updated": report.updated,
        "period": report.period,
        "page_count": len(report.pages),
        "row_count": len(rows["row_order"]),
        "extractor_version": EXTRACTOR_VERSION + (f"+{report.text_layer}" if report.text_layer else ""),
    }
    tables = {"tilt100_pages": pages, "tilt100_rows": rows, "tilt100_cells": cells}
    return Records(file, tables, report.skipped_sheets)


def land(con: duckdb.DuckDBPyConnection, landing: Records) -> int:
    """Insert one report's records in one transaction. Returns the number of figures landed."""
    con.begin()
    try:
        names = ", ".join(landing.file)  # the columns' names are ours
        marks = ", ".join("?" for _ in landing.file)
        con.execute(f"insert into raw.tilt100_files ({names}) values ({marks})", list(landing.file.values()))  # noqa: S608
        for table, data in landing.tables.items():
            _insert(con, table, landing.sha256, data)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return landing.count("tilt100_cells")


class _PandasAbsent(MetaPathFinder):
    def find_spec(self, name: str, path: object = None, target: object = None) -> ModuleSpec | None:
        if name == "pandas":
            raise ModuleNotFoundError("pandas is not used to read a file", name=name)
        return None


def arrow_without_pandas() -> None:
    """In a process that reads files: pandas cannot be imported, so pyarrow converts lists without it.

    pyarrow imports pandas, if installed, on its first conversion of a list (to tell a pandas
    object from a plain one): 0.2 s of CPU in every reading process, for records that are plain
    lists (`tilt100 load` of one text export: 0.62 s of CPU in all, 0.43 s without). A reading
    process never uses pandas; a process that lands, exports or queries is left alone.
    """
    if "pandas" not in sys.modules and not any(isinstance(f, _PandasAbsent) for f in sys.meta_path):
        sys.meta_path.insert(0, _PandasAbsent())


def _columns(names: tuple[str, ...], records: Iterable[tuple[object, ...]]) -> pa.Table:
    """Records as an Arrow table, built column by column (in the reading process: the landing one only inserts)."""
    columns: tuple[list[object], ...] = tuple([] for _ in names)
    for record in records:
        for column, value in zip(columns, record, strict=True):
            column.append(value)
    return pa.table(dict(zip(names, columns, strict=True)))


def _insert(con: duckdb.DuckDBPyConnection, table: str, sha: str, data: pa.Table) -> None:
    """Insert a file's records in one statement, handed to DuckDB as one Arrow table.

    Arrow converts each column list in C, and DuckDB reads the table whole:
    four times faster than binding the lists as parameters, which DuckDB
    converts value by value (the landing of a decade of reports is mostly this).
    """
    if not data.num_rows:
        return
    listed = ", ".join(data.column_names)  # the table's and columns' names are ours
    insert = f"insert into raw.{table} (file_sha256, {listed}) select $file_sha256, {listed} from {ARROW_VIEW}"  # noqa: S608
    con.register(ARROW_VIEW, data)
    try:
        con.execute(insert, {"file_sha256": sha})
    finally:
        con.unregister(ARROW_VIEW)
