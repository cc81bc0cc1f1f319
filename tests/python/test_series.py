"""The synthetic reports' figures: exact before suppression, as NAV's would be."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest

from tooling.replica.republished import february_and_march_2026
from tooling.replica.series import allocate, kommuner, month_truth, year_report
from tooling.replica.spec import RowSpec

STATUSES = ("arbeidssokere", "nedsatt_arbeidsevne", "andre")


@pytest.mark.parametrize("month", [date(2023, 6, 1), date(2025, 3, 1), date(2025, 4, 1), date(2025, 12, 1)])
def test_month_truth_reconciles_exactly(month: date) -> None:
    truth = month_truth(month)
    assert min(truth.values()) >= 1
    status_total = {s: truth[(s, "arbeidsmarkedsstatus", s)] for s in STATUSES}
    sums: dict[tuple[str, str], int] = defaultdict(int)
    for (status, dimension, _), value in truth.items():
        sums[(status, dimension)] += value
    for status in STATUSES:
        for dimension in ("tiltaksgruppe", "fylke", "kjonn", "alder", "innvandrerstatus", "fodeland", "utdanning"):
            assert sums[(status, dimension)] == status_total[status], (status, dimension)
    assert sums[("alle", "kommune")] == sum(status_total.values())
    fylke_of = {k["kommune_nr"]: k["fylke_nr"] for k in kommuner(month)}
    by_fylke: dict[str, int] = defaultdict(int)
    for (_, dimension, code), value in truth.items():
        if dimension == "kommune":
            by_fylke[fylke_of[code]] += value
    fylke_table: dict[str, int] = defaultdict(int)
    for (_, dimension, code), value in truth.items():
        if dimension == "fylke":
            fylke_table[code] += value
    assert by_fylke == fylke_table
    assert ("arbeidssokere", "fylke", "97") not in truth  # Svalbard: no job seekers, so no row


def test_series_break_in_april_2025() -> None:
    march, april = month_truth(date(2025, 3, 1)), month_truth(date(2025, 4, 1))
    key = "arbeidsmarkedsstatus"
    assert april[("andre", key, "andre")] > 1.4 * march[("andre", key, "andre")]
    assert april[("arbeidssokere", key, "arbeidssokere")] < 0.85 * march[("arbeidssokere", key, "arbeidssokere")]


def test_allocate_is_exact() -> None:
    assert allocate(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(allocate(79_696, [3.0, 0.0001, 7.5, 2.2])) == 79_696
    with pytest.raises(ValueError, match="cannot give"):
        allocate(2, [1, 1, 1])


def rows(report: object) -> dict[str, RowSpec]:
    spec = report.spec  # type: ignore[attr-defined]
    return {
        f"{table.title}|{block.rows[0].label}|{row.label}": row
        for table in spec.tables
        for block in table.blocks
        for row in block.rows
    }


def test_year_to_date_average_and_suppression() -> None:
    report = year_report(2025, 12)
    assert report.spec.columns[0] == "Gjennomsnitt hittil i år" and len(report.spec.columns) == 13
    oslo = rows(report)["Tiltaksdeltakere og kommune|I alt|0301 Oslo"]
    monthly = [report.truth[(date(2025, m, 1), "alle", "kommune", "0301")] for m in range(1, 13)]
    assert oslo.values == (int(sum(monthly) / 12 + 0.5), *monthly)
    printed = [v for row in rows(report).values() for v in row.values]
    assert None in printed and not [v for v in printed if v is not None and v < 4]


def test_2023_report_uses_the_numbers_of_its_time() -> None:
    labels = set(rows(year_report(2023, 12)))
    assert "Tiltaksdeltakere og kommune|I alt|3001 Halden" in labels
    assert "Tiltaksdeltakere og kommune|I alt|5401 Tromsø" in labels
    assert "Arbeidsmarkedsstatus og fylke|I alt Nedsatt arbeidsevne, på tiltak|30 Viken" in labels
    assert not [label for label in labels if label.endswith("|3101 Halden")]


def test_2026_reports_repeat_january_and_march_revises_it() -> None:
    february, march = february_and_march_2026()
    key = "Arbeidsmarkedsstatus og kjønn|('I alt', 'Arbeidssøkere', 'på tiltak')|('Kvinner',)"
    assert rows(february)[key].values[1:] == (5872, 5872)
    assert rows(march)[key].values[1:] == (5870, 5872, 5872)
    bergen = rows(february)["Tiltaksdeltakere og kommune|('I alt',)|('4601 Bergen',)"]
    assert bergen.values == (3670, 3610, 3730)  # January as published, February +120, average rounded half up
    kvitsoy = rows(march)["Tiltaksdeltakere og kommune|('I alt',)|('1144 Kvitsøy',)"]
    assert kvitsoy.values == (None, None, None, None)
