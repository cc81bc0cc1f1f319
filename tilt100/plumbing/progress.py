"""Progress for long loads: a live line per page in a terminal, plain lines elsewhere."""

from __future__ import annotations

import sys
from typing import TextIO


class Progress:
    """Says which file of how many is being read and, in a terminal, which page.

    In a terminal the page count is rewritten in place on one line; in CI or a
    log (not a TTY) only the finished files are printed, one plain line each.
    """

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total = total
        self.stream = stream or sys.stdout
        self.live = self.stream.isatty()
        self.number = 0
        self.name = ""

    @property
    def step(self) -> str:
        return f"[{self.number}/{self.total}]"

    def start(self, number: int, name: str) -> None:
        self.number, self.name = number, name
        if self.live:
            self._rewrite(f"{self.step} reading {name}")

    def page(self, page: int) -> None:
        if self.live:
            self._rewrite(f"{self.step} reading {self.name}: page {page}")

    def say(self, message: str, stream: TextIO | None = None) -> None:
        """A finished step: one line that stays."""
        if self.live:
            self._rewrite("")
            self.stream.write("\r")
        print(f"{self.step} {message}", file=stream or self.stream, flush=True)

    def _rewrite(self, text: str) -> None:
        self.stream.write("\r\033[K" + text)
        self.stream.flush()
