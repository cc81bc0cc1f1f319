"""Synthetic TILT100 reports with known figures, for the time-series tests.

The figures reconcile exactly before suppression: kommune x status counts are
drawn first; fylke x status, the kommune table and the status totals are
their sums; every other dimension splits each status total exactly. The
January 2026 report's published figures serve as weights, so the synthetic
months look like NAV's. Everything is deterministic.

The reports built here: any year's report with the months so far
(`year_report`). February and March 2026, which repeat January 2026's
published figures, are ``replica.republished``'s; the whole set the tests load
is ``replica.synthetic``'s.

Year-to-date average ("Gjennomsnitt hittil i år"): the mean of the row's
true monthly values, rounded half up to a whole number, then suppressed like
any figure. Where a month's true value is unknown (a suppressed January 2026
cell), it counts as 2.
"""

from __future__ import annotations

import csv
import math
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from extract.reports import AVERAGE, MONTHS, TILT100, TOTAL_PREFIX
from tilt100.settings import JANUARY_2026_TEXT as JANUARY_2026
from tilt100.settings import SEEDS
from tooling.replica.spec import BlockSpec, ReportSpec, RowSpec, TableSpec, suppress

STATUSES = ("arbeidssokere", "nedsatt_arbeidsevne", "andre")
SERIES_BREAK = date(2025, 4, 1)
HIDDEN_AS = 2  # an unknown suppressed value, for averaging only
# Dimension -> (seed, code column); kommune and fylke come from their own seeds.
CATEGORY_SEEDS = {
    "tiltaksgruppe": ("tiltaksgrupper", "tiltaksgruppe_code"),
    "kjonn": ("kjonn", "kjonn_code"),
    "alder": ("aldersgrupper", "aldersgruppe_code"),
    "innvandrerstatus": ("innvandrerstatus", "innvandrerstatus_code"),
    "fodeland": ("fodeland", "fodeland_code"),
    "utdanning": ("utdanningsnivaer", "utdanning_code"),
}
# Categories a status has no participants in (as in January 2026).
ABSENT = {
    ("arbeidssokere", "tiltaksgruppe"): {"tilrettelagt_arbeid", "arbeidsrettet_rehabilitering", "tilrettelegging"},
    ("andre", "tiltaksgruppe"): {"tilrettelagt_arbeid"},
}
TINY_KOMMUNER = {"1144", "1151", "1857", "2100"}  # a participant or so in each status: suppressed

Key = tuple[date, str, str, str]  # month, status_code, dimension, category_code
MonthTruth = dict[tuple[str, str, str], int]  # status_code, dimension, category_code


@dataclass(frozen=True)
class SyntheticReport:
    file_name: str
    spec: ReportSpec
    truth: dict[Key, int]  # the true value of every cell the report prints for a month


@dataclass(frozen=True)
class Category:
    code: str
    label: str  # as printed, whole


def seed_rows(name: str) -> list[dict[str, str]]:
    with (SEEDS / f"{name}.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _valid(row: dict[str, str], month: date) -> bool:
    start = date.fromisoformat(row["valid_from"])
    end = date.fromisoformat(row["valid_to"]) if row["valid_to"] else date.max
    return start <= month <= end


def label_key(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def allocate(total: int, weights: Sequence[float], minimum: int = 1) -> list[int]:
    """Split `total` over the weights exactly (largest remainder), each at least `minimum`."""
    rest = total - minimum * len(weights)
    if rest < 0:
        raise ValueError(f"{total} cannot give {len(weights)} parts {minimum} each")
    scale = sum(weights)
    shares = [rest * w / scale for w in weights]
    parts = [math.floor(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: (parts[i] - shares[i], i))
    for i in by_remainder[: rest - sum(parts)]:
        parts[i] += 1
    return [p + minimum for p in parts]


# ---- January 2026 as weights -------------------------------------------------


@cache
def january_2026() -> dict[tuple[str, str, str], int]:
    """January 2026's published leaf figures by (table title, block total, label key); "*" as 2."""
    from extract import read_report

    figures: dict[tuple[str, str, str], int] = {}
    block = ""
    for row in read_report(JANUARY_2026).rows:
        label = label_key(" ".join(row.label_lines))
        text = row.figures[-1].text
        value = HIDDEN_AS if text == "*" else int(text.replace("\u00a0", ""))
        if label.startswith("ialt"):
            block = label
            continue
        figures[(row.table_title, block, label)] = value
    return figures


# ---- categories ---------------------------------------------------------------


@cache
def categories(dimension: str) -> tuple[Category, ...]:
    seed, code = CATEGORY_SEEDS[dimension]
    rows = sorted(seed_rows(seed), key=lambda r: int(r["sort_order"]))
    return tuple(Category(r[code], r["label_no"]) for r in rows)


@cache
def statuses() -> dict[str, str]:
    return {r["status_code"]: r["label_no"] for r in seed_rows("arbeidsmarkedsstatus")}


@cache
def report_tables() -> tuple[tuple[str, str], ...]:
    """TILT100's tables: title and dimension."""
    rows = sorted(
        (r for r in seed_rows("report_tables") if r["report_code"] == TILT100.code), key=lambda r: int(r["sort_order"])
    )
    return tuple((r["table_title"], r["dimension"]) for r in rows)


def kommuner(month: date) -> list[dict[str, str]]:
    return sorted((r for r in seed_rows("kommuner") if _valid(r, month)), key=lambda r: int(r["sort_order"]))


def fylker(month: date) -> dict[str, dict[str, str]]:
    return {
        r["fylke_nr"]: r for r in sorted(seed_rows("fylker"), key=lambda r: int(r["sort_order"])) if _valid(r, month)
    }


def geo_label(code: str, label: str) -> str:
    return label if code == "ukjent" else f"{code} {label}"


@cache
def _kommune_weights() -> dict[str, float]:
    """Each kommune's weight: its January 2026 figure; a 2020-2023 number the sum of its 2024 successors'."""
    january = {
        label[:4]: value
        for (title, _, label), value in january_2026().items()
        if title == "Tiltaksdeltakere og kommune" and label[:4].isdigit()
    }
    january["ukjent"] = 63.0
    weights = dict(january)
    for row in seed_rows("kommune_crosswalk"):
        if row["old_nr"] not in january and row["new_nr"] in january:
            weights[row["old_nr"]] = weights.get(row["old_nr"], 0) + january[row["new_nr"]]
    return weights


# ---- one month ----------------------------------------------------------------


def status_totals(month: date) -> dict[str, int]:
    rng = random.Random(f"totals {month}")
    season = math.sin((month.month - 1) / 12 * 2 * math.pi)
    before_break = month < SERIES_BREAK
    return {
        "arbeidssokere": round((15_000 if before_break else 11_000) * (1 + 0.04 * season + rng.uniform(-0.01, 0.01))),
        "nedsatt_arbeidsevne": round(65_000 * (1 + 0.01 * season + rng.uniform(-0.005, 0.005))),
        "andre": round((3_000 if before_break else 5_000) * (1 + 0.05 * season + rng.uniform(-0.02, 0.02))),
    }


def month_truth(month: date) -> MonthTruth:
    """Every cell of one month, reconciling exactly."""
    truth: MonthTruth = {}
    totals = status_totals(month)
    rng = random.Random(f"cells {month}")
    places = kommuner(month)
    weights = _kommune_weights()
    by_kommune: dict[str, int] = {}
    by_fylke: dict[tuple[str, str], int] = {}
    for status in STATUSES:
        here = [k for k in places if not (status == "arbeidssokere" and k["kommune_nr"] == "2100")]
        share = [
            0.0001 if k["kommune_nr"] in TINY_KOMMUNER else weights.get(k["kommune_nr"], 20) * rng.uniform(0.97, 1.03)
            for k in here
        ]
        for kommune, count in zip(here, allocate(totals[status], share), strict=True):
            by_kommune[kommune["kommune_nr"]] = by_kommune.get(kommune["kommune_nr"], 0) + count
            fylke = (status, kommune["fylke_nr"])
            by_fylke[fylke] = by_fylke.get(fylke, 0) + count
        truth[(status, "arbeidsmarkedsstatus", status)] = totals[status]
        for dimension in CATEGORY_SEEDS:
            present = [c for c in categories(dimension) if c.code not in ABSENT.get((status, dimension), set())]
            base = [_category_weight(status, dimension, c) * rng.uniform(0.98, 1.02) for c in present]
            for category, count in zip(present, allocate(totals[status], base), strict=True):
                truth[(status, dimension, category.code)] = count
    for (status, fylke), count in by_fylke.items():
        truth[(status, "fylke", fylke)] = count
    for kommune, count in by_kommune.items():
        truth[("alle", "kommune", kommune)] = count
    return truth


def _category_weight(status: str, dimension: str, category: Category) -> float:
    table = next(title for title, dim in report_tables() if dim == dimension)
    block = label_key(f"{TOTAL_PREFIX} {statuses()[status]}")
    return float(january_2026().get((table, block, label_key(category.label)), 1))


# ---- reports ------------------------------------------------------------------


def average(values: Iterable[int | None]) -> int:
    known = [HIDDEN_AS if v is None else v for v in values]
    return math.floor(sum(known) / len(known) + 0.5)


def _row(label: str, monthly: Sequence[int]) -> RowSpec:
    return RowSpec(label, tuple(suppress(v) for v in (average(monthly), *monthly)))


def _labels(dimension: str, month: date) -> list[Category]:
    if dimension == "kommune":
        return [Category(k["kommune_nr"], geo_label(k["kommune_nr"], k["label_no"])) for k in kommuner(month)]
    if dimension == "fylke":
        return [Category(nr, geo_label(nr, f["label_no"])) for nr, f in fylker(month).items()]
    return list(categories(dimension))


def _table(title: str, dimension: str, months: Sequence[date], truths: Sequence[MonthTruth]) -> TableSpec:
    def series(status: str, dim: str, code: str) -> list[int]:
        return [t.get((status, dim, code), 0) for t in truths]

    def block(status: str, total_label: str, dim: str, cats: list[Category]) -> BlockSpec:
        total = [sum(v) for v in zip(*(series(status, dim, c.code) for c in cats), strict=True)]
        rows = [_row(c.label, series(status, dim, c.code)) for c in cats if any(series(status, dim, c.code))]
        return BlockSpec((_row(total_label, total), *rows))

    if dimension == "arbeidsmarkedsstatus":
        cats = [Category(s, statuses()[s]) for s in STATUSES]
        total = [sum(t[(s, dimension, s)] for s in STATUSES) for t in truths]
        rows = [_row(c.label, series(c.code, dimension, c.code)) for c in cats]
        return TableSpec(title, (BlockSpec((_row(TOTAL_PREFIX, total), *rows)),))
    if dimension == "kommune":
        return TableSpec(title, (block("alle", TOTAL_PREFIX, dimension, _labels(dimension, months[-1])),))
    return TableSpec(
        title,
        tuple(block(s, f"{TOTAL_PREFIX} {statuses()[s]}", dimension, _labels(dimension, months[-1])) for s in STATUSES),
    )


def report_spec(months: Sequence[date], truths: Sequence[MonthTruth], updated: date) -> ReportSpec:
    """The report printing `months` (January to its last month of one year)."""
    period = f"{MONTHS[0]} {months[0].year} - {MONTHS[months[-1].month - 1]} {months[-1].year}"
    columns = (AVERAGE, *(MONTHS[m.month - 1] for m in months))
    tables = tuple(_table(title, dim, months, truths) for title, dim in report_tables())
    return ReportSpec(updated.strftime("%d.%m.%Y"), period, columns, tables)


def _updated(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 2)


def year_report(year: int, last_month: int) -> SyntheticReport:
    months = [date(year, m, 1) for m in range(1, last_month + 1)]
    truths = [month_truth(m) for m in months]
    truth = {(m, *key): value for m, t in zip(months, truths, strict=True) for key, value in t.items()}
    spec = report_spec(months, truths, _updated(months[-1]))
    return SyntheticReport(f"tilt100_{year}-{last_month:02d}.pdf", spec, truth)
