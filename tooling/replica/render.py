"""Render a ReportSpec as a PDF that looks like NAV's TILT100 report.

Every string is drawn whole with one drawString/drawRightString, so the text
layer holds real characters: labels, figures with their U+00A0 thousands
separators (see ``replica.font``), "*". Output is deterministic: the same
spec gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from extract.reports import SOURCE_PREFIX, page_footer, source_line, updated_line
from tooling.replica.font import TEXT_CODEC, text_font
from tooling.replica.geometry import (
    FONT_SIZE,
    FOOTER_NOTE_X,
    FOOTER_SOURCE_X,
    FOOTER_Y,
    LEADING,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    PERIOD_Y,
    SOURCE_Y,
    TITLE_Y,
)
from tooling.replica.layout import TableLayout, TablePage, layout_table
from tooling.replica.prose import DEFAULT_PROSE, PROSE_TITLE
from tooling.replica.spec import ReportSpec
from tooling.replica.wrap import wrap_label

__all__ = ["render_pdf", "wrap_label"]

BODY_TOP_PROSE = PERIOD_Y + LEADING


def _printable(text: str) -> str:
    """The text itself, if the font can print every character of it (WinAnsi)."""
    try:
        text.encode(TEXT_CODEC)
    except UnicodeEncodeError as error:
        raise ValueError(f"{text!r}: {text[error.start]!r} is not in the font's WinAnsi encoding") from None
    return text


class _Painter:
    """Draws text at top-left coordinates (baselines, points from the page top)."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.font = text_font()

    def left(self, x: float, y: float, text: str) -> None:
        self.canvas.drawString(x, PAGE_HEIGHT - y, _printable(text))

    def right(self, x: float, y: float, text: str) -> None:
        self.canvas.drawRightString(x, PAGE_HEIGHT - y, _printable(text))

    def start_page(self) -> None:
        self.canvas.setFont(self.font, FONT_SIZE)

    def end_page(self) -> None:
        self.canvas.showPage()


def _furniture(paint: _Painter, spec: ReportSpec, title: str, period: bool) -> None:
    """Source line, title with the report date at the right, period."""
    paint.left(MARGIN_LEFT, SOURCE_Y, source_line(spec.source_title))
    paint.left(MARGIN_LEFT, TITLE_Y, title)
    paint.right(PAGE_WIDTH - MARGIN_RIGHT, TITLE_Y, updated_line(spec.updated))
    if period:
        paint.left(MARGIN_LEFT, PERIOD_Y, spec.period)


def _footer(paint: _Painter, number: int, count: int) -> None:
    paint.left(MARGIN_LEFT, FOOTER_Y, page_footer(number, count))
    paint.left(FOOTER_SOURCE_X, FOOTER_Y, SOURCE_PREFIX.strip())
    paint.left(FOOTER_NOTE_X, FOOTER_Y, "Fotnote")


def _prose_page(paint: _Painter, spec: ReportSpec) -> None:
    paint.start_page()
    _furniture(paint, spec, PROSE_TITLE, period=False)
    y = BODY_TOP_PROSE
    for line in spec.prose or DEFAULT_PROSE:
        y += LEADING
        if line:
            paint.left(MARGIN_LEFT, y, line)
    paint.end_page()


def _table_page(paint: _Painter, table: TableLayout, page: TablePage) -> None:
    columns = table.columns
    for top in page.header_tops:
        for index, lines in enumerate(table.headers):
            for line, y in zip(lines, table.header_baselines(top, index), strict=True):
                paint.right(columns.figure_x1(index), y, line)
    for placed in page.rows:
        baselines = placed.baselines()
        for line, y in zip(placed.row.lines, baselines, strict=True):
            paint.left(columns.label_x0, y, line)
        for index, figure in enumerate(placed.row.figures):
            paint.right(columns.figure_x1(index), baselines[-1], figure)


def render_pdf(spec: ReportSpec, out: Path) -> None:
    """Write the replica PDF of `spec` to `out`: the prose page, then each table."""
    if not spec.columns:
        raise ValueError("a report needs at least one figure column")
    tables = [layout_table(table, spec.columns) for table in spec.tables]
    canvas = Canvas(str(out), pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1, pageCompression=1)
    canvas.setTitle(f"{spec.source_title} ({spec.period})")
    canvas.setAuthor("NAV (replica)")
    canvas.setCreator("replica")
    canvas.setSubject(updated_line(spec.updated))
    paint = _Painter(canvas)
    _prose_page(paint, spec)
    for table in tables:
        for number, page in enumerate(table.pages, start=1):
            paint.start_page()
            _furniture(paint, spec, table.title, period=True)
            _table_page(paint, table, page)
            _footer(paint, number, len(table.pages))
            paint.end_page()
    canvas.save()
