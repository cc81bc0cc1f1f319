"""Report links on NAV's pages, found as NAV's own app finds them: anchors' hrefs and file names.

A report link is an anchor whose target's file name (the last path segment,
URL-decoded) matches NAV's own selection, ``TILT1[0-8]0`` or ``Tidsserie.*maaned``,
or ``TILT030`` (the years to 2022). Of these, the reports the warehouse reads
(``extract.reports``) are the ones to fetch: the Excel files and PDFs of TILT100
and its siblings, TILT030's Excel files. Nothing else of a page's structure is relied on.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import PurePosixPath
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from extract.formats import FORMATS, XLSX
from extract.reports import TILT100, definitions

# NAV's app selects its files by these (arbeidsmarkedstiltak-app's download script).
REPORT_NAME = re.compile(r"TILT1[0-8]0|TILT030|Tidsserie.*maaned", re.IGNORECASE)  # and TILT030, the years to 2022
# A report's code in a file name: "202601_TILT100 Tiltaksdeltakere.pdf" (not "TILT1000").
CODE = re.compile(r"(?<![A-Za-z0-9])(TILT\d{3})(?!\d)", re.IGNORECASE)
SUFFIXES = tuple(fmt.suffix for fmt in FORMATS if fmt.published)  # what NAV publishes: workbooks and PDFs
# TILT030 (the years to 2022) is read from its workbooks alone: NAV's app reads them, and its age blocks have been
# described in no other form.
WORKBOOK_SUFFIXES = (XLSX.suffix,)
LOOKED_FOR = "<a href> links to files named TILT1[0-8]0, TILT030 or Tidsserie…maaned"


@dataclass(frozen=True)
class Link:
    url: str  # absolute, query string kept, fragment dropped
    name: str  # the last path segment, URL-decoded
    page: str  # the page that links it

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix.lower()

    @property
    def report_code(self) -> str | None:
        """The report the file's name says it is ("TILT110"), if any."""
        found = CODE.search(self.name)
        return found.group(1).upper() if found else None

    @property
    def is_tilt100(self) -> bool:
        return self.report_code == TILT100.code and self.suffix in SUFFIXES

    def is_wanted(self, codes: frozenset[str]) -> bool:
        """A file to fetch: a report of `codes` the warehouse reads, in a format it reads that report from."""
        if self.report_code not in codes or self.report_code not in definitions():
            return False
        return self.suffix in (WORKBOOK_SUFFIXES if self.report_code == "TILT030" else SUFFIXES)


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(value.strip() for key, value in attrs if key == "href" and value)


def file_name(url: str) -> str:
    """The last path segment of a URL, URL-decoded."""
    return unquote(urlsplit(url).path.rsplit("/", 1)[-1])


def anchor_urls(html: str, page_url: str) -> list[str]:
    """The absolute http(s) URL of every anchor on a page, in page order (fragments dropped)."""
    parser = _Anchors()
    parser.feed(html)
    parser.close()
    urls = (urldefrag(urljoin(page_url, href)).url for href in parser.hrefs)
    return [url for url in urls if urlsplit(url).scheme in ("http", "https")]


def archive_years_linked(html: str, page_url: str, template: str, landing: str) -> set[int]:
    """The years of the archive pages (``template`` with ``{landing}`` and ``{year}``) a page links."""
    page = re.escape(template.format(landing=landing.rstrip("/"), year="{year}"))
    pattern = page.replace(re.escape("{year}"), r"(\d{4})")
    return {int(found.group(1)) for url in anchor_urls(html, page_url) if (found := re.fullmatch(pattern, url))}


def report_links(html: str, page_url: str) -> list[Link]:
    """Every report link on a page (any code), each URL once, in page order."""
    links: dict[str, Link] = {}
    for url in anchor_urls(html, page_url):
        name = file_name(url)
        if REPORT_NAME.search(name) and url not in links:
            links[url] = Link(url, name, page_url)
    return list(links.values())


def safe_stem(name: str, max_bytes: int) -> str:
    """A file name's stem fit for the local folder: no separators, control characters or leading dots.

    Cut to `max_bytes` of UTF-8, never inside a letter: file systems count a name's
    bytes (255 on ext4), and a Norwegian letter is two of them.
    """
    stem = PurePosixPath(name.replace("\\", "/").rsplit("/", 1)[-1]).stem
    stem = unicodedata.normalize("NFC", stem)  # a decomposed "å" is two code points and three bytes
    stem = re.sub(r"[\x00-\x1f\x7f/\\:]", "_", stem).strip().lstrip(".")
    stem = stem.encode("utf-8")[: max(max_bytes, 0)].decode("utf-8", "ignore").rstrip()
    return stem or "report"


def same_host(url: str, landing: str) -> bool:
    """`url` is on the landing page's host (name and port; http and https on their default ports alike)."""
    return _host(url) == _host(landing)


def _host(url: str) -> tuple[str, int | None]:
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return (parts.hostname or "").lower(), None if parts.port in (None, default) else parts.port
