"""`tilt100 fetch`: NAV's pages read, TILT100 files fetched safely and once, the monthly job.

A local HTTP server (127.0.0.1, port 0) serves pages shaped as NAV's own data app
describes them; nothing here reaches the internet.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import duckdb
import openpyxl
import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from extract.reports import definitions
from tilt100 import fetch
from tilt100.fetch import cli
from tilt100.fetch.links import report_links
from tilt100.settings import archive_years
from tooling.replica.siblings import sibling_report
from tooling.replica.xlsx import write_xlsx

ROOT = Path(__file__).resolve().parents[2]
XLSX = ROOT / "data" / "reports" / "tilt100_2026-01.xlsx"
PDF = ROOT / "data" / "reports" / "tilt100_2026-01.pdf"
STATS = "/no/nav-og-samfunn/statistikk/arbeidssokere-og-stillinger-statistikk/tiltaksdeltakere"
ARCHIVE = STATS + "/relatert-informasjon/arkiv-tiltaksdeltakere.{year}"
NAME = "TILT100 Tiltaksdeltakere. Hovedgruppe og demografi. Tidsserie maaned.xlsx"
UUID = "4d9c0a51-7c3e-4c7e-9a51-0f1e2d3c4b5a"


@dataclass
class File:
    body: bytes
    etag: str | None = None
    last_modified: str | None = "Wed, 04 Feb 2026 07:00:00 GMT"
    content_type: str = "application/octet-stream"
    status: int = 200
    cut: bool = False  # announce twice the length, send half, close
    fail_first: int = 0  # answer fail_status this many times first
    fail_status: int = 503
    retry_after: str | None = None  # sent with the failing answers
    gzip: bool = False  # compressed although asked for identity; Content-Length counts the compressed bytes
    length: bool = True  # False: no Content-Length, the body ends when the connection closes
    hang: threading.Event | None = None  # send half the body, then wait for this before closing
    location: str | None = None  # answer 302 Found, to there


@dataclass
class Site:
    """What the server serves (path with query -> page or file) and what it was asked."""

    routes: dict[str, File | str] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    base: str = ""
    tls: ssl.SSLContext | None = None  # set: the server is also an HTTPS proxy whose tunnels it answers itself

    def asked(self, path: str) -> list[dict[str, str]]:
        return [headers for p, headers in self.requests if p == path]


def handler_for(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def send(self, status: int, body: bytes, headers: dict[str, str], length: int | None = None) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body) if length is None else length))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            site.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            route = site.routes.get(self.path)
            if route is None:
                self.send(404, b"<html><body>Fant ikke siden</body></html>", {"Content-Type": "text/html"})
            elif isinstance(route, str):
                self.send(200, route.encode(), {"Content-Type": "text/html; charset=utf-8"})
            elif route.fail_first > 0:
                route.fail_first -= 1
                wait = {"Retry-After": route.retry_after} if route.retry_after else {}
                self.send(route.fail_status, b"busy", {"Content-Type": "text/plain", **wait})
            else:
                self.send_file(route)

        def send_file(self, route: File) -> None:
            body = gzip.compress(route.body) if route.gzip else route.body
            headers = {"Content-Type": route.content_type}
            if route.gzip:
                headers["Content-Encoding"] = "gzip"
            if route.etag:
                headers["ETag"] = route.etag
            if route.last_modified:
                headers["Last-Modified"] = route.last_modified
            if route.location:
                self.send(302, b"", {"Location": route.location})
            elif route.etag and self.headers.get("If-None-Match") == route.etag:
                self.send(304, b"", headers)
            elif route.cut or route.hang:
                self.send(route.status, body[: len(body) // 2], headers, len(body))
                self.wfile.flush()
                if route.hang:
                    route.hang.wait(60)
                self.close_connection = True
            elif not route.length:
                self.send_response(route.status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)
                self.close_connection = True
            else:
                self.send(route.status, body, headers)

        def do_CONNECT(self) -> None:
            """A proxy's tunnel to www.nav.no:443, answered here in TLS with the test's certificate."""
            site.requests.append((f"CONNECT {self.path}", {}))
            assert site.tls is not None and self.path == "www.nav.no:443", self.path
            self.send_response(200, "Connection established")
            self.end_headers()
            self.connection = site.tls.wrap_socket(self.connection, server_side=True)
            self.rfile = self.connection.makefile("rb")
            self.wfile = self.connection.makefile("wb")
            self.close_connection = False  # the requests in the tunnel come next

        def finish(self) -> None:
            with contextlib.suppress(OSError):
                super().finish()
                self.connection.close()

    return Handler


class Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A client that went away (killed on purpose) is no failure of the server's; the client's asserts tell."""


def serve(site: Site) -> Server:
    server = Server(("127.0.0.1", 0), handler_for(site))
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server


@pytest.fixture
def site() -> Iterator[Site]:
    site = Site()
    server = serve(site)
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def no_project_warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--refresh asks the warehouse what it holds: a test's own (absent) one, never the project's."""
    monkeypatch.setenv("WAREHOUSE_DB", str(tmp_path / "warehouse.duckdb"))


def attachment(hash_: str, name: str, query: str = "") -> str:
    return f"/_/attachment/download/{UUID}:{hash_}/{quote(name)}{query}"


def page(*hrefs: str) -> str:
    anchors = "\n".join(f'<li><a class="lenke" href="{href}"><span>{href[-30:]}</span></a></li>' for href in hrefs)
    return f"<!doctype html><html><head><title>Tiltaksdeltakere</title></head><body><ul>{anchors}</ul></body></html>"


@functools.cache
def sibling_workbook(code: str, year: int) -> bytes:
    """A sibling's December workbook (a replica, ``tooling.replica.siblings``): fetched and loaded as NAV's are."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sibling.xlsx"
        write_xlsx(sibling_report(code, year, 12).spec, path)
        return path.read_bytes()


FAKE_XLSX = b"PK\x03\x04" + b"workbook 2026" * 100
FAKE_XLSX_2025 = b"PK\x03\x04" + b"workbook 2025" * 100
FAKE_PDF = b"%PDF-1.7\n" + b"pdf 2026" * 100


def nav_site(site: Site, landing_file: bytes = FAKE_XLSX, hash_: str = "a1b2c3") -> None:
    """Landing page and archives as NAV's app describes them: relative and absolute links, other codes."""
    xlsx = attachment(hash_, f"2026.01_{NAME}", "?download=true")
    pdf = attachment("d4e5f6", "202601_TILT100 Tiltaksdeltakere.pdf")
    site.routes[xlsx] = File(landing_file, etag=f'"{hash_}"')
    site.routes[pdf] = File(FAKE_PDF, etag='"pdf1"', content_type="application/pdf")
    # the siblings' workbooks (December's, of years whose TILT100 is fake: each checked against itself)
    site.routes[attachment("0ther1", "TILT110 Tiltaksdeltakere Tidsserie maaned.xlsx")] = File(
        sibling_workbook("TILT110", 2025)
    )
    site.routes[attachment("c1c1c1", "202512_TILT120 Tidsserie maaned.xlsx")] = File(sibling_workbook("TILT120", 2025))
    site.routes[attachment("0ther3", "202312_TILT130 Tidsserie maaned.xlsx")] = File(sibling_workbook("TILT130", 2023))
    site.routes[attachment("0ther2", "ARBLED Tidsserie maaned.xlsx")] = File(b"PK\x03\x04 arbled")
    site.routes[STATS] = page(
        xlsx,
        site.base + pdf,  # absolute
        attachment("0ther1", "TILT110 Tiltaksdeltakere Tidsserie maaned.xlsx"),
        attachment("0ther2", "ARBLED Tidsserie maaned.xlsx"),
        "/no/nav-og-samfunn/statistikk/annet",
        STATS + "/relatert-informasjon/arkiv-tiltaksdeltakere.2025",
    )
    a2025 = attachment("b7b7b7", f"202512_{NAME}")
    site.routes[a2025] = File(FAKE_XLSX_2025, etag='"b7"')
    site.routes[ARCHIVE.format(year=2025)] = page(a2025, attachment("c1c1c1", "202512_TILT120 Tidsserie maaned.xlsx"))
    # a link relative to the archive page itself, URL-encoded name
    site.routes[STATS + "/relatert-informasjon/filer/" + quote(f"202412_{NAME}")] = File(b"PK\x03\x04 2024")
    site.routes[ARCHIVE.format(year=2024)] = page("filer/" + quote(f"202412_{NAME}"))
    site.routes[ARCHIVE.format(year=2023)] = page(attachment("0ther3", "202312_TILT130 Tidsserie maaned.xlsx"))


def fetch_command(*args: str) -> list[str]:
    """`tilt100 fetch` as its own process."""
    return [sys.executable, "-m", "tilt100", "fetch", *args]


def run(site: Site, tmp: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    argv = ["--landing", site.base + STATS, "--dest", str(tmp / "fetched"), "--backoff", "0", *args]
    code = fetch.main(argv, out, err)
    return code, out.getvalue(), err.getvalue()


def kept(tmp: Path) -> list[str]:
    folder = tmp / "fetched"
    return sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.exists() else []


def state_of(tmp: Path) -> dict:
    return json.loads((tmp / "fetched.state.json").read_text())


# --- 1. links -------------------------------------------------------------------------------------------------


def test_finds_tilt100_links_only_by_href_and_file_name() -> None:
    base = "https://www.nav.no" + STATS
    html = (
        page(
            attachment("aa", f"2026.04_{NAME}", "?download=true#top"),
            "https://www.nav.no" + attachment("bb", "TILT100 Tiltaksdeltakere.pdf"),
            attachment("cc", "TILT110 Tiltaksdeltakere. Tidsserie maaned.xlsx"),
            attachment("dd", "ARBLED Arbeidsledige.xlsx"),
            attachment("ee", "TILT1000 notes.xlsx"),
            attachment("ff", "2022_TILT030 Tiltaksdeltakere.xlsx"),
            attachment("gg", "TILT120 Tiltaksdeltakere.pdf"),
            "mailto:x@nav.no",
        )
        + '<link href="/_/attachment/download/x:y/TILT100.xlsx">'
    )
    links = report_links(html, base)
    assert [link.name for link in links] == [
        f"2026.04_{NAME}",
        "TILT100 Tiltaksdeltakere.pdf",
        "TILT110 Tiltaksdeltakere. Tidsserie maaned.xlsx",
        "TILT1000 notes.xlsx",  # NAV's own selection matches it; not TILT100
        "2022_TILT030 Tiltaksdeltakere.xlsx",
        "TILT120 Tiltaksdeltakere.pdf",
    ]
    assert links[0].url == "https://www.nav.no" + attachment("aa", f"2026.04_{NAME}", "?download=true")
    assert [link.is_tilt100 for link in links] == [True, True, False, False, False, False]
    every = frozenset(definitions())
    # the workbooks and PDFs of TILT100 and its siblings; TILT030's workbooks
    assert [link.report_code for link in links] == ["TILT100", "TILT100", "TILT110", None, "TILT030", "TILT120"]
    assert [link.is_wanted(every) for link in links] == [True, True, True, False, True, True]
    assert [link.is_wanted(frozenset({"TILT100"})) for link in links] == [True, True, False, False, False, False]


def test_dry_run_lists_what_it_would_fetch_and_downloads_nothing(site: Site, tmp_path: Path) -> None:
    nav_site(site)
    code, out, err = run(site, tmp_path, "--dry-run")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert all(line.startswith("would fetch ") for line in lines)
    # TILT100: 2026 xlsx and pdf, the 2025 and 2024 archives; the siblings' workbooks: TILT110, 120, 130 (2023)
    assert len([line for line in lines if "TILT100" in line]) == 4
    assert [code for code in ("TILT110", "TILT120", "TILT130") if any(code in line for line in lines)] == [
        "TILT110",
        "TILT120",
        "TILT130",
    ]
    assert len(lines) == 7
    assert site.base + STATS + "/relatert-informasjon/filer/202412_TILT100%20" in out
    assert "ARBLED" not in out
    code, out, err = run(site, tmp_path, "--dry-run", "--report", "TILT100")  # TILT100's files alone
    assert (code, err, len(out.splitlines())) == (0, "", 4) and all("TILT100" in line for line in out.splitlines())
    assert kept(tmp_path) == [] and not (tmp_path / "fetched.state.json").exists()
    assert not [p for p, _ in site.requests if p.startswith("/_/attachment")]


def test_the_archives_read_are_each_finished_year_and_any_the_landing_page_links() -> None:
    assert archive_years(date(2026, 12, 5)) == [2023, 2024, 2025]  # 2026 is archived once it ends
    assert archive_years(date(2028, 1, 10)) == [2023, 2024, 2025, 2026, 2027]  # no list to keep up to date
    assert archive_years(date(2026, 3, 1), {2021, 2024}) == [2021, 2023, 2024, 2025]


def test_an_archive_the_landing_page_links_is_read_unless_years_are_named(site: Site, tmp_path: Path) -> None:
    nav_site(site)
    older = ARCHIVE.format(year=2021)
    site.routes[STATS] = site.routes[STATS].replace("</body>", f'<a href="{site.base}{older}">2021</a></body>')
    site.routes[older] = page(attachment("e2e2e2", f"202112_{NAME}"))
    code, out, _ = run(site, tmp_path, "--dry-run")
    assert code == 0 and site.asked(older) and "202112_TILT100" in out
    site.requests.clear()
    for named in (["--since", "2022"], ["--archive-year", "2025"]):
        code, out, _ = run(site, tmp_path, "--dry-run", *named)
        assert code == 0 and not site.asked(older) and "202112_TILT100" not in out


def test_since_limits_the_archives_read(site: Site, tmp_path: Path) -> None:
    nav_site(site)
    code, out, _ = run(site, tmp_path, "--dry-run", "--since", "2025")
    assert code == 0 and len(out.splitlines()) == 5  # 2026 xlsx, pdf and TILT110; 2025's TILT100 and TILT120
    assert not site.asked(ARCHIVE.format(year=2024)) and not site.asked(ARCHIVE.format(year=2023))
    assert site.asked(ARCHIVE.format(year=2025)) and site.asked(STATS)


# --- 2. versions kept apart, state, conditional GET --------------------------------------------------------------


def test_fetches_new_files_then_nothing_new_asking_conditionally(site: Site, tmp_path: Path) -> None:
    nav_site(site)
    code, out, err = run(site, tmp_path, "--since", "2025")
    assert (code, err) == (0, "")
    assert len(out.splitlines()) == 5 and all(line.startswith("fetched ") for line in out.splitlines())
    names = kept(tmp_path)
    assert len(names) == 5 and any(n.endswith(".pdf") for n in names)
    assert len([n for n in names if "TILT110" in n or "TILT120" in n]) == 2  # the siblings' workbooks
    state = state_of(tmp_path)
    entry = next(f for f in state["files"] if f["name"] == f"2026.01_{NAME}")
    assert entry["url"] == site.base + attachment("a1b2c3", f"2026.01_{NAME}", "?download=true")
    assert entry["etag"] == '"a1b2c3"' and entry["last_modified"] == "Wed, 04 Feb 2026 07:00:00 GMT"
    assert entry["size"] == len(FAKE_XLSX) and entry["status"] == "fetched" and entry["fetched_at"]
    assert (tmp_path / "fetched" / entry["file"]).read_bytes() == FAKE_XLSX
    assert entry["sha256"] == hashlib.sha256(FAKE_XLSX).hexdigest()

    site.requests.clear()
    code, out, err = run(site, tmp_path, "--since", "2025")
    assert (code, out, err) == (0, "nothing new\n", "")
    assert kept(tmp_path) == names
    headers = site.asked(attachment("a1b2c3", f"2026.01_{NAME}", "?download=true"))
    assert headers[0]["if-none-match"] == '"a1b2c3"'
    assert headers[0]["if-modified-since"] == "Wed, 04 Feb 2026 07:00:00 GMT"
    assert "tilt100-warehouse" in headers[0]["user-agent"]


def test_same_bytes_answered_200_again_are_nothing_new(site: Site, tmp_path: Path) -> None:
    nav_site(site)
    assert run(site, tmp_path, "--since", "2026")[0] == 0
    for route in site.routes.values():
        if isinstance(route, File):
            route.etag = None  # a server that ignores conditional requests
    assert run(site, tmp_path, "--since", "2026")[1] == "nothing new\n"


def test_a_changed_hash_is_a_new_version_kept_beside_the_old(site: Site, tmp_path: Path) -> None:
    nav_site(site)
    assert run(site, tmp_path, "--since", "2026")[0] == 0
    before = kept(tmp_path)
    february = b"PK\x03\x04" + b"february" * 100
    nav_site(site, landing_file=february, hash_="f00f00")  # NAV updated the file under the same name
    code, out, _ = run(site, tmp_path, "--since", "2026")
    assert code == 0 and len(out.splitlines()) == 1 and NAME in out
    after = kept(tmp_path)
    assert set(before) < set(after) and len(after) == len(before) + 1
    versions = [n for n in after if n.startswith("2026.01_TILT100")]
    assert sorted((tmp_path / "fetched" / n).read_bytes() for n in versions) == sorted([FAKE_XLSX, february])


# --- 3. safe downloads ---------------------------------------------------------------------------------------------


def test_bad_downloads_never_reach_the_folder(site: Site, tmp_path: Path) -> None:
    html_page = attachment("h1", "TILT100 html.xlsx")
    cut = attachment("c1", "TILT100 cut.xlsx")
    gone = attachment("g1", "TILT100 gone.pdf")
    big = attachment("b1", "TILT100 big.xlsx")
    good = attachment("ok", "TILT100 good.xlsx")
    site.routes[html_page] = File(b"<!doctype html><html>Noe gikk galt</html>", content_type="text/html")
    site.routes[cut] = File(FAKE_XLSX, cut=True)
    site.routes[big] = File(b"PK\x03\x04" + b"x" * 5000)
    site.routes[good] = File(FAKE_XLSX)
    site.routes[STATS] = page(html_page, cut, gone, big, good)
    code, out, err = run(site, tmp_path, "--since", "2099", "--max-bytes", "4000")
    assert code == 1
    assert len(out.splitlines()) == 1 and "TILT100 good.xlsx" in out
    lines = err.splitlines()
    assert len(lines) == 4 and all(line.startswith("failed: ") for line in lines), err
    assert "not an .xlsx workbook" in lines[0] and "text/html" in lines[0]
    assert "TILT100 cut.xlsx" in lines[1]
    assert "HTTP 404" in lines[2] and "over the limit" in lines[3]
    assert kept(tmp_path) == [next(n for n in kept(tmp_path) if n.startswith("TILT100 good."))]
    assert not list((tmp_path / "fetched").glob(".*"))  # no partial file left
    # failed files are not recorded: the next run tries them again
    site.requests.clear()
    assert run(site, tmp_path, "--since", "2099", "--max-bytes", "4000")[0] == 1
    assert site.asked(cut)


def test_retries_503_then_fetches(site: Site, tmp_path: Path) -> None:
    busy = attachment("r1", "TILT100 busy.xlsx")
    site.routes[busy] = File(FAKE_XLSX, fail_first=2)
    site.routes[STATS] = page(busy)
    code, out, _ = run(site, tmp_path, "--since", "2099")
    assert code == 0 and "fetched" in out and len(site.asked(busy)) == 3


def test_retries_are_bounded(site: Site, tmp_path: Path) -> None:
    busy = attachment("r2", "TILT100 busy.xlsx")
    site.routes[busy] = File(FAKE_XLSX, fail_first=100)
    site.routes[STATS] = page(busy)
    code, _, err = run(site, tmp_path, "--since", "2099", "--retries", "2")
    assert code == 1 and "HTTP 503" in err and len(site.asked(busy)) == 3


def test_page_unreachable_or_changed_is_an_error_naming_the_page(site: Site, tmp_path: Path) -> None:
    nav_site(site)
    del site.routes[ARCHIVE.format(year=2024)]
    code, out, err = run(site, tmp_path)
    assert code == 2 and out == "" and "arkiv-tiltaksdeltakere.2024: HTTP 404" in err and len(err.splitlines()) == 1
    assert kept(tmp_path) == []  # nothing attempted

    site.routes[ARCHIVE.format(year=2024)] = page("/no/annet", "/_/attachment/download/x:y/Brosjyre.pdf")
    code, _, err = run(site, tmp_path)
    assert code == 2 and "arkiv-tiltaksdeltakere.2024: no report links" in err and "TILT1[0-8]0" in err

    assert run(site, tmp_path, "--since", "2026")[0] == 0  # the landing page had TILT100 links
    site.routes[STATS] = page(attachment("0ther1", "TILT110 Tiltaksdeltakere Tidsserie maaned.xlsx"))
    code, out, err = run(site, tmp_path, "--since", "2026")
    assert code == 2 and out == ""
    assert STATS in err and "no TILT100" in err and "it had 2 at the last run" in err


def test_unreachable_server_is_nothing_attempted(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    argv = ["--landing", "http://127.0.0.1:9/x", "--dest", str(tmp_path / "f"), "--retries", "0", "--since", "2099"]
    assert fetch.main(argv, out, err) == 2
    assert err.getvalue().startswith("fetch: nothing attempted: page unreachable: http://127.0.0.1:9/x")
    assert len(err.getvalue().splitlines()) == 1


@pytest.mark.parametrize(
    "args", [["--since", "abc"], ["--db", "w.duckdb"], ["--dry-run", "--refresh"], ["--archive", "x"]]
)
def test_bad_arguments_exit_2(args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert fetch.main([*args, "--dest", str(tmp_path / "f")]) == 2
    assert "error:" in capsys.readouterr().err
    assert not (tmp_path / "f").exists()


# --- 3b. a fetch that cannot wedge itself ------------------------------------------------------------------------


def sha12(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:12]


def test_a_long_norwegian_name_is_cut_in_bytes_and_the_links_after_it_are_fetched(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 180 letters of two bytes each: cut at 150 characters, the file's name was still 302 bytes
    assert os.pathconf(tmp_path, "PC_NAME_MAX") == 255  # ext4's, tmpfs's, overlayfs's: what the names below assume
    long_name = "2026.01_TILT100 " + "æøå" * 60 + ".xlsx"
    after = attachment("af", "TILT100 after.pdf")
    site.routes[attachment("ln", long_name)] = File(FAKE_XLSX)
    site.routes[after] = File(FAKE_PDF)
    site.routes[STATS] = page(attachment("ln", long_name), after)
    code, out, err = run(site, tmp_path, "--since", "2099")
    assert (code, err) == (0, "") and [line.split()[0] for line in out.splitlines()] == ["fetched", "fetched"]
    # 255 bytes less ".<sha12>.xlsx.error.txt" (28) leave 227 for the stem: 16 ASCII and 105 letters (210 bytes),
    # the 106th letter cut in half and dropped
    long_file = f"2026.01_TILT100 {('æøå' * 60)[:105]}.{sha12(FAKE_XLSX)}.xlsx"
    assert kept(tmp_path) == sorted([long_file, f"TILT100 after.{sha12(FAKE_PDF)}.pdf"])
    assert len(long_file.encode()) == 16 + 210 + 18
    # quarantined, its error file (the longest name made from it) fits too
    monkeypatch.setattr(cli, "refresh_command", lambda db, files: [sys.executable, "-c", "print('files: 1 loaded')"])
    code, _, err = run(site, tmp_path, "--since", "2099", "--refresh")
    assert code == 1 and err.count("refused: ") == 2  # FAKE bytes do not read as reports
    quarantined = sorted(p.name for p in (tmp_path / "fetched" / "quarantine").iterdir())
    assert f"{long_file}.error.txt" in quarantined and len(f"{long_file}.error.txt".encode()) == 254


def test_a_file_that_cannot_be_kept_fails_alone(site: Site, tmp_path: Path) -> None:
    first, second = attachment("f1", "TILT100 first.xlsx"), attachment("f2", "TILT100 second.pdf")
    site.routes[first] = File(FAKE_XLSX, etag='"f1"')
    site.routes[second] = File(FAKE_PDF)
    site.routes[STATS] = page(first, second)
    in_the_way = tmp_path / "fetched" / f"TILT100 first.{sha12(FAKE_XLSX)}.xlsx"
    in_the_way.mkdir(parents=True)  # a folder where the first file's name goes: renaming onto it fails
    code, out, err = run(site, tmp_path, "--since", "2099")
    assert code == 1
    assert err.startswith("failed: TILT100 first.xlsx: IsADirectoryError: [Errno 21] Is a directory: ")
    assert err.endswith(f" ({site.base}{first})\n") and len(err.splitlines()) == 1
    second_file = tmp_path / "fetched" / f"TILT100 second.{sha12(FAKE_PDF)}.pdf"
    assert out == f"fetched {second_file}  ({len(FAKE_PDF)} bytes, TILT100 second.pdf)\n"
    assert sorted(p.name for p in (tmp_path / "fetched").iterdir()) == sorted(
        [in_the_way.name, f"TILT100 second.{sha12(FAKE_PDF)}.pdf"]
    )  # no partial file
    assert [f["name"] for f in state_of(tmp_path)["files"]] == ["TILT100 second.pdf"]
    assert site.base + first not in state_of(tmp_path)["urls"]  # no validators: asked afresh next run
    in_the_way.rmdir()
    site.requests.clear()
    code, out, err = run(site, tmp_path, "--since", "2099")
    assert (code, err) == (0, "") and out.startswith(f"fetched {in_the_way}  ")
    assert "if-none-match" not in site.asked(first)[0]


def stand_in_refresh(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The refresh stood in for by a process that lands each file's SHA-256 in raw.tilt100_files, as it does."""
    script = (
        "import duckdb, hashlib, sys; db, files = sys.argv[1], sys.argv[2:]\n"
        "con = duckdb.connect(db); con.execute('create schema if not exists raw')\n"
        "con.execute('create table if not exists raw.tilt100_files (file_sha256 varchar primary key)')\n"
        "for f in files: con.execute('insert or ignore into raw.tilt100_files values (?)',"
        " [hashlib.sha256(open(f, 'rb').read()).hexdigest()])\n"
        "print(f'files: {len(files)} loaded')"
    )
    seen: list[list[str]] = []

    def command(db: Path | None, files: list[Path]) -> list[str]:
        seen.append([Path(f).name for f in files])
        return [sys.executable, "-c", script, str(db or os.environ["WAREHOUSE_DB"]), *map(str, files)]

    monkeypatch.setattr(cli, "refresh_command", command)
    monkeypatch.setattr(cli, "read_report", lambda path: None)  # the fake bytes stand for reports that read
    return seen


def test_a_pending_file_deleted_by_hand_is_dropped_and_fetched_again(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    href = serve_one(site, FAKE_XLSX, "del1")
    assert run(site, tmp_path, "--since", "2099")[0] == 0  # fetched, not loaded
    [entry] = state_of(tmp_path)["files"]
    (tmp_path / "fetched" / entry["file"]).unlink()  # deleted by hand
    seen = stand_in_refresh(monkeypatch)
    site.requests.clear()
    code, out, err = run(site, tmp_path, "--since", "2099", "--refresh")
    assert code == 0, err  # it was FileNotFoundError at every --refresh
    path = tmp_path / "fetched" / entry["file"]
    assert err == f"warning: {path} is gone: dropped from the state (fetched again while NAV links it)\n"
    assert out.splitlines() == [
        f"fetched {path}  ({len(FAKE_XLSX)} bytes, 2026.01_{NAME})",
        "refreshed: files: 1 loaded",
    ]
    assert "if-none-match" not in site.asked(href)[0]  # its validators went with it: not a 304
    assert seen == [[entry["file"]]]
    [again] = state_of(tmp_path)["files"]
    assert (again["file"], again["status"]) == (entry["file"], "loaded")


def test_the_warehouse_not_the_state_file_says_what_is_loaded(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = stand_in_refresh(monkeypatch)
    serve_one(site, FAKE_XLSX, "wh1")
    db = tmp_path / "w.duckdb"
    assert run(site, tmp_path, "--since", "2099", "--refresh", "--db", str(db))[0] == 0
    [entry] = state_of(tmp_path)["files"]
    assert entry["status"] == "loaded" and seen == [[entry["file"]]]
    db.unlink()  # make clean: the state still says "loaded"
    code, out, err = run(site, tmp_path, "--since", "2099", "--refresh", "--db", str(db))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"1 file(s) marked loaded are not in the warehouse {db}: loading them again",
        "1 file(s) fetched earlier, not yet loaded",
        "refreshed: files: 1 loaded",
    ]
    assert seen[1:] == [[entry["file"]]] and state_of(tmp_path)["files"][0]["status"] == "loaded"
    assert run(site, tmp_path, "--since", "2099", "--refresh", "--db", str(db))[1] == "nothing new\n"
    # the other way round: a state file restored from before the load says "fetched"; the warehouse holds it
    state = state_of(tmp_path)
    state["files"][0]["status"] = "fetched"
    (tmp_path / "fetched.state.json").write_text(json.dumps(state))
    code, out, err = run(site, tmp_path, "--since", "2099", "--refresh", "--db", str(db))
    assert (code, out, err) == (0, "nothing new\n", "") and len(seen) == 2
    assert state_of(tmp_path)["files"][0]["status"] == "loaded"


def test_a_warehouse_that_cannot_be_read_is_nothing_attempted(site: Site, tmp_path: Path) -> None:
    serve_one(site, FAKE_XLSX, "wh2")
    db = tmp_path / "w.duckdb"
    db.write_bytes(b"<html>not a warehouse</html>" * 200)
    code, out, err = run(site, tmp_path, "--since", "2099", "--refresh", "--db", str(db))
    assert (code, out) == (2, "") and len(err.splitlines()) == 1
    assert err.startswith(f"fetch: nothing attempted: the warehouse {db} cannot be read: ")
    assert kept(tmp_path) == []


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_partial_files_of_a_killed_run_are_removed_at_the_next(site: Site, tmp_path: Path, how: signal.Signals) -> None:
    release = threading.Event()
    href = serve_one(site, FAKE_XLSX, "kill1")
    site.routes[href].hang = release  # half the file, then nothing: the run is killed mid-download
    folder = tmp_path / "fetched"
    command = fetch_command("--landing", site.base + STATS, "--dest", str(folder), "--since", "2099")
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(1200):  # a wait for the download to begin, not a measure of time
            if list(folder.glob(".fetch-*.part")) or child.poll() is not None:
                break
            time.sleep(0.05)
        [part] = folder.glob(".fetch-*.part")
        child.send_signal(how)
        child.wait()
    finally:
        release.set()
        child.kill()
        child.wait()
    assert part.exists()  # neither signal lets the child clean up
    state_temp = tmp_path / ".fetched.state.json.x1y2z3.tmp"  # a save cut short the same way
    state_temp.write_text("{")
    decoys = [folder / "fetch-notes.part", folder / ".fetch-x.partial", tmp_path / ".other.json.x.tmp"]
    for decoy in decoys:
        decoy.write_text("not ours")
    site.routes[href].hang = None
    code, out, err = run(site, tmp_path, "--since", "2099")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == f"removed 2 partial file(s) of an interrupted run: {part.name}, {state_temp.name}"
    assert out.splitlines()[1].startswith("fetched ")
    assert not part.exists() and not state_temp.exists() and all(decoy.exists() for decoy in decoys)


@pytest.mark.parametrize("wait", ["7200", "Wed, 21 Oct 2099 07:28:00 GMT"])
def test_a_retry_after_beyond_the_cap_fails_that_file_at_once(site: Site, tmp_path: Path, wait: str) -> None:
    later, soon = attachment("w1", "TILT100 later.xlsx"), attachment("w2", "TILT100 soon.pdf")
    site.routes[later] = File(FAKE_XLSX, fail_first=100, fail_status=429, retry_after=wait)
    site.routes[soon] = File(FAKE_PDF, fail_first=1, fail_status=503, retry_after="0")
    site.routes[STATS] = page(later, soon)
    # its own process, so that a fetch that obeys the two hours fails here instead of hanging the suite
    landing, dest = site.base + STATS, str(tmp_path / "fetched")
    command = fetch_command("--landing", landing, "--dest", dest, "--since", "2099", "--backoff", "0")
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1
    assert done.stderr == (
        f"failed: TILT100 later.xlsx: HTTP 429 with Retry-After {wait}: beyond the cap of 120 s, not waited for"
        f" ({site.base}{later})\n"
    )
    assert len(site.asked(later)) == 1  # not waited for, not asked again
    assert len(site.asked(soon)) == 2 and done.stdout.startswith("fetched ") and "TILT100 soon.pdf" in done.stdout


def test_a_gzip_answer_is_decoded_and_its_length_checked_on_the_wire(site: Site, tmp_path: Path) -> None:
    packed, cut = attachment("z1", "TILT100 packed.xlsx"), attachment("z2", "TILT100 cut.xlsx")
    site.routes[packed] = File(FAKE_XLSX, gzip=True)  # Content-Length counts the compressed bytes
    site.routes[cut] = File(FAKE_XLSX, gzip=True, cut=True)
    site.routes[STATS] = page(packed, cut)
    code, out, err = run(site, tmp_path, "--since", "2099")
    assert code == 1
    assert site.asked(packed)[0]["accept-encoding"] == "identity"
    assert out.startswith(f"fetched {tmp_path / 'fetched' / f'TILT100 packed.{sha12(FAKE_XLSX)}.xlsx'}  (1304 bytes")
    assert (tmp_path / "fetched" / f"TILT100 packed.{sha12(FAKE_XLSX)}.xlsx").read_bytes() == FAKE_XLSX
    wire = len(gzip.compress(FAKE_XLSX))
    assert err == f"failed: TILT100 cut.xlsx: cut off: {wire // 2} of {wire} bytes ({site.base}{cut})\n"


@pytest.mark.parametrize("announced", [True, False])
def test_a_page_is_read_up_to_a_size_cap(site: Site, tmp_path: Path, announced: bool) -> None:
    nav_site(site)
    html = page(attachment("a1b2c3", f"2026.01_{NAME}", "?download=true"))
    big = html.replace("</body>", "<!--" + "x" * 300_000 + "--></body>").encode()
    site.routes[STATS] = File(big, content_type="text/html; charset=utf-8", length=announced)
    code, out, err = run(site, tmp_path, "--since", "2099", "--max-page-bytes", "100000")
    assert (code, out) == (2, "")
    said = (
        f"announced {len(big)} bytes, over the limit of 100000" if announced else "more than the limit of 100000 bytes"
    )
    assert err == f"fetch: nothing attempted: page too large: {site.base}{STATS}: {said}\n"
    assert run(site, tmp_path, "--since", "2099")[0] == 0  # under the default cap (5 MB) it reads


def test_links_to_other_hosts_are_named_and_skipped(site: Site, tmp_path: Path) -> None:
    here = attachment("h1", "TILT100 here.xlsx")
    port = site.base.rsplit(":", 1)[1]
    # the same server by another name, and a host far away
    elsewhere = f"http://localhost:{port}" + attachment("h2", "TILT100 elsewhere.xlsx")
    far = "https://files.example.org/TILT100 far.pdf"
    site.routes[here] = File(FAKE_XLSX)
    site.routes[attachment("h2", "TILT100 elsewhere.xlsx")] = File(FAKE_XLSX_2025)
    site.routes[STATS] = page(here, elsewhere, far)
    for args in (["--dry-run"], []):
        code, out, err = run(site, tmp_path, "--since", "2099", *args)
        assert (code, err) == (0, "")
        assert out.splitlines()[:2] == [
            f"skipped TILT100 elsewhere.xlsx: not on 127.0.0.1:{port}, the landing page's host ({elsewhere})",
            f"skipped TILT100 far.pdf: not on 127.0.0.1:{port}, the landing page's host ({far})",
        ]
        assert len(out.splitlines()) == 3 and "TILT100 here.xlsx" in out.splitlines()[2]
    assert not site.asked(attachment("h2", "TILT100 elsewhere.xlsx"))
    assert kept(tmp_path) == [f"TILT100 here.{sha12(FAKE_XLSX)}.xlsx"]


def test_a_redirect_to_another_host_is_not_followed(site: Site, tmp_path: Path) -> None:
    port = site.base.rsplit(":", 1)[1]
    away, here = attachment("r1", "TILT100 away.xlsx"), attachment("r2", "TILT100 here.xlsx")
    there = f"http://localhost:{port}" + attachment("r3", "TILT100 away.xlsx")  # the same server, by another name
    site.routes[away] = File(b"", location=there)
    site.routes[attachment("r3", "TILT100 away.xlsx")] = File(FAKE_XLSX)
    site.routes[here] = File(b"", location=attachment("r4", "TILT100 here.xlsx"))  # on the host: followed
    site.routes[attachment("r4", "TILT100 here.xlsx")] = File(FAKE_XLSX_2025)
    site.routes[STATS] = page(away, here)
    code, out, err = run(site, tmp_path, "--since", "2099")
    assert code == 1
    assert err == f"failed: TILT100 away.xlsx: HTTP 302 to {there}: another host, not followed ({site.base}{away})\n"
    assert not site.asked(attachment("r3", "TILT100 away.xlsx"))
    assert kept(tmp_path) == [f"TILT100 here.{sha12(FAKE_XLSX_2025)}.xlsx"] and out.startswith("fetched ")


# --- 4. the monthly job --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def broken_xlsx(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bundled workbook without its kommune sheet: reading refuses it."""
    book = openpyxl.load_workbook(XLSX)
    del book["Tiltaksdeltakere og kommune"]
    path = tmp_path_factory.mktemp("broken") / "broken.xlsx"
    book.save(path)
    return path.read_bytes()


@pytest.fixture(scope="module")
def tampered_xlsx(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bundled workbook with Oslo's kommune figure 9 109 printed as 9 209: it reads, reconciliation fails."""
    book = openpyxl.load_workbook(XLSX)
    sheet = book["Tiltaksdeltakere og kommune"]
    assert sheet["A7"].value == "0301 Oslo" and sheet["B7"].value == 9109
    sheet["B7"] = sheet["C7"] = 9209
    path = tmp_path_factory.mktemp("tampered") / "tampered.xlsx"
    book.save(path)
    return path.read_bytes()


def serve_one(site: Site, body: bytes, hash_: str) -> str:
    href = attachment(hash_, f"2026.01_{NAME}", "?download=true")
    site.routes[href] = File(body, etag=f'"{hash_}"')
    site.routes[STATS] = page(href)
    return href


def test_refresh_quarantines_a_file_that_does_not_read(
    site: Site, tmp_path: Path, broken_xlsx: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "refresh_command", lambda *_: pytest.fail("no refresh without a good file"))
    serve_one(site, broken_xlsx, "bad1")
    code, out, err = run(site, tmp_path, "--since", "2099", "--refresh")
    assert code == 1 and "fetched" in out
    assert len(err.splitlines()) == 1 and err.startswith("refused: ") and "quarantine" in err
    quarantined = sorted(p.name for p in (tmp_path / "fetched" / "quarantine").iterdir())
    assert len(quarantined) == 2 and quarantined[1] == quarantined[0] + ".error.txt"
    assert kept(tmp_path) == []
    error = (tmp_path / "fetched" / "quarantine" / quarantined[1]).read_text()
    assert "Tiltaksdeltakere og kommune" in error or "kommune" in error
    assert state_of(tmp_path)["files"][0]["status"] == "quarantined"
    # next month: the bad file is not fetched again, nothing blocks
    code, out, err = run(site, tmp_path, "--since", "2099", "--refresh")
    assert (code, out, err) == (0, "nothing new\n", "")


def test_refresh_failure_quarantines_the_new_files_with_its_output(
    site: Site, tmp_path: Path, tampered_xlsx: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the refresh is stood in for by what it prints and exits on a failed reconciliation (one real
    # refresh per module is enough: test_monthly_job_refreshes_a_real_warehouse_then_is_quiet)
    script = "print('4 of 120 FAIL 1 block_leaves_sum_to_block_total'); print('files: 1 loaded'); raise SystemExit(1)"
    seen: list[list[str]] = []

    def failing_refresh(db: Path | None, files: list[Path]) -> list[str]:
        seen.append([str(db), *map(str, files)])
        return [sys.executable, "-c", script]

    monkeypatch.setattr(cli, "refresh_command", failing_refresh)
    serve_one(site, tampered_xlsx, "tamp1")
    code, out, err = run(site, tmp_path, "--since", "2099", "--refresh", "--db", str(tmp_path / "w.duckdb"))
    assert code == 1 and len(err.splitlines()) == 1
    assert "refresh failed, warehouse unchanged" in err and "block_leaves_sum_to_block_total" in err
    assert seen[0][0] == str(tmp_path / "w.duckdb") and seen[0][1].endswith(".xlsx")
    errors = list((tmp_path / "fetched" / "quarantine").glob("*.error.txt"))
    assert len(errors) == 1 and "FAIL 1 block_leaves_sum_to_block_total" in errors[0].read_text()
    assert kept(tmp_path) == []
    # a new version (new hash) is fetched and tried again; the quarantined one is not
    monkeypatch.setattr(cli, "refresh_command", lambda db, files: [sys.executable, "-c", "print('files: 1 loaded')"])
    assert run(site, tmp_path, "--since", "2099", "--refresh")[1] == "nothing new\n"
    serve_one(site, XLSX.read_bytes(), "fixed")  # NAV's corrected file: a new hash, same name
    code, out, err = run(site, tmp_path, "--since", "2099", "--refresh")
    assert (code, err) == (0, "")
    assert [line.split()[0] for line in out.splitlines()] == ["fetched", "refreshed:"]


def test_refresh_that_does_not_run_keeps_the_files_for_the_next_run(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "refresh_command", lambda db, files: [sys.executable, "-c", "raise SystemExit(2)"])
    serve_one(site, XLSX.read_bytes(), "keep1")
    code, _, err = run(site, tmp_path, "--since", "2099", "--refresh")
    assert code == 1 and "refresh did not run (exit 2)" in err
    assert len(kept(tmp_path)) == 1 and state_of(tmp_path)["files"][0]["status"] == "fetched"
    monkeypatch.setattr(cli, "refresh_command", lambda db, files: [sys.executable, "-c", "print('files: 1 loaded')"])
    code, out, err = run(site, tmp_path, "--since", "2099", "--refresh")
    assert (code, err) == (0, "") and "refreshed: files: 1 loaded" in out
    assert state_of(tmp_path)["files"][0]["status"] == "loaded"


# --- 5. the fetch page's lines, verbatim, on a fresh checkout ------------------------------------------------
#
# The fetch page's cron line and CI step run as written, by /bin/sh with cron's bare
# environment, in a copy of the project's files as git has them (no logs/, no
# data/fetched/, no warehouse), with NAV's own address: the test's server is the
# proxy (HTTPS_PROXY, which fetch honours) and answers the tunnel to www.nav.no
# itself, with a certificate from a CA of the test's (REQUESTS_CA_BUNDLE). The
# page's /srv/tilt100 is that checkout. A real refresh runs, twice: after the
# first fetch, and after `make clean`.

SERVED_AT = "/srv/tilt100"


def fetch_page() -> str:
    """docs/fetching.md, the page of the cron line and the CI step."""
    return (ROOT / "docs" / "fetching.md").read_text(encoding="utf-8")


def cron_command() -> str:
    """The fetch page's crontab line without its five schedule fields: what cron gives /bin/sh."""
    found = re.search(r"```cron\n(.*?)\n```", fetch_page(), re.DOTALL)
    assert found, "no ```cron block in the fetch page (docs/fetching.md)"
    [line] = found.group(1).splitlines()
    fields = line.split(None, 5)
    assert fields[:5] == ["0", "7", "5", "*", "*"] and "%" not in fields[5]  # cron cuts a command at "%"
    return fields[5]


def ci_command() -> str:
    """The fetch page's CI workflow: the step that runs fetch (after checkout and `make setup`)."""
    found = re.search(r"```yaml\n(.*?)\n```", fetch_page(), re.DOTALL)
    assert found, "no ```yaml block in the fetch page (docs/fetching.md)"
    steps = yaml.safe_load(found.group(1))["jobs"]["fetch"]["steps"]
    assert steps[0] == {"uses": "actions/checkout@v4", "with": {"clean": False}} and steps[1] == {"run": "make setup"}
    [command] = [step["run"] for step in steps if "tilt100 fetch" in step.get("run", "")]
    return command


def fresh_checkout(dest: Path) -> Path:
    """The project's files as git tracks them (as they are in the working tree), and its .venv."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in listed.decode().split("\0"):
        if name and (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)
    (dest / ".venv").symlink_to(ROOT / ".venv")  # `make setup` made it; its python runs the checkout's code
    return dest


def tls_for_www_nav_no(folder: Path) -> tuple[ssl.SSLContext, Path]:
    """A server context with a certificate for www.nav.no, and the file of the CA that signed it."""
    now = datetime.now(UTC)

    def certificate(subject: str, key: ec.EllipticCurvePrivateKey, issuer: str, signer: ec.EllipticCurvePrivateKey):
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(hours=1))
            .not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), critical=False)
        )
        is_ca = key is signer
        builder = builder.add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
        if is_ca:
            usage = dict.fromkeys(("digital_signature", "content_commitment", "key_encipherment"), False)
            usage |= dict.fromkeys(("data_encipherment", "key_agreement", "encipher_only", "decipher_only"), False)
            builder = builder.add_extension(x509.KeyUsage(key_cert_sign=True, crl_sign=True, **usage), critical=True)
        else:
            builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(subject)]), critical=False)
            builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        return builder.sign(signer, hashes.SHA256())

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = certificate("TILT100 test CA", ca_key, "TILT100 test CA", ca_key)
    leaf = certificate("www.nav.no", key, "TILT100 test CA", ca_key)
    pem = serialization.Encoding.PEM
    (folder / "ca.pem").write_bytes(ca.public_bytes(pem))
    (folder / "www.nav.no.pem").write_bytes(leaf.public_bytes(pem))
    (folder / "www.nav.no.key").write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "www.nav.no.pem", folder / "www.nav.no.key")
    return context, folder / "ca.pem"


@dataclass
class Ran:
    code: int
    out: str
    err: str
    log: str  # logs/fetch.log after the run ("" if none)


@dataclass
class ReadmeRuns:
    checkout: Path
    cron: list[Ran]  # fresh checkout, again, after `make clean`
    ci: Ran
    fetched: list[str]  # data/fetched after the first run


@pytest.fixture(scope="module")
def readme_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReadmeRuns]:
    tmp = tmp_path_factory.mktemp("readme")
    checkout = fresh_checkout(tmp / "tilt100")
    site = Site()
    site.tls, ca = tls_for_www_nav_no(tmp)
    server = serve(site)
    serve_one(site, XLSX.read_bytes(), "jan26")
    for year in archive_years(date.today()):  # the archives link a sibling's workbook only (TILT110's December)
        href = attachment(f"y{year}", f"{year}12_TILT110 Tidsserie maaned.xlsx")
        site.routes[ARCHIVE.format(year=year)] = page(href)
        site.routes[href] = File(sibling_workbook("TILT110", year))
    (tmp / "home").mkdir()
    cron_env = {  # what cron gives a job, and the proxy and CA that stand for the internet
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp / "home"),
        "SHELL": "/bin/sh",
        "LOGNAME": "tilt100",
        "HTTPS_PROXY": site.base,
        "REQUESTS_CA_BUNDLE": str(ca),
    }
    log = checkout / "logs" / "fetch.log"

    def sh(command: str, cwd: Path) -> Ran:
        command = command.replace(SERVED_AT, str(checkout))
        done = subprocess.run(["/bin/sh", "-c", command], cwd=cwd, env=cron_env, capture_output=True, text=True)
        return Ran(done.returncode, done.stdout, done.stderr, log.read_text() if log.exists() else "")

    try:
        assert not (checkout / "logs").exists() and not (checkout / "data" / "fetched").exists()
        cron = [sh(cron_command(), tmp / "home"), sh(cron_command(), tmp / "home")]
        fetched = sorted(p.name for p in (checkout / "data" / "fetched").iterdir())
        ci = sh(ci_command(), checkout)  # GitHub runs a step's command in the checkout
        cleaned = subprocess.run(["make", "clean"], cwd=checkout, env=cron_env, capture_output=True, text=True)
        assert cleaned.returncode == 0, cleaned.stdout + cleaned.stderr
        assert not (checkout / "logs").exists() and not (checkout / "warehouse.duckdb").exists()
        # Nothing the warehouse had beside it is left (dbt's kept parse, the snapshots, the link...).
        left = [p.name for p in checkout.iterdir() if p.name.lstrip(".").startswith("warehouse")]
        assert left == [], left
        cron.append(sh(cron_command(), tmp / "home"))
    finally:
        server.shutdown()
        server.server_close()
    yield ReadmeRuns(checkout, cron, ci, fetched)


def test_readme_cron_line_runs_verbatim_on_a_fresh_checkout(readme_runs: ReadmeRuns) -> None:
    checkout, [first, second, _] = readme_runs.checkout, readme_runs.cron
    assert (first.code, first.out, first.err) == (0, "", ""), first  # nothing for cron to mail
    years = archive_years(date.today())
    siblings = {
        f"{year}12_TILT110 Tidsserie maaned.{sha12(sibling_workbook('TILT110', year))}.xlsx": (
            f"{year}12_TILT110 Tidsserie maaned.xlsx",
            len(sibling_workbook("TILT110", year)),
        )
        for year in years
    }
    name = f"2026.01_{NAME.removesuffix('.xlsx')}.{sha12(XLSX.read_bytes())}.xlsx"
    assert fetch_page().count("data/fetched/") and readme_runs.fetched == sorted([name, *siblings])
    folder = checkout / "data" / "fetched"
    assert first.log.splitlines() == [  # the archives first, then the landing page
        *(f"fetched {folder / local}  ({size} bytes, {linked})" for local, (linked, size) in siblings.items()),
        f"fetched {folder / name}  ({XLSX.stat().st_size} bytes, 2026.01_{NAME})",
        f"refreshed: files: {1 + len(years)} loaded, 0 skipped (already loaded), 0 failed",
    ]
    with duckdb.connect(str(checkout / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute(
            "select report_code, count(*) from raw.tilt100_files group by all order by 1"
        ).fetchall() == [
            ("TILT100", 1),
            ("TILT110", len(years)),
        ]
        assert con.execute("select count(*) > 0 from audit.fct_participants").fetchone() == (True,)
        assert con.execute(
            "select distinct year(month) from marts.fct_participants_by_tiltakstype order by 1"
        ).fetchall() == [(year,) for year in years]
    state = json.loads((checkout / "data" / "fetched.state.json").read_text())
    assert {entry["status"] for entry in state["files"]} == {"loaded"}
    assert (second.code, second.out, second.err) == (0, "", "")
    assert second.log == first.log + "nothing new\n"


def test_readme_ci_step_runs_verbatim(readme_runs: ReadmeRuns) -> None:
    ci = readme_runs.ci
    assert (ci.code, ci.out, ci.err) == (0, "nothing new\n", "")  # the cron line's warehouse: nothing new


def test_after_make_clean_the_cron_line_loads_the_fetched_file_again(readme_runs: ReadmeRuns) -> None:
    checkout, again = readme_runs.checkout, readme_runs.cron[2]
    assert (again.code, again.out, again.err) == (0, "", "")
    files = len(readme_runs.fetched)  # TILT100's January 2026 and a TILT110 a year archived
    assert again.log.splitlines() == [  # logs/ went with `make clean`: a new log
        f"{files} file(s) marked loaded are not in the warehouse {checkout / 'warehouse.duckdb'}: loading them again",
        f"{files} file(s) fetched earlier, not yet loaded",
        f"refreshed: files: {files} loaded, 0 skipped (already loaded), 0 failed",
    ]
    with duckdb.connect(str(checkout / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from raw.tilt100_files").fetchone() == (files,)


def test_python_dash_m_fetch_runs(tmp_path: Path) -> None:
    result = subprocess.run(fetch_command("--since", "abc"), cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 2 and "--since" in result.stderr and "Traceback" not in result.stderr


def test_tilt100_fetch_is_the_same_command(site: Site, tmp_path: Path) -> None:
    """``tilt100 fetch`` (the project's command) takes the same options and does the same."""
    nav_site(site)
    landing = site.base + STATS
    command = [str(Path(sys.executable).parent / "tilt100"), "fetch", "--dry-run", "--landing", landing]
    result = subprocess.run(
        [*command, "--dest", str(tmp_path / "fetched")], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert len(result.stdout.splitlines()) == 7 and all(
        line.startswith("would fetch ") for line in result.stdout.splitlines()
    )
