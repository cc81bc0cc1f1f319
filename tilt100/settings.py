"""The settings module: every path, limit, URL and default of the project, in one place.

Every package finds the project root here. A setting a user may change is a `Setting`: its
environment variable, its default and what it is for; `tilt100 --help` lists them (SETTINGS).
dbt reads the warehouse's path from $WAREHOUSE_DB (profiles.yml restates this default for dbt
run by hand; a test keeps the two equal).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the project: this file is tilt100/settings.py
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


@dataclass(frozen=True)
class Setting:
    """A default a user may change, by its environment variable."""

    env: str  # the environment variable that overrides it
    default: str | float
    help: str  # what it is, for `tilt100 --help`
    unit: str = ""

    def text(self) -> str:
        """The value in force, as written: the environment's, else the default."""
        value = os.environ.get(self.env) or self.default
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() else f"{value:g}"
        return value

    def number(self) -> float:
        """A limit's value: a positive number, else ValueError naming the variable."""
        text = os.environ.get(self.env)
        if not text:
            return float(self.default)
        try:
            value = float(text)
        except ValueError:
            value = 0.0
        if not value > 0:
            raise ValueError(f"environment variable {self.env} must be a positive number, found {text!r}")
        return value


WAREHOUSE = Setting("WAREHOUSE_DB", "warehouse.duckdb", "the warehouse, a DuckDB file, relative to the project root")
CACHE = Setting("TILT100_CACHE", "$XDG_CACHE_HOME/tilt100, else ~/.cache/tilt100", "what is made once per machine")

# What one input file may cost (extract/limits.py and extract/guards/ enforce them). A real TILT100 report has 56-70
# pages of a few kB of content each and reads in seconds: the limits stop a file that is not one
# (10 000 pages, a decompression bomb, a page that takes forever) before it eats the machine.
MAX_PAGES = Setting("TILT100_MAX_PAGES", 1000.0, "pages per file, counted before any is read")
MAX_PAGE_MB = Setting(
    "TILT100_MAX_PAGE_MB", 4.0, "what one PDF page draws with (content, forms, fonts), inflated", "MB"
)
MAX_SECONDS = Setting("TILT100_MAX_SECONDS", 120.0, "time to read one file", "s")
MAX_FILE_MB = Setting("TILT100_MAX_FILE_MB", 64.0, "a workbook or text export on disk", "MB")
MAX_LINE_CHARS = Setting("TILT100_MAX_LINE_CHARS", 10_000.0, "characters in one line of a text export")
MAX_SHEET_ROWS = Setting("TILT100_MAX_SHEET_ROWS", 20_000.0, "rows of one sheet, counted before it is read")
MAX_SHEET_CELLS = Setting(
    "TILT100_MAX_SHEET_CELLS", 1_000_000.0, "cells of one sheet, and the area from A1 to its last cell"
)
MAX_INFLATED_MB = Setting("TILT100_MAX_INFLATED_MB", 64.0, "each part of a workbook (a zip member), inflated", "MB")
MAX_ZIP_RATIO = Setting("TILT100_MAX_ZIP_RATIO", 100.0, "how many times a part of more than 1 MB may inflate")
LIMITS = (
    MAX_PAGES,
    MAX_PAGE_MB,
    MAX_SECONDS,
    MAX_FILE_MB,
    MAX_LINE_CHARS,
    MAX_SHEET_ROWS,
    MAX_SHEET_CELLS,
    MAX_INFLATED_MB,
    MAX_ZIP_RATIO,
)

# Where `tilt100 fetch` looks (its options override these).
NAV_LANDING = "https://www.nav.no/no/nav-og-samfunn/statistikk/arbeidssokere-og-stillinger-statistikk/tiltaksdeltakere"
NAV_ARCHIVE = "{landing}/relatert-informasjon/arkiv-tiltaksdeltakere.{year}"  # one page per finished year
FIRST_ARCHIVE_YEAR = 2023  # TILT100 as it is printed now begins in January 2023 (the years before: TILT030)
FETCHED = ROOT / "data" / "fetched"  # the project's, wherever the command runs from
# How `tilt100 fetch` asks (each but the timeouts is also an option of the command).
FETCH_USER_AGENT = "tilt100-warehouse-fetch/0.1 (TILT100 warehouse project; monthly fetch of NAV's TILT100 reports)"
FETCH_TIMEOUT = (10.0, 60.0)  # seconds: to connect, and between bytes
FETCH_MAX_BYTES = 50 * 1024 * 1024  # a file
FETCH_MAX_PAGE_BYTES = 5 * 1024 * 1024  # NAV's pages are a few hundred kB; a page is held in memory whole
FETCH_MAX_RETRY_AFTER = 120.0  # seconds: a monthly job may wait minutes for a busy server, not hours
FETCH_RETRIES = 3  # per request, on 429, 5xx and connection errors
FETCH_BACKOFF = 2.0  # seconds, the retries' back-off factor

SETTINGS = (WAREHOUSE, CACHE, *LIMITS)


def archive_years(today: date, linked: set[int] | frozenset[int] = frozenset()) -> list[int]:
    """NAV's archive pages to read: one per finished year since FIRST_ARCHIVE_YEAR (a year is archived
    once it ends), and any other year the landing page links an archive of."""
    return sorted(set(range(FIRST_ARCHIVE_YEAR, today.year)) | set(linked))


def default_db() -> Path:
    """The warehouse: $WAREHOUSE_DB, else warehouse.duckdb at the project root (a --db option comes first)."""
    return Path(os.environ.get(WAREHOUSE.env) or ROOT / str(WAREHOUSE.default))


@cache
def dbt_project(root: Path = ROOT) -> dict:
    """The dbt project's own settings (dbt_project.yml)."""
    import yaml  # installed with dbt; imported here so that `make` can read the settings with a bare python3

    return yaml.safe_load((root / "dbt_project.yml").read_text(encoding="utf-8"))


def dbt_vars() -> dict:
    """The dbt project's vars (dbt_project.yml): rules the extractor and dbt share, written there once."""
    return dbt_project()["vars"]


def dbt_folders(root: Path = ROOT) -> tuple[str, ...]:
    """The folders `dbt build` reads (models, seeds, tests, macros), as dbt_project.yml names them."""
    project = dbt_project(root)
    keys = ("model-paths", "seed-paths", "test-paths", "macro-paths")
    return tuple(folder for key in keys for folder in project[key])


def cache_dir() -> Path:
    """What the project makes once and reuses (the corpus and pdfplumber's characters of the PDFs the tests
    compare the layers on, dbt's parse, its compiled templates), outside any checkout, so that every clone on
    a machine shares it: $TILT100_CACHE, else $XDG_CACHE_HOME/tilt100, else ~/.cache/tilt100."""
    if os.environ.get(CACHE.env):
        return Path(os.environ[CACHE.env])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tilt100"
