"""The corpus of producers and layouts: every variant reads as exactly its truth.

Each PDF is read through both text layers (PDFium, pdfplumber), each workbook
once; the two layers must agree cell for cell; and Chromium's January 2026
lands and builds the same participants as NAV's text export. Files come from
``corpus.render`` (cached in ~/.cache/tilt100/corpus/); rendering and reading run once, in
a process per core, and every test looks at what they gave.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from extract import TEXT_LAYERS, ExtractError, Report, read_report
from extract.sources import TextLayer
from tests.python.helpers import Build, load_and_build
from tests.python.kept_chars import kept_chars
from tooling.corpus import DEFAULT_OUT, Variant, render, variants
from tooling.corpus.truth import diff

VARIANTS = {variant.name: variant for variant in variants()}
CASES = [
    pytest.param(name, layer, id=f"{name}-{layer}" if layer else name)
    for name, variant in VARIANTS.items()
    for layer in (TEXT_LAYERS if variant.kind == "pdf" else (None,))
]
PDFS = [name for name, variant in VARIANTS.items() if variant.kind == "pdf"]
FACTS = (
    "select month, status_code, dimension, category_code, participants, is_suppressed "
    "from audit.fct_participants order by all"
)


Reading = Report | str  # a report, or the message of the ExtractError that refused it


def _render_and_read(name: str) -> tuple[Path, dict[str | None, Reading]]:
    """In a worker process: the variant's file (rendered unless cached) read on each of its layers."""
    variant = VARIANTS[name]
    path = render(variant, DEFAULT_OUT)
    readings: dict[str | None, Reading] = {}
    if variant.kind != "pdf":
        readings[None] = _read(path)
        return path, readings
    with kept_chars(path):  # pdfplumber's characters of this file, kept between runs
        for layer in TEXT_LAYERS:
            readings[layer] = _read(path, layer)
    return path, readings


def _read(path: Path, layer: TextLayer | None = None) -> Reading:
    try:
        return read_report(path) if layer is None else read_report(path, text_layer=layer)
    except ExtractError as error:
        return str(error)


@pytest.fixture(scope="session")
def corpus() -> dict[str, tuple[Path, dict[str | None, Reading]]]:
    """Every variant rendered (kept between runs: the cache) and read once per layer, on every core."""
    with ProcessPoolExecutor(os.cpu_count() or 1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return dict(zip(VARIANTS, pool.map(_render_and_read, VARIANTS), strict=True))


@pytest.mark.parametrize(("name", "layer"), CASES)
def test_variant_reads_as_its_truth(
    corpus: dict[str, tuple[Path, dict[str | None, Reading]]], name: str, layer: str | None
) -> None:
    variant: Variant = VARIANTS[name]
    path, readings = corpus[name]
    report = readings[layer]
    where = f"{path.name} ({variant.producer}, {layer or 'xlsx'})"
    assert not isinstance(report, str), f"{where}: refused: {report}"
    differences = diff(report, variant.spec)
    assert not differences, f"{where}:\n{differences}"


def _cells(report: Reading) -> list[tuple] | str:
    if isinstance(report, str):
        return report
    return [
        (row.page_number, row.table_title, row.label_lines, tuple((f.column.header, f.text) for f in row.figures))
        for row in report.rows
    ]


@pytest.mark.parametrize("name", PDFS)
def test_text_layers_agree(corpus: dict[str, tuple[Path, dict[str | None, Reading]]], name: str) -> None:
    pdfium, plumber = (_cells(corpus[name][1][layer]) for layer in TEXT_LAYERS)
    first = next((i for i, (a, b) in enumerate(zip(pdfium, plumber, strict=False)) if a != b), None)
    detail = "" if first is None else f"first difference: pdfium {pdfium[first]} / pdfplumber {plumber[first]}"
    assert pdfium == plumber, f"{len(pdfium)} rows by pdfium, {len(plumber)} by pdfplumber; {detail}"


def test_chromium_january_builds_as_the_text_export(
    corpus: dict[str, tuple[Path, dict[str | None, Reading]]], text_build: Build, tmp_path: Path
) -> None:
    build = load_and_build([corpus["chromium-january"][0]], tmp_path / "warehouse.duckdb")
    assert build.returncode == 0, build.output
    facts = build.query(FACTS)
    assert facts, "no participants built"
    assert facts == text_build.query(FACTS)
