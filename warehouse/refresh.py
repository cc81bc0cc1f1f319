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

import errno
import os
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from extract import DEFAULT_TEXT_LAYER, LoadCounts, TextLayer, check_inputs, load_paths
from plumbing import (
    MachineFault,
    NothingAttempted,
    check,
    check_file,
    checkpoint,
    durable,
    exclusive,
    machine_fault,
    no_other_writer,
    quoted,
    recover,
    swap_in,
    wal_of,
)
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
    """Refresh `db`. Raises NothingAttempted (exit 2) before any work, MachineFault (exit 1) when the machine fails."""
    paths = WarehousePaths(db.resolve())
    check_inputs(reports)
    if '"' in paths.db.stem or "'" in paths.db.stem:
        raise NothingAttempted(
            f"{quoted(paths.db)}: expected a warehouse file name without quotes, found {paths.db.name!r}"
            " (dbt-duckdb names the database after the file and writes that name into SQL unescaped);"
            " rename the file (quotes in the folders above it are fine)"
        )
    check_file(paths.db)  # before the lock file is made beside it
    waiting = f"another load or refresh of {quoted(paths.db)} is running: waiting"
    with exclusive(paths.lock, on_wait=lambda: print(waiting)):
        _remove_leftovers(paths)  # of a refresh that was killed: we hold the lock, so none is running
        check(paths.db)
        with no_other_writer(paths.db):  # readers come and go; no writer may start until the swap is done
            return _refresh(paths, reports, jobs, text_layer, full)


def _refresh(
    paths: WarehousePaths, reports: Sequence[Path], jobs: int | None, text_layer: TextLayer, full: bool
) -> RefreshResult:
    _make_room(paths)
    token = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
    stage = paths.staging_dir
    snapshot = paths.snapshot_dir(token)
    step = "making the build folder"
    try:
        stage.mkdir(parents=True)
        new_db = stage / paths.db.name
        step = "copying the warehouse"
        _copy_served(paths.db, new_db)
        step = "landing the reports"
        with dbt.Build(new_db) as builder:  # dbt imports while the reports land
            loads = load_paths(new_db, reports, jobs, text_layer)
            built = state.plan(new_db, full=full or not loads.loaded)
            print(f"built in {quoted(stage)}: dbt build of {built.reason}")
            step = "running dbt build"
            build = builder.run(built.selection, built.full_refresh)
        if build.no_space:  # nothing to learn from a build the disk cut short, and it holds the space
            raise machine_fault(OSError(errno.ENOSPC, "No space left on device"), step, quoted(paths.db.parent))
        if not build.ok:
            _keep_failed(stage, paths.failed_build)
            if build.not_run:
                print(f"dbt failed before running: {build.not_run}; the warehouse {quoted(paths.db)} is unchanged.")
            else:
                print(f"dbt build failed; the warehouse {quoted(paths.db)} is unchanged. What failed:")
                for failure in build.failures:
                    print(f"  - {failure}")
            kept = quoted(paths.failed_build)
            print(f"The failed build is kept in {kept} (failing rows in schema test_failures).")
            return RefreshResult(False, loads, build)
        step = "recording the refresh"
        state.record(new_db, built, loads.loaded)
        checkpoint(new_db)  # the new file stands alone: no WAL of its own
        step = "exporting Parquet"
        export_parquet(new_db, snapshot)
        step = "swapping the new warehouse in"
        swap_in(new_db, paths.db)  # the commit point; the served file's WAL goes with it
        step = "pointing the Parquet link at the new snapshot"
        _point_link(paths.parquet, snapshot)
        durable(paths.db.parent)
        _remove_old_snapshots(paths, keep=snapshot)
        return RefreshResult(True, loads, build)
    except (OSError, duckdb.Error, MachineFault) as error:
        shutil.rmtree(snapshot, ignore_errors=True)
        fault = error if isinstance(error, MachineFault) else machine_fault(error, step, quoted(paths.db.parent))
        if fault is None:
            raise
        after = step.startswith("pointing")
        outcome = "the warehouse is refreshed; its Parquet link is one refresh behind" if after else "is unchanged"
        raise MachineFault(f"{fault}. The warehouse {quoted(paths.db)} {outcome}") from None
    except BaseException:
        shutil.rmtree(snapshot, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _make_room(paths: WarehousePaths) -> None:
    """A failed build kept from an earlier refresh never blocks this one: dropped when the disk lacks room."""
    if not paths.failed_build.exists():
        return
    need = 2 * sum(p.stat().st_size for p in (paths.db, wal_of(paths.db)) if p.exists()) + (64 << 20)
    if shutil.disk_usage(paths.db.parent).free < need:
        shutil.rmtree(paths.failed_build, ignore_errors=True)
        print(f"removed the failed build kept in {quoted(paths.failed_build)}: this refresh needs its space")


def _copy_served(served: Path, new_db: Path) -> None:
    """Start from what is served (raw holds every report loaded so far), its WAL included (the build replays it)."""
    if served.exists():
        shutil.copyfile(served, new_db)
    wal = wal_of(served)
    if wal.exists():  # a load that went straight to the served file and did not checkpoint; `check` opened it
        shutil.copyfile(wal, wal_of(new_db))


def _remove_leftovers(paths: WarehousePaths) -> None:
    recover(paths.db)  # a swap killed half way: the served file gets its WAL back, or the old WAL goes
    for stage in paths.db.parent.glob(f".{paths.db.stem}.refresh-*"):
        shutil.rmtree(stage, ignore_errors=True)
    for link in paths.db.parent.glob(f".{paths.parquet.name}.link-*"):
        link.unlink(missing_ok=True)
    if paths.parquet.is_symlink():
        _remove_old_snapshots(paths, keep=paths.parquet.parent / os.readlink(paths.parquet))


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
