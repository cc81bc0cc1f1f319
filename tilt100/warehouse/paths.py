"""Where a warehouse keeps its files: the database, its Parquet exports, its lock, its build, its docs.

Everything a refresh writes is beside the warehouse (its folder must be
writable); nothing is written in the project folder, so refreshes of several
warehouses, `tilt100 docs` and a read-only checkout of the project never share
a file.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from tilt100.plumbing import lock_path, wal_asides, wal_of
from tilt100.warehouse.parse_cache import checkout_key

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
    def build_dir(self) -> Path:
        """A hidden folder beside the warehouse where a refresh builds: the copy, dbt's target and logs.

        Always the same path (refreshes hold the lock, one at a time), so dbt sees
        the same WAREHOUSE_DB every time and can parse the project partially.
        """
        return self.db.with_name(f".{self.db.stem}.refresh-build")

    @property
    def dbt_target(self) -> Path:
        """dbt's target-path of this warehouse's refresh (run_results.json, compiled SQL): in the build folder."""
        return self.build_dir / "target"

    @property
    def dbt_logs(self) -> Path:
        """dbt's log-path of this warehouse's refresh (dbt.log): in the build folder."""
        return self.build_dir / "logs"

    @property
    def partial_parse(self) -> Path:
        """dbt's parsed project, kept from the last refresh that passed, named for the checkout that made it
        (dbt's parse holds the seeds' absolute paths): the next refresh from there parses only what changed."""
        return self.db.with_name(f".{self.db.stem}.partial_parse.{checkout_key()}.msgpack")

    def parse_files(self) -> list[Path]:
        """Every parse kept beside the warehouse, whichever checkout made it (and older names), and any
        copy of one a killed refresh left unfinished."""
        return sorted(self.db.parent.glob(f".{self.db.stem}.partial_parse.*"))

    def kept_parses(self) -> list[Path]:
        """Every parse kept beside the warehouse, whichever checkout made it (and older names)."""
        return [path for path in self.parse_files() if path.name.endswith("msgpack")]

    def unfinished_builds(self) -> list[Path]:
        """Build folders a killed refresh left (`build_dir`, and older builds' names)."""
        return sorted(self.db.parent.glob(f".{self.db.stem}.refresh-*"))

    def links_being_made(self) -> list[Path]:
        """The Parquet link's replacement a killed refresh left before renaming it over the link."""
        return sorted(self.db.parent.glob(f".{self.parquet.name}.link-*"))

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

    def beside(self) -> list[Path]:
        """Everything this warehouse is and has beside it, as it is now: the file, its WAL (and one moved
        aside by a swap), its lock, the Parquet link and snapshots (and a link being made), the failed
        build, unfinished builds, kept parses and the docs site. What `make clean` removes."""
        named = [self.db, wal_of(self.db), self.lock, self.parquet, self.failed_build, self.docs]
        found = {path for path in named if path.exists() or path.is_symlink()}
        hidden = [*wal_asides(self.db), *self.snapshots(), *self.links_being_made()]
        return sorted(found | {*hidden, *self.unfinished_builds(), *self.parse_files()})

    def remove(self) -> list[Path]:
        """Remove everything `beside` lists (`make clean`); what was removed."""
        removed = self.beside()
        for path in removed:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        return removed
