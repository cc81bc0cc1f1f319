"""`python -m fetch`: NAV's pages read, TILT100 files fetched safely and once, the monthly job.

A local HTTP server (127.0.0.1, port 0) serves pages shaped as NAV's own data app
describes them; nothing here reaches the internet.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import duckdb
import openpyxl
import pytest

import fetch
from fetch import cli
from fetch.links import report_links

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
    fail_first: int = 0  # answer 503 this many times first


@dataclass
class Site:
    """What the server serves (path with query -> page or file) and what it was asked."""

    routes: dict[str, File | str] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    base: str = ""

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
                self.send(503, b"busy", {"Content-Type": "text/plain"})
            else:
                headers = {"Content-Type": route.content_type}
                if route.etag:
                    headers["ETag"] = route.etag
                if route.last_modified:
                    headers["Last-Modified"] = route.last_modified
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self.send(304, b"", headers)
                elif route.cut:
                    self.send(route.status, route.body[: len(route.body) // 2], headers, len(route.body))
                    self.wfile.flush()
                    self.close_connection = True
                else:
                    self.send(route.status, route.body, headers)

    return Handler


@pytest.fixture
def site() -> Iterator[Site]:
    site = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(site))
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield site
    server.shutdown()
    server.server_close()


def attachment(hash_: str, name: str, query: str = "") -> str:
    return f"/_/attachment/download/{UUID}:{hash_}/{quote(name)}{query}"


def page(*hrefs: str) -> str:
    anchors = "\n".join(f'<li><a class="lenke" href="{href}"><span>{href[-30:]}</span></a></li>' for href in hrefs)
    return f"<!doctype html><html><head><title>Tiltaksdeltakere</title></head><body><ul>{anchors}</ul></body></html>"


FAKE_XLSX = b"PK\x03\x04" + b"workbook 2026" * 100
FAKE_XLSX_2025 = b"PK\x03\x04" + b"workbook 2025" * 100
FAKE_PDF = b"%PDF-1.7\n" + b"pdf 2026" * 100


def nav_site(site: Site, landing_file: bytes = FAKE_XLSX, hash_: str = "a1b2c3") -> None:
    """Landing page and archives as NAV's app describes them: relative and absolute links, other codes."""
    xlsx = attachment(hash_, f"2026.01_{NAME}", "?download=true")
    pdf = attachment("d4e5f6", "202601_TILT100 Tiltaksdeltakere.pdf")
    site.routes[xlsx] = File(landing_file, etag=f'"{hash_}"')
    site.routes[pdf] = File(FAKE_PDF, etag='"pdf1"', content_type="application/pdf")
    site.routes[attachment("0ther1", "TILT110 Tiltaksdeltakere Tidsserie maaned.xlsx")] = File(b"PK\x03\x04 110")
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
    ]
    assert links[0].url == "https://www.nav.no" + attachment("aa", f"2026.04_{NAME}", "?download=true")
    assert [link.is_tilt100 for link in links] == [True, True, False, False]


def test_dry_run_lists_what_it_would_fetch_and_downloads_nothing(site: Site, tmp_path: Path) -> None:
    nav_site(site)
    code, out, err = run(site, tmp_path, "--dry-run")
    assert (code, err) == (0, "")
    assert len(out.splitlines()) == 4  # 2026 xlsx and pdf, 2025 and 2024 archives; 2023 has other codes only
    assert all(line.startswith("would fetch ") and "TILT100" in line for line in out.splitlines())
    assert site.base + STATS + "/relatert-informasjon/filer/202412_TILT100%20" in out
    assert "TILT110" not in out and "ARBLED" not in out and "TILT120" not in out
    assert kept(tmp_path) == [] and not (tmp_path / "fetched.state.json").exists()
    assert not [p for p, _ in site.requests if p.startswith("/_/attachment")]


def test_since_limits_the_archives_read(site: Site, tmp_path: Path) -> None:
    nav_site(site)
    code, out, _ = run(site, tmp_path, "--dry-run", "--since", "2025")
    assert code == 0 and len(out.splitlines()) == 3
    assert not site.asked(ARCHIVE.format(year=2024)) and not site.asked(ARCHIVE.format(year=2023))
    assert site.asked(ARCHIVE.format(year=2025)) and site.asked(STATS)


# --- 2. versions kept apart, state, conditional GET --------------------------------------------------------------


def test_fetches_new_files_then_nothing_new_asking_conditionally(site: Site, tmp_path: Path) -> None:
    nav_site(site)
    code, out, err = run(site, tmp_path, "--since", "2025")
    assert (code, err) == (0, "")
    assert len(out.splitlines()) == 3 and all(line.startswith("fetched ") for line in out.splitlines())
    names = kept(tmp_path)
    assert len(names) == 3 and any(n.endswith(".pdf") for n in names)
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
    assert "not a workbook" in lines[0] and "text/html" in lines[0]
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


@pytest.fixture(scope="module")
def monthly_job(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[tuple[int, str, str]]]]:
    """The monthly job, twice, against a real refresh into a temporary warehouse."""
    tmp = tmp_path_factory.mktemp("monthly")
    site = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(site))
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    serve_one(site, XLSX.read_bytes(), "jan26")
    here, profiles = Path.cwd(), os.environ.get("DBT_PROFILES_DIR")
    os.environ["DBT_PROFILES_DIR"] = str(ROOT)  # as conftest's builds: the project's profiles.yml
    os.chdir(ROOT)
    try:
        runs = [run(site, tmp, "--since", "2099", "--refresh", "--db", str(tmp / "w.duckdb")) for _ in range(2)]
    finally:
        os.chdir(here)
        if profiles is None:
            del os.environ["DBT_PROFILES_DIR"]
        else:
            os.environ["DBT_PROFILES_DIR"] = profiles
        server.shutdown()
        server.server_close()
    yield tmp, runs


def test_monthly_job_refreshes_a_real_warehouse_then_is_quiet(
    monthly_job: tuple[Path, list[tuple[int, str, str]]],
) -> None:
    tmp, [first, second] = monthly_job
    code, out, err = first
    assert (code, err) == (0, ""), out + err
    assert out.splitlines()[0].startswith("fetched ") and out.splitlines()[1].startswith("refreshed: files: 1 loaded")
    with duckdb.connect(str(tmp / "w.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from raw.tilt100_files").fetchone() == (1,)
        assert con.execute("select count(*) > 0 from marts.fct_participants").fetchone() == (True,)
    assert state_of(tmp)["files"][0]["status"] == "loaded"
    assert second == (0, "nothing new\n", "")


def test_python_dash_m_fetch_runs(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "fetch", "--since", "abc"], cwd=ROOT, capture_output=True, text=True, check=False
    )
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
    assert len(result.stdout.splitlines()) == 4 and all(
        line.startswith("would fetch ") for line in result.stdout.splitlines()
    )
