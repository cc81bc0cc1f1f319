"""A corpus variant: one report (its spec is the truth), one producer, one layout.

``Style`` says how a PDF producer lays a report out (Chromium, fpdf2 and the
LibreOffice print all follow it where they can); ``SheetStyle`` how a
workbook is written. Each variant changes few things from the defaults.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from extract.reports import AVERAGE
from tooling.replica.spec import ReportSpec

Producer = Literal["reportlab", "chromium", "libreoffice", "fpdf2", "openpyxl", "libreoffice-resave"]
Kind = Literal["pdf", "xlsx"]
NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
THIN_SPACE = "\u2009"

# How the header "Gjennomsnitt hittil i år" breaks into lines.
AVERAGE_WRAPS: dict[str, tuple[str, ...]] = {
    "nav": ("Gjennom", "snitt hittil", "i år"),  # as NAV's PDF
    "nav-short": ("Gjennom", "snitt", "hittil i år"),  # NAV's first table
    "words": ("Gjennomsnitt", "hittil i år"),
    "mid-word": ("Gjennoms", "nitt hittil", "i år"),
    "one-line": (AVERAGE,),
}


@dataclass(frozen=True)
class Style:
    """The layout of a printed (PDF) variant."""

    face: str = "dejavu-sans"  # a key of corpus.fonts.FACES
    size: float = 9.0  # points, body text
    title: Literal["beside", "above", "below"] = "beside"  # the table title and "Rapport oppdatert"
    title_size: float = 13.0
    title_bold: bool = True
    average_wrap: str = "nav"  # a key of AVERAGE_WRAPS
    tight_headers: bool = False  # figure columns as wide as their headers, a space apart
    label_width: float = 72.0  # points at 9 pt (scaled with size): narrow (NAV: 63.3 pt of Helvetica)
    gridlines: bool = False
    zebra: bool = False
    bold_totals: bool = False
    landscape: bool = True
    footer: bool = True  # "Side X av Y" at the foot of each page
    separator: str = NBSP  # thousands separator
    ligatures: bool = False  # Chromium: fi, ffi ligatures (and discretionary ones) on


@dataclass(frozen=True)
class SheetStyle:
    """The layout of a workbook variant."""

    # title and date: one row, rows apart, merged; or no title row (the sheet's name says the table)
    title: Literal["one-row", "own-row", "merged", "none"] = "one-row"
    header: Literal["one-cell", "line-breaks", "two-rows", "three-rows"] = "one-cell"
    figures: Literal["numbers", "text"] = "numbers"  # text: with NBSP separators
    spacer_columns: bool = False  # an empty column after the labels and between figure columns
    notes_sheet: bool = False  # an extra sheet of notes (no "Kilde" line) at the end
    header_per_block: bool = True  # the header row over each block, or once at the top of the sheet


@dataclass(frozen=True)
class Variant:
    name: str
    producer: Producer
    kind: Kind
    spec: ReportSpec = field(repr=False)  # THE TRUTH: every figure the file prints
    base: str  # which base spec: "january-2026" or "year-2025"
    style: Style = Style()
    sheet: SheetStyle = SheetStyle()

    @property
    def options(self) -> str:
        """What the file is rendered with, but the spec (for the cache key)."""
        return repr((self.name, self.producer, self.kind, self.base, self.style, self.sheet))
