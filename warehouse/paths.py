"""Where a warehouse keeps its files: the database, its Parquet exports, its lock."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plumbing import lock_path


@dataclass(frozen=True)
class WarehousePaths:
    db: Path  # the served DuckDB file, e.g. warehouse.duckdb

    @property
    def parquet(self) -> Path:
        """The served Parquet folder: a link to the snapshot of the last refresh."""
        return self.db.with_name(f"{self.db.stem}_parquet")

    @property
    def lock(self) -> Path:
        """Held by a refresh (and a direct load) while it runs: one at a time."""
        return lock_path(self.db)

    @property
    def failed_build(self) -> Path:
        """The last refresh whose build failed, kept to look at (schema test_failures)."""
        return self.db.with_name(f"{self.db.stem}.failed")

    @property
    def staging_dir(self) -> Path:
        """A hidden folder beside the warehouse where a refresh builds.

        Always the same path (refreshes hold the lock, one at a time), so dbt sees
        the same WAREHOUSE_DB every time and can parse the project partially.
        """
        return self.db.with_name(f".{self.db.stem}.refresh-build")

    def snapshot_dir(self, token: str) -> Path:
        """A hidden folder holding one refresh's Parquet files."""
        return self.db.with_name(f".{self.db.stem}_parquet.{token}")
