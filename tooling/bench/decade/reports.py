"""The decade of reports: which to render (republications where the seeds cannot print a year), cached."""

from __future__ import annotations

import dataclasses
import hashlib
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from tilt100.settings import JANUARY_2026_TEXT, ROOT
from tooling.bench.decade.settings import FIRST_YEAR, LAST_YEAR, REPUBLISHED_AFTER


@dataclass(frozen=True)
class Planned:
    file_name: str
    year: int
    last_month: int
    edition: int  # 1: as published; 2, 3, ...: republished two weeks later each time, same figures


def year_is_printable(year: int) -> bool:
    """Whether the seeds know the kommune and fylke numbers of that year (the generator needs them)."""
    from tooling.replica.series import fylker, kommuner

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
    from tooling.replica.series import year_report

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
    for path in sorted(
        [*(ROOT / "tooling" / "replica").glob("*.py"), *(ROOT / "seeds").glob("*.csv"), JANUARY_2026_TEXT]
    ):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def render_decade(folder: Path, plan: Sequence[Planned], say: Callable[[str], None] = print) -> list[Path]:
    """The plan's PDFs in `folder`, rendering only what is missing or stale."""
    from tooling.replica.render import render_pdf

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
    from tooling.replica import render_from_text

    out = folder / "new_month" / "tilt100_2026-01.pdf"
    stamp = out.with_suffix(".fingerprint")
    fingerprint = generator_fingerprint()
    if not out.exists() or not stamp.exists() or stamp.read_text().strip() != fingerprint:
        render_from_text(JANUARY_2026_TEXT, out)
        stamp.write_text(fingerprint + "\n")
    return out
