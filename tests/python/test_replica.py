"""The replica PDF generator, on specs made by hand, read back with pdfplumber."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pdfplumber
import pytest

from tooling.replica.from_text import spec_from_report
from tooling.replica.geometry import FONT, FONT_SIZE, LABEL_WIDTH, MARGIN_LEFT, MARGIN_RIGHT
from tooling.replica.render import render_pdf, wrap_label
from tooling.replica.spec import BlockSpec, ReportSpec, RowSpec, TableSpec, format_figure, suppress

SOURCE = "Kilde: NAV TILT100 Tiltaksdeltakere. Hovedgruppe og demografi. Tidsserie måned"
PERIOD = "Januar 2026 - Mars 2026"
COLUMNS = ("Gjennomsnitt hittil i år", "Januar", "Februar")
MONTHS = (
    "Januar",
    "Februar",
    "Mars",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Desember",
)
FIGURE = re.compile(r"^(?:\d{1,3}(?:\u00a0\d{3})*|\*)$")
FYLKER = (
    "03 Oslo",
    "11 Rogaland",
    "15 Møre og Romsdal",
    "18 Nordland - Nordlánnda",
    "31 Østfold",
    "32 Akershus",
    "33 Buskerud",
    "34 Innlandet",
    "39 Vestfold",
    "40 Telemark",
    "42 Agder",
    "46 Vestland",
    "50 Trøndelag - Trööndelage",
    "56 Finnmark - Finnmárku - Finmarkku",
)


def fylke_table() -> TableSpec:
    """One block of 15 rows: more than a page holds."""
    rows = [RowSpec(("I alt", "Arbeidssøkere", "på tiltak"), (11_301, 11_234, 11_368))]
    rows += [RowSpec(name, (100 + i, 1_234, 2)) for i, name in enumerate(FYLKER)]
    rows[4] = RowSpec(FYLKER[3], (suppress(2), 1_234, 5))
    return TableSpec("Arbeidsmarkedsstatus og fylke", (BlockSpec(tuple(rows)),))


def kommune_table() -> TableSpec:
    rows = (
        RowSpec("I alt", (79_696, 79_001, 80_391)),
        RowSpec("5007 Namsos - Nåavmesjenjaelmie", (232, 230, 234)),
        RowSpec("3414 Nord-Odal", (95, 94, 96)),
    )
    return TableSpec("Tiltaksdeltakere og kommune", (BlockSpec(rows),))


def small_spec(columns: tuple[str, ...] = COLUMNS) -> ReportSpec:
    def widen(table: TableSpec) -> TableSpec:
        blocks = tuple(
            BlockSpec(tuple(RowSpec(r.label, (r.values * 5)[: len(columns)]) for r in b.rows)) for b in table.blocks
        )
        return TableSpec(table.title, blocks)

    return ReportSpec("02.02.2026", PERIOD, columns, (widen(fylke_table()), widen(kommune_table())))


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float


def page_words(page: pdfplumber.page.Page) -> list[Word]:
    words = page.extract_words(keep_blank_chars=True, x_tolerance=4, y_tolerance=2, use_text_flow=False)
    return [Word(w["text"].strip(), w["x0"], w["x1"], w["top"]) for w in words if w["text"].strip()]


def page_lines(page: pdfplumber.page.Page) -> list[str]:
    """The page's lines, top to bottom, words joined by one space."""
    lines: list[list[Word]] = []
    for word in sorted(page_words(page), key=lambda w: (round(w.top, 1), w.x0)):
        if lines and abs(lines[-1][0].top - word.top) <= 2:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [" ".join(w.text for w in sorted(line, key=lambda w: w.x0)) for line in lines]


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("replica") / "small.pdf"
    render_pdf(small_spec(), out)
    return out


@pytest.fixture(scope="module")
def pages(pdf_path: Path) -> list[list[str]]:
    with pdfplumber.open(pdf_path) as pdf:
        return [page_lines(page) for page in pdf.pages]


def test_figures_and_suppression() -> None:
    assert format_figure(79_696) == "79\u00a0696"
    assert format_figure(1_234_567) == "1\u00a0234\u00a0567"
    assert format_figure(999) == "999"
    assert format_figure(None) == "*"
    assert [suppress(v) for v in (0, 1, 2, 3, 4, 1000)] == [0, None, None, None, 4, 1000]


@pytest.mark.parametrize(
    ("label", "lines"),
    [
        ("15 Møre og Romsdal", ("15 Møre og", "Romsdal")),
        ("3414 Nord-Odal", ("3414 Nord-", "Odal")),
        ("3415 Sør-Odal", ("3415 Sør-Odal",)),
        ("5007 Namsos - Nåavmesjenjaelmie", ("5007 Namsos -", "Nåavmesjenjae", "lmie")),
        ("5612 Guovdageaidnu - Kautokeino", ("5612", "Guovdageaidn", "u - Kautokeino")),
        ("I alt Nedsatt arbeidsevne, på tiltak", ("I alt Nedsatt", "arbeidsevne,", "på tiltak")),
        ("1515 Herøy (Møre og Romsdal)", ("1515 Herøy", "(Møre og", "Romsdal)")),
    ],
)
def test_labels_wrap_as_navs(label: str, lines: tuple[str, ...]) -> None:
    assert wrap_label(label, LABEL_WIDTH, FONT, FONT_SIZE) == lines


def test_header_wraps_as_navs_and_keeps_month_names_whole() -> None:
    from tooling.replica.layout import header_lines

    assert header_lines("Gjennomsnitt hittil i år") == ("Gjennom", "snitt hittil", "i år")
    assert all(header_lines(month) == (month,) for month in MONTHS)


def test_every_page_has_the_header_lines(pages: list[list[str]]) -> None:
    assert len(pages) == 1 + 2 + 1  # prose page, fylke over two pages, kommune
    for lines in pages:
        assert lines[0] == SOURCE
        assert lines[1].endswith("Rapport oppdatert: 02.02.2026")
    assert pages[0][1] == "Om statistikken Rapport oppdatert: 02.02.2026"
    for lines, title in zip(pages[1:], ["fylke", "fylke", "kommune"], strict=True):
        assert lines[1].split(" Rapport oppdatert:")[0].endswith(title)
        assert lines[2] == PERIOD
        assert lines[3:6] == ["Gjennom", "snitt hittil", "i år Januar Februar"]


def test_footer_counts_the_pages_of_each_table(pages: list[list[str]]) -> None:
    footers = [lines[-1] for lines in pages[1:]]
    assert footers == [
        "Side 1 av 2 Kilde: NAV Fotnote",
        "Side 2 av 2 Kilde: NAV Fotnote",
        "Side 1 av 1 Kilde: NAV Fotnote",
    ]


def test_block_continues_with_its_total_row_repeated(pages: list[list[str]]) -> None:
    first, second = pages[1], pages[2]
    total = ["I alt", "Arbeidssøkere", "på tiltak 11\u00a0301 11\u00a0234 11\u00a0368"]
    assert first[6:9] == total
    assert second[6:9] == total  # repeated at the top of the continuation page
    rows_first = [line for line in first if FIGURE.match(line.split(" ")[-1])]
    rows_second = [line for line in second if FIGURE.match(line.split(" ")[-1])]
    assert 10 <= len(rows_first) <= 12  # about 12 rows a page (wrapped labels take more room)
    assert len(rows_first) + len(rows_second) == 1 + len(FYLKER) + 1
    assert "18 Nordland -" in first and "Nordlánnda * 1\u00a0234 5" in first  # suppressed value


def test_long_kommune_name_breaks_mid_word(pages: list[list[str]]) -> None:
    kommune = pages[3]
    at = kommune.index("5007 Namsos -")
    assert kommune[at : at + 3] == ["5007 Namsos -", "Nåavmesjenjae", "lmie 232 230 234"]
    assert "3414 Nord-" in kommune


def test_figures_carry_no_break_spaces_as_characters(pdf_path: Path) -> None:
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[3]
        assert "\u00a0" in [char["text"] for char in page.chars]
        assert "79\u00a0696" in [word.text for word in page_words(page)]


def figure_columns(page: pdfplumber.page.Page, count: int) -> tuple[list[Word], list[list[Word]]]:
    """The label words and the figure words of each column (by order within a row)."""
    words = page_words(page)
    label_x1 = MARGIN_LEFT + LABEL_WIDTH
    labels = [w for w in words if w.x1 <= label_x1 + 0.01 and w.top > 80 and not w.text.startswith("Side")]
    figures = sorted((w for w in words if FIGURE.match(w.text) and w.x0 > label_x1), key=lambda w: (w.top, w.x0))
    rows: dict[float, list[Word]] = {}
    for word in figures:
        rows.setdefault(round(word.top, 1), []).append(word)
    assert all(len(row) == count for row in rows.values())
    return labels, [[row[i] for row in rows.values()] for i in range(count)]


def test_figures_are_right_aligned_with_clear_gaps(pdf_path: Path) -> None:
    with pdfplumber.open(pdf_path) as pdf:
        labels, columns = figure_columns(pdf.pages[1], len(COLUMNS))
    for column in columns:
        assert max(w.x1 for w in column) - min(w.x1 for w in column) < 0.5
    assert min(w.x0 for w in columns[0]) - max(w.x1 for w in labels) >= 15
    for left, right in pairwise(columns):
        assert min(w.x0 for w in right) - max(w.x1 for w in left) >= 10


def test_thirteen_columns_fit_the_page(tmp_path: Path) -> None:
    columns = ("Gjennomsnitt hittil i år", *MONTHS)
    spec = small_spec(columns)
    out = tmp_path / "wide.pdf"
    render_pdf(spec, out)
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[1]
        assert max(char["x1"] for char in page.chars) <= page.width - MARGIN_RIGHT + 0.01
        assert page_lines(page)[5] == "i år " + " ".join(MONTHS)
        _, figures = figure_columns(page, len(columns))
    for left, right in pairwise(figures):
        assert min(w.x0 for w in right) - max(w.x1 for w in left) >= 10


def test_too_many_columns_is_an_error(tmp_path: Path) -> None:
    spec = small_spec(tuple(f"M{i}" for i in range(15)))
    with pytest.raises(ValueError, match="past the right margin"):
        render_pdf(spec, tmp_path / "too_wide.pdf")


def test_output_is_byte_identical(tmp_path: Path, pdf_path: Path) -> None:
    again = tmp_path / "again.pdf"
    render_pdf(small_spec(), again)
    assert again.read_bytes() == pdf_path.read_bytes()


# spec_from_report reads only attributes; these stand in for extract.model.


@dataclass(frozen=True)
class FakeColumn:
    order: int
    header: str


@dataclass(frozen=True)
class FakeFigure:
    column: FakeColumn
    text: str


@dataclass(frozen=True)
class FakeRow:
    page_number: int
    label_lines: tuple[str, ...]
    figures: tuple[FakeFigure, ...]


@dataclass(frozen=True)
class FakePage:
    number: int
    title: str | None
    rows: tuple[FakeRow, ...]


@dataclass(frozen=True)
class FakeReport:
    file_name: str
    source_title: str
    updated: str
    period: str
    pages: tuple[FakePage, ...]


def test_spec_from_report_joins_pages_splits_blocks_drops_repeats() -> None:
    cols = (FakeColumn(1, "Gjennom snitt hittil i år"), FakeColumn(2, "Januar"))

    def row(page: int, *lines: str, figures: tuple[str, str]) -> FakeRow:
        return FakeRow(page, lines, tuple(FakeFigure(c, t) for c, t in zip(cols, figures, strict=True)))

    total_a = ("I alt", "Arbeidssøkere", "på tiltak")
    total_b = ("I alt Andre på", "tiltak")
    title = "Arbeidsmarkedsstatus og kjønn"
    report = FakeReport(
        "x.txt",
        "TILT100 Tiltaksdeltakere. Hovedgruppe og demografi. Tidsserie måned",
        "02.02.2026",
        "Januar 2026 - Januar 2026",
        (
            FakePage(1, "Om statistikken", ()),
            FakePage(
                2,
                title,
                (
                    row(2, *total_a, figures=("11\u00a0301", "11\u00a0301")),
                    row(2, "Kvinner", figures=("5\u00a0872", "5\u00a0872")),
                ),
            ),
            FakePage(
                3,
                title,
                (
                    row(3, *total_a, figures=("11\u00a0301", "11\u00a0301")),
                    row(3, "Menn", figures=("5\u00a0429", "5\u00a0429")),
                    row(3, *total_b, figures=("3\u00a0744", "3\u00a0744")),
                    row(3, "Ukjent", figures=("*", "*")),
                ),
            ),
            FakePage(4, "Tiltaksdeltakere og kommune", (row(4, "I alt", figures=("79\u00a0696", "79\u00a0696")),)),
        ),
    )
    spec = spec_from_report(report)  # type: ignore[arg-type]
    assert spec.columns == ("Gjennomsnitt hittil i år", "Januar")
    assert (spec.updated, spec.period, spec.prose) == ("02.02.2026", "Januar 2026 - Januar 2026", ())
    assert [t.title for t in spec.tables] == [title, "Tiltaksdeltakere og kommune"]
    kjonn = spec.tables[0]
    assert [[r.label for r in b.rows] for b in kjonn.blocks] == [
        [total_a, ("Kvinner",), ("Menn",)],
        [total_b, ("Ukjent",)],
    ]
    assert kjonn.blocks[0].rows[0].values == (11_301, 11_301)
    assert kjonn.blocks[1].rows[1].values == (None, None)
