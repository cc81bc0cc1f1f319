"""Land TILT100 reports (PDF or text export) raw in DuckDB."""

from extract.errors import ExtractError
from extract.model import Report
from extract.read import read_report

__all__ = ["ExtractError", "Report", "read_report"]
