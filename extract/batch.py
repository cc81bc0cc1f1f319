"""Load many files into one warehouse, each in its own transaction, with progress.

Files are read in parallel (``jobs`` processes, default: one per core) and
landed one after another, in the order named, by this process alone: DuckDB
has one writer, and landing is a small part of the work (about 5% of reading).
"""

from __future__ import annotations

import multiprocessing
import os
import shlex
import signal
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import duckdb

from extract.errors import ExtractError
from extract.formats import SUFFIXES
from extract.load import Records, arrow_without_pandas, connect, land, loaded_files, records
from extract.read import read_report, sha256_of
from extract.sources import DEFAULT_TEXT_LAYER, TextLayer
from tilt100.plumbing import (
    NothingAttempted,
    Progress,
    check_file,
    check_warehouse,
    die_with_parent,
    exclusive,
    lock_path,
    machine_fault,
    quoted,
    recover_swap,
)


@dataclass(frozen=True)
class LoadCounts:
    loaded: int
    skipped: int
    failed: int
    report_codes: frozenset[str] = frozenset()  # of the files landed ("TILT100", "TILT110", ...)


def default_jobs() -> int:
    """One reading process per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def check_inputs(paths: Sequence[Path]) -> None:
    """Every path named is a file, or a folder holding a report (by suffix): else NothingAttempted, before any work."""
    for path in paths:
        if path.is_dir():
            try:
                if not any(p.suffix.lower() in SUFFIXES for p in path.iterdir()):
                    found = f"a folder with no {', '.join(sorted(SUFFIXES))} file in it"
                    raise NothingAttempted(f"{quoted(path)}: expected a report or a folder of reports, found {found}")
            except OSError as error:
                found = f"a folder that cannot be read ({error.strerror})"
                raise NothingAttempted(f"{quoted(path)}: expected a folder of reports, found {found}") from None
        elif not path.exists():
            found = "nothing at that path"
            raise NothingAttempted(f"{quoted(path)}: expected a report or a folder of reports, found {found}")


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
    check_inputs(paths)
    check_file(db_path)  # before the lock file is made beside it
    files = list(input_files(paths))
    with exclusive(
        lock_path(db_path), on_wait=lambda: print(f"another load or refresh of {quoted(db_path)} is running: waiting")
    ):
        recover_swap(db_path)  # a refresh killed inside its swap
        check_warehouse(db_path)
        return _Loader(db_path, files, jobs or default_jobs(), text_layer).run()


class _Loader:
    def __init__(self, db_path: Path, files: list[Path], jobs: int, text_layer: TextLayer) -> None:
        self.db_path = db_path
        self.files = files
        self.jobs = jobs
        self.text_layer = text_layer
        self.progress = Progress(len(files))
        self.loaded = self.skipped = self.failed = 0
        self.report_codes: set[str] = set()
        self.landed: set[str] = set()  # the SHA-256 of the files in the warehouse: before this load, and landed by it

    def run(self) -> LoadCounts:
        con = connect(self.db_path)
        try:
            todo = self._new_files(con)
            if todo:  # read in processes of their own, whatever --jobs: a reader that dies takes only its file
                con.close()  # no DuckDB threads while the reading processes are forked
                with _pool(min(self.jobs, len(todo))) as pool:
                    con = connect(self.db_path)
                    for number, path, future in _read_ahead(pool, todo, self.text_layer, 2 * self.jobs):
                        self.progress.start(number, path.name)
                        self._land(con, path, future)
        finally:
            con.close()
        return LoadCounts(self.loaded, self.skipped, self.failed, frozenset(self.report_codes))

    def _new_files(self, con: duckdb.DuckDBPyConnection) -> list[tuple[int, Path, str]]:
        """The files to read, numbered as named, with their hashes; missing and loaded files are said and counted."""
        todo = []
        self.landed = loaded_files(con)
        for number, path in enumerate(self.files, start=1):
            self.progress.number = number
            try:
                if not path.is_file():
                    raise ExtractError(str(path), None, "a file", "nothing at that path")  # vanished since
                digest = sha256_of(path)
                if digest in self.landed:
                    self.progress.say(f"skipped {quoted(path)}: already loaded (same SHA-256)")
                    self.skipped += 1
                    continue
            except ExtractError as error:
                self._fail(f"error: {error}")
                continue
            except OSError as error:
                self._fail(f"error: {quoted(path)}: expected a readable file, found {error.strerror}")
                continue
            todo.append((number, path, digest))
        return todo

    def _land(self, con: duckdb.DuckDBPyConnection, path: Path, future: Future[Records]) -> None:
        try:
            try:
                landing = future.result()
            except BrokenProcessPool:  # some reading process died: which file killed it? Read this one alone.
                landing = _read_alone(path, self.text_layer)
            if landing.sha256 in self.landed:  # the same file named twice
                self.progress.say(f"skipped {quoted(path)}: already loaded (same SHA-256)")
                self.skipped += 1
                return
            figures = land(con, landing)
        except ExtractError as error:
            self._fail(f"error: {error}{explain_hint(path, error)}")
            return
        except OSError as error:  # unreadable: permissions, a folder named .pdf, a vanished file
            self._fail(f"error: {quoted(path)}: expected a readable file, found {error.strerror}")
            return
        except ReaderDied as died:  # a crash in a reading library (a native abort): nothing of it lands
            self._fail(f"error: {quoted(path)}: expected a file read to its end, found that {died}")
            return
        except duckdb.Error as error:  # the disk filled up, the folder became read-only: the file did not land
            fault = machine_fault(error, f"landing {quoted(path.name)}", quoted(self.db_path.parent))
            if fault is None:
                raise
            raise fault from None
        self.loaded += 1
        self.landed.add(landing.sha256)
        self.report_codes.add(str(landing.file["report_code"]))
        pages, rows = landing.count("tilt100_pages"), landing.count("tilt100_rows")
        what = f"{pages} pages, {rows} rows, {figures} figures"
        if landing.skipped_sheets:  # never passed over silently
            sheets = ", ".join(f"{name!r} ({why})" for name, why in landing.skipped_sheets)
            what += f"; skipped sheet{'s' * (len(landing.skipped_sheets) > 1)} {sheets}"
        self.progress.say(f"loaded {quoted(path)}: {what}")

    def _fail(self, message: str) -> None:
        self.progress.say(message, stream=sys.stderr)
        self.failed += 1


def explain_hint(path: Path, error: ExtractError) -> str:
    """Where a page of the file was refused: how to see what the extractor read on it."""
    if not isinstance(error.page, int):
        return ""
    command = f"tilt100 explain {shlex.quote(quoted(path))} --page {error.page}"
    return f" (to see how the page was read: {command})"


def read_records(path: Path, text_layer: TextLayer, digest: str | None = None) -> Records:
    """Read a file and build what lands for it, in the reading process: the landing one only inserts."""
    return records(read_report(path, None, text_layer, digest))


def _read_ahead(
    pool: ProcessPoolExecutor, todo: list[tuple[int, Path, str]], text_layer: TextLayer, ahead: int
) -> Iterator[tuple[int, Path, Future[Records]]]:
    """The files' reads in the order named, at most `ahead` read but not yet landed (memory stays bounded)."""
    pending: deque[tuple[int, Path, Future[Records]]] = deque()
    for number, path, digest in todo:
        try:
            future = pool.submit(read_records, path, text_layer, digest)
        except BrokenProcessPool:  # a reading process died: the rest are read one process each
            future = Future()
            future.set_exception(BrokenProcessPool())
        pending.append((number, path, future))
        if len(pending) >= ahead:
            yield pending.popleft()
    while pending:
        yield pending.popleft()


class ReaderDied(Exception):
    """The process reading a file died (a native abort, the kernel's OOM killer): says how."""

    def __init__(self, exitcode: int | None) -> None:
        if exitcode is not None and exitcode < 0:
            try:
                how = f"killed by {signal.Signals(-exitcode).name}"
            except ValueError:
                how = f"killed by signal {-exitcode}"
        else:
            how = f"exit code {exitcode}"
        super().__init__(f"the process reading it died ({how}: a crash in the library reading this format)")


def _read_into(send: Connection, path: Path, text_layer: TextLayer) -> None:
    _reading_process()
    try:
        outcome: tuple[bool, object] = (True, read_records(path, text_layer))
    except Exception as error:
        outcome = (False, error)
    send.send(outcome)


def _read_alone(path: Path, text_layer: TextLayer) -> Records:
    """Read one file in a process of its own: if the file kills it, only this file fails (ReaderDied)."""
    context = _context()
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_read_into, args=(send, path, text_layer), daemon=True)
    process.start()
    send.close()
    try:
        ok, value = receive.recv()
    except EOFError:  # it died before sending anything
        process.join()
        raise ReaderDied(process.exitcode) from None
    finally:
        receive.close()
    process.join()
    if ok:
        return value  # type: ignore[return-value]
    raise value  # type: ignore[misc]


def _reading_process() -> None:
    """In a reading process: die with the loader; a native crash's backtrace goes nowhere (the loader says it)."""
    die_with_parent()
    arrow_without_pandas()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def _context() -> multiprocessing.context.BaseContext:
    return multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)


def _pool(jobs: int) -> ProcessPoolExecutor:
    """Reading processes, forked (nothing to import again) and ended with this one."""
    return ProcessPoolExecutor(max_workers=jobs, mp_context=_context(), initializer=_reading_process)
