"""``python -m tooling.replica --from-text TXT --out PDF``: render a replica of a TILT100 report."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from tooling.replica import render_from_text


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tooling.replica", description="Render a replica PDF of a TILT100 report from its text export."
    )
    parser.add_argument("--from-text", type=Path, required=True, metavar="TXT", help="NAV's text export of a report")
    parser.add_argument("--out", type=Path, required=True, metavar="PDF", help="the replica PDF to write")
    parser.add_argument("--twin", action="store_true", help="also write the Excel twin beside the PDF (.xlsx)")
    args = parser.parse_args(argv)
    print(render_from_text(args.from_text, args.out, args.twin))
    return 0


if __name__ == "__main__":
    sys.exit(main())
