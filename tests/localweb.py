"""A real web server on 127.0.0.1 for tests: fixed routes, and a record of every request."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

Routes = dict[str, tuple[str, bytes]]
"""Path → (content type, body); any other path answers 404."""


class Site:
    """What the server was asked for, in order, and its address."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.requests: list[str] = []


@contextlib.contextmanager
def serve(routes: Routes) -> Iterator[Site]:
    """Serve ``routes`` on a free port of 127.0.0.1 for the ``with`` block."""
    requested: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            requested.append(self.path)
            kind, body = routes.get(self.path, ("text/plain", b"not found"))
            self.send_response(200 if self.path in routes else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    with running(Handler) as url:
        site = Site(url)
        site.requests = requested
        yield site


@contextlib.contextmanager
def running(handler: Callable[..., BaseHTTPRequestHandler]) -> Iterator[str]:
    """A threaded server with ``handler`` on a free port of 127.0.0.1; yield its address."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


PORT_PLACEHOLDER = "http://127.0.0.1:PORT"
"""Written in fixture pages where the server's own address goes."""


@contextlib.contextmanager
def serve_page(page: Path, at: str, routes: Routes | None = None) -> Iterator[Site]:
    """Serve the fixture ``page`` at the path ``at`` (its ``PORT_PLACEHOLDER`` replaced
    by the server's address), beside ``routes``."""
    served: Routes = dict(routes or {})
    with serve(served) as site:
        html = page.read_text(encoding="utf-8").replace(PORT_PLACEHOLDER, site.url)
        served[at] = ("text/html; charset=utf-8", html.encode())
        yield site
