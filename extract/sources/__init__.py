"""Source adapters: a file's pages as lines of positioned cells (``extract.model.Line``), by format.

- ``pdf``: a PDF's characters through PDFium's text layer (or pdfplumber's, the
  reference), grouped by geometry alone into lines and cells;
- ``text``: NAV's plain-text export, a line's words as its cells;
- ``xlsx``: an Excel workbook, each sheet a page and each row a line.

None of them knows what a TILT100 report means: the row parser (``extract.parse``) does.
"""

from extract.sources.pdf import (
    DEFAULT_TEXT_LAYER,
    TEXT_LAYERS,
    PageRead,
    TextLayer,
    normalise,
    pdf_page_reads,
    pdf_pages,
)
from extract.sources.text import text_pages
from extract.sources.xlsx import xlsx_sheet_reads

__all__ = [
    "DEFAULT_TEXT_LAYER",
    "TEXT_LAYERS",
    "PageRead",
    "TextLayer",
    "normalise",
    "pdf_page_reads",
    "pdf_pages",
    "text_pages",
    "xlsx_sheet_reads",
]
