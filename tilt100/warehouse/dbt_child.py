"""The dbt process of a refresh (`python -m tilt100.warehouse.dbt_child`), started by `warehouse.dbt.Build`.

dbt's imports (over a second) run at once, while the refresh copies the
warehouse and lands the reports (`warehouse.dbt_process`: what every process that runs dbt
does first). Requests come on stdin, a JSON line each:
`{"parse": true}` once the parse to start from is in place (dbt parses the
project while the reports land), then what to build (`{"options": [...]}`,
`dbt build`'s: `warehouse.dbt.build_options`), when the build may start
(`null`: the refresh ended first). The build parses the project itself
if it was not asked to before. As the parse is made (the child wraps dbt's
`parse_manifest`) the child says which relations the project builds (the
refresh drops the others: `warehouse.prune`). dbt's console log is off; its events (dbtRunner callbacks)
reach the parent as JSON lines on stdout: a node started (with the run's
total), a node done, a warning or error to show. dbt writes no
manifest.json (half a second a build, and nothing here reads it); the child
writes run_results.json, which the parent reads.

Exit code: 0 built, 1 a node failed, 2 dbt stopped before building.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from tilt100.warehouse.dbt_process import start_dbt
from tilt100.warehouse.prune import built_relations

# A node skipped after an error upstream: the error itself is said.
QUIET = frozenset({"LogSkipBecauseError"})
# The debug events `on_event` reads (dbt makes NodeFinished a debug event); dbt drops the others.
READ_DEBUG_EVENTS = frozenset({"NodeFinished"})


def send(**message: object) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def on_event(event: Any) -> None:  # noqa: ANN401 (dbt's EventMsg)
    name, data, level = event.info.name, event.data, event.info.level
    if name == "LogStartLine":
        send(kind="start", node=data.node_info.unique_id, total=data.total)
    elif name == "NodeFinished":
        send(kind="done", node=data.node_info.unique_id, status=data.node_info.node_status)
    elif level in ("warn", "error") and name not in QUIET:
        send(kind="message", level=level, text=event.info.msg)


def stopped(exception: BaseException | None) -> int:
    """dbt stopped before building (a parse that failed, say): why, and exit code 2."""
    why = f"{type(exception).__name__}: {exception}" if exception is not None else "dbt parse failed"
    send(kind="message", level="error", text=why)
    return 2


def main() -> int:
    start_dbt(READ_DEBUG_EVENTS)  # the file log is at info, the console's off
    import dbt.cli.requires
    from dbt.cli.main import dbtRunner

    request = json.loads(sys.stdin.readline() or "null")
    if request is None:
        return 0  # the refresh ended before its build
    parse_manifest = dbt.cli.requires.parse_manifest

    def parse_and_say(*args: object, **kwargs: object) -> Any:  # noqa: ANN401
        manifest = parse_manifest(*args, **kwargs)
        send(kind="relations", relations=sorted(built_relations(manifest.nodes.values())))
        return manifest

    dbt.cli.requires.parse_manifest = parse_and_say
    # Target and log folders: DBT_TARGET_PATH and DBT_LOG_PATH (warehouse.dbt.dbt_env), this build's own;
    # the file log at info, so a failed build keeps its log.
    logs = ["--log-level", "none", "--log-level-file", "info"]
    manifest = None
    if request.get("parse"):  # the parse is in place: parsed while the reports land, then the build is asked
        parsed = dbtRunner(callbacks=[on_event]).invoke(["parse", "--no-write-json", *logs])
        request = json.loads(sys.stdin.readline() or "null")
        if request is None:
            return 0
        if not parsed.success:
            return stopped(parsed.exception)
        manifest = parsed.result
    build = ["build", "--no-write-json", *logs, *request["options"]]  # warehouse.dbt.build_options
    result = dbtRunner(manifest=manifest, callbacks=[on_event]).invoke(build)
    if result.exception is not None:
        return stopped(result.exception)
    if result.result is not None:
        result.result.write(str(Path(os.environ["DBT_TARGET_PATH"]) / "run_results.json"))
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())
