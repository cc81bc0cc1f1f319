"""Resource limits for reading one file: pages, inflated page content, time, sheet size.

The limits themselves (each overridable by its environment variable, e.g. ``TILT100_MAX_PAGES``)
are settings, defined with the others in ``tilt100/settings.py`` and listed by ``tilt100 --help``; this
module enforces them, naming the file and the limit in the refusal.
"""

from __future__ import annotations

import signal
import threading
import time
import zlib
from dataclasses import dataclass
from types import FrameType, TracebackType

from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFObjRef, PDFStream
from pdfminer.psparser import LIT

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
# Links a page's resources may hold back up the page tree: never followed.
_UPWARD_KEYS = frozenset({"Parent", "P"})
_IMAGE = LIT("Image")  # images are never inflated by the extractor


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


def _inflate(data: bytes, limit: int) -> bytes | None:
    """`data` inflated, or None when that is more than `limit` bytes (never holding more)."""
    inflater = zlib.decompressobj()
    out = bytearray()
    try:
        while data and len(out) <= limit:
            out += inflater.decompress(data, limit + 1 - len(out))
            data = inflater.unconsumed_tail
    except zlib.error:
        pass  # corrupt: pdfminer reads what it can
    return None if len(out) > limit else bytes(out)


def _stream_size(stream: PDFStream, limit: int) -> int:
    """A stream's size as pdfminer would inflate it; more than `limit` if it is bigger."""
    data = stream.rawdata if stream.rawdata is not None else stream.data or b""
    if stream.rawdata is not None and stream.decipher is not None and stream.objid is not None:
        data = stream.decipher(stream.objid, stream.genno or 0, data, stream.attrs)
    for name, _ in stream.get_filters() if stream.rawdata is not None else []:
        if name not in LITERALS_FLATE_DECODE:
            break
        inflated = _inflate(data, limit)
        if inflated is None:
            return limit + 1
        data = inflated
    return len(data)


def check_page_content(
    contents: list[object], resources: object, file_name: str, page: int, limit: int, sizes: dict[int, int]
) -> None:
    """Refuse a page whose streams (content, forms, fonts; not images) inflate to more than `limit` bytes.

    `sizes` caches each stream's size by object number across the pages of a file.
    """
    total = 0
    seen: set[int] = set()
    todo: list[object] = [*contents, resources]
    while todo:
        obj = todo.pop()
        objid: int | None = None
        if isinstance(obj, PDFObjRef):
            objid = obj.objid
            if objid in seen:
                continue
            seen.add(objid)
            obj = obj.resolve()
        if isinstance(obj, PDFStream):
            if obj.attrs.get("Subtype") is _IMAGE:
                continue
            if objid is None:
                total += _stream_size(obj, limit)
            else:
                if objid not in sizes:
                    sizes[objid] = _stream_size(obj, limit)
                total += sizes[objid]
            if total > limit:
                found = "more (a decompression bomb?)"
                expected = f"a page that inflates to at most {limit / MB:g} MB ({MAX_PAGE_MB.env})"
                raise ExtractError(file_name, page, expected, found)
            obj = obj.attrs
        if isinstance(obj, dict):
            todo.extend(v for k, v in obj.items() if k not in _UPWARD_KEYS)
        elif isinstance(obj, list):
            todo.extend(obj)
