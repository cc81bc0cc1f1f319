"""How each figure moved since the last run recorded in BENCHMARKS.md, told apart from noise.

A figure is slower (or faster) when it moved by more than its noise: twice the
spread of its repeated runs in this run (each one-report figure is run
``--single-runs`` times, the decade's (b) and (c) ``--extract-runs`` times); for
a figure run once, twice the median spread of those; never less than
``NOISE_FLOOR`` (a shared machine moves a whole process by a few per cent from
run to run).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from tooling.bench.decade.figures import Figure

NOISE_FLOOR = 0.10
SECTION = re.compile(r"^## (\d{4}-\d{2}-\d{2} [^·\n]*)· commit ([^\n]*?) · ", re.MULTILINE)
MEASURES = "| measure | files | wall s |"
ROW = re.compile(r"^\| (?P<label>[^|]+?) \| (?P<scope>one report|decade) \| (?P<seconds>[0-9.]+) \|", re.MULTILINE)


@dataclass(frozen=True)
class Previous:
    heading: str  # "2026-11-25 08:20 UTC, commit 8df5c80"
    seconds: dict[tuple[str, str], float]  # (label, scope) -> wall s


def previous_run(text: str) -> Previous | None:
    """The figures of the last run section of BENCHMARKS.md (its measures table), if any."""
    sections = list(SECTION.finditer(text))
    if not sections:
        return None
    last = sections[-1]
    # Its measures table alone, up to the first blank line: the comparison table after it has the
    # same first columns, and its third is the run before's.
    start = text.find(MEASURES, last.end())
    measures = text[start:].split("\n\n", 1)[0] if start >= 0 else ""
    rows = {(m["label"], m["scope"]): float(m["seconds"]) for m in ROW.finditer(measures)}
    return Previous(f"{last.group(1).strip()}, commit {last.group(2)}", rows)


def noise(figure: Figure, figures: Sequence[Figure]) -> float:
    """The relative change that counts as a move of `figure`: twice the spread of its own repeated runs; for a
    figure run once, twice the median spread of this run's repeated figures (one noisy figure does not hide
    the others' moves); never less than the floor."""
    if figure.spread is not None:
        return max(NOISE_FLOOR, 2 * figure.spread)
    spreads = [f.spread for f in figures if f.spread is not None]
    return max(NOISE_FLOOR, 2 * statistics.median(spreads)) if spreads else NOISE_FLOOR


def moves(figures: Sequence[Figure], previous: Previous | None) -> list[str]:
    """Lines saying how each figure moved since `previous`: the slower first, marked, then the rest."""
    if previous is None:
        return ["No earlier run in BENCHMARKS.md to compare with."]
    slower, other = [], []
    for figure in figures:
        before = previous.seconds.get((figure.label, figure.scope))
        if figure.seconds is None or before is None or before <= 0:
            continue
        change = figure.seconds / before - 1
        threshold = noise(figure, figures)
        measured = f"{before:.1f} | {figure.seconds:.1f} | {change:+.0%} | ±{threshold:.0%}"
        row = f"| {figure.label} | {figure.scope} | {measured} |"
        if change > threshold:
            slower.append(f"{row} **slower** |")
        else:
            other.append(f"{row} {'faster' if change < -threshold else 'within noise'} |")
    head = [
        f"Since the last run ({previous.heading}); a figure moved when it changed by more than its noise: twice"
        f" the spread of its repeated runs (a figure run once: twice the median spread of those), at least"
        f" {NOISE_FLOOR:.0%}:",
        "",
        "| measure | files | then s | now s | change | noise | verdict |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    return [*head, *slower, *other] if slower or other else [f"{head[0]} no figure in common."]
