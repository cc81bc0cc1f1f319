"""dbt's result tables made without building a date parser's constants afresh for each one.

dbt wraps every statement's result in an agate table (an empty one for a statement
that returns nothing), and each table's type tester makes agate's Date and DateTime
types; each of those builds parsedatetime's locale constants afresh: 0.14 ms each,
2 204 of them in a whole build of a month (1 102 type testers), 0.3 s of its 6 s of CPU
(BENCHMARKS.md). The constants of one locale are the same every time and read
once made (their one cache, of leap years, only grows), so
``share_date_constants`` makes them once per locale in a process that runs dbt.
Each type still has its own parser (parsedatetime's Calendar, which keeps state
while it parses); only what it reads is shared.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any


def share_date_constants() -> None:
    """In a dbt process, before dbt runs: parsedatetime's constants made once per locale and shared."""
    import parsedatetime

    make = parsedatetime.Constants
    if getattr(make, "shared", False):
        return

    @functools.cache
    def made(locale: str | None, use_icu: bool, fallbacks: tuple[str, ...]) -> Any:  # noqa: ANN401
        return make(locale, use_icu, list(fallbacks))

    def constants(  # parsedatetime's arguments
        localeID: str | None = None, usePyICU: bool = True, fallbackLocales: Sequence[str] = ("en_US",)
    ) -> Any:  # noqa: ANN401
        return made(localeID, usePyICU, tuple(fallbackLocales))

    constants.shared = True  # type: ignore[attr-defined]
    parsedatetime.Constants = constants
