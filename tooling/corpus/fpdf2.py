"""fpdf2's producer: the planned pages drawn string by string with an embedded TTF.

Each label line, header line and figure is one ``text()`` call at its
baseline (figures and headers right-aligned by the font's widths); fpdf2
subsets the TTF and writes its own ToUnicode map. No shaping (no ligatures).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

from extract.reports import page_footer, source_line, updated_line
from tooling.corpus.fonts import FACES
from tooling.corpus.plan import Geometry, Plan, PlannedPage, plan
from tooling.corpus.variant import Variant
from tooling.replica.prose import PROSE_TITLE

FAMILY = "corpus"
FIXED_TIME = datetime(2000, 1, 1, tzinfo=UTC)


class _Painter:
    def __init__(self, p: Plan) -> None:
        self.plan, self.g = p, p.geometry
        g, face = self.g, FACES[self.g.style.face]
        pdf = FPDF(orientation="landscape" if g.style.landscape else "portrait", unit="pt", format="A4")
        pdf.set_auto_page_break(False)
        pdf.set_creation_date(FIXED_TIME)  # the same plan gives the same bytes
        pdf.add_font(FAMILY, "", str(face.regular))
        pdf.add_font(FAMILY, "B", str(face.bold))
        pdf.set_title(p.spec.source_title)
        self.pdf = pdf

    def font(self, size: float, bold: bool = False) -> None:
        self.pdf.set_font(FAMILY, "B" if bold else "", size)

    def left(self, x: float, y: float, text: str) -> None:
        self.pdf.text(x, y, text)

    def right(self, x: float, y: float, text: str) -> None:
        self.pdf.text(x - self.pdf.get_string_width(text), y, text)

    def furniture(self, title: str, period: bool) -> None:
        g, s, spec = self.g, self.g.style, self.plan.spec
        self.font(s.size)
        self.left(g.margin, g.source_y, source_line(spec.source_title))
        title_y, date_y = g.title_lines
        self.right(g.page_width - g.margin, date_y, updated_line(spec.updated))
        if period:
            self.left(g.margin, g.period_y, spec.period)
        self.font(s.title_size, s.title_bold)
        self.left(g.margin, title_y, title)
        self.font(s.size)

    def prose(self) -> None:
        g = self.g
        self.pdf.add_page()
        self.furniture(PROSE_TITLE, period=False)
        lines = self.plan.spec.prose
        room = g.page_width - 2 * g.margin
        size = min([g.size] + [g.size * room / self.pdf.get_string_width(line) for line in lines if line])
        size = int(size * 10) / 10
        self.font(size)
        y = g.body_top
        for line in lines:
            y += size * 1.5
            if line:
                self.left(g.margin, y, line)

    def table_page(self, page: PlannedPage) -> None:
        g, s = self.g, self.g.style
        self.pdf.add_page()
        self.furniture(page.title, period=True)
        y = g.body_top
        for index, chunk in enumerate(page.chunks):
            if index:
                y += g.block_gap
            y = self.headers(g, y)
            for row in chunk.rows:
                height = g.row_height(len(row.lines))
                baselines = [y + g.row_pad + g.leading * (i + 0.8) for i in range(len(row.lines))]
                if s.gridlines:
                    self.pdf.line(g.margin, y + height, g.figure_right(len(g.headers) - 1), y + height)
                self.font(s.size, row.total and s.bold_totals)
                for line, baseline in zip(row.lines, baselines, strict=True):
                    self.left(g.label_x, baseline, line)
                for column, figure in enumerate(row.figures):
                    self.right(g.figure_right(column), baselines[-1], figure)
                y += height
        self.font(s.size)
        if s.footer:
            self.left(g.margin, g.footer_y, page_footer(page.number, page.count))

    def headers(self, g: Geometry, y: float) -> float:
        most = max(len(lines) for lines in g.headers)
        for column, lines in enumerate(g.headers):
            for i, line in enumerate(lines):
                baseline = y + g.row_pad + g.leading * (most - len(lines) + i + 0.8)
                self.right(g.figure_right(column), baseline, line)
        return y + g.header_height


def render_fpdf2(variant: Variant, out: Path) -> None:
    p = plan(variant.spec, variant.style)
    painter = _Painter(p)
    painter.prose()
    for page in p.pages:
        painter.table_page(page)
    painter.pdf.output(str(out))
