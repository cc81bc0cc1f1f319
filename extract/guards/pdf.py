"""A PDF's guards: it is whole (ends with %%EOF), and no page inflates past TILT100_MAX_PAGE_MB."""

from __future__ import annotations

import zlib
from pathlib import Path

from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFObjRef, PDFStream
from pdfminer.psparser import LIT

from extract.errors import ExtractError
from extract.limits import MB, Limits
from tilt100.settings import MAX_PAGE_MB

EOF_MARKER = b"%%EOF"
EOF_WINDOW = 1 << 16  # bytes read at a time from the end while looking for it
# Links a page's resources may hold back up the page tree: never followed.
_UPWARD_KEYS = frozenset({"Parent", "P"})
_IMAGE = LIT("Image")  # images are never inflated by the extractor


def check_pdf(path: Path, limits: Limits) -> None:
    """A PDF cut off (a download stopped half-way) lacks its closing %%EOF.

    Bytes after the last %%EOF (padding a tool or a transfer added) are no
    sign of a cut: the document is then read as usual, and decides.
    """
    size = path.stat().st_size
    with path.open("rb") as handle:
        end = size
        while end > 0:  # from the end, in windows that overlap by the marker's length
            handle.seek(max(0, end - EOF_WINDOW))
            if EOF_MARKER in handle.read(min(end, EOF_WINDOW)):
                return
            end -= EOF_WINDOW - len(EOF_MARKER)
    raise ExtractError(path.name, None, "a complete PDF (ending with %%EOF)", f"{size} bytes that stop short of it")


def _inflate(data: bytes, limit: int) -> bytes | None:
    """`data` inflated, or None when that is more than `limit` bytes (never holding more)."""
    inflater = zlib.decompressobj()
    out = bytearray()
    try:
        while data and len(out) <= limit:
            out += inflater.decompress(data, limit + 1 - len(out))
            data = inflater.unconsumed_tail
    except zlib.error:
        pass  # corrupt: pdfminer reads what it can
    return None if len(out) > limit else bytes(out)


def _stream_size(stream: PDFStream, limit: int) -> int:
    """A stream's size as pdfminer would inflate it; more than `limit` if it is bigger."""
    data = stream.rawdata if stream.rawdata is not None else stream.data or b""
    if stream.rawdata is not None and stream.decipher is not None and stream.objid is not None:
        data = stream.decipher(stream.objid, stream.genno or 0, data, stream.attrs)
    for name, _ in stream.get_filters() if stream.rawdata is not None else []:
        if name not in LITERALS_FLATE_DECODE:
            break
        inflated = _inflate(data, limit)
        if inflated is None:
            return limit + 1
        data = inflated
    return len(data)


def check_page_content(
    contents: list[object], resources: object, file_name: str, page: int, limit: int, sizes: dict[int, int]
) -> None:
    """Refuse a page whose streams (content, forms, fonts; not images) inflate to more than `limit` bytes.

    `sizes` caches each stream's size by object number across the pages of a file.
    """
    total = 0
    seen: set[int] = set()
    todo: list[object] = [*contents, resources]
    while todo:
        obj = todo.pop()
        objid: int | None = None
        if isinstance(obj, PDFObjRef):
            objid = obj.objid
            if objid in seen:
                continue
            seen.add(objid)
            obj = obj.resolve()
        if isinstance(obj, PDFStream):
            if obj.attrs.get("Subtype") is _IMAGE:
                continue
            if objid is None:
                total += _stream_size(obj, limit)
            else:
                if objid not in sizes:
                    sizes[objid] = _stream_size(obj, limit)
                total += sizes[objid]
            if total > limit:
                found = "more (a decompression bomb?)"
                expected = f"a page that inflates to at most {limit / MB:g} MB ({MAX_PAGE_MB.env})"
                raise ExtractError(file_name, page, expected, found)
            obj = obj.attrs
        if isinstance(obj, dict):
            todo.extend(v for k, v in obj.items() if k not in _UPWARD_KEYS)
        elif isinstance(obj, list):
            todo.extend(obj)
