"""The warehouse file and the arguments are checked before any work (exit 2, one line, nothing changed),
and the exit codes follow one convention across `python -m extract` and `tilt100 refresh`:
0 done; 1 a file was refused or a build failed (the served warehouse unchanged); 2 nothing was attempted.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import struct
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from tests.python.helpers import ROOT, TEXT_EXPORT

COMMANDS = ("load", "refresh")


def run(command: str, db: Path, *paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tilt100", command, "--db", str(db), *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def folder_state(folder: Path) -> dict[str, str]:
    """Every file in the folder (hidden ones too) and its SHA-256; the lock files aside."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder"
        for p in sorted(folder.rglob("*"))
        if not p.name.endswith(".lock")
    }


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse holding January 2026's raw rows (a direct load: quick)."""
    db = tmp_path_factory.mktemp("loaded") / "w.duckdb"
    done = run("load", db, TEXT_EXPORT)
    assert done.returncode == 0, done.stderr
    return db


def duckdb_checksum(block: bytes) -> int:
    """DuckDB's checksum of a header block (words multiplied by a constant, xor-ed)."""
    result = 5381
    for (word,) in struct.iter_unpack("<Q", block):
        result ^= (word * 0xBF58476D1CE4E5B9) & (2**64 - 1)
    return result


def not_duckdb(db: Path) -> None:
    db.write_text("id,name\n1,Oslo\n", encoding="utf-8")


def empty(db: Path) -> None:
    db.write_bytes(b"")


def truncated(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])


def corrupt(db: Path) -> None:
    data = bytearray(db.read_bytes())
    data[4096 + 64 : 4096 + 128] = bytes(range(64))  # inside the first database header
    data[2 * 4096 + 64 : 2 * 4096 + 128] = bytes(range(64))  # and the second
    db.write_bytes(bytes(data))


def newer(db: Path) -> None:
    """A header saying storage version 99, as a DuckDB from the future would write (checksum made good)."""
    data = bytearray(db.read_bytes())
    data[12:20] = struct.pack("<Q", 99)
    data[0:8] = struct.pack("<Q", duckdb_checksum(bytes(data[8:4096])))
    db.write_bytes(bytes(data))


def a_folder(db: Path) -> None:
    db.unlink()
    db.mkdir()


def foreign_wal(db: Path) -> None:
    """A WAL left by an older copy of the file: DuckDB refuses to replay it."""
    old = db.with_name("old.duckdb")
    shutil.copyfile(db, old)
    code = "import duckdb, os, sys; c = duckdb.connect(sys.argv[1]); c.execute('create table t (i int)'); os._exit(0)"
    subprocess.run([sys.executable, "-c", code, str(old)], check=True)
    with duckdb.connect(str(db)) as con:  # the file moves on: a checkpoint the WAL never saw
        con.execute("create table u (i int)")
        con.execute("force checkpoint")
    os.replace(old.with_name("old.duckdb.wal"), db.with_name(db.name + ".wal"))
    old.unlink()


BAD_FILES = {
    "not DuckDB": (
        not_duckdb,
        r"expected a DuckDB warehouse, found a file starting b'id,name\\n'; nothing was changed",
    ),
    "empty": (empty, r"expected a DuckDB warehouse, found an empty file \(0 bytes\); nothing was changed"),
    "truncated": (truncated, r"expected a DuckDB warehouse, found a truncated file \(\d+ bytes of the \d+ its header"),
    "corrupt": (
        corrupt,
        r"expected a DuckDB warehouse, found a corrupt file \(Corrupt database file: computed checksum",
    ),
    "newer DuckDB": (
        newer,
        r"expected a DuckDB warehouse, found a file written by a newer DuckDB \(storage version 99; DuckDB .*"
        r" cannot read it\); nothing was changed\. Open it with the DuckDB that wrote it",
    ),
    "unreadable (a folder)": (
        a_folder,
        r"expected a DuckDB warehouse, found a file that cannot be read \(Is a directory",
    ),
    "a WAL not its own": (
        foreign_wal,
        r"expected a DuckDB warehouse, found a WAL beside it \(w\.duckdb\.wal\) that is not its own \(.*WAL.*\);"
        r" nothing was changed\. Its changes cannot be replayed: move .*w\.duckdb\.wal away",
    ),
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("fault", BAD_FILES)
def test_an_unusable_warehouse_file_is_refused_before_any_work(
    fault: str, command: str, loaded: Path, tmp_path: Path
) -> None:
    db = tmp_path / "w.duckdb"
    shutil.copyfile(loaded, db)
    make, message = BAD_FILES[fault]
    make(db)
    before = folder_state(tmp_path)
    done = run(command, db, TEXT_EXPORT)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {db}: "), done.stderr
    assert re.search(message, lines[0]), lines[0]
    assert done.stdout == ""  # no build, no swap, nothing loaded
    assert folder_state(tmp_path) == before  # byte for byte


@pytest.mark.parametrize("command", COMMANDS)
def test_arguments_are_checked_before_any_work(command: str, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    empty_folder = tmp_path / "nothing_here"
    empty_folder.mkdir()
    (empty_folder / "notes.md").write_text("no reports\n")
    for path, found in (
        (tmp_path / "nonexistent", "nothing at that path"),
        (empty_folder, "a folder with no .pdf, .txt, .xlsx file in it"),
    ):
        done = run(command, db, TEXT_EXPORT, path)
        assert done.returncode == 2, done.stdout + done.stderr
        assert done.stderr == f"error: {path}: expected a report or a folder of reports, found {found}\n"
        assert done.stdout == ""
        assert not db.exists()


def test_a_file_name_with_a_newline_stays_on_one_line(loaded: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    shutil.copyfile(loaded, db)
    bad = tmp_path / "report\nerror: forged.pdf"
    bad.write_bytes(b"<html>404</html>")
    done = run("load", db, bad)
    assert done.returncode == 1
    errors = done.stderr.splitlines()
    assert errors == [
        "[1/1] error: 'report\\nerror: forged.pdf': expected a PDF (starting with %PDF-), an .xlsx workbook or a .txt"
        " text export, found an HTML page (a web error page saved as a file?), starting b'<html>40'"
    ]


WRITER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("create table scratch as select 1 as i")  # written, not yet checkpointed
print("holding", flush=True)
sys.stdin.readline()
"""


@pytest.mark.parametrize("command", COMMANDS)
def test_a_process_holding_the_file_read_write_is_named_and_nothing_changes(
    command: str, loaded: Path, tmp_path: Path
) -> None:
    db = tmp_path / "w.duckdb"
    shutil.copyfile(loaded, db)
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert writer.stdout is not None and writer.stdout.readline() == b"holding\n"
        before = folder_state(tmp_path)
        done = run(command, db, TEXT_EXPORT)
        after = folder_state(tmp_path)
    finally:
        writer.communicate(b"\n")
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert lines[0].startswith(f"error: {db} is open") and f"PID {writer.pid}" in lines[0], lines[0]
    assert "nothing was changed" in lines[0]
    assert after == before


def test_the_refresh_holds_writers_off_until_its_swap(loaded: Path, tmp_path: Path) -> None:
    """While a refresh builds from the served file, a process opening it read-write is refused by DuckDB."""
    from tilt100.plumbing import no_other_writer

    db = tmp_path / "w.duckdb"
    shutil.copyfile(loaded, db)
    opener = "import sys, duckdb; duckdb.connect(sys.argv[1], read_only=sys.argv[2] == 'ro').close()"
    with no_other_writer(db):
        reader = subprocess.run([sys.executable, "-c", opener, str(db), "ro"], capture_output=True, text=True)
        writer = subprocess.run([sys.executable, "-c", opener, str(db), "rw"], capture_output=True, text=True)
    assert reader.returncode == 0, reader.stderr  # readers are never blocked
    assert writer.returncode != 0 and "Conflicting lock" in writer.stderr
    # once the block is left, a writer may open it
    again = subprocess.run([sys.executable, "-c", opener, str(db), "rw"], capture_output=True, text=True)
    assert again.returncode == 0, again.stderr


# --- the commands that only read the warehouse ------------------------------------------------------------------

READING = ("summary", "charts", "docs")


def tilt100(command: str, db: Path, tmp: Path) -> subprocess.CompletedProcess[str]:
    out = ["--out", str(tmp / "page" / "report.html")] if command == "charts" else []
    return subprocess.run(
        [sys.executable, "-m", "tilt100", command, "--db", str(db), *out],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


@contextmanager
def held_read_write(db: Path) -> Iterator[int]:
    """A process holding `db` open read-write (a notebook) while the block runs; yields its PID."""
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert writer.stdout is not None and writer.stdout.readline() == b"holding\n"
        yield writer.pid
    finally:
        writer.communicate(b"\n")


def missing(db: Path) -> None:
    db.unlink()


def nothing_loaded(db: Path) -> None:
    """A DuckDB file, but not a warehouse: nothing landed in it."""
    db.unlink()
    duckdb.connect(str(db)).close()


# fault -> (what makes it, the one line on stderr: a regex, {db} the file's path escaped)
READING_FAULTS: dict[str, tuple[Callable[[Path], None], str]] = {
    "missing": (
        missing,
        r"error: {db}: expected a DuckDB warehouse, found nothing at that path; nothing was changed\."
        r" Build one: tilt100 refresh REPORTS --db {db} \(or make run\), or point --db \(or WAREHOUSE_DB\) at one\.",
    ),
    "a CSV file": (
        not_duckdb,
        r"error: {db}: expected a DuckDB warehouse, found a file starting b'id,name\\n'; nothing was changed\."
        r" Point --db \(or WAREHOUSE_DB\) at a warehouse, or at a path where none exists yet to start one\.",
    ),
    "truncated": (
        truncated,
        r"error: {db}: expected a DuckDB warehouse, found a truncated file \(\d+ bytes of the \d+ its header counts\);"
        r" nothing was changed\. Restore it from a backup, or point --db \(or WAREHOUSE_DB\) elsewhere\.",
    ),
    "nothing loaded": (
        nothing_loaded,
        r"error: {db}: expected a built warehouse, found a DuckDB file with no report loaded \(no raw tables\);"
        r" nothing was changed\. Load and build: tilt100 refresh --db {db} REPORTS",
    ),
    "loaded, never built": (
        lambda db: None,  # `loaded` is a direct load: raw tables, no dbt build
        r"error: {db}: expected a built warehouse, found reports loaded but never built"
        r" \(no audit\.fct_participants\); nothing was changed\. Build what is loaded: tilt100 refresh --db {db}",
    ),
}


@pytest.mark.parametrize("command", READING)
@pytest.mark.parametrize("fault", READING_FAULTS)
def test_a_reading_command_checks_its_warehouse_first(fault: str, command: str, loaded: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    shutil.copyfile(loaded, db)
    make, message = READING_FAULTS[fault]
    make(db)
    before = folder_state(tmp_path)
    done = tilt100(command, db, tmp_path)
    assert (done.returncode, done.stdout) == (2, ""), done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and re.fullmatch(message.format(db=re.escape(str(db))), lines[0]), done.stderr
    assert folder_state(tmp_path) == before  # no page, no docs, nothing changed


@pytest.mark.parametrize("command", READING)
def test_a_reading_command_names_the_process_holding_the_warehouse(command: str, loaded: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    shutil.copyfile(loaded, db)
    with held_read_write(db) as pid:
        done = tilt100(command, db, tmp_path)
    assert (done.returncode, done.stdout) == (2, ""), done.stdout + done.stderr
    assert re.fullmatch(
        rf"error: {re.escape(str(db))} is open read-write in another process \(PID {pid}: .*\), so nothing was"
        r" changed\. Close that connection \(a BI tool, a notebook, dbt\) and try again\.\n",
        done.stderr,
    ), done.stderr


def fake_marts(db: Path, leave_out: str | None = None) -> None:
    """A DuckDB file with every relation the reading commands query, empty (a build from no report)."""
    from tilt100.charts import READS as CHARTS_READS
    from tilt100.warehouse.summary import READS as SUMMARY_READS

    with duckdb.connect(str(db)) as con:
        for name in sorted({*CHARTS_READS, *SUMMARY_READS} - {leave_out}):
            con.execute(f"create schema if not exists {name.split('.')[0]}")
            con.execute(f"create table {name} (month date)")


def test_charts_of_a_warehouse_built_from_no_report_say_so(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    fake_marts(db)
    done = tilt100("charts", db, tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"error: {db}: expected a warehouse with a month of figures, found none (built from no report);"
        f" nothing was written. Load one: tilt100 refresh REPORTS --db {db}\n"
    )
    assert not (tmp_path / "page").exists()


def test_a_warehouse_without_a_mart_a_command_reads_is_named(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    fake_marts(db, leave_out="marts.fct_participants_by_fylke")
    done = tilt100("charts", db, tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"error: {db}: expected a built warehouse, found a warehouse without marts.fct_participants_by_fylke"
        f" (built by an older version of the project?); nothing was changed. Rebuild it: tilt100 refresh --db {db}"
        " --full\n"
    )


def test_a_warehouse_of_the_layout_before_schema_audit_is_told_to_rebuild(tmp_path: Path) -> None:
    """Built before the tables that do not sum moved from marts to audit: not "never built", but rebuild it."""
    db = tmp_path / "w.duckdb"
    fake_marts(db, leave_out="audit.fct_participants")
    with duckdb.connect(str(db)) as con:
        con.execute("create table marts.fct_participants (month date)")
    done = tilt100("summary", db, tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"error: {db}: expected a built warehouse, found a warehouse without audit.fct_participants"
        f" (built by an older version of the project?); nothing was changed. Rebuild it: tilt100 refresh --db {db}"
        " --full\n"
    )


def test_fetch_checks_the_warehouse_before_it_downloads(tmp_path: Path) -> None:
    db = tmp_path / "w.csv"
    not_duckdb(db)
    dest = tmp_path / "fetched"
    done = subprocess.run(
        [sys.executable, "-m", "tilt100", "fetch", "--refresh", "--db", str(db), "--dest", str(dest)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout) == (2, ""), done.stderr
    assert done.stderr == (
        f"error: {db}: expected a DuckDB warehouse, found a file starting b'id,name\\n'; nothing was changed."
        " Point --db (or WAREHOUSE_DB) at a warehouse, or at a path where none exists yet to start one.\n"
    )
    assert not dest.exists()  # nothing fetched
