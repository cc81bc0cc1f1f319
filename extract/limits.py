"""Resource limits for reading one file: pages, inflated page content, time.

A real TILT100 report has 56-70 pages of a few kB of content each and reads in
seconds. The limits stop a file that is not one (10 000 pages, a decompression
bomb, a page that takes forever) before it eats the machine, with a message
naming the file and the limit. Each limit is overridable by environment:

- ``TILT100_MAX_PAGES`` (default 1000): pages per file, counted before any is read.
- ``TILT100_MAX_PAGE_MB`` (default 4): what one PDF page draws with (its content
  streams, forms and fonts), inflated, in MB; measured before pdfminer inflates it.
- ``TILT100_MAX_SECONDS`` (default 120): time to read one file.
- ``TILT100_MAX_FILE_MB`` (default 64): the size of a workbook or a text export on disk.
- ``TILT100_MAX_LINE_CHARS`` (default 10 000): characters in one line of a text export.
- ``TILT100_MAX_SHEET_ROWS`` (default 20 000): rows of one sheet, counted in its XML before it is read.
- ``TILT100_MAX_SHEET_CELLS`` (default 1 000 000): cells of one sheet, and the area from A1 to its
  declared dimension and to its last cell (what the workbook reader allocates).
- ``TILT100_MAX_INFLATED_MB`` (default 64): each part of a workbook (a zip member), inflated.
- ``TILT100_MAX_ZIP_RATIO`` (default 100): how many times a part of more than 1 MB may inflate.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import zlib
from dataclasses import dataclass
from types import FrameType, TracebackType

from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFObjRef, PDFStream
from pdfminer.psparser import LIT

from extract.errors import ExtractError

MAX_PAGES = "TILT100_MAX_PAGES"
MAX_PAGE_MB = "TILT100_MAX_PAGE_MB"
MAX_SECONDS = "TILT100_MAX_SECONDS"
MAX_FILE_MB = "TILT100_MAX_FILE_MB"
MAX_LINE_CHARS = "TILT100_MAX_LINE_CHARS"
MAX_SHEET_ROWS = "TILT100_MAX_SHEET_ROWS"
MAX_SHEET_CELLS = "TILT100_MAX_SHEET_CELLS"
MAX_INFLATED_MB = "TILT100_MAX_INFLATED_MB"
MAX_ZIP_RATIO = "TILT100_MAX_ZIP_RATIO"
DEFAULTS = {
    MAX_PAGES: 1000.0,
    MAX_PAGE_MB: 4.0,
    MAX_SECONDS: 120.0,
    MAX_FILE_MB: 64.0,
    MAX_LINE_CHARS: 10_000.0,
    MAX_SHEET_ROWS: 20_000.0,
    MAX_SHEET_CELLS: 1_000_000.0,
    MAX_INFLATED_MB: 64.0,
    MAX_ZIP_RATIO: 100.0,
}
MB = 1 << 20
# Links a page's resources may hold back up the page tree: never followed.
_UPWARD_KEYS = frozenset({"Parent", "P"})
_IMAGE = LIT("Image")  # images are never inflated by the extractor


def _env_number(name: str) -> float:
    text = os.environ.get(name)
    if not text:
        return DEFAULTS[name]
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise ValueError(f"environment variable {name} must be a positive number, found {text!r}")
    return value


@dataclass(frozen=True)
class Limits:
    pages: int
    page_bytes: int
    seconds: float
    file_bytes: int = int(DEFAULTS[MAX_FILE_MB] * MB)
    line_chars: int = int(DEFAULTS[MAX_LINE_CHARS])
    sheet_rows: int = int(DEFAULTS[MAX_SHEET_ROWS])
    sheet_cells: int = int(DEFAULTS[MAX_SHEET_CELLS])
    inflated_bytes: int = int(DEFAULTS[MAX_INFLATED_MB] * MB)
    zip_ratio: float = DEFAULTS[MAX_ZIP_RATIO]

    @classmethod
    def from_env(cls) -> Limits:
        return cls(
            int(_env_number(MAX_PAGES)),
            int(_env_number(MAX_PAGE_MB) * MB),
            _env_number(MAX_SECONDS),
            int(_env_number(MAX_FILE_MB) * MB),
            int(_env_number(MAX_LINE_CHARS)),
            int(_env_number(MAX_SHEET_ROWS)),
            int(_env_number(MAX_SHEET_CELLS)),
            int(_env_number(MAX_INFLATED_MB) * MB),
            _env_number(MAX_ZIP_RATIO),
        )

    def check_file_size(self, file_name: str, size: int, kind: str) -> None:
        """A workbook or text export no bigger than TILT100_MAX_FILE_MB, before a byte of it is parsed."""
        if size > self.file_bytes:
            expected = f"{kind} of at most {self.file_bytes / MB:.3g} MB ({MAX_FILE_MB})"
            raise ExtractError(file_name, None, expected, f"{size} bytes")

    def check_page_count(self, file_name: str, count: int) -> None:
        if count > self.pages:
            raise ExtractError(file_name, None, f"at most {self.pages} pages ({MAX_PAGES})", f"{count} pages")


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
            self.file_name, self.page, f"a file read within {self.seconds:g} s ({MAX_SECONDS})", f"{elapsed:.1f} s"
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
                expected = f"a page that inflates to at most {limit / MB:g} MB ({MAX_PAGE_MB})"
                raise ExtractError(file_name, page, expected, found)
            obj = obj.attrs
        if isinstance(obj, dict):
            todo.extend(v for k, v in obj.items() if k not in _UPWARD_KEYS)
        elif isinstance(obj, list):
            todo.extend(obj)
