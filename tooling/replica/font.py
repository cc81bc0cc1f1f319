"""The replica's font: Helvetica's metrics, with U+00A0 kept in the text layer.

NAV's figures carry U+00A0 (no-break space) as thousands separator, and the
extractor reads them with pdfplumber (pdfminer). Plain standard Helvetica
cannot carry it: reportlab's WinAnsi codec writes U+00A0 as a space (0x20),
pdfminer reads byte 0xA0 of a WinAnsiEncoding font as a space, and for the
14 standard font names pdfminer takes widths from its own table, which has
no width for U+00A0 (the digits after it would shift left by 2.5 pt).

So the replica's font is Helvetica with
- text encoded by Python's cp1252 (U+00A0 -> 0xA0; WinAnsi bytes for every
  other character),
- a /ToUnicode CMap mapping each byte to its character (0xA0 -> U+00A0),
- BaseFont /ArialMT (Arial: metric-compatible with Helvetica; not one of the
  names pdfminer has built-in widths for) with Helvetica's /Widths and a
  /FontDescriptor, not embedded: viewers draw Arial or Helvetica.
The glyph drawn for 0xA0 is a space, 278/1000 em wide everywhere.
"""

from __future__ import annotations

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfmetrics import Font, getRegisteredFontNames, registerFont

METRICS_FONT = "Helvetica"  # reportlab's metrics (AFM widths) for layout
BASE_FONT = "ArialMT"  # the PDF's /BaseFont: what pdfplumber reports as fontname
FONT_NAME = "Replica-Helvetica"  # reportlab's registered name
TEXT_CODEC = "cp1252"
# Helvetica's AFM figures, as a viewer needs them to substitute the font.
DESCRIPTOR = {
    "Flags": 32,  # nonsymbolic
    "FontBBox": (-166, -225, 1000, 931),
    "ItalicAngle": 0,
    "Ascent": 718,
    "Descent": -207,
    "CapHeight": 718,
    "XHeight": 523,
    "StemV": 88,
}
_CMAP_HEAD = """/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<00> <FF>
endcodespacerange
"""
_CMAP_TAIL = """endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


def to_unicode_cmap() -> str:
    """A ToUnicode CMap for the cp1252 bytes 0x20..0xFF (bfchar sections of at most 100)."""
    pairs = []
    for code in range(0x20, 0x100):
        try:
            char = bytes([code]).decode(TEXT_CODEC)
        except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: no character
            continue
        if code != 0x7F:
            pairs.append(f"<{code:02X}> <{ord(char):04X}>")
    sections = []
    for start in range(0, len(pairs), 100):
        chunk = pairs[start : start + 100]
        sections.append(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar\n")
    return _CMAP_HEAD + "".join(sections) + _CMAP_TAIL


def _descriptor() -> pdfdoc.PDFDictionary:
    entries: dict[str, object] = {"Type": pdfdoc.PDFName("FontDescriptor"), "FontName": pdfdoc.PDFName(BASE_FONT)}
    for key, value in DESCRIPTOR.items():
        entries[key] = pdfdoc.PDFArray(list(value)) if isinstance(value, tuple) else value
    return pdfdoc.PDFDictionary(entries)


class TextLayerFont(Font):
    """Helvetica metrics and WinAnsiEncoding; cp1252 text bytes, ToUnicode, explicit widths."""

    def __init__(self) -> None:
        super().__init__(FONT_NAME, METRICS_FONT, "WinAnsiEncoding")
        self.encName = TEXT_CODEC  # the codec reportlab encodes drawn text with

    def addObjects(self, doc: pdfdoc.PDFDocument) -> None:
        super().addObjects(doc)
        internal = doc.fontMapping[self.fontName].lstrip("/")
        pdf_font = doc.idToObject["BasicFonts"].dict[internal]
        pdf_font.BaseFont = BASE_FONT
        pdf_font.FirstChar = 0
        pdf_font.LastChar = 255
        pdf_font.Widths = pdfdoc.PDFArray(list(self.widths))
        pdf_font.FontDescriptor = doc.Reference(_descriptor(), f"FontDescriptor.{internal}")
        pdf_font.ToUnicode = doc.Reference(pdfdoc.PDFStream(content=to_unicode_cmap()), f"ToUnicode.{internal}")


def text_font() -> str:
    """The registered name of the replica's font (registered on first use)."""
    if FONT_NAME not in getRegisteredFontNames():
        registerFont(TextLayerFont())
    return FONT_NAME
