"""Source adapter for the plain-text export of a TILT100 report.

A page starts at each line "Kilde: NAV TILT...". The text has no geometry:
a line's cells are its words (split at plain spaces; U+00A0 inside a figure
is not a split), and the row parser places figures by their order.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from extract.errors import ExtractError
from extract.limits import Limits
from extract.model import Cell, Line
from extract.reports import FAMILY, SOURCE_PREFIX
from tilt100.settings import MAX_LINE_CHARS


def is_page_start(text: str) -> bool:
    return text.strip().startswith(SOURCE_PREFIX + FAMILY)


def text_pages(path: Path) -> Iterator[list[Line]]:
    """Yield the lines of each page of a text export.

    Bounded before the text is trusted: each line's length (TILT100_MAX_LINE_CHARS), read at most
    that far (the file's size is the format's guard, ``extract.guards.check_text_export``). A
    UTF-8 byte order mark is not text: the first line is line 1 with or without it.
    """
    limits = Limits.from_env()
    page: list[Line] = []
    started = False
    with path.open(encoding="utf-8-sig") as handle:
        for number, raw in enumerate(iter(lambda: handle.readline(limits.line_chars + 1), ""), start=1):
            if len(raw.rstrip("\r\n")) > limits.line_chars:
                expected = f"lines of at most {limits.line_chars} characters ({MAX_LINE_CHARS.env})"
                raise ExtractError(path.name, f"line {number}", expected, "a longer line")
            text = raw.rstrip("\n")
            if is_page_start(text):
                if started:  # lines before the first page start belong to page 1
                    yield page
                    page = []
                started = True
            cells = tuple(Cell(word) for word in text.split(" ") if word)
            if cells:
                page.append(Line(cells, number))
    if page:
        yield page
