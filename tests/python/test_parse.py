"""The row parser, on pages made by hand: PDF-like cells and text lines."""

from __future__ import annotations

import pytest

from extract.errors import ExtractError
from extract.model import Cell, Line
from extract.parse import parse_page
from extract.read import source_title_of
from extract.sources.xlsx import sheet_lines

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
    page = parse_page(lines, 3, "f.pdf")
    assert source_title_of(lines) == SOURCE.removeprefix("Kilde: NAV ")
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


def test_a_pdf_header_with_no_figure_under_it_is_an_empty_cell() -> None:
    """Placed by position: the January column holds nothing on this row. Whether its table may hold an empty
    cell is the report's definition's (TILT100's may not: test_siblings, test_wrong_files)."""
    lines = pdf_page([[at("Kvinner", 30, 80), at("5", 235, 80, 5), at("7", 330, 80, 20), at("8", 415, 80, 5)]])
    (row,) = parse_page(lines, 2, "f.pdf").rows
    assert [(f.column.header, f.text) for f in row.figures] == [
        ("Gjennom snitt hittil i år", "5"),
        ("Januar", ""),
        ("Februar", "7"),
        ("Mars", "8"),
    ]


def test_a_text_exports_row_short_of_figures_is_an_error() -> None:
    """No positions: which column is empty cannot be told."""
    header = "Gjennomsnitt hittil i år Januar Februar Mars"
    lines = text_lines(SOURCE, "Januar 2026 - Mars 2026", header, "Kvinner 5 7 8")
    with pytest.raises(ExtractError, match="expected 4 figures at the end of the row"):
        parse_page(lines, 2, "f.txt")


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
    page = parse_page(lines, 6, "f.txt")
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
    page = parse_page(lines, 1, "f.txt")
    assert page.rows == () and page.title == "Om statistikken"


TITLE = "Arbeidsmarkedsstatus og fylke"
DATE = "Rapport oppdatert: 02.02.2026"
HEADERS = [
    [at("Gjennom", 205, 55, 35)],
    [at("snitt hittil", 190, 62, 50)],
    [at("i år", 225, 69, 15), at("Januar", 270, 69, 30), at("Februar", 325, 69, 35), at("Mars", 400, 69, 20)],
]
ROW = [at("I alt", 30, 80), at("5", 235, 80, 5), at("7", 295, 80, 5), at("8", 355, 80, 5), at("9", 415, 80, 5)]


@pytest.mark.parametrize(
    "furniture",
    [
        [[at(f"{TITLE} {DATE}", 30, 25)]],  # one cell: a title and the date a space apart
        [[at(DATE, 30, 25), at(TITLE, 300, 25)]],  # the date left of the title
        [[at(TITLE, 30, 20)], [at(DATE, 600, 30)]],  # the title on the line above the date
        [[at(DATE, 600, 20)], [at(TITLE, 30, 30)]],  # the title on the line below it
        [[at("Januar 2026 - Mars 2026", 30, 15)], [at(DATE, 600, 20)], [at(TITLE, 30, 30)]],  # period first
    ],
    ids=["beside", "date-first", "above", "below", "period-first"],
)
def test_title_is_found_wherever_it_stands_beside_the_date(furniture: list[list[Cell]]) -> None:
    lines = [Line((at(SOURCE, 30, 10),)), *(Line(tuple(c)) for c in furniture), *(Line(tuple(c)) for c in HEADERS)]
    page = parse_page([*lines, Line(tuple(ROW))], 2, "f.pdf")
    assert (page.title, page.updated) == (TITLE, "02.02.2026")
    assert [(r.table_title, r.label_lines) for r in page.rows] == [(TITLE, ("I alt",))]


def test_a_date_with_no_title_near_it_is_an_error() -> None:
    lines = [Line((at(SOURCE, 30, 10),)), Line((at(DATE, 600, 20),)), *(Line(tuple(c)) for c in HEADERS)]
    with pytest.raises(
        ExtractError, match=r"expected a table title with .Rapport oppdatert: DD\.MM\.YYYY., found none"
    ):
        parse_page([*lines, Line(tuple(ROW))], 2, "f.pdf")


@pytest.mark.parametrize(
    "wrapped",
    [
        ["Gjennoms", "nitt hittil", "i år"],
        ["Gjen", "nomsnitt hit", "til i år"],
        ["Gjennomsnitt", "hittil i", "år"],
        ["Gjennomsnitt hittil i år"],
    ],
)
def test_a_header_is_known_wherever_it_wrapped(wrapped: list[str]) -> None:
    header = [[at(line, 190, 50 + 7 * i, 50)] for i, line in enumerate(wrapped)]
    header[-1] += [at("Januar", 270, header[-1][0].top, 30), at("Sept", 325, 48, 35)]
    header.insert(0, [at("Septem", 325, 41, 35)])  # a month wrapped too, a line higher
    header[-1][-1] = at("ber", 325, 48, 35)
    furniture = [[at(SOURCE, 30, 10)], [at(TITLE, 30, 25), at(DATE, 600, 25)]]
    row = [at("I alt", 30, 80), at("5", 235, 80, 5), at("7", 295, 80, 5), at("8", 355, 80, 5)]
    page = parse_page([Line(tuple(c)) for c in [*furniture, *header, row]], 2, "f.pdf")
    headers = [" ".join(f.column.header.split()) for f in page.rows[0].figures]
    assert ["".join(h.split()) for h in headers] == ["Gjennomsnitthittiliår", "Januar", "September"]
    assert [f.text for f in page.rows[0].figures] == ["5", "7", "8"]


def test_a_header_run_over_several_columns_is_split_by_the_figures_beneath() -> None:
    """Headers as wide as their columns: "i år Januar Februar Mars" is one run of text."""
    header = [
        [at("Gjennom", 205, 55, 35)],
        [at("snitt hittil", 190, 62, 50)],
        [at("i år Januar Februar Mars", 225, 69, 195)],
    ]
    furniture = [[at(SOURCE, 30, 10)], [at(TITLE, 30, 25), at(DATE, 600, 25)]]
    rows = [ROW, [at("Oslo", 30, 90), at("1 234", 215, 90, 25), at("*", 295, 90, 5), at("22", 350, 90, 10)]]
    rows[1].append(at("3", 415, 90, 5))
    page = parse_page([Line(tuple(c)) for c in [*furniture, *header, *rows]], 2, "f.pdf")
    assert [(f.column.header, f.text) for f in page.rows[1].figures] == [
        ("Gjennom snitt hittil i år", "1 234"),
        ("Januar", "*"),
        ("Februar", "22"),
        ("Mars", "3"),
    ]


def test_a_header_run_over_fewer_figures_than_headers_is_an_error() -> None:
    header = [[at("Gjennomsnitt hittil i år", 190, 62, 50), at("Januar Februar", 270, 62, 90)]]
    furniture = [[at(SOURCE, 30, 10)], [at(TITLE, 30, 25), at(DATE, 600, 25)]]
    row = [at("I alt", 30, 80), at("5", 235, 80, 5), at("7", 355, 80, 5)]
    with pytest.raises(ExtractError, match="expected a figure under each of the headers 'Januar / Februar', found 1"):
        parse_page([Line(tuple(c)) for c in [*furniture, *header, row]], 2, "f.pdf")


def test_an_unknown_header_is_an_error() -> None:
    lines = text_lines(SOURCE, f"{TITLE} {DATE}", "Gjennom snitt hittil Januar", "I alt 5 7")
    with pytest.raises(ExtractError, match=r"expected column headers .* found 'Gjennom snitt hittil'"):
        parse_page(lines, 2, "f.txt")


def test_thin_and_narrow_spaces_separate_thousands() -> None:
    lines = text_lines(SOURCE, f"{TITLE} {DATE}", "Gjennomsnitt hittil i år Januar", "I alt 1\u2009234 1\u202f234")
    page = parse_page(lines, 2, "f.txt")
    assert [f.text for f in page.rows[0].figures] == ["1\u2009234", "1\u202f234"]


def test_a_sheet_without_a_title_row_takes_the_title_it_is_given() -> None:
    lines = text_lines(SOURCE, DATE, "Gjennomsnitt hittil i år Januar", "I alt 5 7")
    page = parse_page(lines, 2, "f.xlsx", sheet="Arbeidsmarkedsstatus og tiltaks", untitled="A whole title")
    assert page.title == "A whole title" and page.rows[0].table_title == "A whole title"


def _age_blocks() -> list[Line]:
    """A TILT030 sheet: two age blocks, each named by a heading line above its column headers."""
    rows: list[list[object]] = [
        ["4a. Arbeidssøkere på tiltak Tiltak og alder", None, "Rapport oppdatert: 03.01.2023"],
        ["Januar 2022 - Januar 2022"],
        [],
        ["19 år og under Arbeidssøkere på tiltak"],
        [None, "Gjennomsnitt hittil i år", "Januar"],
        ["I alt Arbeidssøkere på tiltak", 40, 40],
        [],
        ["20-24 år Arbeidssøkere på tiltak"],
        [None, "Gjennomsnitt hittil i år", "Januar"],
        ["I alt Arbeidssøkere på tiltak", 50, 50],
    ]
    return sheet_lines(rows)


def test_a_heading_above_a_blocks_headers_names_its_rows_where_the_report_heads_its_blocks() -> None:
    page = parse_page(_age_blocks(), 1, "t.xlsx", "4a", headings=True)
    assert [(row.heading, row.label_lines, [f.text for f in row.figures]) for row in page.rows] == [
        ("19 år og under Arbeidssøkere på tiltak", ("I alt Arbeidssøkere på tiltak",), ["40", "40"]),
        ("20-24 år Arbeidssøkere på tiltak", ("I alt Arbeidssøkere på tiltak",), ["50", "50"]),
    ]


def test_a_line_above_a_blocks_headers_is_refused_where_the_report_heads_no_blocks() -> None:
    """TILT100 and its siblings: a label line with no figures before the next block's headers is a broken row."""
    with pytest.raises(ExtractError, match="expected figures on the last line of label, found 20-24 år Arbeidssøkere"):
        parse_page(_age_blocks(), 1, "t.xlsx", "4a")
