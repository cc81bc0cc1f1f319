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

from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb

from plumbing import identifier, literal
from project import STORAGE_COMPATIBILITY

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
    written = []
    with duckdb.connect(str(out), config={"storage_compatibility_version": STORAGE_COMPATIBILITY}) as con:
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
        for schema in SCHEMAS:
            con.execute(f"create schema {schema}")
        for schema, table in order:
            sql, comment = by_name[(schema, table)]
            con.execute(_with_foreign_keys(sql, schema, table, fks[(schema, table)]))
            names = ", ".join(identifier(c) for c, _ in columns[(schema, table)])
            name = f"{identifier(schema)}.{identifier(table)}"
            try:
                con.execute(f"insert into {name} ({names}) select {names} from build.{name}")  # noqa: S608
            except duckdb.ConstraintException as error:
                first = str(error).splitlines()[0]
                raise KeyViolation(f"{schema}.{table}: expected its keys to hold, found {first}") from None
            if comment:  # as the build has it, to the character
                con.execute(f"comment on table {name} is {literal(comment)}")
            for column, described in columns[(schema, table)]:
                if described:
                    con.execute(f"comment on column {name}.{identifier(column)} is {literal(described)}")
            counted = con.execute(f"select count(*) from {name}").fetchone()  # noqa: S608 (catalog's)
            written.append((schema, table, counted[0] if counted else 0))
        con.execute("detach build")
        con.execute("checkpoint")
    return written


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
