"""What every process that runs dbt here does before dbt runs: the refresh's (`warehouse.dbt_child`) and
dbt's command line (`warehouse.dbt_cli`, which the tests and `tilt100 docs` run).

dbt and its adapter are imported with Python's collector off and kept out of later collections, as is
each project dbt parses (`heap`); the parse's key leaves out the warehouse's path (`parse_cache`);
debug events no logger writes are dropped before they are made (`dbt_events`); result tables share one
locale's date constants (`dbt_tables`); templates compiled once are loaded from the machine's cache
(`jinja_code`).
"""

from __future__ import annotations

from tilt100.warehouse import heap
from tilt100.warehouse.dbt_events import drop_unread_debug_events, make_event_messages_when_read
from tilt100.warehouse.dbt_tables import share_date_constants
from tilt100.warehouse.jinja_code import keep_compiled_templates
from tilt100.warehouse.parse_cache import ignore_warehouse_path


def start_dbt(read_debug_events: frozenset[str] = frozenset()) -> None:
    """Import dbt and make this process ready to run it; `read_debug_events`: the debug events a callback reads."""
    with heap.kept_for_good():  # dbt's modules, its adapter's too (else imported at the first connection)
        import dbt.adapters.duckdb
        import dbt.cli.main  # noqa: F401

    ignore_warehouse_path()  # a parse made for one warehouse serves another's
    heap.keep_parses_for_good()
    drop_unread_debug_events(read_debug_events)
    make_event_messages_when_read()
    share_date_constants()
    keep_compiled_templates()
