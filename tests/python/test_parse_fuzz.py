"""Property-based tests of the row parser (hypothesis): random TILT100 pages, both sources.

Generated: a table of one to three blocks, each an "I alt <status>" total row and
up to six leaf rows. Labels wrap over 1-3 lines (some start with a kommune or
fylke number, a few end in a number); figures 0..2 000 000 or `*` in any column,
thousands separated by U+00A0, U+202F or a plain space; column headers are the
year-to-date average ("Gjennomsnitt hittil i år", wrapped at random) and 1..12
months. The table is cut into pages, also inside a block (the continuation page
repeats the column headers and the block's total row); every page has the source
line, the title with "Rapport oppdatert: DD.MM.YYYY", the period (above the table
or below it) and maybe a "Side X av Y" footer; headers may repeat above a block.

Each page is read through both adapters' kind of input:

- the text export: written to a file and read by ``extract.sources.text_pages``
  (cells split at plain spaces), with random blank lines and extra spaces;
- the PDF: ``Line``s of ``Cell``s with x-ranges as ``extract.sources.pdf`` produces them
  (a label line is one cell at the left, a figure one cell right-aligned under its
  column, header words are cells over their column); and, for a few examples, a
  real PDF rendered by the replica generator and read by ``extract.sources.pdf_pages``.

Property: ``parse_page`` returns exactly the generated rows (label lines as
printed, each figure's text as printed under its column, in order, none missing
or extra) or raises ``ExtractError`` naming the file and page; never a wrong
figure. Where it must do which is pinned down: PDF pages always parse exactly.
In the text export a plain-space thousands separator makes a row readable more
than one way ("Oslo 1 583 1 583"), so such a page must be refused, naming the
line; a page whose figures have no plain space and whose labels do not end in a
number must parse exactly; a label ending in a number may go either way.

Hypothesis runs derandomized (a fixed seed, the same examples on every run and
in CI) with no example database, no deadline, 200 examples per property (15 for
the rendered PDFs). Labels, wraps, columns and page breaks are hypothesis draws;
the figures (hundreds a table) come from a hypothesis-seeded ``random.Random``,
which keeps the suite fast.
"""

from __future__ import annotations

import itertools
import random
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from extract.errors import ExtractError
from extract.model import Cell, Line, Page
from extract.parse import is_figure, is_header_word, parse_page
from extract.read import source_title_of
from extract.reports import MONTHS
from extract.sources import normalise, pdf_pages, text_pages
from tooling.replica.layout import layout_table
from tooling.replica.render import render_pdf
from tooling.replica.spec import SOURCE_TITLE, BlockSpec, ReportSpec, RowSpec, TableSpec

SOURCE = f"Kilde: NAV {SOURCE_TITLE}"
NBSP, NNBSP = "\u00a0", "\u202f"
TITLES = (
    "Arbeidsmarkedsstatus og tiltaksgruppe",
    "Arbeidsmarkedsstatus og fylke",
    "Arbeidsmarkedsstatus og alder",
    "Tiltaksdeltakere og kommune",
)
STATUSES = (("Arbeidssøkere", "på", "tiltak"), ("Nedsatt", "arbeidsevne,", "på", "tiltak"), ("Andre", "på", "tiltak"))
WORDS = (
    "Arbeidspraksis",
    "Lønnstilskudd",
    "Jobbskaping",
    "og",
    "egenetablering",
    "Møre",
    "Romsdal",
    "Nord-",
    "Odal",
    "Gáivuotna",
    "-",
    "Kåfjord",
    "Nåavmesjenjae",
    "lmie",
    "Svalbard",
    "øvrige",
    "områder",
    "år",
    "under",
    "over",
    "20-24",
    "Ikke",
    "innvandrer",
    "Ukjent",
)
CODES = ("0301", "1103", "5540", "03", "15", "97", "19", "60")  # a label's first word
ENDINGS = ("2", "12", "2024", "100")  # a label's last word, now and then
# Each table's thousands separators are drawn from one of these.
PALETTES = ((NBSP,), (NNBSP,), (NBSP, NNBSP), (NBSP, NNBSP, " "), (" ",))
LABEL_CHARS = 30  # the narrow label column
LONGEST_WORD = max(len(word) for word in (*WORDS, *(w for status in STATUSES for w in status)))

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@dataclass(frozen=True)
class GenRow:
    label: tuple[str, ...]  # label lines as printed
    figures: tuple[str, ...]  # one per column, as printed


@dataclass(frozen=True)
class GenPage:
    items: tuple[GenRow | None, ...]  # None: the column headers
    period_first: bool  # the period line above the table, else below it
    footer: str | None  # "Side X av Y"

    @property
    def rows(self) -> tuple[GenRow, ...]:
        return tuple(item for item in self.items if item is not None)


@dataclass(frozen=True)
class GenTable:
    title: str
    updated: str  # DD.MM.YYYY
    year: int
    months: int  # month columns: Januar .. MONTHS[months - 1]
    average: tuple[str, ...]  # lines of the "Gjennomsnitt hittil i år" header
    blocks: tuple[tuple[GenRow, ...], ...]  # rows[0]: the block's total row
    pages: tuple[GenPage, ...]

    @property
    def headers(self) -> tuple[str, ...]:
        return (" ".join(self.average), *MONTHS[: self.months])

    @property
    def period(self) -> str:
        return f"Januar {self.year} - {MONTHS[self.months - 1]} {self.year}"


# ---------------------------------------------------------------- strategies


EDGES = (0, 9, 10, 999, 1_000, 1_001, 99_999, 100_000, 999_999, 1_000_000, 2_000_000)


def _printed(rnd: random.Random, separators: tuple[str, ...]) -> str:
    """A figure 0..2 000 000 as printed, each thousands separator drawn from `separators`; "*" one time in eight.

    Drawn from a hypothesis-seeded ``Random`` (fast: a table holds hundreds of
    figures): as many of each length (1..7 digits), and now and then an edge case.
    """
    if rnd.random() < 1 / 8:
        return "*"
    if rnd.random() < 1 / 8:
        value = rnd.choice(EDGES)
    else:
        length = rnd.randint(1, 7)
        value = rnd.randint(0 if length == 1 else 10 ** (length - 1), min(10**length - 1, 2_000_000))
    digits = str(value)
    head = len(digits) % 3 or 3
    text = digits[:head]
    for start in range(head, len(digits), 3):
        text += rnd.choice(separators) + digits[start : start + 3]
    return text


def _wrap(units: list[str], draw: st.DrawFn) -> tuple[str, ...]:
    """Cut `units` into 1-3 non-empty lines at random places."""
    lines = draw(st.integers(1, min(3, len(units))))
    if lines == 1:
        return (" ".join(units),)
    cuts = sorted(draw(st.sets(st.integers(1, len(units) - 1), min_size=lines - 1, max_size=lines - 1)))
    bounds = [0, *cuts, len(units)]
    return tuple(" ".join(units[a:b]) for a, b in itertools.pairwise(bounds))


def _fill(units: list[str], width: int) -> tuple[str, ...]:
    """Wrap words greedily into lines of at most `width` characters, keeping three (as NAV clips)."""
    lines: list[str] = []
    for unit in units:
        if lines and len(lines[-1]) + 1 + len(unit) <= width:
            lines[-1] += " " + unit
        else:
            lines.append(unit)
    return tuple(lines[:3])


def _no_header_line(label: tuple[str, ...]) -> bool:
    """No line is all header words: "år" alone on a line would be read as a column header."""
    return not any(all(is_header_word(word) for word in line.split()) for line in label)


@st.composite
def _leaf_labels(draw: st.DrawFn, chars: int) -> tuple[str, ...]:
    units = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=5))
    if draw(st.booleans()):
        units.insert(0, draw(st.sampled_from(CODES)))
    if draw(st.integers(0, 5)) == 0:
        units.append(draw(st.sampled_from(ENDINGS)))
    return _fill(units, draw(st.integers(LONGEST_WORD, chars)))


@st.composite
def total_labels(draw: st.DrawFn, chars: int) -> tuple[str, ...]:
    return _fill(["I alt", *draw(st.sampled_from(STATUSES))], draw(st.integers(LONGEST_WORD, chars)))


def leaf_labels(chars: int) -> st.SearchStrategy[tuple[str, ...]]:
    return _leaf_labels(chars).filter(_no_header_line)


@st.composite
def average_headers(draw: st.DrawFn) -> tuple[str, ...]:
    # NAV breaks "Gjennom" / "snitt"; another layout may break the word anywhere, or not at all
    cut = draw(st.integers(0, len("Gjennomsnitt") - 1))
    first = ["Gjennomsnitt"[:cut], "Gjennomsnitt"[cut:]] if cut else ["Gjennomsnitt"]
    return _wrap([*first, "hittil", "i", "år"], draw)


@st.composite
def tables(draw: st.DrawFn, label_chars: int = LABEL_CHARS) -> GenTable:
    months = draw(st.integers(1, 12))
    palette = draw(st.sampled_from(PALETTES))
    rnd = draw(st.randoms(use_true_random=True))  # the figures: one draw, fast
    columns = months + 1

    def row(label: tuple[str, ...]) -> GenRow:
        return GenRow(label, tuple(_printed(rnd, palette) for _ in range(columns)))

    blocks = tuple(
        (row(draw(total_labels(label_chars))), *map(row, draw(st.lists(leaf_labels(label_chars), max_size=6))))
        for _ in range(draw(st.integers(1, 3)))
    )
    flat = [(b, r) for b, block in enumerate(blocks) for r in range(len(block))]
    breaks = sorted(draw(st.sets(st.integers(1, len(flat) - 1), max_size=3))) if len(flat) > 1 else []
    chunks = [flat[a:b] for a, b in zip([0, *breaks], [*breaks, len(flat)], strict=True)]
    with_footers = draw(st.booleans())
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        items: list[GenRow | None] = [None]
        first_block, first_row = chunk[0]
        if first_row > 0:  # a continuation page repeats the block's total row
            items.append(blocks[first_block][0])
        for i, (b, r) in enumerate(chunk):
            if r == 0 and i > 0 and draw(st.booleans()):
                items.append(None)  # the headers again above the next block
            items.append(blocks[b][r])
        footer = f"Side {number} av {len(chunks)}" if with_footers else None
        pages.append(GenPage(tuple(items), draw(st.booleans()), footer))
    day, month = draw(st.integers(1, 28)), draw(st.integers(1, 12))
    year = draw(st.integers(2020, 2030))
    return GenTable(
        draw(st.sampled_from(TITLES)),
        f"{day:02d}.{month:02d}.{year}",
        year,
        months,
        draw(average_headers()),
        blocks,
        tuple(pages),
    )


# ---------------------------------------------------------------- checks


def expected_rows(table: GenTable, page: GenPage) -> list[tuple[tuple[str, ...], tuple[tuple[int, str, str], ...]]]:
    return [
        (
            row.label,
            tuple(
                (order, header, text)
                for order, (header, text) in enumerate(zip(table.headers, row.figures, strict=True), start=1)
            ),
        )
        for row in page.rows
    ]


def parsed_rows(page: Page) -> list[tuple[tuple[str, ...], tuple[tuple[int, str, str], ...]]]:
    return [
        (row.label_lines, tuple((f.column.order, f.column.header, f.text) for f in row.figures)) for row in page.rows
    ]


def check_furniture(table: GenTable, spec: GenPage, source: str | None, page: Page) -> None:
    assert source == SOURCE_TITLE
    assert (page.title, page.updated, page.period, page.footer) == (
        table.title,
        table.updated,
        table.period,
        spec.footer,
    )


# ---------------------------------------------------------------- the text export


def text_document(table: GenTable, rnd: random.Random) -> tuple[str, list[list[int]]]:
    """The export's text, and for each page the line numbers of its rows' figures."""
    lines: list[str] = []
    figure_lines: list[list[int]] = []

    def put(text: str) -> None:
        lines.append(text)
        if rnd.random() < 0.3:
            lines.append(rnd.choice(("", " ")))

    def gap() -> str:
        return rnd.choice((" ", " ", "  "))

    for spec in table.pages:
        numbers: list[int] = []
        lines.append(rnd.choice(("", " ")) + SOURCE)  # a page starts here, as in NAV's export
        put(f"{table.title} Rapport oppdatert: {table.updated}")
        period = table.period + rnd.choice(("", "  "))
        if spec.period_first:
            put(period)
        for item in spec.items:
            if item is None:
                *above, last = table.average
                for text in above:
                    put(text)
                put(last + gap() + gap().join(MONTHS[: table.months]))
                continue
            *above, last = item.label
            for text in above:
                put(text)
            lines.append(last + gap() + gap().join(item.figures))
            numbers.append(len(lines))
            put("")
        if not spec.period_first:
            put(period)
        if spec.footer is not None:
            put(spec.footer + rnd.choice(("", "Kilde: NAV Fotnote")))
        figure_lines.append(numbers)
    return "\n".join(lines) + "\n", figure_lines


def _ends_in_number(row: GenRow) -> bool:
    return is_figure(row.label[-1].split(" ")[-1])


AMBIGUOUS = re.compile(
    r"^fuzz\.txt, page (?P<page>\d+): expected (?P<n>\d+) figures at the end of the row, read one way only, "
    r"found line (?P<line>\d+): '.*': '.*' \+ \[.*\] or '.*' \+ \[.*\]$",
    re.DOTALL,
)


@SETTINGS
@given(table=tables(), rnd=st.randoms(use_true_random=True))
def test_text_export_pages_parse_exactly_or_are_refused(table: GenTable, rnd: random.Random) -> None:
    text, figure_lines = text_document(table, rnd)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.txt"
        path.write_text(text, encoding="utf-8")
        pages = list(text_pages(path))
    assert len(pages) == len(table.pages)
    for number, (lines, spec, numbers) in enumerate(zip(pages, table.pages, figure_lines, strict=True), start=1):
        plain_space = any(" " in figure for row in spec.rows for figure in row.figures)
        clean = not plain_space and not any(_ends_in_number(row) for row in spec.rows)
        try:
            page = parse_page(lines, number, "fuzz.txt")
        except ExtractError as error:
            assert not clean, f"a page that reads one way only was refused: {error}"
            found = AMBIGUOUS.match(str(error))
            assert found is not None, f"unclear refusal: {error}"
            assert (int(found["page"]), int(found["n"])) == (number, len(table.headers))
            assert int(found["line"]) in numbers, f"the refusal names a line without figures: {error}"
            event("text page refused: " + ("a plain-space separator" if plain_space else "a label ending in digits"))
            continue
        assert not plain_space, "a row with a plain-space thousands separator was read by guessing"
        event("text page parsed" + ("" if clean else ", a label ending in digits"))
        check_furniture(table, spec, source_title_of(lines), page)
        assert parsed_rows(page) == expected_rows(table, spec)
        assert [row.source_line for row in page.rows] == numbers


# ---------------------------------------------------------------- the PDF, as cells

CHAR = 5.0  # points per character
LABEL_X0 = 30.0  # label lines start here and end before LABEL_X0 + LABEL_CHARS * CHAR
FIRST_RIGHT = 320.0  # the average column's right edge: its widest header cell still clears the labels
PITCH = 70.0  # between neighbouring columns' right edges: wider than any figure or month name
LEADING = 11.0


def right_edge(column: int) -> float:
    """Right edge of figure column `column` (0-based): figures and headers end here."""
    return FIRST_RIGHT + column * PITCH


def left(text: str, x0: float, top: float) -> Cell:
    return Cell(text, x0, x0 + CHAR * len(text), top)


def right(text: str, x1: float, top: float) -> Cell:
    return Cell(text, x1 - CHAR * len(text), x1, top)


def pdf_lines(table: GenTable, spec: GenPage) -> list[Line]:
    """One page as ``extract.sources.pdf`` reads it: cells with x-ranges, lines top to bottom."""
    cells: list[list[Cell]] = []
    top = 10.0

    def put(line: list[Cell]) -> None:
        nonlocal top
        cells.append(line)
        top += LEADING

    put([left(SOURCE, LABEL_X0, top)])
    put([left(table.title, LABEL_X0, top), left(f"Rapport oppdatert: {table.updated}", 600, top)])
    if spec.period_first:
        put([left(table.period, LABEL_X0, top)])
    for item in spec.items:
        if item is None:
            *above, last = table.average
            for text in above:
                put([right(text, right_edge(0), top)])
            months = [right(m, right_edge(i), top) for i, m in enumerate(MONTHS[: table.months], start=1)]
            put([right(last, right_edge(0), top), *months])
            continue
        *above, last = item.label
        for text in above:
            put([left(text, LABEL_X0, top)])
        put([left(last, LABEL_X0, top), *(right(f, right_edge(i), top) for i, f in enumerate(item.figures))])
    if not spec.period_first:
        put([left(table.period, LABEL_X0, top)])
    if spec.footer is not None:
        put([left(spec.footer, LABEL_X0, 580), left("Kilde: NAV", 120, 580), left("Fotnote", 190, 580)])
    return [Line(tuple(line)) for line in cells]


@SETTINGS
@given(table=tables())
def test_pdf_pages_parse_exactly(table: GenTable) -> None:
    for number, spec in enumerate(table.pages, start=1):
        lines = pdf_lines(table, spec)
        page = parse_page(lines, number, "fuzz.pdf")
        check_furniture(table, spec, source_title_of(lines), page)
        assert parsed_rows(page) == expected_rows(table, spec)
        for row in page.rows:
            assert [f.x1 for f in row.figures] == [right_edge(i) for i in range(len(table.headers))]


# ---------------------------------------------------------------- the PDF, rendered


def _value(text: str) -> int | None:
    return None if text == "*" else int("".join(ch for ch in text if ch.isdigit()))


@settings(SETTINGS, max_examples=15)
@given(table=tables(label_chars=18))
def test_replica_pdf_pages_parse_exactly(table: GenTable) -> None:
    """The replica prints what it is given with U+00A0 separators, and paginates itself."""
    blocks = tuple(
        BlockSpec(tuple(RowSpec(row.label, tuple(_value(f) for f in row.figures)) for row in block))
        for block in table.blocks
    )
    columns = ("Gjennomsnitt hittil i år", *MONTHS[: table.months])
    spec = ReportSpec(table.updated, table.period, columns, (TableSpec(table.title, blocks),))
    try:
        layout = layout_table(spec.tables[0], columns)
    except ValueError:  # the labels leave no room for this many columns on an A4 page
        assume(False)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.pdf"
        render_pdf(spec, path)
        pages = list(pdf_pages(path))
    assert len(pages) == 1 + len(layout.pages)  # the prose page first
    headers = tuple(" ".join(lines) for lines in layout.headers)
    for number, (lines, placed) in enumerate(zip(pages[1:], layout.pages, strict=True), start=2):
        page = parse_page(lines, number, "fuzz.pdf")
        assert (source_title_of(lines), page.title, page.updated, page.period) == (
            SOURCE_TITLE,
            table.title,
            table.updated,
            table.period,
        )
        read_as = normalise  # as either text layer reads a PDF: a no-break space is a space
        assert parsed_rows(page) == [
            (
                p.row.lines,
                tuple((i, h, read_as(f)) for i, (h, f) in enumerate(zip(headers, p.row.figures, strict=True), 1)),
            )
            for p in placed.rows
        ]


# ---------------------------------------------------------------- the properties' edge, by example


def _text_page(*rows: str) -> list[Line]:
    texts = (
        SOURCE,
        "Tiltaksdeltakere og kommune Rapport oppdatert: 02.02.2026",
        "Gjennomsnitt hittil i år Januar",
        *rows,
    )
    return [Line(tuple(Cell(w) for w in t.split(" ") if w), n) for n, t in enumerate(texts, start=1)]


def test_text_plain_space_separators_are_refused_naming_the_line() -> None:
    lines = _text_page(f"0301 Oslo 9{NBSP}109 9{NBSP}109", "1103 Stavanger 1 583 1 583")
    with pytest.raises(ExtractError) as caught:
        parse_page(lines, 7, "f.txt")
    assert str(caught.value) == (
        "f.txt, page 7: expected 2 figures at the end of the row, read one way only, found line 5: "
        "'1103 Stavanger 1 583 1 583': '1103 Stavanger 1 583' + ['1', '583'] or '1103 Stavanger 1' + ['583', '1 583']"
    )


def test_text_label_ending_in_digits_reads_when_only_one_way_fits() -> None:
    page = parse_page(_text_page(f"Gruppe 2 1{NBSP}583 1{NBSP}583", f"5540 40 4{NNBSP}000"), 1, "f.txt")
    assert [(r.label_lines, [f.text for f in r.figures]) for r in page.rows] == [
        (("Gruppe 2",), [f"1{NBSP}583", f"1{NBSP}583"]),
        (("5540",), ["40", f"4{NNBSP}000"]),
    ]
    with pytest.raises(ExtractError, match="read one way only, found line 4: 'Gruppe 2 345 678'"):
        parse_page(_text_page("Gruppe 2 345 678"), 1, "f.txt")  # "Gruppe 2" + 345, 678 or "Gruppe" + "2 345", 678
