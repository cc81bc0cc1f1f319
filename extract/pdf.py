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

from extract.parse import Cell, Line

# Characters closer than this (points) belong to one cell: wider than a
# space at the report's font size, far narrower than the gap between columns.
CELL_GAP = 4.0
# Characters whose tops differ by less than this (points) share a line.
LINE_TOLERANCE = 2.0


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


def pdf_pages(path: Path) -> Iterator[list[Line]]:
    """Yield the lines of each page of a PDF, releasing each page after use."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            try:
                yield page_lines(page)
            finally:
                page.close()
