"""Bad input: every file that is not a TILT100 report gets a clear error and lands nothing.

Each fixture is made here, in tmp_path, from the text export or the bundled
replica. Each bad file is loaded with `python -m extract` into a warehouse that
already holds January 2026: the exit code is non-zero, stderr names the file,
the page and what was expected, there is no traceback, and every raw table is
exactly as before.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

import tooling.replica.layout
from extract import ExtractError, Report, read_report
from tests.python.helpers import REPLICA_PDF, ROOT, TEXT_EXPORT, Build, load_and_build
from tooling.replica.from_text import spec_from_report
from tooling.replica.render import render_pdf
from tooling.replica.spec import RowSpec
from tooling.replica.xlsx import write_xlsx

RAW_TABLES = ("tilt100_files", "tilt100_pages", "tilt100_rows", "tilt100_cells")
SOURCE = "Kilde: NAV TILT100 Tiltaksdeltakere. Hovedgruppe og demografi. Tidsserie måned"
KOMMUNE = "Tiltaksdeltakere og kommune"


# --- the warehouse, before and after ---------------------------------------------------------------------------


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every row of every raw table."""
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"select * from raw.{t} order by all").fetchall() for t in RAW_TABLES}


def run_extract(db: Path, *paths: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "extract", "--db", str(db), *map(str, paths)],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module")
def loaded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse holding the January 2026 text export."""
    db = tmp_path_factory.mktemp("bad_input") / "w.duckdb"
    done = run_extract(db, TEXT_EXPORT)
    assert done.returncode == 0, done.stderr
    return db


def assert_refused(db: Path, bad: Path, message: str) -> str:
    """Loading `bad` fails with `message` (a regex) on stderr and changes nothing. Returns stderr."""
    before = snapshot(db)
    done = run_extract(db, bad)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert re.search(message, done.stderr), done.stderr
    assert snapshot(db) == before
    assert "0 loaded, 0 skipped, 1 failed" in done.stdout
    return done.stderr


# --- fixtures made on the spot -----------------------------------------------------------------------------------


def tilt_like_pdf(path: Path, lines: list[str], **canvas_args: object) -> Path:
    """A one-page PDF with these lines of text, top down."""
    canvas = Canvas(str(path), pagesize=(842, 595), invariant=1, **canvas_args)  # type: ignore[arg-type]
    for i, line in enumerate(lines):
        canvas.drawString(40, 550 - 14 * i, line)
    canvas.showPage()
    canvas.save()
    return path


def replica_without(pages: list[int], out: Path) -> Path:
    """The bundled replica with the given pages (1-based) dropped."""
    src = pdfium.PdfDocument(str(REPLICA_PDF))
    new = pdfium.PdfDocument.new()
    new.import_pages(src, [i for i in range(len(src)) if i + 1 not in pages])
    new.save(str(out))
    return out


def text_export_without_page(number: int, out: Path) -> Path:
    """The text export with page `number` (a page starts at each 'Kilde: NAV TILT' line) dropped."""
    lines = TEXT_EXPORT.read_text(encoding="utf-8").splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.strip().startswith("Kilde: NAV TILT")]
    starts.append(len(lines))
    out.write_text("".join(lines[: starts[number - 1]] + lines[starts[number] :]), encoding="utf-8")
    return out


def edited_text(out: Path, old: str, new: str) -> Path:
    text = TEXT_EXPORT.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    out.write_text(text.replace(old, new), encoding="utf-8")
    return out


def empty(tmp: Path) -> Path:
    (tmp / "empty.pdf").write_bytes(b"")
    return tmp / "empty.pdf"


def empty_text(tmp: Path) -> Path:
    (tmp / "empty.txt").write_bytes(b"")
    return tmp / "empty.txt"


def png(tmp: Path) -> Path:
    (tmp / "report.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    return tmp / "report.pdf"


def html(tmp: Path) -> Path:
    page = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>\n"
    (tmp / "tilt100.pdf").write_text(page, encoding="utf-8")
    return tmp / "tilt100.pdf"


def png_text(tmp: Path) -> Path:
    (tmp / "report.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    return tmp / "report.txt"


def encrypted_workbook(tmp: Path) -> Path:
    """What Excel saves with a password: an encrypted OLE container, not a ZIP, under the .xlsx name."""
    (tmp / "locked.xlsx").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504))
    return tmp / "locked.xlsx"


def latin1_text(tmp: Path) -> Path:
    text = TEXT_EXPORT.read_text(encoding="utf-8")
    (tmp / "latin1.txt").write_bytes(text.encode("latin-1", errors="replace"))
    return tmp / "latin1.txt"


def truncated_workbook(tmp: Path) -> Path:
    write_xlsx(spec_from_report(read_report(TEXT_EXPORT)), tmp / "whole.xlsx")
    data = (tmp / "whole.xlsx").read_bytes()
    (tmp / "truncated.xlsx").write_bytes(data[: len(data) // 2])
    return tmp / "truncated.xlsx"


def truncated(tmp: Path) -> Path:
    data = REPLICA_PDF.read_bytes()
    (tmp / "truncated.pdf").write_bytes(data[: len(data) // 2])
    return tmp / "truncated.pdf"


def encrypted(tmp: Path) -> Path:
    lines = [SOURCE, "Arbeidsmarkedsstatus Rapport oppdatert: 02.02.2026"]
    return tilt_like_pdf(tmp / "locked.pdf", lines, encrypt=StandardEncryption("user", "owner"))


def scanned(tmp: Path) -> Path:
    """The replica's first two pages as images only: no text layer."""
    src = pdfium.PdfDocument(str(REPLICA_PDF))
    canvas = Canvas(str(tmp / "scan.pdf"), pagesize=(842, 595), invariant=1)
    for index in range(2):
        canvas.drawImage(ImageReader(src[index].render(scale=0.3).to_pil()), 0, 0, 842, 595)
        canvas.showPage()
    canvas.save()
    return tmp / "scan.pdf"


def other_report(tmp: Path) -> Path:
    """A TILT-like report of another NAV statistic: ARBLED100's header on TILT100's layout."""
    spec = spec_from_report(read_report(TEXT_EXPORT))
    other = dataclasses.replace(spec, source_title="ARBLED100 Helt ledige. Tidsserie måned")
    render_pdf(other, tmp / "arbled100.pdf")
    return tmp / "arbled100.pdf"


def not_nav(tmp: Path) -> Path:
    return tilt_like_pdf(tmp / "invoice.pdf", ["Faktura 2026-017", "Konsulenttimer 12 1 200", "Sum 14 400"])


def page_missing_mid_table(tmp: Path) -> Path:
    return replica_without([31], tmp / "missing_page.pdf")  # kommune table, "Side 7 av 36"


def page_missing_at_table_end(tmp: Path) -> Path:
    return replica_without([11], tmp / "missing_last.pdf")  # fylke table, "Side 6 av 6"


def text_page_missing(tmp: Path) -> Path:
    return text_export_without_page(8, tmp / "missing_page.txt")  # fylke: "Side 1 av 5" on page 6


def figure_12a_text(tmp: Path) -> Path:
    return edited_text(tmp / "letters.txt", "Nesseby 8 8\n", "Nesseby 8 12a\n")


def figure_with_point_text(tmp: Path) -> Path:
    return edited_text(tmp / "point.txt", "Lønnstilskudd 349 349\n", "Lønnstilskudd 1.234 349\n")


FAULTS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "empty file": (empty, r"empty\.pdf: expected a TILT100 report, found an empty file \(0 bytes\)"),
    "empty text export": (empty_text, r"empty\.txt: expected a TILT100 report, found an empty file \(0 bytes\)"),
    "PNG named .pdf": (
        png,
        r"report\.pdf: expected a PDF \(starting with %PDF-\), an \.xlsx workbook or a \.txt text export,"
        r" found a PNG image",
    ),
    "HTML error page named .pdf": (html, r"tilt100\.pdf: expected a PDF .*, found an HTML page"),
    "PNG named .txt": (png_text, r"report\.txt: expected a text export in UTF-8, found the byte b'\\x89', not UTF-8"),
    "text export not in UTF-8": (latin1_text, r"latin1\.txt: expected a text export in UTF-8, found the byte b'\\xe5'"),
    "truncated workbook": (
        truncated_workbook,
        r"truncated\.xlsx: expected a readable \.xlsx workbook, found ZipError: invalid Zip archive",
    ),
    "truncated PDF": (truncated, r"truncated\.pdf: expected a complete PDF \(ending with %%EOF\), found \d+ bytes"),
    "encrypted PDF": (encrypted, r"locked\.pdf: expected a PDF without a password, found a password-protected"),
    "encrypted workbook": (
        encrypted_workbook,
        r"locked\.xlsx: expected a workbook without a password, found a password-protected \(encrypted\) file",
    ),
    "no text layer": (
        scanned,
        r"scan\.pdf, page 1: expected text on the page \(a text layer\), found 1 image\(s\) and no text",
    ),
    "another NAV report": (
        other_report,
        r"arbled100\.pdf, page 1: expected a page headed 'Kilde: NAV <code> \.\.\.', the code TILT100, TILT110,"
        r" TILT120, TILT130, TILT140, TILT150, TILT160, TILT170, TILT180 or TILT030,"
        r" found 'Kilde: NAV ARBLED100 Helt ledige",
    ),
    "not a NAV report": (
        not_nav,
        r"invoice\.pdf, page 1: expected a page headed 'Kilde: NAV <code> \.\.\.', the code TILT100, TILT110,"
        r" TILT120, TILT130, TILT140, TILT150, TILT160, TILT170, TILT180 or TILT030,"
        r" found no 'Kilde: NAV' line; the page begins 'Faktura 2026-017'",
    ),
    "page missing inside a table": (
        page_missing_mid_table,
        rf"missing_page\.pdf, page 31: expected page 7 of the table '{KOMMUNE}' to say 'Side 7 av 36',"
        r" found 'Side 8 av 36' \(a page missing before it\?\)",
    ),
    "page missing at a table's end": (
        page_missing_at_table_end,
        r"missing_last\.pdf, page 10: expected 6 pages of the table 'Arbeidsmarkedsstatus og fylke'"
        r" \('Side 1 av 6' on page 6\), found 5 \(a page missing\?\)",
    ),
    "page missing from the text export": (
        text_page_missing,
        r"missing_page\.txt, page 9: expected 5 pages of the table 'Arbeidsmarkedsstatus og fylke'"
        r" \('Side 1 av 5' on page 6\), found 4",
    ),
    "letters in a figure (text export)": (
        figure_12a_text,
        r"letters\.txt, page 56: expected a figure \(digits or \*\) in a figure column, found '12a' in 'Nesseby 8 12a'",
    ),
    "a point in a figure (text export)": (
        figure_with_point_text,
        r"point\.txt, page 3: expected a figure \(digits or \*\) in a figure column, found '1\.234'",
    ),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_bad_file_is_refused_and_lands_nothing(fault: str, loaded_db: Path, tmp_path: Path) -> None:
    make, message = FAULTS[fault]
    assert_refused(loaded_db, make(tmp_path), message)


def test_the_real_reports_pass_the_page_checks(text_report: Report, pdf_report: Report) -> None:
    """The footers of the real text export (three printed) and of the replica (every page) agree."""
    assert [p.footer for p in text_report.pages if p.footer] == ["Side 1 av 5", "Side 2 av 5", "Side 6 av 33"]
    assert sum(1 for p in pdf_report.pages if p.footer) == 59


# --- a figure that is not a number, in a PDF and in a workbook --------------------------------------------------

SENTINEL = 987_654


def test_letters_in_a_pdf_figure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = spec_from_report(read_report(TEXT_EXPORT))
    table = spec.tables[0]  # Arbeidsmarkedsstatus, page 2
    block = table.blocks[0]
    row = block.rows[1]
    rows = (block.rows[0], RowSpec(row.label, (SENTINEL, SENTINEL)), *block.rows[2:])
    changed = dataclasses.replace(
        spec,
        tables=(dataclasses.replace(table, blocks=(dataclasses.replace(block, rows=rows),)), *spec.tables[1:]),
    )
    real = tooling.replica.layout.format_figure
    monkeypatch.setattr(tooling.replica.layout, "format_figure", lambda v: "12a" if v == SENTINEL else real(v))
    bad = tmp_path / "letters.pdf"
    render_pdf(changed, bad)
    with pytest.raises(ExtractError, match=r"letters\.pdf, page 2: expected a figure \(digits or \*\) .*'12a'"):
        read_report(bad)


def test_a_point_in_a_workbook_figure(tmp_path: Path) -> None:
    book = tmp_path / "twin.xlsx"
    write_xlsx(spec_from_report(read_report(TEXT_EXPORT)), book)
    workbook = load_workbook(book)
    workbook[KOMMUNE]["C7"] = 1.234  # Oslo, January: a decimal number, where NAV counts people
    workbook.save(book)
    with pytest.raises(ExtractError, match=rf"twin\.xlsx, sheet '{KOMMUNE}': expected a figure .*'1\.234' in cell C7"):
        read_report(book)


def test_a_workbook_row_shifted_right_names_the_cell(tmp_path: Path) -> None:
    book = tmp_path / "twin.xlsx"
    write_xlsx(spec_from_report(read_report(TEXT_EXPORT)), book)
    workbook = load_workbook(book)
    sheet = workbook[KOMMUNE]
    assert (sheet["B7"].value, sheet["C7"].value, sheet["D7"].value) == (9109, 9109, None)  # Oslo
    sheet["B7"], sheet["C7"], sheet["D7"] = None, 9109, 9109  # its figures one column right: D has no header
    workbook.save(book)
    message = rf"twin\.xlsx, sheet '{KOMMUNE}': expected a figure under a column header, found '9109' in cell D7,"
    with pytest.raises(ExtractError, match=message + " under no header$"):
        read_report(book)


def test_generated_fixtures_are_deterministic(tmp_path: Path) -> None:
    """The generated PDFs are byte-for-byte the same each run (reportlab invariant mode, pdfium)."""
    for make in (not_nav, encrypted):
        first = make(tmp_path).read_bytes()
        assert make(tmp_path).read_bytes() == first


# --- a folder with one bad file among good ones -----------------------------------------------------------------


def test_folder_loads_the_good_files_and_reports_the_bad(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / TEXT_EXPORT.name).write_bytes(TEXT_EXPORT.read_bytes())
    truncated(folder)
    empty_text(folder)
    db = tmp_path / "w.duckdb"
    done = run_extract(db, folder)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(errors) == 2, done.stderr
    assert any("truncated.pdf: expected a complete PDF" in line for line in errors)
    assert any("empty.txt: expected a TILT100 report, found an empty file" in line for line in errors)
    assert "1 loaded, 0 skipped, 2 failed" in done.stdout
    assert [row[1] for row in snapshot(db)["tilt100_files"]] == [TEXT_EXPORT.name]


# --- a label no seed knows: it lands, and the build fails naming it ---------------------------------------------


@pytest.mark.slow
def test_unknown_labels_land_and_fail_the_build_by_name(tmp_path: Path) -> None:
    text = TEXT_EXPORT.read_text(encoding="utf-8")
    for old, new in (
        ("5636 Unjárga -\nNesseby 8 8\n", "5699 Nykommune 8 8\n"),
        ("Arbeidspraksis 1\u00a0851", "Nytiltak 1\u00a0851"),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    report = tmp_path / "new_labels.txt"
    report.write_text(text, encoding="utf-8")
    build: Build = load_and_build([report], tmp_path / "warehouse.duckdb")  # the extractor lands it (exit 0)
    assert build.returncode != 0
    assert any("assert_every_label_is_known" in line and " FAIL " in line for line in build.output.splitlines())
    failures = build.query(
        "select table_title, label_text, page_number, file_name from test_failures.assert_every_label_is_known"
        " order by page_number"
    )
    assert failures == [
        ("Arbeidsmarkedsstatus og tiltaksgruppe", "Nytiltak", 3, "new_labels.txt"),
        (KOMMUNE, "5699 Nykommune", 56, "new_labels.txt"),
    ]


# --- a figure beyond any count of people; a byte order mark -------------------------------------------------------


def test_a_figure_over_ten_million_is_refused_naming_the_cell(loaded_db: Path, tmp_path: Path) -> None:
    book = tmp_path / "huge.xlsx"
    write_xlsx(spec_from_report(read_report(TEXT_EXPORT)), book)
    workbook = load_workbook(book)
    workbook[KOMMUNE]["C7"] = 1e15  # the cell: a conversion error in the build, naming nothing
    workbook.save(book)
    assert_refused(
        loaded_db,
        book,
        rf"huge\.xlsx, sheet '{KOMMUNE}': expected a figure of at most 10 000 000 \(people on a measure\),"
        r" found '1000000000000000' in cell C7",
    )


def test_a_figure_over_ten_million_in_a_text_export_names_page_and_line(loaded_db: Path, tmp_path: Path) -> None:
    bad = edited_text(tmp_path / "huge.txt", "Nesseby 8 8\n", "Nesseby 8 10\u00a0000\u00a0001\n")
    assert_refused(
        loaded_db,
        bad,
        r"huge\.txt, page 56: expected a figure of at most 10 000 000 \(people on a measure\),"
        r" found '10\\xa0000\\xa0001' in '5636 Unjárga - / Nesseby' \(line 1771\)",
    )


def test_a_text_export_with_a_byte_order_mark_reads_as_without(text_report: Report, tmp_path: Path) -> None:
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + TEXT_EXPORT.read_bytes())
    report = read_report(bom)
    assert [(p.number, p.title, p.footer) for p in report.pages] == [
        (p.number, p.title, p.footer) for p in text_report.pages
    ]
    assert [(r.page_number, r.source_line, r.label_lines) for r in report.rows] == [
        (r.page_number, r.source_line, r.label_lines) for r in text_report.rows
    ]


def test_padding_after_eof_is_no_cut(pdf_report: Report, tmp_path: Path) -> None:
    """A tool or a transfer may add bytes after %%EOF: the PDF reads as without them; a cut one is still refused."""
    padded = tmp_path / "padded.pdf"
    padded.write_bytes(REPLICA_PDF.read_bytes() + b"\0" * 70_000 + b"\n")
    assert read_report(padded).rows == pdf_report.rows
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(REPLICA_PDF.read_bytes()[:35_000] + b"\0" * 70_000)
    with pytest.raises(ExtractError, match=r"cut\.pdf: expected a complete PDF \(ending with %%EOF\)"):
        read_report(cut)
