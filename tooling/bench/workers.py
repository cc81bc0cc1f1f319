"""Child processes of the benchmarks: one way of reading PDFs, timed in-process.

``python -m tooling.bench.workers MODE FILE...`` reads every file the way MODE says and
prints one JSON line: the in-process seconds (after imports) and what was read.
Top-level imports are the standard library only, so the camelot mode runs in
the benchmark-only environment .venv-bench, which has no project dependencies.

Modes:
  chars               pdfplumber: every page's ``page.chars`` (the baseline)
  read                the extractor: ``extract.read.read_report`` for every file
  camelot             ``camelot.read_pdf(path, pages="all", flavor="stream")``
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def read_chars(paths: list[Path]) -> dict[str, int]:
    import pdfplumber

    pages = chars = 0
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                chars += len(page.chars)
                pages += 1
                page.close()
    return {"files": len(paths), "pages": pages, "chars": chars}


def read_reports(paths: list[Path]) -> dict[str, int]:
    from extract import read_report

    pages = rows = 0
    for path in paths:
        report = read_report(path)
        pages += len(report.pages)
        rows += len(report.rows)
    return {"files": len(paths), "pages": pages, "rows": rows}


def read_camelot(paths: list[Path]) -> dict[str, int]:
    import camelot

    tables = cells = 0
    for path in paths:
        found = camelot.read_pdf(str(path), pages="all", flavor="stream")
        tables += found.n
        cells += sum(table.df.size for table in found)
    return {"files": len(paths), "tables": tables, "cells": cells}


def main(argv: list[str]) -> int:
    mode, rest = argv[0], argv[1:]
    start = time.perf_counter()
    if mode == "chars":
        result = read_chars([Path(p) for p in rest])
    elif mode == "read":
        result = read_reports([Path(p) for p in rest])
    elif mode == "camelot":
        result = read_camelot([Path(p) for p in rest])
    else:
        print(f"unknown mode {mode!r}", file=sys.stderr)
        return 2
    print(json.dumps({"mode": mode, "seconds": time.perf_counter() - start, **result}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
