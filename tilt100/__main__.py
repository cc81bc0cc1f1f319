"""``python -m tilt100``: the same as the ``tilt100`` command."""

import sys

from tilt100.cli import main

if __name__ == "__main__":
    sys.exit(main())
