"""The extractor's default path (PDFium) against pdfplumber's ``page.chars``, per PDF producer.

``python -m tooling.bench.producers``: for the January 2026 base variant of each
producer of the corpus (reportlab, Chromium, fpdf2, LibreOffice), times
``extract.read_report(path)`` (the PDFium text layer, the whole read) and
pdfplumber's characters of every page of the same file, and prints a table.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pdfplumber

from extract import read_report
from tooling.corpus import DEFAULT_OUT, render, variants

JANUARY_BASES = ("reportlab-january", "chromium-january", "fpdf2-january", "libreoffice-calc-january")


def _plumber_chars(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        return sum(len(page.chars) for page in pdf.pages)


def _timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    by_name = {variant.name: variant for variant in variants()}
    print(f"{'producer':<12} {'pages':>5} {'read_report s':>14} {'page.chars s':>13} {'ratio':>6}")
    for name in JANUARY_BASES:
        variant = by_name[name]
        path = render(variant, DEFAULT_OUT)
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
        try:
            pdfium = _timed(partial(read_report, path))
        except Exception as error:  # a producer the extractor cannot read yet: say so, time the rest
            print(f"{variant.producer:<12} {pages:>5} {'failed':>14}  ({error})")
            continue
        plumber = _timed(partial(_plumber_chars, path))
        print(f"{variant.producer:<12} {pages:>5} {pdfium:>14.2f} {plumber:>13.2f} {plumber / pdfium:>6.1f}")


if __name__ == "__main__":
    import argparse

    description = "Time the extractor's default path (PDFium) against pdfplumber's page.chars, per PDF producer."
    argparse.ArgumentParser(prog="python -m tooling.bench.producers", description=description).parse_args()
    main()
