"""`tilt100 export`: every mart as CSV and in one workbook, a wide month table per dimension; types survive.

Read back three ways: pandas' read_csv (with the types columns.csv gives),
pandas' read_excel (openpyxl), and LibreOffice's own CSV of each sheet of
the workbook (headless), each against the mart, value for value.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.python.helpers import ROOT, Build

JANUARY = date(2026, 1, 1)
BY_STATUS = {"arbeidssokere": 11301, "nedsatt_arbeidsevne": 64651, "andre": 3744}
DIMENSIONS = ["alder", "arbeidsmarkedsstatus", "fodeland", "fylke", "innvandrerstatus", "kjonn", "kommune"]
DIMENSIONS += ["tiltaksgruppe", "utdanning"]
# DuckDB's type -> what pandas reads the CSV column as
PANDAS_TYPES = {"INTEGER": "Int64", "BIGINT": "Int64", "DOUBLE": "Float64", "VARCHAR": "string", "BOOLEAN": "boolean"}


def tilt100(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tilt100", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def exported(text_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The export of a copy of the built January 2026 warehouse, into its default folder."""
    db = tmp_path_factory.mktemp("export") / "warehouse.duckdb"
    shutil.copyfile(text_build.db, db)
    done = tilt100("export", "--db", str(db))
    assert done.returncode == 0, done.stdout + done.stderr
    out = db.parent / "warehouse_export"
    tables = text_build.query("select count(*) from duckdb_tables() where schema_name in ('marts', 'audit')")[0][0]
    assert done.stdout.splitlines()[-1] == f"export: {tables} tables (marts and audit), 9 wide tables -> {out}"
    assert f"wrote {out}/tilt100.xlsx ({tables + 9 + 2} sheets)" in done.stdout and done.stderr == ""
    return out


@pytest.fixture(scope="module")
def mart_db(exported: Path) -> Path:
    return exported.parent / "warehouse.duckdb"


def mart(db: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).df()


def columns(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "columns.csv", dtype="string", keep_default_na=False)


def read_mart_csv(out: Path, table: str) -> pd.DataFrame:
    """A table's CSV (`table`: schema.name) read with its types: dates as dates, figures as nullable integers."""
    described = columns(out)
    described = described[described["table"] == table]
    table = table.split(".")[1]
    types = dict(zip(described["column"], described["type"], strict=True))
    dates = [c for c, t in types.items() if t == "DATE"]
    dtype = {c: PANDAS_TYPES[t] for c, t in types.items() if t != "DATE"}
    return pd.read_csv(
        out / "csv" / f"{table}.csv", dtype=dtype, parse_dates=dates, keep_default_na=False, na_values=[""]
    )


def test_every_mart_csv_reads_back_in_pandas_with_its_types_and_equals_the_mart(exported: Path, mart_db: Path) -> None:
    tables = mart(
        mart_db,
        "select schema_name || '.' || table_name as qualified, table_name from duckdb_tables()"
        " where schema_name in ('marts', 'audit') order by table_name",
    )
    assert sorted(p.stem for p in (exported / "csv").glob("*.csv")) == list(tables["table_name"])
    for table in tables["qualified"]:
        read = read_mart_csv(exported, table)
        expected = mart(mart_db, f"from {table}")
        assert list(read.columns) == list(expected.columns), table
        assert len(read) == len(expected), table
        key = list(read.columns)
        left = read.sort_values(key, ignore_index=True)
        right = expected.astype({c: read[c].dtype for c in key}).sort_values(key, ignore_index=True)
        pd.testing.assert_frame_equal(left, right, check_dtype=True, obj=table)


def test_the_csv_types_are_what_a_reader_expects(exported: Path) -> None:
    read = read_mart_csv(exported, "marts.fct_participants_by_arbeidsmarkedsstatus")
    assert str(read["month"].dtype).startswith("datetime64") and str(read["participants"].dtype) == "Int64"
    january = read[read["month"] == pd.Timestamp(JANUARY)]
    assert dict(zip(january["status_code"], january["participants"], strict=True)) == BY_STATUS
    assert january["participants"].sum() == 79696
    suppressed = read_mart_csv(exported, "audit.fct_participants")
    suppressed = suppressed[suppressed["is_suppressed"]]
    assert len(suppressed) > 0 and suppressed["participants"].isna().all()
    assert set(suppressed["participants_min"]) == {1} and set(suppressed["participants_max"]) == {3}
    kommune = read_mart_csv(exported, "marts.fct_participants_by_kommune")
    assert kommune.loc[kommune["kommune_label_no"] == "Oslo", "kommune_nr"].tolist() == ["0301"]  # not 301
    with (exported / "csv" / "fct_participants_by_kommune.csv").open(encoding="utf-8") as handle:
        first = next(csv.reader(handle))
    assert first[:3] == ["month", "kommune_nr", "kommune_label_no"]


def test_a_wide_table_per_dimension_equals_its_mart(exported: Path, mart_db: Path) -> None:
    assert sorted(p.stem for p in (exported / "wide").glob("*.csv")) == DIMENSIONS
    for dimension in DIMENSIONS:
        wide = pd.read_csv(
            exported / "wide" / f"{dimension}.csv",
            dtype={"2026M01": "Int64"},
            keep_default_na=False,
            na_values={"2026M01": [""]},
        )
        keys = [c for c in wide.columns if c != "2026M01"]
        assert list(wide.columns)[-1] == "2026M01", dimension  # one month in this warehouse
        long = mart(mart_db, f"select {', '.join(keys)}, participants from marts.fct_participants_by_{dimension}")
        assert len(wide) == len(long), dimension
        merged = wide.astype({k: "string" for k in keys}).merge(long.astype({k: "string" for k in keys}), on=keys)
        assert len(merged) == len(long), dimension
        same = merged["2026M01"].astype("Int64").fillna(-1) == merged["participants"].astype("Int64").fillna(-1)
        assert same.all(), dimension
    status = pd.read_csv(exported / "wide" / "arbeidsmarkedsstatus.csv", dtype={"2026M01": "Int64"})
    assert dict(zip(status["status_code"], status["2026M01"], strict=True)) == BY_STATUS
    assert list(status["status_code"]) == list(BY_STATUS)  # the report's order


def suppressed_cell(db: Path) -> tuple[str, str, str]:
    """(dimension, its code column, the code) of a cell NAV suppressed in a by-dimension mart."""
    for dimension, code in (("fylke", "fylke_nr"), ("kommune", "kommune_nr"), ("utdanning", "utdanning_code")):
        found = mart(
            db, f"select {code} as code from marts.fct_participants_by_{dimension} where is_suppressed limit 1"
        )
        if len(found):
            return dimension, code, str(found["code"][0])
    raise AssertionError("no suppressed cell in any by-dimension mart")


def test_a_suppressed_cell_is_empty_in_the_wide_table_and_its_bounds_are_in_the_mart(
    exported: Path, mart_db: Path
) -> None:
    dimension, code, value = suppressed_cell(mart_db)
    with (exported / "wide" / f"{dimension}.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r[code] == value]
    assert rows and rows[0]["2026M01"] == ""
    bounds = read_mart_csv(exported, f"marts.fct_participants_by_{dimension}")
    hidden = bounds[(bounds[code] == value) & bounds["is_suppressed"]]
    assert hidden["participants"].isna().all() and set(hidden["participants_min"]) == {1}
    assert set(hidden["participants_max"]) == {3}


def test_the_workbook_reads_back_in_pandas_with_dates_as_dates(exported: Path, mart_db: Path) -> None:
    book = pd.read_excel(exported / "tilt100.xlsx", sheet_name=None, engine="openpyxl")
    about = book["about"]
    assert list(book) == ["about", *about["sheet"]]  # about, the marts, the wide tables, columns
    by_status = book["fct_by_arbeidsmarkedsstatus"]  # the name Excel allows (31 characters)
    assert about.loc[about["sheet"] == "fct_by_arbeidsmarkedsstatus", "table"].tolist() == [
        "marts.fct_participants_by_arbeidsmarkedsstatus"
    ]
    assert str(by_status["month"].dtype).startswith("datetime64")  # a date cell, not text
    assert by_status["month"].tolist() == [pd.Timestamp(JANUARY)] * 3
    assert str(by_status["participants"].dtype) == "int64"
    assert dict(zip(by_status["status_code"], by_status["participants"], strict=True)) == BY_STATUS
    described = mart(
        mart_db,
        "select schema_name || '.' || table_name as qualified, comment from duckdb_tables()"
        " where schema_name in ('marts', 'audit')",
    )
    comments = dict(zip(described["qualified"], described["comment"].str.strip(), strict=True))
    marts = about[about["file"].str.startswith("csv/")]
    assert dict(zip(marts["table"], marts["description"], strict=True)) == comments
    for table in comments:
        read = book[about.loc[about["table"] == table, "sheet"].iloc[0]]
        expected = mart(mart_db, f"from {table}")
        assert list(read.columns) == list(expected.columns) and len(read) == len(expected), table
    kommune = pd.read_excel(
        exported / "tilt100.xlsx",
        sheet_name="fct_participants_by_kommune",
        engine="openpyxl",
        dtype={"kommune_nr": "object"},
    )
    assert "0301" in set(kommune["kommune_nr"])  # text stays text
    people = book["fct_participants"]
    hidden = people[people["is_suppressed"]]
    assert len(hidden) > 0 and hidden["participants"].isna().all()
    assert set(hidden["participants_min"]) == {1} and set(hidden["participants_max"]) == {3}
    cols = book["columns"]
    assert len(cols) == len(columns(exported)) and set(cols["type"]) >= {"DATE", "INTEGER", "VARCHAR", "BOOLEAN"}


def libreoffice_csvs(workbook: Path, out: Path) -> dict[str, Path]:
    """Each sheet of `workbook` as LibreOffice writes it: text cells quoted, numbers and dates as shown, not."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed: make setup installs it")
    profile = Path(tempfile.mkdtemp(prefix="export-soffice-"))
    try:
        options = "44,34,76,1,,0,true,true,true,false,false,-1"  # UTF-8, quote all text cells, every sheet
        done = subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={(profile / 'profile').as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                f"csv:Text - txt - csv (StarCalc):{options}",
                "--outdir",
                str(out),
                str(workbook),
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    files = {p.stem.removeprefix(f"{workbook.stem}-"): p for p in out.glob(f"{workbook.stem}-*.csv")}
    assert done.returncode == 0 and files, done.stdout + done.stderr
    return files


def test_libreoffice_reads_the_workbook_with_dates_numbers_and_text_as_such(
    exported: Path, mart_db: Path, tmp_path: Path
) -> None:
    sheets = libreoffice_csvs(exported / "tilt100.xlsx", tmp_path)
    about = pd.read_csv(exported / "about.csv", dtype="string", keep_default_na=False)
    assert set(sheets) == {*about["sheet"], "about"}
    lines = sheets["fct_by_arbeidsmarkedsstatus"].read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith('"month","status_code","status_label_no"')
    # a date cell unquoted and shown as a date, a figure unquoted, a code quoted as text, NULL empty
    assert lines[1].startswith('2026-01-01,"arbeidssokere","Arbeidssøkere på tiltak",'), lines[1]
    read = pd.read_csv(sheets["fct_by_arbeidsmarkedsstatus"], parse_dates=["month"], dtype={"participants": "Int64"})
    assert dict(zip(read["status_code"], read["participants"], strict=True)) == BY_STATUS
    assert read["participants"].sum() == 79696 and read["month"].tolist() == [pd.Timestamp(JANUARY)] * 3
    oslo = [
        r for r in sheets["fct_participants_by_kommune"].read_text(encoding="utf-8").splitlines() if ',"0301",' in r
    ]
    assert len(oslo) == 1 and oslo[0].startswith("2026-01-01,")
    for table in ("audit.fct_participants", "marts.fct_participants_by_fylke", "audit.fct_year_to_date_averages"):
        sheet = about.loc[about["table"] == table, "sheet"].iloc[0]
        office = pd.read_csv(sheets[sheet], dtype="string", keep_default_na=False)
        ours = pd.read_csv(exported / "csv" / f"{table.split('.')[1]}.csv", dtype="string", keep_default_na=False)
        booleans = [c for c in ours.columns if set(ours[c]) <= {"true", "false"}]
        office[booleans] = office[booleans].apply(lambda c: c.str.lower())
        pd.testing.assert_frame_equal(office, ours, obj=table)  # every cell as the CSV export has it
    wide = pd.read_csv(sheets["wide_arbeidsmarkedsstatus"], dtype={"2026M01": "Int64"})
    assert dict(zip(wide["status_code"], wide["2026M01"], strict=True)) == BY_STATUS


def test_export_json_names_what_was_written_and_a_second_export_replaces_the_first(
    exported: Path, mart_db: Path, tmp_path: Path
) -> None:
    marker = json.loads((exported / "export.json").read_text(encoding="utf-8"))
    assert marker["warehouse"] == str(mart_db.resolve()) and marker["tables"]["audit.fct_participants"] == 498
    assert sorted(marker["files"]) == sorted(
        str(p.relative_to(exported)) for p in exported.rglob("*") if p.is_file() and p.name != "export.json"
    )
    out = tmp_path / "again"
    for _ in range(2):
        done = tilt100("export", "--db", str(mart_db), "--out", str(out))
        assert done.returncode == 0, done.stderr
    assert (out / "export.json").is_file() and not list(tmp_path.glob(".again.*"))


def test_export_refuses_what_it_cannot_do_in_one_line(exported: Path, mart_db: Path, tmp_path: Path) -> None:
    missing = tilt100("export", "--db", str(tmp_path / "none.duckdb"))
    assert (
        missing.returncode == 2 and missing.stderr.count("\n") == 1 and "found nothing at that path" in missing.stderr
    )
    assert not (tmp_path / "none_export").exists()
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    other = tilt100("export", "--db", str(mart_db), "--out", str(tmp_path / "mine"))
    assert other.returncode == 2 and other.stderr.count("\n") == 1
    assert "expected an export folder" in other.stderr and (tmp_path / "mine" / "notes.txt").read_text() == "keep me"
    assert "Traceback" not in missing.stderr + other.stderr
    help_text = tilt100("export", "--help").stdout
    assert "wide/<dimension>.csv" in help_text and "tilt100.xlsx" in help_text
