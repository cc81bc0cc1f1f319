"""``python -m bench.decade``: the decade benchmark (see the package's docstring)."""

import sys

from bench.decade.measure import main

sys.exit(main())
