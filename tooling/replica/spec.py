"""What a replica report prints: tables of blocks of rows, figures as integers.

A spec is plain data; ``replica.render`` lays it out the way NAV's TILT100
PDF does. Labels are either whole strings (the renderer wraps them to the
narrow label column) or tuples of lines as printed (kept as given).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from extract.reports import TILT100

NO_BREAK_SPACE = "\u00a0"
SUPPRESSED = "*"
# A cell left empty: a sibling's measure type in a month it did not run (a workbook's; no PDF prints one).
EMPTY: Literal[""] = ""
# NAV replaces values below this with "*" (Statistikkloven § 7-1).
SUPPRESSION_LIMIT = 4
SOURCE_TITLE = f"{TILT100.code} {TILT100.title}"


@dataclass(frozen=True)
class RowSpec:
    label: str | tuple[str, ...]  # a whole label (the generator wraps it), or lines as printed (kept as given)
    values: tuple[int | Literal[""] | None, ...]  # one per column; None prints "*", EMPTY nothing


@dataclass(frozen=True)
class BlockSpec:
    rows: tuple[RowSpec, ...]  # rows[0] is the block's total row ("I alt ...")


@dataclass(frozen=True)
class TableSpec:
    title: str
    blocks: tuple[BlockSpec, ...]


@dataclass(frozen=True)
class ReportSpec:
    updated: str  # "02.02.2026"
    period: str  # "Januar 2026 - Januar 2026"
    columns: tuple[str, ...]  # ("Gjennomsnitt hittil i år", "Januar", ...)
    tables: tuple[TableSpec, ...]
    prose: tuple[str, ...] = ()  # lines of the "Om statistikken" page
    source_title: str = SOURCE_TITLE


def format_figure(value: int | str | None) -> str:
    """A figure as NAV prints it: "79\u00a0696", "*" for a suppressed value, nothing for an empty cell."""
    if value is None:
        return SUPPRESSED
    if isinstance(value, str):
        if value != EMPTY:
            raise ValueError(f"a figure is a count, None or EMPTY: {value!r}")
        return value
    if value < 0:
        raise ValueError(f"a count cannot be negative: {value}")
    return f"{value:,}".replace(",", NO_BREAK_SPACE)


def suppress(value: int) -> int | None:
    """The value NAV publishes: None (printed "*") for 1..3, else the value.

    Zero never gets a row at all, so callers drop zero rows before this.
    """
    if value < 0:
        raise ValueError(f"a count cannot be negative: {value}")
    return None if 0 < value < SUPPRESSION_LIMIT else value
