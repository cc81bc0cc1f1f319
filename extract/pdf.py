"""Source adapter for TILT100 PDFs: a page's printed characters as lines of cells.

Two text layers locate the characters; both give the same cells:

- ``pdfium`` (default): pypdfium2, PDFium's text layer (a C library, and a
  dependency of pdfplumber already). Several times faster than pdfplumber.
- ``pdfplumber``: the reference path, pdfplumber's ``page.chars`` (pdfminer).
  ``python -m extract --text-layer pdfplumber`` reads with it; the test suite
  checks that both layers give the same cells on every page of the replicas.

Either way the file's structure is checked with pdfminer before a page is read:
it is complete, not encrypted, has at most so many pages, and no page inflates
beyond the limit (``extract.limits``).

Either layer only gives characters with their boxes; one grouping (`_lines`)
makes lines of them (by their baseline, or pdfplumber's top edge) and of each
line cells: a cell ends where the gap to the next
character is wider than a space, so "15 Møre og" is one cell and "79\u00a0696"
another. Every cell keeps its x-range, which the row parser uses to put figures
under their column headers.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from pathlib import Path
from typing import Literal, NamedTuple

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.pdftypes import resolve1
from pdfminer.psexceptions import PSEOF
from pdfplumber.utils.exceptions import PdfminerException

from extract.errors import ExtractError
from extract.limits import Limits, check_page_content
from extract.parse import Cell, Line

TextLayer = Literal["pdfium", "pdfplumber"]
TEXT_LAYERS: tuple[TextLayer, ...] = ("pdfium", "pdfplumber")
DEFAULT_TEXT_LAYER: TextLayer = "pdfium"

# Characters closer than this (points) belong to one cell: wider than a
# space at the report's font size, far narrower than the gap between columns.
CELL_GAP = 4.0
# Characters (pdfium: baselines; pdfplumber: tops) closer than this (points) share a line.
LINE_TOLERANCE = 2.0
# PDFium reports a hyphen that ends a printed line ("3414 Nord-") as a soft-hyphen mark.
PDFIUM_HYPHENS = {"\x02": "-", "\ufffe": "-"}

# A complete PDF ends with "%%EOF" within its last 1 024 bytes.
EOF_MARKER = b"%%EOF"
EOF_WINDOW = 1024


class _Char(NamedTuple):
    text: str
    x0: float
    x1: float
    top: float
    line_at: float  # what decides a line: PDFium's baseline (its box grows with an Å), pdfplumber's top


def plumber_page_lines(page: pdfplumber.page.Page) -> list[Line]:
    """The lines of a page, top to bottom, as cells left to right (pdfplumber, the reference path)."""
    return _lines([_Char(c["text"], c["x0"], c["x1"], c["top"], c["top"]) for c in page.chars])


# What PDFium may insert between printed characters (FPDFText_IsGenerated tells).
_MAYBE_GENERATED = frozenset(" \r\n")


def _page_text(handle: pdfium_c.FPDF_TEXTPAGE, count: int) -> str:
    """The page's characters as one string, a code point per character index."""
    buffer = ctypes.create_string_buffer(2 * (count + 1))
    pdfium_c.FPDFText_GetText(handle, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[: 2 * count].decode("utf-16-le", errors="replace")
    if len(text) != count:  # a character outside the BMP took two code units: ask one by one
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(handle, i)) for i in range(count))
    return text


def _pdfium_chars(page: pdfium.PdfPage) -> list[_Char]:
    """Every printed character of a page with its box (PDFium's loose box: the font's height)."""
    textpage = page.get_textpage()
    try:
        handle = textpage.raw
        height = page.get_height()
        count = pdfium_c.FPDFText_CountChars(handle)
        text = _page_text(handle, count)
        box = pdfium_c.FS_RECTF()
        x, y = ctypes.c_double(), ctypes.c_double()
        loose_box, origin, generated = (
            pdfium_c.FPDFText_GetLooseCharBox,
            pdfium_c.FPDFText_GetCharOrigin,
            pdfium_c.FPDFText_IsGenerated,
        )
        chars = []
        for i, char in enumerate(text):
            if char in _MAYBE_GENERATED and generated(handle, i) == 1:
                continue  # a space or line break PDFium inserted, not printed
            loose_box(handle, i, box)
            origin(handle, i, x, y)
            chars.append(_Char(PDFIUM_HYPHENS.get(char, char), box.left, box.right, height - box.top, height - y.value))
        return chars
    finally:
        textpage.close()


def pdfium_page_lines(page: pdfium.PdfPage) -> list[Line]:
    """The lines of a page, top to bottom, as cells left to right (PDFium)."""
    return _lines(_pdfium_chars(page))


def _lines(chars: list[_Char]) -> list[Line]:
    """Characters into lines (`line_at` within LINE_TOLERANCE) and each line into cells (gaps over CELL_GAP)."""
    lines: list[list[_Char]] = []
    for char in sorted(chars, key=lambda c: (round(c.line_at, 1), c.x0)):
        if lines and abs(lines[-1][0].line_at - char.line_at) <= LINE_TOLERANCE:
            lines[-1].append(char)
        else:
            lines.append([char])
    result = []
    for chars_in_line in lines:
        runs: list[list[_Char]] = []
        for char in sorted(chars_in_line, key=lambda c: c.x0):
            if runs and char.x0 - runs[-1][-1].x1 <= CELL_GAP:
                runs[-1].append(char)
            else:
                runs.append([char])
        cells = []
        for run in runs:
            text = "".join(c.text for c in run).strip()
            if text:
                # PDFium's coordinates are single-precision floats: kept to a thousandth of a point.
                x0, x1, top = run[0].x0, max(c.x1 for c in run), min(c.top for c in run)
                cells.append(Cell(text, round(x0, 3), round(x1, 3), round(top, 3)))
        if cells:
            result.append(Line(tuple(cells)))
    return result


def _unreadable(file_name: str, page: int | None, error: Exception) -> ExtractError:
    """pdfminer's error (wrapped by pdfplumber) or PDFium's, as what the user sees."""
    cause = error.args[0] if isinstance(error, PdfminerException) and error.args else error
    if isinstance(cause, PDFEncryptionError):
        return ExtractError(file_name, page, "a PDF without a password", "a password-protected (encrypted) PDF")
    if isinstance(cause, PSEOF):
        return ExtractError(file_name, page, "a complete PDF", "the file ends early (truncated?)")
    return ExtractError(file_name, page, "a readable PDF", f"{type(cause).__name__}: {cause}")


def _check_complete(path: Path) -> None:
    """A PDF cut off (a download stopped half-way) lacks its closing %%EOF."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(max(0, size - EOF_WINDOW))
        tail = handle.read()
    if EOF_MARKER not in tail:
        raise ExtractError(path.name, None, "a complete PDF (ending with %%EOF)", f"{size} bytes that stop short of it")


def pdf_pages(
    path: Path, limits: Limits | None = None, text_layer: TextLayer = DEFAULT_TEXT_LAYER
) -> Iterator[list[Line]]:
    """Yield the lines of each page of a PDF, releasing each page after use.

    The page count comes from the page tree before any page is read, and each
    page's streams are measured before they are inflated (`limits`).
    """
    if text_layer not in TEXT_LAYERS:
        raise ValueError(f"text layer must be one of {', '.join(TEXT_LAYERS)}, not {text_layer!r}")
    limits = limits or Limits.from_env()
    _check_complete(path)
    # The stream is ours to close: pdfplumber's close() would first build every page.
    with path.open("rb") as stream:
        try:
            pdf = pdfplumber.open(stream)
            count = int(resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"]))
        except Exception as error:
            raise _unreadable(path.name, None, error) from None
        limits.check_page_count(path.name, count)
        try:
            pages = pdf.pages
            document = pdfium.PdfDocument(path) if text_layer == "pdfium" else None
        except Exception as error:
            raise _unreadable(path.name, None, error) from None
        try:
            if document is not None and len(document) != len(pages):
                found = f"{len(document)} pages to PDFium, {len(pages)} to pdfminer"
                raise ExtractError(path.name, None, "a PDF whose page tree reads alike", found)
            yield from _read_pages(path.name, pages, document, limits)
        finally:
            if document is not None:
                document.close()


def _read_pages(
    file_name: str, pages: list[pdfplumber.page.Page], document: pdfium.PdfDocument | None, limits: Limits
) -> Iterator[list[Line]]:
    sizes: dict[int, int] = {}
    for number, page in enumerate(pages, start=1):
        try:
            try:
                obj = page.page_obj
                check_page_content(obj.contents, obj.resources, file_name, number, limits.page_bytes, sizes)
                if document is None:
                    lines = plumber_page_lines(page)
                else:
                    pdfium_page = document[number - 1]
                    try:
                        lines = pdfium_page_lines(pdfium_page)
                    finally:
                        pdfium_page.close()
            except ExtractError:
                raise
            except Exception as error:
                raise _unreadable(file_name, number, error) from None
            if not lines:
                found = f"{len(page.images)} image(s) and no text (a scan?)" if page.images else "no text"
                raise ExtractError(file_name, number, "text on the page (a text layer)", found)
            yield lines
        finally:
            page.close()
