"""The figures: one per measure and scope, the table, and the targets they are held to."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tooling.bench.decade.runs import Run


@dataclass(frozen=True)
class Figure:
    key: str  # "a", "b", "b-read", "c", "d-dbt", "d-refresh", "e", "g"
    scope: str  # "decade" or "one report"
    label: str
    seconds: float | None
    peak_mb: float | None = None
    note: str = ""
    failed_log: Path | None = None
    spread: float | None = None  # the noise of repeated runs, (slowest - fastest) / fastest; None if run once


def figure_from(key: str, scope: str, label: str, result: Run, seconds: float | None = None, note: str = "") -> Figure:
    if not result.ok:
        return Figure(key, scope, label, None, None, f"FAILED (exit {result.returncode})", result.log)
    seconds = result.seconds if seconds is None else seconds
    return Figure(key, scope, label, seconds, result.peak_mb, note, spread=result.spread)


def find(figures: Sequence[Figure], key: str, scope: str) -> Figure | None:
    return next((f for f in figures if f.key == key and f.scope == scope and f.seconds is not None), None)


def table(figures: Sequence[Figure]) -> list[str]:
    lines = ["| measure | files | wall s | × (a) | peak MB | note |", "| --- | --- | ---: | ---: | ---: | --- |"]
    for f in figures:
        base = find(figures, "a", f.scope)
        ratio = f"{f.seconds / base.seconds:.2f}" if f.seconds is not None and base is not None else ""
        seconds = f"{f.seconds:.1f}" if f.seconds is not None else "–"
        peak = f"{f.peak_mb:.0f}" if f.peak_mb is not None else ""
        note = "; ".join(filter(None, (f.note, f"runs spread {f.spread:.0%}" if f.spread is not None else "")))
        lines.append(f"| {f.label} | {f.scope} | {seconds} | {ratio} | {peak} | {note} |")
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
    # Issue 21 ("Speed where people wait") holds these to tighter goals than the issue that set them first.
    ratio("c", "b", "decade", 0.55, "(c) / (b) ≤ 0.55, decade", strict=False)
    below("d-dbt", "decade", 12, "dbt build of the decade < 12 s")
    below("d-refresh", "decade", 30, "decade end to end < 30 s")
    below("e", "decade", 8, "incremental (a new month) < 8 s")
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
