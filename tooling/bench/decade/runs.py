"""Running and measuring the benchmark's child processes: wall time, peak memory, logs."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tilt100.settings import ROOT
from tooling.bench.decade.settings import BENCH_REQUIREMENTS, BENCH_VENV, MB


@dataclass
class Run:
    seconds: float  # wall time of the whole process
    peak_mb: float  # maxrss of the process and the children it waited for
    returncode: int
    log: Path
    worker: dict = field(default_factory=dict)  # the JSON line of a bench.workers child
    spread: float | None = None  # of repeated runs: (slowest - fastest) / fastest; None if run once

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def _worker_json(log: Path) -> dict:
    for line in reversed(log.read_text(encoding="utf-8", errors="replace").splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return {}


def run_all(commands: Sequence[Sequence[str]], logs: Sequence[Path], env: dict[str, str] | None = None) -> list[Run]:
    """Start the commands together; each one's figures, the wall time being until all have ended."""
    start = time.perf_counter()
    procs = []
    for command, log in zip(commands, logs, strict=True):
        with log.open("w", encoding="utf-8") as out:
            procs.append(subprocess.Popen(list(command), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT))
    usages = []
    for proc in procs:
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        usages.append((proc.returncode, usage.ru_maxrss / MB))
    seconds = time.perf_counter() - start
    return [Run(seconds, peak, code, log, _worker_json(log)) for (code, peak), log in zip(usages, logs, strict=True)]


def run(command: Sequence[str], log: Path, env: dict[str, str] | None = None) -> Run:
    return run_all([command], [log], env)[0]


def best(runs: Callable[[], Run], times: int) -> Run:
    """The fastest of `times` runs (peak memory: the largest), with the spread of their times (the noise)."""
    return fastest_of([runs() for _ in range(times)])


def fastest_of(results: Sequence[Run]) -> Run:
    """The fastest of runs of one command (peak memory: the largest), with the spread of their times; a failed
    run is the figure, so that it is never hidden behind a faster one."""
    failed = [r for r in results if not r.ok]
    if failed:
        return failed[0]
    fastest = min(results, key=lambda r: r.seconds)
    slowest = max(r.seconds for r in results)
    spread = (slowest - fastest.seconds) / fastest.seconds if len(results) > 1 and fastest.seconds > 0 else None
    return dataclasses.replace(fastest, peak_mb=max(r.peak_mb for r in results), spread=spread)


def tail(log: Path, lines: int = 15) -> str:
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def worker(python: Path, mode: str, *args: str | Path) -> list[str]:
    return [str(python), "-m", "tooling.bench.workers", mode, *map(str, args)]


def dbt_env(db: Path, work: Path) -> dict[str, str]:
    return {
        **os.environ,
        "WAREHOUSE_DB": str(db),
        "DBT_PROFILES_DIR": str(ROOT),
        "DBT_TARGET": "dev",
        "DBT_LOG_PATH": str(work / "logs"),
        "DBT_USE_COLORS": "false",
    }


def bench_python(say: Callable[[str], None] = print) -> tuple[Path | None, str]:
    """The Python of .venv-bench (made from bench/requirements.txt if missing or stale), or None and why."""
    python = BENCH_VENV / "bin" / "python"
    stamp = BENCH_VENV / ".installed"
    if stamp.exists() and stamp.stat().st_mtime >= BENCH_REQUIREMENTS.stat().st_mtime and python.exists():
        return python, ""
    say(f"installing camelot into {BENCH_VENV} from {BENCH_REQUIREMENTS} (benchmark-only)")
    steps = [
        [sys.executable, "-m", "venv", str(BENCH_VENV)],
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", str(BENCH_REQUIREMENTS)],
        [str(python), "-c", "import camelot"],
    ]
    for step in steps:
        done = subprocess.run(step, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            lines = [line for line in (done.stderr or done.stdout).splitlines() if "is ignored" not in line]
            return None, f"`{' '.join(step[-3:])}` failed: {' / '.join(lines[-3:])}"
    stamp.touch()
    return python, ""
