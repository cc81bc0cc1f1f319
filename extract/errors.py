"""The one error the extractor raises for bad input."""

from __future__ import annotations

import errno


class ExtractError(Exception):
    """Input that is not what a TILT100 report prints.

    The message names the file, the page (when known), what was expected and
    what was found, so a user can open the file and see the problem.
    """

    def __init__(self, file_name: str, page: int | str | None, expected: str, found: str) -> None:
        # `page`: a page number, or a place named otherwise ("sheet 'X'", "sheet 'X', cell B7")
        place = f"page {page}" if isinstance(page, int) else page
        name = file_name if file_name.isprintable() else repr(file_name)  # a newline in a name: still one line
        where = f"{name}, {place}" if place is not None else name
        super().__init__(f"{where}: expected {expected}, found {found}")
        self.file_name = file_name
        self.page = page
        self.expected = expected
        self.found = found

    def __reduce__(self) -> tuple[type[ExtractError], tuple[str, int | str | None, str, str]]:
        # Pickled whole, so an error raised in a reading process (--jobs) reaches the loader as it was.
        return (ExtractError, (self.file_name, self.page, self.expected, self.found))


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
