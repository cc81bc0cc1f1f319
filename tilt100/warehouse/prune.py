"""Relations the project no longer builds, dropped from a build before it is served.

dbt creates and replaces what its project defines and never drops what it
stopped defining: a model renamed, moved to another schema (the tables that do
not sum moved from `marts` to `audit`) or removed would stay in the served file
as an old copy that no build refreshes, and a BI tool would list it beside the
real one. After a build passes, every table and view in the schemas dbt builds
that is not a node of the project (as dbt parsed it for that build) is dropped. `raw` (the extractor's),
`meta` (the refresh's record) and `test_failures` (a failed build's) are not
dbt's to prune.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

import duckdb

from tilt100.plumbing import identifier

BUILT_SCHEMAS = ("staging", "intermediate", "marts", "audit", "seeds")
MATERIALIZED = ("model", "seed", "snapshot")


def built_relations(nodes: Iterable[Any]) -> set[tuple[str, str]]:
    """(schema, name) of every relation the project builds, from dbt's parsed nodes (ephemeral models build none)."""
    return {
        (node.schema, node.alias or node.name)
        for node in nodes
        if node.resource_type in MATERIALIZED and node.config.materialized != "ephemeral"
    }


def drop_stale(db: Path, keep: Collection[tuple[str, str]]) -> list[str]:
    """Drop from `db` what the schemas dbt builds hold and `keep` (what the project builds) lacks; their names."""
    schemas = list(BUILT_SCHEMAS)
    with duckdb.connect(str(db)) as con:
        found = con.execute(
            "select schema_name, table_name, 'table' from duckdb_tables()"
            " where database_name = current_database() and schema_name in (select unnest($1))"
            " union all select schema_name, view_name, 'view' from duckdb_views()"
            " where database_name = current_database() and not internal and schema_name in (select unnest($1))",
            [schemas],
        ).fetchall()
        stale = sorted((schema, name, kind) for schema, name, kind in found if (schema, name) not in keep)
        for schema, name, kind in stale:
            con.execute(f"drop {kind} {identifier(schema)}.{identifier(name)}")
    return [f"{schema}.{name}" for schema, name, _ in stale]
