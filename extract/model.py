"""What the extractor reads off a TILT100 report: pages, rows and printed figures.

Everything here is text *as printed*. Nothing is cleaned, joined or mapped to
codes: that is the job of the dbt staging models.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Cell:
    """A run of printed text: a word or words with no wide gap between them."""

    text: str
    x0: float | None = None
    x1: float | None = None
    top: float | None = None
    cell_ref: str | None = None  # a spreadsheet cell's reference, e.g. "C12"


@dataclass(frozen=True)
class Line:
    cells: tuple[Cell, ...]  # left to right
    number: int | None = None  # line number in a text export

    @property
    def text(self) -> str:
        return " ".join(cell.text for cell in self.cells).strip()


@dataclass(frozen=True)
class Column:
    """A figure column of a block, left to right from 1."""

    order: int
    header: str  # header lines as printed, joined by one space


@dataclass(frozen=True)
class Figure:
    """One printed figure and where it stood."""

    column: Column
    text: str  # as printed: "79\u00a0696" or "*"
    x0: float | None = None  # PDF only: left edge, points from the left
    x1: float | None = None  # PDF only: right edge
    top: float | None = None  # PDF only: top edge, points from the top
    cell_ref: str | None = None  # Excel only: the cell reference, e.g. "C12"


@dataclass(frozen=True)
class Row:
    """A printed table row: its label lines and the figures on the last one."""

    page_number: int
    table_title: str
    label_lines: tuple[str, ...]
    figures: tuple[Figure, ...]
    source_line: int | None = None  # text export only: line number of the figures
    sheet: str | None = None  # Excel only: the sheet the row stands on
    heading: str | None = None  # the line above its block's column headers, where a report names blocks so (TILT030)


@dataclass(frozen=True)
class Page:
    number: int  # 1-based page of the file
    title: str | None  # table title as printed, e.g. "Arbeidsmarkedsstatus og fylke"
    updated: str | None  # the date after "Rapport oppdatert:", as printed
    period: str | None  # e.g. "Januar 2026 - Januar 2026"
    footer: str | None  # e.g. "Side 1 av 5", as printed
    rows: tuple[Row, ...]
    sheet: str | None = None  # Excel only: a "page" is a sheet


@dataclass(frozen=True)
class Report:
    """One file, read."""

    file_name: str
    sha256: str
    file_format: str  # "pdf", "txt" or "xlsx"
    file_size: int
    source_title: str  # the text after "Kilde: NAV " on every page
    updated: str  # "Rapport oppdatert" as printed, DD.MM.YYYY
    period: str  # as printed
    pages: tuple[Page, ...]
    text_layer: str | None = None  # a PDF's: "pdfium" or "pdfplumber" (extract.sources.pdf)
    # A workbook's sheets read and passed over, each with why: notes (no source line, no column headers), or a
    # table the report's definition does not hold. Said in the load's line, never landed.
    skipped_sheets: tuple[tuple[str, str], ...] = ()

    @property
    def report_code(self) -> str:
        """ "TILT100": the first word of the source title (``extract.reports.definition_of`` knows it)."""
        return self.source_title.split(" ", 1)[0]

    @property
    def rows(self) -> tuple[Row, ...]:
        return tuple(row for page in self.pages for row in page.rows)
