"""Source adapter for the plain-text export of a TILT100 report.

A page starts at each line "Kilde: NAV TILT...". The text has no geometry:
a line's cells are its words (split at plain spaces; U+00A0 inside a figure
is not a split), and the row parser places figures by their order.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from extract.parse import SOURCE_PREFIX, Cell, Line


def is_page_start(text: str) -> bool:
    return text.strip().startswith(SOURCE_PREFIX + "TILT")


def text_pages(path: Path) -> Iterator[list[Line]]:
    """Yield the lines of each page of a text export."""
    page: list[Line] = []
    started = False
    with path.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
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
