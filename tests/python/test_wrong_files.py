"""Files that look right but are not: each is refused at the door, naming the place, and caught in dbt too.

The plausible wrong files of issue 19: month headers shifted by one, a period
line naming another year, a report date in the future, a row printed twice;
and around them a date that is no date, a report dated inside its own period,
a period across a new year, a block opened twice. Each is made from NAV's
January 2026 text export or from the republished March 2026 workbook; the four
of issue 19 are printed as PDFs of that report too, by four producers, and
refused alike through either text layer.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import openpyxl
import pytest

from extract import TEXT_LAYERS, ExtractError, Report, TextLayer, read_report
from extract.checks import check_dates
from tests.python import dbt_fork
from tests.python.helpers import BIN, TEXT_EXPORT, Build, raw_state, run_dbt, string_constants
from tilt100.settings import ROOT
from tooling.corpus.build import render
from tooling.corpus.variant import Producer, Variant
from tooling.replica import ReportSpec, RowSpec, write_xlsx
from tooling.replica.republished import february_and_march_2026
from tooling.replica.xlsx import whole_label

JANUARY = TEXT_EXPORT.read_text(encoding="utf-8")
PERIOD = "Januar 2026 - Januar 2026"


def _replace(old: str, new: str) -> Callable[[str], str]:
    def change(text: str) -> str:
        assert old in text
        return text.replace(old, new)

    return change


def _shift_headers(text: str) -> str:
    """Every column header "Januar" printed as "Februar": January's figures under February."""
    lines = text.split("\n")
    shifted = [line[: -len("Januar")] + "Februar" if line.endswith("i år Januar") else line for line in lines]
    assert shifted != lines
    return "\n".join(shifted)


def _twice(line: str, again: str) -> Callable[[str], str]:
    """`line` printed again right below itself as `again` (a kommune listed twice, 40 then 31)."""
    return _replace(f"\n{line}\n", f"\n{line}\n{again}\n")


def _line_of(text: str, line: str) -> int:
    return text.split("\n").index(line) + 1


HOL = _line_of(JANUARY, "3330 Hol 40 40")
SEEKERS = "på tiltak 11\u00a0301 11\u00a0301"  # NAV's separator: a no-break space
SEEKERS_AT = _line_of(JANUARY, SEEKERS)  # "I alt" / "Arbeidssøkere" / "på tiltak 11 301 11 301"

TEXT_CASES = {
    "period of another year": (
        _replace(PERIOD, "Januar 2025 - Januar 2025"),
        "page 1: expected a report date within 3 months after the period 'Januar 2025 - Januar 2025'"
        " (01.02.2025 to 30.04.2025; is the period from another year?), found 'Rapport oppdatert: 02.02.2026'",
    ),
    "report date in the future": (
        _replace("02.02.2026", "02.02.2062"),
        f"page 1: expected a report date no later than today ({date.today():%d.%m.%Y}),"
        " found 'Rapport oppdatert: 02.02.2062', in the future",
    ),
    "report date that is no date": (
        _replace("02.02.2026", "31.02.2026"),
        "page 1: expected a report date 'Rapport oppdatert: DD.MM.YYYY', found '31.02.2026'",
    ),
    "report dated inside its period": (
        _replace("02.02.2026", "15.01.2026"),
        "page 1: expected a report date after the period 'Januar 2026 - Januar 2026' ends (31.01.2026),"
        " found 'Rapport oppdatert: 15.01.2026'",
    ),
    "period across a new year": (
        _replace(PERIOD, "Desember 2025 - Januar 2026"),
        "page 2: expected a period 'Month YYYY - Month YYYY' within one calendar year, its first month no later"
        " than its last, found 'Desember 2025 - Januar 2026'",
    ),
    "month headers shifted by one": (
        _shift_headers,
        "page 2, line 22: expected the month columns of the period 'Januar 2026 - Januar 2026' (Januar),"
        " found the columns Februar (row 'I alt')",
    ),
    "a kommune printed twice": (
        _twice("3330 Hol 40 40", "3330 Hol 31 31"),
        "page 36: expected one row per label in a block of the table 'Tiltaksdeltakere og kommune',"
        f" found '3330 Hol' twice: at page 36, line {HOL} and at page 36, line {HOL + 1}",
    ),
    "a block opened twice": (
        _twice(SEEKERS, "I alt Arbeidssøkere " + SEEKERS),
        "page 3: expected one block opened by 'I alt Arbeidssøkere på tiltak' of the table"
        " 'Arbeidsmarkedsstatus og tiltaksgruppe', found 'I alt Arbeidssøkere på tiltak' twice:"
        f" at page 3, line {SEEKERS_AT} and at page 3, line {SEEKERS_AT + 1}",
    ),
}


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("case", TEXT_CASES)
def test_a_wrong_text_export_is_refused_naming_the_place(case: str, tmp_path: Path) -> None:
    change, message = TEXT_CASES[case]
    path = _write(tmp_path, "tilt100_2026-01.txt", change(JANUARY))
    with pytest.raises(ExtractError) as refused:
        read_report(path)
    assert str(refused.value) == f"tilt100_2026-01.txt, {message}"


def test_the_real_report_passes_every_rule() -> None:
    report = read_report(TEXT_EXPORT)
    assert (report.updated, report.period, len(report.rows)) == ("02.02.2026", PERIOD, 557)


def _bare(updated: str, period: str) -> Report:
    return Report("r.txt", "0" * 64, "txt", 1, "TILT100", updated, period, ())


@pytest.mark.parametrize(
    ("updated", "accepted"),
    [
        ("31.03.2026", False),  # the period's last day: the month is not over
        ("01.04.2026", True),  # the day after
        ("30.06.2026", True),  # the last day of the third month after (April, May, June)
        ("01.07.2026", False),  # a day later
    ],
)
def test_a_report_date_falls_in_the_months_after_its_period(updated: str, accepted: bool) -> None:
    report = _bare(updated, "Januar 2026 - Mars 2026")
    if accepted:
        assert check_dates(report, today=date(2026, 12, 4)).month_names == ("Januar", "Februar", "Mars")
    else:
        with pytest.raises(ExtractError):
            check_dates(report, today=date(2026, 12, 4))


@pytest.mark.parametrize(("today", "accepted"), [(date(2026, 4, 1), True), (date(2026, 3, 31), False)])
def test_a_report_date_one_day_ahead_of_the_clock_is_time_zones_not_the_future(today: date, accepted: bool) -> None:
    report = _bare("02.04.2026", "Januar 2026 - Mars 2026")
    if accepted:
        check_dates(report, today=today)
    else:
        with pytest.raises(ExtractError, match="in the future"):
            check_dates(report, today=today)


def test_the_month_names_are_written_once_in_dbts_vars() -> None:
    """The extractor (its month headers), staging (periods, headers) and dim_month read dbt's var
    norwegian_months; no module, macro or model writes a month name itself."""
    code = [*(ROOT / "extract").rglob("*.py"), *(ROOT / "tilt100").rglob("*.py"), *(ROOT / "macros").glob("*.sql")]
    code += [*(ROOT / "models").rglob("*.sql")]
    for path in code:
        text = path.read_text(encoding="utf-8").lower()
        # The Norwegian names that are not English ones too (the charts label months in English).
        norwegian = re.search(r"['\"](januar|februar|mars|mai|juni|juli|oktober|desember)['\"]", text)
        assert not norwegian, f"{path.relative_to(ROOT)} names a month"


def test_the_words_every_report_prints_are_written_once_in_extract_reports() -> None:
    """The source line, the report date, the average header, the total row and the page footer: the reader
    (extract/) and the printers of test reports (tooling/) take them from extract/reports.py alone; the reports'
    titles ("Tiltaksdeltakere. ...") from seeds/reports.csv, which no module repeats."""
    words = ("Kilde: NAV", "Rapport oppdatert", "Gjennomsnitt hittil i år", "I alt", "Side ", "Tiltaksdeltakere.")
    code = [*(ROOT / "extract").rglob("*.py"), *(ROOT / "tooling").rglob("*.py")]
    written: dict[str, set[str]] = {word: set() for word in words}
    for path in code:
        for text in string_constants(path):
            for word in words:
                if word in text:
                    written[word].add(path.relative_to(ROOT).as_posix())
    assert written == {word: {"extract/reports.py"} for word in words[:-1]} | {"Tiltaksdeltakere.": set()}
    titles = (ROOT / "seeds" / "reports.csv").read_text(encoding="utf-8")
    assert "TILT100,Tiltaksdeltakere. Hovedgruppe og demografi. Tidsserie måned," in titles


def test_a_measure_type_that_ends_before_it_begins_fails_the_seeds_test(tmp_path: Path) -> None:
    """The types' validity (seeds/tiltakstyper.csv, from the first to the last month NAV prints each): a row
    whose months are swapped fails `dbt build` of the seed, naming its test; as published, it passes."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("dbt_project.yml", "profiles.yml", "models", "seeds", "tests", "macros", "analyses"):
        source = ROOT / name
        copy = shutil.copytree if source.is_dir() else shutil.copy2
        copy(source, project / name)
    seed = project / "seeds" / "tiltakstyper.csv"
    text = seed.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("amo_kurs_forsok,"))
    assert ",2024-01-01,2025-12-01," in row

    def build(folder: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "WAREHOUSE_DB": str(tmp_path / f"{folder}.duckdb"), "DBT_PROFILES_DIR": str(project)}
        command = [
            "build",
            "--select",
            "tiltakstyper",
            "tiltaksgrupper",
            "--indirect-selection",  # the seeds' own tests, not those that read the warehouse's tables too
            "cautious",
            "--project-dir",
            str(project),
        ]
        command += ["--target-path", str(tmp_path / folder / "target"), "--log-path", str(tmp_path / folder / "logs")]
        return dbt_fork.run_plain(command, env, project)  # `dbt build ...`

    published = build("published")
    assert published.returncode == 0, published.stdout[-2000:]
    seed.write_text(text.replace(row, row.replace("2024-01-01,2025-12-01", "2025-12-01,2024-01-01")), encoding="utf-8")
    swapped = build("swapped")
    assert swapped.returncode == 1
    failed = re.findall(r"FAIL (\d+) (expression_is_true_tiltakstyper_\w+)", swapped.stdout)
    assert [count for count, _ in failed] == ["1"], swapped.stdout[-2000:]


# ---- workbooks: the republished March 2026 report ----------------------------------------


@pytest.fixture(scope="module")
def march() -> ReportSpec:
    spec = february_and_march_2026()[1].spec
    assert (spec.period, spec.updated, spec.columns[1:]) == (
        "Januar 2026 - Mars 2026",
        "02.04.2026",
        ("Januar", "Februar", "Mars"),
    )
    return spec


def months_shifted(spec: ReportSpec) -> ReportSpec:
    """Headers Februar-April under the period "Januar 2026 - Mars 2026", dated 02.04.2026 (issue 19's file)."""
    return dataclasses.replace(spec, columns=(spec.columns[0], "Februar", "Mars", "April"))


def hol_twice(spec: ReportSpec) -> tuple[ReportSpec, int]:
    """The kommune table with "3330 Hol" printed again right below itself (31 in every month); its index in the
    block."""
    tables = list(spec.tables)
    index, kommuner = next((i, t) for i, t in enumerate(tables) if t.title == "Tiltaksdeltakere og kommune")
    block = kommuner.blocks[0]
    hol = next(i for i, row in enumerate(block.rows) if whole_label(row.label) == "3330 Hol")
    again = RowSpec(block.rows[hol].label, tuple(31 for _ in block.rows[hol].values))
    rows = (*block.rows[: hol + 1], again, *block.rows[hol + 1 :])
    tables[index] = dataclasses.replace(kommuner, blocks=(dataclasses.replace(block, rows=rows), *kommuner.blocks[1:]))
    return dataclasses.replace(spec, tables=tuple(tables)), hol


def test_a_workbook_with_its_month_headers_shifted_is_refused(march: ReportSpec, tmp_path: Path) -> None:
    write_xlsx(months_shifted(march), tmp_path / "shifted.xlsx")
    with pytest.raises(ExtractError) as refused:
        read_report(tmp_path / "shifted.xlsx")
    assert str(refused.value) == (
        "shifted.xlsx, sheet 'Arbeidsmarkedsstatus', row 6: expected the month columns of the period"
        " 'Januar 2026 - Mars 2026' (Januar, Februar, Mars), found the columns Februar, Mars, April (row 'I alt')"
    )


def test_a_workbook_row_printed_twice_is_refused_naming_both_rows(march: ReportSpec, tmp_path: Path) -> None:
    twice, hol = hol_twice(march)
    write_xlsx(twice, tmp_path / "twice.xlsx")
    with pytest.raises(ExtractError) as refused:
        read_report(tmp_path / "twice.xlsx")
    first = 6 + hol  # the sheet's rows: furniture, header, then the block from its "I alt" row
    assert str(refused.value) == (
        "twice.xlsx, sheet 'Tiltaksdeltakere og kommune': expected one row per label in a block of the table"
        f" 'Tiltaksdeltakere og kommune', found '3330 Hol' twice: at sheet 'Tiltaksdeltakere og kommune', row"
        f" {first} and at sheet 'Tiltaksdeltakere og kommune', row {first + 1}"
    )


# ---- PDFs: the same wrong files printed by four producers, read through either text layer -----------

MARCH_PERIOD = "Januar 2026 - Mars 2026"
# What prints each PDF (tooling.corpus): our replica (reportlab, NAV's layout), fpdf2, Chromium and LibreOffice
# (the corpus's default layout); and where each prints the kommune "3330 Hol": its page, and which of the page's
# table rows.
PRODUCERS: dict[Producer, tuple[int, int]] = {
    "reportlab": (38, 9),
    "fpdf2": (24, 14),
    "chromium": (24, 14),
    "libreoffice": (24, 14),
}
PDF_CASES: dict[str, tuple[Callable[[ReportSpec], ReportSpec], str]] = {
    "month headers shifted by one": (
        months_shifted,
        f"page 2: expected the month columns of the period '{MARCH_PERIOD}' (Januar, Februar, Mars), found the"
        " columns Februar, Mars, April (row 'I alt')",
    ),
    "period of another year": (
        lambda spec: dataclasses.replace(spec, period="Januar 2025 - Mars 2025"),
        "page 1: expected a report date within 3 months after the period 'Januar 2025 - Mars 2025' (01.04.2025 to"
        " 30.06.2025; is the period from another year?), found 'Rapport oppdatert: 02.04.2026'",
    ),
    "report date in the future": (
        lambda spec: dataclasses.replace(spec, updated="02.04.2062"),
        f"page 1: expected a report date no later than today ({date.today():%d.%m.%Y}), found"
        " 'Rapport oppdatert: 02.04.2062', in the future",
    ),
    "a kommune printed twice": (
        lambda spec: hol_twice(spec)[0],
        "page {page}: expected one row per label in a block of the table 'Tiltaksdeltakere og kommune', found"
        " '3330 Hol' twice: at page {page}, row {row} and at page {page}, row {next_row}",  # row 1: the page's I alt
    ),
}


@pytest.fixture(scope="module")
def wrong_pdf(march: ReportSpec) -> Callable[[Producer, str], Path]:
    """The wrong file of a case as `producer` prints it: rendered once, into the corpus's cache (by content)."""

    return lambda producer, case: render(Variant(case, producer, "pdf", PDF_CASES[case][0](march), "march"))


@pytest.mark.parametrize("layer", TEXT_LAYERS)
@pytest.mark.parametrize("producer", PRODUCERS)
@pytest.mark.parametrize("case", PDF_CASES)
def test_a_wrong_pdf_is_refused_naming_the_page(
    case: str, producer: Producer, layer: TextLayer, wrong_pdf: Callable[[Producer, str], Path]
) -> None:
    """Issue 19's four wrong files as PDFs: each text layer reads what is printed, and the same checks refuse it."""
    path = wrong_pdf(producer, case)
    page, row = PRODUCERS[producer]
    with pytest.raises(ExtractError) as refused:
        read_report(path, None, layer)
    assert str(refused.value) == f"{path.name}, " + PDF_CASES[case][1].format(page=page, row=row, next_row=row + 1)


# ---- the refresh: the four wrong files land nothing ---------------------------------------


def test_a_refresh_of_the_four_wrong_files_exits_1_and_changes_nothing(
    text_build: Build, march: ReportSpec, tmp_path: Path
) -> None:
    served = tmp_path / "served" / "warehouse.duckdb"
    served.parent.mkdir()
    served.write_bytes(text_build.db.read_bytes())
    reports = tmp_path / "reports"
    reports.mkdir()
    write_xlsx(months_shifted(march), reports / "a.xlsx")
    for name, case in (("b.txt", "period of another year"), ("c.txt", "report date in the future")):
        _write(reports, name, TEXT_CASES[case][0](JANUARY))
    _write(reports, "d.txt", TEXT_CASES["a kommune printed twice"][0](JANUARY))
    before = raw_state(served)
    with duckdb.connect(str(served), read_only=True) as con:
        marts_before = con.execute("select * from audit.fct_participants order by all").fetchall()
    run = subprocess.run(
        [str(BIN / "tilt100"), "refresh", "--db", str(served), str(reports)],
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    output = run.stdout + run.stderr
    refused = sorted(line.split("error: ", 1)[1] for line in output.splitlines() if "error: " in line)
    assert [line.split(":")[0] for line in refused] == ["a.xlsx, sheet 'Arbeidsmarkedsstatus', row 6"] + [
        f"{name}, page {page}" for name, page in (("b.txt", 1), ("c.txt", 1), ("d.txt", 36))
    ]
    assert "Traceback" not in output
    assert "files: 0 loaded, 0 skipped (already loaded), 4 failed" in run.stdout
    assert raw_state(served) == before
    with duckdb.connect(str(served), read_only=True) as con:
        assert con.execute("select * from audit.fct_participants order by all").fetchall() == marts_before


# ---- dbt: files landed before these rules are checked again -------------------------------


def _landed(db: Path) -> None:
    env = {**os.environ, "WAREHOUSE_DB": str(db)}
    run = subprocess.run([sys.executable, "-m", "extract", str(TEXT_EXPORT)], cwd=ROOT, env=env, capture_output=True)
    assert run.returncode == 0, run.stderr


def _build(db: Path) -> subprocess.CompletedProcess[str]:
    return run_dbt(db, db.parent, "build")


def _failures(db: Path, test: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(f"select * from test_failures.{test}").fetchall()


def test_dbt_fails_a_landed_file_whose_dates_or_month_headers_are_wrong(tmp_path: Path) -> None:
    """As landed by an extractor before the rules: a report date in the future, "Februar" over January's figures."""
    db = tmp_path / "warehouse.duckdb"
    _landed(db)
    with duckdb.connect(str(db)) as con:
        con.execute("update raw.tilt100_files set report_updated = '02.02.2062'")
        con.execute(
            "update raw.tilt100_cells set column_header = 'Februar' where column_header = 'Januar' and row_order in"
            " (select row_order from raw.tilt100_rows where table_title = 'Arbeidsmarkedsstatus og kjønn')"
        )
    build = _build(db)
    assert build.returncode == 1
    assert "FAIL 1 assert_report_dates_fit_their_period" in build.stdout
    assert "FAIL 9 assert_month_columns_match_the_period" in build.stdout
    assert [row[0] for row in _failures(db, "assert_report_dates_fit_their_period")] == ["tilt100_2026-01.txt"]
    shifted = _failures(db, "assert_month_columns_match_the_period")
    assert {(row[0], row[2], row[5]) for row in shifted} == {
        ("tilt100_2026-01.txt", page, "Gjennom snitt hittil i år, Februar") for page in (11, 12)
    }


def test_dbt_fails_a_landed_file_that_prints_a_row_twice(tmp_path: Path) -> None:
    """As landed before the rule: "3330 Hol" twice in the kommune table, 40 then 31; neither copy may win."""
    db = tmp_path / "warehouse.duckdb"
    _landed(db)
    with duckdb.connect(str(db)) as con:
        (order,) = con.execute("select row_order from raw.tilt100_rows where label_lines = ['3330 Hol']").fetchone()
        (last,) = con.execute("select max(row_order) from raw.tilt100_rows").fetchone()
        con.execute(
            "insert into raw.tilt100_rows select file_sha256, ?, page_number, table_title, label_lines,"
            " source_line + 1, sheet_name, block_heading from raw.tilt100_rows where row_order = ?",
            [last + 1, order],
        )
        con.execute(
            "insert into raw.tilt100_cells select file_sha256, ?, column_order, column_header, '31', x0, x1, top,"
            " cell_ref from raw.tilt100_cells where row_order = ?",
            [last + 1, order],
        )
    build = _build(db)
    assert build.returncode == 1
    assert "FAIL 2 assert_one_figure_per_cell_in_a_file" in build.stdout
    assert (
        sorted(row[-1] for row in _failures(db, "assert_one_figure_per_cell_in_a_file"))
        == [f"3330 Hol 40 (page 36, line {HOL}); 3330 Hol 31 (page 36, line {HOL + 1})"] * 2
    )


@pytest.mark.filterwarnings("ignore:Title is more than 31 characters")  # the copy's name before it is renamed
def test_a_workbook_with_a_table_twice_is_refused(march: ReportSpec, tmp_path: Path) -> None:
    """The kommune sheet copied beside itself: the same table twice, whatever the second sheet is called."""
    write_xlsx(march, tmp_path / "march.xlsx")
    workbook = openpyxl.load_workbook(tmp_path / "march.xlsx")
    workbook.copy_worksheet(workbook["Tiltaksdeltakere og kommune"]).title = "Kopi"
    workbook.save(tmp_path / "copied.xlsx")
    with pytest.raises(ExtractError) as refused:
        read_report(tmp_path / "copied.xlsx")
    assert str(refused.value) == (
        "copied.xlsx, sheet 'Kopi': expected one block opened by 'I alt' of the table 'Tiltaksdeltakere og kommune',"
        " found 'I alt' twice: at sheet 'Tiltaksdeltakere og kommune', row 6 and at sheet 'Kopi', row 6"
    )


def test_a_workbooks_notes_sheet_is_said_to_be_skipped_and_lands_nothing(march: ReportSpec, tmp_path: Path) -> None:
    """A sheet of notes beside the tables (no source line, no column headers) is passed over, and the load
    says so by its name; the report lands as it would without it."""
    plain, noted = tmp_path / "plain" / "tilt100_2026-03.xlsx", tmp_path / "noted" / "tilt100_2026-03.xlsx"
    for path in (plain, noted):
        path.parent.mkdir()
        write_xlsx(march, path)
    book = openpyxl.load_workbook(noted)
    notes = book.create_sheet("Forklaringer")
    notes["A1"] = "Tallene gjelder personer på tiltak ved utgangen av måneden."
    book.save(noted)

    def load(path: Path) -> tuple[str, dict[str, list[tuple]]]:
        db = path.parent / "w.duckdb"
        run = subprocess.run(
            [str(BIN / "tilt100"), "load", "--db", str(db), str(path)], cwd=ROOT, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stdout + run.stderr
        state = raw_state(db)
        return run.stdout, {t: [r[1:] for r in rows] for t, rows in state.items() if t != "tilt100_files"}

    said, landed = load(noted)
    plain_said, plain_landed = load(plain)
    what = plain_said.splitlines()[0].split(f"{plain}: ")[1]  # "10 pages, 521 rows, ... figures"
    assert what.endswith(" figures")
    assert f"{noted}: {what}; skipped sheet 'Forklaringer' (no report table: notes)\n" in said
    assert landed == plain_landed and landed["tilt100_rows"]
