"""What a command needs that is not extraction: the warehouse file, one writer at a time, child processes, progress,
the files of the machine's cache.

Used by ``extract`` (direct loads) and ``warehouse`` (the refresh); imports neither.
"""

from tilt100.plumbing.cachefile import drop_least_used, write_whole
from tilt100.plumbing.children import die_with_parent
from tilt100.plumbing.dbfile import (
    WarehouseError,
    WarehouseInUse,
    WarehouseNotBuilt,
    WarehouseUnusable,
    check_built,
    check_file,
    check_warehouse,
    checkpoint,
    durable,
    no_other_writer,
    quoted,
    recover_swap,
    swap_in,
    wal_asides,
    wal_of,
    warehouse_error,
)
from tilt100.plumbing.errors import MachineFault, NothingAttempted, machine_fault
from tilt100.plumbing.heads import OLE_MAGIC, PDF_MAGIC, ZIP_MAGIC, describe_head
from tilt100.plumbing.lock import exclusive, lock_path
from tilt100.plumbing.progress import Progress
from tilt100.plumbing.sql import identifier, literal

__all__ = [
    "OLE_MAGIC",
    "PDF_MAGIC",
    "ZIP_MAGIC",
    "MachineFault",
    "NothingAttempted",
    "Progress",
    "WarehouseError",
    "WarehouseInUse",
    "WarehouseNotBuilt",
    "WarehouseUnusable",
    "check_built",
    "check_file",
    "check_warehouse",
    "checkpoint",
    "describe_head",
    "die_with_parent",
    "drop_least_used",
    "durable",
    "exclusive",
    "identifier",
    "literal",
    "lock_path",
    "machine_fault",
    "no_other_writer",
    "quoted",
    "recover_swap",
    "swap_in",
    "wal_asides",
    "wal_of",
    "warehouse_error",
    "write_whole",
]
