"""What the export reads: the marts and audit tables, their descriptions (DuckDB comments) and rows, the wide tables."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import duckdb

from tilt100.plumbing import identifier as quote
from tilt100.warehouse.reader_file import SCHEMAS  # what readers are given: marts, then audit

# The per-dimension marts a wide table is made of: marts.fct_participants_by_<dimension>.
BY_DIMENSION = "fct_participants_by_"
FETCH_ROWS = 10_000


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # DuckDB's, e.g. DATE, INTEGER, VARCHAR
    description: str


@dataclass(frozen=True)
class Table:
    schema: str  # marts or audit
    name: str
    description: str
    columns: tuple[Column, ...]
    rows: int

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def ordered_select(self) -> str:
        """Every row, by month, then the report's sort orders, then every other column: the same order each time."""
        names = self.column_names
        first = [n for n in names if n == "month"] + [n for n in names if n.endswith("_sort_order")]
        order = ", ".join(quote(n) for n in first + [n for n in names if n not in first])
        return f"select * from {self.qualified} order by {order}"  # noqa: S608 (names from the catalog)

    @property
    def qualified(self) -> str:
        return f"{quote(self.schema)}.{quote(self.name)}"


@dataclass(frozen=True)
class Wide:
    """Participants of one dimension, a row per status group × category and a column per month.

    `cells[r][m]` is the figure of row r in month m: None where NAV suppressed
    it (then (r, m) is in `suppressed`) or where that month has no such row.
    """

    dimension: str
    source: str  # the mart it is read from
    key_columns: tuple[str, ...]
    keys: list[tuple[str, ...]]
    months: list[date]
    cells: list[list[int | None]]
    suppressed: frozenset[tuple[int, int]]

    @property
    def header(self) -> list[str]:
        return [*self.key_columns, *(month_header(m) for m in self.months)]

    def rows(self) -> Iterator[list[str | int | None]]:
        for key, cells in zip(self.keys, self.cells, strict=True):
            yield [*key, *cells]


def month_header(month: date) -> str:
    """StatBank's month: 2026M01."""
    return f"{month.year}M{month.month:02d}"


def marts(con: duckdb.DuckDBPyConnection) -> list[Table]:
    """Every table of schemas `marts` then `audit`, by name, with its comment and each column's (dbt's descriptions)."""
    found = con.execute(
        "select schema_name, table_name, coalesce(comment, '') from duckdb_tables()"
        " where schema_name in (select unnest($1)) order by list_position($1, schema_name), table_name",
        [list(SCHEMAS)],
    ).fetchall()
    columns: dict[tuple[str, str], list[Column]] = {}
    for schema, table, name, data_type, comment in con.execute(
        "select schema_name, table_name, column_name, data_type, coalesce(comment, '') from duckdb_columns()"
        " where schema_name in (select unnest($1)) order by schema_name, table_name, column_index",
        [list(SCHEMAS)],
    ).fetchall():
        columns.setdefault((schema, table), []).append(Column(name, data_type, comment.strip()))
    tables = []
    for schema, name, comment in found:
        counted = con.execute(f"select count(*) from {quote(schema)}.{quote(name)}").fetchone()  # noqa: S608
        described = tuple(columns.get((schema, name), ()))
        tables.append(Table(schema, name, comment.strip(), described, counted[0] if counted else 0))
    return tables


def rows(con: duckdb.DuckDBPyConnection, table: Table) -> Iterator[tuple]:
    cursor = con.execute(table.ordered_select())
    while batch := cursor.fetchmany(FETCH_ROWS):
        yield from batch


def dimensions(con: duckdb.DuckDBPyConnection, tables: list[Table]) -> list[tuple[str, Table]]:
    """(dimension, its mart) for each dimension of fct_participants that has a mart fct_participants_by_<dimension>."""
    by_name = {t.name: t for t in tables}
    if "fct_participants" not in by_name:
        return []
    names = [d for (d,) in con.execute("select distinct dimension from audit.fct_participants order by 1").fetchall()]
    return [(d, by_name[BY_DIMENSION + d]) for d in names if shapeable(d, by_name.get(BY_DIMENSION + d))]


def shapeable(dimension: str, mart: Table | None) -> bool:
    """A mart with the figures, by month, and a category or status group to make rows of."""
    names = mart.column_names if mart else []
    rows_of = {"status_code", f"{dimension}_label_no", f"{dimension}_name"}
    return {"month", "participants", "is_suppressed"} <= set(names) and bool(rows_of & set(names))


def wide(con: duckdb.DuckDBPyConnection, dimension: str, mart: Table) -> Wide:
    """The wide table of `dimension` from its mart, in the report's order.

    The category is its code column (the one before its label) and label
    (``<dimension>_label_no``, else ``<dimension>_name``), with the status group
    (code and label) before it where the mart has one; a mart with no
    category of its own (arbeidsmarkedsstatus) has a row per status group. A
    label is the latest month's, so a renamed category stays one row.
    """
    names = mart.column_names
    status = ("status_code", "status_label_no") if "status_code" in names else ()
    label = next((n for n in (f"{dimension}_label_no", f"{dimension}_name") if n in names), None)
    category = (names[names.index(label) - 1], label) if label else ()  # none: the status group is the category
    sort = f"{dimension}_sort_order" if f"{dimension}_sort_order" in names else None
    key_columns = status + category
    group = list(status[:1] + category[:1])
    labels = [f"arg_max({quote(c)}, month) as {quote(c)}" for c in key_columns if c not in group]
    sorts = (["min(status_sort_order) as s1"] if status else ["0 as s1"]) + [
        f"min({quote(sort)}) as s2" if sort else "0 as s2"
    ]
    q_group, source = ", ".join(quote(c) for c in group), f"marts.{quote(mart.name)}"  # names from the catalog
    by_key = f"select {q_group}, {', '.join(labels)}, {', '.join(sorts)} from {source} group by {q_group}"  # noqa: S608
    keys = []
    for found in con.execute(f"{by_key} order by s1, s2, {q_group}").fetchall():
        values = dict(zip([*group, *(c for c in key_columns if c not in group)], found, strict=False))
        keys.append(tuple(values[c] for c in key_columns))
    months = [m for (m,) in con.execute(f"select distinct month from {source} order by 1").fetchall()]  # noqa: S608
    row_of = {tuple(k[key_columns.index(c)] for c in group): i for i, k in enumerate(keys)}
    month_of = {m: i for i, m in enumerate(months)}
    cells: list[list[int | None]] = [[None] * len(months) for _ in keys]
    suppressed = set()
    figures = con.execute(f"select {q_group}, month, participants, is_suppressed from {source}").fetchall()  # noqa: S608
    for found in figures:
        r, m = row_of[tuple(found[: len(group)])], month_of[found[len(group)]]
        cells[r][m] = found[len(group) + 1]
        if found[len(group) + 2]:
            suppressed.add((r, m))
    return Wide(dimension, mart.name, key_columns, keys, months, cells, frozenset(suppressed))
