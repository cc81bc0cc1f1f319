"""``tilt100 fetch [--dry-run] [--since YEAR] [--refresh [--db PATH]]``: the month's new TILT100 reports.

Exit codes: 0 done or nothing new; 1 a file failed (download, read or
reconciliation; the served warehouse is as it was); 2 nothing attempted (bad
arguments, a page unreachable or changed, another fetch running, the warehouse
unreadable).

Nothing one file does stops the others, and nothing one run leaves behind stops the
next: partial downloads of a killed run are removed, a fetched file deleted by hand
is dropped from the state, and with --refresh the warehouse, not the state file,
says which files are loaded.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

import duckdb
import requests

from extract import ExtractError, read_report
from extract.reports import definitions
from tilt100.fetch.links import LOOKED_FOR, Link, archive_years_linked, report_links, safe_stem, same_host
from tilt100.fetch.net import (
    PART_PREFIX,
    PART_SUFFIX,
    FetchFailed,
    Limits,
    download,
    get_page,
    session,
)
from tilt100.fetch.state import State, StateError
from tilt100.plumbing import NothingAttempted, exclusive
from tilt100.settings import (
    FETCH_BACKOFF,
    FETCH_MAX_BYTES,
    FETCH_MAX_PAGE_BYTES,
    FETCH_MAX_RETRY_AFTER,
    FETCH_RETRIES,
    FETCHED,
    FIRST_ARCHIVE_YEAR,
    NAV_ARCHIVE,
    NAV_LANDING,
    archive_years,
    default_db,
)

ERROR_FILE = ".error.txt"  # a quarantined file's error beside it: <file>.error.txt
NAME_MAX = 255  # bytes in a file name, where the file system does not say (ext4, xfs, btrfs, tmpfs)
DESCRIPTION = (
    "Download NAV's new TILT100 reports and its siblings' (TILT110-TILT180) from its statistics pages; with"
    " --refresh, check that they read and"
    " refresh the warehouse with them (the monthly job). Exit 0 done or nothing new, 1 a file failed,"
    " 2 nothing attempted."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``tilt100 fetch``."""
    parser.add_argument("--landing", default=NAV_LANDING, metavar="URL", help="the statistics page (default: NAV's)")
    parser.add_argument(
        "--archive",
        default=NAV_ARCHIVE,
        metavar="TEMPLATE",
        help="a yearly archive page's URL, {landing} and {year} filled in (default: %(default)s)",
    )
    parser.add_argument(
        "--archive-year",
        type=int,
        action="append",
        metavar="YEAR",
        help=f"an archive year to read, repeatable (default: each finished year since {FIRST_ARCHIVE_YEAR},"
        f" here {', '.join(map(str, archive_years(date.today())))}, and any other the landing page links)",
    )
    parser.add_argument("--since", type=int, metavar="YEAR", help="read only the archives of YEAR and later")
    parser.add_argument(
        "--report",
        action="append",
        choices=tuple(definitions()),
        metavar="CODE",
        help="fetch this report only, repeatable (default: every report the warehouse reads:"
        f" {', '.join(definitions())})",
    )
    parser.add_argument(
        "--dest", type=Path, default=FETCHED, help="the folder for fetched files (default: data/fetched in the project)"
    )
    parser.add_argument("--state", type=Path, help="the state file (default: DEST.state.json beside the folder)")
    parser.add_argument("--dry-run", action="store_true", help="list what would be fetched; download nothing")
    parser.add_argument("--refresh", action="store_true", help="check the new files read, then refresh the warehouse")
    parser.add_argument("--db", type=Path, help="with --refresh: the warehouse (default: the refresh's own)")
    parser.add_argument(
        "--max-bytes", type=int, default=FETCH_MAX_BYTES, help="refuse files larger (default: %(default)s)"
    )
    parser.add_argument(
        "--max-page-bytes", type=int, default=FETCH_MAX_PAGE_BYTES, help="refuse pages larger (default: %(default)s)"
    )
    parser.add_argument(
        "--max-retry-after",
        type=float,
        default=FETCH_MAX_RETRY_AFTER,
        metavar="SECONDS",
        help="fail a file whose server asks to wait longer (Retry-After) rather than wait (default: %(default)g)",
    )
    parser.add_argument(
        "--retries", type=int, default=FETCH_RETRIES, help="retries per request on 429/5xx/connection errors"
    )
    parser.add_argument("--backoff", type=float, default=FETCH_BACKOFF, help="retry back-off factor in seconds")


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="tilt100 fetch", description=DESCRIPTION)
    add_arguments(parser)
    return checked(parser, parser.parse_args(argv))


def checked(parser: argparse.ArgumentParser, args: argparse.Namespace) -> argparse.Namespace:
    """The options checked together (usage errors exit 2) and what follows from them."""
    if args.db is not None and not args.refresh:
        parser.error("--db needs --refresh")
    if args.dry_run and args.refresh:
        parser.error("--dry-run and --refresh exclude each other")
    if args.since is not None and not 1900 <= args.since <= 9999:
        parser.error(f"--since: not a year: {args.since}")
    if args.max_bytes <= 0 or args.max_page_bytes <= 0:
        parser.error("--max-bytes and --max-page-bytes must be positive")
    if args.retries < 0 or args.backoff < 0 or not 0 <= args.max_retry_after < float("inf"):
        parser.error("--retries, --backoff and --max-retry-after must be numbers, not negative")
    if "{year}" not in args.archive:
        parser.error("--archive must contain {year}")
    args.years = [y for y in args.archive_year or archive_years(date.today()) if wanted(args, y)]
    args.state = args.state or args.dest.parent / f"{args.dest.name}.state.json"
    args.limits = Limits(args.max_bytes, args.max_page_bytes, args.max_retry_after)
    return args


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def locked(state_path: Path) -> contextlib.AbstractContextManager[None]:
    """One fetch at a time per state file (the warehouse's lock, not waited for: a second fetch stops)."""
    lock_path = state_path.with_name(state_path.name + ".lock")
    return exclusive(lock_path, busy=f"another fetch is running (lock {lock_path})")


def wanted(args: argparse.Namespace, year: int) -> bool:
    return args.since is None or year >= args.since


def archive_page(args: argparse.Namespace, year: int) -> str:
    return args.archive.format(landing=args.landing.rstrip("/"), year=year)


def pages_of(args: argparse.Namespace) -> list[str]:
    return [*sorted({archive_page(args, year) for year in args.years}), args.landing]


def find_links(s: requests.Session, args: argparse.Namespace, state: State) -> tuple[list[Link], dict[str, int]]:
    """The links of every page to the reports wanted (``--report``), each URL once; any page unreachable or
    changed (no TILT100 link where the last run saw some) is NothingAttempted.

    The archives read are those of `args.years`, and (unless years were named) any other archive
    the landing page links: a year NAV archives is read the month it appears."""
    found: dict[str, Link] = {}
    counts: dict[str, int] = {}
    pages = pages_of(args)
    for page in pages:  # grows by the archives the landing page links
        try:
            html = get_page(s, page, args.limits)
        except FetchFailed as error:
            raise NothingAttempted(str(error)) from None
        if page == args.landing and not args.archive_year:
            linked = archive_years_linked(html, page, args.archive, args.landing)
            pages += [p for p in sorted({archive_page(args, y) for y in linked if wanted(args, y)}) if p not in pages]
        links = report_links(html, page)
        if not links:
            raise NothingAttempted(f"page changed: {page}: no report links (looked for {LOOKED_FOR})")
        tilt100 = [link for link in links if link.is_tilt100]  # every page links TILT100: none is a page changed
        before = state.pages.get(page, {}).get("tilt100_links", 0)
        if not tilt100 and before:
            raise NothingAttempted(
                f"page changed: {page}: no TILT100 .xlsx or .pdf links among {len(links)} report links"
                f" (it had {before} at the last run)"
            )
        counts[page] = len(tilt100)
        codes = frozenset(args.report or definitions())
        for link in links:
            if link.is_wanted(codes):
                found.setdefault(link.url, link)
    return list(found.values()), counts


def name_max(folder: Path) -> int:
    """The longest file name `folder`'s file system takes, in bytes."""
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return NAME_MAX


def local_name(link: Link, sha256: str, folder: Path) -> str:
    """``<name>.<first 12 of the SHA-256>.<xlsx|pdf>``: versions apart, the name cut so that it fits in bytes.

    Its quarantine error file, ``<file>.error.txt``, is the longest name made from
    it, and must fit too.
    """
    tail = f".{sha256[:12]}{link.suffix}"
    room = name_max(folder) - len(f"{tail}{ERROR_FILE}".encode())
    return f"{safe_stem(link.name, room)}{tail}"


def on_host(links: list[Link], landing: str, out: TextIO) -> list[Link]:
    """The links on the landing page's own host; any other is named and skipped (a page could point anywhere)."""
    host = urlsplit(landing).netloc
    for link in links:
        if not same_host(link.url, landing):
            print(f"skipped {link.name}: not on {host}, the landing page's host ({link.url})", file=out)
    return [link for link in links if same_host(link.url, landing)]


def fetch_new(
    args: argparse.Namespace, state: State, out: TextIO, err: TextIO
) -> tuple[list[dict[str, Any]], int, bool]:
    """Fetch what is new: (entries fetched, files failed, anything new linked for a dry run)."""
    s = session(args.retries, args.backoff, args.max_retry_after)
    with s:
        found, counts = find_links(s, args, state)
        links = on_host(found, args.landing, out)
        if args.dry_run:
            new = [link for link in links if link.url not in state.urls]
            for link in new:
                print(f"would fetch {link.name}  {link.url}", file=out)
            return [], 0, bool(new)
        for page, count in counts.items():
            state.pages[page] = {"tilt100_links": count, "checked_at": now()}
        state.save()
        fetched: list[dict[str, Any]] = []
        failed = 0
        for link in links:
            try:
                entry = fetch_one(s, link, state, args)
            except Exception as error:  # whatever one file meets (the network, the disk) is that file's failure
                message = str(error) if isinstance(error, FetchFailed) else f"{type(error).__name__}: {error}"
                print(f"failed: {link.name}: {' '.join(message.split())[:300]} ({link.url})", file=err)
                failed += 1
                continue
            if entry is not None:
                fetched.append(entry)
                print(f"fetched {args.dest / entry['file']}  ({entry['size']} bytes, {link.name})", file=out)
        return fetched, failed, bool(fetched)


def fetch_one(s: requests.Session, link: Link, state: State, args: argparse.Namespace) -> dict[str, Any] | None:
    """Download one link and keep it: its new state entry, or None if it is nothing new (304, or bytes known)."""
    validators = state.urls.get(link.url, {})
    got = download(
        s, link.url, link.suffix, args.dest, validators.get("etag"), validators.get("last_modified"), args.limits
    )
    if got is None:  # 304 Not Modified
        return None
    try:
        if state.known_sha256(got.sha256) is not None:  # the same bytes again: nothing new
            target = None
        else:
            target = args.dest / local_name(link, got.sha256, args.dest)
            got.temp.replace(target)
    finally:
        got.temp.unlink(missing_ok=True)  # not renamed into place: nothing half-kept
    # The validators only once the bytes are kept: a 304 next month must not stand for a file never kept.
    state.urls[link.url] = {"etag": got.etag, "last_modified": got.last_modified, "sha256": got.sha256}
    if target is None:
        state.save()
        return None
    entry = {
        "url": link.url,
        "name": link.name,
        "page": link.page,
        "file": target.name,
        "etag": got.etag,
        "last_modified": got.last_modified,
        "size": got.size,
        "sha256": got.sha256,
        "fetched_at": now(),
        "status": "fetched",
        "error": None,
    }
    state.files.append(entry)
    state.save()
    return entry


def quarantine(entry: dict[str, Any], error: str, folder: Path) -> Path:
    """Move a refused file into DEST/quarantine with its error beside it as <name>.error.txt."""
    qdir = folder / "quarantine"
    qdir.mkdir(parents=True, exist_ok=True)
    target = qdir / entry["file"]
    shutil.move(str(folder / entry["file"]), target)
    (qdir / f"{entry['file']}{ERROR_FILE}").write_text(
        f"file: {entry['file']}\nurl: {entry['url']}\nsha256: {entry['sha256']}\n"
        f"fetched_at: {entry['fetched_at']}\nquarantined_at: {now()}\n\n{error.rstrip()}\n",
        encoding="utf-8",
    )
    entry["status"], entry["file"], entry["error"] = "quarantined", f"quarantine/{entry['file']}", error
    return target


def refresh_command(db: Path | None, files: Sequence[Path]) -> list[str]:
    """The refresh, run as its own process (``tilt100 refresh``)."""
    return [
        sys.executable,
        "-m",
        "tilt100",
        "refresh",
        *(["--db", str(db)] if db is not None else []),
        *map(str, files),
    ]


def first_line(output: str, *markers: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for marker in markers:
        hit = next((line for line in lines if marker in line), None)
        if hit:
            return hit
    return lines[-1] if lines else "no output"


def monthly_job(args: argparse.Namespace, state: State, out: TextIO, err: TextIO) -> int:
    """Check every fetched, not yet loaded file reads; refresh the warehouse with the good ones."""
    good, failed = check_reads(args, state, err)
    if not good:
        return failed
    files = [args.dest / entry["file"] for entry in good]
    result = subprocess.run(refresh_command(args.db, files), capture_output=True, text=True, check=False)
    output = result.stdout + result.stderr
    if result.returncode == 0:
        for entry in good:
            entry["status"] = "loaded"
        state.save()
        print(f"refreshed: {first_line(result.stdout, 'files:')}", file=out)
        return failed
    if result.returncode == 1:  # a file refused or the build failed: the served warehouse is unchanged
        for entry in good:
            moved(entry, f"the refresh failed (exit 1):\n\n{output}", args.dest, err)
        state.save()
        print(
            f"refresh failed, warehouse unchanged; {len(good)} file(s) moved to {args.dest / 'quarantine'}: "
            f"{first_line(output, ' FAIL ', 'FAIL', 'error', 'Error')}",
            file=err,
        )
        return failed + len(good)
    print(
        f"refresh did not run (exit {result.returncode}); {len(good)} file(s) kept for the next run: "
        f"{first_line(output)}",
        file=err,
    )
    return failed + len(good)


def check_reads(args: argparse.Namespace, state: State, err: TextIO) -> tuple[list[dict[str, Any]], int]:
    """The pending files that read, and how many did not (each moved to quarantine)."""
    good: list[dict[str, Any]] = []
    failed = 0
    for entry in state.pending():
        path = args.dest / entry["file"]
        try:
            read_report(path)
        except ExtractError as error:
            message = str(error)
        except Exception as error:  # a reader's bug is still this file refused, not the job's end
            message = f"{path.name}: {type(error).__name__}: {error}"
        else:
            good.append(entry)
            continue
        failed += 1
        target = moved(entry, message, args.dest, err)
        state.save()
        if target is not None:
            print(f"refused: {message} (moved to {target})", file=err)
    return good, failed


def moved(entry: dict[str, Any], error: str, folder: Path, err: TextIO) -> Path | None:
    """Quarantine one file; if the disk refuses, say so and leave it pending (the next run tries again)."""
    try:
        return quarantine(entry, error, folder)
    except OSError as problem:
        print(f"failed: {entry['file']}: refused, but not moved to quarantine: {problem} ({error})", file=err)
        return None


def warehouse_holds(db: Path) -> set[str]:
    """The SHA-256 of every file the warehouse has landed (raw.tilt100_files); a missing warehouse holds none.

    Opened read-only: a refresh builds a copy and swaps it in, so readers never wait.
    """
    if not db.exists():
        return set()
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            tables = con.execute(
                "select count(*) from information_schema.tables"
                " where table_schema = 'raw' and table_name = 'tilt100_files'"
            ).fetchone()
            if not tables or not tables[0]:
                return set()
            return {sha for (sha,) in con.execute("select file_sha256 from raw.tilt100_files").fetchall()}
    except duckdb.Error as error:
        raise NothingAttempted(f"the warehouse {db} cannot be read: {' '.join(str(error).split())[:300]}") from None


def reconcile(state: State, db: Path, out: TextIO) -> None:
    """The warehouse is the truth for "loaded": what it holds is loaded, what it lacks is to load again.

    After ``make clean``, a restore, or another --db, the state file's "loaded"
    would otherwise leave the warehouse without the files forever.
    """
    held = warehouse_holds(db)
    again = [f for f in state.files if f["status"] == "loaded" and f["sha256"] not in held]
    done = [f for f in state.pending() if f["sha256"] in held]
    for entry in again:
        entry["status"] = "fetched"
    for entry in done:
        entry["status"] = "loaded"
    if again or done:
        state.save()
    if again:
        print(f"{len(again)} file(s) marked loaded are not in the warehouse {db}: loading them again", file=out)


def forget_missing(state: State, folder: Path, err: TextIO) -> None:
    """Drop pending files that are gone from the folder (deleted by hand): the state must not point at nothing.

    Forgotten with their validators, so a link NAV still has is fetched anew.
    """
    for entry in list(state.pending()):
        path = folder / entry["file"]
        if not path.is_file():
            state.forget(entry)
            state.save()
            print(f"warning: {path} is gone: dropped from the state (fetched again while NAV links it)", file=err)


def remove_leftovers(folder: Path, state: State, out: TextIO) -> None:
    """Partial downloads and state files of a run that was killed (SIGKILL, SIGTERM, a crash).

    Called holding the lock, so no other run is writing them.
    """
    leftovers = sorted(folder.glob(f"{PART_PREFIX}*{PART_SUFFIX}")) + state.temp_files()
    for path in leftovers:
        path.unlink(missing_ok=True)
    if leftovers:
        names = ", ".join(path.name for path in leftovers)
        print(f"removed {len(leftovers)} partial file(s) of an interrupted run: {names}", file=out)


def open_state(path: Path) -> State:
    try:
        return State(path)
    except StateError as error:
        raise NothingAttempted(str(error)) from None


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with locked(args.state):
        state = open_state(args.state)
        if not args.dry_run:  # a dry run changes nothing
            remove_leftovers(args.dest, state, out)
            if args.refresh:
                reconcile(state, args.db or default_db(), out)
            forget_missing(state, args.dest, err)
        fetched, failed, anything = fetch_new(args, state, out, err)
        if args.refresh:
            pending = state.pending()
            if pending and not fetched:
                print(f"{len(pending)} file(s) fetched earlier, not yet loaded", file=out)
            failed += monthly_job(args, state, out, err)
            anything = anything or bool(pending)
        if not anything and not failed:
            print("nothing new", file=out)
        return 1 if failed else 0


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    try:
        args = parse_args(sys.argv[1:] if argv is None else list(argv))
    except SystemExit as exit_:  # argparse: usage and the error on stderr, exit 2
        return int(exit_.code or 0)
    return run_command(args, out, err)


def run_command(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run a checked `fetch`: its exit code, every failure as one line."""
    out, err = out or sys.stdout, err or sys.stderr
    try:
        return run(args, out, err)
    except NothingAttempted as error:
        print(f"fetch: nothing attempted: {error}", file=err)
        return 2
    except KeyboardInterrupt:
        print("fetch: interrupted", file=err)
        return 130
    except Exception as error:  # one line, never a traceback, in a scheduled job's mail
        print(f"fetch: failed: {type(error).__name__}: {' '.join(str(error).split())[:300]}", file=err)
        return 1


if __name__ == "__main__":
    sys.exit(main())
