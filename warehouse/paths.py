"""Where a warehouse keeps its files: the database, its Parquet exports, its lock, its build, its docs.

Everything a refresh writes is beside the warehouse (its folder must be
writable); nothing is written in the project folder, so refreshes of several
warehouses, `tilt100 docs` and a read-only checkout of the project never share
a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plumbing import lock_path
from warehouse.parse_cache import checkout_key

MANIFEST = "manifest.json"  # in every Parquet snapshot: its refresh, files, rows and checksums


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
        """The last refresh whose build failed, kept to look at (schema test_failures, dbt's log)."""
        return self.db.with_name(f"{self.db.stem}.failed")

    @property
    def staging_dir(self) -> Path:
        """A hidden folder beside the warehouse where a refresh builds: the copy, dbt's target and logs.

        Always the same path (refreshes hold the lock, one at a time), so dbt sees
        the same WAREHOUSE_DB every time and can parse the project partially.
        """
        return self.db.with_name(f".{self.db.stem}.refresh-build")

    @property
    def dbt_target(self) -> Path:
        """dbt's target-path of this warehouse's refresh (run_results.json, compiled SQL): in the build folder."""
        return self.staging_dir / "target"

    @property
    def dbt_logs(self) -> Path:
        """dbt's log-path of this warehouse's refresh (dbt.log): in the build folder."""
        return self.staging_dir / "logs"

    @property
    def partial_parse(self) -> Path:
        """dbt's parsed project, kept from the last refresh that passed, named for the checkout that made it
        (dbt's parse holds the seeds' absolute paths): the next refresh from there parses only what changed."""
        return self.db.with_name(f".{self.db.stem}.partial_parse.{checkout_key()}.msgpack")

    def kept_parses(self) -> list[Path]:
        """Every parse kept beside the warehouse, whichever checkout made it (and older names)."""
        return sorted(self.db.parent.glob(f".{self.db.stem}.partial_parse.*msgpack"))

    @property
    def docs(self) -> Path:
        """`tilt100 docs` writes dbt's documentation site of this warehouse here."""
        return self.db.with_name(f"{self.db.stem}_docs")

    def snapshot_dir(self, token: str) -> Path:
        """A hidden folder holding one refresh's Parquet files and its manifest."""
        return self.db.with_name(f".{self.db.stem}_parquet.{token}")

    def snapshots(self) -> list[Path]:
        """Every Parquet snapshot folder beside the warehouse (served, kept, or left by a killed refresh)."""
        return sorted(p for p in self.db.parent.glob(f".{self.parquet.name}.*") if p.is_dir() and not p.is_symlink())
