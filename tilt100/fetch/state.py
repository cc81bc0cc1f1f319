"""What was fetched, in a JSON file beside the folder (``data/fetched.state.json``).

``files``: one entry per version kept (URL, file name as linked, local file, ETag,
Last-Modified, size, SHA-256, time fetched, status ``fetched`` / ``loaded`` /
``quarantined``, error). ``urls``: the validators last answered per URL, for the
next run's conditional GET. ``pages``: how many TILT100 links each page had, so a
page that loses them is an error, not "nothing new". Written whole to a temporary
file and renamed over the old one.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

VERSION = 1


class StateError(Exception):
    """The state file cannot be read."""


class State:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.pages: dict[str, dict[str, Any]] = {}
        self.urls: dict[str, dict[str, Any]] = {}
        self.files: list[dict[str, Any]] = []
        if path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if data.get("version") != VERSION:
                    raise ValueError(f"version {data.get('version')!r}, expected {VERSION}")
                self.pages, self.urls, self.files = data["pages"], data["urls"], data["files"]
            except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
                raise StateError(f"state file {path} unreadable: {error}") from None

    def known_sha256(self, sha256: str) -> dict[str, Any] | None:
        return next((f for f in self.files if f["sha256"] == sha256), None)

    def pending(self) -> list[dict[str, Any]]:
        """Files fetched but neither loaded nor quarantined yet."""
        return [f for f in self.files if f["status"] == "fetched"]

    def forget(self, entry: dict[str, Any]) -> None:
        """Drop a file's entry, and the validators that answer for its bytes (a 304 would keep it lost)."""
        self.files.remove(entry)
        self.urls = {url: v for url, v in self.urls.items() if v.get("sha256") != entry["sha256"]}

    def temp_files(self) -> list[Path]:
        """What `save` writes before its rename: left behind only by a run that was killed mid-save."""
        return sorted(self.path.parent.glob(f".{self.path.name}.*.tmp"))

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": VERSION, "pages": self.pages, "urls": self.urls, "files": self.files}
        fd, name = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, indent=2, ensure_ascii=False)
                out.write("\n")
                out.flush()
                os.fsync(out.fileno())
            Path(name).replace(self.path)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
