"""Synthetic sibling reports (TILT110-TILT180) with known figures: the measure types of TILT100's groups.

Each measure group's figure in a synthetic TILT100 month (``replica.series.month_truth``) is split exactly over
the group's types (seed ``tiltakstyper``) that run that month (their validity); a type outside its months prints
an empty cell, as NAV's workbooks do. A report prints the groups of its code (seed ``tiltaksgrupper``: TILT180
holds Jobbskaping og egenetablering and Tilrettelegging), a block per status group: "I alt <status>" (the sum of
the block's types), then one row per type. Some types are small enough to be suppressed ("*"). Its "Tiltak og
fylke" table (and from 2025 "Tiltak og kommune") has a block per type, "I alt <type>" over every status group,
then the places, each type's figure split exactly over the fylker and each fylke's over its kommuner in
proportion to TILT100's figures; a place with none that month prints an empty cell. Deterministic.

A sibling's layout is a workbook's (``corpus.sheets.SheetStyle``): header over each block or once per sheet, a
title row or none, figures as numbers or text.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from extract.reports import AVERAGE, MONTHS, TOTAL_PREFIX, definitions
from tooling.replica.series import (
    STATUSES,
    SyntheticReport,
    allocate,
    average,
    fylker,
    geo_label,
    kommuner,
    month_truth,
    seed_rows,
    statuses,
)
from tooling.replica.spec import EMPTY, BlockSpec, ReportSpec, RowSpec, TableSpec, suppress

# The table every sibling prints (its definition's one table) and the one NAV adds that the warehouse skips.
TYPES_TABLE = "Arbeidsmarkedsstatus og tiltak"
FYLKE_TABLE = "Tiltak og fylke"
KOMMUNE_TABLE = "Tiltak og kommune"
KOMMUNE_FROM = date(2025, 1, 1)  # the siblings print their kommune table from 2025 (seed report_tables)
UNKNOWN_TABLE = "Tiltak og bydel"  # a table no definition holds: skipped, and said
# Types with so few participants that their cells are suppressed ("*") or near it.
SMALL = {
    "tilrettelagt_arbeid_i_amb",
    "opplaeringstiltak_lengre_varighet_forsok",
    "hoyere_utdanning_forsok",
    "vgs_yrkesfaglig_utdanning_enkeltplass_forsok",
    "mentor",
}


@dataclass(frozen=True)
class MeasureType:
    code: str
    group: str
    label: str
    weight: float
    valid_from: date | None
    valid_to: date | None

    def runs_in(self, month: date) -> bool:
        return (self.valid_from is None or self.valid_from <= month) and (
            self.valid_to is None or month <= self.valid_to
        )


@cache
def measure_types() -> tuple[MeasureType, ...]:
    rows = sorted(seed_rows("tiltakstyper"), key=lambda r: (r["tiltaksgruppe_code"], int(r["sort_order"])))
    return tuple(
        MeasureType(
            r["tiltakstype_code"],
            r["tiltaksgruppe_code"],
            r["label_no"],
            0.0005 if r["tiltakstype_code"] in SMALL else 1.0 / int(r["sort_order"]),
            date.fromisoformat(r["valid_from"]) if r["valid_from"] else None,
            date.fromisoformat(r["valid_to"]) if r["valid_to"] else None,
        )
        for r in rows
    )


@cache
def report_groups() -> dict[str, tuple[str, ...]]:
    """Each sibling's measure groups, in TILT100's order."""
    groups: dict[str, list[str]] = {}
    for row in sorted(seed_rows("tiltaksgrupper"), key=lambda r: int(r["sort_order"])):
        groups.setdefault(row["report_code"], []).append(row["tiltaksgruppe_code"])
    return {code: tuple(codes) for code, codes in groups.items()}


def type_truth(month: date) -> dict[tuple[str, str], int]:
    """(status, type) -> participants in `month`: each group's figure split over its types running then."""
    truth = month_truth(month)
    rng = random.Random(f"types {month}")
    split: dict[tuple[str, str], int] = {}
    for status in STATUSES:
        for group in dict.fromkeys(t.group for t in measure_types()):  # in the seed's order: deterministic
            total = truth.get((status, "tiltaksgruppe", group), 0)
            running = [t for t in measure_types() if t.group == group and t.runs_in(month)]
            if not total or not running:
                continue
            weights = [t.weight * rng.uniform(0.9, 1.1) for t in running]
            for measure, count in zip(running, allocate(total, weights), strict=True):
                split[(status, measure.code)] = count
    return split


def _row(label: str, monthly: Sequence[int], runs: Sequence[bool]) -> RowSpec:
    """A type's row: the average over the months printed (a month it did not run counts 0), then each month,
    empty where it did not run."""
    months = tuple(suppress(v) if run else EMPTY for v, run in zip(monthly, runs, strict=True))
    return RowSpec(label, (suppress(average(monthly)), *months))


def _types_table(code: str, months: Sequence[date], truths: Sequence[dict[tuple[str, str], int]]) -> TableSpec:
    printed = [t for g in report_groups()[code] for t in measure_types() if t.group == g]
    blocks = []
    for status in STATUSES:
        rows = []
        for measure in printed:
            monthly = [truth.get((status, measure.code), 0) for truth in truths]
            if any(monthly):
                rows.append(_row(measure.label, monthly, [measure.runs_in(m) for m in months]))
        if rows:
            total = [sum(truth.get((status, t.code), 0) for t in printed) for truth in truths]
            blocks.append(BlockSpec((RowSpec(f"{TOTAL_PREFIX} {statuses()[status]}", _total(total)), *rows)))
    return TableSpec(TYPES_TABLE, tuple(blocks))


def _total(monthly: Sequence[int]) -> tuple[int | None, ...]:
    return tuple(suppress(v) for v in (average(monthly), *monthly))


def _geo_row(label: str, monthly: Sequence[int], runs: Sequence[bool]) -> RowSpec:
    """A place's row in a type's block: the average, then each month, empty where the place had none (or the type
    did not run)."""
    months = tuple(suppress(v) if run and v else EMPTY for v, run in zip(monthly, runs, strict=True))
    return RowSpec(label, (suppress(average(monthly)) if any(monthly) else EMPTY, *months))


Places = dict[tuple[str, str, str], list[int]]  # (dimension, type, place code) -> participants per month


def places_truth(code: str, months: Sequence[date], truths: Sequence[dict[tuple[str, str], int]]) -> Places:
    """Each type's participants (every status group) split exactly over the fylker, in proportion to TILT100's
    fylke figures that month, and each fylke's over its kommuner, in proportion to TILT100's kommune figures."""
    split: Places = {}
    for number, (month, types) in enumerate(zip(months, truths, strict=True)):
        tilt100 = month_truth(month)
        places = {nr: sum(tilt100.get((s, "fylke", nr), 0) for s in STATUSES) for nr in fylker(month)}
        kommuner_of = {nr: [k for k in kommuner(month) if k["fylke_nr"] == nr] for nr in places}
        for measure in (t for g in report_groups()[code] for t in measure_types() if t.group == g):
            total = sum(types.get((s, measure.code), 0) for s in STATUSES)
            shares = allocate(total, [float(v) or 0.1 for v in places.values()], minimum=0)
            for nr, count in zip(places, shares, strict=True):
                split.setdefault(("fylke", measure.code, nr), [0] * len(months))[number] = count
                inside = kommuner_of[nr]
                weights = [float(tilt100.get(("alle", "kommune", k["kommune_nr"]), 0)) or 0.1 for k in inside]
                for kommune, part in zip(inside, allocate(count, weights, minimum=0), strict=True):
                    split.setdefault(("kommune", measure.code, kommune["kommune_nr"]), [0] * len(months))[number] = part
    return split


def _places_table(
    code: str, dimension: str, months: Sequence[date], truths: Sequence[dict[tuple[str, str], int]], places: Places
) -> TableSpec:
    """NAV's "Tiltak og fylke" or "Tiltak og kommune": a block per type, "I alt <type>" (every status group), then
    its places; a place with no one on the type all the period is not printed."""
    labels = (
        {nr: geo_label(nr, f["label_no"]) for nr, f in fylker(months[-1]).items()}
        if dimension == "fylke"
        else {k["kommune_nr"]: geo_label(k["kommune_nr"], k["label_no"]) for k in kommuner(months[-1])}
    )
    blocks = []
    for measure in (t for g in report_groups()[code] for t in measure_types() if t.group == g):
        runs = [measure.runs_in(m) for m in months]
        monthly = [sum(truth.get((s, measure.code), 0) for s in STATUSES) for truth in truths]
        if not any(monthly):
            continue
        rows = [
            _geo_row(label, places[(dimension, measure.code, nr)], runs)
            for nr, label in labels.items()
            if any(places[(dimension, measure.code, nr)])
        ]
        months_run = tuple(suppress(v) if run else EMPTY for v, run in zip(monthly, runs, strict=True))
        total = RowSpec(f"{TOTAL_PREFIX} {measure.label.lower()}", (suppress(average(monthly)), *months_run))
        blocks.append(BlockSpec((total, *rows)))
    return TableSpec(FYLKE_TABLE if dimension == "fylke" else KOMMUNE_TABLE, tuple(blocks))


def sibling_report(code: str, year: int, last_month: int, unknown_sheet: bool = False) -> SyntheticReport:
    """Sibling `code`'s report for `year` through `last_month` (January to it): the types by status group, and by
    fylke (and from 2025 by kommune); `unknown_sheet` adds a table no definition holds ("Tiltak og bydel").
    Its truth: every type cell of the status table, and each type's places as dimension "<type>/<fylke|kommune>"
    with category the place's code."""
    months = [date(year, m, 1) for m in range(1, last_month + 1)]
    truths = [type_truth(m) for m in months]
    places = places_truth(code, months, truths)
    tables = [_types_table(code, months, truths), _places_table(code, "fylke", months, truths, places)]
    if months[-1] >= KOMMUNE_FROM:
        tables.append(_places_table(code, "kommune", months, truths, places))
    if unknown_sheet:
        tables.append(TableSpec(UNKNOWN_TABLE, _places_table(code, "fylke", months, truths, places).blocks))
    updated = date(year + (last_month == 12), last_month % 12 + 1, 2)
    spec = ReportSpec(
        updated.strftime("%d.%m.%Y"),
        f"{MONTHS[0]} {year} - {MONTHS[last_month - 1]} {year}",
        (AVERAGE, *MONTHS[:last_month]),
        tuple(tables),
        source_title=definitions()[code].source_title,
    )
    groups = report_groups()[code]
    by_code = {t.code: t for t in measure_types()}
    truth = {
        (month, status, "tiltakstype", measure): value
        for month, month_types in zip(months, truths, strict=True)
        for (status, measure), value in month_types.items()
        if by_code[measure].group in groups and value
    }
    for (dimension, measure, place), monthly in places.items():
        if dimension == "fylke" or months[-1] >= KOMMUNE_FROM:
            truth |= {
                (m, "alle", f"{measure}/{dimension}", place): v for m, v in zip(months, monthly, strict=True) if v
            }
    return SyntheticReport(f"{code.lower()}_{year}-{last_month:02d}.xlsx", spec, truth)


def sibling_codes() -> tuple[str, ...]:
    """TILT110 ... TILT180: every report of the family but TILT100."""
    return tuple(code for code in definitions() if code in report_groups())
