"""The tests' dbt command line, each run a fork of a process that has imported dbt already.

A pytest worker runs dbt some twenty times, and each new Python process spends over a second
of CPU importing dbt. Here a fork server (multiprocessing's "forkserver", one per worker,
started on first use) imports dbt and `tilt100.warehouse.dbt_cli` once; each run is a fresh
fork of it, so runs share those imports and nothing else: each has the environment, working
folder, output and exit code that `python -m tilt100.warehouse.dbt_cli <arguments>` would have.
"""

from __future__ import annotations

import atexit
import gc
import io
import multiprocessing
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

COMMAND = (sys.executable, "-m", "tilt100.warehouse.dbt_cli")  # what a run stands for
_FORKS = multiprocessing.get_context("forkserver")
_FORKS.set_forkserver_preload(["dbt.cli.main", "dbt.adapters.duckdb", "tilt100.warehouse.dbt_cli", __name__])


def run(args: Sequence[str], env: Mapping[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """dbt's command line with `args`, in `cwd` with exactly the environment `env`; its output captured."""
    with tempfile.TemporaryDirectory(prefix="dbt-fork-") as folder:
        out, err = Path(folder) / "stdout", Path(folder) / "stderr"
        fork = _FORKS.Process(target=_dbt, args=(list(args), dict(env), str(cwd), str(out), str(err)))
        fork.start()
        fork.join()
        stdout = out.read_text() if out.exists() else ""
        stderr = err.read_text() if err.exists() else ""
    assert fork.exitcode is not None  # joined
    return subprocess.CompletedProcess([*COMMAND, *args], fork.exitcode, stdout, stderr)


def _dbt(args: list[str], env: dict[str, str], cwd: str, out: str, err: str) -> None:
    """In the fork: become the process `run` describes, then run dbt's command line."""
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    for fd, path in ((1, out), (2, err)):
        opened = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(opened, fd)
        os.close(opened)
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8")
    sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8", line_buffering=True)
    from tilt100.warehouse.dbt_cli import main

    try:
        code = main(args)
    finally:
        # A fork ends without the exit handlers a process runs (os._exit): run them, so dbt-duckdb lets
        # go of the warehouse as at a process's end, and DuckDB checkpoints it (no WAL left beside it).
        atexit._run_exitfuncs()
        gc.collect()
        sys.stdout.flush()
        sys.stderr.flush()
    sys.exit(code)
