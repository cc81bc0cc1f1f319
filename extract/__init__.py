"""Land TILT100 reports (PDF, Excel twin or text export) raw in DuckDB: what other packages use of the extractor."""

from extract.batch import LoadCounts, check_inputs, default_jobs, load_paths
from extract.errors import ExtractError
from extract.explain import explain
from extract.model import Column, Figure, Page, Report, Row
from extract.read import read_report
from extract.reports import AVERAGE, MONTHS
from extract.sources import DEFAULT_TEXT_LAYER, TEXT_LAYERS, TextLayer

__all__ = [
    "AVERAGE",
    "DEFAULT_TEXT_LAYER",
    "MONTHS",
    "TEXT_LAYERS",
    "Column",
    "ExtractError",
    "Figure",
    "LoadCounts",
    "Page",
    "Report",
    "Row",
    "TextLayer",
    "check_inputs",
    "default_jobs",
    "explain",
    "load_paths",
    "read_report",
]
