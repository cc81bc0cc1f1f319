"""The one workbook: an about sheet, a sheet per mart, a wide sheet per dimension, the column descriptions.

Cells keep their types: a date is a date (formatted yyyy-mm-dd), a figure a
number, a code a text ("0301" stays "0301"), a NULL an empty cell. A
suppressed cell of a wide sheet is empty with a note giving its bounds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from tilt100.export.tables import Wide

SHEET_NAME_LIMIT = 31  # Excel's
DATE_FORMAT = "yyyy-mm-dd"
BOLD = Font(bold=True)
Cell = str | int | float | bool | date | Decimal | None


def sheet_names(tables: Sequence[str]) -> dict[str, str]:
    """Each table's sheet: its own name if Excel allows it, else shortened (fct_participants_by_x -> fct_by_x)."""
    names: dict[str, str] = {}
    for table in tables:
        name = table if len(table) <= SHEET_NAME_LIMIT else table.replace("_participants_", "_")
        name = name[:SHEET_NAME_LIMIT]
        number = 2
        while name in names.values():
            name = f"{name[: SHEET_NAME_LIMIT - 3]}_{number}"
            number += 1
        names[table] = name
    return names


def cell_value(value: object) -> Cell:
    """A value as a spreadsheet holds it: numbers, dates, booleans and text as they are; anything else as text."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value  # Excel has no time zones
    if value is None or isinstance(value, str | int | float | bool | date | Decimal):
        return value
    return str(value)


class WorkbookWriter:
    """Sheets appended in order, in openpyxl's write-only mode (rows streamed, not held)."""

    def __init__(self) -> None:
        self.book = Workbook(write_only=True)

    def sheet(self, name: str, header: Sequence[str], rows: Iterable[Sequence[object]], widths: Sequence[int]) -> int:
        """A sheet with a bold, frozen header row and a filter; the rows written."""
        sheet = self.book.create_sheet(name)
        self._layout(sheet, len(header), widths)
        sheet.append([self._bold(sheet, h) for h in header])
        count = 0
        for row in rows:
            sheet.append([self._cell(sheet, v) for v in row])
            count += 1
        sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(header), 1))}{count + 1}"
        return count

    def wide_sheet(self, name: str, table: Wide, bounds_in: str) -> None:
        """The wide table; a suppressed cell empty, with a note of its bounds and where they are."""
        sheet = self.book.create_sheet(name)
        keys = len(table.key_columns)
        self._layout(sheet, len(table.header), [18] * keys + [9] * len(table.months), freeze=keys)
        sheet.append([self._bold(sheet, h) for h in table.header])
        for r, row in enumerate(table.rows()):
            cells: list[object] = [self._cell(sheet, v) for v in row[:keys]]
            for m, value in enumerate(row[keys:]):
                cell = WriteOnlyCell(sheet, value=value)
                if (r, m) in table.suppressed:
                    note = (
                        f'Suppressed by NAV ("*"): 1 to 3 people. Bounds: participants_min and participants_max'
                        f" in {bounds_in}"
                    )
                    cell.comment = Comment(note, "tilt100 export", height=80, width=260)
                cells.append(cell)
            sheet.append(cells)

    def save(self, path: Path) -> None:
        self.book.save(path)

    @staticmethod
    def _layout(sheet: WriteOnlyWorksheet, columns: int, widths: Sequence[int], freeze: int = 0) -> None:
        for index, width in enumerate(widths[:columns], start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = f"{get_column_letter(freeze + 1)}2"

    @staticmethod
    def _bold(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = BOLD
        return cell

    @staticmethod
    def _cell(sheet: WriteOnlyWorksheet, value: object) -> WriteOnlyCell | Cell:
        value = cell_value(value)
        if isinstance(value, date) and not isinstance(value, datetime):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = DATE_FORMAT
            return cell
        return value


def widths_for(names: Sequence[str], types: Sequence[str]) -> list[int]:
    """Columns wide enough for their header, dates and labels."""
    return [
        max(len(n) + 2, 12 if t == "DATE" else 10, 24 if t == "VARCHAR" else 0)
        for n, t in zip(names, types, strict=True)
    ]
