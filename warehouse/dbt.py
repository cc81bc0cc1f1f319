"""Run `dbt build` against one database file and read what it did."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from extract.children import die_with_parent
from extract.progress import Progress

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DBT = Path(sys.executable).parent / "dbt"
STEP_RE = re.compile(r"^\S+\s+(?P<n>\d+) of (?P<total>\d+) (?P<what>START|OK|PASS|WARN|FAIL|ERROR|SKIP)")


@dataclass(frozen=True)
class BuildResult:
    returncode: int
    counts: Counter[str] = field(default_factory=Counter)  # "test pass", "model success", ...
    failures: tuple[str, ...] = ()  # "<node>: <message>" for every failed or erroring node

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def tests(self, status: str) -> int:
        return self.counts[f"test {status}"]


def build(db: Path, target_path: Path | None = None, select: str | None = None) -> BuildResult:
    """`dbt build` with WAREHOUSE_DB=db (of `select` only, if given: dbt's selectors, space-separated).

    In a terminal, one live progress line; else only problems.
    """
    target = target_path or PROJECT_ROOT / "target"
    env = {
        **os.environ,
        "WAREHOUSE_DB": str(db),
        "DBT_PROFILES_DIR": str(PROJECT_ROOT),
        "DBT_TARGET": "dev",
        "DBT_USE_COLORS": "false",
    }
    command = [str(DBT), "build", "--target-path", str(target), *(["--select", *select.split()] if select else [])]
    progress = Progress(0)
    with subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=die_with_parent,  # the refresh is single-threaded: safe here
    ) as proc:
        assert proc.stdout is not None
        for raw in proc.stdout:
            line = raw.rstrip()
            step = STEP_RE.match(line)
            if step and step["what"] in ("START", "OK", "PASS", "SKIP"):
                if progress.live:
                    progress.stream.write(f"\r\033[Kdbt build: {step['n']} of {step['total']}")
                    progress.stream.flush()
                continue
            if step or "Done." in line or "Error" in line or "ERROR" in line:
                if progress.live:
                    progress.stream.write("\r\033[K")
                print(f"  dbt: {line}", flush=True)
        returncode = proc.wait()
    if progress.live:
        progress.stream.write("\r\033[K")
    return _results(returncode, target / "run_results.json")


def _results(returncode: int, run_results: Path) -> BuildResult:
    if not run_results.exists():
        return BuildResult(returncode, Counter(), ("dbt wrote no run_results.json",))
    results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
    counts: Counter[str] = Counter()
    failures = []
    for result in results:
        kind = result["unique_id"].split(".", 1)[0]
        counts[f"{kind} {result['status']}"] += 1
        if result["status"] in ("fail", "error", "runtime error"):
            name = result["unique_id"].split(".")[-1] if kind != "test" else result["unique_id"].split(".")[2]
            failures.append(f"{kind} {name}: {(result.get('message') or '').strip()}")
    return BuildResult(returncode, counts, tuple(failures))
