"""What the served warehouse was built from, kept in the warehouse itself (table ``meta.refreshes``).

A refresh that lands new reports and finds the project as it was at the last
successful refresh (same models, seeds, tests, macros, settings and versions:
one fingerprint) builds only the tables the reports feed (the incremental ones
add the new files' rows) and runs every data test they feed (`DATA_ONLY`).
The seeds, the dimensions built from them and their tests are already in the
copied warehouse, unchanged; so are the views (their SQL is unchanged, and a
view reads the new rows by itself) and the unit tests (they test SQL, not
data, and passed on this very project). The two tables that hold every version
of a month (`int_tilt100__month_versions`, `audit.fct_participants_history`)
recompute only the months the new files print. When the new reports are all
TILT100s, the tables only the rest of the family feeds are left as they are
(`FAMILY_ONLY`). Any change to the project, a
warehouse without a record, a refresh with no new report or ``--full`` gets a
whole build, incremental models rebuilt whole (``--full-refresh``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from importlib.metadata import version
from pathlib import Path

import duckdb

from tilt100.settings import ROOT, dbt_folders

# What `dbt build` reads: its folders (by file kind) and files.
PROJECT_SUFFIXES = frozenset({".sql", ".yml", ".yaml", ".csv", ".md"})
PROJECT_FILES = ("dbt_project.yml", "profiles.yml")
PACKAGES = ("dbt-core", "dbt-duckdb", "duckdb")
# What a refresh builds when only the reports changed: the tables downstream of raw, and every data test
# downstream of raw (the reconciliation tests on views included).
DATA_ONLY = (
    "source:raw+,config.materialized:table source:raw+,config.materialized:incremental source:raw+,test_type:data"
)
# What a refresh that lands TILT100 files alone leaves out of it: the tables whose every row is of a table
# TILT100 does not print (tag family_only, dbt_project.yml), and the tests that read nothing else (dbt's
# cautious indirect selection: a test goes only when all it reads goes). The copied warehouse holds them.
FAMILY_ONLY = "tag:family_only"

DDL = """
create schema if not exists meta;
create table if not exists meta.refreshes (
    refreshed_at timestamp with time zone not null default current_timestamp,
    project_fingerprint varchar not null,
    dbt_selection varchar,
    files_loaded integer not null
);
"""


def project_fingerprint(root: Path = ROOT) -> str:
    """SHA-256 of every file `dbt build` reads (path and bytes) and of the versions that run it."""
    digest = hashlib.sha256()
    files = [root / name for name in PROJECT_FILES]
    for folder in dbt_folders(root):
        files += (p for p in (root / folder).rglob("*") if p.suffix in PROJECT_SUFFIXES and p.is_file())
    for path in sorted(files):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for package in PACKAGES:
        digest.update(f"{package}=={version(package)}\0".encode())
    return digest.hexdigest()


def last_fingerprint(db: Path) -> str | None:
    """The fingerprint of the project that last built `db` successfully; None if unknown."""
    if not db.exists():
        return None
    with duckdb.connect(str(db), read_only=True) as con:
        found = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'meta' and table_name = 'refreshes'"
        ).fetchone()
        if not found or not found[0]:
            return None
        last = con.execute(
            "select project_fingerprint from meta.refreshes order by refreshed_at desc limit 1"
        ).fetchone()
    return last[0] if last else None


@dataclass(frozen=True)
class BuildPlan:
    fingerprint: str
    project_unchanged: bool  # the project is the one that last built the warehouse: its parse serves
    full: bool = False  # a whole build asked for (`--full`, or no new file to build for)
    tilt100_only: bool = False  # every report landed is a TILT100: the family's tables cannot change

    def landed(self, report_codes: frozenset[str]) -> BuildPlan:
        """The plan for the reports landed (their codes): none, a whole build; TILT100s alone, no family tables."""
        if not report_codes:
            return self.whole()
        return replace(self, tilt100_only=report_codes == {"TILT100"})

    @property
    def selection(self) -> str | None:
        """What dbt builds (None: the whole project)."""
        return DATA_ONLY if self.project_unchanged and not self.full else None

    @property
    def exclusion(self) -> str | None:
        """What dbt leaves out of the selection (None: nothing)."""
        return FAMILY_ONLY if self.selection and self.tilt100_only else None

    @property
    def dbt_selection(self) -> str | None:
        """The selection as `meta.refreshes` records it: `--select`'s, then `--exclude`'s if any."""
        return f"{self.selection} --exclude {self.exclusion}" if self.exclusion else self.selection

    def whole(self) -> BuildPlan:
        """The same plan, building the whole project."""
        return replace(self, full=True)

    @property
    def full_refresh(self) -> bool:
        """A whole build rebuilds the incremental models whole too."""
        return self.selection is None

    @property
    def skipped_resource_types(self) -> tuple[str, ...]:
        """What dbt leaves out: unit tests test SQL, not data, so a build of new reports alone skips them."""
        return ("unit_test",) if self.selection else ()

    @property
    def reason(self) -> str:
        if self.exclusion:
            return (
                "the tables and tests the reports feed (source:raw+) but the family's (TILT100 files alone landed):"
                " the project is as it was at the last refresh"
            )
        if self.selection:
            return "the tables and tests the reports feed (source:raw+): the project is as it was at the last refresh"
        return "the whole project"


def plan(db: Path, full: bool = False) -> BuildPlan:
    """What to build in `db` (a copy of the served warehouse)."""
    fingerprint = project_fingerprint()
    return BuildPlan(fingerprint, last_fingerprint(db) == fingerprint, full)


# dbt stores each data test's failing rows here (dbt_project.yml): kept in a failed
# build, dropped from one that passed, so a reader's catalogue shows no empty tables.
TEST_FAILURES = "test_failures"


def record(db: Path, built: BuildPlan, files_loaded: int) -> None:
    """Write down, in the warehouse, what built it (before it is swapped in); drop the passed tests' empty tables."""
    with duckdb.connect(str(db)) as con:
        con.execute(f"drop schema if exists {TEST_FAILURES} cascade")
        con.execute(DDL)
        con.execute(
            "insert into meta.refreshes (project_fingerprint, dbt_selection, files_loaded) values (?, ?, ?)",
            [built.fingerprint, built.dbt_selection, files_loaded],
        )
