"""Greedy word wrap into a fixed column width, as NAV's narrow label column does.

Rules (they reproduce every wrapped label of NAV's January 2026 report with
Helvetica 9 pt in a 63.3 pt column):

- words are separated by spaces and filled greedily onto a line;
- a word that does not fit the rest of a line may break after one of its
  hyphens ("3414 Nord-" / "Odal");
- a word wider than the column starts a new line and is broken mid-word at
  the longest prefix that fits ("Nåavmesjenjae" / "lmie").
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.pdfbase.pdfmetrics import stringWidth


def _hyphen_break(word: str, fits: Callable[[str], bool], lead: str = "") -> int | None:
    """The longest prefix of `word` ending in a hyphen that fits after `lead`, as a length."""
    for end in range(len(word) - 1, 1, -1):
        if word[end - 1] == "-" and fits(lead + word[:end]):
            return end
    return None


def _forced_break(word: str, fits: Callable[[str], bool]) -> int:
    """Where to break a word too wide for the column: after a hyphen, else mid-word."""
    end = _hyphen_break(word, fits)
    if end is not None:
        return end
    end = len(word) - 1
    while end > 1 and not fits(word[:end]):
        end -= 1
    return end


def wrap_label(text: str, width: float, font: str, size: float, *, break_width: float | None = None) -> tuple[str, ...]:
    """Wrap `text` into lines no wider than `width` points (in `font` at `size`).

    Words wider than `break_width` (default: `width`) are broken mid-word; a
    word between `width` and `break_width` stands alone on its line. Column
    headers use this to keep "September" whole in its column while "Gjennom"
    / "snitt hittil" / "i år" wrap as NAV's do.
    """

    def fits(line: str) -> bool:
        return stringWidth(line, font, size) <= width

    limit = width if break_width is None else break_width
    words = [word for word in text.split(" ") if word]
    lines: list[str] = []
    current = ""
    while words:
        word = words[0]
        if not current:
            if stringWidth(word, font, size) <= limit:
                current = words.pop(0)
                continue
            end = _forced_break(word, fits)
            lines.append(word[:end])
            words[0] = word[end:]
            continue
        if fits(f"{current} {word}"):
            current = f"{current} {words.pop(0)}"
            continue
        end = _hyphen_break(word, fits, f"{current} ")
        if end is not None:
            lines.append(f"{current} {word[:end]}")
            words[0] = word[end:]
        else:
            lines.append(current)
        current = ""
    if current:
        lines.append(current)
    return tuple(lines)
