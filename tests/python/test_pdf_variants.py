"""PDFs a producer may write that are still TILT100 reports, read alike through both text layers.

- Pages turned: a page shown rotated (/Rotate 90, 180, 270), or its table drawn
  turned on the page (a wide table on a tall page, shown upright by /Rotate),
  reads as the same page printed upright: the same lines and cells, at the same
  places, through PDFium and pdfplumber.
- An owner password with none to open it (the author's permissions), even
  permissions /P 0, reads as the same file without one; a password to open it
  is refused (tests/python/test_bad_input.py).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.lib.pdfencrypt import StandardEncryption

from extract.model import Line
from extract.sources import TEXT_LAYERS, TextLayer, pdf_pages
from tests.python.helpers import REPLICA_PDF, ROOT
from tests.python.test_bad_input import SOURCE, tilt_like_pdf

PAGES = [0, 1, 2]  # the prose page and the first table's first two pages


def upright(out: Path) -> Path:
    src = pdfium.PdfDocument(str(REPLICA_PDF))
    new = pdfium.PdfDocument.new()
    new.import_pages(src, PAGES)
    new.save(str(out))
    return out


def shown_rotated(degrees: int) -> Callable[[Path], Path]:
    """The pages as they are, shown turned by /Rotate."""

    def make(out: Path) -> Path:
        doc = pdfium.PdfDocument(str(upright(out)))
        for page in doc:
            page.set_rotation(degrees)
        doc.save(str(out))
        return out

    return make


def drawn_rotated(degrees: int, shown: int) -> Callable[[Path], Path]:
    """Each page drawn turned by `degrees` (counter-clockwise) on a page of the swapped size, shown by /Rotate."""

    def make(out: Path) -> Path:
        src = pdfium.PdfDocument(str(upright(out.with_name("upright.pdf"))))
        doc = pdfium.PdfDocument.new()
        for index in range(len(src)):
            width, height = src[index].get_size()
            page = doc.new_page(height, width)
            drawn = src.page_as_xobject(index, doc).as_pageobject()
            turn = pdfium.PdfMatrix().rotate(degrees, ccw=True)
            drawn.transform(turn.translate(height, 0) if degrees == 90 else turn.translate(0, width))
            page.insert_obj(drawn)
            page.gen_content()
            page.set_rotation(shown)
        doc.save(str(out))
        return out

    return make


TURNED = {
    "shown at 90": shown_rotated(90),
    "shown at 180": shown_rotated(180),
    "shown at 270": shown_rotated(270),
    "drawn at 90, shown at 270 (upright)": drawn_rotated(90, 270),
    "drawn at 270": drawn_rotated(270, 0),
}


def placed(pages: list[list[Line]]) -> list[list[tuple]]:
    """Each page's lines as cells with their places, to a hundredth of a point (a turn is arithmetic on floats)."""
    return [
        [
            tuple((c.text, round(c.x0 or 0, 2), round(c.x1 or 0, 2), round(c.top or 0, 2)) for c in line.cells)
            for line in page
        ]
        for page in pages
    ]


@pytest.mark.parametrize("layer", TEXT_LAYERS)
@pytest.mark.parametrize("turned", TURNED)
def test_a_turned_page_reads_as_printed_upright(turned: str, layer: TextLayer, tmp_path: Path) -> None:
    expected = placed(list(pdf_pages(upright(tmp_path / "upright.pdf"), text_layer=layer)))
    assert expected[1][0][0][0].startswith("Kilde: NAV TILT100")
    assert placed(list(pdf_pages(TURNED[turned](tmp_path / "turned.pdf"), text_layer=layer))) == expected


class NoPermissions(StandardEncryption):
    """An owner password and none to open the file, every permission withheld: /P 0."""

    def permissionBits(self) -> int:  # reportlab's name
        return 2**31  # reportlab writes P as this minus 2**31


LINES = [SOURCE, "Arbeidsmarkedsstatus Rapport oppdatert: 02.02.2026"]


@pytest.mark.parametrize("layer", TEXT_LAYERS)
@pytest.mark.parametrize("permissions", ["none (/P 0)", "reportlab's defaults"])
def test_an_owner_password_alone_does_not_stop_reading(permissions: str, layer: TextLayer, tmp_path: Path) -> None:
    locked = NoPermissions("", "owner") if permissions.startswith("none") else StandardEncryption("", "owner")
    pdf = tilt_like_pdf(tmp_path / "owner.pdf", LINES, encrypt=locked)
    assert b"/P 0" in pdf.read_bytes() or not permissions.startswith("none")
    plain = tilt_like_pdf(tmp_path / "plain.pdf", LINES)
    assert placed(list(pdf_pages(pdf, text_layer=layer))) == placed(list(pdf_pages(plain, text_layer=layer)))


def test_explain_reads_a_pdf_with_permissions_0(tmp_path: Path) -> None:
    pdf = tilt_like_pdf(tmp_path / "owner.pdf", LINES, encrypt=NoPermissions("", "owner"))
    run = subprocess.run(
        [sys.executable, "-m", "tilt100", "explain", str(pdf)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert (run.returncode, run.stderr) == (0, "")
    assert run.stdout.splitlines() == [
        "owner.pdf, page 1, pdfium text layer: 2 lines",
        f"  source   [{SOURCE} x 40.0-480.8]",
        "  date     [Arbeidsmarkedsstatus Rapport oppdatert: 02.02.2026 x 40.0-325.5]",
        "             -> updated 02.02.2026, title 'Arbeidsmarkedsstatus'",
        "  read: table 'Arbeidsmarkedsstatus', 0 rows",
    ]
