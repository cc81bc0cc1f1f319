"""Files in the machine's cache (`settings.cache_dir`): written whole or not at all, the least used dropped.

What is kept there (dbt's parses, its compiled templates, the tests' pdfplumber characters) is a
speed-up, never needed: a reader sees the old file or the new one, never a part of one, and a folder
keeps the files used last (a file is used when it is written, or touched by `os.utime`).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def write_whole(path: Path, data: bytes) -> None:
    """`data` into `path` by a rename; OSError (a full disk, a read-only cache) leaves no part behind."""
    part = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        part.write_bytes(data)
        os.replace(part, path)
    finally:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)


def drop_least_used(folder: Path, pattern: str, kept: int) -> None:
    """Remove all but the `kept` files of `folder` named as `pattern` that were used last."""

    def used(file: Path) -> float:
        try:
            return file.stat().st_mtime
        except FileNotFoundError:  # removed meanwhile, by another process
            return 0.0

    for file in sorted(folder.glob(pattern), key=used, reverse=True)[kept:]:
        file.unlink(missing_ok=True)
