"""The warehouse file itself: checked before any work, never written under another writer, swapped whole.

A DuckDB database is two files: ``W`` and, while changes are not yet
checkpointed into it, its write-ahead log ``W.wal``. A WAL belongs to one
state of one file (DuckDB checks the file's identity and checkpoint
iteration when it replays it): a ``W.wal`` beside a newer ``W`` makes ``W``
unopenable. So:

- `check_warehouse` opens the file read-only before any work and says, in one line,
  what is wrong with it: not DuckDB, truncated, corrupt, written by a newer
  DuckDB, unreadable, a WAL that is not its own, held by a writer.
- `no_other_writer` holds a read lock on the served file (the kind DuckDB
  readers take): readers come and go, but no process opens it read-write while
  a refresh builds from it and swaps it.
- `swap_in` replaces the served file and its WAL as one: the WAL is moved
  aside (named after the file it belongs to), the new file, checkpointed and
  without a WAL of its own, is renamed over the served one, and only then is
  the old WAL removed. `recover_swap` finishes or undoes a swap a kill interrupted.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shlex
import struct
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb

from tilt100.plumbing.errors import NothingAttempted
from tilt100.plumbing.heads import describe_head
from tilt100.settings import STORAGE_COMPATIBILITY

HEADER_SIZE = 4096  # DuckDB's main header, then two database headers, then blocks
MAGIC = b"DUCK"
# Never fetch an extension while checking a file (a file starting "SQLite format 3" makes DuckDB try).
OPEN_CONFIG = {"autoload_known_extensions": False, "autoinstall_known_extensions": False}
_FLOCK = "hhqqi4x"  # struct flock on Linux: type, whence, start, len, pid


class WarehouseError(NothingAttempted):
    """The warehouse file cannot be used: nothing was attempted (exit 2)."""


class WarehouseInUse(WarehouseError):
    """Another process has the warehouse file open in a way that forbids this command."""


class WarehouseUnusable(WarehouseError):
    """The file named as the warehouse is not a whole DuckDB database this DuckDB can open."""


class WarehouseNotBuilt(WarehouseError):
    """A command that reads what dbt builds found no warehouse, or one that lacks what it reads."""


def wal_of(db: Path) -> Path:
    return db.with_name(db.name + ".wal")


def durable(path: Path) -> None:
    """Flush a file (or a folder's entries) to disk, so a rename survives a power cut."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def quoted(path: Path | str) -> str:
    """A path for a one-line message: as is, unless it holds a newline or another control character."""
    text = str(path)
    return text if text.isprintable() else repr(text)


# --- who holds the file -------------------------------------------------------------------------------------------


def process_name(pid: int) -> str:
    """``PID 123: python -m extract ...``, as far as /proc tells."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        command = " ".join(" ".join(a.decode(errors="replace").split()) for a in argv if a)  # one line
    except OSError:
        command = ""
    command = command if len(command) <= 80 else command[:77] + "..."
    return f"PID {pid}: {command}" if command else f"PID {pid}"


def writer_of(db: Path) -> str | None:
    """The process holding `db` open read-write (DuckDB's write lock), or None."""
    if not hasattr(fcntl, "F_OFD_GETLK"):
        return None
    try:
        fd = os.open(db, os.O_RDONLY)
    except OSError:
        return None
    try:
        kind, _, _, _, pid = struct.unpack(
            _FLOCK, fcntl.fcntl(fd, fcntl.F_OFD_GETLK, struct.pack(_FLOCK, fcntl.F_RDLCK, os.SEEK_SET, 0, 0, 0))
        )
    finally:
        os.close(fd)
    if kind == fcntl.F_UNLCK:
        return None
    return process_name(pid) if pid > 0 else "another process"


def in_use(db: Path, holder: str) -> WarehouseInUse:
    return WarehouseInUse(
        f"{quoted(db)} is open read-write in another process ({holder}), so nothing was changed."
        " Close that connection (a BI tool, a notebook, dbt) and try again."
    )


@contextmanager
def no_other_writer(db: Path) -> Iterator[None]:
    """Hold a read lock on `db` (readers may come and go; no process may open it read-write) while in the block.

    An open-file-description lock: closing other descriptors of the file (a copy,
    a DuckDB connection in this process) does not release it.
    """
    if not db.is_file() or not hasattr(fcntl, "F_OFD_SETLK"):
        yield
        return
    fd = os.open(db, os.O_RDONLY)
    try:
        try:
            fcntl.fcntl(fd, fcntl.F_OFD_SETLK, struct.pack(_FLOCK, fcntl.F_RDLCK, os.SEEK_SET, 0, 0, 0))
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            raise in_use(db, writer_of(db) or "another process") from None
        yield
    finally:
        os.close(fd)


# --- is it a whole DuckDB database ------------------------------------------------------------------------------


def _unusable(db: Path, found: str, advice: str) -> WarehouseUnusable:
    return WarehouseUnusable(f"{quoted(db)}: expected a DuckDB warehouse, found {found}; nothing was changed. {advice}")


ELSEWHERE = "Point --db (or WAREHOUSE_DB) at a warehouse, or at a path where none exists yet to start one."
RESTORE = "Restore it from a backup, or point --db (or WAREHOUSE_DB) elsewhere."


def check_warehouse(db: Path) -> None:
    """Raise WarehouseError, with one line saying what is wrong, unless `db` is absent or a whole DuckDB database.

    A missing file is fine (the first load makes it). Checked: the file can be
    read, starts like a DuckDB file, and DuckDB opens it read-only (which also
    replays its WAL, if it has one). A file shorter than its header counts may
    be whole (a checkpoint cuts free blocks off the end after writing the
    header) or cut off: then every table is read through, and a block past the
    end names the file truncated. Run it holding the warehouse's lock (a load
    or refresh could be writing it).
    """
    if check_file(db):
        try:
            with duckdb.connect(str(db), read_only=True, config=OPEN_CONFIG) as con:
                tables = con.execute("select schema_name, table_name from duckdb_tables()").fetchall()
                if _short_of_header(db):
                    for schema, table in tables:  # names from the catalog, quoted as identifiers
                        name = ".".join('"' + part.replace('"', '""') + '"' for part in (schema, table))
                        con.execute(f"select max(length(t::varchar)) from {name} as t").fetchall()  # noqa: S608
        except duckdb.Error as error:
            if "Conflicting lock" in str(error):  # opened read-only: a writer holds it
                raise in_use(db, writer_of(db) or _holder(str(error))) from None
            short = _short_of_header(db)  # a file cut off: say by how much
            raise (_unusable(db, short, RESTORE) if short else warehouse_error(db, error)) from None


def check_file(db: Path) -> bool:
    """What can be told from the file's bytes alone (no lock needed); True if there is a file to open."""
    wal = wal_of(db)
    if not db.exists() and not db.is_symlink():
        if wal.exists():
            raise _unusable(
                db, f"no file but its WAL {quoted(wal.name)}", f"Move {quoted(wal)} away, or restore the file."
            )
        return False
    try:
        with db.open("rb") as handle:
            head = handle.read(3 * HEADER_SIZE)
        size = db.stat().st_size
    except OSError as error:
        raise _unusable(db, f"a file that cannot be read ({error.strerror})", ELSEWHERE) from None
    if head[8:12] != MAGIC:
        raise _unusable(db, describe_head(head), ELSEWHERE)
    if len(head) < 3 * HEADER_SIZE:
        raise _unusable(db, f"a truncated file ({size} bytes, shorter than DuckDB's headers)", RESTORE)
    return True


def _short_of_header(db: Path) -> str | None:
    """'a truncated file (...)' if `db` is shorter than its newer header counts, else None.

    Only a hint for a file DuckDB cannot open: a writer killed mid-way can leave a
    file shorter than its header counts (free blocks at its end) that opens fine.
    """
    with db.open("rb") as handle:
        head = handle.read(3 * HEADER_SIZE)
    size = db.stat().st_size
    # The newer of the two database headers says how many blocks of what size follow the headers.
    headers = [struct.unpack_from("<8Q", head, offset) for offset in (HEADER_SIZE, 2 * HEADER_SIZE)]
    _, _, _, _, blocks, block_size, _, _ = max(headers, key=lambda h: h[1])
    expected = 3 * HEADER_SIZE + blocks * block_size
    if blocks < 1 << 32 and block_size < 1 << 32 and size < expected:
        return f"a truncated file ({size} bytes of the {expected} its header counts)"
    return None


def _holder(text: str) -> str:
    """The process DuckDB's lock error names ("/usr/bin/python3 (PID 123)")."""
    return text.split("Conflicting lock is held in ", 1)[-1].split(". However", 1)[0].split("\n", 1)[0]


def warehouse_error(db: Path, error: duckdb.Error) -> WarehouseError:
    """DuckDB's error on opening `db`, as one line naming what is wrong and what to do."""
    text = str(error)
    first = text.splitlines()[0] if text else type(error).__name__
    wal = wal_of(db)
    if "Conflicting lock" in text:
        holder = _holder(text)
        return WarehouseInUse(
            f"{quoted(db)} is open in another process ({holder}), so it cannot be changed in place;"
            " nothing was changed. Close that connection (a BI tool, a notebook, dbt) and try again, or load with"
            " `tilt100 refresh`, which builds beside the file and never waits for readers."
        )
    if "newer version of DuckDB" in text or "storage version" in text:
        version = struct.unpack_from("<Q", db.read_bytes()[:20], 12)[0] if db.is_file() else "?"
        return _unusable(
            db,
            f"a file written by a newer DuckDB (storage version {version}; DuckDB {duckdb.__version__} cannot read it)",
            "Open it with the DuckDB that wrote it, or point --db (or WAREHOUSE_DB) elsewhere.",
        )
    if "WAL" in text and wal.exists():
        return _unusable(
            db,
            f"a WAL beside it ({quoted(wal.name)}) that is not its own ({first.removeprefix('IO Error: ')})",
            f"Its changes cannot be replayed: move {quoted(wal)} away (keep it if in doubt) and try again.",
        )
    if "Could not read enough bytes" in text:
        return _unusable(db, f"a truncated file ({first.removeprefix('IO Error: ')})", RESTORE)
    if "Corrupt database file" in text or "checksum" in text:
        return _unusable(db, f"a corrupt file ({first.removeprefix('Error: ')})", RESTORE)
    if "not a valid DuckDB database" in text:
        return _unusable(db, "a file that is not a DuckDB database", ELSEWHERE)
    if "Permission denied" in text or "Is a directory" in text:
        return _unusable(db, f"a file that cannot be read ({first.removeprefix('IO Error: ')})", ELSEWHERE)
    return _unusable(db, f"a file DuckDB cannot open ({first})", RESTORE)


# --- is it built -------------------------------------------------------------------------------------------------

# What every reading command needs: the table the marts are built around.
BUILT_MARKER = "audit.fct_participants"
RELATIONS = "select table_schema, table_name from information_schema.tables where table_catalog = current_database()"


def check_built(db: Path, reads: Sequence[str] = ()) -> None:
    """For a command that only reads the warehouse: raise WarehouseError, in one line, unless `db` is whole and built.

    The checks of `check_warehouse` (not DuckDB, truncated, corrupt, newer, unreadable, a
    WAL not its own, held by a writer), then the relations dbt builds that the
    command reads (`reads`: "schema.table", views too): a missing file, a file
    loaded but never built, or one built by an older project are each said with
    the command that makes them. A read-only open needs no lock: a refresh
    swaps a whole file in, and a direct load holding the file is named.
    """
    if not check_file(db):
        raise WarehouseNotBuilt(
            f"{quoted(db)}: expected a DuckDB warehouse, found nothing at that path; nothing was changed."
            f" Build one: tilt100 refresh REPORTS --db {shlex.quote(str(db))} (or make run), or point --db"
            " (or WAREHOUSE_DB) at one."
        )
    check_warehouse(db)
    with duckdb.connect(str(db), read_only=True, config=OPEN_CONFIG) as con:
        present = {f"{schema}.{name}" for schema, name in con.execute(RELATIONS).fetchall()}
    missing = [name for name in dict.fromkeys((BUILT_MARKER, *reads)) if name not in present]
    if missing:
        raise _not_built(db, present, missing)


def _not_built(db: Path, present: set[str], missing: list[str]) -> WarehouseNotBuilt:
    """What is there instead of a built warehouse, and the refresh that builds it."""
    command = f"tilt100 refresh --db {shlex.quote(str(db))}"
    if not any(name.startswith("raw.") for name in present):
        found, advice = "a DuckDB file with no report loaded (no raw tables)", f"Load and build: {command} REPORTS"
    elif BUILT_MARKER in missing and not any(name.startswith("marts.") for name in present):
        found = f"reports loaded but never built (no {BUILT_MARKER})"
        advice = f"Build what is loaded: {command}"
    else:
        found = f"a warehouse without {', '.join(missing)} (built by an older version of the project?)"
        advice = f"Rebuild it: {command} --full"
    return WarehouseNotBuilt(f"{quoted(db)}: expected a built warehouse, found {found}; nothing was changed. {advice}")


# --- the swap -----------------------------------------------------------------------------------------------------


def _aside(served: Path, inode: int) -> Path:
    """Where the served file's WAL waits during a swap, named after the file it belongs to (its inode)."""
    return served.with_name(f".{served.name}.wal.of-{inode}")


def swap_in(new_db: Path, served: Path) -> None:
    """Rename `new_db` (checkpointed: no WAL) over `served`; `served`'s WAL goes with the file it belongs to."""
    if wal_of(new_db).exists():
        raise RuntimeError(f"{new_db} has a WAL: it must be checkpointed before it is swapped in")
    durable(new_db)
    wal = wal_of(served)
    aside = None
    if wal.exists():
        aside = _aside(served, served.stat().st_ino)
        os.replace(wal, aside)
        durable(served.parent)
    try:
        os.replace(new_db, served)  # the commit point
    except BaseException:
        if aside is not None:
            os.replace(aside, wal)
        raise
    durable(served.parent)
    if aside is not None:
        aside.unlink()


def wal_asides(served: Path) -> list[Path]:
    """WALs a swap moved aside (`_aside`) and a kill left there."""
    return sorted(served.parent.glob(f".{served.name}.wal.of-*"))


def recover_swap(served: Path) -> None:
    """After a swap killed half way: give the served file back its WAL, or drop the WAL of the file replaced."""
    for aside in wal_asides(served):
        inode = aside.name.rsplit("-", 1)[-1]
        same_file = served.exists() and inode.isdigit() and served.stat().st_ino == int(inode)
        if not same_file:
            aside.unlink()  # the swap happened: the new file holds what that WAL held
        elif not wal_of(served).exists():
            os.replace(aside, wal_of(served))  # killed before the rename: the served file is as it was, WAL and all
            durable(served.parent)
        else:
            raise _unusable(
                served,
                f"two WALs, {quoted(wal_of(served).name)} and {quoted(aside.name)}",
                "Keep both and look at them: one of them is not its own.",
            )


def checkpoint(db: Path) -> None:
    """Fold `db`'s WAL into the file and close it: the file stands alone."""
    with duckdb.connect(str(db), config={"storage_compatibility_version": STORAGE_COMPATIBILITY}) as con:
        con.execute("force checkpoint")
    if wal_of(db).exists() and wal_of(db).stat().st_size:
        raise RuntimeError(f"{db} kept a WAL after its checkpoint")
    wal_of(db).unlink(missing_ok=True)
