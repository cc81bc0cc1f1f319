"""``python -m tooling.corpus [--out data/corpus]``: render every variant (cached), one line per file."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from tooling.corpus.build import DEFAULT_OUT, file_name, render
from tooling.corpus.catalogue import variants


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tooling.corpus",
        description="Render every variant of the corpus (cached by content), one line per file.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder of the rendered files (a cache)")
    args = parser.parse_args(argv)
    start = time.monotonic()
    for variant in variants():
        cached = (args.out / file_name(variant)).exists()
        began = time.monotonic()
        path = render(variant, args.out)
        how = "cached" if cached else f"rendered in {time.monotonic() - began:.1f} s"
        print(f"{path}  {variant.producer} {variant.base} ({how})", flush=True)
    print(f"{len(variants())} files in {time.monotonic() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
