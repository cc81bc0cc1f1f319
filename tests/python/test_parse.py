"""The row parser, on pages made by hand: PDF-like cells and text lines."""

from __future__ import annotations

import pytest

from extract.errors import ExtractError
from extract.parse import Cell, Line, parse_page

NBSP = "\u00a0"
SOURCE = "Kilde: NAV TILT100 Tiltaksdeltakere. Hovedgruppe og demografi. Tidsserie måned"


def text_lines(*texts: str) -> list[Line]:
    return [Line(tuple(Cell(w) for w in t.split(" ") if w), n) for n, t in enumerate(texts, start=1)]


def at(text: str, x0: float, top: float, width: float | None = None) -> Cell:
    return Cell(text, x0, x0 + (width if width is not None else 5.0 * len(text)), top)


def pdf_page(rows: list[list[Cell]]) -> list[Line]:
    """Page furniture, then `rows`; columns are right-aligned, ending at x 240, 300, 360 and 420."""
    furniture = [
        [at(SOURCE, 30, 10)],
        [at("Arbeidsmarkedsstatus og fylke", 30, 25), at("Rapport oppdatert: 02.02.2026", 600, 25)],
        [at("Januar 2026 - Mars 2026", 30, 40)],
        [at("Gjennom", 205, 55, 35)],
        [at("snitt hittil", 190, 62, 50)],
        [at("i år", 225, 69, 15), at("Januar", 270, 69, 30), at("Februar", 325, 69, 35), at("Mars", 400, 69, 20)],
    ]
    return [Line(tuple(cells)) for cells in furniture + rows]


def test_pdf_figures_go_under_their_headers_by_position() -> None:
    lines = pdf_page(
        [
            [at("I alt", 30, 80)],
            [at("Arbeidssøkere", 30, 90)],
            [
                at("på tiltak", 30, 100),
                at(f"11{NBSP}301", 210, 100, 30),
                at("11", 280, 100, 20),
                at(f"1{NBSP}000", 330, 100, 30),
                at("*", 415, 100, 5),
            ],
            [at("15 Møre og", 30, 115)],
            [
                at("Romsdal", 30, 125),
                at("4", 235, 125, 5),
                at("*", 295, 125, 5),
                at("7", 355, 125, 5),
                at("9", 415, 125, 5),
            ],
        ]
    )
    source, page = parse_page(lines, 3, "f.pdf")
    assert source == SOURCE.removeprefix("Kilde: NAV ")
    assert (page.title, page.updated, page.period) == (
        "Arbeidsmarkedsstatus og fylke",
        "02.02.2026",
        "Januar 2026 - Mars 2026",
    )
    first, second = page.rows
    assert first.label_lines == ("I alt", "Arbeidssøkere", "på tiltak")
    assert [(f.column.header, f.text) for f in first.figures] == [
        ("Gjennom snitt hittil i år", f"11{NBSP}301"),
        ("Januar", "11"),
        ("Februar", f"1{NBSP}000"),
        ("Mars", "*"),
    ]
    assert second.label_lines == ("15 Møre og", "Romsdal")
    assert [f.text for f in second.figures] == ["4", "*", "7", "9"]
    assert second.figures[0].x1 == 240


def test_pdf_figure_outside_every_column_is_an_error() -> None:
    lines = pdf_page(
        [[at("Kvinner", 30, 80), at("5", 250, 80, 5), at("6", 280, 80, 20), at("7", 330, 80, 20), at("8", 415, 80, 5)]]
    )
    with pytest.raises(ExtractError, match=r"f.pdf, page 4: expected a figure under a column header"):
        parse_page(lines, 4, "f.pdf")


def test_pdf_text_in_a_figure_column_is_an_error() -> None:
    lines = pdf_page(
        [
            [
                at("Kvinner", 30, 80),
                at("12a", 225, 80, 15),
                at("6", 280, 80, 20),
                at("7", 330, 80, 20),
                at("8", 415, 80, 5),
            ]
        ]
    )
    with pytest.raises(
        ExtractError, match=r"page 2: expected a figure \(digits or \*\) in a figure column, found '12a'"
    ):
        parse_page(lines, 2, "f.pdf")


def test_pdf_missing_figure_is_an_error() -> None:
    lines = pdf_page([[at("Kvinner", 30, 80), at("5", 235, 80, 5), at("7", 330, 80, 20), at("8", 415, 80, 5)]])
    with pytest.raises(ExtractError, match="expected 4 figures, one per column, found 3"):
        parse_page(lines, 2, "f.pdf")


def test_text_rows_are_right_anchored_and_labels_wrap() -> None:
    lines = text_lines(
        SOURCE,
        "Tiltaksdeltakere og kommune Rapport oppdatert: 02.02.2026",
        "Januar 2026 - Februar 2026  ",
        "Gjennom",
        "snitt hittil",
        "i år Januar  Februar",
        "I alt 79\u00a0696 79\u00a0696 80\u00a0000",
        "1103",
        "Stavanger 1\u00a0785 1\u00a0785 1\u00a0786",
        "5540",
        "Gáivuotna -",
        "Kåfjord - 40 40 *",
        "Side 6 av 33Kilde: NAV Fotnote",
    )
    _, page = parse_page(lines, 6, "f.txt")
    assert page.footer == "Side 6 av 33"
    assert [r.label_lines for r in page.rows] == [
        ("I alt",),
        ("1103", "Stavanger"),
        ("5540", "Gáivuotna -", "Kåfjord -"),
    ]
    assert [(f.column.order, f.column.header, f.text) for f in page.rows[2].figures] == [
        (1, "Gjennom snitt hittil i år", "40"),
        (2, "Januar", "40"),
        (3, "Februar", "*"),
    ]
    assert page.rows[1].source_line == 9


def test_label_without_figures_at_page_end_is_an_error() -> None:
    lines = text_lines(
        SOURCE,
        "Arbeidsmarkedsstatus og alder Rapport oppdatert: 02.02.2026",
        "Gjennomsnitt hittil i år Januar",
        "19 år og under 332 332",
        "20-24 år",
    )
    with pytest.raises(ExtractError, match=r"f.txt, page 9: expected figures after the row label, found 20-24 år"):
        parse_page(lines, 9, "f.txt")


def test_figures_on_a_page_without_column_headers_are_an_error() -> None:
    lines = text_lines(SOURCE, "Arbeidsmarkedsstatus og alder Rapport oppdatert: 02.02.2026", "19 år og under 332 332")
    with pytest.raises(ExtractError, match="expected column headers above rows of figures"):
        parse_page(lines, 9, "f.txt")


def test_prose_page_has_no_rows() -> None:
    lines = text_lines(
        SOURCE, "Om statistikken Rapport oppdatert: 02.02.2026", "I henhold til § 7-1 har NAV valgt «*»."
    )
    _, page = parse_page(lines, 1, "f.txt")
    assert page.rows == () and page.title == "Om statistikken"
