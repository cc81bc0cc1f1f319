"""What the extractor knows of NAV's reports: the words every TILT report prints the same way, written
once here, and a definition per report code.

The row parser, the checks and the reader take their words from here, and so do the replica and
the corpus that print reports to test them: a word NAV changes is changed in one place. The month
names are the dbt project's (its var ``norwegian_months``), shared with the SQL that reads them.
A report's definition is the dbt project's seeds, read here and by the SQL alike: ``reports`` (its code and
title) and ``report_tables`` (the tables it holds, by title, and the dimension each carries). Adding a report of
the family is adding its rows there.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from tilt100.settings import SEEDS, dbt_vars

# Every page of a report begins with this, then the report's code and title ("TILT100 ...").
SOURCE_PREFIX = "Kilde: NAV "
FAMILY = "TILT"  # every code of the family begins so: TILT100, TILT110, ..., TILT030
# The report date: "Rapport oppdatert: DD.MM.YYYY", beside a table's title.
UPDATED = "Rapport oppdatert"
# The first figure column, before the months.
AVERAGE = "Gjennomsnitt hittil i år"
# The month headers as printed: the dbt project's month names, capitalised.
MONTHS = tuple(name.capitalize() for name in dbt_vars()["norwegian_months"])
# A block's total row begins so ("I alt Arbeidssøkere på tiltak").
TOTAL_PREFIX = "I alt"
# Groups of three digits joined by a no-break space (U+00A0), a narrow no-break space (U+202F), a thin
# space (U+2009) or, in a PDF whose cells are split by gaps, a plain space. A spreadsheet cell holds the
# digits alone.
THOUSANDS_SEPARATORS = "\u00a0\u202f\u2009 "
# "Side 2 av 5" at a page's foot: the page of its table, of how many.
SIDE_RE = re.compile(r"^Side (?P<number>\d+) av (?P<count>\d+)$")
# The rest of the footer line, beside "Side X av Y".
FOOTER_REST = frozenset({SOURCE_PREFIX.strip(), "Fotnote", f"{SOURCE_PREFIX}Fotnote"})


def source_line(title: str) -> str:
    """ "Kilde: NAV TILT100 Tiltaksdeltakere. ...": a page's first line, its report's code and title."""
    return f"{SOURCE_PREFIX}{title}"


def updated_line(date: str) -> str:
    """ "Rapport oppdatert: 24.01.2026", beside a table's title."""
    return f"{UPDATED}: {date}"


def page_footer(number: int, count: int) -> str:
    """ "Side 2 av 5", as NAV prints it (SIDE_RE reads it)."""
    return f"Side {number} av {count}"


@dataclass(frozen=True)
class Definition:
    """One report of the family: its code, its title as its pages print it after the code, its tables' titles."""

    code: str
    title: str
    tables: tuple[str, ...]  # every table the report holds, in its order: a file lacking one is refused
    empty_means_none: frozenset[str] = frozenset()  # tables whose empty cells mean no participants (else refused)
    block_headings: bool = False  # a line above a block's column headers names the block (TILT030's age blocks)
    printed_from: tuple[tuple[str, date], ...] = ()  # tables only a later period's files print, and from when
    first_month: date | None = None  # the first month a file of the report may print (seed reports)
    last_month: date | None = None  # the last

    def required(self, period_end: date) -> tuple[str, ...]:
        """The tables a file of the period ending `period_end` must hold."""
        later = {title: start for title, start in self.printed_from if period_end < start}
        return tuple(title for title in self.tables if title not in later)

    @property
    def source(self) -> str:
        """What its pages begin with: "Kilde: NAV TILT100 Tiltaksdeltakere. ..." begins with "Kilde: NAV TILT100"."""
        return f"{SOURCE_PREFIX}{self.code}"

    @property
    def source_title(self) -> str:
        """ "TILT100 Tiltaksdeltakere. Hovedgruppe og demografi. Tidsserie måned": what follows SOURCE_PREFIX."""
        return f"{self.code} {self.title}"


def _seed(name: str) -> list[dict[str, str]]:
    with (SEEDS / f"{name}.csv").open(encoding="utf-8") as handle:
        return sorted(csv.DictReader(handle), key=lambda row: int(row["sort_order"]))


def _month(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _definition(report: dict[str, str], tables: list[dict[str, str]]) -> Definition:
    """A report's definition from its row of seed ``reports`` and its rows of ``report_tables``."""
    return Definition(
        report["report_code"],
        report["title"],
        tuple(t["table_title"] for t in tables),
        frozenset(t["table_title"] for t in tables if t["empty_means_none"] == "true"),
        any(t["blocks_by"] == "age" for t in tables),
        tuple((t["table_title"], date.fromisoformat(t["printed_from"])) for t in tables if t["printed_from"]),
        _month(report["first_month"]),
        _month(report["last_month"]),
    )


@cache
def definitions() -> dict[str, Definition]:
    """Every report the warehouse reads, by code, from the seeds ``reports`` and ``report_tables``."""
    tables = _seed("report_tables")
    return {
        report["report_code"]: _definition(report, [t for t in tables if t["report_code"] == report["report_code"]])
        for report in _seed("reports")
    }


def definition_of(source_title: str) -> Definition | None:
    """The report a source line names by its code ("TILT130 Tiltaksdeltakere. ..."), if the warehouse reads it."""
    code = source_title.split(" ", 1)[0]
    return definitions().get(code)


TILT100 = definitions()["TILT100"]
