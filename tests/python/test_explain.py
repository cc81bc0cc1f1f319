"""``python -m extract --explain``: a page as the extractor read it, line by line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from tests.python.helpers import REPLICA_PDF, ROOT, TEXT_EXPORT


def explain(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "extract", "--explain", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def test_explain_shows_each_line_its_part_and_the_columns_made() -> None:
    run = explain(str(REPLICA_PDF), "--page", "3")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "tilt100_2026-01.pdf, page 3, pdfium text layer: 17 lines"
    roles = [line.split()[0] for line in lines[1:] if line.startswith("  ") and not line.startswith("   ")]
    assert roles[:5] == ["source", "date", "period", "header", "header"]
    assert "  columns    -> 1 'Gjennom snitt hittil i år' x 114.8-151.3; 2 'Januar' x 178.8-206.3" in lines
    assert (
        "  row      [Lønnstilskudd x 28.0-83.5] [349 x 136.3-151.3] [349 x 191.3-206.3]" in lines
        and "             -> 'Lønnstilskudd': 'Gjennom snitt hittil i år' = '349', 'Januar' = '349'" in lines
    )
    assert lines[-1] == "  read: table 'Arbeidsmarkedsstatus og tiltaksgruppe', 7 rows"


def test_explain_shows_where_a_page_was_refused(tmp_path: Path) -> None:
    text = TEXT_EXPORT.read_text(encoding="utf-8").replace("hittil i år Januar", "hittil i fjor Januar", 1)
    bad = tmp_path / "changed_layout.txt"
    bad.write_text(text, encoding="utf-8")
    run = explain(str(bad), "--page", "2")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[6:8] == [
        "  stopped    20: [hittil] [i] [fjor] [Januar]",
        "  not read   22: [I] [alt] [79\xa0696] [79\xa0696]",
    ]
    assert lines[-1] == (
        "  refused: changed_layout.txt, page 2: expected a month column header (Januar ... Desember),"
        " found Gjennom snitt"
    )


def test_explain_a_page_the_file_does_not_have() -> None:
    run = explain(str(TEXT_EXPORT), "--page", "99")
    assert (run.returncode, run.stdout) == (1, "")
    assert run.stderr == "error: tilt100_2026-01.txt: expected a page 99, found 56 pages\n"


def scan_then_replica(out: Path) -> Path:
    """Page 1 an image of the replica's first page (no text layer), then the replica's pages 2 and 3."""
    src = pdfium.PdfDocument(str(REPLICA_PDF))
    scan = out.with_name("scan.pdf")
    canvas = Canvas(str(scan), pagesize=(842, 595), invariant=1)
    canvas.drawImage(ImageReader(src[0].render(scale=0.3).to_pil()), 0, 0, 842, 595)
    canvas.showPage()
    canvas.save()
    doc = pdfium.PdfDocument(str(scan))
    doc.import_pages(src, [1, 2])
    doc.save(str(out))
    return out


def test_explain_page_n_explains_page_n_whatever_page_1_is(tmp_path: Path) -> None:
    pdf = scan_then_replica(tmp_path / "scan_first.pdf")
    run = explain(str(pdf), "--page", "2")
    assert (run.returncode, run.stderr) == (0, ""), run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "scan_first.pdf, page 2, pdfium text layer: 11 lines"
    assert lines[-1] == "  read: table 'Arbeidsmarkedsstatus', 4 rows"


def test_explain_shows_a_page_the_source_refused_and_goes_on(tmp_path: Path) -> None:
    pdf = scan_then_replica(tmp_path / "scan_first.pdf")
    run = explain(str(pdf))
    assert (run.returncode, run.stderr) == (0, ""), run.stderr
    lines = run.stdout.splitlines()
    assert lines[:3] == [
        "scan_first.pdf, page 1, pdfium text layer: not read",
        "  refused: scan_first.pdf, page 1: expected text on the page (a text layer), found 1 image(s) and no text"
        " (a scan?)",
        "scan_first.pdf, page 2, pdfium text layer: 11 lines",
    ]
    assert "scan_first.pdf, page 3, pdfium text layer: 17 lines" in lines


def test_explain_piped_into_a_reader_that_stops_early_ends_quietly() -> None:
    """`tilt100 explain FILE | head -1`: the explanation (117 kB) outgrows the pipe (64 kB), the reader leaves."""
    command = [sys.executable, "-m", "tilt100", "explain", str(TEXT_EXPORT)]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as run:
        assert run.stdout is not None and run.stderr is not None
        assert run.stdout.readline() == b"tilt100_2026-01.txt, page 1: 9 lines\n"
        run.stdout.close()
        assert (run.wait(), run.stderr.read()) == (1, b"")
