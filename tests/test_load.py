"""Loading pages from files, stdin and a real local HTTP server."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from listen import __version__
from listen.errors import SourceError
from listen.read.load import decode_html, fetch_bytes, load_page

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE = "<html><head><title>Café</title></head><body><p>Crème brûlée – 5 €</p></body></html>"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

# path -> (status, headers, body)
ROUTES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/article": (200, {"Content-Type": "text/html; charset=utf-8"}, ARTICLE.encode()),
    "/moved": (301, {"Location": "/article"}, b""),
    "/missing": (404, {"Content-Type": "text/html"}, b"<h1>Not found</h1>"),
    "/broken": (503, {"Content-Type": "text/html"}, b"<h1>Down</h1>"),
    "/paper.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.7 ..."),
    "/huge": (200, {"Content-Type": "text/html"}, b"<p>" + b"x" * 5000 + b"</p>"),
    "/cp1252-declared": (
        200,
        {"Content-Type": "text/html; charset=windows-1252"},
        ARTICLE.encode("cp1252"),
    ),
    "/cp1252-bare": (200, {"Content-Type": "text/html"}, ARTICLE.encode("cp1252")),
    "/logo.png": (200, {"Content-Type": "image/png"}, PNG),
}


class Handler(BaseHTTPRequestHandler):
    user_agents: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        Handler.user_agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/slow":
            time.sleep(1.0)
        status, headers, body = ROUTES.get(
            self.path, (200, {"Content-Type": "text/html"}, b"<p>slow</p>")
        )
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if self.path != "/huge":  # no length: the limit must hold while streaming
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the client hanging up on /huge or /slow is the point of those tests


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_url_page_is_decoded_and_names_listen(server: str) -> None:
    page = load_page(f"{server}/article")
    assert "Crème brûlée – 5 €" in page.html
    assert page.url == f"{server}/article"
    assert page.fetched_at.tzinfo is not None
    assert (
        Handler.user_agents[-1] == f"listen/{__version__} (+https://github.com/listen-audio/listen)"
    )


def test_redirect_is_followed_and_final_url_kept(server: str) -> None:
    assert load_page(f"{server}/moved").url == f"{server}/article"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", "not found \\(HTTP 404\\)"),
        ("/broken", "HTTP 503"),
        ("/paper.pdf", "application/pdf, not a web page"),
    ],
)
def test_http_errors_say_what_happened(server: str, path: str, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        load_page(f"{server}{path}")


def test_oversized_body_is_refused_while_streaming(server: str) -> None:
    with pytest.raises(SourceError, match="larger than"):
        load_page(f"{server}/huge", max_bytes=1000)


def test_slow_server_times_out(server: str) -> None:
    with pytest.raises(SourceError, match="did not answer within 0.2 s"):
        load_page(f"{server}/slow", timeout=0.2)


def test_unreachable_host() -> None:
    with pytest.raises(SourceError, match="cannot reach"):
        load_page("http://127.0.0.1:9/", timeout=2)


@pytest.mark.parametrize("path", ["/cp1252-declared", "/cp1252-bare"])
def test_windows_1252_with_and_without_charset_header(server: str, path: str) -> None:
    assert "Crème brûlée – 5 €" in load_page(f"{server}{path}").html


def test_fetch_bytes_returns_body_and_type(server: str) -> None:
    assert fetch_bytes(f"{server}/logo.png") == (PNG, "image/png")


def test_local_file_windows_1252_without_declared_charset() -> None:
    page = load_page(str(FIXTURES / "cp1252.html"))
    assert page.url is None
    assert "Grand-mère’s tarte aux pommes" in page.html and "€96" in page.html


def test_stdin() -> None:
    page = load_page("-", stdin=io.BytesIO(ARTICLE.encode()))
    assert page.source == "-" and "Crème" in page.html


@pytest.mark.parametrize(
    ("data", "declared", "expected"),
    [
        (b"\xef\xbb\xbf<p>caf\xc3\xa9</p>", None, "<p>café</p>"),
        ("<p>café</p>".encode("utf-16"), None, "<p>café</p>"),
        (b'<meta charset="utf-8"><p>caf\xe9 \x96 \x80</p>', None, "café – €"),  # wrong label
        (
            b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
            b"<p>\x93hi\x94</p>",
            None,
            "“hi”",
        ),
        (b'<meta charset="latin-1"><p>caf\xc3\xa9</p>', None, "café"),  # stale label over UTF-8
        (b"<p>caf\xe9</p>", "bogus-charset", "café"),
    ],
)
def test_charset_decisions(data: bytes, declared: str | None, expected: str) -> None:
    assert expected in decode_html(data, declared)[0]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.html", b"  \n", "is empty"),
        ("logo.png", PNG, "is a PNG image, not a web page"),
        ("blob.bin", b"abc\x00\x01\x02" * 10, "binary file"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceError, match=message):
        load_page(str(path))


def test_missing_file_folder_and_too_big(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        load_page(str(tmp_path / "nope.html"))
    with pytest.raises(SourceError, match="is a folder"):
        load_page(str(tmp_path))
    big = tmp_path / "big.html"
    big.write_bytes(b"<p>" + b"a" * 2_000_000)
    with pytest.raises(SourceError, match="larger than 1 MB"):
        load_page(str(big), max_bytes=1_000_000)
