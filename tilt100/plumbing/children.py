"""Child processes that end with their parent, even when it is killed."""

from __future__ import annotations

import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """In a child process: be killed when the parent dies, even by SIGKILL (Linux; elsewhere a no-op).

    A reading process (``--jobs``) or a refresh's dbt must not outlive the
    process that started it: an orphan would go on using the machine or, for
    dbt, keep writing the build folder and hold its DuckDB lock.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the line above: go with it
        os._exit(1)
