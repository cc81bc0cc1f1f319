"""``python -m fetch``: see ``fetch.cli``."""

import sys

from fetch.cli import main

if __name__ == "__main__":
    sys.exit(main())
