"""Landing raw rows: lineage, one transaction per file, nothing twice."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

import extract.batch
import extract.read
import tooling.replica.layout
from extract.errors import ExtractError
from extract.load import DDL, records
from tests.python.helpers import REPLICA_PDF, ROOT, TEXT_EXPORT, raw_state
from tilt100.cli import main as tilt100
from tilt100.settings import default_db
from tooling.replica.render import render_pdf
from tooling.replica.republished import february_and_march_2026


def main(args: list[str]) -> int:
    return tilt100(["load", *args])


COUNTS = {
    "tilt100_files": 1,
    "tilt100_pages": 56,
    "tilt100_rows": 557,
    "tilt100_cells": 1114,
}


def raw_counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in COUNTS}


def test_lands_once_with_lineage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.duckdb"
    assert main(["--db", str(db), str(TEXT_EXPORT)]) == 0
    assert raw_counts(db) == COUNTS
    assert main(["--db", str(db), str(TEXT_EXPORT.parent)]) == 0  # the folder: same file again, plus the tampered one
    out = capsys.readouterr().out
    assert f"[1/2] skipped {TEXT_EXPORT}: already loaded (same SHA-256)" in out
    with duckdb.connect(str(db), read_only=True) as con:
        files = con.execute(
            "select file_name, file_format, report_updated, period, page_count from raw.tilt100_files"
            " order by file_name"
        ).fetchall()
        oslo = con.execute(
            "select r.page_number, r.label_lines, c.column_header, c.value_text from raw.tilt100_rows r"
            " join raw.tilt100_cells c using (file_sha256, row_order) join raw.tilt100_files f using (file_sha256)"
            " where f.file_name = ? and r.label_lines = ['0301 Oslo'] order by c.column_order",
            [TEXT_EXPORT.name],
        ).fetchall()
    assert files == [
        ("tilt100_2026-01.txt", "txt", "02.02.2026", "Januar 2026 - Januar 2026", 56),
        ("tilt100_2026-01_tampered_oslo.txt", "txt", "02.02.2026", "Januar 2026 - Januar 2026", 56),
    ]
    assert oslo == [
        (24, ["0301 Oslo"], "Gjennom snitt hittil i år", "9\u00a0109"),
        (24, ["0301 Oslo"], "Januar", "9\u00a0109"),
    ]


def test_bad_file_lands_nothing_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.duckdb"
    broken = tmp_path / "broken.txt"
    text = TEXT_EXPORT.read_text(encoding="utf-8")
    broken.write_text(text.replace("5636 Unjárga -\nNesseby 8 8", "5636 Unjárga -\nNesseby 8 8 x"), encoding="utf-8")
    assert main(["--db", str(db), str(broken), str(TEXT_EXPORT)]) == 1
    err = capsys.readouterr().err
    assert (
        f"broken.txt, page 56: expected 2 figures at the end of the row, found 'Nesseby 8 8 x'"
        f" (to see how the page was read: tilt100 explain {broken} --page 56)\n"
    ) in err
    assert raw_counts(db) == COUNTS  # the good file landed, the bad one not at all


def test_database_path_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WAREHOUSE_DB", str(tmp_path / "env.duckdb"))
    assert default_db() == tmp_path / "env.duckdb"
    monkeypatch.delenv("WAREHOUSE_DB")
    assert default_db() == Path(__file__).resolve().parents[2] / "warehouse.duckdb"
    assert os.environ.get("WAREHOUSE_DB") is None


def test_printed_text_reaches_sql_only_as_data(tmp_path: Path) -> None:
    """A label that reads like SQL lands as the text it is: rows go in as bound parameters."""
    db = tmp_path / "w.duckdb"
    hostile = "0301 Oslo'); drop table raw.tilt100_files; --"
    report = tmp_path / "hostile.txt"
    report.write_text(TEXT_EXPORT.read_text(encoding="utf-8").replace("0301 Oslo 9", f"{hostile} 9"), encoding="utf-8")
    assert main(["--db", str(db), str(report)]) == 0
    assert raw_counts(db) == COUNTS
    with duckdb.connect(str(db), read_only=True) as con:
        found = con.execute("select label_lines from raw.tilt100_rows where label_lines[1] like '0301 %'").fetchall()
    assert found == [([hostile],)]


def test_reading_on_two_cores_lands_what_one_process_lands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--jobs 2 reads in two processes; the files land in the order named, errors and skips as with --jobs 1."""
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(REPLICA_PDF.read_bytes()[:50_000])
    files = [REPLICA_PDF, truncated, TEXT_EXPORT, REPLICA_PDF.with_suffix(".xlsx"), TEXT_EXPORT]
    outputs = {}
    for jobs in ("1", "2"):
        db = tmp_path / f"jobs{jobs}" / "w.duckdb"
        assert main(["--db", str(db), "--jobs", jobs, *map(str, files)]) == 1  # the truncated file
        captured = capsys.readouterr()
        outputs[jobs] = (captured.out.replace(str(db), "<db>"), captured.err, raw_state(db))
    assert outputs["1"] == outputs["2"]
    out, err, raw = outputs["2"]
    assert "truncated.pdf: expected a complete PDF (ending with %%EOF)" in err
    assert f"[5/5] skipped {TEXT_EXPORT}: already loaded (same SHA-256)" in out
    assert "3 loaded, 1 skipped, 1 failed" in out
    assert {(name, version, code) for _, name, *_, version, code in raw["tilt100_files"]} == {
        ("tilt100_2026-01.pdf", "2+pdfium", "TILT100"),
        ("tilt100_2026-01.txt", "2", "TILT100"),
        ("tilt100_2026-01.xlsx", "2", "TILT100"),
    }


def test_a_row_with_two_figures_in_one_column_is_refused_before_it_lands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """raw.tilt100_cells' key (file, row, column) is kept where the records are built, not by an index: a row
    whose two figures stand under one column (a parser's bug) is refused, naming the row, and lands nothing."""
    report = extract.read.read_report(TEXT_EXPORT)
    page = report.pages[23]
    [oslo] = [i for i, row in enumerate(page.rows) if row.label_lines == ("0301 Oslo",)]
    row = page.rows[oslo]
    doubled = dataclasses.replace(row, figures=(row.figures[1], row.figures[1]))  # both under "Januar"
    page = dataclasses.replace(page, rows=(*page.rows[:oslo], doubled, *page.rows[oslo + 1 :]))
    broken = dataclasses.replace(report, pages=(*report.pages[:23], page, *report.pages[24:]))
    message = (
        f"tilt100_2026-01.txt, page 24, line {row.source_line}: expected one figure per column in each row,"
        " found two under 'Januar' in the row '0301 Oslo'"
    )
    with pytest.raises(ExtractError) as refused:
        records(broken)
    assert str(refused.value) == message
    # Through a load (the reading process forked with this reader): exit 1, the message, nothing landed.
    with monkeypatch.context() as patched:
        patched.setattr(extract.batch, "read_report", lambda *_: broken)
        refused_db = tmp_path / "refused.duckdb"
        assert main(["--db", str(refused_db), str(TEXT_EXPORT)]) == 1
    assert f"error: {message}" in capsys.readouterr().err
    assert raw_counts(refused_db) == dict.fromkeys(COUNTS, 0)
    # A warehouse made while an index kept the key keeps it (DuckDB cannot drop one), and files land in it.
    db = tmp_path / "w.duckdb"
    keyed = "    cell_ref varchar,\n    primary key (file_sha256, row_order, column_order)\n"
    with duckdb.connect(str(db)) as con:
        con.execute(DDL.replace("    cell_ref varchar\n", keyed))
    assert main(["--db", str(db), str(TEXT_EXPORT)]) == 0
    assert raw_counts(db) == COUNTS
    with duckdb.connect(str(db), read_only=True) as con:
        keys = con.execute(
            "select constraint_text from duckdb_constraints()"
            " where table_name = 'tilt100_cells' and constraint_type = 'PRIMARY KEY'"
        ).fetchall()
    assert keys == [("PRIMARY KEY(file_sha256, row_order, column_order)",)]


@pytest.mark.parametrize("layer", ["pdfium", "pdfplumber"])
def test_a_figure_printed_in_two_pieces_under_one_column_is_refused(
    layer: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first guard of raw.tilt100_cells' key, in the parser: a PDF whose thousands separator is a wide gap
    prints "1 771" as two words under one column header; the load refuses it (exit 1) and lands nothing."""
    printed = tooling.replica.layout.format_figure
    gap = " " * 4  # four spaces where NAV prints one no-break space
    monkeypatch.setattr(tooling.replica.layout, "format_figure", lambda v: printed(v).replace("\u00a0", gap))
    pdf = tmp_path / "gaps.pdf"
    render_pdf(february_and_march_2026()[1].spec, pdf)
    db = tmp_path / "w.duckdb"
    assert main(["--db", str(db), "--text-layer", layer, str(pdf)]) == 1
    assert capsys.readouterr().err == (  # the I alt row's average, 79 795, printed as '79' and '795'
        "[1/1] error: gaps.pdf, page 2: expected one figure under 'Gjennom snitt hittil i år', found two: '795'"
        f" (to see how the page was read: tilt100 explain {pdf} --page 2)\n"
    )
    assert raw_counts(db) == dict.fromkeys(COUNTS, 0)


def test_text_layer_is_landed_with_the_file(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    assert main(["--db", str(db), "--text-layer", "pdfplumber", str(REPLICA_PDF)]) == 0
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select extractor_version from raw.tilt100_files").fetchall() == [("2+pdfplumber",)]


def test_a_file_that_kills_its_reading_process_fails_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A crash inside a PDF library takes down the process reading the file, not the load."""
    original = extract.read.read_report

    def read_report(path: Path, on_page: object = None, text_layer: str = "pdfium", sha256: object = None) -> object:
        if path.name == "crash.txt":
            os._exit(70)  # as a segfault in C would: no exception, no cleanup
        return original(path, on_page, text_layer, sha256)  # type: ignore[arg-type]

    # The reading processes are forked from this one: they find the stand-in under the original's name.
    read_report.__module__, read_report.__qualname__ = "extract.read", "read_report"
    monkeypatch.setattr(extract.read, "read_report", read_report)
    monkeypatch.setattr(extract.batch, "read_report", read_report)
    crash = tmp_path / "crash.txt"
    crash.write_bytes(TEXT_EXPORT.read_bytes() + b"\n")
    db = tmp_path / "w.duckdb"
    assert main(["--db", str(db), "--jobs", "2", str(crash), str(TEXT_EXPORT), str(REPLICA_PDF)]) == 1
    captured = capsys.readouterr()
    assert "crash.txt: expected a file read to its end, found that the process reading it died" in captured.err
    assert "2 loaded, 0 skipped, 1 failed" in captured.out
    with duckdb.connect(str(db), read_only=True) as con:
        names = con.execute("select file_name from raw.tilt100_files order by 1").fetchall()
    assert names == [("tilt100_2026-01.pdf",), ("tilt100_2026-01.txt",)]


# `tilt100 load` in a Python of its own, each reading process saying which modules it had once it read its file.
LOAD_SAYING_MODULES = """
import sys
from pathlib import Path
import extract.batch
from tilt100.cli import main
if sys.argv[1] == "pandas first":
    import pandas
original = extract.batch.read_records
def read_records(path, text_layer, digest=None):
    records = original(path, text_layer, digest)
    Path(sys.argv[2], path.name).write_text(" ".join(m for m in ("pyarrow", "pandas") if m in sys.modules))
    return records
read_records.__module__ = "extract.batch"  # the reading processes are forked: they find it under that name
extract.batch.read_records = read_records
sys.exit(main(["load", "--db", sys.argv[3], *sys.argv[4:]]))
"""


def test_a_reading_process_builds_its_arrow_tables_without_importing_pandas(tmp_path: Path) -> None:
    """pyarrow would import pandas (0.2 s of CPU) in each process that reads a file (`arrow_without_pandas`);
    what lands is the same as when pandas is imported."""
    landed = {}
    for how in ("as a load does", "pandas first"):
        said, db = tmp_path / how / "said", tmp_path / how / "w.duckdb"
        said.mkdir(parents=True)
        files = [str(TEXT_EXPORT), str(REPLICA_PDF), str(REPLICA_PDF.with_suffix(".xlsx"))]
        run = subprocess.run(
            [sys.executable, "-c", LOAD_SAYING_MODULES, how, str(said), str(db), "--jobs", "2", *files],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert run.returncode == 0, run.stderr
        modules = {path.name: path.read_text() for path in said.iterdir()}
        expected = "pyarrow pandas" if how == "pandas first" else "pyarrow"
        assert modules == {Path(name).name: expected for name in files}
        landed[how] = raw_state(db)
    assert landed["as a load does"] == landed["pandas first"] != {}


def test_the_sources_yaml_describes_the_raw_tables_as_the_ddl_makes_them() -> None:
    """extract/load.py's DDL is the one definition of raw; the sources YAML that dbt and its docs read
    names every table and column in the same order, with the same types, and nothing else."""
    with duckdb.connect() as con:
        con.execute(DDL)
        made = con.execute(
            "select table_name, column_name, lower(data_type) from duckdb_columns()"
            " where schema_name = 'raw' order by table_name, column_index"
        ).fetchall()
    document = yaml.safe_load((ROOT / "models" / "staging" / "tilt100" / "_tilt100__sources.yml").read_text("utf-8"))
    [raw] = document["sources"]
    described = [
        (table["name"], column["name"], column["data_type"])
        for table in sorted(raw["tables"], key=lambda t: t["name"])
        for column in table["columns"]
    ]
    assert described == made
