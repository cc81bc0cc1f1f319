"""February and March 2026 reports that repeat January 2026's published figures.

January's column is exactly what NAV printed ("*" stays "*"). February is
January plus a reconciled change of +120 participants with reduced work
capacity in 4601 Bergen; March adds +57 job seekers in 0301 Oslo. Each change
moves a kommune, its fylke, the status's total in every table, the grand
totals and one (never suppressed) category of every other dimension, so every
month reconciles as January does. The March report also revises a January
figure: job seekers by gender, Kvinner 5 872 -> 5 870 and Menn 5 429 -> 5 431.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from extract.reports import TOTAL_PREFIX
from tooling.replica.from_text import spec_from_report
from tooling.replica.series import (
    AVERAGE,
    JANUARY_2026,
    MONTHS,
    SyntheticReport,
    average,
    label_key,
    report_tables,
    seed_rows,
    statuses,
)
from tooling.replica.spec import BlockSpec, ReportSpec, RowSpec, TableSpec, suppress

JANUARY = date(2026, 1, 1)
# (status, amount, kommune label, {dimension: category label})
CHANGES = {
    date(2026, 2, 1): (
        "nedsatt_arbeidsevne",
        120,
        "4601 Bergen",
        "46 Vestland",
        {
            "tiltaksgruppe": "Oppfølging",
            "kjonn": "Kvinner",
            "alder": "30-39 år",
            "innvandrerstatus": "Ikke innvandrer",
            "fodeland": "Europa",
            "utdanning": "Grunnskolenivå",
        },
    ),
    date(2026, 3, 1): (
        "arbeidssokere",
        57,
        "0301 Oslo",
        "03 Oslo",
        {
            "tiltaksgruppe": "Opplæring",
            "kjonn": "Menn",
            "alder": "25-29 år",
            "innvandrerstatus": "Innvandrer",
            "fodeland": "Asia",
            "utdanning": "Videregående skolenivå",
        },
    ),
}
REVISION = {("arbeidssokere", "kjonn", label_key("Kvinner")): -2, ("arbeidssokere", "kjonn", label_key("Menn")): +2}

RowId = tuple[str, str, str]  # status of the block, dimension, label key


def _row_ids(spec: ReportSpec) -> list[list[list[RowId]]]:
    """Each row's identity: its block's status, the table's dimension, its label key."""
    dimensions = dict(report_tables())
    by_label = {label_key(f"{TOTAL_PREFIX} {label}"): code for code, label in statuses().items()}
    ids = []
    for table in spec.tables:
        dimension = dimensions[table.title]
        table_ids = []
        for block in table.blocks:
            total = label_key(" ".join(block.rows[0].label))
            status = by_label.get(total, "alle")
            keys = [label_key(" ".join(row.label)) for row in block.rows]
            if dimension == "arbeidsmarkedsstatus":  # the statuses are the rows
                reverse = {label_key(label): code for code, label in statuses().items()}
                table_ids.append(
                    [("alle", dimension, k) if i == 0 else (reverse[k], dimension, k) for i, k in enumerate(keys)]
                )
            else:
                table_ids.append([(status, dimension, k) for k in keys])
        ids.append(table_ids)
    return ids


def _change(month: date) -> dict[RowId, int]:
    """Every row a month's change touches, and by how much."""
    status, amount, kommune, fylke, categories = CHANGES[month]
    touched = {
        ("alle", "arbeidsmarkedsstatus", label_key(TOTAL_PREFIX)),
        (status, "arbeidsmarkedsstatus", label_key(statuses()[status])),
    }
    touched |= {
        ("alle", "kommune", label_key(TOTAL_PREFIX)),
        ("alle", "kommune", label_key(kommune)),
        (status, "fylke", label_key(fylke)),
    }
    total = label_key(f"{TOTAL_PREFIX} {statuses()[status]}")
    for dimension in ("fylke", *categories):
        touched.add((status, dimension, total))
    touched |= {(status, dimension, label_key(label)) for dimension, label in categories.items()}
    return dict.fromkeys(touched, amount)


def _month_values(january: int | None, row: RowId, months: Sequence[date]) -> list[int | None]:
    values = [january]
    running = january
    for month in months[1:]:
        if running is not None:
            running += _change(month).get(row, 0)
        values.append(running)
    return values


def _code(row: RowId, codes: dict[tuple[str, str], str]) -> str | None:
    status, dimension, label = row
    if dimension == "arbeidsmarkedsstatus":
        return status if status != "alle" else None
    if dimension in ("kommune", "fylke"):
        digits = re.match(r"^\d+", label)
        return digits.group(0) if digits else ("ukjent" if label == "ukjent" else None)
    return codes.get((dimension, label))


def _category_codes() -> dict[tuple[str, str], str]:
    from tooling.replica.series import CATEGORY_SEEDS

    codes = {}
    for dimension, (seed, column) in CATEGORY_SEEDS.items():
        for row in seed_rows(seed):
            codes[(dimension, label_key(row["label_no"]))] = row[column]
    return codes


def _report(january_spec: ReportSpec, last: date, revise: bool) -> SyntheticReport:
    months = [date(2026, m, 1) for m in range(1, last.month + 1)]
    codes = _category_codes()
    truth = {}
    tables = []
    for table, table_ids in zip(january_spec.tables, _row_ids(january_spec), strict=True):
        blocks = []
        for block, block_ids in zip(table.blocks, table_ids, strict=True):
            rows = []
            for position, (row, row_id) in enumerate(zip(block.rows, block_ids, strict=True)):
                january = row.values[-1]
                monthly = _month_values(january, row_id, months)
                if revise and january is not None:  # the revision touches January alone
                    monthly[0] = january + REVISION.get(row_id, 0)
                code = _code(row_id, codes)
                is_total = position == 0  # every block opens with its "I alt" row
                if not is_total and code is not None:
                    truth.update(
                        {
                            (m, row_id[0], row_id[1], code): v
                            for m, v in zip(months, monthly, strict=True)
                            if v is not None
                        }
                    )
                rows.append(
                    RowSpec(
                        row.label, (suppress(average(monthly)), *(None if v is None else suppress(v) for v in monthly))
                    )
                )
            blocks.append(BlockSpec(tuple(rows)))
        tables.append(TableSpec(table.title, tuple(blocks)))
    columns = (AVERAGE, *(MONTHS[m.month - 1] for m in months))
    period = f"{MONTHS[0]} 2026 - {MONTHS[last.month - 1]} 2026"
    updated = date(2026, last.month + 1, 2).strftime("%d.%m.%Y")
    spec = replace(january_spec, updated=updated, period=period, columns=columns, tables=tuple(tables))
    return SyntheticReport(f"tilt100_2026-{last.month:02d}.pdf", spec, truth)


def february_and_march_2026() -> list[SyntheticReport]:
    from extract import read_report

    january_spec = spec_from_report(read_report(JANUARY_2026))
    return [_report(january_spec, date(2026, 2, 1), False), _report(january_spec, date(2026, 3, 1), True)]
