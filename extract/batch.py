"""Load many files into one warehouse, each in its own transaction, with progress."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from extract.errors import ExtractError
from extract.load import connect, is_loaded, land
from extract.lock import exclusive, lock_path
from extract.progress import Progress
from extract.read import read_report, sha256_of

SUFFIXES = {".pdf", ".txt", ".xlsx"}


@dataclass(frozen=True)
class LoadCounts:
    loaded: int
    skipped: int
    failed: int


def input_files(paths: Sequence[Path]) -> Iterator[Path]:
    """The files named, and the reports (by suffix) in the folders named."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES)
        else:
            yield path


def load_paths(db_path: Path, paths: Sequence[Path]) -> LoadCounts:
    """Land every new file; a file already loaded (same SHA-256) is skipped.

    A bad file is reported on stderr (file, page, what was expected) and lands
    nothing; the other files still load.
    """
    files = list(input_files(paths))
    with exclusive(
        lock_path(db_path), on_wait=lambda: print(f"another load or refresh of {db_path} is running: waiting")
    ):
        return _load_files(db_path, files)


def _load_files(db_path: Path, files: list[Path]) -> LoadCounts:
    progress = Progress(len(files))
    loaded = skipped = failed = 0
    con = connect(db_path)
    try:
        for number, path in enumerate(files, start=1):
            progress.start(number, path.name)
            try:
                if not path.is_file():
                    raise ExtractError(str(path), None, "a file", "nothing at that path")
                if is_loaded(con, sha256_of(path)):
                    progress.say(f"skipped {path}: already loaded (same SHA-256)")
                    skipped += 1
                    continue
                report = read_report(path, on_page=progress.page)
                figures = land(con, report)
            except ExtractError as error:
                progress.say(f"error: {error}", stream=sys.stderr)
                failed += 1
                continue
            except OSError as error:  # unreadable: permissions, a folder named .pdf, a vanished file
                progress.say(f"error: {path}: expected a readable file, found {error.strerror}", stream=sys.stderr)
                failed += 1
                continue
            loaded += 1
            progress.say(f"loaded {path}: {len(report.pages)} pages, {len(report.rows)} rows, {figures} figures")
    finally:
        con.close()
    return LoadCounts(loaded, skipped, failed)
