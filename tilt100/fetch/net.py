"""HTTP for the fetch: one session, timeouts, bounded retries with back-off, safe downloads.

Proxies from the environment are honoured (requests' ``trust_env``). A download is
written to a temporary name in the target folder and handed back only when it is
complete: the length announced by Content-Length, under a size limit, and first
bytes that are what its name says (``%PDF-`` or a workbook's ``PK\\x03\\x04``), so an
HTML error page served under a ``.xlsx`` name never reaches the folder. Pages are
read under a size limit of their own, and a server's ``Retry-After`` is waited for
only up to a cap: beyond it the file fails now and is tried again next run.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self
from urllib.parse import urljoin

import requests
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import ConnectionPool
from urllib3.exceptions import InvalidHeader, MaxRetryError, ResponseError
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from extract.formats import FORMATS
from tilt100.fetch.links import same_host
from tilt100.settings import (
    FETCH_BACKOFF,
    FETCH_MAX_BYTES,
    FETCH_MAX_PAGE_BYTES,
    FETCH_MAX_RETRY_AFTER,
    FETCH_RETRIES,
    FETCH_TIMEOUT,
    FETCH_USER_AGENT,
)

# What a download must begin with, by its suffix (the formats NAV publishes).
MAGIC = {fmt.suffix: (fmt.magic, fmt.called) for fmt in FORMATS if fmt.published and fmt.magic}
RETRY_STATUSES = (429, 500, 502, 503, 504)
# A download in progress: a hidden name in the target folder that a killed run leaves behind.
PART_PREFIX, PART_SUFFIX = ".fetch-", ".part"
CHUNK = 64 * 1024


class FetchFailed(Exception):
    """A page or file could not be fetched; the message is one line."""


@dataclass(frozen=True)
class Limits:
    file_bytes: int = FETCH_MAX_BYTES
    page_bytes: int = FETCH_MAX_PAGE_BYTES
    retry_after: float = FETCH_MAX_RETRY_AFTER  # seconds


def retry_after_seconds(value: str) -> float | None:
    """A Retry-After in seconds (a number or an HTTP date, read as urllib3 reads it, unclamped); None if unreadable."""
    try:
        return Retry(retry_after_max=sys.maxsize).parse_retry_after(value)
    except InvalidHeader:
        return None


class CappedRetry(Retry):
    """urllib3's Retry, except that a Retry-After beyond `max_retry_after` ends the retries at once.

    urllib3 waits as long as the server says (up to six hours); a cron job that
    sleeps for hours holds its lock and the next month's run. With
    ``raise_on_status=False`` the refused answer is handed back as it came (a
    429 or 503 with its Retry-After), and the caller names it.
    """

    def __init__(self, *, max_retry_after: float = FETCH_MAX_RETRY_AFTER, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]  # Retry's own keywords, passed through
        self.max_retry_after = max_retry_after

    def new(self, **kw: object) -> Self:  # every retry is a new object: the cap goes with it
        kw.setdefault("max_retry_after", self.max_retry_after)
        return super().new(**kw)

    def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
        try:
            return super().get_retry_after(response)
        except InvalidHeader:  # unreadable: back off as if there were none, rather than raise out of urllib3
            return None

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: BaseHTTPResponse | None = None,
        error: Exception | None = None,
        _pool: ConnectionPool | None = None,
        _stacktrace: TracebackType | None = None,
    ) -> Self:
        if response is not None and self.respect_retry_after_header:
            value = response.headers.get("Retry-After")
            seconds = retry_after_seconds(value) if value else None
            if seconds is not None and seconds > self.max_retry_after:
                raise MaxRetryError(_pool, url or "", ResponseError(f"Retry-After {value} beyond the cap"))
        return super().increment(method, url, response, error, _pool, _stacktrace)


class OneHostSession(requests.Session):
    """A session that follows a redirect only on the host it was sent to.

    Links are fetched only on the landing page's host; a redirect to another host
    would take the request there all the same. Its 3xx answer stands instead, and is
    named (`status_error`).
    """

    def get_redirect_target(self, resp: requests.Response) -> str | None:
        target = super().get_redirect_target(resp)
        if target is not None and not same_host(urljoin(resp.url, target), resp.url):
            return None
        return target


def session(
    retries: int = FETCH_RETRIES, backoff: float = FETCH_BACKOFF, max_retry_after: float = FETCH_MAX_RETRY_AFTER
) -> requests.Session:
    """A session for one request at a time, retrying 429/5xx and connection errors with back-off."""
    retry = CappedRetry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=backoff,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=True,
        raise_on_status=False,  # the last answer is reported as it was: "HTTP 503"
        max_retry_after=max_retry_after,
    )
    s = OneHostSession()  # trust_env stays True: HTTP(S)_PROXY, NO_PROXY, REQUESTS_CA_BUNDLE
    adapter = HTTPAdapter(max_retries=retry, pool_connections=1, pool_maxsize=1)
    s.mount("http://", adapter)
    s.mount("https://", adapter)
    s.headers["User-Agent"] = FETCH_USER_AGENT
    return s


def reason(error: BaseException) -> str:
    """One line for a requests error, innermost cause first."""
    text = str(error) or type(error).__name__
    return " ".join(text.split())[:300]


def status_error(response: requests.Response, limits: Limits) -> str:
    """A refused answer in words: its status, a redirect not followed, a Retry-After not waited for."""
    text = f"HTTP {response.status_code}"
    location = response.headers.get("Location") if response.is_redirect else None
    if location:
        text += f" to {urljoin(response.url, location)}: another host, not followed"
    value = response.headers.get("Retry-After")
    seconds = retry_after_seconds(value) if value else None
    if seconds is not None and seconds > limits.retry_after:
        text += f" with Retry-After {value.strip()}: beyond the cap of {limits.retry_after:g} s, not waited for"
    return text


def announced_length(response: requests.Response) -> int | None:
    """Content-Length: the bytes on the wire (compressed, if the answer is)."""
    announced = response.headers.get("Content-Length", "").strip()
    return int(announced) if announced.isdigit() else None


def get_page(s: requests.Session, url: str, limits: Limits | None = None) -> str:
    """A page's text, read up to `limits.page_bytes` (decoded), so a huge or endless answer cannot fill memory."""
    limits = limits or Limits()
    try:
        with s.get(url, timeout=FETCH_TIMEOUT, stream=True) as response:
            if response.status_code != 200:
                raise FetchFailed(f"page unreachable: {url}: {status_error(response, limits)}")
            body = read_page(response, url, limits.page_bytes)
    except requests.RequestException as error:
        raise FetchFailed(f"page unreachable: {url}: {reason(error)}") from None
    charset_given = "charset" in response.headers.get("Content-Type", "").lower()
    return body.decode(response.encoding if charset_given and response.encoding else "utf-8", "replace")


def read_page(response: requests.Response, url: str, limit: int) -> bytes:
    length = announced_length(response)
    if length is not None and length > limit:
        raise FetchFailed(f"page too large: {url}: announced {length} bytes, over the limit of {limit}")
    chunks, size = [], 0
    for chunk in response.iter_content(CHUNK):
        size += len(chunk)
        if size > limit:
            raise FetchFailed(f"page too large: {url}: more than the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


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
    limits: Limits | None = None,
) -> Downloaded | None:
    """Download `url` into a temporary file in `folder`; None when the server says 304 Not Modified."""
    limits = limits or Limits()
    # Asked for the bytes as they are; a server that compresses anyway is decoded (requests does),
    # its Content-Length then counting the compressed bytes on the wire.
    headers = {"Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        with s.get(url, headers=headers, timeout=FETCH_TIMEOUT, stream=True) as response:
            if response.status_code == 304:
                return None
            if response.status_code != 200:
                raise FetchFailed(status_error(response, limits))
            length = announced_length(response)
            if length is not None and length > limits.file_bytes:
                raise FetchFailed(f"announced {length} bytes, over the limit of {limits.file_bytes}")
            folder.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=folder, prefix=PART_PREFIX, suffix=PART_SUFFIX)
            temp = Path(name)
            try:
                size, sha256 = write_checked(response, fd, suffix, limits.file_bytes, length)
            except BaseException:
                with contextlib.suppress(OSError):
                    temp.unlink()
                raise
            return Downloaded(temp, size, sha256, response.headers.get("ETag"), response.headers.get("Last-Modified"))
    except requests.RequestException as error:
        raise FetchFailed(reason(error)) from None


def write_checked(response: requests.Response, fd: int, suffix: str, limit: int, length: int | None) -> tuple[int, str]:
    """Stream the (decoded) body into `fd`: (size, SHA-256), or FetchFailed if it is not all there or not the kind."""
    magic, kind = MAGIC[suffix]
    digest, size, head = hashlib.sha256(), 0, b""
    received = response.raw.tell  # bytes on the wire, as Content-Length counts them (gzip or not)
    with os.fdopen(fd, "wb") as out:
        try:
            for chunk in response.iter_content(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise FetchFailed(f"more than the limit of {limit} bytes")
                if len(head) < len(magic):
                    head = (head + chunk)[:16]
                    if len(head) >= len(magic) and not head.startswith(magic):
                        content_type = response.headers.get("Content-Type", "none")
                        raise FetchFailed(f"not {kind}: starts {head!r} (Content-Type {content_type})")
                digest.update(chunk)
                out.write(chunk)
        except requests.exceptions.ChunkedEncodingError:  # urllib3 saw the connection close early
            if length is None:
                raise
            raise FetchFailed(f"cut off: {received()} of {length} bytes") from None
        out.flush()
        os.fsync(out.fileno())
    if length is not None and received() != length:
        raise FetchFailed(f"cut off: {received()} of {length} bytes")
    if not head.startswith(magic):
        raise FetchFailed(f"not {kind}: {size} bytes, starts {head!r}")
    return size, digest.hexdigest()
