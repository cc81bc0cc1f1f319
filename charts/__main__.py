"""``python -m charts``: an alias of ``tilt100 charts`` (the warehouse's charts as one HTML page)."""

import sys

from tilt100.cli import alias

if __name__ == "__main__":
    sys.exit(alias("charts", "python -m charts"))
