"""pdfplumber's characters of a PDF kept in the machine's cache, for the tests that read many PDFs on both layers.

Reading a report through pdfplumber, the reference text layer, costs some seven times what PDFium
does (3.5 s of CPU against 0.5 s for a synthetic year), nearly all of it in `page.chars`: pdfminer
interpreting each page's content. What `page.chars` gives depends on the file's bytes and the versions
of pdfplumber and pdfminer alone. So the two tests that compare the layers over many files
(`test_corpus`, `test_time_series`) keep it, as the corpus keeps its renderings: in
`settings.cache_dir()/pdfplumber`, a file per PDF named by its SHA-256, those versions and Python's.
Everything else runs as always, through pdfplumber where the extractor uses it (the page tree, each
page's content measured before it is read) and through the extractor (lines and cells of the
characters, rows of the lines); a new pdfplumber or pdfminer reads afresh. The other tests of the
pdfplumber layer (`test_pdf_variants`, `test_pdf_replica`, `test_load`, `test_limits`) keep none.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path

import pdfminer
import pdfplumber
from pdfplumber.page import Page

from tilt100.plumbing import drop_least_used, write_whole
from tilt100.settings import cache_dir

KEPT = 200  # files kept, the ones used last: the suite reads some forty PDFs on both layers

Chars = dict[int, list[dict]]  # page number: pdfplumber's `page.chars`


def cache_file(path: Path) -> Path:
    """Where the characters of the PDF at `path` are kept: by its bytes and the versions that read them."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    python = f"py{sys.version_info[0]}{sys.version_info[1]}"  # marshal's format is Python's
    versions = f"pdfplumber{pdfplumber.__version__}-pdfminer{pdfminer.__version__}-{python}"
    return cache_dir() / "pdfplumber" / f"{digest}-{versions}.marshal.z"


@contextlib.contextmanager
def kept_chars(path: Path) -> Iterator[None]:
    """Within the block, `page.chars` of a page of the PDF at `path` come from the cache if kept, else from
    pdfplumber (and are kept at the block's end). Pages of other files are pdfplumber's as always."""
    file = cache_file(path)
    kept = _load(file)
    new: Chars = {}
    this = path.resolve()
    assert "chars" not in Page.__dict__, "kept_chars blocks do not nest"
    pdfplumbers = Page.chars  # the property pdfplumber's Container defines

    def chars(page: Page) -> list[dict]:
        name = getattr(page.pdf.stream, "name", None)
        if not isinstance(name, str) or Path(name).resolve() != this:
            return pdfplumbers.fget(page)
        if page.page_number not in kept:
            kept[page.page_number] = new[page.page_number] = pdfplumbers.fget(page)
        return kept[page.page_number]

    Page.chars = property(chars)  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        del Page.chars
        if new:
            _save(file, kept)


def _load(file: Path) -> Chars:
    """The characters kept in `file`, marked as used; none if it is missing or not what `_save` writes."""
    try:
        chars = marshal.loads(zlib.decompress(file.read_bytes()))
        os.utime(file)
    except (OSError, ValueError, EOFError, TypeError, zlib.error):
        return {}
    well_formed = isinstance(chars, dict) and all(
        isinstance(n, int) and isinstance(page, list) and all(isinstance(c, dict) for c in page)
        for n, page in chars.items()
    )
    return chars if well_formed else {}


def _save(file: Path, chars: Chars) -> None:
    """Write `file` whole or not at all, then drop all but the KEPT files used last."""
    with contextlib.suppress(OSError):
        write_whole(file, zlib.compress(marshal.dumps(chars), 1))
        drop_least_used(file.parent, "*.marshal.z", KEPT)
