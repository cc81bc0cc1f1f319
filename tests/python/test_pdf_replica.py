"""The bundled replica PDF, read through pdfplumber, gives the text export's cells."""

from __future__ import annotations

from collections import Counter

from extract import Report
from tests.python.helpers import leaf_and_total_cells


def test_replica_pdf_has_every_cell_of_the_text_export(pdf_report: Report, text_report: Report) -> None:
    assert (pdf_report.source_title, pdf_report.updated, pdf_report.period) == (
        text_report.source_title,
        text_report.updated,
        text_report.period,
    )
    assert pdf_report.file_format == "pdf"
    expected = leaf_and_total_cells(text_report)
    assert sum(expected.values()) == 498 + 1 + 3 * 7 + 1  # leaves, grand total, 3 statuses x 7 tables, kommune total
    assert spaced(leaf_and_total_cells(pdf_report)) == spaced(expected)


def spaced(cells: Counter) -> Counter:
    """A PDF's no-break spaces read as spaces (``extract.sources.normalise``); the text export keeps them."""
    return Counter(
        {
            (t, label, tuple((h, v.replace("\u00a0", " ")) for h, v in figures)): n
            for (t, label, figures), n in cells.items()
        }
    )


def test_replica_pdf_rows_keep_nav_line_breaks(pdf_report: Report, text_report: Report) -> None:
    pdf_labels = {row.label_lines for row in pdf_report.rows}
    text_labels = {row.label_lines for row in text_report.rows}
    assert pdf_labels == text_labels


def test_replica_pdf_figures_carry_positions(pdf_report: Report) -> None:
    figures = [f for row in pdf_report.rows for f in row.figures]
    assert all(f.x0 is not None and f.x1 is not None and f.top is not None for f in figures)
    # right-aligned: within a page and column, figures end at one x
    ends = {(row.page_number, f.column.order, round(f.x1 or 0, 1)) for row in pdf_report.rows for f in row.figures}
    assert len(ends) == len({(p, c) for p, c, _ in ends})
