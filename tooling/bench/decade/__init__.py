"""A decade of TILT100 reports: how fast we read, land and build, beside pdfplumber and camelot.

Usage: .venv/bin/python -m tooling.bench.decade [--reports N] [--skip-camelot] [--no-append] [--note TEXT]

Renders (once, cached in data/bench/decade/) a decade of synthetic reports with
the replica generator: every month's report of 2016-2025, each holding the
months of its year so far. The seeds' kommune and fylke numbers start in 2020,
so years the generator cannot print are replaced by republications (same
figures, "Rapport oppdatert" two weeks later) of the earliest years it can: the
decade is always as many files as asked for. Plus one new month, January 2026
(the replica of NAV's real report), for the incremental refresh.

Then measures, each as a whole process unless said otherwise, wall time and the
ratio to (a) of the same files:

  (a) pdfplumber's own reading: ``page.chars`` of every page (the baseline)
  (b) ``python -m extract --jobs 1`` into an empty warehouse; the pure read
      in-process; and the reference path ``--text-layer pdfplumber``
  (c) the extractor on two cores: ``python -m extract --jobs 2``
  (d) ``dbt build`` on the loaded decade; the refresh ``tilt100 refresh`` end to end
  (e) a new month added to the refreshed decade with ``tilt100 refresh``
  (f) peak memory (maxrss) of each child process, shown beside each figure
  (g) camelot's stream flavour (the peer), from .venv-bench (bench/requirements.txt)

and (a), (b), (c), (g) for one report. Prints the table and appends it to
BENCHMARKS.md with the date, the core count, the commit and the load average,
and how each figure moved since the last run there (``compare``: slower or
faster beyond the noise of repeated runs).
"""

from tooling.bench.decade.compare import Previous, moves, noise, previous_run
from tooling.bench.decade.figures import Figure, table, targets
from tooling.bench.decade.measure import append_benchmarks, main
from tooling.bench.decade.reports import (
    Planned,
    decade_plan,
    render_decade,
    render_new_month,
    synthetic,
    year_is_printable,
)
from tooling.bench.decade.runs import Run, run, tail, worker

__all__ = [
    "Figure",
    "Planned",
    "Previous",
    "Run",
    "append_benchmarks",
    "decade_plan",
    "main",
    "moves",
    "noise",
    "previous_run",
    "render_decade",
    "render_new_month",
    "run",
    "synthetic",
    "table",
    "tail",
    "targets",
    "worker",
    "year_is_printable",
]
