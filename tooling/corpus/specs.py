"""The corpus's base reports: NAV's January 2026 figures, a synthetic year, and two siblings.

January 2026 is NAV's real report, read from the text export bundled with the
tests (one month: "Gjennomsnitt hittil i år" and "Januar"); the year is the
synthetic December 2025 report of ``replica.series`` (twelve months and the
average). The siblings are ``replica.siblings``' TILT140 of 2023 (types that begin and end within the year:
empty cells) and TILT150 of 2025 (its kommune table). Each is built once per process.
"""

from __future__ import annotations

from functools import cache

from tilt100.settings import JANUARY_2026_TEXT
from tooling.replica.prose import DEFAULT_PROSE
from tooling.replica.spec import ReportSpec

JANUARY_TEXT = JANUARY_2026_TEXT
JANUARY = "january-2026"
YEAR = "year-2025"
SIBLING = "tilt140-2023"
SIBLING_KOMMUNE = "tilt150-2025"


@cache
def january_2026() -> ReportSpec:
    from extract import read_report  # the extractor reads the text export, nothing else here
    from tooling.replica.from_text import spec_from_report

    return spec_from_report(read_report(JANUARY_TEXT), prose=DEFAULT_PROSE)


@cache
def year_2025() -> ReportSpec:
    from tooling.replica.series import year_report

    spec = year_report(2025, 12).spec
    return ReportSpec(spec.updated, spec.period, spec.columns, spec.tables, DEFAULT_PROSE, spec.source_title)


@cache
def sibling(name: str) -> ReportSpec:
    from tooling.replica.siblings import sibling_report

    code, year = name.split("-")
    spec = sibling_report(code.upper(), int(year), 12).spec
    return ReportSpec(spec.updated, spec.period, spec.columns, spec.tables, DEFAULT_PROSE, spec.source_title)


def base_spec(name: str) -> ReportSpec:
    if name in (SIBLING, SIBLING_KOMMUNE):
        return sibling(name)
    return {JANUARY: january_2026, YEAR: year_2025}[name]()
