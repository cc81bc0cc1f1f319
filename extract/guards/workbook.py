"""A workbook's guards, checked before calamine reads anything: what it may cost, streamed, never held.

calamine holds a sheet as one dense block from A1 to its last cell: a cell at XFD1048576 asks
for 512 GB. So the file's size, each zip member's inflated size and its ratio to the compressed
size (a zip bomb), and per sheet the declared <dimension>, the rows, the cells and the area up to
the last cell are bounded (``tilt100/settings.py``: TILT100_MAX_FILE_MB, _INFLATED_MB, _ZIP_RATIO,
_SHEET_ROWS, _SHEET_CELLS), each refusal naming the file, the sheet and the limit.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from xml.parsers import expat

from extract.errors import ExtractError
from extract.limits import MB, Limits
from extract.sources.xlsx import column_letters
from tilt100.settings import MAX_INFLATED_MB, MAX_SHEET_CELLS, MAX_SHEET_ROWS, MAX_ZIP_RATIO

CELL_REF_RE = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})$")
RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"  # expat's name
CHUNK = 1 << 16


def column_index(letters: str) -> int:
    """A -> 1, Z -> 26, AA -> 27."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index


def _position(ref: str) -> tuple[int, int] | None:
    """'C12' -> (12, 3): row and column, from 1."""
    m = CELL_REF_RE.match(ref.upper())
    return (int(m[2]), column_index(m[1])) if m else None


def check_workbook(path: Path, limits: Limits) -> None:
    """Refuse a workbook that would cost more than the limits, naming the file, the sheet and the limit.

    calamine holds a sheet as one dense block from A1 to its last cell: a cell
    at XFD1048576 asks for 512 GB. So, streaming and never holding more than a
    chunk: the file's size; each zip member's inflated size and its ratio to
    the compressed size (a zip bomb); and, per sheet, the declared <dimension>,
    the rows, the cells and the area up to the last cell.
    """
    limits.check_file_size(path.name, path.stat().st_size, "a workbook")
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return  # calamine says what is wrong with it
    with book:
        for info in book.infolist():
            _check_member(path.name, info, limits)
        names = _sheet_names(book, path.name, limits)
        for info in book.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                place = f"sheet {names[info.filename]!r}" if info.filename in names else info.filename
                _SheetScan(path.name, place, limits).scan(book, info)


def _check_member(file_name: str, info: zipfile.ZipInfo, limits: Limits) -> None:
    if info.file_size > limits.inflated_bytes:
        expected = f"parts that inflate to at most {limits.inflated_bytes / MB:g} MB each ({MAX_INFLATED_MB.env})"
        raise ExtractError(file_name, info.filename, expected, f"{info.file_size / MB:.1f} MB (a zip bomb?)")
    if info.file_size > MB and info.file_size > limits.zip_ratio * max(info.compress_size, 1):
        ratio = info.file_size / max(info.compress_size, 1)
        expected = f"parts that inflate at most {limits.zip_ratio:g} times ({MAX_ZIP_RATIO.env})"
        raise ExtractError(file_name, info.filename, expected, f"{ratio:.0f} times (a zip bomb?)")


def _read_bounded(book: zipfile.ZipFile, name: str, limits: Limits) -> bytes:
    """A small member (the workbook's index), never more than the inflate limit."""
    with book.open(name) as handle:
        data = handle.read(limits.inflated_bytes + 1)
    if len(data) > limits.inflated_bytes:
        raise ExtractError(book.filename or "", name, "a smaller part", "more (a zip bomb?)")
    return data


def _parser(file_name: str, place: str) -> expat.XMLParserType:
    """A streaming XML parser that refuses a DTD (no entity can expand)."""
    parser = expat.ParserCreate(namespace_separator="}")

    def doctype(*_: object) -> None:
        raise ExtractError(file_name, place, "workbook XML without a DTD", "a <!DOCTYPE> (entity expansion?)")

    parser.StartDoctypeDeclHandler = doctype
    return parser


def _sheet_names(book: zipfile.ZipFile, file_name: str, limits: Limits) -> dict[str, str]:
    """Worksheet member -> sheet name, from xl/workbook.xml and its relationships (for messages)."""
    sheets: list[tuple[str, str]] = []  # (name, relationship id)
    targets: dict[str, str] = {}

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag.endswith("}sheet") and RELATIONSHIP in attrs:
            sheets.append((attrs.get("name", ""), attrs[RELATIONSHIP]))
        elif tag.endswith("}Relationship"):
            targets[attrs.get("Id", "")] = attrs.get("Target", "")

    try:
        for member in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
            parser = _parser(file_name, member)
            parser.StartElementHandler = start
            parser.Parse(_read_bounded(book, member, limits), True)
    except (KeyError, expat.ExpatError, zipfile.BadZipFile):
        return {}
    names = {}
    for name, rid in sheets:
        if target := targets.get(rid):
            member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            names[member] = name or member
    return names


class _SheetScan:
    """One pass over a sheet's XML (expat, streamed): dimension, rows, cells, the last cell."""

    def __init__(self, file_name: str, place: str, limits: Limits) -> None:
        self.file_name = file_name
        self.place = place
        self.limits = limits
        self.row = self.column = self.rows = self.cells = self.last_row = self.last_column = 0

    def scan(self, book: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        parser = _parser(self.file_name, self.place)
        parser.StartElementHandler = self._start
        read = 0
        try:
            with book.open(info) as handle:
                while chunk := handle.read(CHUNK):
                    read += len(chunk)
                    if read > self.limits.inflated_bytes:
                        expected = f"parts that inflate to at most {self.limits.inflated_bytes / MB:g} MB each"
                        raise ExtractError(self.file_name, self.place, f"{expected} ({MAX_INFLATED_MB.env})", "more")
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except (expat.ExpatError, zipfile.BadZipFile, EOFError):
            return  # calamine says what is wrong with it

    def _refuse(self, expected: str, found: str) -> None:
        raise ExtractError(self.file_name, self.place, expected, found)

    def _check_area(self, rows: int, columns: int, what: str) -> None:
        if rows > self.limits.sheet_rows:
            self._refuse(
                f"a sheet of at most {self.limits.sheet_rows} rows ({MAX_SHEET_ROWS.env})", f"{what} (row {rows})"
            )
        if rows * columns > self.limits.sheet_cells:
            expected = f"a sheet of at most {self.limits.sheet_cells} cells ({MAX_SHEET_CELLS.env})"
            self._refuse(expected, f"{what} ({rows * columns} cells from A1)")

    def _start(self, tag: str, attrs: dict[str, str]) -> None:
        name = tag.rsplit("}", 1)[-1]
        if name == "c":
            ref = attrs.get("r")
            position = _position(ref) if ref else None
            self.column = position[1] if position else self.column + 1
            self.cells += 1
            if self.cells > self.limits.sheet_cells:
                self._refuse(f"a sheet of at most {self.limits.sheet_cells} cells ({MAX_SHEET_CELLS.env})", "more")
            if self.column > self.last_column or self.row > self.last_row:
                self.last_column = max(self.last_column, self.column)
                self.last_row = max(self.last_row, self.row)
                self._check_area(
                    self.last_row, self.last_column, f"a cell at {column_letters(self.column - 1)}{self.row}"
                )
        elif name == "row":
            ref = attrs.get("r", "")
            self.row = int(ref) if ref.isdigit() else self.row + 1
            self.column = 0
            self.rows += 1
            if self.rows > self.limits.sheet_rows:
                self._refuse(f"a sheet of at most {self.limits.sheet_rows} rows ({MAX_SHEET_ROWS.env})", "more")
            self.last_row = max(self.last_row, self.row)
            self._check_area(self.last_row, max(self.last_column, 1), f"a row {self.row}")
        elif name == "dimension":
            ref = attrs.get("ref", "")
            end = _position(ref.split(":")[-1])
            if end is not None:
                self._check_area(end[0], end[1], f"a declared dimension {ref}")
