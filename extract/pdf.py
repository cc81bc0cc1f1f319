"""Source adapter for TILT100 PDFs, through pdfplumber.

A page's characters are grouped into lines (by their top edge) and each line
into cells: a cell ends where the gap to the next character is wider than a
space, so "15 Møre og" is one cell and "79\u00a0696" another. Every cell
keeps its x-range, which the row parser uses to put figures under their
column headers.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.pdftypes import resolve1
from pdfminer.psexceptions import PSEOF
from pdfplumber.utils.exceptions import PdfminerException

from extract.errors import ExtractError
from extract.limits import Limits, check_page_content
from extract.parse import Cell, Line

# Characters closer than this (points) belong to one cell: wider than a
# space at the report's font size, far narrower than the gap between columns.
CELL_GAP = 4.0
# Characters whose tops differ by less than this (points) share a line.
LINE_TOLERANCE = 2.0


# A complete PDF ends with "%%EOF" within its last 1 024 bytes.
EOF_MARKER = b"%%EOF"
EOF_WINDOW = 1024


def page_lines(page: pdfplumber.page.Page) -> list[Line]:
    """The lines of a page, top to bottom, as cells left to right."""
    words = page.extract_words(
        keep_blank_chars=True,
        x_tolerance=CELL_GAP,
        y_tolerance=LINE_TOLERANCE,
        use_text_flow=False,
    )
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"], 1), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) <= LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    result = []
    for words_in_line in lines:
        cells = tuple(
            Cell(w["text"].strip(), w["x0"], w["x1"], w["top"])
            for w in sorted(words_in_line, key=lambda w: w["x0"])
            if w["text"].strip()
        )
        if cells:
            result.append(Line(cells))
    return result


def _unreadable(file_name: str, page: int | None, error: Exception) -> ExtractError:
    """pdfminer's error (wrapped by pdfplumber) as what the user sees."""
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


def pdf_pages(path: Path, limits: Limits | None = None) -> Iterator[list[Line]]:
    """Yield the lines of each page of a PDF, releasing each page after use.

    The page count comes from the page tree before any page is read, and each
    page's streams are measured before pdfminer inflates them (`limits`).
    """
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
        except Exception as error:
            raise _unreadable(path.name, None, error) from None
        sizes: dict[int, int] = {}
        for number, page in enumerate(pages, start=1):
            try:
                try:
                    obj = page.page_obj
                    check_page_content(obj.contents, obj.resources, path.name, number, limits.page_bytes, sizes)
                    lines = page_lines(page)
                except ExtractError:
                    raise
                except Exception as error:
                    raise _unreadable(path.name, number, error) from None
                if not lines:
                    found = f"{len(page.images)} image(s) and no text (a scan?)" if page.images else "no text"
                    raise ExtractError(path.name, number, "text on the page (a text layer)", found)
                yield lines
            finally:
                page.close()
