"""Polite, cheap fetching for ``listen sync``: conditional requests, few at a time.

* Conditional requests: each URL's ``ETag`` and ``Last-Modified`` are remembered
  (in a ``ValidatorStore``: the catalog) with the address of its body in a
  ``BodyCache``; the next request sends ``If-None-Match`` / ``If-Modified-Since``
  and a ``304 Not Modified`` is answered from the cache.
* At most ``per_host`` requests at a time to one host (2 by default).
* ``429`` and ``5xx`` answers are retried with back-off, honouring ``Retry-After``
  (seconds or an HTTP date), up to ``retries`` times.
* ``robots.txt`` is read once per host and run, and obeyed (``ignore_robots`` for
  a publisher's own site).
* ``404`` and ``410`` are ``Gone``: the caller keeps what it published before.

httpx lives in ``read/`` only; its errors become ``SourceError``.
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import re
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

import httpx

from listen.errors import SourceError
from listen.fsutil import write_atomic
from listen.models import Page
from listen.read.load import HTML_TYPES, MAX_BYTES, USER_AGENT, decode_html

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
GONE_STATUSES = frozenset({404, 410})
ROBOTS_AGENT = "listen"
ROBOTS_KEEP = timedelta(hours=24)


@dataclass(frozen=True)
class Validators:
    """What a server said about a URL's body last time, and where that body is kept."""

    etag: str = ""
    last_modified: str = ""
    body: str = ""
    """SHA-256 of the body, its address in the ``BodyCache``; "" for none."""
    checked: str = ""
    """When it was fetched (ISO 8601): robots.txt is asked for once a day."""


class ValidatorStore(Protocol):
    """Where validators are remembered between runs (the catalog)."""

    def validators(self, url: str) -> Validators | None: ...

    def remember(self, url: str, validators: Validators) -> None: ...


class Gone(SourceError):
    """The URL answered 404 or 410."""

    def __init__(self, url: str, status: int) -> None:
        super().__init__(f"{url} is gone (HTTP {status})")
        self.status = status


@dataclass(frozen=True)
class Fetched:
    """A body, fresh or from the cache."""

    url: str
    """The final URL, after redirects."""
    body: bytes
    content_type: str
    modified: bool
    """False when the server answered 304 and the body came from the cache."""


@dataclass
class Counts:
    """Requests made in this run, for the summary and the benchmark."""

    requests: int = 0
    conditional: int = 0
    not_modified: int = 0
    retried: int = 0
    """Answers that asked for a retry (429 and 5xx)."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, *, conditional: bool, status: int) -> None:
        with self._lock:
            self.requests += 1
            self.conditional += conditional
            self.not_modified += status == 304
            self.retried += status in RETRY_STATUSES


class BodyCache:
    """Fetched bodies by SHA-256, gzipped, one file each (a 304 is answered from here)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, digest: str) -> Path:
        return self.folder / digest[:2] / f"{digest}.gz"

    def get(self, digest: str) -> bytes | None:
        try:
            body = gzip.decompress(self.path(digest).read_bytes())
        except (OSError, EOFError, gzip.BadGzipFile):
            return None
        return body if hashlib.sha256(body).hexdigest() == digest else None

    def put(self, body: bytes) -> str:
        digest = hashlib.sha256(body).hexdigest()
        if not self.path(digest).is_file():
            write_atomic(self.path(digest), gzip.compress(body, compresslevel=6, mtime=0),
                         fix="point the cache at another folder with --cache")
        return digest


class Fetcher:
    """Fetches URLs politely; thread-safe, so pages can be fetched in parallel."""

    def __init__(
        self,
        store: ValidatorStore,
        bodies: BodyCache,
        *,
        per_host: int = 2,
        retries: int = 3,
        max_wait: float = 60.0,
        ignore_robots: bool = False,
        timeout: float = 20.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.store = store
        self.bodies = bodies
        self.per_host = per_host
        self.retries = retries
        self.max_wait = max_wait
        self.ignore_robots = ignore_robots
        self.counts = Counts()
        self._sleep = sleep
        self._client = httpx.Client(
            follow_redirects=True, timeout=timeout,
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
        )
        self._lock = threading.Lock()
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}

    def close(self) -> None:
        self._client.close()

    def fetch(self, url: str) -> Fetched:
        """The body of ``url``; ``Gone`` for 404 and 410, ``SourceError`` otherwise."""
        if not self.allowed(url):
            raise SourceError(f"{url} is disallowed by the site's robots.txt: leave it out, "
                              "or use --ignore-robots if the site is yours")
        return self._fetch(url)

    def allowed(self, url: str) -> bool:
        """What the host's robots.txt says of ``url`` for listen."""
        if self.ignore_robots:
            return True
        robots = self._robots_for(url)
        return robots is None or robots.can_fetch(ROBOTS_AGENT, url)

    def _robots_for(self, url: str) -> urllib.robotparser.RobotFileParser | None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            if origin in self._robots:
                return self._robots[origin]
        text = self._robots_text(origin + "/robots.txt")
        parser = None  # no robots.txt (or none readable): everything is allowed
        if text is not None:
            parser = urllib.robotparser.RobotFileParser()
            parser.parse(text.splitlines())
        with self._lock:
            self._robots[origin] = parser
        return parser

    def _robots_text(self, url: str) -> str | None:
        """robots.txt, kept for a day as RFC 9309 allows (so a sync with nothing new
        asks nothing of it); None when the site has none."""
        known = self.store.validators(url)
        if known and _fresh(known.checked, ROBOTS_KEEP):
            body = self.bodies.get(known.body) if known.body else b""
            if body is not None:
                return body.decode("utf-8", "replace") if known.body else None
        now = datetime.now(timezone.utc).isoformat()
        try:
            body = self._fetch(url).body
        except Gone:
            self.store.remember(url, Validators(checked=now))
            return None
        except SourceError:
            return None
        self.store.remember(url, Validators(body=self.bodies.put(body), checked=now))
        return body.decode("utf-8", "replace")

    def _fetch(self, url: str) -> Fetched:
        known = self.store.validators(url)
        cached = self.bodies.get(known.body) if known and known.body else None
        headers = _conditional_headers(known) if cached is not None else {}
        with self._host_slot(url):
            response = self._get(url, headers)
        if response.status_code == 304 and cached is not None:
            return Fetched(str(response.url), cached, "", modified=False)
        if response.status_code in GONE_STATUSES:
            raise Gone(url, response.status_code)
        if response.status_code >= 400:
            raise SourceError(f"{url} answered HTTP {response.status_code} "
                              f"{response.reason_phrase}: try again later")
        body = response.content
        if len(body) > MAX_BYTES:
            raise SourceError(f"{url} is larger than {MAX_BYTES // 1_000_000} MB")
        validators = Validators(response.headers.get("etag", ""),
                                response.headers.get("last-modified", ""), "")
        if validators.etag or validators.last_modified:
            self.store.remember(url, Validators(
                validators.etag, validators.last_modified, self.bodies.put(body),
                datetime.now(timezone.utc).isoformat()))
        return Fetched(str(response.url), body, response.headers.get("content-type", ""),
                       modified=True)

    def _get(self, url: str, headers: dict[str, str]) -> httpx.Response:
        """GET with retries on 429 and 5xx, waiting as the server asks."""
        for attempt in range(self.retries + 1):
            response = self._request(url, headers)
            self.counts.add(conditional=bool(headers), status=response.status_code)
            if response.status_code not in RETRY_STATUSES or attempt == self.retries:
                return response
            self._sleep(_retry_wait(response, attempt, self.max_wait))
        raise AssertionError("unreachable")

    def _request(self, url: str, headers: dict[str, str]) -> httpx.Response:
        try:
            return self._client.get(url, headers=headers)
        except httpx.TimeoutException as exc:
            raise SourceError(f"{url} did not answer in time: try again later") from exc
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise SourceError(f"{url} is not a valid web address: check it") from exc
        except httpx.HTTPError as exc:
            raise SourceError(f"cannot reach {url} ({exc}): check the address and "
                              "your connection") from exc

    def _host_slot(self, url: str) -> threading.BoundedSemaphore:
        host = urlsplit(url).netloc
        with self._lock:
            if host not in self._hosts:
                self._hosts[host] = threading.BoundedSemaphore(self.per_host)
            return self._hosts[host]


def _fresh(checked: str, keep: timedelta) -> bool:
    try:
        return datetime.now(timezone.utc) - datetime.fromisoformat(checked) < keep
    except ValueError:
        return False


def _conditional_headers(known: Validators | None) -> dict[str, str]:
    headers = {}
    if known and known.etag:
        headers["If-None-Match"] = known.etag
    if known and known.last_modified:
        headers["If-Modified-Since"] = known.last_modified
    return headers


def _retry_wait(response: httpx.Response, attempt: int, ceiling: float) -> float:
    """``Retry-After`` in seconds or as a date, else 1, 2, 4 … seconds; at most ``ceiling``."""
    value = response.headers.get("retry-after", "").strip()
    wait = float(2**attempt)
    if value.isdigit():
        wait = float(value)
    elif value:
        try:
            when = email.utils.parsedate_to_datetime(value)
            wait = (when - datetime.now(timezone.utc)).total_seconds()
        except (TypeError, ValueError):
            pass
    return min(max(wait, 0.0), ceiling)


def page_from_fetch(fetched: Fetched, source: str) -> Page:
    """The fetched body as a ``Page``, as ``load_page`` would make it from the URL."""
    mime = fetched.content_type.split(";", 1)[0].strip().lower()
    if mime and mime not in HTML_TYPES:
        raise SourceError(f"{source} is {mime}, not a web page: listen reads HTML articles")
    if not fetched.body.strip():
        raise SourceError(f"{source} is empty: give a page that contains an article")
    charset = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", fetched.content_type, re.I)
    html, encoding = decode_html(fetched.body, charset.group(1) if charset else None)
    return Page(html=html, source=source, url=fetched.url, fetched_at=datetime.now(timezone.utc),
                encoding=encoding)
