"""Load many files into one warehouse, each in its own transaction, with progress.

Files are read in parallel (``jobs`` processes, default: one per core) and
landed one after another, in the order named, by this process alone: DuckDB
has one writer, and landing is a small part of the work (about 5% of reading).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

import duckdb

from extract.children import die_with_parent
from extract.errors import ExtractError
from extract.load import connect, is_loaded, land
from extract.lock import exclusive, lock_path
from extract.model import Report
from extract.pdf import DEFAULT_TEXT_LAYER, TextLayer
from extract.progress import Progress
from extract.read import read_report, sha256_of

SUFFIXES = {".pdf", ".txt", ".xlsx"}


@dataclass(frozen=True)
class LoadCounts:
    loaded: int
    skipped: int
    failed: int


def default_jobs() -> int:
    """One reading process per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def input_files(paths: Sequence[Path]) -> Iterator[Path]:
    """The files named, and the reports (by suffix) in the folders named."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES)
        else:
            yield path


def load_paths(
    db_path: Path, paths: Sequence[Path], jobs: int | None = None, text_layer: TextLayer = DEFAULT_TEXT_LAYER
) -> LoadCounts:
    """Land every new file; a file already loaded (same SHA-256) is skipped.

    A bad file is reported on stderr (file, page, what was expected) and lands
    nothing; the other files still load. `jobs`: processes reading files at
    once (default: one per core).
    """
    files = list(input_files(paths))
    with exclusive(
        lock_path(db_path), on_wait=lambda: print(f"another load or refresh of {db_path} is running: waiting")
    ):
        return _Loader(db_path, files, jobs or default_jobs(), text_layer).run()


class _Loader:
    def __init__(self, db_path: Path, files: list[Path], jobs: int, text_layer: TextLayer) -> None:
        self.db_path = db_path
        self.files = files
        self.jobs = jobs
        self.text_layer = text_layer
        self.progress = Progress(len(files))
        self.loaded = self.skipped = self.failed = 0

    def run(self) -> LoadCounts:
        con = connect(self.db_path)
        try:
            todo = self._new_files(con)
            if self.jobs > 1 and len(todo) > 1:
                con.close()  # no DuckDB threads while the reading processes are forked
                with _pool(min(self.jobs, len(todo))) as pool:
                    con = connect(self.db_path)
                    for number, path, future in _read_ahead(pool, todo, self.text_layer, 2 * self.jobs):
                        self.progress.start(number, path.name)
                        self._land(con, path, future)
            else:
                for number, path in todo:
                    self.progress.start(number, path.name)
                    self._land(con, path, None)
        finally:
            con.close()
        return LoadCounts(self.loaded, self.skipped, self.failed)

    def _new_files(self, con: duckdb.DuckDBPyConnection) -> list[tuple[int, Path]]:
        """The files to read, numbered as named; missing and already loaded files are said and counted."""
        todo = []
        for number, path in enumerate(self.files, start=1):
            self.progress.number = number
            try:
                if not path.is_file():
                    raise ExtractError(str(path), None, "a file", "nothing at that path")
                if is_loaded(con, sha256_of(path)):
                    self.progress.say(f"skipped {path}: already loaded (same SHA-256)")
                    self.skipped += 1
                    continue
            except ExtractError as error:
                self._fail(f"error: {error}")
                continue
            except OSError as error:
                self._fail(f"error: {path}: expected a readable file, found {error.strerror}")
                continue
            todo.append((number, path))
        return todo

    def _land(self, con: duckdb.DuckDBPyConnection, path: Path, future: Future[Report] | None) -> None:
        try:
            if future is None:
                report = read_report(path, on_page=self.progress.page, text_layer=self.text_layer)
            else:
                try:
                    report = future.result()
                except BrokenProcessPool:  # some reading process died: which file killed it? Read this one alone.
                    report = _read_alone(path, self.text_layer)
            if is_loaded(con, report.sha256):  # the same file named twice
                self.progress.say(f"skipped {path}: already loaded (same SHA-256)")
                self.skipped += 1
                return
            figures = land(con, report)
        except ExtractError as error:
            self._fail(f"error: {error}")
            return
        except OSError as error:  # unreadable: permissions, a folder named .pdf, a vanished file
            self._fail(f"error: {path}: expected a readable file, found {error.strerror}")
            return
        except BrokenProcessPool:  # a reading process died (a crash in a PDF library): nothing of it lands
            self._fail(f"error: {path}: expected a file read to its end, found that the process reading it died")
            return
        self.loaded += 1
        self.progress.say(f"loaded {path}: {len(report.pages)} pages, {len(report.rows)} rows, {figures} figures")

    def _fail(self, message: str) -> None:
        self.progress.say(message, stream=sys.stderr)
        self.failed += 1


def _read_ahead(
    pool: ProcessPoolExecutor, todo: list[tuple[int, Path]], text_layer: TextLayer, ahead: int
) -> Iterator[tuple[int, Path, Future[Report]]]:
    """The files' reads in the order named, at most `ahead` read but not yet landed (memory stays bounded)."""
    pending: deque[tuple[int, Path, Future[Report]]] = deque()
    for number, path in todo:
        try:
            future = pool.submit(read_report, path, None, text_layer)
        except BrokenProcessPool:  # a reading process died: the rest are read one process each
            future = Future()
            future.set_exception(BrokenProcessPool())
        pending.append((number, path, future))
        if len(pending) >= ahead:
            yield pending.popleft()
    while pending:
        yield pending.popleft()


def _read_alone(path: Path, text_layer: TextLayer) -> Report:
    """Read one file in a process of its own: if the file kills it, only this file fails."""
    with _pool(1) as pool:
        return pool.submit(read_report, path, None, text_layer).result()


def _pool(jobs: int) -> ProcessPoolExecutor:
    """Reading processes, forked (nothing to import again) and ended with this one."""
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=die_with_parent)
