"""Non-ASCII file names work under any locale: a command under LC_ALL=C PYTHONUTF8=0 (an ASCII locale, Python's
UTF-8 mode off, as in a bare cron job or container) re-runs itself in UTF-8 mode, so a name is its own letters for
DuckDB, dbt and the terminal alike."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.python.helpers import ROOT, TEXT_EXPORT

NAME = "Tiltaksdeltakere_øst.txt"


def in_c_locale(*args: str) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONIOENCODING"))}
    env |= {"LC_ALL": "C", "PYTHONUTF8": "0"}
    return subprocess.run([sys.executable, "-m", "tilt100", *args], cwd=ROOT, env=env, capture_output=True)


def test_the_ascii_locale_is_really_ascii() -> None:
    """Without the re-run, Python under this environment decodes file names as ASCII (the fault this file tests)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONIOENCODING"))}
    code = "import sys; print(sys.getfilesystemencoding(), sys.flags.utf8_mode)"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env | {"LC_ALL": "C", "PYTHONUTF8": "0"}, capture_output=True
    )
    assert done.stdout == b"ascii 0\n"


def test_a_refresh_of_a_non_ascii_file_name_in_an_ascii_locale(tmp_path: Path) -> None:
    reports = tmp_path / "rapporter_østlandet"
    reports.mkdir()
    shutil.copyfile(TEXT_EXPORT, reports / NAME)
    db = tmp_path / "lager_æøå" / "w.duckdb"
    done = in_c_locale("refresh", str(reports), "--db", str(db))
    stdout, stderr = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    assert done.returncode == 0, stdout + stderr
    assert "Traceback" not in stderr
    assert "files: 1 loaded, 0 skipped (already loaded), 0 failed" in stdout
    assert f"warehouse: {db}" in stdout
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select file_name from raw.tilt100_files").fetchall() == [(NAME,)]
    summary = in_c_locale("summary", "--db", str(db))
    assert (summary.returncode, summary.stderr) == (0, b"")
    assert summary.stdout.decode("utf-8").splitlines()[0] == f"warehouse: {db}"


def test_explain_prints_a_report_in_an_ascii_locale(tmp_path: Path) -> None:
    report = tmp_path / NAME
    shutil.copyfile(TEXT_EXPORT, report)
    done = in_c_locale("explain", str(report), "--page", "3")
    assert (done.returncode, done.stderr) == (0, b"")
    lines = done.stdout.decode("utf-8").splitlines()
    assert lines[:2] == [
        f"{NAME}, page 3: 16 lines",
        "  source     31: [Kilde:] [NAV] [TILT100] [Tiltaksdeltakere.] [Hovedgruppe] [og] [demografi.] [Tidsserie]"
        " [måned]",
    ]


def test_a_file_name_that_is_not_utf8_lands_with_its_bytes_escaped(tmp_path: Path) -> None:
    """A Latin-1 name (the byte 0xf8 for "ø"): Python holds it as a lone surrogate, which DuckDB refuses."""
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copyfile(TEXT_EXPORT, os.fsencode(reports) + b"/Tiltaksdeltakere_\xf8st.txt")
    db = tmp_path / "w.duckdb"
    done = subprocess.run(
        [sys.executable, "-m", "tilt100", "load", "--db", str(db), str(reports)], cwd=ROOT, capture_output=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert b"Traceback" not in done.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select file_name from raw.tilt100_files").fetchall() == [("Tiltaksdeltakere_\\xf8st.txt",)]
