"""A small news site on 127.0.0.1 for the sync tests and benchmark: our own articles,
an RSS feed, a sitemap index with a gzipped sitemap, robots.txt, and the answers a
real server gives (ETag and Last-Modified with 304s, 429 with Retry-After, 404).

Every request is logged with its conditional headers, and the most requests it
served at once is counted.
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from xml.sax.saxutils import escape

START = datetime(2026, 9, 1, 7, 0, tzinfo=timezone.utc)
WORDS = ("harbour", "ferry", "tide", "lantern", "signal", "quay", "gull", "rope", "mooring",
         "channel", "crossing", "captain", "deckhand", "timetable", "fog", "bell")


def article_html(number: int, revision: int = 0) -> str:
    """A short article page in our own words; a revision changes its last paragraph."""
    words = [WORDS[(number * 3 + n) % len(WORDS)] for n in range(6)]
    title = f"Dispatch {number}: the {words[0]} and the {words[1]}"
    date = (START + timedelta(days=number)).isoformat()
    paragraphs = [
        f"The {words[2]} turned early on the morning of dispatch {number}, and the "
        f"{words[3]} was lit before anyone asked.",
        f"By noon the {words[4]} had been checked twice, and the {words[5]} crew "
        "agreed the crossing could go ahead.",
        f"Revision {revision}: the last boat left on time, and the harbour was quiet again.",
    ]
    body = "".join(f"<p>{escape(text)}</p>" for text in paragraphs)
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{escape(title)}</title>"
            f"<meta property='article:published_time' content='{date}'>"
            f"<meta name='author' content='Harbour Desk'></head><body><article>"
            f"<h1>{escape(title)}</h1>{body}</article></body></html>")


@dataclass
class Resource:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    modified: datetime = START

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


@dataclass(frozen=True)
class Request:
    path: str
    if_none_match: str
    if_modified_since: str
    status: int
    at: float

    @property
    def conditional(self) -> bool:
        return bool(self.if_none_match or self.if_modified_since)


@dataclass
class Site:
    """What the server serves; tests change it between runs."""

    resources: dict[str, Resource] = field(default_factory=dict)
    scripted: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    """Answers to give a path before its resource, in order (e.g. a 429)."""
    delay: float = 0.0
    """Seconds each answer takes, so that requests overlap."""
    log: list[Request] = field(default_factory=list)
    busy: dict[str, int] = field(default_factory=dict)
    most_at_once: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_article(self, number: int, revision: int = 0, prefix: str = "/news") -> str:
        path = f"{prefix}/dispatch-{number}.html"
        self.resources[path] = Resource(article_html(number, revision).encode(),
                                        modified=START + timedelta(days=number, hours=revision))
        return path

    def set_feed(self, paths: list[str], base: str) -> None:
        items = "".join(
            f"<item><title>{escape(p)}</title><link>{base}{p}</link>"
            f"<guid isPermaLink='true'>{base}{p}</guid><pubDate>"
            f"{email.utils.format_datetime(self.resources[p].modified)}</pubDate></item>"
            for p in paths)
        feed = (f"<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel>"
                f"<title>Harbour Desk</title><link>{base}/</link>{items}</channel></rss>")
        self.resources["/feed.xml"] = Resource(feed.encode(), "application/rss+xml")

    def set_sitemaps(self, paths: list[str], base: str) -> None:
        urls = "".join(f"<url><loc>{base}{p}</loc><lastmod>"
                       f"{self.resources[p].modified.date().isoformat()}</lastmod></url>"
                       for p in paths)
        sitemap = ("<?xml version='1.0' encoding='UTF-8'?><urlset xmlns="
                   f"'http://www.sitemaps.org/schemas/sitemap/0.9'>{urls}</urlset>")
        self.resources["/sitemaps/news.xml.gz"] = Resource(
            gzip.compress(sitemap.encode(), mtime=0), "application/gzip")
        index = ("<?xml version='1.0' encoding='UTF-8'?><sitemapindex xmlns="
                 "'http://www.sitemaps.org/schemas/sitemap/0.9'><sitemap><loc>"
                 f"{base}/sitemaps/news.xml.gz</loc></sitemap></sitemapindex>")
        self.resources["/sitemap.xml"] = Resource(index.encode(), "application/xml")

    def requests_to(self, path: str) -> list[Request]:
        return [request for request in self.log if request.path == path]


class SiteServer:
    """Serves a ``Site`` on 127.0.0.1 on a free port; use as a context manager."""

    def __init__(self, site: Site | None = None) -> None:
        self.site = site or Site()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.site))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> SiteServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            path = self.path.split("?", 1)[0]
            host = self.headers.get("Host", "")
            with site.lock:
                site.busy[host] = site.busy.get(host, 0) + 1
                site.most_at_once = max(site.most_at_once, site.busy[host])
            try:
                if site.delay:
                    time.sleep(site.delay)
                status, headers, body = self._answer(path)
            finally:
                with site.lock:
                    site.busy[host] -= 1
            with site.lock:
                site.log.append(Request(path, self.headers.get("If-None-Match", ""),
                                        self.headers.get("If-Modified-Since", ""), status,
                                        time.monotonic()))
            self.send_response(status)
            for name, value in {**headers, "Content-Length": str(len(body))}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def _answer(self, path: str) -> tuple[int, dict[str, str], bytes]:
            with site.lock:
                scripted = site.scripted.get(path)
                if scripted:
                    status, headers = scripted.pop(0)
                    return status, headers, b"busy"
            resource = site.resources.get(path)
            if resource is None:
                return 404, {"Content-Type": "text/plain"}, b"not found"
            headers = {"Content-Type": resource.content_type, "ETag": resource.etag,
                       "Last-Modified": email.utils.format_datetime(resource.modified,
                                                                    usegmt=True)}
            if self._not_modified(resource):
                return 304, headers, b""
            return 200, headers, resource.body

        def _not_modified(self, resource: Resource) -> bool:
            tag = self.headers.get("If-None-Match")
            if tag is not None:
                return tag == resource.etag
            since = self.headers.get("If-Modified-Since")
            if since:
                try:
                    return resource.modified <= email.utils.parsedate_to_datetime(since)
                except (TypeError, ValueError):
                    return False
            return False

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return  # quiet: the tests read site.log

    return Handler
