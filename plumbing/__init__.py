"""What a command needs that is not extraction: the warehouse file, one writer at a time, child processes, progress.

Used by ``extract`` (direct loads) and ``warehouse`` (the refresh); imports neither.
"""

from plumbing.children import die_with_parent
from plumbing.dbfile import (
    WarehouseError,
    WarehouseInUse,
    WarehouseNotBuilt,
    WarehouseUnusable,
    check,
    check_built,
    check_file,
    checkpoint,
    classify,
    durable,
    no_other_writer,
    quoted,
    recover,
    swap_in,
    wal_of,
)
from plumbing.errors import MachineFault, NothingAttempted, machine_fault
from plumbing.heads import OLE_MAGIC, describe_head
from plumbing.lock import exclusive, lock_path
from plumbing.progress import Progress
from plumbing.sql import identifier, literal

__all__ = [
    "OLE_MAGIC",
    "MachineFault",
    "NothingAttempted",
    "Progress",
    "WarehouseError",
    "WarehouseInUse",
    "WarehouseNotBuilt",
    "WarehouseUnusable",
    "check",
    "check_built",
    "check_file",
    "checkpoint",
    "classify",
    "describe_head",
    "die_with_parent",
    "durable",
    "exclusive",
    "identifier",
    "literal",
    "lock_path",
    "machine_fault",
    "no_other_writer",
    "quoted",
    "recover",
    "swap_in",
    "wal_of",
]
