"""The one error the extractor raises for bad input."""

from __future__ import annotations


class ExtractError(Exception):
    """Input that is not what a TILT100 report prints.

    The message names the file, the page (when known), what was expected and
    what was found, so a user can open the file and see the problem.
    """

    def __init__(self, file_name: str, page: int | str | None, expected: str, found: str) -> None:
        # `page`: a page number, or a place named otherwise ("sheet 'X'", "sheet 'X', cell B7")
        place = f"page {page}" if isinstance(page, int) else page
        name = file_name if file_name.isprintable() else repr(file_name)  # a newline in a name: still one line
        where = f"{name}, {place}" if place is not None else name
        super().__init__(f"{where}: expected {expected}, found {found}")
        self.file_name = file_name
        self.page = page
        self.expected = expected
        self.found = found

    def __reduce__(self) -> tuple[type[ExtractError], tuple[str, int | str | None, str, str]]:
        # Pickled whole, so an error raised in a reading process (--jobs) reaches the loader as it was.
        return (ExtractError, (self.file_name, self.page, self.expected, self.found))
