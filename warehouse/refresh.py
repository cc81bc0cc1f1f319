"""Refresh the served warehouse: load, build and export beside it, then swap atomically.

Readers are never blocked and never see half a refresh:

1. Under an exclusive lock (one refresh at a time), copy the served file into
   a hidden folder beside it, under the same file name (dbt-duckdb names the
   database after the file, and the views refer to that name).
2. Land the new reports in the copy (`extract`), `dbt build` it, and export
   every mart table as Parquet into a new snapshot folder.
3. Only if the build passed: rename the new file over the served one (an
   atomic rename on one file system) and point the Parquet link at the new
   snapshot. A reader that had the old file open keeps its consistent old
   view until it reconnects; a new connection sees the new warehouse.

A failed build, or any error, leaves the served warehouse and its Parquet
files exactly as they were, and says why.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from extract.batch import LoadCounts, load_paths
from extract.lock import exclusive
from extract.pdf import DEFAULT_TEXT_LAYER, TextLayer
from warehouse import dbt, state
from warehouse.paths import WarehousePaths


@dataclass(frozen=True)
class RefreshResult:
    swapped: bool  # the served warehouse is the new build
    loads: LoadCounts
    build: dbt.BuildResult | None

    @property
    def exit_code(self) -> int:
        return 0 if self.swapped and not self.loads.failed else 1


def refresh(
    db: Path,
    reports: Sequence[Path],
    jobs: int | None = None,
    text_layer: TextLayer = DEFAULT_TEXT_LAYER,
    full: bool = False,
) -> RefreshResult:
    paths = WarehousePaths(db.resolve())
    with exclusive(paths.lock, on_wait=lambda: print(f"another load or refresh of {paths.db} is running: waiting")):
        _remove_leftovers(paths)  # of a refresh that was killed: we hold the lock, so none is running
        token = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
        stage = paths.staging_dir
        stage.mkdir(parents=True)
        snapshot = paths.snapshot_dir(token)
        try:
            new_db = stage / paths.db.name
            _copy_served(paths.db, new_db)
            with dbt.Build(new_db) as builder:  # dbt imports while the reports land
                loads = load_paths(new_db, reports, jobs, text_layer)
                built = state.plan(new_db, full=full or not loads.loaded)
                print(f"built in {stage}: dbt build of {built.reason}")
                build = builder.run(built.selection, built.full_refresh)
            if not build.ok:
                _keep_failed(stage, paths.failed_build)
                print(f"dbt build failed; the warehouse {paths.db} is unchanged. What failed:")
                for failure in build.failures:
                    print(f"  - {failure}")
                print(f"The failed build is kept in {paths.failed_build} (failing rows in schema test_failures).")
                return RefreshResult(False, loads, build)
            state.record(new_db, built, loads.loaded)
            export_parquet(new_db, snapshot)
            _durable(new_db)
            os.replace(new_db, paths.db)  # the commit point
            _point_link(paths.parquet, snapshot)
            _durable(paths.db.parent)
            _remove_old_snapshots(paths, keep=snapshot)
            return RefreshResult(True, loads, build)
        except BaseException:
            shutil.rmtree(snapshot, ignore_errors=True)
            raise
        finally:
            shutil.rmtree(stage, ignore_errors=True)


def _copy_served(served: Path, new_db: Path) -> None:
    """Start from what is served (raw holds every report loaded so far)."""
    if served.exists():
        shutil.copyfile(served, new_db)
    wal = served.with_name(served.name + ".wal")
    if wal.exists():  # a load that went straight to the served file and did not checkpoint
        shutil.copyfile(wal, new_db.with_name(new_db.name + ".wal"))


def _remove_leftovers(paths: WarehousePaths) -> None:
    for stage in paths.db.parent.glob(f".{paths.db.stem}.refresh-*"):
        shutil.rmtree(stage, ignore_errors=True)
    for link in paths.db.parent.glob(f".{paths.parquet.name}.link-*"):
        link.unlink(missing_ok=True)
    if paths.parquet.is_symlink():
        _remove_old_snapshots(paths, keep=paths.parquet.parent / os.readlink(paths.parquet))


def _durable(path: Path) -> None:
    """Flush a file (or a folder's entries) to disk, so a rename survives a power cut."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _keep_failed(stage: Path, failed: Path) -> None:
    shutil.rmtree(failed, ignore_errors=True)
    os.replace(stage, failed)


def export_parquet(db: Path, out: Path) -> list[Path]:
    """Every table of schema `marts` as `<table>.parquet` in `out`."""
    out.mkdir(parents=True)
    written = []
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables"
                " where table_schema = 'marts' and table_type = 'BASE TABLE' order by table_name"
            ).fetchall()
        ]
        for table in tables:
            path = out / f"{table}.parquet"
            target = str(path).replace("'", "''")
            con.execute(f"copy marts.\"{table}\" to '{target}' (format parquet)")  # names from the catalog, path ours
            written.append(path)
    return written


def _point_link(link: Path, snapshot: Path) -> None:
    """Make `link` point at `snapshot` in one atomic rename."""
    new_link = link.with_name(f".{link.name}.link-{os.getpid()}")
    new_link.unlink(missing_ok=True)
    os.symlink(snapshot.name, new_link)
    if link.exists() and not link.is_symlink():  # a folder from before links were used
        shutil.rmtree(link)
    os.replace(new_link, link)


def _remove_old_snapshots(paths: WarehousePaths, keep: Path) -> None:
    """Readers that opened an old file keep it open (Linux): the folder can go."""
    for old in paths.db.parent.glob(f".{paths.parquet.name}.*"):
        if old != keep and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
