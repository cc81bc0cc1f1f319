"""dbt's Jinja templates compiled once per machine, as Python keeps its modules' bytecode.

A build renders every node's SQL, its tests' arguments and the macros it calls
through Jinja, and dbt compiles each of those templates to Python afresh in
every process: some 550 in a whole build of a month, 0.6 s of its 5 s of CPU
(BENCHMARKS.md). ``keep_compiled_templates`` keeps each compiled template in
the user's cache (``settings.cache_dir()``/jinja), keyed by its exact source and
the environment that compiled it, in one file per version of Python, Jinja and
dbt; a later process (the next refresh, the next test's dbt) loads the code
instead of compiling. A template whose source changed has another key, so it is
compiled afresh, never patched. The cache is only ever a saving: a file that
cannot be read or written is passed over (the templates are compiled as
before), and it is written whole or not at all (a rename).
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import marshal
import os
import sys
from pathlib import Path
from types import CodeType
from typing import Any

from tilt100.plumbing.cachefile import write_whole

# Templates kept in the file at most, the ones last used: the suite's builds and parses, of the project and
# of its changed copies, use some 900 (1.6 MB, read in 5 ms); each process reads the file whole.
KEPT = 4_000


def cache_file() -> Path:
    """The file of compiled templates for this Python, Jinja and dbt."""
    from importlib.metadata import version

    from tilt100.settings import cache_dir

    versions = f"{sys.version}|{version('jinja2')}|{version('dbt-common')}|{version('dbt-core')}"
    return cache_dir() / "jinja" / f"templates-{hashlib.sha256(versions.encode()).hexdigest()[:16]}.marshal"


def _read(path: Path) -> dict[str, CodeType]:
    """The compiled templates in `path`: none if it is unreadable, or if anyone but this user could have written
    it or its folder (its code is run, as Python runs its own bytecode caches)."""
    try:
        if any(_others_can_write(p) for p in (path.parent, path)):
            return {}
        kept = marshal.loads(path.read_bytes())  # noqa: S302 (written by this user alone: checked above)
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return kept if isinstance(kept, dict) else {}


def _others_can_write(path: Path) -> bool:
    status = path.stat()
    return status.st_uid != os.getuid() or bool(status.st_mode & 0o022)


def keep_compiled_templates(path: Path | None = None) -> None:
    """In a dbt process, before dbt runs: dbt's templates compiled from `path` (`cache_file()`), new ones kept there.

    Only dbt's two environments are served (the text and the native one, each
    made alike for every node); what a process compiled anew is written when
    it exits. With dbt's macro debugging on (``--macro-debugging``,
    ``DBT_MACRO_DEBUGGING``) dbt compiles as it does without this.
    """
    import jinja2
    from dbt_common.clients import jinja as dbt_jinja

    compile_ = jinja2.Environment.compile
    if getattr(compile_, "kept", False):
        return
    path = path or cache_file()
    served = (dbt_jinja.MacroFuzzEnvironment, dbt_jinja.NativeSandboxEnvironment)
    kept: dict[str, CodeType] | None = None
    made: dict[str, CodeType] = {}  # compiled here
    used: set[str] = set()  # read from the file

    def compile_kept(
        self: jinja2.Environment,
        source: Any,  # noqa: ANN401 (Jinja's: a string or a parsed template)
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:  # noqa: ANN401
        nonlocal kept
        if raw or not isinstance(source, str) or type(self) not in served or dbt_jinja.MACRO_DEBUGGING:
            return compile_(self, source, name, filename, raw, defer_init)
        key = "\0".join((type(self).__qualname__, str(name), str(filename), str(defer_init), source))
        key = hashlib.sha256(key.encode()).hexdigest()
        if kept is None:
            kept = _read(path)
        code = made.get(key) or kept.get(key)
        if not isinstance(code, CodeType):
            code = made[key] = compile_(self, source, name, filename, raw, defer_init)
        else:
            used.add(key)
        return code

    def write() -> None:
        if not made:
            return
        old = _read(path)
        merged = {k: v for k, v in old.items() if k not in used and k not in made}
        merged.update({k: old[k] for k in used if k in old})
        merged.update(made)  # the last used last: what is dropped past KEPT is what went unused longest
        merged = dict(list(merged.items())[-KEPT:])
        with contextlib.suppress(OSError):  # a full disk or a read-only cache: the next process compiles them again
            write_whole(path, marshal.dumps(merged))

    compile_kept.kept = True  # type: ignore[attr-defined]
    jinja2.Environment.compile = compile_kept  # type: ignore[method-assign]
    atexit.register(write)
