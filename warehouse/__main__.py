"""``python -m warehouse``: an alias of ``tilt100 refresh`` (land reports, build, swap in)."""

import sys

from tilt100.cli import alias

if __name__ == "__main__":
    sys.exit(alias("refresh", "python -m warehouse"))
