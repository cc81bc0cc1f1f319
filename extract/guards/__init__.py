"""Each format's guards: what a file may cost, checked before it is parsed (the registry in
``extract/formats.py`` names each format's guard; the limits are ``extract.limits.Limits``).

A guard refuses with ExtractError naming the file, the place and the limit; it never reads more
than the limit to find out. The checks every format shares (page count, time) are ``Limits``' own.
"""

from __future__ import annotations

from pathlib import Path

from extract.guards.pdf import check_page_content, check_pdf
from extract.guards.workbook import check_workbook
from extract.limits import Limits


def check_text_export(path: Path, limits: Limits) -> None:
    """A text export no bigger than TILT100_MAX_FILE_MB (its lines are bounded as they are read)."""
    limits.check_file_size(path.name, path.stat().st_size, "a text export")


__all__ = ["check_page_content", "check_pdf", "check_text_export", "check_workbook"]
