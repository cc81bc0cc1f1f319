"""The benchmark itself: one report, then the decade; the section it appends to BENCHMARKS.md."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from tilt100.settings import ROOT
from tooling.bench.decade.compare import moves, previous_run
from tooling.bench.decade.figures import Figure, figure_from, slowest_dbt_nodes, table, targets
from tooling.bench.decade.reports import decade_plan, render_decade, render_new_month
from tooling.bench.decade.runs import Run, bench_python, best, dbt_env, fastest_of, run, tail, worker
from tooling.bench.decade.settings import BENCHMARKS_MD, BIN, DEFAULT_DIR, FIRST_YEAR, HEADER, LAST_YEAR, SINGLE_REPORT


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
    files: list[Path],
    inputs: list[Path],
    new_month: Path,
    work: Path,
    camelot: Path | None,
    say: Callable[[str], None],
    runs: int = 2,
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

    # (b) and (c) side by side, taking turns, each into an empty warehouse: their ratio is the scaling on two
    # cores, and runs made apart would also measure how the machine's hour moved between them.
    step(f"(b) and (c) python -m extract --jobs 1, then --jobs 2, into empty warehouses, taking turns {runs} times")

    def extracted(jobs: str, turn: int) -> Path:
        return work / f"extract-jobs{jobs}-{turn}" / "warehouse.duckdb"

    def extract(jobs: str, turn: int) -> Run:
        db = extracted(jobs, turn)
        db.parent.mkdir()
        command = [str(python), "-m", "extract", "--jobs", jobs, "--db", str(db), *map(str, inputs)]
        return run(command, work / f"{'b' if jobs == '1' else 'c'}-{turn}.log")

    turns = [(extract("1", turn), extract("2", turn)) for turn in range(1, runs + 1)]
    b, c = fastest_of([one for one, _ in turns]), fastest_of([two for _, two in turns])
    loaded = extracted("1", 1)  # dbt builds on (b)'s first warehouse
    figures.append(figure_from("b", scope, "(b) python -m extract --jobs 1 (read + land)", b, note=f"best of {runs}"))

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

    figures.append(figure_from("c", scope, "(c) python -m extract --jobs 2", c, note=f"best of {runs}, beside (b)'s"))

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

    step("(d) the refresh end to end: tilt100 refresh into an empty warehouse")
    served = work / "refresh" / "warehouse.duckdb"
    served.parent.mkdir()
    env = {**os.environ, "DBT_LOG_PATH": str(work / "logs")}
    d_all = run(
        [str(python), "-m", "tilt100", "refresh", "--db", str(served), *map(str, inputs)], work / "refresh.log", env
    )
    figures.append(figure_from("d-refresh", scope, "(d) refresh end to end", d_all))

    if d_all.ok:
        step(f"(e) incremental: tilt100 refresh {new_month.name} onto the refreshed decade")
        e = run(
            [str(python), "-m", "tilt100", "refresh", "--db", str(served), str(new_month)],
            work / "incremental.log",
            env,
        )
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
    figures: list[Figure],
    files: int,
    full: bool,
    load: tuple[float, float],
    note: str,
    commit: str,
    moved: Sequence[str] = (),
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
    return [*lines, "", *table(figures), "", *targets(figures, full), "", *moved, ""]


def append_benchmarks(lines: list[str], path: Path = BENCHMARKS_MD) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    path.write_text(text.rstrip("\n") + "\n\n" + "\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")


def _runs(text: str) -> int:
    """A count of runs: a whole number, at least 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of runs, at least 1, found {text!r}")
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tooling.bench.decade", description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=None, metavar="N", help="only the first N decade reports")
    parser.add_argument("--skip-camelot", action="store_true", help="do not measure (g), camelot")
    parser.add_argument("--no-append", action="store_true", help="print only; do not append to BENCHMARKS.md")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help=f"the cache of rendered reports ({DEFAULT_DIR})")
    parser.add_argument("--single-runs", type=_runs, default=3, help="runs of each one-report figure (the best counts)")
    parser.add_argument(
        "--extract-runs",
        type=_runs,
        default=2,
        help="turns of the decade's (b) and (c), side by side (the best counts)",
    )
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
        figures += measure_decade(files, inputs, new_month, work, camelot, print, args.extract_runs)
        for f in figures:
            if f.failed_log is not None:
                print(f"{f.label} ({f.scope}) failed; the end of its log:\n{tail(f.failed_log)}")
        kept = keep_logs(work, args.dir / "last-run-logs")
        print(f"the logs of every child process: {kept}")
    recorded = BENCHMARKS_MD.read_text(encoding="utf-8") if BENCHMARKS_MD.exists() else ""
    moved = moves(figures, previous_run(recorded)) if len(files) == len(plan) else []
    load = (load_before, os.getloadavg()[0])
    lines = section(figures, len(files), len(files) == len(plan), load, args.note, commit, moved)
    print("\n" + "\n".join(lines))
    if not args.no_append:
        append_benchmarks(lines)
        print(f"appended to {BENCHMARKS_MD}")
    return 0 if all(f.seconds is not None for f in figures) else 1
