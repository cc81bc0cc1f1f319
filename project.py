"""The project's paths and defaults, in one place: every package finds the project root here."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent
SEEDS = ROOT / "seeds"
REPORTS = ROOT / "data" / "reports"  # the bundled report(s)
JANUARY_2026_TEXT = ROOT / "tests" / "fixtures" / "tilt100_2026-01.txt"  # the text layer of NAV's January 2026 report
CHARTS_PAGE = ROOT / "report.html"  # `tilt100 charts` writes here by default
# Write files that DuckDB 1.4 (bundled by many BI drivers) can open; the same
# setting is in profiles.yml for the files dbt creates.
STORAGE_COMPATIBILITY = "v1.4.0"
# DuckDB's memory for each of the two connections that export a build (Parquet, the file for
# BI tools), which run at once: a refresh of the decade stays under 500 MB (BENCHMARKS.md).
EXPORT_MEMORY_LIMIT = "192MB"


def cache_dir() -> Path:
    """What the project renders once and reuses (the corpus), outside any checkout, so that every
    clone on a machine shares it: $TILT100_CACHE, else $XDG_CACHE_HOME/tilt100, else ~/.cache/tilt100."""
    if os.environ.get("TILT100_CACHE"):
        return Path(os.environ["TILT100_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tilt100"


def default_db() -> Path:
    """The warehouse: $WAREHOUSE_DB, else warehouse.duckdb at the project root (a --db option comes first)."""
    return Path(os.environ.get("WAREHOUSE_DB") or ROOT / "warehouse.duckdb")
