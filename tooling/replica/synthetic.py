"""The whole set of synthetic reports the time-series tests load, and writing them out.

A year of 2025 (January's report to December's), three from 2023 (``replica.series``)
and February and March 2026 republishing January 2026 (``replica.republished``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tooling.replica.republished import february_and_march_2026
from tooling.replica.series import SyntheticReport, year_report


def synthetic_reports() -> list[SyntheticReport]:
    """The whole set, oldest first."""
    reports = [year_report(2023, m) for m in (3, 6, 12)]
    reports += [year_report(2025, m) for m in range(1, 13)]
    return reports + february_and_march_2026()


def write_reports(out_dir: Path, reports: Sequence[SyntheticReport] | None = None, twins: bool = False) -> list[Path]:
    """Render each report as a PDF (and its Excel twin) into out_dir."""
    from tooling.replica.render import render_pdf
    from tooling.replica.xlsx import write_xlsx

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for report in reports if reports is not None else synthetic_reports():
        path = out_dir / report.file_name
        render_pdf(report.spec, path)
        written.append(path)
        if twins:
            write_xlsx(report.spec, path.with_suffix(".xlsx"))
            written.append(path.with_suffix(".xlsx"))
    return written
