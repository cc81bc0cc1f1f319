"""Pagination: a table's blocks and rows placed on pages, top to bottom.

Rules, as in NAV's report: every table starts on a new page; a block prints
the column headers above its total row; a block that would not fit the rest
of a page but fits a fresh one moves to the next page; a block longer than a
page flows on, and each continuation page repeats the headers and the
block's total row at its top. A row's figures stand on its label's last line.
"""

from __future__ import annotations

from dataclasses import dataclass

from tooling.replica.geometry import (
    ASCENT,
    BLOCK_GAP,
    BODY_BOTTOM,
    BODY_TOP,
    FIGURE_WIDTH,
    FONT,
    FONT_SIZE,
    HEADER_GAP,
    HEADER_WRAP,
    LABEL_WIDTH,
    LEADING,
    MAX_LABEL_LINES,
    ROW_GAP,
    Columns,
    columns_for,
    text_width,
)
from tooling.replica.spec import BlockSpec, RowSpec, TableSpec, format_figure
from tooling.replica.wrap import wrap_label


@dataclass(frozen=True)
class Row:
    """A row ready to print: label lines and figure strings."""

    lines: tuple[str, ...]
    figures: tuple[str, ...]

    @property
    def height(self) -> float:
        """From the row's top to the next row's top."""
        return len(self.lines) * LEADING + ROW_GAP


@dataclass(frozen=True)
class PlacedRow:
    row: Row
    top: float  # points from the page top; the first line's baseline is top + ASCENT

    def baselines(self) -> tuple[float, ...]:
        return tuple(self.top + ASCENT + i * LEADING for i in range(len(self.row.lines)))


@dataclass(frozen=True)
class TablePage:
    header_tops: tuple[float, ...]  # top of each printed column header
    rows: tuple[PlacedRow, ...]


@dataclass(frozen=True)
class TableLayout:
    title: str
    columns: Columns
    headers: tuple[tuple[str, ...], ...]  # each column's header lines, top to bottom
    pages: tuple[TablePage, ...]

    @property
    def header_height(self) -> float:
        return max(len(lines) for lines in self.headers) * LEADING + HEADER_GAP

    def header_baselines(self, top: float, column: int) -> tuple[float, ...]:
        """Baselines of one column's header lines: bottom-aligned across columns."""
        lines = len(self.headers[column])
        skip = max(len(h) for h in self.headers) - lines
        return tuple(top + ASCENT + (skip + i) * LEADING for i in range(lines))


def header_lines(header: str) -> tuple[str, ...]:
    return wrap_label(header, HEADER_WRAP, FONT, FONT_SIZE, break_width=FIGURE_WIDTH)


def label_lines(label: str | tuple[str, ...]) -> tuple[str, ...]:
    lines = label if isinstance(label, tuple) else wrap_label(label, LABEL_WIDTH, FONT, FONT_SIZE)[:MAX_LABEL_LINES]
    if not lines or not all(line.strip() for line in lines):
        raise ValueError(f"a row needs a label, got {label!r}")
    return lines


def prepare_row(spec: RowSpec, column_count: int) -> Row:
    if len(spec.values) != column_count:
        raise ValueError(f"row {spec.label!r}: {len(spec.values)} values for {column_count} columns")
    figures = tuple(format_figure(value) for value in spec.values)
    for figure in figures:
        if text_width(figure) > FIGURE_WIDTH:
            raise ValueError(f"row {spec.label!r}: figure {figure!r} is wider than its {FIGURE_WIDTH} pt column")
    return Row(label_lines(spec.label), figures)


def _prepare_blocks(blocks: tuple[BlockSpec, ...], column_count: int) -> list[list[Row]]:
    prepared = []
    for block in blocks:
        if not block.rows:
            raise ValueError("a block needs at least its total row")
        prepared.append([prepare_row(row, column_count) for row in block.rows])
    return prepared


class _Pager:
    """Places rows top to bottom, opening pages as they fill."""

    def __init__(self, header_height: float) -> None:
        self.header_height = header_height
        self.pages: list[TablePage] = []
        self.headers: list[float] = []
        self.rows: list[PlacedRow] = []
        self.y = BODY_TOP

    @property
    def empty(self) -> bool:
        return not self.rows

    def fits(self, height: float) -> bool:
        """Whether rows of total `height` (with their trailing gaps) fit below y."""
        return self.y + height - ROW_GAP <= BODY_BOTTOM

    def new_page(self) -> None:
        if not self.empty:
            self.pages.append(TablePage(tuple(self.headers), tuple(self.rows)))
        self.headers, self.rows, self.y = [], [], BODY_TOP

    def header(self) -> None:
        if not self.empty:
            self.y += BLOCK_GAP
        self.headers.append(self.y)
        self.y += self.header_height

    def row(self, row: Row) -> None:
        self.rows.append(PlacedRow(row, self.y))
        self.y += row.height

    def block(self, rows: list[Row]) -> None:
        total, rest = rows[0], rows[1:]
        gap = 0.0 if self.empty else BLOCK_GAP
        whole = self.header_height + sum(row.height for row in rows)
        opening = self.header_height + sum(row.height for row in rows[:2])
        if not self.empty and not self.fits(gap + whole):
            fits_fresh = BODY_TOP + whole - ROW_GAP <= BODY_BOTTOM
            if fits_fresh or not self.fits(gap + opening):
                self.new_page()
        self.header()
        self.row(total)
        for row in rest:
            if not self.fits(row.height):
                self.new_page()
                self.header()
                self.row(total)  # NAV repeats the block's total row on a continuation page
            self.row(row)

    def finish(self) -> tuple[TablePage, ...]:
        self.new_page()
        return tuple(self.pages)


def layout_table(table: TableSpec, column_headers: tuple[str, ...]) -> TableLayout:
    """Place one table's blocks on pages."""
    if not table.blocks:
        raise ValueError(f"table {table.title!r} has no blocks")
    blocks = _prepare_blocks(table.blocks, len(column_headers))
    columns = columns_for([row.lines for rows in blocks for row in rows], len(column_headers))
    headers = tuple(header_lines(header) for header in column_headers)
    layout = TableLayout(table.title, columns, headers, ())
    pager = _Pager(layout.header_height)
    for rows in blocks:
        pager.block(rows)
    return TableLayout(table.title, columns, headers, pager.finish())
