"""A ReportSpec from a report the extractor read (e.g. NAV's January 2026 text export).

Labels keep their lines as printed; figures are parsed back to integers.
Consecutive pages with the same title are one table; a block starts at each
row whose label starts with "I alt"; a total row that a block repeats at the
top of a continuation page is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from extract.reports import TOTAL_PREFIX
from tooling.replica.spec import SUPPRESSED, BlockSpec, ReportSpec, RowSpec, TableSpec

if TYPE_CHECKING:  # the extractor is needed only to read a report, not to import this module
    from extract.model import Figure, Report, Row

# The extractor joins header lines with a space; NAV wraps "Gjennomsnitt" mid-word.
HEADER_JOINS = {"Gjennom snitt": "Gjennomsnitt"}


def figure_value(text: str) -> int | None:
    """A printed figure as a number: "*" is None, separators (U+00A0 etc.) dropped."""
    if text == SUPPRESSED:
        return None
    digits = "".join(ch for ch in text if not ch.isspace())
    if not digits.isdigit():
        raise ValueError(f"not a printed figure: {text!r}")
    return int(digits)


def column_header(printed: str) -> str:
    for joined, word in HEADER_JOINS.items():
        printed = printed.replace(joined, word)
    return printed


def _row_spec(row: Row) -> RowSpec:
    return RowSpec(tuple(row.label_lines), tuple(figure_value(f.text) for f in row.figures))


def _key(row: Row) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(row.label_lines), tuple(f.text for f in row.figures)


def _blocks(rows: Iterable[Row]) -> tuple[BlockSpec, ...]:
    blocks: list[list[Row]] = []
    for row in rows:
        starts_block = " ".join(row.label_lines).startswith(TOTAL_PREFIX)
        if starts_block and blocks and _key(blocks[-1][0]) == _key(row):
            continue  # the block's total row, repeated on a continuation page
        if starts_block or not blocks:
            blocks.append([row])
        else:
            blocks[-1].append(row)
    return tuple(BlockSpec(tuple(_row_spec(row) for row in block)) for block in blocks)


def _columns(first: tuple[Figure, ...]) -> tuple[str, ...]:
    return tuple(column_header(figure.column.header) for figure in first)


def spec_from_report(report: Report, prose: tuple[str, ...] = ()) -> ReportSpec:
    """The spec that renders `report` again. `prose`: the "Om statistikken" lines, if known."""
    pages = [page for page in report.pages if page.rows]
    if not pages:
        raise ValueError(f"{report.file_name}: no table rows")
    columns = _columns(pages[0].rows[0].figures)
    tables = []
    for title, group in groupby(pages, key=lambda page: page.title or ""):
        rows = [row for page in group for row in page.rows]
        for row in rows:
            if len(row.figures) != len(columns):
                raise ValueError(
                    f"{report.file_name}, page {row.page_number}: {len(row.figures)} figures, "
                    f"expected {len(columns)} ({' / '.join(row.label_lines)})"
                )
        tables.append(TableSpec(title, _blocks(rows)))
    return ReportSpec(
        updated=report.updated,
        period=report.period,
        columns=columns,
        tables=tuple(tables),
        prose=prose,
        source_title=report.source_title,
    )


def render_from_text(text: Path, out: Path, twin: bool = False) -> str:
    """Read a text export with the extractor, render its replica (and Excel twin); returns what was written."""
    from extract import read_report  # the extractor is only needed here
    from tooling.replica.render import render_pdf
    from tooling.replica.xlsx import write_xlsx

    spec = spec_from_report(read_report(text))
    out.parent.mkdir(parents=True, exist_ok=True)
    render_pdf(spec, out)
    rows = sum(len(block.rows) for table in spec.tables for block in table.blocks)
    written = f"wrote {out}: {len(spec.tables)} tables, {rows} rows, {len(spec.columns)} columns ({spec.period})"
    if twin:
        write_xlsx(spec, out.with_suffix(".xlsx"))
        written += f"\nwrote {out.with_suffix('.xlsx')}: its Excel twin"
    return written
