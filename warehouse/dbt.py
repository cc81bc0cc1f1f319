"""Run `dbt build` against one database file and read what it did."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from plumbing import Progress, die_with_parent
from project import ROOT, TARGET


@dataclass(frozen=True)
class BuildResult:
    returncode: int
    counts: Counter[str] = field(default_factory=Counter)  # "test pass", "model success", ...
    failures: tuple[str, ...] = ()  # "<node>: <message>" for every failed or erroring node
    not_run: str | None = None  # why dbt stopped before running any node (no run_results.json of this run)
    messages: tuple[str, ...] = ()  # dbt's error lines, as printed

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def no_space(self) -> bool:
        """The disk filled up under dbt."""
        return any("No space left on device" in text for text in (*self.failures, *self.messages))

    def tests(self, status: str) -> int:
        return self.counts[f"test {status}"]


# The dbt child: dbt's imports (about 3 s) run at once, while the refresh lands the
# reports; the arguments of `dbt build` come on stdin when the build may start.
# dbt's console log is off; its own events (dbtRunner callbacks) reach the parent
# as JSON lines on stdout: a node started (with the run's total), a node done, a
# warning or error to show.
RUNNER = """
import json, sys
from dbt.cli.main import dbtRunner
args = json.loads(sys.stdin.readline() or "null")
if args is None:
    sys.exit(0)  # the refresh ended before its build
def send(**message):
    sys.stdout.write(json.dumps(message) + "\\n")
    sys.stdout.flush()
def on_event(event):
    name, data, level = event.info.name, event.data, event.info.level
    if name == "LogStartLine":
        send(kind="start", node=data.node_info.unique_id, total=data.total)
    elif name == "NodeFinished":
        send(kind="done", node=data.node_info.unique_id, status=data.node_info.node_status)
    elif level in ("warn", "error") and name not in QUIET:
        send(kind="message", level=level, text=event.info.msg)
QUIET = {"LogSkipBecauseError"}  # a node skipped after an error upstream: the error itself is said
result = dbtRunner(callbacks=[on_event]).invoke([*args, "--log-level", "none"])
if result.exception is not None:
    send(kind="message", level="error", text=f"{type(result.exception).__name__}: {result.exception}")
sys.exit(0 if result.success else 2 if result.exception is not None else 1)
"""


@dataclass
class Steps:
    """dbt's progress, from its events: nodes done of the run's total, never counting back."""

    total: int = 0
    done: set[str] = field(default_factory=set)

    def read(self, message: dict[str, object]) -> bool:
        """Take one event message; True if it moved the count."""
        if message.get("kind") == "start":
            self.total = max(self.total, int(str(message.get("total") or 0)))
        elif message.get("kind") == "done" and message.get("node") not in self.done:
            self.done.add(str(message.get("node")))
            self.total = max(self.total, len(self.done))
            return True
        return False

    def __str__(self) -> str:
        return f"dbt build: {len(self.done)} of {self.total}"


def _message(line: str) -> dict[str, object]:
    """One line from the dbt child: its JSON event message, or any other text it printed (an error)."""
    try:
        message = json.loads(line)
    except ValueError:
        return {"kind": "message", "level": "error", "text": line}
    return message if isinstance(message, dict) else {"kind": "message", "level": "error", "text": line}


class Build:
    """``with Build(db) as dbt: ...; dbt.run(select)``: a `dbt build` with WAREHOUSE_DB=db, started ahead.

    dbt is imported in its own process from the start of the block; `run`
    builds (`select`: dbt's selectors, space-separated; None: everything) and
    reads what it did (`full_refresh`: rebuild incremental models whole). In
    a terminal, one live progress line; else only problems.
    A block left without `run` ends the process.
    """

    def __init__(self, db: Path) -> None:
        self.target = TARGET
        env = {
            **os.environ,
            "WAREHOUSE_DB": str(db),
            "DBT_PROFILES_DIR": str(ROOT),
            "DBT_TARGET": "dev",
            "DBT_USE_COLORS": "false",
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-c", RUNNER],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            preexec_fn=die_with_parent,  # the refresh is single-threaded: safe here
        )

    def __enter__(self) -> Build:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.proc.returncode is None:
            self._start(None)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()

    def _start(self, args: list[str] | None) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps(args) + "\n")
            self.proc.stdin.close()
        except BrokenPipeError:  # the child died early (it says why on stdout)
            pass

    def run(
        self,
        select: str | None = None,
        full_refresh: bool = False,
        on_step: Callable[[int, int], None] | None = None,
    ) -> BuildResult:
        """Build; `on_step(done, total)` after each node dbt finishes (the live line shows the same)."""
        args = ["build", "--target-path", str(self.target)]
        args += ["--select", *select.split()] if select else []
        args += ["--full-refresh"] if full_refresh else []
        run_results = self.target / "run_results.json"
        run_results.unlink(missing_ok=True)  # what a run before this one did is not this run's result
        self._start(args)
        progress = Progress(0)
        steps = Steps()
        messages: list[str] = []
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            line = raw.rstrip()
            if not line:
                continue
            message = _message(line)
            if steps.read(message):
                if on_step is not None:
                    on_step(len(steps.done), steps.total)
                if progress.live:
                    progress.stream.write(f"\r\033[K{steps}")
                    progress.stream.flush()
            elif message.get("kind") == "message":
                if progress.live:
                    progress.stream.write("\r\033[K")
                for text in str(message.get("text", "")).splitlines():
                    print(f"  dbt: {text}", flush=True)
                    messages.append(text)
        returncode = self.proc.wait()
        if progress.live:
            progress.stream.write("\r\033[K")
        return _results(returncode, run_results, tuple(messages))


def _reason(messages: tuple[str, ...], returncode: int) -> str:
    """Why dbt stopped before running anything, from what it said: its last error."""
    errors = [m.strip() for m in messages if m.strip() and "Traceback" not in m]
    for line in reversed(errors):
        if not line.startswith(("Done.", "Completed")):
            return " ".join(line.split())[:300]
    return f"dbt exited with code {returncode} and printed no error"


def _results(returncode: int, run_results: Path, messages: tuple[str, ...] = ()) -> BuildResult:
    if not run_results.exists():
        return BuildResult(returncode or 2, Counter(), (), _reason(messages, returncode), messages)
    results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
    counts: Counter[str] = Counter()
    failures = []
    for result in results:
        kind = result["unique_id"].split(".", 1)[0]
        counts[f"{kind} {result['status']}"] += 1
        if result["status"] in ("fail", "error", "runtime error"):
            name = result["unique_id"].split(".")[-1] if kind != "test" else result["unique_id"].split(".")[2]
            failures.append(f"{kind} {name}: {(result.get('message') or '').strip()}")
    return BuildResult(returncode, counts, tuple(failures), None, messages)


def generate_docs(db: Path) -> int:
    """dbt's documentation site (models, columns, lineage) into target/, from `db` opened read-only.

    The `reader` target: it runs beside BI tools and notebooks that have the warehouse open.
    Returns dbt's exit code.
    """
    env = {**os.environ, "WAREHOUSE_DB": str(db), "DBT_PROFILES_DIR": str(ROOT)}
    dbt = Path(sys.executable).with_name("dbt")
    command = [str(dbt), "docs", "generate", "--target", "reader", "--target-path", str(TARGET)]
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode
