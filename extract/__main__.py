"""``python -m extract``: an alias of ``tilt100 load`` (land TILT100 reports raw in DuckDB)."""

import sys

from tilt100.cli import alias

if __name__ == "__main__":
    sys.exit(alias("load", "python -m extract"))
