"""LibreOffice Calc's producer: a workbook laid out for print, converted to PDF.

Printing the Excel twin is a plausible way for NAV to make its PDF. The
workbook (openpyxl) holds the plan's pages: each starts at a manual page
break with the column headers and, on a continuation page, the block's total
row again; rows 1-3 (source line, title with "Rapport oppdatert", period) are
print titles, repeated on every page. Labels are wrapped by the plan (line
breaks in the cell), figures are text with the style's separator. A4
landscape, fitted to the page width.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from extract.reports import source_line, updated_line
from tooling.corpus.fonts import FACES, width
from tooling.corpus.office import convert
from tooling.corpus.plan import Plan, PlannedPage, plan
from tooling.corpus.variant import Variant
from tooling.replica.prose import PROSE_TITLE
from tooling.replica.xlsx import SHEET_NAME_LENGTH

POINTS_PER_WIDTH_UNIT = 5.6  # a column width unit (a digit of the default font) in points, roughly
DEFAULT_COLUMN_POINTS = 45.0  # an unsized column (8.43 units), a little less
BOTTOM_RIGHT = Alignment(horizontal="right", vertical="bottom", wrap_text=True)
BOTTOM_LEFT = Alignment(horizontal="left", vertical="bottom", wrap_text=True)


def _page_setup(sheet: Worksheet, p: Plan) -> None:
    sheet.page_setup.orientation = "landscape" if p.geometry.style.landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.4, bottom=0.4, header=0.2, footer=0.2)
    sheet.print_title_rows = "1:3"


class _Sheet:
    def __init__(self, sheet: Worksheet, p: Plan) -> None:
        self.sheet, self.plan, self.g = sheet, p, p.geometry
        face, size = FACES[self.g.style.face].family, self.g.size
        self.font = Font(name=face, size=size)
        self.bold = Font(name=face, size=size, bold=True)
        self.title_font = Font(name=face, size=self.g.style.title_size, bold=self.g.style.title_bold)
        self.last_column = 1 + len(self.g.headers)
        self.row = 1

    def put(self, row: int, column: int, value: str, font: Font | None = None, align: Alignment | None = None) -> None:
        cell = self.sheet.cell(row=row, column=column, value=value)
        cell.font = font or self.font
        if align is not None:
            cell.alignment = align

    def furniture(self, title: str, period: bool) -> None:
        spec = self.plan.spec
        self.put(1, 1, source_line(spec.source_title))
        self.put(2, 1, title, self.title_font, Alignment(vertical="bottom"))
        date = updated_line(spec.updated)
        self.put(2, self._date_column(title, date), date, align=Alignment(horizontal="right"))
        self.sheet.row_dimensions[2].height = self.g.style.title_size * 1.6
        if period:
            self.put(3, 1, spec.period)
        self.row = 5

    def _date_column(self, title: str, date: str) -> int:
        """The table's last column, or further right: Calc clips the title at the next filled cell,
        and the date, right-aligned, runs left over the columns before its own: room for both."""
        g, style = self.g, self.g.style
        title_width = width(title, style.face, style.title_size, style.title_bold)
        room = 1.2 * (title_width + width(date, style.face, g.size)) + 3 * g.size
        x, column = g.label_width + 6, 1
        while column < self.last_column or x < room:
            column += 1
            index = column - 2
            x += g.gaps[index] + g.figure_widths[index] if index < len(g.gaps) else DEFAULT_COLUMN_POINTS
        return column

    def columns(self) -> None:
        g = self.g
        self.sheet.column_dimensions["A"].width = (g.label_width + 6) / POINTS_PER_WIDTH_UNIT
        for index, (gap, figure) in enumerate(zip(g.gaps, g.figure_widths, strict=True)):
            letter = self.sheet.cell(row=1, column=index + 2).column_letter
            self.sheet.column_dimensions[letter].width = (gap + figure) / POINTS_PER_WIDTH_UNIT

    def page(self, page: PlannedPage) -> None:
        g = self.g
        for index, chunk in enumerate(page.chunks):
            if index:
                self.sheet.row_dimensions[self.row].height = g.block_gap
                self.row += 1
            for column, lines in enumerate(g.headers, start=2):
                self.put(self.row, column, "\n".join(lines), align=BOTTOM_RIGHT)
            self.sheet.row_dimensions[self.row].height = g.header_height
            self.row += 1
            for planned in chunk.rows:
                font = self.bold if planned.total and g.style.bold_totals else self.font
                self.put(self.row, 1, "\n".join(planned.lines), font, BOTTOM_LEFT)
                for column, figure in enumerate(planned.figures, start=2):
                    self.put(self.row, column, figure, font, BOTTOM_RIGHT)
                self.sheet.row_dimensions[self.row].height = g.row_height(len(planned.lines))
                self.row += 1
        self.sheet.row_breaks.append(Break(id=self.row - 1))


def workbook_for_print(p: Plan) -> Workbook:
    workbook = Workbook()
    prose = _Sheet(workbook.active, p)
    prose.sheet.title = PROSE_TITLE
    prose.last_column = 2
    prose.furniture(PROSE_TITLE, period=False)
    # As wide as the longest line of prose; a spec with none prints the page's furniture only (its source line).
    longest = max((len(line) for line in p.spec.prose), default=len(source_line(p.spec.source_title)))
    prose.sheet.column_dimensions["A"].width = longest * 1.1
    prose.sheet.column_dimensions["B"].width = 30
    for number, line in enumerate(p.spec.prose, start=5):
        prose.put(number, 1, line)
    _page_setup(prose.sheet, p)
    sheets: dict[str, _Sheet] = {}
    for page in p.pages:
        if page.title not in sheets:
            sheet = _Sheet(workbook.create_sheet(page.title[:SHEET_NAME_LENGTH]), p)
            sheet.furniture(page.title, period=True)
            sheet.columns()
            _page_setup(sheet.sheet, p)
            sheets[page.title] = sheet
        sheets[page.title].page(page)
    return workbook


def render_libreoffice(variant: Variant, out: Path) -> None:
    source = out.with_suffix(".print.xlsx")
    workbook_for_print(plan(variant.spec, variant.style)).save(source)
    convert(source, "pdf", out)
