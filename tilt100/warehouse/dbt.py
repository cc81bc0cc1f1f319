"""Run `dbt build` against one database file and read what it did; `dbt docs generate` into a folder of its own.

Every dbt run here has a target-path and log-path of its own (compiled SQL,
run_results.json, the partial parse, dbt.log): never the project's `target/`
and `logs/`, which another refresh, `tilt100 docs` or a hand-run dbt may be
writing at the same moment, and which a read-only checkout cannot hold.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from tilt100.plumbing import MachineFault, NothingAttempted, Progress, die_with_parent, machine_fault, quoted
from tilt100.settings import ROOT
from tilt100.warehouse.paths import WarehousePaths


@dataclass(frozen=True)
class BuildResult:
    returncode: int
    counts: Counter[str] = field(default_factory=Counter)  # "test pass", "model success", ...
    failures: tuple[str, ...] = ()  # "<node>: <message>" for every failed or erroring node
    not_run: str | None = None  # why dbt stopped before running any node (no run_results.json of this run)
    messages: tuple[str, ...] = ()  # dbt's error lines, as printed
    relations: frozenset[tuple[str, str]] | None = None  # (schema, name) the project builds; None if not parsed

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def no_space(self) -> bool:
        """The disk filled up under dbt."""
        return any("No space left on device" in text for text in (*self.failures, *self.messages))

    def tests(self, status: str) -> int:
        return self.counts[f"test {status}"]


@dataclass
class NodeProgress:
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


def dbt_env(db: Path, target: Path, logs: Path, profile_target: str) -> dict[str, str]:
    """dbt's environment for one run on `db`: its own target and log folders, whatever the caller's env says."""
    return {
        **os.environ,
        "WAREHOUSE_DB": str(db),
        "DBT_PROFILES_DIR": str(ROOT),
        "DBT_TARGET": profile_target,
        "DBT_TARGET_PATH": str(target),
        "DBT_LOG_PATH": str(logs),
        "DBT_USE_COLORS": "false",
    }


def build_options(
    select: str | None, full_refresh: bool = False, skip: Sequence[str] = (), exclude: str | None = None
) -> list[str]:
    """`dbt build`'s options for what `Build.run` is asked to build (its docstring says what each means)."""
    options = ["--select", *select.split()] if select else []
    options += ["--exclude", *exclude.split(), "--indirect-selection", "cautious"] if exclude else []
    options += ["--full-refresh"] if full_refresh else []
    return options + [option for kind in skip for option in ("--exclude-resource-type", kind)]


class Build:
    """``with Build(db, work) as dbt: ...; dbt.run(select)``: a `dbt build` with WAREHOUSE_DB=db, started ahead.

    dbt is imported in its own process (`warehouse.dbt_child`) from the start of the block; `run`
    builds (`select`: dbt's selectors, space-separated; None: everything) and
    reads what it did (`full_refresh`: rebuild incremental models whole). dbt's
    target and logs are `work`/target and `work`/logs: this run's alone, so the
    counts read back are this run's. `parse` has dbt parse the project ahead
    of `run` (while the reports land). In a terminal, one live progress line;
    else only problems. A block left without `run` ends the process.
    """

    def __init__(self, db: Path, work: Path) -> None:
        self.target = work / "target"
        self.logs = work / "logs"
        env = dbt_env(db, self.target, self.logs, "dev")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tilt100.warehouse.dbt_child"],
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

    def parse(self) -> None:
        """Have dbt parse the project now (from the parse in its target folder, if any), ahead of `run`."""
        self._send({"parse": True}, last=False)

    def _start(self, request: dict[str, object] | None) -> None:
        self._send(request, last=True)

    def _send(self, request: dict[str, object] | None, last: bool) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
            if last:
                self.proc.stdin.close()
        except BrokenPipeError:  # the child died early (it says why on stdout)
            pass

    def run(
        self,
        select: str | None = None,
        full_refresh: bool = False,
        on_step: Callable[[int, int], None] | None = None,
        skip: Sequence[str] = (),
        exclude: str | None = None,
    ) -> BuildResult:
        """Build; `on_step(done, total)` after each node dbt finishes (the live line shows the same).

        `skip`: resource types dbt leaves out (`--exclude-resource-type`), e.g. ``("unit_test",)``.
        `exclude`: dbt's selectors of what to leave out of `select` (`--exclude`), a test only when all
        it reads is left out (`--indirect-selection cautious`).
        """
        run_results = self.target / "run_results.json"
        run_results.unlink(missing_ok=True)  # what a run before this one did is not this run's result
        self._start({"options": build_options(select, full_refresh, skip, exclude)})
        progress = Progress(0)
        steps = NodeProgress()
        messages: list[str] = []
        relations: frozenset[tuple[str, str]] | None = None
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
            elif message.get("kind") == "relations":
                relations = frozenset((str(schema), str(name)) for schema, name in message.get("relations") or [])
            elif message.get("kind") == "message":
                if progress.live:
                    progress.stream.write("\r\033[K")
                for text in str(message.get("text", "")).splitlines():
                    print(f"  dbt: {text}", flush=True)
                    messages.append(text)
        returncode = self.proc.wait()
        if progress.live:
            progress.stream.write("\r\033[K")
        return replace(_results(returncode, run_results, tuple(messages)), relations=relations)


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


# What `dbt docs generate --static` writes that the site needs: the page, what it shows, and the page with both inside.
SITE_FILES = ("index.html", "manifest.json", "catalog.json", "static_index.html")


def generate_docs(db: Path, out: Path | None = None) -> int:
    """dbt's documentation site (models, columns, lineage) of `db`, opened read-only, into `out`; dbt's exit code.

    `out` defaults to `<stem>_docs` beside the warehouse (WarehousePaths.docs).
    dbt runs in a temporary folder of its own (target and logs), so a refresh
    or another `docs` running at the same time never reads or writes its files;
    the site's files are then put in place one by one (each an atomic rename).
    The `reader` target: it runs beside BI tools and notebooks that have the
    warehouse open. An `out` that cannot be written raises NothingAttempted
    (checked before dbt runs) or MachineFault (after), in one line.
    """
    out = out or WarehousePaths(db.resolve()).docs
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise NothingAttempted(_unwritable(error, "making the docs folder", out)) from None
    with tempfile.TemporaryDirectory(prefix="tilt100-docs-") as work:
        target, logs = Path(work) / "target", Path(work) / "logs"
        command = [sys.executable, "-m", "tilt100.warehouse.dbt_cli", "docs", "generate", "--static", "--quiet"]
        command += ["--target", "reader"]  # dbt's command line, with this project's parse made once on the machine
        command += ["--target-path", str(target), "--log-path", str(logs)]
        env = dbt_env(db, target, logs, "reader")
        returncode = subprocess.run(command, cwd=ROOT, env=env, check=False).returncode
        if returncode != 0:
            print(f"dbt docs generate failed (exit {returncode}); {quoted(out)} is as it was", file=sys.stderr)
            return returncode
        try:
            _publish(target, out)
        except OSError as error:
            raise MachineFault(_unwritable(error, "writing the docs site", out)) from None
    print(f"docs: {quoted(out / 'index.html')}")
    print(f"  serve it: python -m http.server --directory {quoted(out)} 8080, then open http://localhost:8080")
    print(f"  or open {quoted(out / 'static_index.html')} in a browser (one file, no server)")
    return 0


def _unwritable(error: OSError, doing: str, out: Path) -> str:
    fault = machine_fault(error, f"{doing} {quoted(out.name)}", quoted(out.parent))
    return str(fault) if fault else f"{quoted(out)}: cannot be written ({error.strerror or error})"


def _publish(target: Path, out: Path) -> None:
    """Each site file into `out` by a rename: a reader of the site never opens a half-written file."""
    for name in SITE_FILES:
        part = out / f".{name}.{os.getpid()}"
        shutil.copyfile(target / name, part)
        os.replace(part, out / name)
