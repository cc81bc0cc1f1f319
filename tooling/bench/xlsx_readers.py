"""Measure python-calamine against openpyxl reading a TILT100 Excel twin.

Usage: .venv/bin/python bench/xlsx_readers.py [WORKBOOK.xlsx]
Without an argument it writes the twin of the January 2026 report first.
Prints each reader's best time over several runs and the ratio.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: the project's modules on the path
from tilt100.settings import JANUARY_2026_TEXT


def read_calamine(path: Path) -> int:
    workbook = CalamineWorkbook.from_path(str(path))
    return sum(len(workbook.get_sheet_by_name(n).to_python()) for n in workbook.sheet_names)


def read_openpyxl(path: Path) -> int:
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        return sum(sum(1 for _ in sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets)
    finally:
        workbook.close()


def best_of(reader: Callable[[Path], int], path: Path, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        reader(path)
        times.append(time.perf_counter() - start)
    return min(times)


def twin_of_january(directory: Path) -> Path:
    from extract import read_report
    from tooling.replica.from_text import spec_from_report
    from tooling.replica.xlsx import write_xlsx

    out = directory / "tilt100_2026-01.xlsx"
    write_xlsx(spec_from_report(read_report(JANUARY_2026_TEXT)), out)
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(sys.argv[1]) if len(sys.argv) > 1 else twin_of_january(Path(tmp))
        calamine = best_of(read_calamine, path)
        openpyxl = best_of(read_openpyxl, path)
        print(f"{path.name}: python-calamine {calamine * 1000:.1f} ms, openpyxl {openpyxl * 1000:.1f} ms")
        print(f"openpyxl / calamine = {openpyxl / calamine:.1f}")


if __name__ == "__main__":
    main()
