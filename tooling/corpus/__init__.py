"""A corpus of TILT100 reports printed by other producers, in other sane layouts.

Test-side, like ``replica`` (production code never imports it). Each
``Variant`` carries its truth (a ``replica.ReportSpec``); ``render`` makes its
file (reportlab, headless Chromium, fpdf2, LibreOffice Calc, openpyxl, or
openpyxl saved again by LibreOffice), cached by content; ``corpus.truth``
compares what the extractor read with the truth.
"""

from tooling.corpus.build import DEFAULT_OUT, render
from tooling.corpus.catalogue import variants
from tooling.corpus.variant import SheetStyle, Style, Variant

__all__ = ["DEFAULT_OUT", "SheetStyle", "Style", "Variant", "render", "variants"]
