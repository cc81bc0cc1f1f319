"""The January 2026 text export, read by the extractor: every printed cell."""

from __future__ import annotations

from collections import Counter

from extract import Report

NBSP = "\u00a0"


def cells(report: Report) -> list[tuple[str, tuple[str, ...], str, str]]:
    return [(row.table_title, row.label_lines, f.column.header, f.text) for row in report.rows for f in row.figures]


def test_report_furniture(text_report: Report) -> None:
    assert text_report.source_title == "TILT100 Tiltaksdeltakere. Hovedgruppe og demografi. Tidsserie måned"
    assert text_report.updated == "02.02.2026"
    assert text_report.period == "Januar 2026 - Januar 2026"
    assert len(text_report.pages) == 56
    assert text_report.pages[0].rows == ()  # "Om statistikken": prose only
    assert {f.column.header for row in text_report.rows for f in row.figures} == {
        "Gjennom snitt hittil i år",
        "Januar",
    }


def test_rows_per_table(text_report: Report) -> None:
    # leaf rows + total rows, a block's total repeated on each continuation page
    assert Counter(row.table_title for row in text_report.rows) == {
        "Arbeidsmarkedsstatus": 4,
        "Arbeidsmarkedsstatus og tiltaksgruppe": 23 + 3,
        "Arbeidsmarkedsstatus og fylke": 50 + 7,
        "Arbeidsmarkedsstatus og kjønn": 6 + 3,
        "Arbeidsmarkedsstatus og alder": 21 + 3,
        "Arbeidsmarkedsstatus og innvandrer status": 6 + 3,
        "Arbeidsmarkedsstatus og fødeland innvandrere": 15 + 3,
        "Arbeidsmarkedsstatus og utdanning": 15 + 3,
        "Tiltaksdeltakere og kommune": 359 + 33,
    }


def test_wrapped_labels_keep_their_printed_lines(text_report: Report) -> None:
    labels = {row.label_lines for row in text_report.rows}
    assert ("5007 Namsos -", "Nåavmesjenjae", "lmie") in labels
    assert ("3414 Nord-", "Odal") in labels
    assert ("5540", "Gáivuotna -", "Kåfjord -") in labels
    assert ("I alt Nedsatt", "arbeidsevne,", "på tiltak") in labels
    assert ("1103", "Stavanger") in labels


def test_figures_as_printed(text_report: Report) -> None:
    found = cells(text_report)
    assert ("Tiltaksdeltakere og kommune", ("0301 Oslo",), "Januar", f"9{NBSP}109") in found
    assert ("Tiltaksdeltakere og kommune", ("2100 Svalbard",), "Januar", "4") in found
    assert ("Tiltaksdeltakere og kommune", ("1144 Kvitsøy",), "Januar", "*") in found
    assert ("Arbeidsmarkedsstatus", ("I alt",), "Januar", f"79{NBSP}696") in found
    assert ("Arbeidsmarkedsstatus og fylke", ("97 Svalbard og", "øvrige områder"), "Januar", "*") in found
    assert sum(1 for *_, header, text in found if text == "*" and header == "Januar") == 9


def test_every_row_has_one_figure_per_column(text_report: Report) -> None:
    for row in text_report.rows:
        assert [f.column.order for f in row.figures] == [1, 2], row
