"""``python -m replica --from-text TXT --out PDF``: render a replica of a TILT100 report."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from replica.from_text import spec_from_report
from replica.render import render_pdf
from replica.xlsx import write_xlsx


def from_text(text: Path, out: Path, twin: bool = False) -> str:
    """Read a text export with the extractor, render its replica (and Excel twin); returns what was written."""
    from extract import read_report  # the extractor is only needed here

    spec = spec_from_report(read_report(text))
    out.parent.mkdir(parents=True, exist_ok=True)
    render_pdf(spec, out)
    rows = sum(len(block.rows) for table in spec.tables for block in table.blocks)
    written = f"wrote {out}: {len(spec.tables)} tables, {rows} rows, {len(spec.columns)} columns ({spec.period})"
    if twin:
        write_xlsx(spec, out.with_suffix(".xlsx"))
        written += f"\nwrote {out.with_suffix('.xlsx')}: its Excel twin"
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m replica", description=__doc__)
    parser.add_argument("--from-text", type=Path, required=True, metavar="TXT", help="NAV's text export of a report")
    parser.add_argument("--out", type=Path, required=True, metavar="PDF", help="the replica PDF to write")
    parser.add_argument("--twin", action="store_true", help="also write the Excel twin beside the PDF (.xlsx)")
    args = parser.parse_args(argv)
    print(from_text(args.from_text, args.out, args.twin))
    return 0


if __name__ == "__main__":
    sys.exit(main())
