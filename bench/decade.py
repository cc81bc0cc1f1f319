"""A decade of TILT100 reports: how fast we read, land and build, beside pdfplumber and camelot.

Usage: .venv/bin/python -m bench.decade [--reports N] [--skip-camelot] [--no-append] [--note TEXT]

Renders (once, cached in data/bench/decade/) a decade of synthetic reports with
the replica generator: every month's report of 2016-2025, each holding the
months of its year so far. The seeds' kommune and fylke numbers start in 2020,
so years the generator cannot print are replaced by republications (same
figures, "Rapport oppdatert" two weeks later) of the earliest years it can: the
decade is always as many files as asked for. Plus one new month, January 2026
(the replica of NAV's real report), for the incremental refresh.

Then measures, each as a whole process unless said otherwise, wall time and the
ratio to (a) of the same files:

  (a) pdfplumber's own reading: ``page.chars`` of every page (the baseline)
  (b) ``python -m extract --jobs 1`` into an empty warehouse; the pure read
      in-process; and the reference path ``--text-layer pdfplumber``
  (c) the extractor on two cores: ``python -m extract --jobs 2``
  (d) ``dbt build`` on the loaded decade; the refresh ``python -m warehouse`` end to end
  (e) a new month added to the refreshed decade with ``python -m warehouse``
  (f) peak memory (maxrss) of each child process, shown beside each figure
  (g) camelot's stream flavour (the peer), from .venv-bench (bench/requirements.txt)

and (a), (b), (c), (g) for one report. Prints the table and appends it to
BENCHMARKS.md with the date, the core count, the commit and the load average.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from project import JANUARY_2026_TEXT, ROOT

BIN = Path(sys.executable).parent
DEFAULT_DIR = ROOT / "data" / "bench" / "decade"
SINGLE_REPORT = ROOT / "data" / "reports" / "tilt100_2026-01.pdf"
BENCH_VENV = ROOT / ".venv-bench"
BENCH_REQUIREMENTS = ROOT / "bench" / "requirements.txt"
BENCHMARKS_MD = ROOT / "BENCHMARKS.md"
FIRST_YEAR, LAST_YEAR = 2016, 2025
REPUBLISHED_AFTER = timedelta(days=14)
MB = 1024  # ru_maxrss is in KiB on Linux

HEADER = """\
# Benchmarks

`make bench` (`.venv/bin/python -m bench.decade`) renders a decade of synthetic
TILT100 reports with the replica generator (cached in `data/bench/decade/`), reads
them every way below, and appends one section here per run. Every figure is wall
time of a whole process (interpreter start and imports included) unless it says
in-process; `× (a)` is the ratio to (a) on the same files; `peak MB` is the
process's maxrss (with its children, e.g. dbt under the refresh).

- **(a)** baseline: pdfplumber's own reading of the same pages, `page.chars` of
  every page of every file, in one process.
- **(b)** our extractor on one core, `python -m extract --jobs 1 --db <empty>
  <files>` (read and land; PDFium's text layer, the default); *read in-process*:
  `extract.read.read_report` of every file, imports excluded; *reference path*:
  the same with `--text-layer pdfplumber`.
- **(c)** the extractor on both cores, `python -m extract --jobs 2`: two processes
  read files, this one lands them (one report is read by one process: there is
  nothing to share).
- **(d)** `dbt build` on the loaded decade (after `dbt parse`, as the refresh
  finds it); and the refresh `python -m warehouse --db <empty> <files>` end to end
  (copy, land, dbt build, Parquet, swap).
- **(e)** incremental: the refreshed decade plus one new report (January 2026),
  `python -m warehouse --db <decade> <new report>`, end to end.
- **(f)** peak memory, the `peak MB` column.
- **(g)** the peer: camelot 2.0.0 stream flavour, `camelot.read_pdf(path,
  pages="all", flavor="stream")`, from `.venv-bench` (`bench/requirements.txt`,
  benchmark-only).

Targets (issue "Speed and scale: a decade of reports in under two minutes, a new
month in seconds"):

| target | goal |
| --- | --- |
| (c) / (g), one report and the decade | < 1.0 |
| (b) / (a) | ≤ 1.10 |
| (c) / (b) | ≤ 0.6 |
| decade end to end, (d) refresh | < 120 s |
| incremental, (e) | < 15 s |
| peak memory, (b) and (d) | < 500 MB |

The decade is 120 reports: 2016-2019 cannot be rendered with today's seeds (kommune
and fylke numbers start in 2020), so 2020-2025 (72 reports) are joined by 48
republications of 2020-2023 (same figures, report date two weeks later).
"""


# ---- the decade of reports -----------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    file_name: str
    year: int
    last_month: int
    edition: int  # 1: as published; 2, 3, ...: republished two weeks later each time, same figures


def year_is_printable(year: int) -> bool:
    """Whether the seeds know the kommune and fylke numbers of that year (the generator needs them)."""
    from replica.series import fylker, kommuner

    return all(bool(kommuner(date(year, m, 1))) and bool(fylker(date(year, m, 1))) for m in (1, 12))


def decade_plan(
    first: int = FIRST_YEAR, last: int = LAST_YEAR, printable: Callable[[int], bool] = year_is_printable
) -> tuple[list[Planned], list[int]]:
    """Every month's report of the years; years not printable replaced by republications. Returns (plan, missing)."""
    years = list(range(first, last + 1))
    ok = [y for y in years if printable(y)]
    missing = [y for y in years if y not in ok]
    if not ok:
        raise SystemExit(f"the replica generator can print none of the years {first}-{last}")
    wanted = 12 * len(years)
    plan = [Planned(f"tilt100_{y}-{m:02d}.pdf", y, m, 1) for y in ok for m in range(1, 13)]
    edition = 2
    while len(plan) < wanted:
        plan += [Planned(f"tilt100_{y}-{m:02d}_r{edition}.pdf", y, m, edition) for y in ok for m in range(1, 13)]
        edition += 1
    return plan[:wanted], missing


def synthetic(planned: Planned):  # noqa: ANN201 (replica.series.SyntheticReport, imported lazily)
    from replica.series import year_report

    report = year_report(planned.year, planned.last_month)
    if planned.edition == 1:
        return report
    updated = datetime.strptime(report.spec.updated, "%d.%m.%Y").date()
    updated += REPUBLISHED_AFTER * (planned.edition - 1)
    spec = dataclasses.replace(report.spec, updated=updated.strftime("%d.%m.%Y"))
    return dataclasses.replace(report, file_name=planned.file_name, spec=spec)


def generator_fingerprint() -> str:
    """Changes when the generator or its seeds do: the cache is then rendered anew."""
    digest = hashlib.sha256(b"decade v1")
    for path in sorted([*(ROOT / "replica").glob("*.py"), *(ROOT / "seeds").glob("*.csv"), JANUARY_2026_TEXT]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def render_decade(folder: Path, plan: Sequence[Planned], say: Callable[[str], None] = print) -> list[Path]:
    """The plan's PDFs in `folder`, rendering only what is missing or stale."""
    from replica.render import render_pdf

    folder.mkdir(parents=True, exist_ok=True)
    stamp = folder / ".fingerprint"
    fingerprint = generator_fingerprint()
    if stamp.exists() and stamp.read_text().strip() != fingerprint:
        say(f"the generator or the seeds changed since {folder} was rendered: rendering anew")
        for old in folder.glob("tilt100_*.pdf"):
            old.unlink()
    stamp.write_text(fingerprint + "\n")
    paths = [folder / p.file_name for p in plan]
    todo = [(p, path) for p, path in zip(plan, paths, strict=True) if not path.exists()]
    if not todo:
        say(f"{len(paths)} reports cached in {folder}")
        return paths
    say(f"rendering {len(todo)} of {len(paths)} reports into {folder} (cached for the next run)")
    live = sys.stdout.isatty()
    start = time.perf_counter()
    for number, (planned, path) in enumerate(todo, start=1):
        partial = path.with_name(path.name + ".part")
        render_pdf(synthetic(planned).spec, partial)
        partial.replace(path)
        line = f"  [{number}/{len(todo)}] {path.name} ({time.perf_counter() - start:.0f} s)"
        if live:
            sys.stdout.write("\r\033[K" + line)
            sys.stdout.flush()
        elif number % 12 == 0 or number == len(todo):
            say(line)
    if live:
        sys.stdout.write("\n")
    return paths


def render_new_month(folder: Path) -> Path:
    """January 2026, rendered from the text of NAV's real report (the bundled replica's source)."""
    from replica import render_from_text

    out = folder / "new_month" / "tilt100_2026-01.pdf"
    stamp = out.with_suffix(".fingerprint")
    fingerprint = generator_fingerprint()
    if not out.exists() or not stamp.exists() or stamp.read_text().strip() != fingerprint:
        render_from_text(JANUARY_2026_TEXT, out)
        stamp.write_text(fingerprint + "\n")
    return out


# ---- running and measuring child processes -----------------------------------------


@dataclass
class Run:
    seconds: float  # wall time of the whole process
    peak_mb: float  # maxrss of the process and the children it waited for
    returncode: int
    log: Path
    worker: dict = field(default_factory=dict)  # the JSON line of a bench.workers child

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def _worker_json(log: Path) -> dict:
    for line in reversed(log.read_text(encoding="utf-8", errors="replace").splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return {}


def run_all(commands: Sequence[Sequence[str]], logs: Sequence[Path], env: dict[str, str] | None = None) -> list[Run]:
    """Start the commands together; each one's figures, the wall time being until all have ended."""
    start = time.perf_counter()
    procs = []
    for command, log in zip(commands, logs, strict=True):
        with log.open("w", encoding="utf-8") as out:
            procs.append(subprocess.Popen(list(command), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT))
    usages = []
    for proc in procs:
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        usages.append((proc.returncode, usage.ru_maxrss / MB))
    seconds = time.perf_counter() - start
    return [Run(seconds, peak, code, log, _worker_json(log)) for (code, peak), log in zip(usages, logs, strict=True)]


def run(command: Sequence[str], log: Path, env: dict[str, str] | None = None) -> Run:
    return run_all([command], [log], env)[0]


def best(runs: Callable[[], Run], times: int) -> Run:
    """The fastest of `times` runs (peak memory: the largest)."""
    results = [runs() for _ in range(times)]
    fastest = min(results, key=lambda r: r.seconds)
    return dataclasses.replace(fastest, peak_mb=max(r.peak_mb for r in results))


def tail(log: Path, lines: int = 15) -> str:
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def worker(python: Path, mode: str, *args: str | Path) -> list[str]:
    return [str(python), "-m", "bench.workers", mode, *map(str, args)]


def dbt_env(db: Path, work: Path) -> dict[str, str]:
    return {
        **os.environ,
        "WAREHOUSE_DB": str(db),
        "DBT_PROFILES_DIR": str(ROOT),
        "DBT_TARGET": "dev",
        "DBT_LOG_PATH": str(work / "logs"),
        "DBT_USE_COLORS": "false",
    }


def bench_python(say: Callable[[str], None] = print) -> tuple[Path | None, str]:
    """The Python of .venv-bench (made from bench/requirements.txt if missing or stale), or None and why."""
    python = BENCH_VENV / "bin" / "python"
    stamp = BENCH_VENV / ".installed"
    if stamp.exists() and stamp.stat().st_mtime >= BENCH_REQUIREMENTS.stat().st_mtime and python.exists():
        return python, ""
    say(f"installing camelot into {BENCH_VENV} from {BENCH_REQUIREMENTS} (benchmark-only)")
    steps = [
        [sys.executable, "-m", "venv", str(BENCH_VENV)],
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", str(BENCH_REQUIREMENTS)],
        [str(python), "-c", "import camelot"],
    ]
    for step in steps:
        done = subprocess.run(step, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            lines = [line for line in (done.stderr or done.stdout).splitlines() if "is ignored" not in line]
            return None, f"`{' '.join(step[-3:])}` failed: {' / '.join(lines[-3:])}"
    stamp.touch()
    return python, ""


# ---- the figures --------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    key: str  # "a", "b", "b-read", "c", "d-dbt", "d-refresh", "e", "g"
    scope: str  # "decade" or "one report"
    label: str
    seconds: float | None
    peak_mb: float | None = None
    note: str = ""
    failed_log: Path | None = None


def figure_from(key: str, scope: str, label: str, result: Run, seconds: float | None = None, note: str = "") -> Figure:
    if not result.ok:
        return Figure(key, scope, label, None, None, f"FAILED (exit {result.returncode})", result.log)
    return Figure(key, scope, label, result.seconds if seconds is None else seconds, result.peak_mb, note)


def find(figures: Sequence[Figure], key: str, scope: str) -> Figure | None:
    return next((f for f in figures if f.key == key and f.scope == scope and f.seconds is not None), None)


def table(figures: Sequence[Figure]) -> list[str]:
    lines = ["| measure | files | wall s | × (a) | peak MB | note |", "| --- | --- | ---: | ---: | ---: | --- |"]
    for f in figures:
        base = find(figures, "a", f.scope)
        ratio = f"{f.seconds / base.seconds:.2f}" if f.seconds is not None and base is not None else ""
        seconds = f"{f.seconds:.1f}" if f.seconds is not None else "–"
        peak = f"{f.peak_mb:.0f}" if f.peak_mb is not None else ""
        lines.append(f"| {f.label} | {f.scope} | {seconds} | {ratio} | {peak} | {f.note} |")
    return lines


def targets(figures: Sequence[Figure], full_decade: bool) -> list[str]:
    """Each target of the issue: its figure and whether it is met."""
    rows: list[tuple[str, str, bool | None]] = []

    def ratio(top: str, bottom: str, scope: str, goal: float, name: str, strict: bool = True) -> None:
        a, b = find(figures, top, scope), find(figures, bottom, scope)
        if a is None or b is None or a.seconds is None or b.seconds is None:
            rows.append((name, "n/a", None))
            return
        value = a.seconds / b.seconds
        rows.append((name, f"{value:.2f}", value < goal if strict else value <= goal))

    def below(key: str, scope: str, goal: float, name: str, attribute: str = "seconds", unit: str = "s") -> None:
        f = find(figures, key, scope)
        value = getattr(f, attribute) if f else None
        rows.append((name, "n/a" if value is None else f"{value:.1f} {unit}", None if value is None else value < goal))

    for scope in ("one report", "decade"):
        ratio("c", "g", scope, 1.0, f"(c) / (g) < 1.0, {scope}")
    ratio("b", "a", "decade", 1.10, "(b) / (a) ≤ 1.10, decade", strict=False)
    ratio("b", "a", "one report", 1.10, "(b) / (a) ≤ 1.10, one report", strict=False)
    ratio("c", "b", "decade", 0.6, "(c) / (b) ≤ 0.6, decade", strict=False)
    below("d-refresh", "decade", 120, "decade end to end < 120 s")
    below("e", "decade", 15, "incremental < 15 s")
    below("b", "decade", 500, "peak memory (b) < 500 MB", "peak_mb", "MB")
    below("d-dbt", "decade", 500, "peak memory (d) dbt build < 500 MB", "peak_mb", "MB")
    below("d-refresh", "decade", 500, "peak memory (d) refresh < 500 MB", "peak_mb", "MB")
    lines = ["| target | figure | met |", "| --- | ---: | --- |"]
    for name, value, met in rows:
        mark = "n/a" if met is None else ("yes" if met else "**no**")
        if not full_decade and "decade" in name and met is not None:
            mark += " (partial decade)"
        lines.append(f"| {name} | {value} | {mark} |")
    return lines


def slowest_dbt_nodes(target: Path, count: int = 6) -> list[str]:
    path = target / "run_results.json"
    if not path.exists():
        return []
    results = json.loads(path.read_text(encoding="utf-8"))["results"]
    total = sum(r["execution_time"] for r in results)
    top = sorted(results, key=lambda r: r["execution_time"], reverse=True)[:count]
    lines = [f"dbt: {len(results)} nodes, {total:.1f} s in nodes; slowest:"]
    lines += [f"  {r['execution_time']:6.2f} s  {r['unique_id']}" for r in top]
    return lines


# ---- the benchmark ------------------------------------------------------------------


def measure_single(
    path: Path, work: Path, camelot: Path | None, times: int, say: Callable[[str], None]
) -> list[Figure]:
    python = BIN / "python"
    scope = "one report"
    figures = []
    say(f"one report: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}, best of {times}")
    a = best(lambda: run(worker(python, "chars", path), work / "single-a.log"), times)
    pages = a.worker.get("pages", "?")
    figures.append(figure_from("a", scope, "(a) pdfplumber page.chars", a, note=f"{pages} pages"))

    def extract_once(log: str, *options: str) -> Run:
        db = work / "single.duckdb"
        db.unlink(missing_ok=True)
        return run([str(python), "-m", "extract", *options, "--db", str(db), str(path)], work / log)

    b = best(lambda: extract_once("single-b.log", "--jobs", "1"), times)
    figures.append(figure_from("b", scope, "(b) python -m extract --jobs 1", b))
    reference = best(lambda: extract_once("single-b-ref.log", "--jobs", "1", "--text-layer", "pdfplumber"), times)
    figures.append(figure_from("b-ref", scope, "(b) reference path, --text-layer pdfplumber", reference))
    c = best(lambda: extract_once("single-c.log", "--jobs", "2"), times)
    figures.append(figure_from("c", scope, "(c) python -m extract --jobs 2", c, note="one file: one process reads"))
    if camelot is not None:
        g = best(lambda: run(worker(camelot, "camelot", path), work / "single-g.log"), times)
        figures.append(figure_from("g", scope, "(g) camelot stream", g, note=f"{g.worker.get('tables', '?')} tables"))
    return figures


def measure_decade(
    files: list[Path], inputs: list[Path], new_month: Path, work: Path, camelot: Path | None, say: Callable[[str], None]
) -> list[Figure]:
    python = BIN / "python"
    scope = "decade"
    figures: list[Figure] = []

    def step(name: str) -> None:
        say(f"{time.strftime('%H:%M:%S')} {name}")

    step(f"(a) pdfplumber page.chars of {len(files)} files")
    a = run(worker(python, "chars", *files), work / "a.log")
    figures.append(figure_from("a", scope, "(a) pdfplumber page.chars", a, note=f"{a.worker.get('pages', '?')} pages"))
    if a.ok:
        figures.append(
            Figure("a-in", scope, "(a) in-process, imports excluded", a.worker["seconds"], None, "same process")
        )

    step("(b) python -m extract into an empty warehouse")
    loaded = work / "extract" / "warehouse.duckdb"
    loaded.parent.mkdir()
    b = run([str(python), "-m", "extract", "--jobs", "1", "--db", str(loaded), *map(str, inputs)], work / "b.log")
    figures.append(figure_from("b", scope, "(b) python -m extract --jobs 1 (read + land)", b))

    step("(b) read in-process: extract.read.read_report of every file")
    b_read = run(worker(python, "read", *files), work / "b-read.log")
    if b_read.ok:
        figures.append(
            Figure("b-read", scope, "(b) read only, in-process", b_read.worker["seconds"], b_read.peak_mb, "no landing")
        )
    else:
        figures.append(figure_from("b-read", scope, "(b) read only, in-process", b_read))

    step("(b) the reference path: python -m extract --jobs 1 --text-layer pdfplumber")
    reference_db = work / "extract-reference" / "warehouse.duckdb"
    reference_db.parent.mkdir()
    command = [str(python), "-m", "extract", "--jobs", "1", "--text-layer", "pdfplumber", "--db", str(reference_db)]
    reference = run([*command, *map(str, inputs)], work / "b-ref.log")
    figures.append(figure_from("b-ref", scope, "(b) reference path, --text-layer pdfplumber", reference))

    step("(c) python -m extract --jobs 2")
    parallel_db = work / "extract-parallel" / "warehouse.duckdb"
    parallel_db.parent.mkdir()
    command = [str(python), "-m", "extract", "--jobs", "2", "--db", str(parallel_db), *map(str, inputs)]
    figures.append(figure_from("c", scope, "(c) python -m extract --jobs 2", run(command, work / "c.log")))

    if b.ok:
        step("(d) dbt build on the loaded decade (after dbt parse)")
        env = dbt_env(loaded, work)
        target = work / "target"
        dbt = BIN / "dbt"
        parse = run([str(dbt), "parse", "--target-path", str(target)], work / "dbt-parse.log", env)
        d = run([str(dbt), "build", "--target-path", str(target)], work / "dbt-build.log", env)
        figures.append(figure_from("d-dbt", scope, "(d) dbt build", d, note=f"dbt parse before: {parse.seconds:.1f} s"))
        for line in slowest_dbt_nodes(target):
            say("  " + line)

    step("(d) the refresh end to end: python -m warehouse into an empty warehouse")
    served = work / "refresh" / "warehouse.duckdb"
    served.parent.mkdir()
    env = {**os.environ, "DBT_LOG_PATH": str(work / "logs")}
    d_all = run([str(python), "-m", "warehouse", "--db", str(served), *map(str, inputs)], work / "refresh.log", env)
    figures.append(figure_from("d-refresh", scope, "(d) refresh end to end", d_all))

    if d_all.ok:
        step(f"(e) incremental: python -m warehouse {new_month.name} onto the refreshed decade")
        e = run([str(python), "-m", "warehouse", "--db", str(served), str(new_month)], work / "incremental.log", env)
        figures.append(figure_from("e", scope, "(e) incremental, + 1 report", e, note=new_month.name))

    if camelot is not None:
        step(f"(g) camelot stream of {len(files)} files")
        g = run(worker(camelot, "camelot", *files), work / "g.log")
        figures.append(figure_from("g", scope, "(g) camelot stream", g, note=f"{g.worker.get('tables', '?')} tables"))
    return figures


def keep_logs(work: Path, out: Path) -> Path:
    """The children's logs and dbt's, kept after the temporary warehouses go."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for log in work.glob("*.log"):
        shutil.copy2(log, out / log.name)
    if (work / "logs" / "dbt.log").exists():
        shutil.copy2(work / "logs" / "dbt.log", out / "dbt.log")
    return out


def git_commit() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", "--no-optional-locks", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + ("+changes" if git("status", "--porcelain", "--untracked-files=no") else "")


def section(
    figures: list[Figure], files: int, full: bool, load: tuple[float, float], note: str, commit: str
) -> list[str]:
    stamp = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    at_end = git_commit()
    commits = commit if at_end == commit else f"{commit} (at the start; {at_end} at the end)"
    lines = [
        f"## {stamp} · commit {commits} · {os.cpu_count()} cores · {files} reports",
        "",
        f"Load average (1 min) before / after: {load[0]:.2f} / {load[1]:.2f}.",
    ]
    if note:
        lines.append(f"Note: {note}")
    if not full:
        lines.append(f"A partial decade (`--reports {files}`): the decade's targets are not comparable.")
    return [*lines, "", *table(figures), "", *targets(figures, full), ""]


def append_benchmarks(lines: list[str], path: Path = BENCHMARKS_MD) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    path.write_text(text.rstrip("\n") + "\n\n" + "\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.decade", description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=None, metavar="N", help="only the first N decade reports")
    parser.add_argument("--skip-camelot", action="store_true", help="do not measure (g), camelot")
    parser.add_argument("--no-append", action="store_true", help="print only; do not append to BENCHMARKS.md")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help=f"the cache of rendered reports ({DEFAULT_DIR})")
    parser.add_argument("--single-runs", type=int, default=3, help="runs of each one-report figure (the best counts)")
    parser.add_argument("--note", default="", help="a line to record with the figures (e.g. 'under load')")
    args = parser.parse_args(argv)

    load_before = os.getloadavg()[0]
    commit = git_commit()
    plan, missing = decade_plan()
    if missing:
        print(
            f"years {missing[0]}-{missing[-1]} cannot be rendered (the seeds' kommune and fylke numbers start in"
            f" 2020): the decade is {FIRST_YEAR}-{LAST_YEAR} minus those, plus republications"
        )
    chosen = plan[: args.reports] if args.reports else plan
    files = render_decade(args.dir, chosen)
    new_month = render_new_month(args.dir)
    single = SINGLE_REPORT if SINGLE_REPORT.exists() else new_month
    on_disk = sorted(p for p in args.dir.iterdir() if p.suffix == ".pdf")
    inputs = [args.dir] if on_disk == sorted(files) else files  # the folder, as a user would load it

    camelot: Path | None = None
    if args.skip_camelot:
        print("(g) camelot skipped: --skip-camelot")
    else:
        camelot, why = bench_python()
        if camelot is None:
            print(f"(g) camelot skipped: it could not be installed: {why}")

    with tempfile.TemporaryDirectory(prefix="bench-decade-") as tmp:
        work = Path(tmp)
        figures = measure_single(single, work, camelot, args.single_runs, print)
        figures += measure_decade(files, inputs, new_month, work, camelot, print)
        for f in figures:
            if f.failed_log is not None:
                print(f"{f.label} ({f.scope}) failed; the end of its log:\n{tail(f.failed_log)}")
        kept = keep_logs(work, args.dir / "last-run-logs")
        print(f"the logs of every child process: {kept}")
    lines = section(figures, len(files), len(files) == len(plan), (load_before, os.getloadavg()[0]), args.note, commit)
    print("\n" + "\n".join(lines))
    if not args.no_append:
        append_benchmarks(lines)
        print(f"appended to {BENCHMARKS_MD}")
    return 0 if all(f.seconds is not None for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
