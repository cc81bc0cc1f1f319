"""Why a command stopped that is not bad input: it could not start, or the machine failed a step."""

from __future__ import annotations

import errno


class NothingAttempted(Exception):
    """The command could not start (arguments, environment, the warehouse file): nothing changed, exit 2."""


class MachineFault(Exception):
    """The machine failed a step (disk full, a read-only folder): what was being written is as it was."""


NO_SPACE = (errno.ENOSPC, errno.EDQUOT)
READ_ONLY = (errno.EROFS, errno.EACCES, errno.EPERM)


def machine_fault(error: BaseException, doing: str, folder: object) -> MachineFault | None:
    """`error` (an OSError, or DuckDB's IOException) as one line saying what to do, if the machine caused it."""
    number = getattr(error, "errno", None)
    text = str(error)
    if number in NO_SPACE or "No space left on device" in text or "Disk quota exceeded" in text:
        return MachineFault(
            f"no space left on the device of {folder} while {doing}; free some space there"
            " (a refresh needs about twice the warehouse's size, free) and run it again"
        )
    if number in READ_ONLY or "Read-only file system" in text or "Permission denied" in text:
        why = "read-only" if number == errno.EROFS or "Read-only" in text else "not writable by this user"
        return MachineFault(
            f"{folder} is {why} ({doing}); the warehouse's folder must be writable: remount it read-write,"
            " fix its permissions, or name a warehouse elsewhere with --db (or WAREHOUSE_DB)"
        )
    return None
