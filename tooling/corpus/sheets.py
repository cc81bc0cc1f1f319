"""Workbook variants (openpyxl): NAV's Excel twin laid out in other sane ways.

The base is ``replica.xlsx``'s layout (one sheet per table named by its title
cut at 31 characters; source line, title with "Rapport oppdatert" at the
right, period; each block's header row right above its "I alt" row; whole
labels; figures as numbers, "*" as text). A ``SheetStyle`` changes where the
title and date stand, how the "Gjennomsnitt hittil i år" header is broken,
whether figures are text with separators, adds empty spacer columns or a
notes sheet.
"""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from extract.reports import source_line, updated_line
from tooling.corpus.plan import AVERAGE, format_figure
from tooling.corpus.variant import NBSP, SheetStyle, Variant
from tooling.replica.prose import PROSE_TITLE
from tooling.replica.spec import EMPTY, SUPPRESSED, ReportSpec, TableSpec
from tooling.replica.xlsx import SHEET_NAME_LENGTH, whole_label, without_save_time

HEADER_ROWS = {
    "one-cell": ((AVERAGE,),),
    "line-breaks": (("Gjennomsnitt\nhittil i år",),),
    "two-rows": (("Gjennomsnitt",), ("hittil i år",)),
    "three-rows": (("Gjennom",), ("snitt hittil",), ("i år",)),
}
NOTES_SHEET = "Notater"
NOTES = (
    "Tallene er hentet fra NAVs registre.",
    "Verdier under 4 er erstattet med «*» (Statistikkloven § 7-1).",
)


class _Writer:
    def __init__(self, sheet: Worksheet, spec: ReportSpec, style: SheetStyle) -> None:
        self.sheet, self.spec, self.style = sheet, spec, style

    def column(self, index: int) -> int:
        """The sheet column of figure column `index` (0-based)."""
        return 2 + index * 2 + 1 if self.style.spacer_columns else 2 + index

    def furniture(self, title: str, period: bool) -> int:
        """Source, title, date, period; returns the first free row."""
        right = self.column(len(self.spec.columns) - 1)
        updated = updated_line(self.spec.updated)
        self.sheet.cell(row=1, column=1, value=source_line(self.spec.source_title))
        if self.style.title != "none":
            self.sheet.cell(row=2, column=1, value=title)
        if self.style.title == "own-row":
            self.sheet.cell(row=3, column=right, value=updated)
            row = 4
        else:
            self.sheet.cell(row=2, column=right, value=updated)
            row = 3
        if self.style.title == "merged":
            self.sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=right - 1)
            self.sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=right)
        if period:
            self.sheet.cell(row=row, column=1, value=self.spec.period)
        return row + 2

    def header(self, row: int) -> int:
        parts = HEADER_ROWS[self.style.header]
        for offset, part in enumerate(parts):
            for index, column in enumerate(self.spec.columns):
                if column == AVERAGE:
                    value = part[0]
                elif offset == len(parts) - 1:
                    value = column
                else:
                    continue
                cell = self.sheet.cell(row=row + offset, column=self.column(index), value=value)
                if "\n" in value:
                    cell.alignment = Alignment(wrap_text=True)
        return row + len(parts)

    def figure(self, value: int | str | None) -> int | str:
        if value is None:
            return SUPPRESSED
        return format_figure(value, NBSP) if self.style.figures == "text" else value

    def table(self, table: TableSpec) -> None:
        row = self.furniture(table.title, period=True)
        for number, block in enumerate(table.blocks):
            if self.style.header_per_block or not number:
                row = self.header(row)
            for spec_row in block.rows:
                self.sheet.cell(row=row, column=1, value=whole_label(spec_row.label))
                for index, value in enumerate(spec_row.values):
                    if value != EMPTY:
                        self.sheet.cell(row=row, column=self.column(index), value=self.figure(value))
                row += 1
            row += 1


def write_workbook(spec: ReportSpec, style: SheetStyle, out: Path) -> None:
    workbook = Workbook()
    workbook.properties.creator = "corpus"
    prose = workbook.active
    prose.title = PROSE_TITLE
    row = _Writer(prose, spec, SheetStyle(title=style.title)).furniture(PROSE_TITLE, period=False)
    for number, line in enumerate(spec.prose, start=row):
        prose.cell(row=number, column=1, value=line)
    for table in spec.tables:
        _Writer(workbook.create_sheet(table.title[:SHEET_NAME_LENGTH]), spec, style).table(table)
    if style.notes_sheet:
        notes = workbook.create_sheet(NOTES_SHEET)
        for number, line in enumerate(NOTES, start=1):
            notes.cell(row=number, column=1, value=line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    out.write_bytes(without_save_time(buffer.getvalue()))


def render_openpyxl(variant: Variant, out: Path) -> None:
    write_workbook(variant.spec, variant.sheet, out)


def render_resaved(variant: Variant, out: Path) -> None:
    """Written by openpyxl, then opened and saved again by LibreOffice Calc."""
    from tooling.corpus.office import convert

    source = out.with_suffix(".openpyxl.xlsx")
    write_workbook(variant.spec, variant.sheet, source)
    convert(source, "xlsx:Calc MS Excel 2007 XML", out)
    source.unlink()
