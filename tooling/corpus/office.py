"""LibreOffice, headless: a workbook printed to PDF, or saved again as .xlsx.

Each run has a profile of its own (``-env:UserInstallation``), so parallel
runs do not wait for one another's lock.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


def convert(source: Path, target_format: str, out: Path) -> None:
    """``soffice --convert-to target_format`` of `source`, written to `out`."""
    work = Path(tempfile.mkdtemp(prefix="corpus-soffice-"))
    try:
        command = [
            "soffice",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            target_format,
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
        produced = work / "out" / f"{source.stem}.{target_format.split(':')[0]}"
        if done.returncode != 0 or not produced.exists():
            raise RuntimeError(f"soffice failed ({done.returncode}): {done.stdout[-1000:]} {done.stderr[-1000:]}")
        shutil.move(produced, out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
