"""``tilt100 explain FILE [--page N]`` (or ``python -m extract --explain``): how the extractor read a page.

What a user runs when a file is refused (NAV changed its layout, another tool
printed it): every line of the page as the source adapter made it (its cells,
with x-ranges where the file has geometry) and the part the row parser gave it:
source line, title, report date, period, column headers and the columns made
of them, label lines, rows with each figure under its column, footer, and the
lines it ignored. A page that is refused shows its lines up to the refusal,
then the refusal itself; a page with no lines to show (a scan) its refusal.
With ``--page N`` only page N is read: what is wrong with another page does
not hide it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from extract.errors import ExtractError
from extract.formats import format_of
from extract.limits import Limits
from extract.model import Cell, Line
from extract.parse import Trace, parse_page
from extract.read import is_notes_sheet, sheet_title, source_title_of
from extract.reports import SOURCE_PREFIX, definition_of
from extract.sources import DEFAULT_TEXT_LAYER, TextLayer

ROLE_WIDTH = 8
COLUMNS = "columns"  # the part of the columns: told before the line that made them


def _cell(cell: Cell) -> str:
    if cell.cell_ref is not None:
        return f"[{cell.text} {cell.cell_ref}]"
    if cell.x0 is not None and cell.x1 is not None:
        return f"[{cell.text} x {cell.x0:.1f}-{cell.x1:.1f}]"
    return f"[{cell.text}]"


def _line(line: Line) -> str:
    where = f"{line.number:>4}: " if line.number is not None else ""
    return where + " ".join(_cell(cell) for cell in line.cells)


def _page(trace: Trace, lines: list[Line], refused: bool) -> Iterator[str]:
    """Every line of the page in order, with what the parser made of it.

    On a refused page, the first line the parser gave no part is where it stopped;
    the lines after it were not read.
    """
    parts: dict[int, list[tuple[str, str]]] = {}
    for line, role, detail in trace:
        parts.setdefault(id(line), []).append((role, detail))
    stopped = not refused
    for line in lines:
        if not line.text:
            continue
        roles = parts.get(id(line))
        if roles is None:
            roles = [("not read" if stopped else "stopped", "")]
            stopped = True
        for _, detail in (part for part in roles if part[0] == COLUMNS):  # made before the line is read
            yield f"  {COLUMNS:<{ROLE_WIDTH}}   -> {detail}"
        for index, (role, detail) in enumerate(part for part in roles if part[0] != COLUMNS):
            if index == 0:
                yield f"  {role:<{ROLE_WIDTH}} {_line(line)}"
            if detail:
                yield f"  {role if index else '':<{ROLE_WIDTH}}   -> {detail}"


def explain(path: Path, page: int | None = None, text_layer: TextLayer = DEFAULT_TEXT_LAYER) -> Iterator[str]:
    """Lines of text that show how each page of `path` (or page `page` only) was read.

    Raises ExtractError where the file cannot be opened at all (not a report,
    a broken PDF); a page that is refused is shown, not raised.
    """
    fmt = format_of(path)
    layer = f", {text_layer} text layer" if fmt.text_layers else ""
    count = 0
    for number, (sheet, read) in enumerate(fmt.pages(path, Limits.from_env(), text_layer, page), start=1):
        count = number
        if read is None or (page is not None and number != page):
            continue
        place = f"sheet {sheet!r}" if sheet is not None else f"page {number}"
        if isinstance(read, ExtractError):
            yield f"{path.name}, {place}{layer}: not read"
            yield f"  refused: {read}"
            continue
        yield from _explain_page(path.name, number, sheet, read, f"{path.name}, {place}{layer}")
    if page is not None and page > count:
        raise ExtractError(path.name, None, f"a page {page}", f"{count} pages")


def _explain_page(file_name: str, number: int, sheet: str | None, lines: list[Line], heading: str) -> Iterator[str]:
    yield f"{heading}: {sum(1 for line in lines if line.text)} lines"
    if sheet is not None and is_notes_sheet(lines):
        yield f"  ignored: a sheet with no '{SOURCE_PREFIX.strip()}' line and no column headers (notes)"
        return
    trace: Trace = []
    definition = definition_of(source_title_of(lines) or "")
    untitled = sheet and sheet_title(sheet, definition)
    headings = definition is not None and definition.block_headings
    try:
        parsed = parse_page(lines, number, file_name, sheet, trace, untitled=untitled, headings=headings)
    except ExtractError as error:
        yield from _page(trace, lines, refused=True)
        yield f"  refused: {error}"
    else:
        yield from _page(trace, lines, refused=False)
        title = f"table {parsed.title!r}" if parsed.title else "no table title"
        yield f"  read: {title}, {len(parsed.rows)} rows"
