"""dbt's own command line, with this project's parse shared (`python -m tilt100.warehouse.dbt_cli <dbt arguments>`).

As ``dbt <arguments>`` in the project root, but: the parse of this project
version is taken from and kept in the machine's cache (``warehouse.parse_cache``),
whatever warehouse file and target folder the run names; and the process is
made ready as every process that runs dbt here is (``warehouse.dbt_process``:
dbt's heap, unread debug events, shared date constants, compiled templates).
The tests' dbt and ``tilt100 docs`` run dbt so.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tilt100.warehouse.dbt_process import start_dbt
from tilt100.warehouse.parse_cache import keep, use


def main(argv: list[str]) -> int:
    """dbt's command line (`argv`: its arguments) with the parse shared; dbt's exit code."""
    start_dbt()
    from dbt.cli.main import cli

    from tilt100.settings import default_db
    from tilt100.warehouse.state import project_fingerprint

    target_path = Path(_option(argv, "--target-path") or "target")
    target = _option(argv, "--target") or os.environ.get("DBT_TARGET", "dev")
    # dbt counts the target *as named on its command line* in the parse's key: named here as the
    # refresh's dbt process names it (DBT_TARGET), or each would parse afresh the other's parse.
    os.environ["DBT_TARGET"] = target
    fingerprint = project_fingerprint()
    db = default_db()  # the warehouse the profile names (`WAREHOUSE_DB`)
    use(target_path, fingerprint, db, target)
    try:
        cli.main(args=argv, prog_name="dbt", standalone_mode=True)
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    else:
        code = 0
    keep(target_path, fingerprint, db, target)  # if dbt parsed the project afresh (its parse differs from the kept one)
    return code


def _option(argv: list[str], name: str) -> str | None:
    return argv[argv.index(name) + 1] if name in argv[:-1] else None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
