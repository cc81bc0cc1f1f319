"""One writer at a time: an exclusive lock on a file beside the warehouse.

Direct loads (`python -m extract`) and refreshes (`tilt100 refresh`) of the
same warehouse take the same lock, so they take turns instead of failing on
DuckDB's file lock or copying a half-written file.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tilt100.plumbing.errors import NothingAttempted, machine_fault


def lock_path(db: Path) -> Path:
    return db.with_name(f"{db.name}.lock")


@contextmanager
def exclusive(path: Path, on_wait: Callable[[], None] | None = None, busy: str | None = None) -> Iterator[None]:
    """Hold an exclusive lock on `path`; if another process holds it, say so and wait (or, given
    `busy`, do not wait: NothingAttempted with that message, as a second `fetch` does).

    The kernel releases the lock when the process ends, however it ends, so a
    killed load never leaves a stale lock behind.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:  # a read-only folder, a full disk: nothing can start
        fault = machine_fault(error, f"making the lock file {path.name}", path.parent)
        raise NothingAttempted(str(fault or f"{path}: {error.strerror}")) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if busy is not None:
                raise NothingAttempted(busy) from None
            if on_wait is not None:
                on_wait()
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
