"""``python -m tooling.bench.decade``: the decade benchmark (see the package's docstring)."""

import sys

from tooling.bench.decade.measure import main

sys.exit(main())
