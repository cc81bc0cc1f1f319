"""The tests' dbt and MetricFlow command lines, each run a fork of a process that has imported them already.

A pytest worker runs dbt some twenty times, and each new Python process spends over a second
of CPU importing dbt (MetricFlow's `mf` nearly two). Here a fork server (multiprocessing's
"forkserver", one per worker, started on first use) imports dbt, MetricFlow and
`tilt100.warehouse.dbt_cli` once; each run is a fresh fork of it, so runs share those imports and
nothing else: each has the environment, working folder, output and exit code that
`python -m tilt100.warehouse.dbt_cli <arguments>` (`run`) or `mf <arguments>` (`run_mf`) would have.
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
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import click

COMMAND = (sys.executable, "-m", "tilt100.warehouse.dbt_cli")  # what a run stands for
DBT = (str(Path(sys.executable).parent / "dbt"),)  # what a run_plain stands for
MF = (str(Path(sys.executable).parent / "mf"),)  # what a run_mf stands for
_FORKS = multiprocessing.get_context("forkserver")
_PRELOAD = ["dbt.cli.main", "dbt.adapters.duckdb", "dbt_metricflow.cli.main", "tilt100.warehouse.dbt_cli", __name__]
_FORKS.set_forkserver_preload(_PRELOAD)


def run(args: Sequence[str], env: Mapping[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """dbt's command line with `args`, in `cwd` with exactly the environment `env`; its output captured."""
    return _forked(_dbt, COMMAND, args, env, cwd)


def run_plain(args: Sequence[str], env: Mapping[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """dbt's own command line (`dbt <args>`, without the project's kept parse), as `run` runs the project's."""
    return _forked(_plain, DBT, args, env, cwd)


def run_mf(args: Sequence[str], env: Mapping[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """MetricFlow's command line (`mf`, dbt-metricflow) with `args`, as `run` runs dbt's."""
    return _forked(_mf, MF, args, env, cwd)


def _forked(
    main: Callable[[list[str], dict[str, str], str, str, str], None],
    command: Sequence[str],
    args: Sequence[str],
    env: Mapping[str, str],
    cwd: Path,
) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="dbt-fork-") as folder:
        out, err = Path(folder) / "stdout", Path(folder) / "stderr"
        fork = _FORKS.Process(target=main, args=(list(args), dict(env), str(cwd), str(out), str(err)))
        fork.start()
        fork.join()
        stdout = out.read_text() if out.exists() else ""
        stderr = err.read_text() if err.exists() else ""
    assert fork.exitcode is not None  # joined
    return subprocess.CompletedProcess([*command, *args], fork.exitcode, stdout, stderr)


def _become(env: dict[str, str], cwd: str, out: str, err: str) -> None:
    """In the fork: the environment, working folder and output of the process a run stands for."""
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    for fd, path in ((1, out), (2, err)):
        opened = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(opened, fd)
        os.close(opened)
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8")
    sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8", line_buffering=True)


def _ended(code: int) -> None:
    """In the fork: end as that process would. A fork ends without the exit handlers a process runs
    (os._exit): they run here, so dbt-duckdb lets go of the warehouse as at a process's end, and DuckDB
    checkpoints it (no WAL left beside it)."""
    atexit._run_exitfuncs()
    gc.collect()
    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(code)


def _dbt(args: list[str], env: dict[str, str], cwd: str, out: str, err: str) -> None:
    """In the fork: become the process `run` describes, then run dbt's command line."""
    _become(env, cwd, out, err)
    from tilt100.warehouse.dbt_cli import main

    try:
        code = main(args)
    except Exception:
        traceback.print_exc()  # as Python prints it at a process's end
        code = 1
    _ended(code)


def _plain(args: list[str], env: dict[str, str], cwd: str, out: str, err: str) -> None:
    """In the fork: become the process `run_plain` describes, then run dbt's command line (click's, as `dbt`)."""
    _become(env, cwd, out, err)
    from dbt.cli.main import cli

    _click(cli, args, "dbt")


def _mf(args: list[str], env: dict[str, str], cwd: str, out: str, err: str) -> None:
    """In the fork: become the process `run_mf` describes, then run MetricFlow's command line."""
    _become(env, cwd, out, err)
    from dbt_metricflow.cli.main import cli

    _click(cli, args, "mf")


def _click(cli: click.Command, args: list[str], name: str) -> None:
    """In the fork: a click command line with `args`, ended as its process would end."""
    try:
        cli.main(args=args, prog_name=name, standalone_mode=True)
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    except Exception:
        traceback.print_exc()
        code = 1
    _ended(code)
