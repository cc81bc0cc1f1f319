"""`tilt100`'s command line: each subcommand's options are its own, built only when it is named, so a
command imports only what it runs (`tilt100 summary` and `tilt100 --help` start without the extractor
and the downloader)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.python.helpers import ROOT
from tilt100.cli import COMMANDS

# Imported by the options of `load` and `refresh` (the extractor's) and of `fetch` (the downloader's).
HEAVY = ("extract.batch", "pdfplumber", "tilt100.fetch", "requests")

IMPORTED = """
import sys
from tilt100.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print("imported:", *(name for name in {heavy!r} if name in sys.modules))
"""


def imported_by(*argv: str) -> list[str]:
    """Which of HEAVY `tilt100 <argv>` imported, run in a Python of its own."""
    script = IMPORTED.format(heavy=HEAVY)
    run = subprocess.run([sys.executable, "-c", script, *argv], cwd=ROOT, capture_output=True, text=True, check=True)
    return run.stdout.splitlines()[-1].split()[1:]


def test_help_and_a_reading_command_import_neither_the_extractor_nor_the_downloader(tmp_path: Path) -> None:
    assert imported_by("--help") == []
    assert imported_by("summary", "--db", str(tmp_path / "missing.duckdb")) == []  # refused: no warehouse there
    assert imported_by("load", "--help") == ["extract.batch", "pdfplumber"]
    assert {"tilt100.fetch", "requests"} <= set(imported_by("fetch", "--help"))


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("refresh", ["--db", "--jobs", "--text-layer", "--full"]),
        ("load", ["--explain", "--page", "--db", "--jobs", "--text-layer"]),
        ("explain", ["--page", "--text-layer"]),
        ("summary", ["--db"]),
        ("charts", ["--db", "--out"]),
        ("docs", ["--db"]),
        ("fetch", ["--landing", "--archive", "--dest", "--dry-run", "--refresh", "--db", "--retries"]),
        ("export", ["--db", "--out"]),
    ],
)
def test_each_commands_help_lists_its_own_options(command: str, options: list[str]) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "tilt100", command, "--help"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    listed = {word.rstrip(",") for word in run.stdout.split() if word.startswith("--")}
    assert set(options) <= listed, (command, set(options) - listed)


def test_every_command_is_tested_above() -> None:
    assert [c.name for c in COMMANDS] == ["refresh", "load", "explain", "summary", "charts", "docs", "fetch", "export"]
