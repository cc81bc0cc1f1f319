"""dbt's result tables in the dbt processes (`tilt100.warehouse.dbt_tables`): the date types share one locale's
constants, each keeps a parser of its own, and they read dates as before."""

from __future__ import annotations

from datetime import date, datetime

import agate
import parsedatetime
import pytest
from dbt_common.clients.agate_helper import build_type_tester

from tilt100.warehouse.dbt_tables import share_date_constants


@pytest.fixture
def shared(monkeypatch: pytest.MonkeyPatch) -> None:
    """The constants shared in this test alone (parsedatetime as it was, after)."""
    monkeypatch.setattr(parsedatetime, "Constants", parsedatetime.Constants)
    share_date_constants()


@pytest.mark.usefixtures("shared")
def test_the_date_types_of_every_table_share_one_locales_constants_and_keep_their_own_parser() -> None:
    testers = [agate.TypeTester(), build_type_tester(["code"])]  # an empty result's, a result's (each makes its own)
    types = [t for tester in testers for t in tester._possible_types if isinstance(t, agate.Date | agate.DateTime)]
    assert len(types) == 5  # agate's Date and DateTime, dbt's the same and its ISODateTime
    assert all(t._constants is types[0]._constants for t in types)  # made once, not per type
    assert len({id(t._parser) for t in types}) == 5  # parsedatetime's Calendar keeps state while it parses
    calendar = parsedatetime.Calendar(version=parsedatetime.VERSION_CONTEXT_STYLE)
    assert calendar.ptc is types[0]._constants  # parsedatetime's own default too


@pytest.mark.usefixtures("shared")
def test_dates_read_as_before() -> None:
    assert agate.Date().cast("31 January 2026") == date(2026, 1, 31)
    assert agate.Date(date_format="%Y-%m-%d").cast("2026-01-31") == date(2026, 1, 31)
    assert agate.DateTime().cast("2026-01-31 08:30") == datetime(2026, 1, 31, 8, 30)
    table = agate.Table([["2026-01-31", "12"]], ["month", "n"])
    assert [type(t).__name__ for t in table.column_types] == ["Date", "Number"]
    assert table.rows[0]["month"] == date(2026, 1, 31)


@pytest.mark.usefixtures("shared")
def test_another_locale_gets_constants_of_its_own() -> None:
    factory = parsedatetime.Constants
    share_date_constants()
    assert parsedatetime.Constants is factory  # twice is once
    english, again = parsedatetime.Constants(), parsedatetime.Constants(localeID=None)
    other = parsedatetime.Constants(localeID="de_DE", usePyICU=False)
    assert english is again
    assert other is not english and other.localeID == "de_DE"
