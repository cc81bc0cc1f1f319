"""Page geometry of the replica: A4 landscape, NAV's narrow label column.

Coordinates here are points from the page's top-left corner (as pdfplumber
reports them); the renderer flips them for reportlab. A text line's `y` is
its baseline.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase.pdfmetrics import stringWidth

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)  # 841.89 x 595.28
FONT = "Helvetica"
FONT_SIZE = 9.0
LEADING = 11.0  # baseline to baseline within a label, a header, the prose

MARGIN_LEFT = 28.0
MARGIN_RIGHT = 28.0
# The label column: wrapping at this width reproduces all of NAV's wrapped labels.
LABEL_WIDTH = 63.3
# From the label column's right edge to the left edge of the first figure column.
LABEL_GAP = 15.0
FIGURE_WIDTH = 45.0  # each figure column: widest figure or header line it holds
COLUMN_GAP = 10.0  # between neighbouring figure columns
COLUMN_PITCH = FIGURE_WIDTH + COLUMN_GAP
# Header text wraps at this width ("Gjennom" / "snitt hittil" / "i år", as NAV);
# a single word up to FIGURE_WIDTH ("September") stays whole.
HEADER_WRAP = 38.0
MAX_LABEL_LINES = 3  # NAV clips a wrapped label after its third line

SOURCE_Y = 36.0  # "Kilde: NAV TILT100 ..."
TITLE_Y = 52.0  # table title, and "Rapport oppdatert: ..." at the right
PERIOD_Y = 66.0  # "Januar 2026 - Januar 2026"
BODY_TOP = 84.0  # top of the first block's header
FOOTER_Y = 575.0  # "Side X av Y", "Kilde: NAV", "Fotnote"
BODY_BOTTOM = 556.0  # nothing of a block below this
FOOTER_SOURCE_X = MARGIN_LEFT + 90.0
FOOTER_NOTE_X = MARGIN_LEFT + 160.0

HEADER_GAP = 6.0  # below the last header line, above the first row's top
ROW_GAP = 26.0  # white space below a row's last line: about 12 one-line rows a page, as NAV
BLOCK_GAP = 14.0  # above the header of a block that does not open the page
ASCENT = 7.0  # a line's top is this far above its baseline (9 pt Helvetica caps)


@dataclass(frozen=True)
class Columns:
    """Where a table's label and figure columns stand (x, points from the left)."""

    label_width: float
    count: int

    @property
    def label_x0(self) -> float:
        return MARGIN_LEFT

    @property
    def label_x1(self) -> float:
        return MARGIN_LEFT + self.label_width

    def figure_x0(self, index: int) -> float:
        return self.label_x1 + LABEL_GAP + index * COLUMN_PITCH

    def figure_x1(self, index: int) -> float:
        """Right edge of figure column `index` (0-based): figures end here."""
        return self.figure_x0(index) + FIGURE_WIDTH

    def check_fits(self) -> None:
        right = self.figure_x1(self.count - 1)
        if right > PAGE_WIDTH - MARGIN_RIGHT:
            raise ValueError(
                f"{self.count} figure columns after a {self.label_width:.1f} pt label column end at "
                f"x={right:.1f}, past the right margin at {PAGE_WIDTH - MARGIN_RIGHT:.1f}"
            )


def text_width(text: str) -> float:
    return stringWidth(text, FONT, FONT_SIZE)


def columns_for(label_lines: list[tuple[str, ...]], count: int) -> Columns:
    """A table's columns: the label column widens for lines printed wider (NAV's first table)."""
    widest = max((text_width(line) for lines in label_lines for line in lines), default=0.0)
    columns = Columns(max(LABEL_WIDTH, widest), count)
    columns.check_fits()
    return columns
