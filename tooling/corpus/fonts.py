"""The TrueType fonts the corpus prints with, and their widths for layout.

Every producer that lays text out itself (Chromium's HTML, fpdf2, the
LibreOffice workbook) is given lines already wrapped by ``replica.wrap``,
measured here with reportlab's reading of the same TTF file the producer
embeds, so a planned line fits its column whatever the producer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase.pdfmetrics import registerFont, stringWidth
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path("/usr/share/fonts/truetype")


@dataclass(frozen=True)
class Face:
    """A font family: its CSS/LibreOffice name and its regular and bold TTF files."""

    family: str
    regular: Path
    bold: Path


FACES = {
    "dejavu-sans": Face("DejaVu Sans", FONT_DIR / "dejavu/DejaVuSans.ttf", FONT_DIR / "dejavu/DejaVuSans-Bold.ttf"),
    "dejavu-serif": Face("DejaVu Serif", FONT_DIR / "dejavu/DejaVuSerif.ttf", FONT_DIR / "dejavu/DejaVuSerif-Bold.ttf"),
    "dejavu-sans-condensed": Face(
        "DejaVu Sans Condensed",
        FONT_DIR / "dejavu/DejaVuSansCondensed.ttf",
        FONT_DIR / "dejavu/DejaVuSansCondensed-Bold.ttf",
    ),
    "liberation-sans": Face(
        "Liberation Sans",
        FONT_DIR / "liberation/LiberationSans-Regular.ttf",
        FONT_DIR / "liberation/LiberationSans-Bold.ttf",
    ),
    "liberation-serif": Face(
        "Liberation Serif",
        FONT_DIR / "liberation/LiberationSerif-Regular.ttf",
        FONT_DIR / "liberation/LiberationSerif-Bold.ttf",
    ),
}


@cache
def metrics_name(face: str, bold: bool = False) -> str:
    """The name reportlab measures `face` under (registered on first use)."""
    path = FACES[face].bold if bold else FACES[face].regular
    if not path.exists():
        raise FileNotFoundError(f"{path}: install Debian's fonts-dejavu-core fonts-dejavu-extra fonts-liberation")
    name = f"corpus-{face}{'-bold' if bold else ''}"
    registerFont(TTFont(name, str(path)))
    return name


def width(text: str, face: str, size: float, bold: bool = False) -> float:
    """Points `text` takes in `face` at `size` (no kerning: a little wider than a shaper sets it)."""
    return stringWidth(text, metrics_name(face, bold), size)
