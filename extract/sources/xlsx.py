"""Source adapter for the Excel twin of a TILT100 report, through python-calamine.

A sheet is read like a page: each row becomes a line, each non-empty cell a
cell placed at its column (column A spans x 0-1, B 1-2, ...), so the row
parser puts figures under their headers by position, as in a PDF. A number
cell is printed as its digits; a text cell as written. Every cell keeps its
reference (e.g. "C12") as lineage.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from python_calamine import CalamineWorkbook

from extract.errors import ExtractError
from extract.model import Cell, Line


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def cell_text(value: object) -> str:
    """A cell's value as it would be printed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def sheet_lines(rows: list[list[object]]) -> list[Line]:
    lines = []
    for r, values in enumerate(rows):
        cells = tuple(
            Cell(text, float(c), float(c + 1), float(r), f"{column_letters(c)}{r + 1}")
            for c, value in enumerate(values)
            if (text := cell_text(value))
        )
        if cells:
            lines.append(Line(cells, r + 1))
    return lines


def xlsx_sheet_reads(path: Path, only: int | None = None) -> Iterator[tuple[str, list[Line] | ExtractError | None]]:
    """Each sheet's name and its lines, or the ExtractError that refused it (the next sheet is still read).

    `only`: that sheet (from 1) is read, every other one given as None, unread
    (``explain --page N``). A workbook that cannot be opened raises ExtractError. What it may cost is
    checked before (``extract.guards.check_workbook``, the format's guard).
    """
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine's ZipError, XmlError, ...: the file is no workbook
        raise ExtractError(path.name, None, "a readable .xlsx workbook", f"{type(error).__name__}: {error}") from None
    for number, name in enumerate(workbook.sheet_names, start=1):
        if only is not None and number != only:
            yield name, None
            continue
        try:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as error:
            found = f"{type(error).__name__}: {error}"
            yield name, ExtractError(path.name, f"sheet {name!r}", "a readable sheet", found)
            continue
        yield name, sheet_lines(rows)
