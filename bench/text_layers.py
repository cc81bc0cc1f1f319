"""pypdfium2's text layer against pdfplumber's: time to every character with its box, and same cells?

Usage: .venv/bin/python -m bench.text_layers [REPORT.pdf] [--page N] [--runs R]

pypdfium2 comes with pdfplumber (it renders pages for pdfplumber's images).
For every page of the report this takes every character and its box:

  pdfplumber   ``page.chars`` (pdfminer's layout, then pdfplumber's dicts): what extract uses
  pypdfium2    ``PdfTextPage.count_chars()``, ``get_charbox(i, loose=True)``, the text
               from one ``get_text_range()`` per page (generated characters skipped)
  pdfium runs  ``count_rects()`` / ``get_rect(i)`` / ``get_text_bounded(*rect)``: pdfium's
               own runs of text on a line, no per-character loop in Python

and then whether they give the cells the extractor needs: each page's characters
grouped into lines and cells the way extract.pdf does (a gap wider than
CELL_GAP ends a cell, tops within LINE_TOLERANCE share a line), compared with
extract.pdf.page_lines (pdfplumber's extract_words) cell by cell: text, and the
largest difference of x0, x1 and top. Prints the times and the ratios.
"""

from __future__ import annotations

import argparse
import ctypes
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extract.pdf import CELL_GAP, LINE_TOLERANCE, page_lines

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REPORT = ROOT / "data" / "reports" / "tilt100_2026-01.pdf"
# pdfium gives a hyphen that ends a line (a wrapped label, "3414 Nord-") as its soft-hyphen marks.
SOFT_HYPHENS = {"\x02": "-", "\ufffe": "-"}
UNSOFT = str.maketrans(SOFT_HYPHENS)


@dataclass(frozen=True)
class Char:
    text: str
    x0: float
    x1: float
    top: float
    line_at: float  # what shares a line: pdfplumber's top; pdfium's baseline (its loose top grows with an Å)


@dataclass(frozen=True)
class Cell:
    text: str
    x0: float
    x1: float
    top: float


# ---- every character with its box ---------------------------------------------------


def plumber_chars(path: Path) -> list[list[Char]]:
    pages = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            pages.append([Char(c["text"], c["x0"], c["x1"], c["top"], c["top"]) for c in page.chars])
            page.close()
    return pages


def pdfium_chars(path: Path) -> list[list[Char]]:
    pages = []
    pdf = pdfium.PdfDocument(path)
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            height = page.get_height()
            count = textpage.count_chars()
            text = textpage.get_text_range(0, count)
            exact = len(text) == count  # else fall back to one code point per character
            chars = []
            x, y = ctypes.c_double(), ctypes.c_double()
            for i in range(count):
                if pdfium_c.FPDFText_IsGenerated(textpage, i) == 1:
                    continue  # a space or line break pdfium inserted, not printed
                left, _bottom, right, top = textpage.get_charbox(i, loose=True)
                pdfium_c.FPDFText_GetCharOrigin(textpage, i, x, y)
                char = text[i] if exact else chr(pdfium_c.FPDFText_GetUnicode(textpage, i))
                char = SOFT_HYPHENS.get(char, char)
                chars.append(Char(char, left, right, height - top, height - y.value))
            pages.append(chars)
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return pages


def pdfium_runs(path: Path) -> list[list[Cell]]:
    """pdfium's rectangles of text (a run on one line) with their text."""
    pages = []
    pdf = pdfium.PdfDocument(path)
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            height = page.get_height()
            runs = []
            for i in range(textpage.count_rects()):
                left, bottom, right, top = textpage.get_rect(i)
                text = textpage.get_text_bounded(left, bottom, right, top).translate(UNSOFT).strip()
                if text:
                    runs.append(Cell(text, left, right, height - top))
            pages.append(runs)
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return pages


# ---- characters to lines of cells, as extract.pdf does --------------------------------


def cells_from_chars(chars: Sequence[Char]) -> list[list[Cell]]:
    lines: list[list[Char]] = []
    for char in sorted(chars, key=lambda c: (round(c.line_at, 1), c.x0)):
        if lines and abs(lines[-1][0].line_at - char.line_at) <= LINE_TOLERANCE:
            lines[-1].append(char)
        else:
            lines.append([char])
    result = []
    for line in lines:
        cells: list[list[Char]] = []
        for char in sorted(line, key=lambda c: c.x0):
            if cells and char.x0 - cells[-1][-1].x1 <= CELL_GAP:
                cells[-1].append(char)
            else:
                cells.append([char])
        row = [Cell("".join(c.text for c in cell).strip(), cell[0].x0, cell[-1].x1, cell[0].top) for cell in cells]
        row = [cell for cell in row if cell.text]
        if row:
            result.append(row)
    return result


def pdfium_rows(path: Path, pages: list[list[Char]]) -> list[tuple]:
    """The rows extract.parse reads off pypdfium2's characters: table, label lines, figures as printed."""
    from extract.parse import Cell as ParseCell
    from extract.parse import Line, parse_page

    rows = []
    for number, chars in enumerate(pages, start=1):
        lines = [Line(tuple(ParseCell(c.text, c.x0, c.x1, c.top) for c in line)) for line in cells_from_chars(chars)]
        _, page = parse_page(lines, number, path.name)
        rows += [(r.table_title, r.label_lines, tuple((f.column.header, f.text) for f in r.figures)) for r in page.rows]
    return rows


def extract_rows(path: Path) -> list[tuple]:
    from extract.read import read_report

    return [
        (r.table_title, r.label_lines, tuple((f.column.header, f.text) for f in r.figures))
        for r in read_report(path).rows
    ]


def lines_of_runs(runs: Sequence[Cell]) -> list[list[Cell]]:
    lines: list[list[Cell]] = []
    for run in sorted(runs, key=lambda r: (round(r.top, 1), r.x0)):
        if lines and abs(lines[-1][0].top - run.top) <= LINE_TOLERANCE:
            lines[-1].append(run)
        else:
            lines.append([run])
    return [sorted(line, key=lambda r: r.x0) for line in lines]


def extract_cells(path: Path, number: int) -> list[list[Cell]]:
    """What the extractor gets for page `number` (1-based) today."""
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[number - 1]
        lines = page_lines(page)
        page.close()
    return [[Cell(c.text, c.x0 or 0.0, c.x1 or 0.0, c.top or 0.0) for c in line.cells] for line in lines]


@dataclass(frozen=True)
class Comparison:
    cells: int
    same_text: int
    other: int  # cells the other side has
    worst_x: float  # largest |x0| or |x1| difference among cells of the same text
    worst_top: float
    first_difference: str


def compare(ours: list[list[Cell]], theirs: list[list[Cell]]) -> Comparison:
    mine = [cell for line in ours for cell in line]
    other = [cell for line in theirs for cell in line]
    same = worst_x = worst_top = 0.0
    first = ""
    for a, b in zip(mine, other, strict=False):
        if a.text == b.text:
            same += 1
            worst_x = max(worst_x, abs(a.x0 - b.x0), abs(a.x1 - b.x1))
            worst_top = max(worst_top, abs(a.top - b.top))
        elif not first:
            first = f"{a.text!r} vs {b.text!r}"
    if not first and len(mine) != len(other):
        first = f"{len(mine)} cells vs {len(other)}"
    return Comparison(len(mine), int(same), len(other), worst_x, worst_top, first)


# ---- timing ---------------------------------------------------------------------------


def best_of(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def extract_lines(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page_lines(page)
            page.close()


def pdfium_lines(path: Path) -> None:
    for chars in pdfium_chars(path):
        cells_from_chars(chars)


def pdfium_run_lines(path: Path) -> None:
    for runs in pdfium_runs(path):
        lines_of_runs(runs)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.text_layers", description=__doc__.split("\n\n")[0])
    parser.add_argument("report", nargs="?", type=Path, default=DEFAULT_REPORT)
    parser.add_argument("--page", type=int, default=None, help="page to show in detail (default: the most cells)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each timing (the best counts)")
    args = parser.parse_args(argv)
    path: Path = args.report

    plumber = plumber_chars(path)
    fium = pdfium_chars(path)
    pages, n_plumber, n_fium = len(plumber), sum(map(len, plumber)), sum(map(len, fium))
    print(f"{path.name}: {pages} pages; characters: pdfplumber {n_plumber}, pypdfium2 {n_fium} (non-generated)")

    t_plumber = best_of(lambda: plumber_chars(path), args.runs)
    t_fium = best_of(lambda: pdfium_chars(path), args.runs)
    t_runs = best_of(lambda: pdfium_runs(path), args.runs)
    t_extract = best_of(lambda: extract_lines(path), args.runs)
    t_fium_lines = best_of(lambda: pdfium_lines(path), args.runs)
    print(f"\nbest of {args.runs}, in-process, every page:")
    print(f"  every character with its box: pdfplumber page.chars {t_plumber:6.3f} s")
    print(f"                                pypdfium2 charboxes   {t_fium:6.3f} s  ({t_plumber / t_fium:.1f}× faster)")
    print(f"  pdfium's own text runs (rects + bounded text)       {t_runs:6.3f} s  ({t_plumber / t_runs:.1f}× faster)")
    print(f"  lines of cells: extract.pdf.page_lines (pdfplumber) {t_extract:6.3f} s")
    speedup = t_extract / t_fium_lines
    print(f"                  pypdfium2 chars grouped alike      {t_fium_lines:6.3f} s  ({speedup:.1f}× faster)")
    print(f"  ratio pypdfium2 / pdfplumber, chars: {t_fium / t_plumber:.3f}; lines: {t_fium_lines / t_extract:.3f}")

    runs = pdfium_runs(path)
    totals = {"pdfplumber chars": [0, 0], "pypdfium2 chars": [0, 0], "pdfium runs": [0, 0]}
    worst = {"pypdfium2 chars": [0.0, 0.0], "pdfium runs": [0.0, 0.0]}
    cells_on_page = {}
    differing = []
    for number in range(1, pages + 1):
        ours = extract_cells(path, number)
        cells_on_page[number] = sum(map(len, ours))
        for name, theirs in (
            ("pdfplumber chars", cells_from_chars(plumber[number - 1])),
            ("pypdfium2 chars", cells_from_chars(fium[number - 1])),
            ("pdfium runs", lines_of_runs(runs[number - 1])),
        ):
            result = compare(ours, theirs)
            totals[name][0] += result.same_text
            totals[name][1] += result.cells
            if name in worst:
                worst[name][0] = max(worst[name][0], result.worst_x)
                worst[name][1] = max(worst[name][1], result.worst_top)
            if result.first_difference and name != "pdfplumber chars":
                differing.append(f"  page {number}, {name}: first difference {result.first_difference}")
    print("\ncells, against extract.pdf.page_lines (in order, same text):")
    for name, (same, cells) in totals.items():
        extra = ""
        if name in worst:
            extra = f"; same-text cells differ by at most {worst[name][0]:.2f} pt in x, {worst[name][1]:.2f} pt in top"
        print(f"  {name:17} {same} of {cells} cells{extra}")
    print("\n".join(differing[:8]) or "  no page differs")

    ours_rows, their_rows = extract_rows(path), pdfium_rows(path, fium)
    same_rows = sum(a == b for a, b in zip(ours_rows, their_rows, strict=False))
    verdict = "the same" if ours_rows == their_rows else "NOT the same"
    print(
        f"rows through extract.parse: read_report {len(ours_rows)}, pypdfium2 characters {len(their_rows)};"
        f" {same_rows} equal (table, label lines, column headers, figures as printed): {verdict}"
    )

    number = args.page or max(cells_on_page, key=cells_on_page.__getitem__)
    print(f"\npage {number}, first lines: extract.pdf.page_lines | pypdfium2 chars grouped alike")
    ours, theirs = extract_cells(path, number), cells_from_chars(fium[number - 1])
    for mine, other in list(zip(ours, theirs, strict=False))[:8]:
        left = " | ".join(f"{c.text} @{c.x0:.1f}-{c.x1:.1f},{c.top:.1f}" for c in mine)
        right = " | ".join(f"{c.text} @{c.x0:.1f}-{c.x1:.1f},{c.top:.1f}" for c in other)
        print(f"  {left}\n  {right}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
