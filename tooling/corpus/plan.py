"""Where everything of a printed variant stands: columns, wrapped lines and pages.

Chromium's HTML, fpdf2 and the LibreOffice print are given the same plan,
so each producer only draws: label lines wrapped to the label column, header
lines broken where the style says, figures formatted with its separator, and
pages filled top to bottom with room to spare. The paging rules are NAV's
(as in ``replica.layout``): each table starts a page; a block prints the
column headers above its "I alt" row; a block that fits a fresh page but not
the rest of this one moves on; a block longer than a page flows on and each
continuation page repeats the headers and the block's total row. Lengths are
points; y runs down from the page's top.
"""

from __future__ import annotations

from dataclasses import dataclass

from extract.reports import AVERAGE
from tooling.corpus.fonts import width
from tooling.corpus.variant import AVERAGE_WRAPS, Style
from tooling.replica.spec import SUPPRESSED, ReportSpec, RowSpec
from tooling.replica.wrap import wrap_label
from tooling.replica.xlsx import whole_label

A4 = (595.28, 841.89)  # portrait width, height
NAV_SIZE = 9.0  # the size Style.label_width is given for


def format_figure(value: int | str | None, separator: str) -> str:
    """A figure in the style's separator; "*" for a suppressed value; nothing for an empty cell (EMPTY)."""
    if isinstance(value, str):
        return value
    return SUPPRESSED if value is None else f"{value:,}".replace(",", separator)


def header_lines(column: str, style: Style) -> tuple[str, ...]:
    return AVERAGE_WRAPS[style.average_wrap] if column == AVERAGE else (column,)


@dataclass(frozen=True)
class Geometry:
    """The page and the columns of one printed report (all tables share the columns)."""

    style: Style
    page_width: float
    page_height: float
    margin: float
    label_width: float
    figure_widths: tuple[float, ...]
    gaps: tuple[float, ...]  # white space before each figure column (the first: after the labels)
    headers: tuple[tuple[str, ...], ...]

    @property
    def size(self) -> float:
        return self.style.size

    @property
    def leading(self) -> float:
        return round(self.size * 1.3, 2)

    @property
    def row_pad(self) -> float:
        """White space above a row's first line."""
        return round(self.size * 0.5, 2)

    @property
    def header_height(self) -> float:
        return max(len(lines) for lines in self.headers) * self.leading + self.row_pad

    @property
    def block_gap(self) -> float:
        return round(self.size * 1.2, 2)

    @property
    def source_y(self) -> float:
        """Baseline of "Kilde: NAV ..."."""
        return self.margin + self.size

    @property
    def title_lines(self) -> tuple[float, float]:
        """Baselines of the title and of "Rapport oppdatert" (equal when side by side)."""
        below_source = self.source_y + self.style.title_size * 1.5
        title_line, date_line = self.style.title_size * 1.4, self.size * 1.6
        if self.style.title == "beside":
            return below_source, below_source
        if self.style.title == "above":
            return below_source, below_source + date_line
        return below_source + title_line, below_source  # "below": the date first

    @property
    def period_y(self) -> float:
        return max(self.title_lines) + self.size * 1.8

    @property
    def body_top(self) -> float:
        return self.period_y + self.size * 1.2

    @property
    def footer_y(self) -> float:
        return self.page_height - self.margin

    @property
    def body_bottom(self) -> float:
        """Nothing of a block below this; the room left is slack for producers' rounding."""
        return self.footer_y - self.size * 3

    def row_height(self, lines: int) -> float:
        return lines * self.leading + self.row_pad

    @property
    def label_x(self) -> float:
        return self.margin

    def figure_right(self, index: int) -> float:
        """Where figures and headers of column `index` end (right-aligned)."""
        x = self.margin + self.label_width
        for i in range(index + 1):
            x += self.gaps[i] + self.figure_widths[i]
        return x


@dataclass(frozen=True)
class PlannedRow:
    lines: tuple[str, ...]
    figures: tuple[str, ...]
    total: bool  # the block's "I alt" row (printed again atop a continuation page)


@dataclass(frozen=True)
class Chunk:
    """Rows under one printing of the column headers."""

    rows: tuple[PlannedRow, ...]


@dataclass(frozen=True)
class PlannedPage:
    title: str
    number: int  # within its table, from 1
    count: int  # the table's pages
    chunks: tuple[Chunk, ...]


@dataclass(frozen=True)
class Plan:
    spec: ReportSpec
    geometry: Geometry
    pages: tuple[PlannedPage, ...]  # the table pages, after the prose page


def _rows(spec: ReportSpec, style: Style, label_width: float) -> list[list[list[PlannedRow]]]:
    """Each table's blocks of rows, labels wrapped (bold totals measured bold)."""

    def planned(row: RowSpec, total: bool) -> PlannedRow:
        bold = total and style.bold_totals
        lines = wrap_label(whole_label(row.label), label_width, _metrics(style, bold), style.size)
        return PlannedRow(lines, tuple(format_figure(v, style.separator) for v in row.values), total)

    return [
        [[planned(row, i == 0) for i, row in enumerate(block.rows)] for block in table.blocks] for table in spec.tables
    ]


def _metrics(style: Style, bold: bool) -> str:
    from tooling.corpus.fonts import metrics_name

    return metrics_name(style.face, bold)


def _geometry(spec: ReportSpec, style: Style, tables: list[list[list[PlannedRow]]], label_width: float) -> Geometry:
    portrait_w, portrait_h = A4
    page_w, page_h = (portrait_h, portrait_w) if style.landscape else (portrait_w, portrait_h)
    size, face = style.size, style.face
    scale = size / NAV_SIZE
    lines = [(line, row.total and style.bold_totals) for t in tables for b in t for row in b for line in row.lines]
    label_width = max([label_width] + [width(line, face, size, bold) for line, bold in lines])
    headers = tuple(header_lines(column, style) for column in spec.columns)
    figures = [
        max(width(row.figures[i], face, size, row.total and style.bold_totals) for t in tables for b in t for row in b)
        for i in range(len(spec.columns))
    ]
    header_widths = [max(width(line, face, size) for line in lines) for lines in headers]
    space, em = width(" ", face, size), size
    if style.tight_headers:
        widths = [max(h, f) for h, f in zip(header_widths, figures, strict=True)]
        gaps = [max(space, em - (w - f)) for w, f in zip(widths, figures, strict=True)]
        gaps[0] = max(gaps[0], 15 * scale)
    else:
        widths = [max(43 * scale, h, f) for h, f in zip(header_widths, figures, strict=True)]
        gaps = [15 * scale] + [8 * scale] * (len(widths) - 1)
    geometry = Geometry(style, page_w, page_h, 28.0, label_width, tuple(widths), tuple(gaps), headers)
    right = geometry.figure_right(len(widths) - 1)
    if right > page_w - geometry.margin:
        raise ValueError(f"{len(widths)} columns end at x={right:.1f}, past the right margin at {page_w - 28:.1f}")
    return geometry


class _Pager:
    def __init__(self, geometry: Geometry) -> None:
        self.g = geometry
        self.pages: list[list[list[PlannedRow]]] = []
        self.chunks: list[list[PlannedRow]] = []
        self.y = geometry.body_top

    def fits(self, height: float, y: float | None = None) -> bool:
        return (self.y if y is None else y) + height <= self.g.body_bottom

    def new_page(self) -> None:
        if self.chunks:
            self.pages.append(self.chunks)
        self.chunks, self.y = [], self.g.body_top

    def open_chunk(self, total: PlannedRow) -> None:
        if self.chunks:
            self.y += self.g.block_gap
        self.chunks.append([total])
        self.y += self.g.header_height + self.g.row_height(len(total.lines))

    def block(self, rows: list[PlannedRow]) -> None:
        g = self.g
        heights = [g.row_height(len(row.lines)) for row in rows]
        whole = g.header_height + sum(heights)
        opening = g.header_height + sum(heights[:2])
        moves_on = self.fits(whole, g.body_top) or not self.fits(g.block_gap + opening)
        if self.chunks and not self.fits(g.block_gap + whole) and moves_on:
            self.new_page()
        self.open_chunk(rows[0])
        for row, height in zip(rows[1:], heights[1:], strict=True):
            if not self.fits(height):
                self.new_page()
                self.open_chunk(rows[0])  # the block's total row again, atop the continuation
            self.chunks[-1].append(row)
            self.y += height


MAX_LABEL_LINES = 3  # as NAV: a label wraps onto one to three lines (the column widens until it does)


def plan(spec: ReportSpec, style: Style) -> Plan:
    """Lay `spec` out in `style`: geometry and the table pages."""
    label_width = style.label_width * style.size / NAV_SIZE
    tables = _rows(spec, style, label_width)
    while any(len(row.lines) > MAX_LABEL_LINES for t in tables for b in t for row in b):
        label_width *= 1.05
        tables = _rows(spec, style, label_width)
    geometry = _geometry(spec, style, tables, label_width)
    pages: list[PlannedPage] = []
    for table, blocks in zip(spec.tables, tables, strict=True):
        pager = _Pager(geometry)
        for rows in blocks:
            pager.block(rows)
        pager.new_page()
        count = len(pager.pages)
        for number, chunks in enumerate(pager.pages, start=1):
            pages.append(PlannedPage(table.title, number, count, tuple(Chunk(tuple(c)) for c in chunks)))
    return Plan(spec, geometry, tuple(pages))
