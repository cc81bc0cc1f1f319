"""Resource limits for reading one file: pages, inflated page content, time, sheet size.

The limits themselves (each overridable by its environment variable, e.g. ``TILT100_MAX_PAGES``)
are settings, defined with the others in ``tilt100/settings.py`` and listed by ``tilt100 --help``; this
module holds them for one read (``Limits``) and enforces the ones every format shares (file size, page
count, time), naming the file and the limit in the refusal. What is particular to a format (a PDF
page's inflated content, a workbook's zip members and sheet areas) is checked in ``extract.guards``.
"""

from __future__ import annotations

import signal
import threading
import time
from dataclasses import dataclass
from types import FrameType, TracebackType

from extract.errors import ExtractError
from tilt100.settings import (
    MAX_FILE_MB,
    MAX_INFLATED_MB,
    MAX_LINE_CHARS,
    MAX_PAGE_MB,
    MAX_PAGES,
    MAX_SECONDS,
    MAX_SHEET_CELLS,
    MAX_SHEET_ROWS,
    MAX_ZIP_RATIO,
)

MB = 1 << 20


@dataclass(frozen=True)
class Limits:
    pages: int
    page_bytes: int
    seconds: float
    file_bytes: int = int(float(MAX_FILE_MB.default) * MB)
    line_chars: int = int(float(MAX_LINE_CHARS.default))
    sheet_rows: int = int(float(MAX_SHEET_ROWS.default))
    sheet_cells: int = int(float(MAX_SHEET_CELLS.default))
    inflated_bytes: int = int(float(MAX_INFLATED_MB.default) * MB)
    zip_ratio: float = float(MAX_ZIP_RATIO.default)

    @classmethod
    def from_env(cls) -> Limits:
        return cls(
            int(MAX_PAGES.number()),
            int(MAX_PAGE_MB.number() * MB),
            MAX_SECONDS.number(),
            int(MAX_FILE_MB.number() * MB),
            int(MAX_LINE_CHARS.number()),
            int(MAX_SHEET_ROWS.number()),
            int(MAX_SHEET_CELLS.number()),
            int(MAX_INFLATED_MB.number() * MB),
            MAX_ZIP_RATIO.number(),
        )

    def check_file_size(self, file_name: str, size: int, kind: str) -> None:
        """A workbook or text export no bigger than TILT100_MAX_FILE_MB, before a byte of it is parsed."""
        if size > self.file_bytes:
            expected = f"{kind} of at most {self.file_bytes / MB:.3g} MB ({MAX_FILE_MB.env})"
            raise ExtractError(file_name, None, expected, f"{size} bytes")

    def check_page_count(self, file_name: str, count: int) -> None:
        if count > self.pages:
            raise ExtractError(file_name, None, f"at most {self.pages} pages ({MAX_PAGES.env})", f"{count} pages")


class _Expired(BaseException):
    """Raised by the alarm; a BaseException so no `except Exception` in a library swallows it."""


class TimeLimit:
    """``with TimeLimit(name, seconds) as clock:``: ExtractError once `seconds` have passed.

    In the main thread a SIGALRM interrupts whatever Python code is running (a
    page that never ends); elsewhere `check()`, called per page, is the limit.
    `clock.page` is the page being read, for the message.
    """

    def __init__(self, file_name: str, seconds: float) -> None:
        self.file_name = file_name
        self.seconds = seconds
        self.page: int | str | None = None
        self._start = 0.0
        self._armed = False
        self._previous: object = None

    def __enter__(self) -> TimeLimit:
        self._start = time.monotonic()
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
            self._previous = signal.signal(signal.SIGALRM, self._alarm)
            self._armed = True
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    def _alarm(self, signum: int, frame: FrameType | None) -> None:
        if self._armed:
            raise _Expired

    def check(self) -> None:
        if time.monotonic() - self._start > self.seconds:
            raise self.error()

    def error(self) -> ExtractError:
        elapsed = time.monotonic() - self._start
        return ExtractError(
            self.file_name, self.page, f"a file read within {self.seconds:g} s ({MAX_SECONDS.env})", f"{elapsed:.1f} s"
        )

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._armed:
            self._armed = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous or signal.SIG_DFL)  # type: ignore[arg-type]
        if isinstance(error, _Expired):
            raise self.error() from None
