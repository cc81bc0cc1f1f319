"""The DuckDB file for BI tools: the marts and audit tables alone, with their keys and descriptions.

The served warehouse (`warehouse.duckdb`) holds the build's insides beside
the marts: what the extractor landed (`raw`), the steps between (`staging`,
`intermediate`), the seeds and the refresh's record (`meta`). A BI tool that
connects to it lists them all. So each refresh also writes, into its Parquet
snapshot, a file of what readers are meant to see and nothing else:
`warehouse_parquet/warehouse.duckdb` (named as the served file, so its
catalog has the same name and `warehouse.marts.<table>` reads the same):

- schema `marts`: every table as built, its primary key, NOT NULL and checks
  as dbt's contract declared them, and a **foreign key** from every column
  named as a dimension's key (`month`, `status_code`, `fylke_nr`,
  `kommune_nr`, `<dimension>_code`) to that dimension (`dim_month`,
  `dim_arbeidsmarkedsstatus`, ...): the one naming rule the marts keep, so a
  tool can see each join. DuckDB checks every key as the rows go in.
- schema `audit`: the published figures kept whole (not to sum), with their
  primary keys; DuckDB keeps foreign keys within one schema, so none.
- every table's and column's description as its comment.

It is written in DuckDB 1.4's storage format, like the served file, and goes
with its snapshot: the Parquet link points at the new file in the same
atomic rename, and a reader that opened the old one keeps it.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb

from tilt100.plumbing import identifier, literal
from tilt100.settings import EXPORT_MEMORY_LIMIT, STORAGE_COMPATIBILITY

SCHEMAS = ("marts", "audit")  # what readers see; nothing else is copied
KEYED_SCHEMA = "marts"  # where dimensions live and foreign keys point


class KeyViolation(Exception):
    """A row of the build breaks a key the file for BI tools declares (dbt's relationships tests should have said)."""


@dataclass(frozen=True)
class ForeignKey:
    column: str
    dimension: str  # the table in `marts` whose one-column primary key is `column`


def dimension_keys(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, str]:
    """{key column: dimension} for each `dim_` table of marts whose primary key is one column."""
    found = con.execute(
        "select table_name, constraint_column_names from duckdb_constraints()"
        " where database_name = ? and schema_name = ? and constraint_type = 'PRIMARY KEY'"
        " and starts_with(table_name, 'dim_')",
        [catalog, KEYED_SCHEMA],
    ).fetchall()
    return {columns[0]: table for table, columns in found if len(columns) == 1}


def foreign_keys(columns: list[str], table: str, keys: dict[str, str]) -> list[ForeignKey]:
    return [ForeignKey(c, keys[c]) for c in columns if c in keys and keys[c] != table]


def write_reader_file(build_db: Path, out: Path) -> list[tuple[str, str, int]]:
    """Write `out` from `build_db` (read-only); (schema, table, rows) of what it holds, in the order written."""
    config = {"storage_compatibility_version": STORAGE_COMPATIBILITY, "memory_limit": EXPORT_MEMORY_LIMIT}
    with duckdb.connect(str(out), config=config) as con:
        con.execute("attach ? as build (read_only)", [str(build_db)])
        tables = con.execute(
            "select schema_name, table_name, sql, coalesce(comment, '') from duckdb_tables()"
            " where database_name = 'build' and schema_name in (select unnest(?)) order by schema_name, table_name",
            [list(SCHEMAS)],
        ).fetchall()
        columns: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for schema, table, column, comment in con.execute(
            "select schema_name, table_name, column_name, coalesce(comment, '') from duckdb_columns()"
            " where database_name = 'build' order by schema_name, table_name, column_index"
        ).fetchall():
            columns.setdefault((schema, table), []).append((column, comment))
        keys = dimension_keys(con, "build")
        fks = {
            (schema, table): foreign_keys([c for c, _ in columns[(schema, table)]], table, keys)
            if schema == KEYED_SCHEMA
            else []
            for schema, table, _, _ in tables
        }
        order = TopologicalSorter(
            {(s, t): {(KEYED_SCHEMA, fk.dimension) for fk in fks[(s, t)]} for s, t, _, _ in tables}
        ).static_order()
        by_name = {(s, t): (sql, comment) for s, t, sql, comment in tables}
        referenced = {(KEYED_SCHEMA, fk.dimension) for keys_of_table in fks.values() for fk in keys_of_table}
        for schema in SCHEMAS:
            con.execute(f"create schema {schema}")

        def copy(group: list[tuple[str, str]], cursor: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int]]:
            """The tables of `group`, in order, in one transaction of `cursor` (one commit, not one per statement)."""
            done = []
            cursor.execute("begin")
            for schema, table in group:
                sql, comment = by_name[(schema, table)]
                # A dimension gets its key as it is made (a foreign key needs it); any other table
                # once its rows are in: building an index whole is faster than row by row.
                create, key = _split_primary_key(sql) if (schema, table) not in referenced else (sql, None)
                cursor.execute(_with_foreign_keys(create, schema, table, fks[(schema, table)]))
                rows = _copy_rows(cursor, schema, table, [c for c, _ in columns[(schema, table)]], key)
                name = f"{identifier(schema)}.{identifier(table)}"
                comments = [f"comment on table {name} is {literal(comment)};"] if comment else []
                comments += [
                    f"comment on column {name}.{identifier(column)} is {literal(described)};"
                    for column, described in columns[(schema, table)]
                    if described
                ]
                if comments:  # as the build has them, to the character
                    cursor.execute("\n".join(comments))
                done.append((schema, table, rows))
            cursor.execute("commit")
            return done

        # The tables of `audit` (no keys to others) in a transaction of their own, beside those of `marts`.
        ordered = list(order)
        with ThreadPoolExecutor(1) as beside:
            audit = beside.submit(copy, [t for t in ordered if t[0] != KEYED_SCHEMA], con.cursor())
            written = copy([t for t in ordered if t[0] == KEYED_SCHEMA], con)
            written += audit.result()
        con.execute("detach build")
        con.execute("checkpoint")
    return written


PRIMARY_KEY = re.compile(r", (PRIMARY KEY\((?:[^()\"]|\"[^\"]*\")*\))\);$")


def _copy_rows(con: duckdb.DuckDBPyConnection, schema: str, table: str, columns: list[str], key: str | None) -> int:
    """Copy the build's rows of `schema.table`, then add its primary key `key` (if any); the rows copied."""
    names = ", ".join(identifier(c) for c in columns)
    name = f"{identifier(schema)}.{identifier(table)}"
    try:
        copied = con.execute(f"insert into {name} ({names}) select {names} from build.{name}").fetchone()  # noqa: S608
        if key:
            con.execute(f"alter table {name} add {key}")
    except duckdb.ConstraintException as error:
        first = str(error).splitlines()[0]
        raise KeyViolation(f"{schema}.{table}: expected its keys to hold, found {first}") from None
    return copied[0] if copied else 0


def _split_primary_key(sql: str) -> tuple[str, str | None]:
    """DuckDB's CREATE TABLE text without its PRIMARY KEY clause, and that clause (None if it has none)."""
    found = PRIMARY_KEY.search(sql)
    if found is None:
        return sql, None
    return sql[: found.start()] + ");", found.group(1)


def _with_foreign_keys(sql: str, schema: str, table: str, fks: list[ForeignKey]) -> str:
    """The build's CREATE TABLE of `schema.table` (DuckDB's own text of it), with `fks` added before its end."""
    head, end = f"CREATE TABLE {schema}.{table}(", ");"
    if not (sql.startswith(head) and sql.endswith(end)):
        raise ValueError(f"{schema}.{table}: expected DuckDB's CREATE TABLE text to start {head!r}, found {sql[:80]!r}")
    added = "".join(
        f", FOREIGN KEY ({column}) REFERENCES {KEYED_SCHEMA}.{identifier(fk.dimension)}({column})"
        for fk in fks
        for column in [identifier(fk.column)]
    )
    return sql[: -len(end)] + added + end
