"""Write the Excel twin of a report: the same figures, in NAV's workbook layout.

One sheet per table, named by its title cut at 31 characters (Excel's limit);
rows 1-3 hold the source line, the title with "Rapport oppdatert" and the
period; each block opens with its header row (column B "Gjennomsnitt hittil
i år", C... the months) right above its "I alt" row and runs to a blank row.
Labels are whole (a workbook does not wrap); figures are numbers, "*" text.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

from extract.reports import source_line, updated_line
from tooling.replica.prose import DEFAULT_PROSE, PROSE_TITLE
from tooling.replica.spec import EMPTY, SUPPRESSED, ReportSpec, TableSpec

SHEET_NAME_LENGTH = 31
FIXED_TIME = datetime(2000, 1, 1)  # the same spec gives the same bytes
# Wrapped lines join with a space, except after a word broken at its hyphen.
_HYPHEN_BREAK = re.compile(r"(\S-)\n")


def whole_label(label: str | tuple[str, ...]) -> str:
    if isinstance(label, str):
        return label
    return _HYPHEN_BREAK.sub(r"\1", "\n".join(label)).replace("\n", " ")


def _furniture(sheet: object, spec: ReportSpec, title: str, right_column: int) -> None:
    sheet.cell(row=1, column=1, value=source_line(spec.source_title))  # type: ignore[attr-defined]
    sheet.cell(row=2, column=1, value=title)  # type: ignore[attr-defined]
    sheet.cell(row=2, column=right_column, value=updated_line(spec.updated))  # type: ignore[attr-defined]


def _table_sheet(workbook: Workbook, spec: ReportSpec, table: TableSpec) -> None:
    sheet = workbook.create_sheet(table.title[:SHEET_NAME_LENGTH])
    _furniture(sheet, spec, table.title, len(spec.columns) + 1)
    sheet.cell(row=3, column=1, value=spec.period)
    row = 5
    for block in table.blocks:
        for column, header in enumerate(spec.columns, start=2):
            sheet.cell(row=row, column=column, value=header)
        row += 1
        for spec_row in block.rows:
            sheet.cell(row=row, column=1, value=whole_label(spec_row.label))
            for column, value in enumerate(spec_row.values, start=2):
                if value != EMPTY:
                    sheet.cell(row=row, column=column, value=SUPPRESSED if value is None else value)
            row += 1
        row += 1  # a blank row ends the block


def write_xlsx(spec: ReportSpec, out: Path) -> None:
    """Write the workbook; the same spec gives the same cells."""
    workbook = Workbook()
    workbook.properties.creator = "replica"
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    prose = workbook.active
    prose.title = PROSE_TITLE
    _furniture(prose, spec, PROSE_TITLE, 3)
    for number, line in enumerate(spec.prose or DEFAULT_PROSE, start=4):
        prose.cell(row=number, column=1, value=line)
    for table in spec.tables:
        _table_sheet(workbook, spec, table)
    out.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    out.write_bytes(without_save_time(buffer.getvalue()))


def without_save_time(xlsx: bytes) -> bytes:
    """The same workbook with openpyxl's save time and the zip entries' times fixed."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            target.writestr(zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()
