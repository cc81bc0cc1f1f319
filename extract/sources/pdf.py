"""Source adapter for TILT100 PDFs: a page's printed characters as lines of cells.

Two text layers locate the characters; both give the same cells:

- ``pdfium`` (default): pypdfium2, PDFium's text layer (a C library, and a
  dependency of pdfplumber already). Several times faster than pdfplumber.
- ``pdfplumber``: the reference path, pdfplumber's ``page.chars`` (pdfminer).
  ``python -m extract --text-layer pdfplumber`` reads with it; the test suite
  checks that both layers give the same cells on every page of the replicas.

Either way the file's structure is checked with pdfminer before a page is read:
it is complete, not encrypted, has at most so many pages, and no page inflates
beyond the limit (``extract.limits``). A PDF with an owner password but none to
open it (the author's permissions: no copying, no printing, even /P 0) is read:
anyone can open it, and the permissions ask viewers, not readers, to hold back.

Either layer's characters are turned so most of a page's text runs left to
right (`_upright`): a page shown rotated (/Rotate, which pdfminer applies and
PDFium does not), or a table drawn rotated on it, reads as if printed upright,
the same through both layers.

Either layer only gives characters with their boxes, baselines and font sizes;
one grouping (`_lines`) makes lines and cells of them by geometry alone, so it
does not matter how a producer drew its text (per glyph, word or line, with
spaces drawn or not): characters on one baseline (within LINE_TOLERANCE) make a
line, whatever their size (a 13 pt title beside a 9 pt date); a gap wider than
WORD_GAP_EM of the font size separates words, one wider than CELL_GAP_EM
separates cells, so "15 Møre og" is one cell and "79\u00a0696" another. Text
is normalised alike from both layers (`normalise`: NFC, ligatures as letters).
Every cell keeps its x-range, which the row parser uses to put figures under
their column headers.
"""

from __future__ import annotations

import ctypes
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Literal, NamedTuple

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.pdfdocument import PDFEncryptionError, PDFStandardSecurityHandler
from pdfminer.pdftypes import resolve1, uint_value
from pdfminer.psexceptions import PSEOF
from pdfplumber.utils.exceptions import PdfminerException

from extract.errors import ExtractError
from extract.guards.pdf import check_page_content
from extract.limits import Limits
from extract.model import Cell, Line

TextLayer = Literal["pdfium", "pdfplumber"]
TEXT_LAYERS: tuple[TextLayer, ...] = ("pdfium", "pdfplumber")
DEFAULT_TEXT_LAYER: TextLayer = "pdfium"

# Gaps between characters, as a share of the font size (em). A word space is
# 0.25-0.32 em in the fonts reports print with, a narrow no-break space or a
# thin space about 0.2 em; kerning moves letters by a few hundredths.
WORD_GAP_EM = 0.1  # a wider gap separates words, whether or not a space was drawn in it
CELL_GAP_EM = 0.45  # a wider gap separates cells: "15 Møre og" is one cell, "79\u00a0696" another
# Characters whose baselines lie closer than this (points) share a line.
LINE_TOLERANCE = 2.0
# Characters drawn twice at one spot (a producer's fake bold) count once.
SAME_SPOT = 0.5
# A character drawn this far left of where the one drawn before it starts (more
# than kerning moves letters; a ligature's letters share one box) starts a new
# stroke: text drawn over other text (a spreadsheet title running under the
# cell beside it) stays apart from it.
OVERLAP_EM = 0.2
# PDFium reports a hyphen that ends a printed line ("3414 Nord-") as a soft-hyphen mark.
PDFIUM_HYPHENS = {"\x02": "-", "\ufffe": "-"}


def _permissions_in_range() -> None:
    """pdfminer reads the permissions /P 0 as 2**32, which its key derivation cannot pack: such a file (PDFium opens
    it) would fail with "'L' format requires 0 <= number <= 4294967295". Masked to the 32 bits the PDF spec gives P,
    for as long as pdfminer has the bug (`uint_value(0, 32)` is 0 once it is fixed there)."""
    if uint_value(0, 32) <= 0xFFFF_FFFF:
        return
    init_params = PDFStandardSecurityHandler.init_params

    def init_params_in_range(self: PDFStandardSecurityHandler) -> None:
        init_params(self)
        self.p &= 0xFFFF_FFFF

    PDFStandardSecurityHandler.init_params = init_params_in_range  # type: ignore[method-assign]


_permissions_in_range()


class _Char(NamedTuple):
    text: str  # as the text layer maps the glyph (a ligature may be two letters)
    x0: float
    x1: float
    top: float
    baseline: float  # points from the page top: what decides a line
    size: float  # the font size as drawn (points): what gaps are measured against
    order: int  # the order drawn (the page's content stream)


class _Glyph(NamedTuple):
    """A character where a layer found it (y downwards from the page's top), before `_upright`.

    PDFium gives the page's own space; pdfminer the page as shown, turned by its /Rotate.
    The PDFium path builds these fields as a plain tuple (`_GlyphFields`): a NamedTuple's
    constructor is a Python call, a tenth of the time of a page's characters.
    """

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    x: float  # the glyph's origin
    y: float
    size: float  # the font size as drawn, whichever way the glyph runs
    order: int
    turn: int  # quarter turns (counter-clockwise) its text runs at: 0 left to right, 1 upwards, 2, 3 downwards


def quarter_turns(a: float, b: float) -> int:
    """Which way a glyph with text matrix (a b ...) runs, in quarter turns counter-clockwise (PDF's y upwards)."""
    if b == 0 and a > 0:  # upright, as nearly every glyph is: no trigonometry
        return 0
    return round(math.degrees(math.atan2(b, a)) / 90) % 4


# `_Glyph`'s fields in its order, as the PDFium path builds them.
_GlyphFields = tuple[str, float, float, float, float, float, float, float, int, int]


def _upright(glyphs: Sequence[_GlyphFields], width: float, height: float) -> list[_Char]:
    """The glyphs turned so the way most of them run is left to right: each layer gives the same characters.

    A page's text usually runs left to right and is left as it is. Text that
    runs up or down the page (a wide table drawn turned on a tall page; any page
    pdfminer reads with a /Rotate of 90 or 270) is turned a quarter, upside down
    text a half: the page then reads as printed upright, whichever layer read it.
    """
    counts = Counter(turn for text, *_, turn in glyphs if text.strip())
    turn = max(counts, key=lambda t: (counts[t], t == 0)) if counts else 0

    def place(x: float, y: float) -> tuple[float, float]:  # a point of the page, turned by -turn quarters
        if turn == 1:
            return height - y, x
        if turn == 2:
            return width - x, height - y
        if turn == 3:
            return y, width - x
        return x, y

    if turn == 0:  # upright already, as nearly every page is: the glyphs as they are
        return [
            _Char(
                text,
                x0 if x0 <= x1 else x1,
                x1 if x1 >= x0 else x0,
                top if top <= bottom else bottom,
                y,
                size,
                order,
            )
            for text, x0, x1, top, bottom, _, y, size, order, _ in glyphs
        ]
    chars = []
    for text, x0, x1, top, bottom, x, y, size, order, _ in glyphs:
        (ax, ay), (bx, by) = place(x0, top), place(x1, bottom)
        _, baseline = place(x, y)
        chars.append(_Char(text, min(ax, bx), max(ax, bx), min(ay, by), baseline, size, order))
    return chars


def normalise(text: str) -> str:
    """One spelling of a text, whichever layer read it: NFC, ligatures as their letters ("\ufb01" -> "fi"),
    a no-break space as a space.

    A font may draw a space and a no-break space with one glyph, and then the
    layers disagree on which was printed (pdfminer follows the file's ToUnicode
    map, PDFium reads U+0020): "79\u00a0696" reads "79 696" from either. The
    narrow no-break space (U+202F) and the thin space (U+2009) stay what they are.
    Compatibility forms are unfolded only for ligatures (U+FB00-U+FB06).
    """
    if text.isascii():  # nothing to fold: no ligature, no no-break space, NFC already
        return text
    text = _LIGATURES.sub(lambda m: unicodedata.normalize("NFKC", m[0]), text).replace(NO_BREAK_SPACE, " ")
    return unicodedata.normalize("NFC", text)


_LIGATURES = re.compile("[\ufb00-\ufb06]")
NO_BREAK_SPACE = "\u00a0"


def plumber_page_lines(page: pdfplumber.page.Page) -> list[Line]:
    """The lines of a page, top to bottom, as cells left to right (pdfplumber, the reference path)."""
    glyphs = []
    for c in page.chars:
        a, b, *_, f = c["matrix"]
        turn = quarter_turns(a, b)
        # The glyph's origin is the text matrix's translation, in the same space as its box's y1. pdfminer's size
        # is the box's height, which for a glyph running up or down the page is its advance: its width is the size.
        y = c["top"] + (c["y1"] - f)
        size = c["size"] if turn % 2 == 0 else c["x1"] - c["x0"]
        glyphs.append(
            _Glyph(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], c["matrix"][4], y, size, len(glyphs), turn)
        )
    return _lines(_upright(glyphs, page.width, page.height))


# FPDFText_GetTextObject giving the text object's address as an int (or None), not a pointer object: which object
# drew a character is asked of every character, and a pointer's `.contents` is a Python object made each time.
_text_object_address = ctypes.CFUNCTYPE(ctypes.c_void_p, pdfium_c.FPDF_TEXTPAGE, ctypes.c_int)(
    ctypes.cast(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p).value
)


def _page_text(handle: pdfium_c.FPDF_TEXTPAGE, count: int) -> str:
    """The page's characters as one string, a code point per character index."""
    buffer = ctypes.create_string_buffer(2 * (count + 1))
    pdfium_c.FPDFText_GetText(handle, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[: 2 * count].decode("utf-16-le", errors="replace")
    if len(text) != count:  # a character outside the BMP took two code units: ask one by one
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(handle, i)) for i in range(count))
    return text


def _pdfium_chars(page: pdfium.PdfPage) -> list[_Char]:
    """Every character of a page with its box (PDFium's loose box: the font's height), turned upright (`_upright`).

    Spaces and line breaks that PDFium generated are dropped like printed ones:
    words come from the gaps (`_lines`), not from what a producer drew.
    """
    textpage = page.get_textpage()
    try:
        handle = textpage.raw
        width, height = page.get_size()
        if page.get_rotation() in (90, 270):  # PDFium gives the page's size as shown; its text is in its own space
            width, height = height, width
        count = pdfium_c.FPDFText_CountChars(handle)
        text = _page_text(handle, count)
        box, matrix = pdfium_c.FS_RECTF(), pdfium_c.FS_MATRIX()
        x, y = ctypes.c_double(), ctypes.c_double()
        loose_box, origin, get_matrix, font_size = (
            pdfium_c.FPDFText_GetLooseCharBox,
            pdfium_c.FPDFText_GetCharOrigin,
            pdfium_c.FPDFText_GetMatrix,
            pdfium_c.FPDFText_GetFontSize,
        )
        glyphs: list[_GlyphFields] = []
        # A text object's characters share its matrix and font size: asked once per object.
        drawn_by, size, turn = None, 0.0, 0
        for i, char in enumerate(text):
            if char.isspace() and pdfium_c.FPDFText_IsGenerated(handle, i) == 1:
                continue  # inserted by PDFium, not printed
            loose_box(handle, i, box)
            origin(handle, i, x, y)
            obj = _text_object_address(handle, i)  # None: PDFium knows of none
            if obj is None or obj != drawn_by:
                get_matrix(handle, i, matrix)
                size = font_size(handle, i) * abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
                turn = quarter_turns(matrix.a, matrix.b)
                drawn_by = obj
            printed = PDFIUM_HYPHENS.get(char, char)
            top, bottom = height - box.top, height - box.bottom
            glyphs.append((printed, box.left, box.right, top, bottom, x.value, height - y.value, size, i, turn))
        return _upright(glyphs, width, height)
    finally:
        textpage.close()


def pdfium_page_lines(page: pdfium.PdfPage) -> list[Line]:
    """The lines of a page, top to bottom, as cells left to right (PDFium)."""
    return _lines(_pdfium_chars(page))


def _by_baseline(chars: list[_Char]) -> list[list[_Char]]:
    """Characters into lines: baselines within LINE_TOLERANCE, whatever their size (a 13 pt title, a 9 pt date)."""
    lines: list[list[_Char]] = []
    for char in sorted(chars, key=lambda c: (round(c.baseline, 1), c.x0)):
        if lines and abs(lines[-1][0].baseline - char.baseline) <= LINE_TOLERANCE:
            lines[-1].append(char)
        else:
            lines.append([char])
    return lines


def _strokes(line: list[_Char]) -> list[list[_Char]]:
    """A line's characters in the order drawn, cut where the pen goes back left of what it drew last.

    A stroke drawn again over an earlier one (the same text at the same spot: a
    producer's bold) counts once.
    """
    strokes: list[list[_Char]] = []
    last: _Char | None = None
    for char in sorted(line, key=_drawn):
        if not char.text.strip():
            if strokes:
                strokes[-1].append(char)  # white space: kept where drawn, it may be a separator
            continue
        if last is None or char.x0 < last.x0 - OVERLAP_EM * (char.size if char.size > last.size else last.size):
            strokes.append([char])
        else:
            strokes[-1].append(char)
        last = char
    if len(strokes) < 2:
        return strokes
    kept: list[list[_Char]] = []
    seen: list[tuple[str, float]] = []
    for stroke in strokes:
        text, x0 = "".join(c.text for c in stroke), stroke[0].x0
        if not any(text == t and abs(x0 - x) < SAME_SPOT for t, x in seen):
            kept.append(stroke)
            seen.append((text, x0))
    return kept


def _drawn(char: _Char) -> int:
    return char.order


def _cells(line: list[_Char]) -> list[Cell]:
    """A line's characters left to right into cells, words and letters by the gaps between them.

    White space a producer drew is not trusted to separate words (some draw none,
    PDFium may call drawn ones generated): a gap wider than WORD_GAP_EM of the
    font size is a word space, kept as the character drawn in it (a narrow
    no-break space in "79\u202f696") or else a plain space; wider than
    CELL_GAP_EM, a new cell. A stroke drawn over another (`_strokes`) is a cell
    of its own.
    """
    texts: list[list[str]] = []
    boxes: list[list[_Char]] = []
    last: _Char | None = None
    space: str | None = None  # the white space drawn since `last`, if any
    for stroke in sorted(_strokes(line), key=lambda s: s[0].x0):
        first = True
        for char in stroke:
            if not char.text.strip():
                space = space or char.text or None
                continue
            if last is None:
                texts.append([char.text])
                boxes.append([char])
            else:
                em = char.size if char.size > last.size else last.size
                gap = char.x0 - last.x1
                if gap > CELL_GAP_EM * em or (first and gap < -OVERLAP_EM * em):
                    texts.append([char.text])
                    boxes.append([char])
                else:
                    if gap > WORD_GAP_EM * em:
                        texts[-1].append(space or " ")
                    texts[-1].append(char.text)
                    boxes[-1].append(char)
            last, space, first = char, None, False
    cells = []
    for text, chars in zip(texts, boxes, strict=True):
        # PDFium's coordinates are single-precision floats: kept to a thousandth of a point.
        x0, x1, top = chars[0].x0, chars[0].x1, chars[0].top
        for c in chars:
            if c.x1 > x1:
                x1 = c.x1
            if c.top < top:
                top = c.top
        cells.append(Cell(normalise("".join(text)), round(x0, 3), round(x1, 3), round(top, 3)))
    return cells


def _lines(chars: list[_Char]) -> list[Line]:
    """A page's characters as lines (by baseline) of cells (by gaps), top to bottom."""
    return [Line(tuple(cells)) for line in _by_baseline(chars) if (cells := _cells(line))]


def _unreadable(file_name: str, page: int | None, error: Exception) -> ExtractError:
    """pdfminer's error (wrapped by pdfplumber) or PDFium's, as what the user sees."""
    cause = error.args[0] if isinstance(error, PdfminerException) and error.args else error
    if isinstance(cause, PDFEncryptionError):
        return ExtractError(file_name, page, "a PDF without a password", "a password-protected (encrypted) PDF")
    if isinstance(cause, PSEOF):
        return ExtractError(file_name, page, "a complete PDF", "the file ends early (truncated?)")
    return ExtractError(file_name, page, "a readable PDF", f"{type(cause).__name__}: {cause}")


# A page as `pdf_page_reads` gives it: its lines, the refusal of it, or None for a page not asked for.
PageRead = list[Line] | ExtractError | None


def pdf_pages(
    path: Path, limits: Limits | None = None, text_layer: TextLayer = DEFAULT_TEXT_LAYER
) -> Iterator[list[Line]]:
    """Yield the lines of each page of a PDF, releasing each page after use; the first page refused raises.

    The page count comes from the page tree before any page is read, and each
    page's streams are measured before they are inflated (`limits`).
    """
    for read in pdf_page_reads(path, limits, text_layer):
        if isinstance(read, ExtractError):
            raise read
        assert read is not None
        yield read


def pdf_page_reads(
    path: Path, limits: Limits | None = None, text_layer: TextLayer = DEFAULT_TEXT_LAYER, only: int | None = None
) -> Iterator[PageRead]:
    """Each page of a PDF in order: its lines, or the ExtractError that refused it (the next page is still read).

    `only`: that page is read, every other one given as None, unread (``explain
    --page N`` explains page N, whatever is wrong with the pages before it). A
    file that cannot be opened at all raises ExtractError.
    """
    if text_layer not in TEXT_LAYERS:
        raise ValueError(f"text layer must be one of {', '.join(TEXT_LAYERS)}, not {text_layer!r}")
    limits = limits or Limits.from_env()
    # The stream is ours to close: pdfplumber's close() would first build every page.
    with path.open("rb") as stream:
        try:
            pdf = pdfplumber.open(stream)
            count = int(resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"]))
        except Exception as error:
            raise _unreadable(path.name, None, error) from None
        limits.check_page_count(path.name, count)
        try:
            pages = pdf.pages
            document = pdfium.PdfDocument(path) if text_layer == "pdfium" else None
        except Exception as error:
            raise _unreadable(path.name, None, error) from None
        try:
            if document is not None and len(document) != len(pages):
                found = f"{len(document)} pages to PDFium, {len(pages)} to pdfminer"
                raise ExtractError(path.name, None, "a PDF whose page tree reads alike", found)
            sizes: dict[int, int] = {}  # streams measured already (`check_page_content`): pages share fonts
            for number, page in enumerate(pages, start=1):
                try:
                    if only is None or number == only:
                        yield _read_page(path.name, number, page, document, limits, sizes)
                    else:
                        yield None
                except ExtractError as refusal:
                    yield refusal
                finally:
                    page.close()
        finally:
            if document is not None:
                document.close()


def _read_page(
    file_name: str,
    number: int,
    page: pdfplumber.page.Page,
    document: pdfium.PdfDocument | None,
    limits: Limits,
    sizes: dict[int, int],
) -> list[Line]:
    """One page's lines, through PDFium (`document`) or pdfplumber; ExtractError for a page that cannot give them."""
    try:
        obj = page.page_obj
        check_page_content(obj.contents, obj.resources, file_name, number, limits.page_bytes, sizes)
        if document is None:
            lines = plumber_page_lines(page)
        else:
            pdfium_page = document[number - 1]
            try:
                lines = pdfium_page_lines(pdfium_page)
            finally:
                pdfium_page.close()
    except ExtractError:
        raise
    except Exception as error:
        raise _unreadable(file_name, number, error) from None
    if not lines:
        found = f"{len(page.images)} image(s) and no text (a scan?)" if page.images else "no text"
        raise ExtractError(file_name, number, "text on the page (a text layer)", found)
    return lines
