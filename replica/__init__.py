"""A replica of NAV's TILT100 PDF, rendered with reportlab from figures.

``spec`` holds what a report prints, ``render`` draws it in NAV's layout,
``from_text`` turns a report read by the extractor into a spec.
"""

from replica.render import render_pdf, wrap_label
from replica.spec import BlockSpec, ReportSpec, RowSpec, TableSpec, format_figure, suppress

__all__ = [
    "BlockSpec",
    "ReportSpec",
    "RowSpec",
    "TableSpec",
    "format_figure",
    "render_pdf",
    "suppress",
    "wrap_label",
]
