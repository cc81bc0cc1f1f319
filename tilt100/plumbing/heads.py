"""What a file is, by its first bytes: words for a message about an input or a warehouse file."""

from __future__ import annotations

# The first bytes of the files the project reads or meets, each written here once.
PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"  # a workbook (.xlsx) is a ZIP archive
OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # an encrypted (password-protected) Office file
# What a file that is not a report often is, by its first bytes.
KNOWN_HEADS = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (ZIP_MAGIC, "a ZIP archive (an Office file?)"),
    (OLE_MAGIC, "an old or encrypted Office file"),
    (b"<!doctype html", "an HTML page (a web error page saved as a file?)"),
    (b"<html", "an HTML page (a web error page saved as a file?)"),
    (b"<?xml", "an XML file"),
    (b"{", "JSON or other text"),
)


def describe_head(head: bytes) -> str:
    """What a file's first bytes say it is, for a message."""
    if not head:
        return "an empty file (0 bytes)"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    for magic, kind in KNOWN_HEADS:
        if start.startswith(magic.lower()):
            return f"{kind}, starting {head[:8]!r}"
    return f"a file starting {head[:8]!r}"
