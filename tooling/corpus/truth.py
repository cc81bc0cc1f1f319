"""Does a report, as the extractor read it, print exactly a variant's truth?

Compared on normalised terms, since each producer wraps differently: the
table title; the label whole with all white space removed; the column header
with white space removed (headers wrap anywhere, "Gjennom" / "snitt"); the
figure as an int, None for "*", "" for an empty cell. A block's total row printed again atop a
continuation page counts once. ``diff`` returns the first mismatches,
readable, or "" when the report is its truth.
"""

from __future__ import annotations

from collections import Counter

from extract.model import Report
from extract.reports import TOTAL_PREFIX, UPDATED
from tooling.replica.from_text import figure_value
from tooling.replica.spec import EMPTY, ReportSpec
from tooling.replica.xlsx import whole_label

# table, block (its total row's label), label, column header, figure
Cell = tuple[str, str, str, str, int | None]
TOTAL = "".join(TOTAL_PREFIX.split())


def squeeze(text: str) -> str:
    """Text with all white space removed."""
    return "".join(text.split())


def spec_cells(spec: ReportSpec) -> Counter[Cell]:
    cells: Counter[Cell] = Counter()
    columns = [squeeze(column) for column in spec.columns]
    for table in spec.tables:
        for block in table.blocks:
            total = squeeze(whole_label(block.rows[0].label))
            for row in block.rows:
                label = squeeze(whole_label(row.label))
                for column, value in zip(columns, row.values, strict=True):
                    cells[(table.title, total, label, column, value)] += 1
    return cells


def report_cells(report: Report) -> Counter[Cell]:
    cells: Counter[Cell] = Counter()
    block: tuple[str, str, tuple[tuple[str, str], ...]] | None = None  # table, total label, its figures
    for row in report.rows:
        label = squeeze(" ".join(row.label_lines))
        figures = tuple((squeeze(f.column.header), f.text) for f in row.figures)
        if label.startswith(TOTAL):
            if block == (row.table_title, label, figures):
                continue  # the block's total row again, atop a continuation page
            block = (row.table_title, label, figures)
        total = block[1] if block is not None and block[0] == row.table_title else ""
        for column, text in figures:
            try:
                value: int | str | None = EMPTY if text == EMPTY else figure_value(text)
            except ValueError:
                value = f"unreadable figure {text!r}"
            cells[(row.table_title, total, label, column, value)] += 1  # type: ignore[index]
    return cells


def diff(report: Report, spec: ReportSpec, limit: int = 8) -> str:
    """The differences between what was read and the truth, at most `limit` of each kind; "" if none."""
    problems = []
    for what, read, true in (
        ("source title", report.source_title, spec.source_title),
        (UPDATED, report.updated, spec.updated),
        ("period", report.period, spec.period),
    ):
        if read != true:
            problems.append(f"{what}: read {read!r}, truth {true!r}")
    read_cells, true_cells = report_cells(report), spec_cells(spec)
    missing = list((true_cells - read_cells).elements())
    extra = list((read_cells - true_cells).elements())
    if missing or extra:
        problems.append(f"{true_cells.total()} cells in the truth, {read_cells.total()} read")
    order = {cell: i for i, cell in enumerate(true_cells)}
    for name, cells in (("missing", missing), ("not in the truth", extra)):
        cells.sort(key=lambda c: (order.get(c, len(order)), repr(c)))
        for cell in cells[:limit]:
            problems.append(f"{name}: {_describe(cell)}")
        if len(cells) > limit:
            problems.append(f"... and {len(cells) - limit} more {name}")
    return "\n".join(problems)


def _describe(cell: Cell) -> str:
    table, block, label, column, value = cell
    return f"{table} / block {block} / {label} / {column} = {'*' if value is None else value}"
