"""Refresh the served warehouse: load, build and export beside it, then swap atomically.

Readers are never blocked and never see half a refresh:

1. Under an exclusive lock (one refresh at a time), copy the served file into
   a hidden build folder beside it, under the same file name (dbt-duckdb names
   the database after the file, and the views refer to that name).
2. Land the new reports in the copy (`extract`), `dbt build` it (dbt's target
   and logs in the build folder too: the run is this refresh's alone, and the
   project folder is only read), and export every mart table as Parquet into
   a new snapshot folder, with the DuckDB file for BI tools (the marts and
   audit tables alone, with their keys: warehouse/reader_file.py) and a
   manifest naming its files, rows and refresh.
3. Only if the build passed: rename the new file over the served one (an
   atomic rename on one file system) and point the Parquet link at the new
   snapshot. A reader that had the old file open keeps its consistent old
   view until it reconnects; a new connection sees the new warehouse.

A Parquet reader that resolved the link (or read the manifest) before the swap
keeps reading its snapshot whole: the snapshot a refresh replaces is kept
until the next refresh, and any snapshot whose manifest a reader holds a
shared lock on (flock) is kept until it lets go.

A failed build, or any error, leaves the served warehouse and its Parquet
files exactly as they were, and says why.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from tilt100.plumbing import (
    MachineFault,
    NothingAttempted,
    check_file,
    check_warehouse,
    checkpoint,
    durable,
    exclusive,
    machine_fault,
    no_other_writer,
    quoted,
    recover_swap,
    swap_in,
    wal_of,
)
from tilt100.settings import EXPORT_MEMORY_LIMIT
from tilt100.warehouse import dbt, parse_cache, prune, reader_file, state
from tilt100.warehouse.paths import MANIFEST, WarehousePaths

if TYPE_CHECKING:
    from extract import LoadCounts, TextLayer


@dataclass(frozen=True)
class RefreshResult:
    swapped: bool  # the served warehouse is the new build
    loads: LoadCounts
    build: dbt.BuildResult | None
    steps: tuple[tuple[str, float], ...] = ()  # (step, seconds) of a refresh that swapped, in order

    @property
    def exit_code(self) -> int:
        return 0 if self.swapped and not self.loads.failed else 1


class Steps:
    """The refresh's steps as it enters them: the one under way names a fault; each one's seconds are kept."""

    def __init__(self) -> None:
        self.done: list[tuple[str, float]] = []
        self.name = ""
        self.since = time.monotonic()

    def __call__(self, name: str) -> None:
        now = time.monotonic()
        if self.name:
            self.done.append((self.name, now - self.since))
        self.name, self.since = name, now

    def finished(self) -> tuple[tuple[str, float], ...]:
        self("")  # the last step ends here; nothing is under way
        return tuple(self.done)


def refresh(
    db: Path,
    reports: Sequence[Path],
    jobs: int | None = None,
    text_layer: TextLayer | None = None,
    full: bool = False,
) -> RefreshResult:
    """Refresh `db`. Raises NothingAttempted (exit 2) before any work, MachineFault (exit 1) when the machine fails."""
    paths = WarehousePaths(db.resolve())
    # The extractor (and the PDF, Excel and Arrow libraries it reads and lands with) is imported
    # here, not with this package: the dbt process imports the package too, and its start is a
    # new month's critical path.
    from extract import DEFAULT_TEXT_LAYER, check_inputs

    text_layer = text_layer or DEFAULT_TEXT_LAYER
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
        check_warehouse(paths.db)
        with no_other_writer(paths.db):  # readers come and go; no writer may start until the swap is done
            return _refresh(paths, reports, jobs, text_layer, full)


def _refresh(
    paths: WarehousePaths, reports: Sequence[Path], jobs: int | None, text_layer: TextLayer, full: bool
) -> RefreshResult:
    import extract  # see refresh()

    _make_room(paths)
    token = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{secrets.token_hex(3)}"
    stage = paths.build_dir
    snapshot = paths.snapshot_dir(token)
    steps = Steps()
    steps("making the build folder")
    new_db = stage / paths.db.name
    try:
        with dbt.Build(new_db, stage) as builder:  # dbt imports meanwhile: while the warehouse is copied, reports land
            stage.mkdir(parents=True)
            steps("copying the warehouse")
            _copy_served(paths.db, new_db)
            steps("copying dbt's parsed project")
            built = state.plan(new_db, full)
            if built.project_unchanged:  # the project is as the last refresh parsed it: dbt reuses that parse
                parse_cache.copy_file(paths.partial_parse, paths.dbt_target / parse_cache.PARTIAL_PARSE)
            parse_cache.use(paths.dbt_target, built.fingerprint, new_db)  # else this project's parse, made for another
            builder.parse()  # dbt reads it while the reports land
            steps("landing the reports")
            loads = extract.load_paths(new_db, reports, jobs, text_layer)
            built = built.landed(loads.report_codes)  # nothing new to build for: a whole build
            print(f"built in {quoted(stage)}: dbt build of {built.reason}")
            steps("running dbt build")
            build = builder.run(
                built.selection, built.full_refresh, skip=built.skipped_resource_types, exclude=built.exclusion
            )
        if build.no_space:  # nothing to learn from a build the disk cut short, and it holds the space
            raise machine_fault(OSError(errno.ENOSPC, "No space left on device"), steps.name, quoted(paths.db.parent))
        if not build.ok:
            _keep_failed(stage, paths.failed_build)
            if build.not_run:
                print(f"dbt failed before running: {build.not_run}; the warehouse {quoted(paths.db)} is unchanged.")
            else:
                print(f"dbt build failed; the warehouse {quoted(paths.db)} is unchanged. What failed:")
                for failure in build.failures:
                    print(f"  - {failure}")
            kept = quoted(paths.failed_build)
            print(f"The failed build is kept in {kept} (failing rows in schema test_failures; dbt's log in logs/).")
            return RefreshResult(False, loads, build)
        steps("dropping what the project no longer builds")
        if build.relations:  # what dbt parsed (always there after a build that passed): never prune on a guess
            for name in prune.drop_stale(new_db, build.relations):
                print(f"dropped {name}: the project no longer builds it (an old copy no refresh would update)")
        steps("recording the refresh")
        state.record(new_db, built, loads.loaded)
        checkpoint(new_db)  # the new file stands alone: no WAL of its own
        steps("exporting Parquet")
        previous = _served_snapshot(paths)
        try:
            export_parquet(new_db, snapshot, token, paths.db, previous)
        except reader_file.KeyViolation as error:
            shutil.rmtree(snapshot, ignore_errors=True)
            print(f"the file for BI tools refused the build: {error}; the warehouse {quoted(paths.db)} is unchanged.")
            return RefreshResult(False, loads, build)
        steps("swapping the new warehouse in")
        swap_in(new_db, paths.db)  # the commit point; the served file's WAL goes with it
        steps("pointing the Parquet link at the new snapshot")
        _point_link(paths.parquet, snapshot)
        durable(paths.db.parent)
        _remove_old_snapshots(paths)
        _keep_parsed_project(paths)
        parse_cache.keep(paths.dbt_target, built.fingerprint, paths.db)
        return RefreshResult(True, loads, build, steps.finished())
    except (OSError, duckdb.Error, MachineFault) as error:
        shutil.rmtree(snapshot, ignore_errors=True)
        fault = error if isinstance(error, MachineFault) else machine_fault(error, steps.name, quoted(paths.db.parent))
        if fault is None:
            raise
        after = steps.name.startswith("pointing")
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


def _keep_parsed_project(paths: WarehousePaths) -> None:
    """dbt's parse of the project, kept for the next refresh; after the swap, so it never fails a refresh done.

    The next refresh hands it to dbt only when the project's fingerprint is the
    one this refresh recorded (a data-only build) and it runs from the same
    checkout (the file's name says which): dbt then finds nothing to parse
    again. A changed project is parsed whole, never patched.
    """
    try:
        parse_cache.copy_file(paths.dbt_target / parse_cache.PARTIAL_PARSE, paths.partial_parse)
        for other in paths.kept_parses():  # another checkout's (or an older name's): one parse is kept
            if other != paths.partial_parse:
                other.unlink(missing_ok=True)
    except OSError:  # a full disk, say: the next refresh parses the project whole, no worse
        for part in paths.db.parent.glob(f".{paths.partial_parse.name}.*"):
            part.unlink(missing_ok=True)


def _copy_served(served: Path, new_db: Path) -> None:
    """Start from what is served (raw holds every report loaded so far), its WAL included (the build replays it)."""
    if served.exists():
        shutil.copyfile(served, new_db)
    wal = wal_of(served)
    if wal.exists():  # a load that went straight to the served file and did not checkpoint; `check` opened it
        shutil.copyfile(wal, wal_of(new_db))


def _remove_leftovers(paths: WarehousePaths) -> None:
    recover_swap(paths.db)  # a swap killed half way: the served file gets its WAL back, or the old WAL goes
    for stage in paths.unfinished_builds():
        shutil.rmtree(stage, ignore_errors=True)
    for link in paths.links_being_made():
        link.unlink(missing_ok=True)
    if paths.parquet.is_symlink():  # else no snapshot is served yet (or a folder from before links): nothing to sort
        _remove_old_snapshots(paths)


def _keep_failed(stage: Path, failed: Path) -> None:
    shutil.rmtree(failed, ignore_errors=True)
    os.replace(stage, failed)


def export_parquet(db: Path, out: Path, token: str, warehouse: Path, previous: Path | None = None) -> list[Path]:
    """Every table of schemas `marts` and `audit` as `<table>.parquet` in `out`, the DuckDB file for BI tools
    (`out`/<warehouse's name>: those tables alone, with keys and comments), then `out`/manifest.json naming them.

    Each file carries the refresh's token in its key-value metadata
    (``tilt100_refresh``), as the manifest does: a reader can tell that the
    files it read are of one refresh. The manifest is written last, so a
    snapshot with a manifest is whole.
    """
    out.mkdir(parents=True)
    written = []
    tables = []
    tag = token.replace("'", "''")
    reader = out / warehouse.name
    with (
        ThreadPoolExecutor(1) as beside,  # DuckDB lets go of the GIL: the file for BI tools is written meanwhile
        duckdb.connect(str(db), read_only=True, config={"memory_limit": EXPORT_MEMORY_LIMIT}) as con,
    ):
        reader_written = beside.submit(reader_file.write_reader_file, db, reader)
        names = con.execute(
            "select table_schema, table_name from information_schema.tables"
            " where table_schema in (select unnest(?)) and table_type = 'BASE TABLE'"
            " order by list_position(?, table_schema), table_name",
            [list(reader_file.SCHEMAS), list(reader_file.SCHEMAS)],
        ).fetchall()
        for schema, table in names:
            path = out / f"{table}.parquet"
            target = str(path).replace("'", "''")
            copied = con.execute(  # names from the catalog, path and token ours
                f"copy {schema}.\"{table}\" to '{target}' (format parquet, kv_metadata {{tilt100_refresh: '{tag}'}})"
            ).fetchone()
            rows = copied[0] if copied else 0
            durable(path)  # on disk before the manifest that vouches for it
            columns = [
                {"name": name, "type": kind, "description": (comment or "").strip()}
                for name, kind, comment in con.execute(
                    "select column_name, data_type, comment from duckdb_columns()"
                    " where schema_name = ? and table_name = ? order by column_index",
                    [schema, table],
                ).fetchall()
            ]
            entry = {"schema": schema, "table": table, "file": path.name, "rows": rows, "sha256": _sha256(path)}
            entry["columns"] = columns
            tables.append(entry)
            written.append(path)
        fields = ("file_name", "file_sha256", "file_format", "report_updated", "period")
        sources = [
            dict(zip(fields, row, strict=True))
            for row in con.execute(
                "select file_name, file_sha256, file_format, report_updated, period"
                " from raw.tilt100_files order by report_updated, file_name"
            ).fetchall()
        ]
        reader_written.result()
    durable(reader)
    written.append(reader)
    manifest = {
        "refresh": token,
        "refreshed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "warehouse": str(warehouse),
        "snapshot": out.name,
        "replaces": previous.name if previous else None,  # kept until the next refresh
        "source_files": sources,  # every report file the warehouse holds, as landed
        "tables": tables,
        "duckdb": {"file": reader.name, "sha256": _sha256(reader), "schemas": list(reader_file.SCHEMAS)},
    }
    _write_durably(out / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return written


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _write_durably(path: Path, text: str) -> None:
    """Write `text`, flushed to disk with the folder's entries: the manifest vouches for the files before it."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    durable(path.parent)


def read_manifest(snapshot: Path) -> dict | None:
    """A snapshot's manifest; None if it has none (a refresh killed while exporting, or one from before manifests)."""
    try:
        return json.loads((snapshot / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _served_snapshot(paths: WarehousePaths) -> Path | None:
    """The snapshot the Parquet link points at now; None if there is no link."""
    if not paths.parquet.is_symlink():
        return None
    return paths.parquet.parent / os.readlink(paths.parquet)


def _point_link(link: Path, snapshot: Path) -> None:
    """Make `link` point at `snapshot` in one atomic rename."""
    new_link = link.with_name(f".{link.name}.link-{os.getpid()}")
    new_link.unlink(missing_ok=True)
    os.symlink(snapshot.name, new_link)
    if link.exists() and not link.is_symlink():  # a folder from before links were used
        shutil.rmtree(link)
    os.replace(new_link, link)


def _remove_old_snapshots(paths: WarehousePaths) -> None:
    """Remove the snapshots no reader can still be inside.

    Kept: the served one, the one it replaced (a reader that resolved the link
    just before the swap reads it whole until the next refresh), and any whose
    manifest a reader holds a shared lock on. A reader that opened a file
    keeps it open after its folder goes (Linux); only new opens need the folder.
    """
    served = _served_snapshot(paths)
    keep = {served}
    manifest = read_manifest(served) if served else None
    if manifest and manifest.get("replaces"):
        keep.add(paths.db.parent / str(manifest["replaces"]))
    for old in paths.snapshots():
        if old not in keep:
            with _unless_read(old) as free:
                if free:
                    shutil.rmtree(old, ignore_errors=True)
                else:
                    print(f"kept {quoted(old)}: a reader holds a lock on its {MANIFEST}; the next refresh removes it")


@contextmanager
def _unless_read(snapshot: Path) -> Iterator[bool]:
    """True (and an exclusive lock held) unless a reader holds a shared lock on the snapshot's manifest."""
    try:
        fd = os.open(snapshot / MANIFEST, os.O_RDONLY)
    except OSError:  # no manifest: a refresh killed while exporting; no reader was ever pointed at it
        yield True
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)
