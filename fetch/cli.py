"""``python -m fetch [--dry-run] [--since YEAR] [--refresh [--db PATH]]``: the month's new TILT100 reports.

Exit codes: 0 done or nothing new; 1 a file failed (download, read or
reconciliation; the served warehouse is as it was); 2 nothing attempted (bad
arguments, a page unreachable or changed, another fetch running).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import requests

from extract import ExtractError, read_report
from fetch.links import LOOKED_FOR, Link, report_links, safe_stem
from fetch.net import MAX_BYTES, FetchFailed, download, get_page, session
from fetch.state import State, StateError

LANDING = "https://www.nav.no/no/nav-og-samfunn/statistikk/arbeidssokere-og-stillinger-statistikk/tiltaksdeltakere"
ARCHIVE = "{landing}/relatert-informasjon/arkiv-tiltaksdeltakere.{year}"
ARCHIVE_YEARS = (2023, 2024, 2025)
FOLDER = Path("data/fetched")
DESCRIPTION = (
    "Download NAV's new TILT100 reports from its statistics pages; with --refresh, check that they read and"
    " refresh the warehouse with them (the monthly job). Exit 0 done or nothing new, 1 a file failed,"
    " 2 nothing attempted."
)


class NothingAttempted(Exception):
    """A page unreachable or changed, the state unreadable, another fetch running: exit 2."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `fetch` (``python -m fetch`` and ``tilt100 fetch``)."""
    parser.add_argument("--landing", default=LANDING, metavar="URL", help="the statistics page (default: NAV's)")
    parser.add_argument(
        "--archive",
        default=ARCHIVE,
        metavar="TEMPLATE",
        help="a yearly archive page's URL, {landing} and {year} filled in (default: %(default)s)",
    )
    parser.add_argument(
        "--archive-year",
        type=int,
        action="append",
        metavar="YEAR",
        help=f"an archive year to read, repeatable (default: {', '.join(map(str, ARCHIVE_YEARS))})",
    )
    parser.add_argument("--since", type=int, metavar="YEAR", help="read only the archives of YEAR and later")
    parser.add_argument("--dest", type=Path, default=FOLDER, help="the folder for fetched files (default: %(default)s)")
    parser.add_argument("--state", type=Path, help="the state file (default: DEST.state.json beside the folder)")
    parser.add_argument("--dry-run", action="store_true", help="list what would be fetched; download nothing")
    parser.add_argument("--refresh", action="store_true", help="check the new files read, then refresh the warehouse")
    parser.add_argument("--db", type=Path, help="with --refresh: the warehouse (default: the refresh's own)")
    parser.add_argument("--max-bytes", type=int, default=MAX_BYTES, help="refuse files larger (default: %(default)s)")
    parser.add_argument("--retries", type=int, default=3, help="retries per request on 429/5xx/connection errors")
    parser.add_argument("--backoff", type=float, default=2.0, help="retry back-off factor in seconds")


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m fetch", description=DESCRIPTION)
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
    if args.max_bytes <= 0 or args.retries < 0 or args.backoff < 0:
        parser.error("--max-bytes must be positive, --retries and --backoff not negative")
    if "{year}" not in args.archive:
        parser.error("--archive must contain {year}")
    years = sorted(set(args.archive_year or ARCHIVE_YEARS))
    args.years = [y for y in years if args.since is None or y >= args.since]
    args.state = args.state or args.dest.parent / f"{args.dest.name}.state.json"
    return args


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@contextlib.contextmanager
def locked(state_path: Path) -> Iterator[None]:
    """One fetch at a time per state file (released by the kernel however a process ends)."""
    state_path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = state_path.with_name(state_path.name + ".lock")
    with lock_path.open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise NothingAttempted(f"another fetch is running (lock {lock_path})") from None
        yield


def pages_of(args: argparse.Namespace) -> list[str]:
    landing = args.landing.rstrip("/")
    return [args.archive.format(landing=landing, year=year) for year in args.years] + [args.landing]


def find_links(s: requests.Session, pages: list[str], state: State) -> tuple[list[Link], dict[str, int]]:
    """TILT100 links of every page, each URL once; any page unreachable or changed is NothingAttempted."""
    found: dict[str, Link] = {}
    counts: dict[str, int] = {}
    for page in pages:
        try:
            html = get_page(s, page)
        except FetchFailed as error:
            raise NothingAttempted(str(error)) from None
        links = report_links(html, page)
        if not links:
            raise NothingAttempted(f"page changed: {page}: no report links (looked for {LOOKED_FOR})")
        tilt100 = [link for link in links if link.is_tilt100]
        before = state.pages.get(page, {}).get("tilt100_links", 0)
        if not tilt100 and before:
            raise NothingAttempted(
                f"page changed: {page}: no TILT100 .xlsx or .pdf links among {len(links)} report links"
                f" (it had {before} at the last run)"
            )
        counts[page] = len(tilt100)
        for link in tilt100:
            found.setdefault(link.url, link)
    return list(found.values()), counts


def keep(download_temp: Path, link: Link, sha256: str, folder: Path) -> Path:
    """Rename a complete download into place under a name that keeps versions apart."""
    target = folder / f"{safe_stem(link.name)}.{sha256[:12]}{link.suffix}"
    download_temp.replace(target)
    return target


def fetch_new(
    args: argparse.Namespace, state: State, out: TextIO, err: TextIO
) -> tuple[list[dict[str, Any]], int, bool]:
    """Fetch what is new: (entries fetched, files failed, anything new linked for a dry run)."""
    s = session(args.retries, args.backoff)
    with s:
        links, counts = find_links(s, pages_of(args), state)
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
            validators = state.urls.get(link.url, {})
            try:
                got = download(
                    s,
                    link.url,
                    link.suffix,
                    args.dest,
                    validators.get("etag"),
                    validators.get("last_modified"),
                    args.max_bytes,
                )
            except FetchFailed as error:
                print(f"failed: {link.name}: {error} ({link.url})", file=err)
                failed += 1
                continue
            if got is None:  # 304 Not Modified
                continue
            state.urls[link.url] = {"etag": got.etag, "last_modified": got.last_modified, "sha256": got.sha256}
            if state.known_sha256(got.sha256) is not None:  # the same bytes again: nothing new
                got.temp.unlink()
                state.save()
                continue
            path = keep(got.temp, link, got.sha256, args.dest)
            entry = {
                "url": link.url,
                "name": link.name,
                "page": link.page,
                "file": path.name,
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
            fetched.append(entry)
            print(f"fetched {path}  ({got.size} bytes, {link.name})", file=out)
        return fetched, failed, bool(fetched)


def quarantine(entry: dict[str, Any], error: str, folder: Path) -> Path:
    """Move a refused file into DEST/quarantine with its error beside it as <name>.error.txt."""
    qdir = folder / "quarantine"
    qdir.mkdir(parents=True, exist_ok=True)
    target = qdir / entry["file"]
    shutil.move(str(folder / entry["file"]), target)
    (qdir / f"{entry['file']}.error.txt").write_text(
        f"file: {entry['file']}\nurl: {entry['url']}\nsha256: {entry['sha256']}\n"
        f"fetched_at: {entry['fetched_at']}\nquarantined_at: {now()}\n\n{error.rstrip()}\n",
        encoding="utf-8",
    )
    entry["status"], entry["file"], entry["error"] = "quarantined", f"quarantine/{entry['file']}", error
    return target


def refresh_command(db: Path | None, files: Sequence[Path]) -> list[str]:
    """The refresh, run as its own process (``python -m warehouse``)."""
    return [sys.executable, "-m", "warehouse", *(["--db", str(db)] if db is not None else []), *map(str, files)]


def first_line(output: str, *markers: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for marker in markers:
        hit = next((line for line in lines if marker in line), None)
        if hit:
            return hit
    return lines[-1] if lines else "no output"


def monthly_job(args: argparse.Namespace, state: State, out: TextIO, err: TextIO) -> int:
    """Check every fetched, not yet loaded file reads; refresh the warehouse with the good ones."""
    failed = 0
    good: list[dict[str, Any]] = []
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
        target = quarantine(entry, message, args.dest)
        state.save()
        failed += 1
        print(f"refused: {message} (moved to {target})", file=err)
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
            quarantine(entry, f"the refresh failed (exit 1):\n\n{output}", args.dest)
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


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with locked(args.state):
        try:
            state = State(args.state)
        except StateError as error:
            raise NothingAttempted(str(error)) from None
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
