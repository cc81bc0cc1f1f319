"""The corpus: every variant, by producer, each changing one thing from its base.

Each producer's base variant prints the synthetic year (twelve months and the
average); the layout variants print NAV's January 2026 (one month), which
keeps the corpus small; a few combinations change several things at once.
"""

from __future__ import annotations

from dataclasses import replace

from tooling.corpus.specs import JANUARY, SIBLING, SIBLING_KOMMUNE, YEAR, base_spec
from tooling.corpus.variant import NARROW_NBSP, THIN_SPACE, Kind, Producer, SheetStyle, Style, Variant
from tooling.replica.layout import label_lines
from tooling.replica.spec import BlockSpec, ReportSpec, RowSpec, TableSpec

LIBREOFFICE = Style(face="liberation-sans", footer=False)  # Calc numbers pages across the workbook: no "Side X av Y"

# name -> (base, style), for Chromium and fpdf2: one change from Style() each.
CHROMIUM_LAYOUTS: dict[str, tuple[str, Style]] = {
    "chromium-base": (YEAR, Style()),
    "chromium-january": (JANUARY, Style()),
    "chromium-title-above": (JANUARY, Style(title="above")),
    "chromium-title-below": (JANUARY, Style(title="below")),
    "chromium-title-plain": (JANUARY, Style(title_size=9.0, title_bold=False)),
    "chromium-title-above-plain": (JANUARY, Style(title="above", title_size=9.0, title_bold=False)),
    "chromium-headers-words": (JANUARY, Style(average_wrap="words")),
    "chromium-headers-mid-word": (JANUARY, Style(average_wrap="mid-word")),
    "chromium-headers-one-line": (JANUARY, Style(average_wrap="one-line")),
    "chromium-headers-tight": (YEAR, Style(tight_headers=True, average_wrap="nav-short")),
    "chromium-serif-11pt": (JANUARY, Style(face="dejavu-serif", size=11.0)),
    "chromium-condensed-7pt": (JANUARY, Style(face="dejavu-sans-condensed", size=7.0)),
    "chromium-liberation-sans-8pt": (JANUARY, Style(face="liberation-sans", size=8.0)),
    "chromium-liberation-serif-10pt": (JANUARY, Style(face="liberation-serif", size=10.0)),
    "chromium-labels-narrow": (JANUARY, Style(label_width=52.0)),
    "chromium-labels-wide": (JANUARY, Style(label_width=260.0)),
    "chromium-gridlines": (JANUARY, Style(gridlines=True)),
    "chromium-zebra": (JANUARY, Style(zebra=True)),
    "chromium-bold-totals": (JANUARY, Style(bold_totals=True)),
    "chromium-portrait": (JANUARY, Style(landscape=False)),
    "chromium-no-footer": (JANUARY, Style(footer=False)),
    "chromium-sep-narrow-nbsp": (JANUARY, Style(separator=NARROW_NBSP)),
    "chromium-sep-thin-space": (JANUARY, Style(separator=THIN_SPACE)),
    "chromium-sep-space": (JANUARY, Style(separator=" ")),
    "chromium-ligatures": (JANUARY, Style(ligatures=True)),
    # combinations
    "chromium-year-serif-grid-zebra": (
        YEAR,
        Style(face="dejavu-serif", size=8.0, gridlines=True, zebra=True, bold_totals=True, title="below"),
    ),
    # the siblings (empty cells; a kommune table of many pages)
    "chromium-sibling": (SIBLING, Style()),
    "chromium-sibling-kommune-serif": (SIBLING_KOMMUNE, Style(face="dejavu-serif", size=8.0, gridlines=True)),
    "chromium-portrait-mid-word-thin": (
        JANUARY,
        Style(landscape=False, average_wrap="mid-word", separator=THIN_SPACE, label_width=52.0, footer=False),
    ),
}
FPDF2_LAYOUTS: dict[str, tuple[str, Style]] = {
    "fpdf2-base": (YEAR, Style()),
    "fpdf2-january": (JANUARY, Style()),
    "fpdf2-serif-7pt": (JANUARY, Style(face="dejavu-serif", size=7.0)),
    "fpdf2-condensed-11pt": (JANUARY, Style(face="dejavu-sans-condensed", size=11.0)),
    "fpdf2-title-above": (JANUARY, Style(title="above")),
    "fpdf2-sep-thin-space": (JANUARY, Style(separator=THIN_SPACE)),
    "fpdf2-portrait-no-footer": (JANUARY, Style(landscape=False, footer=False)),
    "fpdf2-sibling": (SIBLING, Style(separator=NARROW_NBSP)),
    # a combination
    "fpdf2-year-tight-condensed": (
        YEAR,
        Style(face="dejavu-sans-condensed", size=7.0, tight_headers=True, separator=NARROW_NBSP, gridlines=True),
    ),
}
LIBREOFFICE_LAYOUTS: dict[str, tuple[str, Style]] = {
    "libreoffice-calc": (YEAR, LIBREOFFICE),
    "libreoffice-calc-january": (JANUARY, LIBREOFFICE),
    "libreoffice-calc-dejavu-serif-bold-totals": (JANUARY, replace(LIBREOFFICE, face="dejavu-serif", bold_totals=True)),
    "libreoffice-calc-sibling": (SIBLING, LIBREOFFICE),
}
WORKBOOKS: dict[str, tuple[Producer, str, SheetStyle]] = {
    "xlsx-base": ("openpyxl", YEAR, SheetStyle()),
    "xlsx-january": ("openpyxl", JANUARY, SheetStyle()),
    "xlsx-title-own-row": ("openpyxl", JANUARY, SheetStyle(title="own-row")),
    "xlsx-title-merged": ("openpyxl", JANUARY, SheetStyle(title="merged")),
    "xlsx-title-from-sheet-name": ("openpyxl", JANUARY, SheetStyle(title="none")),
    "xlsx-header-line-breaks": ("openpyxl", JANUARY, SheetStyle(header="line-breaks")),
    "xlsx-header-two-rows": ("openpyxl", JANUARY, SheetStyle(header="two-rows")),
    "xlsx-header-three-rows": ("openpyxl", JANUARY, SheetStyle(header="three-rows")),
    "xlsx-figures-text": ("openpyxl", JANUARY, SheetStyle(figures="text")),
    "xlsx-spacer-columns": ("openpyxl", JANUARY, SheetStyle(spacer_columns=True)),
    "xlsx-notes-sheet": ("openpyxl", JANUARY, SheetStyle(notes_sheet=True)),
    "libreoffice-resave": ("libreoffice-resave", YEAR, SheetStyle()),
    "libreoffice-resave-january": ("libreoffice-resave", JANUARY, SheetStyle()),
    "libreoffice-resave-merged-text": ("libreoffice-resave", JANUARY, SheetStyle(title="merged", figures="text")),
    "libreoffice-resave-sibling-kommune": (
        "libreoffice-resave",
        SIBLING_KOMMUNE,
        SheetStyle(title="none", figures="text", header_per_block=False),
    ),
}


def printed_by_reportlab(spec: ReportSpec) -> ReportSpec:
    """The spec as ``replica.render`` prints it: labels wrapped, and clipped after three lines as NAV does."""
    tables = tuple(
        TableSpec(
            table.title,
            tuple(BlockSpec(tuple(RowSpec(label_lines(r.label), r.values) for r in b.rows)) for b in table.blocks),
        )
        for table in spec.tables
    )
    return replace(spec, tables=tables)


def _pdf(name: str, producer: Producer, base: str, style: Style) -> Variant:
    spec = base_spec(base)
    return Variant(name, producer, "pdf", printed_by_reportlab(spec) if producer == "reportlab" else spec, base, style)


def variants() -> list[Variant]:
    """Every variant of the corpus, PDFs first."""
    found = [
        _pdf("reportlab-base", "reportlab", YEAR, Style()),
        _pdf("reportlab-january", "reportlab", JANUARY, Style()),
    ]
    for producer, layouts in (
        ("chromium", CHROMIUM_LAYOUTS),
        ("fpdf2", FPDF2_LAYOUTS),
        ("libreoffice", LIBREOFFICE_LAYOUTS),
    ):
        found += [_pdf(name, producer, base, style) for name, (base, style) in layouts.items()]  # type: ignore[arg-type]
    kind: Kind = "xlsx"
    for name, (producer, base, sheet) in WORKBOOKS.items():
        found.append(Variant(name, producer, kind, base_spec(base), base, sheet=sheet))
    return found
