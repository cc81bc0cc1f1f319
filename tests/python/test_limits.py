"""Resource limits: a 10 000-page PDF, a decompression bomb and a page that never ends are stopped
early, with a message naming the file and the limit, and the machine's memory stays bounded.

Each load runs `python -m extract` in a subprocess that reports its own time and
peak memory (maxrss), so a limit that did not hold shows up as a number.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from extract import ExtractError
from extract.limits import Limits, TimeLimit
from extract.pdf import TEXT_LAYERS
from tests.python.conftest import REPLICA_PDF, ROOT

SOURCE = "Kilde: NAV TILT100 Tiltaksdeltakere. Hovedgruppe og demografi. Tidsserie måned"
MEASURED = """
import resource, sys, time
from extract.__main__ import main
start = time.monotonic()
code = main(sys.argv[1:])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(f"measured: {time.monotonic() - start:.2f} s, {peak} MB", file=sys.stderr)
sys.exit(code)
"""
MEMORY_MB = 300  # what a bad file may cost at most, interpreter and DuckDB included


@dataclass(frozen=True)
class Run:
    returncode: int
    stderr: str
    seconds: float
    peak_mb: int


def load(tmp_path: Path, path: Path, *options: str, **env: str) -> Run:
    done = subprocess.run(
        [sys.executable, "-c", MEASURED, "--db", str(tmp_path / "w.duckdb"), *options, str(path)],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    m = re.search(r"measured: ([\d.]+) s, (\d+) MB", done.stderr)
    assert m is not None, done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return Run(done.returncode, done.stderr, float(m[1]), int(m[2]))


def write_one_page_pdf(path: Path, content: Iterable[bytes]) -> Path:
    """A one-page PDF whose content stream is `content`, deflated (streamed: never all in memory)."""
    deflate = zlib.compressobj(9)
    body = b"".join(deflate.compress(chunk) for chunk in content) + deflate.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def text_operations(megabytes: float) -> Iterable[bytes]:
    """Content that draws one character per operation: the costliest content for pdfplumber."""
    unit = b"BT /F1 6 Tf 40 40 Td (x) Tj ET\n"
    chunk = unit * ((1 << 20) // len(unit))
    for _ in range(int(megabytes)):
        yield chunk
    yield chunk[: int(len(chunk) * (megabytes % 1))]


def scattered_characters(megabytes: float) -> Iterable[bytes]:
    """One character per operation, each in a place of its own (PDFium drops a character drawn over its twin)."""
    written = 0
    k = 0
    while written < megabytes * (1 << 20):
        unit = b"BT /F1 6 Tf %d %d Td (x) Tj ET\n" % (20 + k % 800, 20 + (k // 800) % 560)
        written += len(unit)
        k += 1
        yield unit


@pytest.fixture(scope="session")
def ten_thousand_pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """10 000 tiny pages, each headed like a TILT100 page (about 2 s to write)."""
    path = tmp_path_factory.mktemp("limits") / "10000_pages.pdf"
    canvas = Canvas(str(path), pagesize=(300, 20), invariant=1, pageCompression=0)
    for _ in range(10_000):
        canvas.setFont("Helvetica", 4)
        canvas.drawString(2, 10, SOURCE)
        canvas.showPage()
    canvas.save()
    return path


@pytest.fixture(scope="session")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 300 kB PDF whose one content stream inflates to 256 MB."""
    path = write_one_page_pdf(tmp_path_factory.mktemp("limits") / "bomb.pdf", text_operations(256))
    assert path.stat().st_size < 1 << 20
    return path


@pytest.fixture(scope="session")
def slow_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A page within the content limit (3 MB) that takes seconds to read: 90 000 characters."""
    return write_one_page_pdf(tmp_path_factory.mktemp("limits") / "slow.pdf", scattered_characters(3))


def test_page_count_is_refused_before_any_page_is_read(ten_thousand_pages: Path, tmp_path: Path) -> None:
    run = load(tmp_path, ten_thousand_pages)
    assert run.returncode == 1
    assert "10000_pages.pdf: expected at most 1000 pages (TILT100_MAX_PAGES), found 10000 pages" in run.stderr
    assert run.peak_mb < MEMORY_MB, run


def test_page_limit_from_environment(tmp_path: Path) -> None:
    run = load(tmp_path, REPLICA_PDF, TILT100_MAX_PAGES="50")
    assert run.returncode == 1
    assert "tilt100_2026-01.pdf: expected at most 50 pages (TILT100_MAX_PAGES), found 60 pages" in run.stderr


def test_decompression_bomb_is_refused_before_it_inflates(bomb: Path, tmp_path: Path) -> None:
    run = load(tmp_path, bomb)
    assert run.returncode == 1
    expected = "bomb.pdf, page 1: expected a page that inflates to at most 4 MB (TILT100_MAX_PAGE_MB), found more"
    assert expected in run.stderr
    assert run.peak_mb < MEMORY_MB, run


def test_page_content_limit_from_environment(slow_page: Path, tmp_path: Path) -> None:
    run = load(tmp_path, slow_page, TILT100_MAX_PAGE_MB="0.5")
    assert run.returncode == 1
    assert "slow.pdf, page 1: expected a page that inflates to at most 0.5 MB (TILT100_MAX_PAGE_MB)" in run.stderr


@pytest.mark.parametrize("text_layer", TEXT_LAYERS)
def test_time_limit_stops_a_page_that_never_ends(slow_page: Path, tmp_path: Path, text_layer: str) -> None:
    run = load(tmp_path, slow_page, "--text-layer", text_layer, TILT100_MAX_SECONDS="0.1")
    assert run.returncode == 1
    expected = r"slow\.pdf, page 1: expected a file read within 0\.1 s \(TILT100_MAX_SECONDS\), found \d+\.\d s"
    assert re.search(expected, run.stderr), run.stderr
    assert run.peak_mb < MEMORY_MB, run


@pytest.mark.slow
def test_time_limit_stops_a_long_file(ten_thousand_pages: Path, tmp_path: Path) -> None:
    run = load(tmp_path, ten_thousand_pages, TILT100_MAX_PAGES="100000", TILT100_MAX_SECONDS="2")
    assert run.returncode == 1
    assert re.search(r"10000_pages\.pdf(, page \d+)?: expected a file read within 2 s .*, found \d+\.\d s", run.stderr)
    assert run.peak_mb < MEMORY_MB, run


def test_a_real_report_reads_in_bounded_memory(tmp_path: Path) -> None:
    """Pages are streamed and each page's objects released: 60 pages cost what one does."""
    run = load(tmp_path, REPLICA_PDF)
    assert run.returncode == 0, run.stderr
    assert run.peak_mb < MEMORY_MB, run


def test_time_limit_outside_the_main_thread() -> None:
    """No signal there: the limit is checked page by page."""
    errors: list[BaseException] = []

    def read() -> None:
        try:
            with TimeLimit("f.pdf", 0.05) as clock:
                clock.page = 3
                time.sleep(0.1)
                clock.check()
        except ExtractError as error:
            errors.append(error)

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    assert [str(e)[:63] for e in errors] == ["f.pdf, page 3: expected a file read within 0.05 s (TILT100_MAX_"]


def test_limits_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Limits.from_env() == Limits(pages=1000, page_bytes=4 << 20, seconds=120.0)
    monkeypatch.setenv("TILT100_MAX_PAGES", "70")
    monkeypatch.setenv("TILT100_MAX_PAGE_MB", "0.5")
    monkeypatch.setenv("TILT100_MAX_SECONDS", "2.5")
    assert Limits.from_env() == Limits(pages=70, page_bytes=1 << 19, seconds=2.5)
    monkeypatch.setenv("TILT100_MAX_SECONDS", "soon")
    with pytest.raises(ValueError, match=r"TILT100_MAX_SECONDS must be a positive number, found 'soon'"):
        Limits.from_env()
