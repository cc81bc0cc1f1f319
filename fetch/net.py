"""HTTP for the fetch: one session, timeouts, bounded retries with back-off, safe downloads.

Proxies from the environment are honoured (requests' ``trust_env``). A download is
written to a temporary name in the target folder and handed back only when it is
complete: the length announced by Content-Length, under a size limit, and first
bytes that are what its name says (``%PDF-`` or a workbook's ``PK\\x03\\x04``), so an
HTML error page served under a ``.xlsx`` name never reaches the folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

USER_AGENT = "tilt100-warehouse-fetch/0.1 (TILT100 warehouse project; monthly fetch of NAV's TILT100 reports)"
TIMEOUT = (10.0, 60.0)  # connect, read (between bytes)
MAX_BYTES = 50 * 1024 * 1024
MAGIC = {".pdf": (b"%PDF-", "a PDF"), ".xlsx": (b"PK\x03\x04", "a workbook")}
RETRY_STATUSES = (429, 500, 502, 503, 504)


class FetchFailed(Exception):
    """A page or file could not be fetched; the message is one line."""


def session(retries: int = 3, backoff: float = 2.0) -> requests.Session:
    """A session for one request at a time, retrying 429/5xx and connection errors with back-off."""
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=backoff,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=True,
        raise_on_status=False,  # the last answer is reported as it was: "HTTP 503"
    )
    s = requests.Session()  # trust_env stays True: HTTP(S)_PROXY, NO_PROXY, REQUESTS_CA_BUNDLE
    adapter = HTTPAdapter(max_retries=retry, pool_connections=1, pool_maxsize=1)
    s.mount("http://", adapter)
    s.mount("https://", adapter)
    s.headers["User-Agent"] = USER_AGENT
    return s


def reason(error: BaseException) -> str:
    """One line for a requests error, innermost cause first."""
    text = str(error) or type(error).__name__
    return " ".join(text.split())[:300]


def get_page(s: requests.Session, url: str) -> str:
    try:
        response = s.get(url, timeout=TIMEOUT)
    except requests.RequestException as error:
        raise FetchFailed(f"page unreachable: {url}: {reason(error)}") from None
    if response.status_code != 200:
        raise FetchFailed(f"page unreachable: {url}: HTTP {response.status_code}")
    charset_given = "charset" in response.headers.get("Content-Type", "").lower()
    return response.content.decode(response.encoding if charset_given and response.encoding else "utf-8", "replace")


@dataclass(frozen=True)
class Downloaded:
    temp: Path  # complete, checked, under a temporary name in the target folder
    size: int
    sha256: str
    etag: str | None
    last_modified: str | None


def download(
    s: requests.Session,
    url: str,
    suffix: str,
    folder: Path,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> Downloaded | None:
    """Download `url` into a temporary file in `folder`; None when the server says 304 Not Modified."""
    headers = {"Accept-Encoding": "identity"}  # Content-Length is then the file's length
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    magic, kind = MAGIC[suffix]
    try:
        with s.get(url, headers=headers, timeout=TIMEOUT, stream=True) as response:
            if response.status_code == 304:
                return None
            if response.status_code != 200:
                raise FetchFailed(f"HTTP {response.status_code}")
            announced = response.headers.get("Content-Length", "").strip()
            length = int(announced) if announced.isdigit() else None
            if length is not None and length > max_bytes:
                raise FetchFailed(f"announced {length} bytes, over the limit of {max_bytes}")
            folder.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=folder, prefix=".fetch-", suffix=".part")
            temp = Path(name)
            try:
                digest, size, head = hashlib.sha256(), 0, b""
                with os.fdopen(fd, "wb") as out:
                    for chunk in response.iter_content(64 * 1024):
                        size += len(chunk)
                        if size > max_bytes:
                            raise FetchFailed(f"more than the limit of {max_bytes} bytes")
                        if len(head) < len(magic):
                            head = (head + chunk)[:16]
                            if len(head) >= len(magic) and not head.startswith(magic):
                                content_type = response.headers.get("Content-Type", "none")
                                raise FetchFailed(f"not {kind}: starts {head!r} (Content-Type {content_type})")
                        digest.update(chunk)
                        out.write(chunk)
                    out.flush()
                    os.fsync(out.fileno())
                if length is not None and size != length:
                    raise FetchFailed(f"cut off: {size} of {length} bytes")
                if not head.startswith(magic):
                    raise FetchFailed(f"not {kind}: {size} bytes, starts {head!r}")
            except BaseException:
                with contextlib.suppress(OSError):
                    temp.unlink()
                raise
            return Downloaded(
                temp, size, digest.hexdigest(), response.headers.get("ETag"), response.headers.get("Last-Modified")
            )
    except requests.RequestException as error:
        raise FetchFailed(reason(error)) from None
