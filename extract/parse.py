"""The row parser: printed lines of one page in, printed rows out.

One parser serves both sources. A source adapter (``pdf.py``, ``text.py``)
turns a page into ``Line``s of ``Cell``s; this module recognises the page
furniture (source line, title, period, column headers, footer), gathers
wrapped label lines and puts every figure under the column it stands in.

Figures are assigned to columns by position: in a PDF, a figure belongs to
the column whose header it sits under (their x-ranges overlap). The text
export has no geometry, so there a figure's position is its place among the
row's trailing figures, counted from the right; a row whose end can be read
as figures in more than one way (plain-space thousands separators, a label
ending in digits) is refused, never guessed. Text is never cleaned here:
labels, headers and figures are kept as printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from extract.errors import ExtractError
from extract.model import Column, Figure, Page, Row

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
# Words that make up the column headers ("Gjennomsnitt hittil i år" wraps as
# "Gjennom" / "snitt hittil" / "i år").
HEADER_WORDS = frozenset({"gjennomsnitt", "gjennom", "snitt", "hittil", "i", "år", *(m.lower() for m in MONTHS)})
SOURCE_PREFIX = "Kilde: NAV "
# Groups of three digits joined by a no-break space (U+00A0), a narrow no-break
# space (U+202F) or, in a PDF whose cells are split by gaps, a plain space.
# A spreadsheet cell holds the digits alone.
FIGURE_RE = re.compile(r"^(?:\d{1,3}(?:[\u00a0\u202f ]\d{3})*|\d+|\*)$")
TITLE_RE = re.compile(r"^(?P<title>.*?)\s*Rapport oppdatert:\s*(?P<updated>\S+)$")
_MONTH = "|".join(MONTHS)
PERIOD_RE = re.compile(rf"^(?:{_MONTH}) \d{{4}} - (?:{_MONTH}) \d{{4}}$")
FOOTER_RE = re.compile(r"^(?P<side>Side \d+ av \d+)")
FOOTER_REST = frozenset({"Kilde: NAV", "Fotnote", "Kilde: NAV Fotnote"})


@dataclass(frozen=True)
class Cell:
    """A run of printed text: a word or words with no wide gap between them."""

    text: str
    x0: float | None = None
    x1: float | None = None
    top: float | None = None
    ref: str | None = None  # a spreadsheet cell's reference, e.g. "C12"


@dataclass(frozen=True)
class Line:
    cells: tuple[Cell, ...]  # left to right
    number: int | None = None  # line number in a text export

    @property
    def text(self) -> str:
        return " ".join(cell.text for cell in self.cells).strip()


@dataclass(frozen=True)
class _Layout:
    """The figure columns of the block being read, and where they stand."""

    columns: tuple[Column, ...]
    spans: tuple[tuple[float, float], ...] | None  # x-ranges; None: no geometry

    @property
    def label_right(self) -> float:
        assert self.spans is not None
        return min(x0 for x0, _ in self.spans)


def is_figure(text: str) -> bool:
    return FIGURE_RE.match(text) is not None


def is_header_line(line: Line) -> bool:
    words = line.text.split()
    return bool(words) and all(word.lower() in HEADER_WORDS for word in words)


def _layout(header_cells: Sequence[Cell], file_name: str, page: int | str) -> _Layout:
    """Group the header words into columns, left to right."""
    if all(cell.x0 is not None for cell in header_cells):
        return _layout_by_position(header_cells)
    return _layout_by_words(header_cells, file_name, page)


def _layout_by_position(cells: Sequence[Cell]) -> _Layout:
    """PDF: header words whose x-ranges overlap form one column."""
    groups: list[list[Cell]] = []
    for cell in sorted(cells, key=lambda c: (c.x0, c.top)):
        assert cell.x0 is not None and cell.x1 is not None
        if groups and cell.x0 < max(c.x1 for c in groups[-1] if c.x1 is not None):
            groups[-1].append(cell)
        else:
            groups.append([cell])
    columns = []
    spans = []
    for order, group in enumerate(groups, start=1):
        ordered = sorted(group, key=lambda c: (c.top, c.x0))
        columns.append(Column(order, " ".join(c.text for c in ordered)))
        spans.append((min(c.x0 for c in group), max(c.x1 for c in group)))  # type: ignore[type-var]
    return _Layout(tuple(columns), tuple(spans))  # type: ignore[arg-type]


def _layout_by_words(cells: Sequence[Cell], file_name: str, page: int | str) -> _Layout:
    """Text export: each month name is a column; the other words are the average's."""
    words = [word for cell in cells for word in cell.text.split()]
    average = [w for w in words if w not in MONTHS]
    months = [w for w in words if w in MONTHS]
    if not months:
        raise ExtractError(file_name, page, "a month column header (Januar ... Desember)", " ".join(words))
    headers = ([" ".join(average)] if average else []) + months
    return _Layout(tuple(Column(i, h) for i, h in enumerate(headers, start=1)), None)


def _split_row(line: Line, layout: _Layout, file_name: str, page: int | str) -> tuple[str, tuple[Figure, ...]]:
    """Split a line into its label part and its figures, by position."""
    if layout.spans is None:
        return _split_row_by_order(line, layout, file_name, page)
    label_cells: list[Cell] = []
    figures: dict[int, Figure] = {}
    for cell in line.cells:
        assert cell.x0 is not None and cell.x1 is not None
        if cell.x1 <= layout.label_right:
            label_cells.append(cell)
            continue
        if not is_figure(cell.text):
            found = repr(cell.text) + (f" in cell {cell.ref}" if cell.ref else "")
            raise ExtractError(file_name, page, "a figure (digits or *) in a figure column", found)
        overlaps = [min(cell.x1, x1) - max(cell.x0, x0) for x0, x1 in layout.spans]
        best = max(range(len(overlaps)), key=overlaps.__getitem__)
        if overlaps[best] <= 0:
            raise ExtractError(file_name, page, "a figure under a column header", f"{cell.text!r} at x={cell.x0:.1f}")
        column = layout.columns[best]
        if column.order in figures:
            raise ExtractError(file_name, page, f"one figure under {column.header!r}", f"two: {cell.text!r}")
        figures[column.order] = Figure(column, cell.text, cell.x0, cell.x1, cell.top, cell.ref)
    label = " ".join(c.text for c in label_cells).strip()
    return label, tuple(figures[k] for k in sorted(figures))


def _has_figure_run(tokens: Sequence[str], length: int) -> bool:
    """Whether `length` figures stand side by side somewhere in the tokens."""
    run = 0
    for token in tokens:
        run = run + 1 if is_figure(token) else 0
        if run >= length:
            return True
    return False


Reading = tuple[int, tuple[str, ...]]  # where the label ends (a token index), the figures


def _readings(tokens: Sequence[str], n: int) -> list[Reading]:
    """The ways (at most two) to read the end of `tokens` as `n` figures after a label.

    A figure may be several tokens: the text export splits at plain spaces, and
    a plain space can be a thousands separator ("1 583"). So can a label end in
    digits ("Gruppe 2", a kommune number). One reading is unambiguous; two mean
    the row cannot be read without guessing.
    """

    @cache
    def ending_at(end: int, count: int) -> tuple[Reading, ...]:
        if count == 0:
            return ((end, ()),)
        found: list[Reading] = []
        for start in range(end - 1, -1, -1):
            figure = " ".join(tokens[start:end])
            if not is_figure(figure):
                break  # a longer run of tokens is no figure either
            found += [(label_end, (*figures, figure)) for label_end, figures in ending_at(start, count - 1)]
            if len(found) >= 2:
                break
        return tuple(found[:2])

    return list(ending_at(len(tokens), n))


def _split_row_by_order(line: Line, layout: _Layout, file_name: str, page: int) -> tuple[str, tuple[Figure, ...]]:
    """Text export: the row's last figures stand in the columns, right-anchored."""
    tokens = [t for cell in line.cells for t in cell.text.split(" ") if t]
    n = len(layout.columns)
    trailing = 0
    while trailing < len(tokens) and is_figure(tokens[len(tokens) - 1 - trailing]):
        trailing += 1
    if trailing < n:  # a label line: figures stand only on a label's last line
        tail = tokens[len(tokens) - n :]
        if len(tokens) > n and all(is_figure(t) or any(c.isdigit() for c in t) for t in tail):
            bad = next(t for t in tail if not is_figure(t))  # "12a", "1.234" where a figure stands
            expected = "a figure (digits or *) in a figure column"
            raise ExtractError(file_name, page, expected, f"{bad!r} in {line.text!r}")
        if _has_figure_run(tokens, 2):
            raise ExtractError(file_name, page, f"{n} figures at the end of the row", repr(line.text))
        return " ".join(tokens), ()
    readings = _readings(tokens, n)
    if len(readings) > 1:
        where = f"line {line.number}: " if line.number is not None else ""
        options = " or ".join(f"{' '.join(tokens[:end])!r} + {list(figures)!r}" for end, figures in readings)
        raise ExtractError(
            file_name, page, f"{n} figures at the end of the row, read one way only", f"{where}{line.text!r}: {options}"
        )
    (label_end, texts) = readings[0]
    label = " ".join(tokens[:label_end])
    figures = tuple(Figure(col, text) for col, text in zip(layout.columns, texts, strict=True))
    return label, figures


def parse_page(lines: Iterable[Line], number: int, file_name: str, sheet: str | None = None) -> tuple[str | None, Page]:
    """Read one page (or sheet). Returns the source line (after "Kilde: NAV ") and the page."""
    place: int | str = f"sheet {sheet!r}" if sheet is not None else number
    source = title = updated = period = footer = None
    header_cells: list[Cell] = []
    layout: _Layout | None = None
    label_lines: list[str] = []
    rows: list[Row] = []
    prose_figures: str | None = None
    for line in lines:
        text = line.text
        if not text:
            continue
        if text.startswith(SOURCE_PREFIX) and text not in FOOTER_REST:
            source = source or text[len(SOURCE_PREFIX) :].strip()
            continue
        if (m := TITLE_RE.match(text)) is not None:
            title, updated = m["title"], m["updated"]
            continue
        if PERIOD_RE.match(text):
            period = text
            continue
        if (m := FOOTER_RE.match(text)) is not None:
            footer = m["side"]
            continue
        if text in FOOTER_REST:
            continue
        if is_header_line(line):
            if label_lines:
                raise ExtractError(file_name, place, "figures on the last line of label", " / ".join(label_lines))
            header_cells.extend(line.cells)
            layout = None
            continue
        if header_cells and layout is None:
            layout = _layout(header_cells, file_name, place)
            header_cells = []
        if layout is None:  # prose (the "Om statistikken" page)
            tokens = text.split()
            if len(tokens) >= 2 and all(is_figure(t) for t in tokens[-2:]):
                prose_figures = prose_figures or text
            continue
        label, figures = _split_row(line, layout, file_name, place)
        if label:
            label_lines.append(label)
        if not figures:
            continue
        if len(figures) != len(layout.columns):
            raise ExtractError(
                file_name, place, f"{len(layout.columns)} figures, one per column", f"{len(figures)} in {text!r}"
            )
        if not label_lines:
            raise ExtractError(file_name, place, "a row label before its figures", repr(text))
        rows.append(Row(number, title or "", tuple(label_lines), figures, line.number, sheet))
        label_lines = []
    if label_lines:
        raise ExtractError(file_name, place, "figures after the row label", " / ".join(label_lines))
    if header_cells:
        raise ExtractError(file_name, place, "rows under the column headers", "none")
    if prose_figures is not None:
        raise ExtractError(file_name, place, "column headers above rows of figures", repr(prose_figures))
    if rows and title is None:
        raise ExtractError(file_name, place, "a table title with 'Rapport oppdatert: DD.MM.YYYY'", "none")
    return source, Page(number, title, updated, period, footer, tuple(rows), sheet)
