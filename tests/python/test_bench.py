"""The decade benchmark's harness works on one report (no timing is asserted)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tooling.bench import decade


def test_the_decade_is_120_reports_with_republications_for_years_the_seeds_cannot_print():
    plan, missing = decade.decade_plan(printable=lambda year: year >= 2020)
    assert missing == [2016, 2017, 2018, 2019]
    assert len(plan) == 120
    assert len({p.file_name for p in plan}) == 120
    assert plan[0].file_name == "tilt100_2020-01.pdf"
    assert sum(p.edition == 1 for p in plan) == 72
    assert plan[-1].file_name == "tilt100_2023-12_r2.pdf"


def test_the_seeds_print_2020_but_not_2019():
    assert decade.year_is_printable(2020)
    assert not decade.year_is_printable(2019)


def test_a_republication_has_the_same_figures_two_weeks_later():
    first = decade.synthetic(decade.Planned("tilt100_2020-03.pdf", 2020, 3, 1))
    again = decade.synthetic(decade.Planned("tilt100_2020-03_r2.pdf", 2020, 3, 2))
    assert (first.spec.updated, again.spec.updated) == ("02.04.2020", "16.04.2020")
    assert again.spec.tables == first.spec.tables
    assert again.file_name == "tilt100_2020-03_r2.pdf"


def test_one_report_renders_once_and_is_read_by_a_worker(tmp_path: Path):
    plan = decade.decade_plan(printable=lambda year: year >= 2020)[0][:1]
    said: list[str] = []
    (path,) = decade.render_decade(tmp_path / "decade", plan, said.append)
    rendered = path.stat().st_mtime_ns
    assert decade.render_decade(tmp_path / "decade", plan, said.append) == [path]
    assert path.stat().st_mtime_ns == rendered
    assert "1 reports cached" in said[-1]

    result = decade.run(decade.worker(Path(sys.executable), "chars", path), tmp_path / "a.log")
    assert result.ok, decade.tail(result.log)
    assert result.worker["files"] == 1
    assert result.worker["pages"] > 50
    assert result.peak_mb > 0


def test_the_table_gives_ratios_to_the_baseline_and_the_targets(tmp_path: Path):
    figures = [
        decade.Figure("a", "decade", "(a) pdfplumber page.chars", 10.0, 50.0),
        decade.Figure("b", "decade", "(b) python -m extract", 12.0, 150.0),
        decade.Figure("c", "decade", "(c) potential", 6.0, 50.0),
        decade.Figure("g", "decade", "(g) camelot stream", 20.0, 150.0),
        decade.Figure("e", "decade", "(e) incremental", None, None, "FAILED (exit 1)"),
    ]
    table = "\n".join(decade.table(figures))
    assert "| (b) python -m extract | decade | 12.0 | 1.20 | 150 |  |" in table
    assert "| (e) incremental | decade | – |  |  | FAILED (exit 1) |" in table
    targets = "\n".join(decade.targets(figures, full_decade=True))
    assert "| (c) / (g) < 1.0, decade | 0.30 | yes |" in targets
    assert "| (b) / (a) ≤ 1.10, decade | 1.20 | **no** |" in targets
    assert "| incremental (a new month) < 8 s | n/a | n/a |" in targets

    out = tmp_path / "BENCHMARKS.md"
    decade.append_benchmarks(["## run 1", "", table], out)
    decade.append_benchmarks(["## run 2"], out)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks")
    assert text.index("## run 1") < text.index("## run 2")


PREVIOUS = """# Benchmarks

## 2026-11-24 09:00 UTC · commit aaaaaaa · 2 cores · 120 reports

| measure | files | wall s | × (a) | peak MB | note |
| --- | --- | ---: | ---: | ---: | --- |
| (a) pdfplumber page.chars | decade | 100.0 | 1.00 | 38 | 7104 pages |

## 2026-11-25 08:20 UTC · commit 8df5c80 · 2 cores · 120 reports

| measure | files | wall s | × (a) | peak MB | note |
| --- | --- | ---: | ---: | ---: | --- |
| (a) pdfplumber page.chars | one report | 1.6 | 1.00 | 36 | 60 pages |
| (a) pdfplumber page.chars | decade | 247.1 | 1.00 | 38 | 7104 pages |
| (d) refresh end to end | decade | 48.9 | 0.20 | 447 |  |
| (e) incremental, + 1 report | decade | 14.9 | 0.06 | 435 | tilt100_2026-01.pdf |

Since the last run (2026-11-24 09:00 UTC, commit aaaaaaa); a move counts beyond ±10% (the noise):

| measure | files | then s | now s | change | verdict |
| --- | --- | ---: | ---: | ---: | --- |
| (a) pdfplumber page.chars | decade | 100.0 | 247.1 | +147% | **slower** |
"""


def test_each_figure_is_compared_with_the_last_run_beyond_its_noise():
    previous = decade.previous_run(PREVIOUS)
    assert previous is not None and previous.heading == "2026-11-25 08:20 UTC, commit 8df5c80"
    assert previous.seconds[("(a) pdfplumber page.chars", "decade")] == 247.1  # the last run's, not the first's
    figures = [
        decade.Figure("a", "one report", "(a) pdfplumber page.chars", 1.7, 36.0, spread=0.08),
        decade.Figure("b", "one report", "(b) python -m extract", 0.6, 138.0, spread=0.30),  # one noisy figure
        decade.Figure("c", "one report", "(c) python -m extract --jobs 2", 0.6, 138.0, spread=0.05),
        decade.Figure("a", "decade", "(a) pdfplumber page.chars", 250.0, 38.0),
        decade.Figure("d-refresh", "decade", "(d) refresh end to end", 60.0, 447.0),
        decade.Figure("e", "decade", "(e) incremental, + 1 report", 7.5, 435.0),
        decade.Figure("g", "decade", "(g) camelot stream", 360.0, 161.0),  # not in the last run: not compared
    ]
    # Its own runs' spread, twice; a figure run once: twice the median spread (8 %), not the widest (30 %).
    assert [decade.noise(f, figures) for f in figures] == [0.16, 0.60, 0.10, 0.16, 0.16, 0.16, 0.16]
    lines = decade.moves(figures, previous)
    assert lines[0] == (
        "Since the last run (2026-11-25 08:20 UTC, commit 8df5c80); a figure moved when it changed by more than its"
        " noise: twice the spread of its repeated runs (a figure run once: twice the median spread of those),"
        " at least 10%:"
    )
    assert lines[4:] == [
        "| (d) refresh end to end | decade | 48.9 | 60.0 | +23% | ±16% | **slower** |",
        "| (a) pdfplumber page.chars | one report | 1.6 | 1.7 | +6% | ±16% | within noise |",
        "| (a) pdfplumber page.chars | decade | 247.1 | 250.0 | +1% | ±16% | within noise |",
        "| (e) incremental, + 1 report | decade | 14.9 | 7.5 | -50% | ±16% | faster |",
    ]
    assert decade.moves(figures, decade.previous_run("# Benchmarks\n")) == [
        "No earlier run in BENCHMARKS.md to compare with."
    ]
    assert "| (a) pdfplumber page.chars | one report | 1.7 | 1.00 | 36 | runs spread 8% |" in decade.table(figures)


def test_the_decade_extractor_on_one_and_two_cores_takes_turns_and_the_best_of_each_counts(tmp_path, monkeypatch):
    """(b) and (c) alternate, so the hour moves both alike; each figure is its best run, with the spread of its
    runs (the noise); a failed run is the figure, never hidden behind a faster one."""
    from tooling.bench.decade import measure

    seconds = {("1", 1): 30.0, ("2", 1): 17.0, ("1", 2): 28.0, ("2", 2): 16.0}
    ran: list[str] = []

    def fake_run(command, log, env=None):
        jobs = command[command.index("--jobs") + 1] if "--jobs" in command else None
        turn = int(log.stem[2:]) if re.fullmatch(r"[bc]-\d+", log.stem) else None
        ran.append(f"--jobs {jobs}, turn {turn}" if turn else log.stem)
        return decade.Run(seconds.get((jobs, turn), 1.0), 100.0, 0, log, {"seconds": 1.0, "pages": 1})

    monkeypatch.setattr(measure, "run", fake_run)
    figures = measure.measure_decade([tmp_path / "x.pdf"], [tmp_path], tmp_path / "new.pdf", tmp_path, None, print)
    assert ran[1:5] == ["--jobs 1, turn 1", "--jobs 2, turn 1", "--jobs 1, turn 2", "--jobs 2, turn 2"]
    found = {f.key: (f.seconds, f.spread, f.note) for f in figures if f.key in ("b", "c")}
    assert found == {"b": (28.0, 2 / 28, "best of 2"), "c": (16.0, 1 / 16, "best of 2, beside (b)'s")}

    fastest, failed = decade.Run(1.0, 1.0, 0, tmp_path / "ok.log"), decade.Run(9.0, 1.0, 1, tmp_path / "failed.log")
    assert measure.fastest_of([failed, fastest]) is failed


def test_a_count_of_runs_below_one_is_refused_before_anything_runs(capsys):
    from tooling.bench.decade import measure

    for option in ("--extract-runs", "--single-runs"):
        with pytest.raises(SystemExit) as ended:
            measure.main([option, "0"])
        assert ended.value.code == 2
        assert capsys.readouterr().err.splitlines()[-1] == (
            f"python -m tooling.bench.decade: error: argument {option}: expected a whole number of runs, at least 1,"
            " found '0'"
        )
