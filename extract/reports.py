"""What the extractor knows of NAV's reports: the words every TILT report prints the same way, written
once here, and a definition per report code.

The row parser, the checks and the reader take their words from here, and so do the replica and
the corpus that print reports to test them: a word NAV changes is changed in one place. The month
names are the dbt project's (its var ``norwegian_months``), shared with the SQL that reads them.
What a report's tables mean (their titles, the dimension each carries) is the dbt project's seed
``report_tables``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tilt100.settings import dbt_vars

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
    """One report of the family: its code and title as its pages print them after SOURCE_PREFIX."""

    code: str
    title: str

    @property
    def source(self) -> str:
        """What its pages begin with: "Kilde: NAV TILT100 Tiltaksdeltakere. ..." begins with "TILT100"."""
        return f"{SOURCE_PREFIX}{self.code}"


TILT100 = Definition("TILT100", "Tiltaksdeltakere. Hovedgruppe og demografi. Tidsserie måned")
DEFINITIONS = (TILT100,)
