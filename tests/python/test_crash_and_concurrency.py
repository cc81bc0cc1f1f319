"""Faults and concurrency: a load or refresh killed at any moment, two at once, a reader
through a loop of refreshes. The warehouse is always as before or equal to a clean load.

A kill "at any moment" is drawn from a timed run of the same command and aimed by its output: a
moment u seconds into the timed run falls after its k-th line, d seconds after it; the killed run
is killed d seconds after its own k-th line. So the kills fall in the stages they were drawn in
(before the first file lands, between two files, in dbt's build) however busy the machine is, and
these tests share the cores with the rest of the suite."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests.python.helpers import ROOT, TEXT_EXPORT, Build, copy_of, raw_state
from tilt100.warehouse import WarehousePaths
from tooling.replica.republished import february_and_march_2026
from tooling.replica.xlsx import write_xlsx

SEED = 20260125  # the kill times are random, and the same on every run


def start(command: str, db: Path, *files: Path | str) -> subprocess.Popen[str]:
    """`tilt100 load` or `tilt100 refresh`, in the background, each line of its output as it is printed."""
    return subprocess.Popen(
        [sys.executable, "-m", "tilt100", command, "--db", str(db), *map(str, files)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def extract(db: Path, *files: Path) -> subprocess.Popen[str]:
    return start("load", db, *files)


def refresh(db: Path, *files: Path) -> subprocess.Popen[str]:
    return start("refresh", db, *files)


def finish(proc: subprocess.Popen[str]) -> str:
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, out + err
    return out


@dataclass(frozen=True)
class Timed:
    """A run of a command to aim kills by: when each line of its output came, and when it ended."""

    lines: list[float]  # seconds from the start
    end: float

    def moment(self, rng: random.Random, start: float = 0.0, stop: float = 1.0) -> tuple[int, float]:
        """A moment drawn between `start` and `stop` (fractions of the run) as (k, d): d seconds after line k."""
        at = rng.uniform(start, stop) * self.end
        k = sum(1 for t in self.lines if t <= at)
        return k, at - (self.lines[k - 1] if k else 0.0)


def timed(proc: subprocess.Popen[str]) -> Timed:
    started = time.monotonic()
    assert proc.stdout is not None
    lines = [time.monotonic() - started for _ in iter(proc.stdout.readline, "")]
    finish(proc)
    return Timed(lines, time.monotonic() - started)


def kill_at(proc: subprocess.Popen[str], moment: tuple[int, float]) -> None:
    """SIGKILL `proc` d seconds after its k-th line of output (its start for k = 0), or let it end before."""
    k, delay = moment
    assert proc.stdout is not None
    for _ in range(k):
        if not proc.stdout.readline():
            break
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
    proc.communicate()


def served_state(db: Path) -> tuple:
    """What a reader of the served warehouse sees: files landed, months, leaf cells."""
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(
            "select (select count(*) from raw.tilt100_files),"
            " (select count(distinct month) from audit.fct_participants),"
            " (select count(*) from audit.fct_participants)"
        ).fetchone()
    assert row is not None
    return row


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """January 2026 as NAV's text export, February and March 2026 as Excel twins."""
    out = tmp_path_factory.mktemp("reports")
    files = [out / TEXT_EXPORT.name]
    shutil.copyfile(TEXT_EXPORT, files[0])
    for report in february_and_march_2026():
        path = out / Path(report.file_name).with_suffix(".xlsx").name
        write_xlsx(report.spec, path)
        files.append(path)
    return files


@pytest.fixture(scope="module")
def clean_raw(tmp_path_factory: pytest.TempPathFactory, reports: list[Path]) -> dict[str, list[tuple]]:
    db = tmp_path_factory.mktemp("clean") / "warehouse.duckdb"
    finish(extract(db, *reports))
    return raw_state(db)


@pytest.fixture(scope="module")
def served(refreshed_january: Build) -> Path:
    """A refreshed warehouse holding January 2026 (conftest): copied before a test refreshes it."""
    return refreshed_january.db


@pytest.mark.slow
def test_a_load_killed_at_any_moment_lands_whole_files_or_nothing(
    tmp_path: Path, reports: list[Path], clean_raw: dict[str, list[tuple]]
) -> None:
    db = tmp_path / "warehouse.duckdb"
    run = timed(extract(db, *reports))  # a line as each file lands
    assert len(run.lines) > len(reports)  # a line per file landed, then the summary
    rng = random.Random(SEED)
    outcomes = set()
    for _ in range(20):
        for leftover in tmp_path.glob("warehouse.duckdb*"):
            leftover.unlink()
        kill_at(extract(db, *reports), run.moment(rng))
        state = raw_state(db)
        landed = {row[0] for row in state.get("tilt100_files", [])}
        # Whole files or nothing: every table holds exactly the clean load's rows of the files landed.
        for table, rows in clean_raw.items():
            assert state.get(table, []) == [r for r in rows if r[0] in landed], table
        outcomes.add(len(landed))
        finish(extract(db, *reports))  # re-running after the crash completes the load
        assert raw_state(db) == clean_raw
    assert len(outcomes) >= 2, f"the kills all fell at the same stage: {outcomes}"


@pytest.mark.slow
def test_a_refresh_killed_at_any_moment_leaves_the_warehouse_as_before_or_done(
    tmp_path: Path, served: Path, reports: list[Path]
) -> None:
    run = timed(refresh(copy_of(served, tmp_path / "timing"), reports[1]))
    before = served_state(served)
    done = (2, 2, 498 * 2)
    rng = random.Random(SEED)
    seen = set()
    tries = 6
    for attempt in range(tries):
        db = copy_of(served, tmp_path / f"try{attempt}")
        paths = WarehousePaths(db)
        # Spread over the whole refresh: copy, extract, dbt build, Parquet, swap.
        kill_at(refresh(db, reports[1]), run.moment(rng, attempt / tries, (attempt + 1) / tries))
        state = served_state(db)
        assert state in (before, done)
        seen.add(state)
        assert sorted(p.stem for p in paths.parquet.glob("*.parquet"))  # the link always points somewhere whole
        finish(refresh(db, reports[1]))  # re-running completes the refresh and clears what the kill left
        assert served_state(db) == done
        assert not list(db.parent.glob(".warehouse.refresh-*"))
        assert len(list(db.parent.glob(".warehouse_parquet.*"))) == 2  # the served snapshot and the one it replaced
    assert before in seen


def test_two_loads_at_once_take_turns(tmp_path: Path, reports: list[Path], clean_raw: dict[str, list[tuple]]) -> None:
    db = tmp_path / "warehouse.duckdb"
    first, second = extract(db, *reports), extract(db, *reversed(reports))
    outputs = finish(first) + finish(second)
    assert "is running: waiting" in outputs
    assert raw_state(db) == clean_raw  # each file once


def test_a_load_into_a_file_held_open_says_so(tmp_path: Path, reports: list[Path]) -> None:
    db = tmp_path / "warehouse.duckdb"
    finish(extract(db, reports[0]))
    before = raw_state(db)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); input()", str(db)],
        stdin=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(1.5)  # the holder has the file open
        blocked = extract(db, reports[1])
        _, err = blocked.communicate(timeout=120)
    finally:
        holder.communicate("\n")
    assert blocked.returncode == 2
    assert "is open in another process" in err and "tilt100 refresh" in err
    assert raw_state(db) == before


def test_two_refreshes_at_once_take_turns(tmp_path: Path, served: Path, reports: list[Path]) -> None:
    db = copy_of(served, tmp_path / "w")
    first, second = refresh(db, reports[1]), refresh(db, reports[2])
    outputs = finish(first) + finish(second)
    assert "is running: waiting" in outputs
    assert served_state(db) == (3, 3, 498 * 3)


READER = """
import sys, time, duckdb
from pathlib import Path
states, stop, deadline = set(), Path(sys.argv[2]), time.monotonic() + 600
while not stop.exists() and time.monotonic() < deadline:
    con = duckdb.connect(sys.argv[1], read_only=True)
    files, months, cells, grand = con.execute(
        "select (select count(*) from raw.tilt100_files), (select count(distinct month) from audit.fct_participants),"
        " (select count(*) from audit.fct_participants),"
        " (select count(*) from audit.fct_published_totals where status_code = 'alle' and dimension = 'kommune')"
    ).fetchone()
    con.close()
    assert cells == 498 * months and grand == months and files == months, (files, months, cells, grand)
    states.add(months)
    time.sleep(0.05)  # some ten reads a second: the cores go to the refreshes
print(sorted(states))
"""


def test_a_reader_through_a_loop_of_refreshes_always_sees_a_whole_warehouse(
    tmp_path: Path, served: Path, reports: list[Path]
) -> None:
    db = copy_of(served, tmp_path / "w")
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(db), str(stop)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        for report in reports[1:]:
            finish(refresh(db, report))
        time.sleep(1)  # a few reads of the last state
    finally:
        stop.touch()
    out, err = reader.communicate(timeout=120)
    assert reader.returncode == 0, err  # no read failed, every read saw a whole warehouse
    assert out.strip() == "[1, 2, 3]" or out.strip() == "[1, 3]", out


@pytest.mark.slow
def test_a_load_killed_at_any_moment_then_a_refresh_serves_a_warehouse_that_opens(
    tmp_path: Path, served: Path, reports: list[Path]
) -> None:
    """The direct load leaves the served file with a WAL (or not); the refresh swaps in a file that stands alone."""
    run = timed(extract(copy_of(served, tmp_path / "timing"), "--jobs", "1", *reports[1:]))
    rng = random.Random(SEED)
    wals = 0
    for attempt in range(3):
        db = copy_of(served, tmp_path / f"try{attempt}")
        load = start("load", db, "--jobs", "1", *reports[1:])
        # the first as soon as a file has landed: its changes in the WAL, not yet in the file
        kill_at(load, (1, 0.0) if attempt == 0 else run.moment(rng))
        wals += db.with_name(db.name + ".wal").exists()
        finish(refresh(db, reports[2]))
        assert not db.with_name(db.name + ".wal").exists()
        assert served_state(db)[0] >= 2  # it opens read-only, and holds January and March at least
        assert not list(db.parent.glob(".warehouse.duckdb.wal.of-*"))
        finish(refresh(db, reports[1]))  # and the next refresh completes it
        assert served_state(db) == (3, 3, 498 * 3)
    assert wals >= 1, "no kill left a WAL: the loop did not test the swap of a WAL"


@pytest.mark.slow
def test_a_swap_killed_between_its_renames_is_finished_or_undone(tmp_path: Path, served: Path) -> None:
    """The two renames of a swap (the WAL aside, the new file in), each interrupted: the next command repairs."""
    from tilt100.plumbing.dbfile import _aside, recover_swap, wal_of

    for done_rename in (False, True):
        db = copy_of(served, tmp_path / f"renamed{done_rename}")
        code = (
            "import duckdb, os, sys; c = duckdb.connect(sys.argv[1]); c.execute('create table t as select 7 i');"
            " os._exit(0)"
        )
        subprocess.run([sys.executable, "-c", code, str(db)], check=True)  # a load killed: its table in the WAL
        before = served_state(db)
        aside = _aside(db, db.stat().st_ino)
        os.replace(wal_of(db), aside)  # killed here: the file has lost its WAL for now
        if done_rename:
            new = db.with_name("new.duckdb")
            shutil.copyfile(db, new)
            with duckdb.connect(str(new)) as con:
                con.execute("create table t as select 8 i")
            os.replace(new, db)  # killed here: the new file is in, the old WAL aside
        recover_swap(db)
        with duckdb.connect(str(db), read_only=True) as con:
            assert con.execute("select i from t").fetchall() == [(8,) if done_rename else (7,)]
        assert served_state(db) == before
        assert not aside.exists()
        assert wal_of(db).exists() != done_rename


@pytest.mark.slow
def test_a_writer_holding_the_served_file_stops_a_refresh_until_it_lets_go(
    tmp_path: Path, served: Path, reports: list[Path]
) -> None:
    db = copy_of(served, tmp_path / "w")
    before = db.read_bytes()
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; c = duckdb.connect(sys.argv[1]); c.execute('create table scratch as select 1 i');"
            " print('holding', flush=True); sys.stdin.readline(); c.close()",
            str(db),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None and writer.stdout.readline() == "holding\n"
    try:
        blocked = refresh(db, reports[1])
        out, err = blocked.communicate(timeout=300)
        unchanged = db.read_bytes() == before  # the refresh did not swap under the writer (its table is in its WAL)
    finally:
        writer.communicate("\n")  # the writer closes: its table is checkpointed into the file
    assert blocked.returncode == 2, out + err
    assert f"is open read-write in another process (PID {writer.pid}" in err and "Traceback" not in err
    assert unchanged
    finish(refresh(db, reports[1]))  # the writer closed (its table checkpointed): the refresh runs
    assert served_state(db) == (2, 2, 498 * 2)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select i from scratch").fetchall() == [(1,)]


# --- faults of the machine: a full disk, a read-only folder ---------------------------------------------------------


def mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"mount {' '.join(args)} was refused: {done.stderr.strip()}")


def folder_bytes(folder: Path) -> dict[str, bytes | str]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        if p.is_file() and not p.is_symlink()
        else str(p.readlink())
        if p.is_symlink()
        else "folder"
        for p in sorted(folder.rglob("*"))
        if not p.name.endswith(".lock")
    }


@pytest.mark.slow
def test_a_full_disk_at_any_step_says_so_in_one_line_and_never_blocks_the_next_refresh(
    tmp_path: Path, served: Path, reports: list[Path]
) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    served_mb = served.stat().st_size / (1 << 20)
    # what is served: the file, its Parquet snapshot (with the file for BI tools), the kept parse
    folder_mb = sum(p.stat().st_size for p in served.parent.rglob("*") if p.is_file()) / (1 << 20)
    mount("-t", "tmpfs", "-o", f"size={int(folder_mb + served_mb * 0.5) + 1}m", "tmpfs", str(disk))
    try:
        db = copy_of(served, disk / "w")
        steps = set()
        # Too small for the copy (beside the served file); room for the copy but not the build.
        kept_parse_mb = WarehousePaths(db).partial_parse.stat().st_size / (1 << 20)  # copied into the build too
        for size in (int(folder_mb + served_mb * 0.5) + 1, int(folder_mb + served_mb + kept_parse_mb * 2) + 2):
            mount("-o", f"remount,size={size}m", str(disk))
            before = folder_bytes(db.parent)
            failed = refresh(db, reports[1])
            out, err = failed.communicate(timeout=600)
            assert failed.returncode == 1, out + err
            lines = err.splitlines()
            assert len(lines) == 1 and "Traceback" not in err, err
            assert lines[0].startswith(f"error: no space left on the device of {db.parent} while "), lines[0]
            assert lines[0].endswith(f"and run it again. The warehouse {db} is unchanged"), lines[0]
            steps.add(lines[0].split(" while ", 1)[1].split(";")[0])
            assert folder_bytes(db.parent) == before  # byte for byte, and no build kept to fill the disk
        assert len(steps) == 2, steps
        mount("-o", "remount,size=256m", str(disk))
        finish(refresh(db, reports[1]))  # nothing left behind blocks the next refresh
        assert served_state(db) == (2, 2, 498 * 2)
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


@pytest.mark.slow
def test_a_read_only_folder_is_refused_in_one_line(tmp_path: Path, served: Path, reports: list[Path]) -> None:
    source = copy_of(served, tmp_path / "w")
    frozen = tmp_path / "frozen"
    frozen.mkdir()
    mount("--bind", str(source.parent), str(frozen))
    try:
        mount("-o", "remount,bind,ro", str(frozen))
        db = frozen / source.name
        before = folder_bytes(frozen)
        for command in ("refresh", "load"):
            done = start(command, db, reports[1])
            out, err = done.communicate(timeout=300)
            assert done.returncode == 2, out + err
            assert err.splitlines() == [
                f"error: {frozen} is read-only (making the lock file warehouse.duckdb.lock); the warehouse's folder"
                " must be writable: remount it read-write, fix its permissions, or name a warehouse elsewhere with"
                " --db (or WAREHOUSE_DB)"
            ]
        assert folder_bytes(frozen) == before
    finally:
        subprocess.run(["umount", "-l", str(frozen)], check=False)
