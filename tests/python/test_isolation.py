"""A refresh owns its run, and a Parquet reader reads one snapshot whole.

- Two refreshes of two warehouses and a `tilt100 docs` at once: each prints its
  own result (dbt's target, logs and partial parse are the run's own, in its
  build folder; the docs build in a folder of their own).
- A refresh from a read-only checkout of the project, into a warehouse elsewhere,
  works: it writes nothing in the project. A warehouse inside the read-only
  project is refused up front, naming that folder.
- Readers of the Parquet exports during a loop of refreshes: readers that resolve
  the link once and list and read table by table, readers that read the manifest
  through the link, and readers that stay inside one snapshot across refreshes,
  never see a mixed or vanished snapshot.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.python.helpers import BIN, ROOT, TAMPERED, TEXT_EXPORT, Build, copy_of, run_dbt
from tilt100.warehouse import WarehousePaths
from tilt100.warehouse.parse_cache import database_name
from tooling.replica.republished import february_and_march_2026
from tooling.replica.xlsx import write_xlsx


def start(db: Path | None, *reports: Path, cwd: Path = ROOT, cache: Path | None = None) -> subprocess.Popen[str]:
    """`tilt100 refresh` in the background, from the project at `cwd` (its modules, its dbt project);
    `cache`: the machine's cache ($TILT100_CACHE) it uses, if not the user's."""
    env = {k: v for k, v in os.environ.items() if k != "WAREHOUSE_DB"} | (
        {"TILT100_CACHE": str(cache)} if cache else {}
    )
    db_args = ["--db", str(db)] if db is not None else []
    return subprocess.Popen(
        [sys.executable, "-m", "tilt100", "refresh", *db_args, *map(str, reports)],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=900)
    return proc.returncode, out, err


def build_line(stdout: str) -> str:
    """The refresh's closing `dbt build: ...` line (dbt's counts of this run)."""
    lines = [line for line in stdout.splitlines() if line.startswith("dbt build: ")]
    assert len(lines) == 1, stdout
    return lines[0]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """February and March 2026, as Excel twins."""
    out = tmp_path_factory.mktemp("reports")
    files = []
    for report in february_and_march_2026():
        path = out / Path(report.file_name).with_suffix(".xlsx").name
        write_xlsx(report.spec, path)
        files.append(path)
    return files


@pytest.fixture(scope="module")
def january(refreshed_january: Build) -> tuple[Path, str]:
    """A warehouse refreshed from January's text export, alone (conftest), and its `dbt build:` line."""
    return refreshed_january.db, build_line(refreshed_january.output)


# --- a refresh owns its run --------------------------------------------------------------------------------------


def test_two_refreshes_and_a_docs_at_once_each_print_their_own_result(
    january: tuple[Path, str], tmp_path: Path
) -> None:
    db, alone = january
    failing = copy_of(db, tmp_path / "failing")
    fresh = tmp_path / "fresh" / "warehouse.duckdb"
    docs_env = {k: v for k, v in os.environ.items() if k != "WAREHOUSE_DB"}
    procs = [
        start(fresh, TEXT_EXPORT),  # the same build as `january`, beside the others
        start(failing, TAMPERED),  # a build that fails a test: not swapped
        subprocess.Popen(  # the docs of the warehouse the failing refresh builds from
            [str(BIN / "tilt100"), "docs", "--db", str(failing)],
            cwd=ROOT,
            env=docs_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ),
    ]
    (fresh_code, fresh_out, fresh_err), (failed_code, failed_out, failed_err), (docs_code, docs_out, docs_err) = [
        finish(p) for p in procs
    ]

    assert fresh_code == 0, fresh_out + fresh_err
    assert build_line(fresh_out) == alone  # the counts of its own run, as when it ran alone
    assert "months: 2026-01" in fresh_out

    assert failed_code == 1, failed_out + failed_err
    assert "test assert_twin_files_agree" in failed_out
    line = build_line(failed_out)
    assert ", 0 seeds;" in line and line.endswith(" 1 failed, 0 errored")  # a data-only build, one test failed
    assert f"not swapped: {failing} is as it was before this refresh" in failed_out

    assert docs_code == 0, docs_out + docs_err
    site = WarehousePaths(failing).docs
    assert docs_out.splitlines()[0] == f"docs: {site / 'index.html'}"
    assert f"python -m http.server --directory {site} 8080" in docs_out
    catalog = json.loads((site / "catalog.json").read_text())
    assert "model.tilt100.fct_participants" in catalog["nodes"]
    assert (site / "static_index.html").stat().st_size > 0


def test_the_build_folder_holds_dbts_target_and_logs_and_the_parse_is_kept_for_the_next_refresh(
    january: tuple[Path, str],
) -> None:
    db, _ = january
    paths = WarehousePaths(db)
    assert paths.dbt_target.parent == paths.dbt_logs.parent == paths.build_dir
    assert paths.partial_parse.is_file() and paths.partial_parse.parent == db.parent
    assert not paths.build_dir.exists()  # the build folder goes with the refresh


@pytest.fixture
def read_only_project(tmp_path: Path) -> Iterator[Path]:
    """The project, bind-mounted read-only (being root, chmod would not stop a write)."""
    frozen = tmp_path / "project"
    frozen.mkdir()
    for args in (["--bind", str(ROOT), str(frozen)], ["-o", "remount,bind,ro", str(frozen)]):
        done = subprocess.run(["mount", *args], capture_output=True, text=True)
        if done.returncode != 0:
            subprocess.run(["umount", "-l", str(frozen)], check=False)
            pytest.skip(f"mount {' '.join(args)} was refused: {done.stderr.strip()}")
    try:
        yield frozen
    finally:
        subprocess.run(["umount", "-l", str(frozen)], check=False)


def test_a_refresh_from_a_read_only_project_writes_nothing_there(read_only_project: Path, tmp_path: Path) -> None:
    which = subprocess.run(
        [sys.executable, "-c", "from tilt100 import settings, warehouse; print(settings.ROOT, warehouse.__file__)"],
        cwd=read_only_project,
        capture_output=True,
        text=True,
        check=True,
    )
    assert which.stdout.split() == [
        str(read_only_project),
        str(read_only_project / "tilt100" / "warehouse" / "__init__.py"),
    ]

    db = tmp_path / "writable" / "warehouse.duckdb"
    code, out, err = finish(start(db, TEXT_EXPORT, cwd=read_only_project))
    assert code == 0, out + err  # dbt's target and logs are in the build folder beside the warehouse
    assert "leaf cells (fct_participants): 498" in out


def test_a_warehouse_in_a_read_only_project_is_refused_up_front_naming_it(read_only_project: Path) -> None:
    code, out, err = finish(start(None, TEXT_EXPORT, cwd=read_only_project))  # the default: warehouse.duckdb there
    assert code == 2, out + err
    assert err.splitlines() == [
        f"error: {read_only_project} is read-only (making the lock file warehouse.duckdb.lock); the warehouse's"
        " folder must be writable: remount it read-write, fix its permissions, or name a warehouse elsewhere with"
        " --db (or WAREHOUSE_DB)"
    ]
    assert out == ""  # no report was read or landed


# --- a consistent read for every reader ---------------------------------------------------------------------------

# What a reader checks of the snapshot it read: every file the manifest names, with its rows and the
# refresh's tag in its metadata; the facts all of the same months.
CHECK = """
import json, os, sys, time, duckdb
from pathlib import Path
con = duckdb.connect()
FACTS = ("fct_participants.parquet", "fct_published_totals.parquet")
def read_whole(snapshot, files):
    manifest = json.loads((snapshot / "manifest.json").read_text())
    expected = {t["file"]: t["rows"] for t in manifest["tables"]}
    assert sorted(f.name for f in files) == sorted(expected), (snapshot, files)
    months = set()
    for f in files:  # table by table, as pandas or a BI tool reads a folder
        rows = con.execute("select count(*) from read_parquet(?)", [str(f)]).fetchone()[0]
        tag = con.execute(
            "select value::varchar from parquet_kv_metadata(?) where key::varchar = 'tilt100_refresh'", [str(f)]
        ).fetchall()
        assert rows == expected[f.name] and tag == [(manifest["refresh"],)], (f, rows, tag, manifest["refresh"])
        # every fact holds the same months (the measure types' only where a sibling is loaded: none here)
        if (f.name in FACTS or f.name.startswith("fct_participants_by_")) and rows:
            months.add(tuple(con.execute("select distinct month from read_parquet(?) order by 1", [str(f)]).fetchall()))
    assert len(months) == 1, (snapshot, months)
    return manifest["refresh"], len(months.pop())
"""

# Reads the exports over and over until told to stop; prints each refresh it sees the first time.
# "resolve": resolve the link once, list the folder, read table by table. "manifest": read the manifest
# through the link, then the files it names in the snapshot it names.
LOOP_READER = (
    CHECK
    + """
link, stop, how = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
seen, reads = set(), 0
while not stop.exists():
    if how == "resolve":
        snapshot = Path(os.path.realpath(link))
        files = sorted(snapshot.glob("*.parquet"))
    else:
        manifest = json.loads((link / "manifest.json").read_text())
        snapshot = link.parent / manifest["snapshot"]
        files = [snapshot / t["file"] for t in manifest["tables"]]
    began = time.monotonic()
    refresh, months = read_whole(snapshot, files)
    reads += 1
    time.sleep(max(0.05, 3 * (time.monotonic() - began)))  # reads a quarter of the time: the cores go to refreshes
    if refresh not in seen:
        seen.add(refresh)
        print(refresh, months, flush=True)
print("reads", reads, flush=True)
"""
)

# Resolves the link once (and holds a shared lock on the manifest, if told), then reads when told: a
# reader still inside a snapshot after refreshes.
PINNED_READER = (
    CHECK
    + """
import fcntl
link, lock = Path(sys.argv[1]), sys.argv[2] == "lock"
snapshot = Path(os.path.realpath(link))
held = open(snapshot / "manifest.json")
if lock:
    fcntl.flock(held, fcntl.LOCK_SH)
print(json.loads(held.read())["refresh"], flush=True)
sys.stdin.readline()  # refreshes run now
print(*read_whole(snapshot, sorted(snapshot.glob("*.parquet"))), flush=True)
sys.stdin.readline()  # let go
"""
)


def reader(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def said(proc: subprocess.Popen[str]) -> str:
    """The reader's next line; if it ended instead, why."""
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        proc.wait(timeout=60)
        raise AssertionError(proc.stderr.read() if proc.stderr else f"exit {proc.returncode}")
    return line.strip()


def tell(proc: subprocess.Popen[str]) -> None:
    assert proc.stdin is not None
    proc.stdin.write("go\n")
    proc.stdin.flush()


def served_refresh(paths: WarehousePaths) -> str:
    return json.loads((paths.parquet / "manifest.json").read_text())["refresh"]


def refreshed(db: Path, *reports: Path) -> str:
    code, out, err = finish(start(db, *reports))
    assert code == 0, out + err
    return out


def test_parquet_readers_through_a_loop_of_refreshes_read_one_snapshot_whole(
    january: tuple[Path, str], reports: list[Path], tmp_path: Path
) -> None:
    db = copy_of(january[0], tmp_path / "w").resolve()  # the paths the refresh names
    paths = WarehousePaths(db)
    stop = tmp_path / "stop"
    snapshots = [paths.parquet.resolve()]
    loops = [reader(LOOP_READER, str(paths.parquet), str(stop), how) for how in ("resolve", "manifest")]
    pinned: list[subprocess.Popen[str]] = []
    try:
        for loop in loops:
            assert said(loop) == f"{served_refresh(paths)} 1"
        pinned.append(reader(PINNED_READER, str(paths.parquet), "lock"))  # inside January, holding its lock
        assert said(pinned[0]) == served_refresh(paths)

        for months, report in enumerate(reports, start=2):  # February, then March
            out = refreshed(db, report)
            snapshots.append(paths.parquet.resolve())
            for loop in loops:  # each loop reader has read the new snapshot whole
                assert said(loop) == f"{served_refresh(paths)} {months}"
            if months == 2:
                pinned.append(reader(PINNED_READER, str(paths.parquet), "nolock"))  # inside February, no lock
                assert said(pinned[1]) == served_refresh(paths)
        january_snapshot, february_snapshot, march_snapshot = snapshots
        assert f"kept {january_snapshot}: a reader holds a lock on its manifest.json" in out

        # March is served: February (the snapshot it replaced) and January (locked by a reader) are whole.
        for proc, months in ((pinned[0], 1), (pinned[1], 2)):
            tell(proc)
            assert said(proc).endswith(f" {months}")
        assert paths.snapshots() == sorted(snapshots)

        for proc in pinned:  # the pinned readers let go
            tell(proc)
            proc.wait(timeout=60)
        refreshed(db)  # no new report: a whole build, a new snapshot
        for loop in loops:
            assert said(loop) == f"{served_refresh(paths)} 3"
        assert paths.snapshots() == sorted([march_snapshot, paths.parquet.resolve()])
        assert february_snapshot not in paths.snapshots() and january_snapshot not in paths.snapshots()
    finally:
        stop.touch()
        for proc in pinned:
            proc.kill()
    for loop in loops:
        out, err = loop.communicate(timeout=120)
        assert loop.returncode == 0, err  # no read failed: no file missing, no mixed tag, rows or months
        assert out.startswith("reads ") and int(out.split()[1]) >= 1


def test_a_parse_made_in_a_checkout_since_gone_never_serves_another(read_only_project: Path, tmp_path: Path) -> None:
    # dbt's parse holds the seeds' absolute paths: a parse cached by another checkout of the
    # very same project (a clone, a worktree, here a bind mount) must not be handed to this one,
    # or this one's seeds load from a place that may no longer hold them.
    other = finish(start(tmp_path / "other" / "warehouse.duckdb", TEXT_EXPORT, cwd=read_only_project, cache=tmp_path))
    assert other[0] == 0, other[1] + other[2]
    subprocess.run(["umount", "-l", str(read_only_project)], check=True)  # that checkout is gone
    assert not (read_only_project / "seeds").exists()

    code, out, err = finish(start(tmp_path / "here" / "warehouse.duckdb", TEXT_EXPORT, cache=tmp_path))
    assert code == 0, out + err
    assert "leaf cells (fct_participants): 498" in out
    kept = sorted(p.name for p in (tmp_path / "dbt-parse").iterdir())
    assert len(kept) == 2, kept  # one parse per checkout


def test_a_parse_made_by_dbts_command_line_serves_the_next_refresh_as_made(tmp_path: Path) -> None:
    # dbt parses whole again when the command line's target (or vars, or profile) differs from the
    # parse's: `python -m tilt100.warehouse.dbt_cli` (the tests' dbt, `make docs`) and the refresh's
    # dbt process must name the same target, or each parses the project afresh for the other.
    machine = {"TILT100_CACHE": str(tmp_path), "DBT_TARGET": None}  # no target named: dbt's default
    parsed = run_dbt(tmp_path / "parsed" / "warehouse.duckdb", tmp_path / "parsed", "parse", env=machine)
    assert parsed.returncode == 0, parsed.stdout + parsed.stderr
    (cached,) = (tmp_path / "dbt-parse").iterdir()
    made = cached.read_bytes()

    db = tmp_path / "here" / "warehouse.duckdb"
    code, out, err = finish(start(db, TEXT_EXPORT, cache=tmp_path))
    assert code == 0, out + err
    assert WarehousePaths(db).partial_parse.read_bytes() == made  # dbt took the parse as it was: no parse of its own


def test_warehouses_named_otherwise_each_keep_a_parse_of_their_own(tmp_path: Path) -> None:
    # dbt-duckdb names the database after the warehouse file and dbt writes that name into its parse:
    # one kept parse for `w.duckdb` and `warehouse.duckdb` alike had each build parse whole for the other.
    machine = {"TILT100_CACHE": str(tmp_path)}
    whole = []
    for run, name in enumerate(("w", "warehouse", "w", "warehouse")):
        folder = tmp_path / f"run{run}"
        done = run_dbt(folder / f"{name}.duckdb", folder, "parse", env=machine)
        assert done.returncode == 0, done.stdout + done.stderr
        whole.append("Unable to do partial parsing" in (folder / "logs" / "dbt.log").read_text())
    assert whole == [True, True, False, False]  # each name parsed once, then its parse served
    assert len(list((tmp_path / "dbt-parse").iterdir())) == 2


@pytest.mark.parametrize("name", ["warehouse.duckdb", "w.duckdb", "my.db.duckdb", ".hidden.duckdb", "på tvers.duckdb"])
def test_the_database_a_parse_is_kept_for_is_the_one_dbt_duckdb_names(name: str) -> None:
    from dbt.adapters.duckdb.credentials import DuckDBCredentials

    assert database_name(Path("/some/folder") / name) == DuckDBCredentials.path_derived_database_name(
        f"/some/folder/{name}"
    )


EVENTS_MADE_WHEN_READ = """
from tilt100.warehouse.dbt_events import make_event_messages_when_read
make_event_messages_when_read()
from dbt.adapters.events.types import SQLQuery
from dbt_common.events.base_types import msg_from_base_event
event = SQLQuery(conn_name="master", sql="select 1", node_info={})
print("pb_msg" in event.__dict__)  # not yet a message
print(event.sql, event.conn_name)  # read: made one, whole
event.sql = "select 2"
print(msg_from_base_event(event).data.sql)  # the message a logger reads holds the field as set
"""


def test_dbts_events_are_made_messages_only_when_read() -> None:
    # dbt made every event a protobuf message as it created it, the dropped debug ones too (a tenth of a build)
    done = subprocess.run([sys.executable, "-c", EVENTS_MADE_WHEN_READ], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["False", "select 1 master", "select 2"]


@pytest.mark.parametrize("level", ["debug", "info"])
def test_dbts_file_log_holds_its_debug_lines_exactly_when_asked(tmp_path: Path, level: str) -> None:
    # `warehouse.dbt_events` drops debug events before dbt makes messages of them, unless a logger writes them.
    done = run_dbt(tmp_path / "warehouse.duckdb", tmp_path, "ls", "--select", "dim_month", log_level=level)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "tilt100.marts.dim_month" in done.stdout
    log = (tmp_path / "logs" / "dbt.log").read_text()
    assert ("[debug]" in log) == (level == "debug"), log[-2000:]
    assert "running dbt with arguments" in log if level == "debug" else "[info ]" in log
