"""A replica of NAV's TILT100 PDF, rendered with reportlab from figures.

``spec`` holds what a report prints, ``render`` draws it in NAV's layout
(``xlsx``: its Excel twin), ``from_text`` turns a report read by the extractor
into a spec. Synthetic reports with known figures: ``series`` (any year's
report), ``republished`` (February and March 2026 repeating January 2026),
``synthetic`` (the whole set the time-series tests load). The arrows run one way:
synthetic -> republished -> series.
"""

from tooling.replica.from_text import render_from_text, spec_from_report
from tooling.replica.render import render_pdf, wrap_label
from tooling.replica.spec import BlockSpec, ReportSpec, RowSpec, TableSpec, format_figure, suppress
from tooling.replica.xlsx import write_xlsx

__all__ = [
    "BlockSpec",
    "ReportSpec",
    "RowSpec",
    "TableSpec",
    "format_figure",
    "render_from_text",
    "render_pdf",
    "spec_from_report",
    "suppress",
    "wrap_label",
    "write_xlsx",
]
