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
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook
from reportlab.pdfgen.canvas import Canvas

from extract import TEXT_LAYERS, ExtractError
from extract.limits import Limits, TimeLimit
from tests.python.helpers import REPLICA_PDF, ROOT

SOURCE = "Kilde: NAV TILT100 Tiltaksdeltakere. Hovedgruppe og demografi. Tidsserie måned"
MEASURED = """
import resource, sys, time
from tilt100.cli import main
start = time.monotonic()
code = main(["load", *sys.argv[1:]])
# The loader and the largest of its reading processes (files are read in processes of their own).
# The loader's own peak is its VmHWM: getrusage's RUSAGE_SELF would also count the pytest process it
# was forked from (Linux keeps the pre-exec high-water mark), which grows over a whole test session.
own = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
peak = max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) // 1024
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
    """A page within the content limit (3 MB) that takes long to read: 90 000 characters (PDFium about 0.1 s,
    pdfplumber seconds)."""
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
    run = load(tmp_path, slow_page, "--text-layer", text_layer, TILT100_MAX_SECONDS="0.02")
    assert run.returncode == 1
    expected = r"slow\.pdf, page 1: expected a file read within 0\.02 s \(TILT100_MAX_SECONDS\), found \d+\.\d s"
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
    assert (Limits.from_env().sheet_rows, Limits.from_env().sheet_cells) == (20_000, 1_000_000)
    monkeypatch.setenv("TILT100_MAX_PAGES", "70")
    monkeypatch.setenv("TILT100_MAX_PAGE_MB", "0.5")
    monkeypatch.setenv("TILT100_MAX_SECONDS", "2.5")
    assert Limits.from_env() == Limits(pages=70, page_bytes=1 << 19, seconds=2.5)
    monkeypatch.setenv("TILT100_MAX_SECONDS", "soon")
    with pytest.raises(ValueError, match=r"TILT100_MAX_SECONDS must be a positive number, found 'soon'"):
        Limits.from_env()


# --- workbooks and text exports: bounded before calamine or the parser reads them -------------------------------

BATCH_MB = 1024  # a batch with a crafted file in it, the loader and its reading processes
KOMMUNE = "Tiltaksdeltakere og kommune"
TWIN = ROOT / "data" / "reports" / "tilt100_2026-01.xlsx"
TEXT = ROOT / "tests" / "fixtures" / "tilt100_2026-01.txt"


def rewrite_member(book: Path, out: Path, member: str, edit: Callable[[bytes], bytes]) -> Path:
    """A copy of the workbook `book` with one member's bytes edited."""
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info.filename, edit(data) if info.filename == member else data)
    return out


def kommune_sheet(book: Path) -> str:
    return "xl/worksheets/sheet10.xml"  # the tenth sheet, as the replica writes it


def cell_at_xfd1048576(tmp: Path) -> Path:
    """The twin with one more cell, at the last cell a sheet can have: the issue's 23 kB, 512 GB workbook."""
    book = load_workbook(TWIN)
    book[KOMMUNE]["XFD1048576"] = 1
    book.save(tmp / "far.xlsx")
    return tmp / "far.xlsx"


def far_cell_behind_a_small_dimension(tmp: Path) -> Path:
    """A cell at XFD300 while <dimension> still says the sheet ends in column C."""

    def edit(xml: bytes) -> bytes:
        cell = b'<c r="XFD300" t="n"><v>1</v></c>'
        return re.sub(rb'(<row r="300"[^>]*>)', rb"\1" + cell, xml, count=1).replace(b"spans=", b"x-spans=")

    book = rewrite_member(TWIN, tmp / "wide.xlsx", kommune_sheet(TWIN), edit)
    return book


def a_million_extra_rows(tmp: Path) -> Path:
    def edit(xml: bytes) -> bytes:
        rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r) for r in range(1000, 1_001_000))
        return xml.replace(b"</sheetData>", rows + b"</sheetData>")

    return rewrite_member(TWIN, tmp / "long.xlsx", kommune_sheet(TWIN), edit)


def zip_bomb(tmp: Path, megabytes: int = 100) -> Path:
    """The twin with a part that inflates to `megabytes` MB of zeros (written streaming)."""
    out = tmp / "bomb.xlsx"
    with zipfile.ZipFile(TWIN) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        with dst.open("xl/media/padding.bin", "w", force_zip64=True) as part:
            for _ in range(megabytes):
                part.write(bytes(1 << 20))
    return out


def a_dense_part(tmp: Path) -> Path:
    """20 MB (under the inflate limit) that inflate 1000 times: a bomb by its ratio."""
    return zip_bomb(tmp, 20)


def one_line_of_48_mb(tmp: Path) -> Path:
    path = tmp / "one_line.txt"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(TEXT.read_text(encoding="utf-8").split("\n", 1)[0] + "\n")
        for _ in range(48):
            handle.write("1 " * (1 << 19))
    return path


CRAFTED: dict[str, tuple[Callable[[Path], Path], dict[str, str], str]] = {
    "a cell at XFD1048576": (
        cell_at_xfd1048576,
        {},
        rf"far\.xlsx, sheet '{KOMMUNE}': expected a sheet of at most 20000 rows \(TILT100_MAX_SHEET_ROWS\),"
        r" found a declared dimension A1:XFD1048576 \(row 1048576\)",
    ),
    "a far cell behind a small dimension": (
        far_cell_behind_a_small_dimension,
        {},
        rf"wide\.xlsx, sheet '{KOMMUNE}': expected a sheet of at most 1000000 cells \(TILT100_MAX_SHEET_CELLS\),"
        r" found a cell at XFD300 \(4915200 cells from A1\)",
    ),
    "a million extra rows": (
        a_million_extra_rows,
        {},
        rf"long\.xlsx, sheet '{KOMMUNE}': expected a sheet of at most 20000 rows \(TILT100_MAX_SHEET_ROWS\),"
        r" found a row 20001 \(row 20001\)",
    ),
    "a zip bomb": (
        zip_bomb,
        {},
        r"bomb\.xlsx, xl/media/padding\.bin: expected parts that inflate to at most 64 MB each"
        r" \(TILT100_MAX_INFLATED_MB\), found 100\.0 MB \(a zip bomb\?\)",
    ),
    "a part that inflates 1000 times": (
        a_dense_part,
        {},
        r"bomb\.xlsx, xl/media/padding\.bin: expected parts that inflate at most 100 times"
        r" \(TILT100_MAX_ZIP_RATIO\), found \d+ times \(a zip bomb\?\)",
    ),
    "a text export of 48 MB on one line": (
        one_line_of_48_mb,
        {},
        r"one_line\.txt, line 2: expected lines of at most 10000 characters \(TILT100_MAX_LINE_CHARS\),"
        r" found a longer line",
    ),
    "a text export over the size limit": (
        lambda tmp: TEXT,
        {"TILT100_MAX_FILE_MB": "0.01"},
        r"tilt100_2026-01\.txt: expected a text export of at most 0\.01 MB \(TILT100_MAX_FILE_MB\),"
        r" found 26531 bytes",
    ),
    "a workbook over the size limit": (
        lambda tmp: TWIN,
        {"TILT100_MAX_FILE_MB": "0.01"},
        r"tilt100_2026-01\.xlsx: expected a workbook of at most 0\.01 MB \(TILT100_MAX_FILE_MB\), found \d+ bytes",
    ),
    "a reader that dies anyway (a native abort), --jobs 1": (
        cell_at_xfd1048576,
        {"TILT100_MAX_SHEET_ROWS": "1e9", "TILT100_MAX_SHEET_CELLS": "1e12"},  # calamine asks for 512 GB
        r"far\.xlsx: expected a file read to its end, found that the process reading it died"
        r" \(killed by SIGABRT: a crash in the library reading this format\)",
    ),
}


@pytest.mark.parametrize("case", CRAFTED)
def test_a_crafted_file_is_refused_alone_within_the_limits(case: str, tmp_path: Path) -> None:
    """One line naming the file, the sheet or line and the limit; the other file loads; the batch stays under 1 GB."""
    make, env, message = CRAFTED[case]
    crafted = make(tmp_path)
    run = (
        load(tmp_path, crafted, "--jobs", "1", str(TEXT), **env)
        if "size" not in case
        else load(tmp_path, crafted, **env)
    )
    assert run.returncode == 1, run.stderr
    errors = [line for line in run.stderr.splitlines() if not line.startswith("measured:")]
    assert len(errors) == 1, run.stderr  # one line: no backtrace, no Rust panic
    assert re.search(message, errors[0]), errors[0]
    assert run.peak_mb < BATCH_MB, run
    if "size" not in case:
        with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
            assert con.execute("select file_name from raw.tilt100_files").fetchall() == [(TEXT.name,)]
