"""Where the decade benchmark keeps its files, and what BENCHMARKS.md begins with."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

from tilt100.settings import ROOT

BIN = Path(sys.executable).parent
DEFAULT_DIR = ROOT / "data" / "bench" / "decade"
SINGLE_REPORT = ROOT / "data" / "reports" / "tilt100_2026-01.pdf"
BENCH_VENV = ROOT / ".venv-bench"
BENCH_REQUIREMENTS = ROOT / "tooling" / "bench" / "requirements.txt"
BENCHMARKS_MD = ROOT / "BENCHMARKS.md"
FIRST_YEAR, LAST_YEAR = 2016, 2025
REPUBLISHED_AFTER = timedelta(days=14)
MB = 1024  # ru_maxrss is in KiB on Linux

HEADER = """\
# Benchmarks

`make bench` (`.venv/bin/python -m tooling.bench.decade`) renders a decade of synthetic
TILT100 reports with the replica generator (cached in `data/bench/decade/`), reads
them every way below, and appends one section here per run. Every figure is wall
time of a whole process (interpreter start and imports included) unless it says
in-process; `× (a)` is the ratio to (a) on the same files; `peak MB` is the
process's maxrss (with its children, e.g. dbt under the refresh).

- **(a)** baseline: pdfplumber's own reading of the same pages, `page.chars` of
  every page of every file, in one process.
- **(b)** our extractor on one core, `python -m extract --jobs 1 --db <empty>
  <files>` (read and land; PDFium's text layer, the default); *read in-process*:
  `extract.read.read_report` of every file, imports excluded; *reference path*:
  the same with `--text-layer pdfplumber`.
- **(c)** the extractor on both cores, `python -m extract --jobs 2`: two processes
  read files, this one lands them (one report is read by one process: there is
  nothing to share). On the decade, (b) and (c) take turns (`--extract-runs`,
  2), each the best of its runs, so that (c) / (b) is not also how the
  machine's hour moved between them.
- **(d)** `dbt build` on the loaded decade (after `dbt parse`, as the refresh
  finds it); and the refresh `tilt100 refresh --db <empty> <files>` end to end
  (copy, land, dbt build, Parquet, swap).
- **(e)** incremental: the refreshed decade plus one new report (January 2026),
  `tilt100 refresh --db <decade> <new report>`, end to end.
- **(f)** peak memory, the `peak MB` column.
- **(g)** the peer: camelot 2.0.0 stream flavour, `camelot.read_pdf(path,
  pages="all", flavor="stream")`, from `.venv-bench` (`bench/requirements.txt`,
  benchmark-only).

Targets (issue "Speed and scale: a decade of reports in under two minutes, a new
month in seconds", tightened by issue "Speed where people wait"):

| target | goal |
| --- | --- |
| (c) / (g), one report and the decade | < 1.0 |
| (b) / (a) | ≤ 1.10 |
| (c) / (b) | ≤ 0.55 |
| (d) dbt build of the decade | < 12 s |
| decade end to end, (d) refresh | < 30 s |
| incremental, (e): a new month | < 8 s |
| peak memory, (b) and (d) | < 500 MB |

The decade is 120 reports: 2016-2019 cannot be rendered with today's seeds (kommune
and fylke numbers start in 2020), so 2020-2025 (72 reports) are joined by 48
republications of 2020-2023 (same figures, report date two weeks later).
"""
