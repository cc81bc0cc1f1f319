"""The corpus of producers and layouts: every variant reads as exactly its truth.

Each PDF is read through both text layers (PDFium, pdfplumber), each workbook
once; the two layers must agree cell for cell; and Chromium's January 2026
lands and builds the same participants as NAV's text export. Files come from
``corpus.render`` (cached in data/corpus/).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus import DEFAULT_OUT, Variant, render, variants
from corpus.truth import diff
from extract import Report, read_report
from extract.pdf import TEXT_LAYERS
from tests.python.conftest import Build, load_and_build

VARIANTS = {variant.name: variant for variant in variants()}
CASES = [
    pytest.param(name, layer, id=f"{name}-{layer}" if layer else name)
    for name, variant in VARIANTS.items()
    for layer in (TEXT_LAYERS if variant.kind == "pdf" else (None,))
]
PDFS = [name for name, variant in VARIANTS.items() if variant.kind == "pdf"]
FACTS = (
    "select month, status_code, dimension, category_code, participants, is_suppressed "
    "from marts.fct_participants order by all"
)


@pytest.fixture(scope="session")
def corpus_files() -> dict[str, Path]:
    """Every variant's file, rendered once (and kept between runs: the cache)."""
    return {name: render(variant, DEFAULT_OUT) for name, variant in VARIANTS.items()}


def _read(path: Path, layer: str | None) -> Report:
    return read_report(path) if layer is None else read_report(path, text_layer=layer)  # type: ignore[arg-type]


@pytest.mark.parametrize(("name", "layer"), CASES)
def test_variant_reads_as_its_truth(corpus_files: dict[str, Path], name: str, layer: str | None) -> None:
    variant: Variant = VARIANTS[name]
    report = _read(corpus_files[name], layer)
    differences = diff(report, variant.spec)
    assert not differences, f"{corpus_files[name].name} ({variant.producer}, {layer or 'xlsx'}):\n{differences}"


def _cells(report: Report) -> list[tuple]:
    return [
        (row.page_number, row.table_title, row.label_lines, tuple((f.column.header, f.text) for f in row.figures))
        for row in report.rows
    ]


@pytest.mark.parametrize("name", PDFS)
def test_text_layers_agree(corpus_files: dict[str, Path], name: str) -> None:
    pdfium, plumber = (_cells(read_report(corpus_files[name], text_layer=layer)) for layer in TEXT_LAYERS)
    first = next((i for i, (a, b) in enumerate(zip(pdfium, plumber, strict=False)) if a != b), None)
    detail = "" if first is None else f"first difference: pdfium {pdfium[first]} / pdfplumber {plumber[first]}"
    assert pdfium == plumber, f"{len(pdfium)} rows by pdfium, {len(plumber)} by pdfplumber; {detail}"


def test_chromium_january_builds_as_the_text_export(
    corpus_files: dict[str, Path], text_build: Build, tmp_path: Path
) -> None:
    build = load_and_build([corpus_files["chromium-january"]], tmp_path / "warehouse.duckdb")
    assert build.returncode == 0, build.output
    facts = build.query(FACTS)
    assert facts, "no participants built"
    assert facts == text_build.query(FACTS)
