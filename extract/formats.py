"""The input formats, one entry each (FORMATS): what a file of the format is, how it is told, how its pages are read.

The extractor (``read``, ``explain``, ``batch``) and ``fetch`` take every suffix, first
bytes, guard and page loop from here. Adding a format is one source adapter in ``extract/sources/``,
its guard in ``extract/guards/``, and one entry here (and, if it may be a twin of a report, its place in the dbt var
``twin_file_formats``: which of a report's files stands for it in the marts).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from extract.errors import ExtractError
from extract.guards import check_pdf, check_text_export, check_workbook
from extract.limits import Limits
from extract.reports import TILT100
from extract.sources import PageRead, TextLayer, pdf_page_reads, text_pages, xlsx_sheet_reads
from tilt100.plumbing import OLE_MAGIC, PDF_MAGIC, ZIP_MAGIC, describe_head

# A file's pages, in order, each as (its sheet's name or None, its lines | the ExtractError that refused it |
# None where `only` another page is read).
PageReads = Iterator[tuple[str | None, PageRead]]


def _pdf_reads(path: Path, limits: Limits, text_layer: TextLayer, only: int | None) -> PageReads:
    for read in pdf_page_reads(path, limits, text_layer, only=only):
        yield None, read


def _xlsx_reads(path: Path, limits: Limits, text_layer: TextLayer, only: int | None) -> PageReads:
    yield from xlsx_sheet_reads(path, only=only)


def _text_reads(path: Path, limits: Limits, text_layer: TextLayer, only: int | None) -> PageReads:
    """A text export is read whole (`only` aside): what refuses a line refuses the file."""
    try:
        for lines in text_pages(path):
            yield None, lines
    except UnicodeDecodeError as error:
        bad = error.object[error.start : error.start + 1]
        raise ExtractError(path.name, None, "a text export in UTF-8", f"the byte {bad!r}, not UTF-8") from None


@dataclass(frozen=True)
class Format:
    name: str  # raw.tilt100_files.file_format
    suffix: str
    called: str  # in a refusal: "expected a PDF (starting with %PDF-), ..."
    reads: Callable[[Path, Limits, TextLayer, int | None], PageReads]
    guard: Callable[[Path, Limits], None]  # what a file may cost, checked before it is parsed (extract.guards)
    magic: bytes | None = None  # what its files begin with (None: anything, told by the suffix alone)
    magic_alone: bool = False  # its first bytes tell it whatever the file is named (a PDF named .txt is a PDF)
    sheets: bool = False  # its pages are named sheets (a refusal names the sheet, not a page number)
    text_layers: bool = False  # read through a choice of text layer (--text-layer)
    published: bool = False  # NAV publishes its reports in it: `fetch` downloads it
    # A file with the suffix whose first bytes say it cannot be read: (first bytes, expected, found).
    unreadable: tuple[tuple[bytes, str, str], ...] = ()

    def pages(self, path: Path, limits: Limits, text_layer: TextLayer, only: int | None = None) -> PageReads:
        """The file's pages in order (as `reads`), once its guard has passed: the one loop the reader and
        `explain` walk."""
        self.guard(path, limits)
        yield from self.reads(path, limits, text_layer, only)

    def is_it(self, path: Path, head: bytes) -> bool:
        named = path.suffix.lower() == self.suffix
        begins = self.magic is None or head.startswith(self.magic)
        return begins and (named or (self.magic_alone and self.magic is not None))


PDF = Format(
    "pdf",
    ".pdf",
    f"a PDF (starting with {PDF_MAGIC.decode()})",
    _pdf_reads,
    check_pdf,
    magic=PDF_MAGIC,
    magic_alone=True,
    text_layers=True,
    published=True,
)
XLSX = Format(
    "xlsx",
    ".xlsx",
    "an .xlsx workbook",
    _xlsx_reads,
    check_workbook,
    magic=ZIP_MAGIC,
    sheets=True,
    published=True,
    unreadable=((OLE_MAGIC, "a workbook without a password", "a password-protected (encrypted) file"),),
)
TXT = Format("txt", ".txt", "a .txt text export", _text_reads, check_text_export)
FORMATS = (PDF, XLSX, TXT)
BY_NAME = {fmt.name: fmt for fmt in FORMATS}
SUFFIXES = frozenset(fmt.suffix for fmt in FORMATS)


def format_of(path: Path) -> Format:
    """The format of a file, by its first bytes and its name; ExtractError naming what it is instead."""
    with path.open("rb") as handle:
        head = handle.read(64)
    if not head:
        raise ExtractError(path.name, None, f"a {TILT100.code} report", describe_head(head))
    for fmt in FORMATS:
        if fmt.is_it(path, head):
            return fmt
        for magic, expected, found in fmt.unreadable:
            if path.suffix.lower() == fmt.suffix and head.startswith(magic):
                raise ExtractError(path.name, None, expected, found)
    called = [fmt.called for fmt in FORMATS]
    raise ExtractError(path.name, None, f"{', '.join(called[:-1])} or {called[-1]}", describe_head(head))
