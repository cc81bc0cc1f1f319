"""Land a read report in DuckDB schema ``raw``: one file, one transaction.

Raw is raw: the tables hold the text as printed plus its lineage (file hash,
page, row order, position). Rows are only ever inserted, never updated. Text
reaches SQL only as bound parameters.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from extract.model import Report

EXTRACTOR_VERSION = "1"
# Write files that DuckDB 1.4 (bundled by many BI drivers) can open; the same
# setting is in profiles.yml for the files dbt creates.
STORAGE_COMPATIBILITY = "v1.4.0"

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
    loaded_at timestamp with time zone not null default current_timestamp
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
    cell_ref varchar,
    primary key (file_sha256, row_order, column_order)
);
-- Excel lineage, added after the first release: warehouses made before it gain the columns.
alter table raw.tilt100_pages add column if not exists sheet_name varchar;
alter table raw.tilt100_rows add column if not exists sheet_name varchar;
alter table raw.tilt100_cells add column if not exists cell_ref varchar;
"""


class WarehouseInUse(Exception):
    """Another process has the warehouse file open, so it cannot be written in place."""


def connect(db_path: Path) -> duckdb.DuckDBPyConnection:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(db_path), config={"storage_compatibility_version": STORAGE_COMPATIBILITY})
    except duckdb.IOException as error:
        holder = str(error).split(": ", 2)[-1].split(". However")[0]
        raise WarehouseInUse(
            f"{db_path} is open in another process ({holder}), so it cannot be loaded in place."
            " Close that connection (a BI tool, a notebook, dbt) and try again, or load with"
            " `python -m warehouse`, which builds beside the file and never waits for readers."
        ) from error
    con.execute(DDL)
    return con


def is_loaded(con: duckdb.DuckDBPyConnection, sha256: str) -> bool:
    found = con.execute("select count(*) from raw.tilt100_files where file_sha256 = ?", [sha256]).fetchone()
    return found is not None and found[0] > 0


def land(con: duckdb.DuckDBPyConnection, report: Report) -> int:
    """Insert one report in one transaction. Returns the number of figures landed."""
    sha = report.sha256
    pages = [
        {
            "file_sha256": sha,
            "page_number": p.number,
            "page_title": p.title,
            "report_updated": p.updated,
            "period": p.period,
            "footer": p.footer,
            "row_count": len(p.rows),
            "sheet_name": p.sheet,
        }
        for p in report.pages
    ]
    rows = []
    cells = []
    for order, row in enumerate(report.rows, start=1):
        rows.append(
            {
                "file_sha256": sha,
                "row_order": order,
                "page_number": row.page_number,
                "table_title": row.table_title,
                "label_lines": list(row.label_lines),
                "source_line": row.source_line,
                "sheet_name": row.sheet,
            }
        )
        cells.extend(
            {
                "file_sha256": sha,
                "row_order": order,
                "column_order": f.column.order,
                "column_header": f.column.header,
                "value_text": f.text,
                "x0": f.x0,
                "x1": f.x1,
                "top": f.top,
                "cell_ref": f.cell,
            }
            for f in row.figures
        )
    con.begin()
    try:
        con.execute(
            "insert into raw.tilt100_files (file_sha256, file_name, file_format, file_size, source_title,"
            " report_updated, period, page_count, row_count, extractor_version) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                sha,
                report.file_name,
                report.file_format,
                report.file_size,
                report.source_title,
                report.updated,
                report.period,
                len(report.pages),
                len(rows),
                EXTRACTOR_VERSION,
            ],
        )
        for table, records in (("tilt100_pages", pages), ("tilt100_rows", rows), ("tilt100_cells", cells)):
            _insert(con, table, records)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return len(cells)


def _insert(con: duckdb.DuckDBPyConnection, table: str, records: list[dict]) -> None:
    """Insert many records in one statement, the records bound as one parameter."""
    if records:
        con.execute(
            f"insert into raw.{table} by name select unnest($records, max_depth := 2)",
            {"records": records},
        )
