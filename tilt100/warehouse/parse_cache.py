"""dbt's parse of the project, made once per project version and machine, reused by every warehouse.

dbt parses the whole project (some 10 s) unless its target folder holds a
parse (``partial_parse.msgpack``) made for the same project, vars, target and
connection. Two things keep that from happening across warehouses:

- dbt counts the connection's path in the parse's key, though nothing in this
  project reads where the file is: ``ignore_warehouse_path()``, called in the
  dbt process before dbt runs, leaves the path out (dbt-duckdb's connection keys
  less ``path``), so a parse made for one warehouse's build serves another's;
- every build has a target folder of its own: ``cached_parse()`` names the
  parse of this project version (``state.project_fingerprint()``, every file
  dbt reads and the versions that run it), checkout and dbt target in the
  user's cache (``project.cache_dir()``), which ``use()`` copies in before dbt
  runs and ``keep()`` fills after a build that parsed it. The checkout counts:
  dbt keeps the seeds' absolute paths in its parse, and loads them from there.
  So does the warehouse file's name: dbt-duckdb names the database after it
  (``database_name()``) and dbt writes that name into every node of its parse,
  so ``w.duckdb`` and ``warehouse.duckdb`` each have a parse of their own (one
  parse for both had each build parse whole for the other).

dbt still checks every file against the parse it is handed; a project that
changed has another fingerprint, so it is parsed whole, never patched. The
cache keeps the KEPT parses used last (``drop_least_used``), not one for every
project version and clone there ever was.

``python -m tilt100.warehouse.dbt_cli <dbt arguments>`` is dbt's own command line
with both (the tests' builds and `tilt100 docs` run dbt so).
"""

from __future__ import annotations

import contextlib
import filecmp
import hashlib
import os
import shutil
from pathlib import Path

from tilt100.plumbing.cachefile import drop_least_used
from tilt100.settings import ROOT, cache_dir

PARTIAL_PARSE = "partial_parse.msgpack"  # dbt's parsed project, in its target-path
# Parses kept in the cache, the ones used last (some 1.4 MB each): every project version, checkout, warehouse
# name and target has its own, so without a bound each clone and each change of the project would add one.
KEPT = 40


def ignore_warehouse_path() -> None:
    """In the dbt process: dbt's parse key without the warehouse's path (see the module's text)."""
    from dbt.adapters.duckdb.credentials import DuckDBCredentials

    keys = DuckDBCredentials._connection_keys
    if getattr(keys, "without_path", False):
        return

    def connection_keys(self: DuckDBCredentials) -> tuple[str, ...]:
        return tuple(key for key in keys(self) if key != "path")

    connection_keys.without_path = True  # type: ignore[attr-defined]
    DuckDBCredentials._connection_keys = connection_keys  # type: ignore[method-assign]


def checkout_key(root: Path = ROOT) -> str:
    """Which checkout a parse was made in: dbt keeps the seeds' absolute paths in it, so the parse of
    one checkout (another clone, a worktree, one since removed) must never serve another."""
    return hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:12]


def database_name(db: Path) -> str:
    """The database dbt-duckdb names after a warehouse file: its name up to the first dot (as DuckDB names
    the catalog; `tests/python/test_isolation.py` holds it to dbt-duckdb's own)."""
    return db.name.lstrip(".").split(".")[0]


def cached_parse(fingerprint: str, db: Path, target: str = "dev", root: Path = ROOT) -> Path:
    """Where the parse of the project with this fingerprint, in this checkout, for a warehouse named as
    `db` and this dbt target is kept."""
    database = hashlib.sha256(database_name(db).encode()).hexdigest()[:8]  # any name a file may have
    return cache_dir() / "dbt-parse" / f"{fingerprint}-{checkout_key(root)}-{database}-{target}.msgpack"


def copy_file(source: Path, dest: Path) -> None:
    """Copy a file if it exists, in place by a rename (a parse: a speed-up, never needed)."""
    if not source.exists():
        return
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(f".{dest.name}.{os.getpid()}")
    shutil.copyfile(source, part)
    os.replace(part, dest)


def use(target_path: Path, fingerprint: str, db: Path, target: str = "dev") -> None:
    """Hand dbt the cached parse (if any) for the warehouse `db` in `target_path`, unless it already holds one;
    the parse is marked as used (`keep` drops those used least lately). One removed meanwhile is none."""
    if not (target_path / PARTIAL_PARSE).exists():
        cached = cached_parse(fingerprint, db, target)
        try:
            copy_file(cached, target_path / PARTIAL_PARSE)
        except FileNotFoundError:
            return  # removed meanwhile (`drop_least_used`): dbt parses whole
        with contextlib.suppress(OSError):  # a cache this user cannot write is still read
            os.utime(cached)


def keep(target_path: Path, fingerprint: str, db: Path, target: str = "dev") -> None:
    """Keep dbt's parse in `target_path` for the next warehouse; a cache that cannot be written is no fault.

    A parse that differs from the one kept replaces it: dbt refused the kept one (it parses again only
    then), so keeping the old one would have every later build parse again too.
    """
    cached, made = cached_parse(fingerprint, db, target), target_path / PARTIAL_PARSE
    if not made.exists() or (cached.exists() and filecmp.cmp(cached, made, shallow=False)):
        return
    try:
        copy_file(made, cached)
        drop_least_used(cached.parent, "*.msgpack", KEPT)
    except OSError:
        for part in cached.parent.glob(f".{cached.name}.*"):
            part.unlink(missing_ok=True)
