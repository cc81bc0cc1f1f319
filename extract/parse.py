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

import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache

from extract.errors import ExtractError
from extract.model import Cell, Column, Figure, Line, Page, Row
from extract.reports import AVERAGE, FOOTER_REST, MONTHS, SIDE_RE, SOURCE_PREFIX, THOUSANDS_SEPARATORS, UPDATED

# Every column header, white space removed: a header may wrap anywhere, inside
# a word too ("Gjennom" / "snitt hittil" / "i år"), so its words are joined
# without regard to where it wrapped.
HEADER_KEYS = (AVERAGE.replace(" ", "").lower(), *(m.lower() for m in MONTHS))
FIGURE_RE = re.compile(rf"^(?:\d{{1,3}}(?:[{THOUSANDS_SEPARATORS}]\d{{3}})*|\d+|\*)$")
# The report date, with the table title beside it (either side), or alone on its
# line (the title then stands on the line above or below it).
TITLE_RE = re.compile(rf"^(?P<before>.*?)\s*{UPDATED}:\s*(?P<updated>\S+)\s*(?P<after>.*)$")
_MONTH = "|".join(MONTHS)
PERIOD_RE = re.compile(rf"^(?:{_MONTH}) \d{{4}} - (?:{_MONTH}) \d{{4}}$")
FOOTER_RE = re.compile(rf"^(?P<side>{SIDE_RE.pattern.strip('^$')})")  # "Side X av Y", then the rest of the line


@dataclass(frozen=True)
class _Run:
    """Header words standing over one another (their x-ranges overlap): one or more column headers."""

    printed: tuple[str, ...]  # the headers it holds, as printed (white space as printed)
    x0: float
    x1: float


@dataclass(frozen=True)
class _Layout:
    """The figure columns of the block being read, and where they stand."""

    columns: tuple[Column, ...]
    spans: tuple[tuple[float, float], ...] | None  # x-ranges; None: no geometry
    runs: tuple[_Run, ...] = ()  # header runs over more than one column, split by the first row's figures

    @property
    def label_right(self) -> float:
        assert self.spans is not None
        return min(x0 for x0, _ in self.spans)


def is_figure(text: str) -> bool:
    return FIGURE_RE.match(text) is not None


def header_key(text: str) -> str:
    """A header with its white space removed, in lower case: what stays the same wherever it wrapped."""
    return "".join(text.split()).lower()


def is_header_word(word: str) -> bool:
    """A word that is all or part of a column header ("Gjennoms", "nitt", "i", "år", a month's name)."""
    key = word.lower()
    return any(key in name for name in HEADER_KEYS)


def is_header_line(line: Line) -> bool:
    words = line.text.split()
    return bool(words) and all(is_header_word(word) for word in words)


def split_headers(printed: str) -> tuple[str, ...] | None:
    """The whole column headers in a run of header text, as printed; None if it is not made of them.

    "Gjennom snitt hittil i år Januar Februar" holds three headers: the run is
    read left to right, white space aside, as a sequence of HEADER_KEYS.
    """
    key = header_key(printed)
    lengths: list[int] = []
    at = 0
    while at < len(key):
        name = next((name for name in HEADER_KEYS if key.startswith(name, at)), None)
        if name is None:
            return None
        lengths.append(len(name))
        at += len(name)
    headers: list[str] = []
    rest = printed.strip()
    for length in lengths:  # cut the printed text after `length` characters that are not white space
        seen = cut = 0
        while seen < length:
            seen += not rest[cut].isspace()
            cut += 1
        headers.append(" ".join(rest[:cut].split()))
        rest = rest[cut:].strip()
    return tuple(headers)


def _layout(header_cells: Sequence[Cell], file_name: str, page: int | str) -> _Layout:
    """Group the header words into columns, left to right."""
    if all(cell.x0 is not None for cell in header_cells):
        return _layout_by_position(header_cells, file_name, page)
    return _layout_by_words(header_cells, file_name, page)


def _unknown_header(file_name: str, page: int | str, printed: str) -> ExtractError:
    expected = f"column headers ({AVERAGE!r} or a month, wrapped anywhere)"
    return ExtractError(file_name, page, expected, repr(printed))


def _layout_by_position(cells: Sequence[Cell], file_name: str, page: int | str) -> _Layout:
    """PDF and workbook: header words whose x-ranges overlap form a run, read top to bottom.

    A run is usually one column's header; a run that holds several (headers
    as wide as their columns, a space apart) waits for the figures beneath it
    (`_split_runs`).
    """
    groups: list[list[Cell]] = []
    for cell in sorted(cells, key=lambda c: (c.x0, c.top)):
        assert cell.x0 is not None and cell.x1 is not None
        if groups and cell.x0 < max(c.x1 for c in groups[-1] if c.x1 is not None):
            groups[-1].append(cell)
        else:
            groups.append([cell])
    runs = []
    for group in groups:
        printed = " ".join(c.text for c in sorted(group, key=lambda c: (c.top, c.x0)))
        headers = split_headers(printed)
        if headers is None:
            raise _unknown_header(file_name, page, printed)
        spans = [_span(c) for c in group]
        runs.append(_Run(headers, min(x0 for x0, _ in spans), max(x1 for _, x1 in spans)))
    spans = tuple((run.x0, run.x1) for run in runs)
    if all(len(run.printed) == 1 for run in runs):
        columns = tuple(Column(order, run.printed[0]) for order, run in enumerate(runs, start=1))
        return _Layout(columns, spans)
    return _Layout((), spans, tuple(runs))


def _span(cell: Cell) -> tuple[float, float]:
    assert cell.x0 is not None and cell.x1 is not None
    return cell.x0, cell.x1


def _placed(cell: Cell) -> str:
    """Where a figure under no header stands: a workbook's cell by its name ("'9109' in cell E7"), a PDF's by x."""
    if cell.cell_ref is not None:
        return f"{cell.text!r} in cell {cell.cell_ref}, under no header"
    return f"{cell.text!r} at x={cell.x0:.1f}, under no header"


def _split_runs(layout: _Layout, line: Line, file_name: str, page: int | str) -> _Layout:
    """The columns of header runs, split by the first row of figures beneath them.

    Each figure belongs to the run it overlaps most; a run of n headers must
    stand over n figures, and its columns are parted halfway between them.
    """
    under: list[list[tuple[float, float]]] = [[] for _ in layout.runs]
    for cell in line.cells:
        x0, x1 = _span(cell)
        if x1 <= layout.label_right:
            continue
        overlaps = [min(x1, run.x1) - max(x0, run.x0) for run in layout.runs]
        best = max(range(len(overlaps)), key=overlaps.__getitem__)
        if overlaps[best] <= 0:
            raise ExtractError(file_name, page, "a figure under a column header", _placed(cell))
        under[best].append((x0, x1))
    columns: list[Column] = []
    spans: list[tuple[float, float]] = []
    for run, figures in zip(layout.runs, under, strict=True):
        parts = [(run.x0, run.x1)]
        if len(run.printed) > 1:
            if len(figures) != len(run.printed):
                expected = f"a figure under each of the headers {' / '.join(run.printed)!r}"
                raise ExtractError(file_name, page, expected, f"{len(figures)} in {line.text!r}")
            figures.sort()
            cuts = [(left[1] + right[0]) / 2 for left, right in itertools.pairwise(figures)]
            edges = [min(run.x0, figures[0][0]), *cuts, max(run.x1, figures[-1][1])]
            parts = list(itertools.pairwise(edges))
        for header, span in zip(run.printed, parts, strict=True):
            columns.append(Column(len(columns) + 1, header))
            spans.append(span)
    return _Layout(tuple(columns), tuple(spans))


def _layout_by_words(cells: Sequence[Cell], file_name: str, page: int | str) -> _Layout:
    """Text export: each month name is a column; the other words are the average's (first)."""
    words = [word for cell in cells for word in cell.text.split()]
    average = [w for w in words if w not in MONTHS]
    months = [w for w in words if w in MONTHS]
    if not months:
        raise ExtractError(file_name, page, "a month column header (Januar ... Desember)", " ".join(words))
    if average and header_key(" ".join(average)) != HEADER_KEYS[0]:
        raise _unknown_header(file_name, page, " ".join(average))
    headers = ([" ".join(average)] if average else []) + months
    return _Layout(tuple(Column(i, h) for i, h in enumerate(headers, start=1)), None)


def _split_row(line: Line, layout: _Layout, file_name: str, page: int | str) -> tuple[str, tuple[Figure, ...]]:
    """Split a line into its label part and its figures, by position."""
    if layout.spans is None:
        return _split_row_by_order(line, layout, file_name, page)
    label_cells: list[Cell] = []
    figures: dict[int, Figure] = {}
    label_right = layout.label_right
    for cell in line.cells:
        assert cell.x0 is not None and cell.x1 is not None
        if cell.x1 <= label_right:
            label_cells.append(cell)
            continue
        if not is_figure(cell.text):
            found = repr(cell.text) + (f" in cell {cell.cell_ref}" if cell.cell_ref else "")
            raise ExtractError(file_name, page, "a figure (digits or *) in a figure column", found)
        best, overlap = _widest_overlap(cell.x0, cell.x1, layout.spans)
        if overlap <= 0:
            raise ExtractError(file_name, page, "a figure under a column header", _placed(cell))
        column = layout.columns[best]
        if column.order in figures:
            raise ExtractError(file_name, page, f"one figure under {column.header!r}", f"two: {cell.text!r}")
        figures[column.order] = Figure(column, cell.text, cell.x0, cell.x1, cell.top, cell.cell_ref)
    label = " ".join(c.text for c in label_cells).strip()
    return label, tuple(figures[k] for k in sorted(figures))


def _with_empty_cells(figures: tuple[Figure, ...], columns: tuple[Column, ...]) -> tuple[Figure, ...]:
    """A row's figures with its empty cells in the columns it left empty (text "", no cell of its own).

    Where figures stand by position (a PDF, a workbook), a header with nothing under it on a row of figures is
    an empty cell; a text export's row cannot say which column is empty, and is refused. Whether a table may
    hold an empty cell is the report's definition's (``extract.checks.check_empty_cells``: TILT100's may not).
    """
    by_column = {figure.column.order: figure for figure in figures}
    return tuple(by_column.get(column.order, Figure(column, "")) for column in columns)


def _widest_overlap(left: float, right: float, spans: Sequence[tuple[float, float]]) -> tuple[int, float]:
    """The span the range [left, right] overlaps most (the first of equals), and by how much (<= 0: none)."""
    best, most = 0, -math.inf
    for index, (x0, x1) in enumerate(spans):
        overlap = (right if right < x1 else x1) - (left if left > x0 else x0)
        if overlap > most:
            best, most = index, overlap
    return best, most


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


# What --explain shows of a page: each line, the part it played and what was read from it.
Trace = list[tuple[Line, str, str]]


def _describe_layout(layout: _Layout) -> str:
    if layout.spans is None:
        return "; ".join(f"{c.order} {c.header!r}" for c in layout.columns)
    if layout.runs:
        return "runs (split by the figures beneath): " + "; ".join(
            f"{' / '.join(r.printed)!r} x {r.x0:.1f}-{r.x1:.1f}" for r in layout.runs
        )
    spans = zip(layout.columns, layout.spans, strict=True)
    return "; ".join(f"{c.order} {c.header!r} x {x0:.1f}-{x1:.1f}" for c, (x0, x1) in spans)


def _describe_row(row: Row) -> str:
    figures = ", ".join(f"{f.column.header!r} = {f.text!r}" for f in row.figures)
    return f"{' / '.join(row.label_lines)!r}: {figures}"


def parse_page(
    lines: Iterable[Line],
    number: int,
    file_name: str,
    sheet: str | None = None,
    trace: Trace | None = None,
    untitled: str | None = None,
    headings: bool = False,
) -> Page:
    """Read one page (or sheet).

    Page furniture is recognised by what it says, wherever it stands: the source
    line, the report date ("Rapport oppdatert: DD.MM.YYYY") with the table title
    beside it or alone on the line above or below it, the period, the footer.
    `untitled` is the title of a page that prints none (a workbook's sheet: its name).
    `headings`: a line of text standing alone right above a block's column headers names the block (TILT030's
    "20-24 år Arbeidssøkere på tiltak"), kept with each of its rows; else such a line is refused.
    `trace`, if given, receives every line with the part it played (``--explain``).
    """
    place: int | str = f"sheet {sheet!r}" if sheet is not None else number
    title = updated = period = footer = None
    header_cells: list[Cell] = []
    layout: _Layout | None = None
    label_lines: list[str] = []
    rows: list[Row] = []
    prose_figures: str | None = None
    heading: str | None = None
    # Before the table: the last line not yet placed (a title above the date), and whether
    # the title is still to come (a date alone, with the line above it already furniture).
    above: tuple[Line, str] | None = None
    title_below = False

    def note(line: Line, role: str, detail: str = "") -> None:
        if trace is not None:
            trace.append((line, role, detail))

    for line in lines:
        text = line.text
        if not text:
            continue
        if text.startswith(SOURCE_PREFIX) and text not in FOOTER_REST:  # which report: `extract.read` checks it
            note(line, "source")
            continue
        if (m := TITLE_RE.match(text)) is not None:
            updated = m["updated"]
            beside = " ".join(part for part in (m["before"], m["after"]) if part)
            if beside:
                title = beside
            elif above is not None and not rows and layout is None:
                title = above[0].text
                note(above[0], "title", "above the date")
                above = None
            elif not (headings and untitled):  # a sheet heading blocks is titled by its name: a line below is a heading
                title_below = True
            note(line, "date", f"updated {updated}" + (f", title {title!r}" if beside else ""))
            continue
        if PERIOD_RE.match(text):
            period = text
            note(line, "period")
            continue
        if (m := FOOTER_RE.match(text)) is not None:
            footer = m["side"]
            note(line, "footer")
            continue
        if text in FOOTER_REST:
            note(line, "footer")
            continue
        if is_header_line(line):
            if label_lines and headings:  # the line was noted as a label: it names the block
                heading, label_lines = " ".join(label_lines), []
            elif headings and layout is None and not header_cells and above is not None:
                heading = above[0].text
                note(above[0], "heading")
                above = None
            if label_lines:
                raise ExtractError(file_name, place, "figures on the last line of label", " / ".join(label_lines))
            header_cells.extend(line.cells)
            layout = None
            note(line, "header")
            continue
        if header_cells and layout is None:
            layout = _layout(header_cells, file_name, place)
            header_cells = []
            note(line, "columns", _describe_layout(layout))
        if layout is None:  # before the table: the title, or prose (the "Om statistikken" page)
            if title_below:
                title, title_below = text, False
                note(line, "title", "below the date")
                continue
            if above is not None:
                note(*above)
            above = (line, "ignored", "prose")
            tokens = text.split()
            if len(tokens) >= 2 and all(is_figure(t) for t in tokens[-2:]):
                prose_figures = prose_figures or text
            continue
        if layout.runs and any(c.x1 is not None and c.x1 > layout.label_right for c in line.cells):
            layout = _split_runs(layout, line, file_name, place)
            note(line, "columns", _describe_layout(layout))
        label, figures = _split_row(line, layout, file_name, place)
        if label:
            label_lines.append(label)
        if not figures:
            note(line, "label")
            continue
        if len(figures) != len(layout.columns) and figures and layout.spans is not None:
            figures = _with_empty_cells(figures, layout.columns)  # by position: the headers with nothing under them
        if len(figures) != len(layout.columns):
            raise ExtractError(
                file_name, place, f"{len(layout.columns)} figures, one per column", f"{len(figures)} in {text!r}"
            )
        if not label_lines:
            raise ExtractError(file_name, place, "a row label before its figures", repr(text))
        rows.append(Row(number, title or "", tuple(label_lines), figures, line.number, sheet, heading))
        note(line, "row", _describe_row(rows[-1]))
        label_lines = []
    if above is not None:
        note(*above)
    if label_lines:
        raise ExtractError(file_name, place, "figures after the row label", " / ".join(label_lines))
    if header_cells:
        raise ExtractError(file_name, place, "rows under the column headers", "none")
    if prose_figures is not None:
        raise ExtractError(file_name, place, "column headers above rows of figures", repr(prose_figures))
    if rows and title is None and untitled is not None:
        title = untitled
        rows = [replace(row, table_title=title) for row in rows]
    if rows and title is None:
        raise ExtractError(file_name, place, f"a table title with '{UPDATED}: DD.MM.YYYY'", "none")
    return Page(number, title, updated, period, footer, tuple(rows), sheet)
