"""Stage 1: read a source (a path, an http(s) URL or ``-`` for stdin) into a ``Page``.

httpx lives here and nowhere else; its errors become ``SourceError`` with a message
that says what to do. Bytes are decoded by the first of: a byte-order mark, the
HTTP ``Content-Type`` charset, ``<meta charset>`` / ``http-equiv``; a declared
charset that fails or is clearly wrong falls back to detection.
"""

from __future__ import annotations

import codecs
import re
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO

import charset_normalizer
import httpx

from listen import __version__
from listen.errors import SourceError
from listen.models import Page

USER_AGENT = f"listen/{__version__} (+https://github.com/listen-audio/listen)"
MAX_BYTES = 15_000_000
HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or an office document)",
    b"\x1f\x8b": "a gzip archive",
    b"RIFF": "a RIFF file (WebP image or WAV audio)",
    b"ID3": "an MP3 file",
    b"\x7fELF": "a program",
}
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE
)
# Encodings a detector may confuse with Windows-1252 on short Western text;
# WHATWG's default for undeclared pages is windows-1252, so it wins when it decodes.
_LATIN_FAMILY = re.compile(r"^(cp125\d|windows-125\d|iso8859_\d+|latin_\d|mac_\w+|cp8\d\d)$")


def load_page(
    source: str,
    *,
    stdin: BinaryIO | None = None,
    timeout: float = 20.0,
    max_bytes: int = MAX_BYTES,
) -> Page:
    """Read ``source`` and decode it; raise ``SourceError`` when it cannot be an article."""
    return load_page_bytes(source, stdin=stdin, timeout=timeout, max_bytes=max_bytes)[0]


def load_page_bytes(
    source: str,
    *,
    stdin: BinaryIO | None = None,
    timeout: float = 20.0,
    max_bytes: int = MAX_BYTES,
) -> tuple[Page, bytes]:
    """``load_page``, and the bytes the page was decoded from (``listen embed`` keeps
    every byte it does not change)."""
    header_charset: str | None = None
    url: str | None = None
    if source == "-":
        data = _read_stdin(stdin if stdin is not None else sys.stdin.buffer, max_bytes)
    elif _is_url(source):
        data, content_type, url = _get(source, timeout=timeout, max_bytes=max_bytes)
        _check_html_type(content_type, source)
        header_charset = _charset_param(content_type)
    else:
        data = _read_file(Path(source), max_bytes)
    _check_text(data, source)
    html, encoding = decode_html(data, header_charset)
    return Page(html=html, source=source, url=url, fetched_at=_now(), encoding=encoding), data


def fetch_bytes(
    url: str, *, timeout: float = 20.0, max_bytes: int = MAX_BYTES
) -> tuple[bytes, str]:
    """Download ``url`` (a lead image, say); return its bytes and content type."""
    data, content_type, _ = _get(url, timeout=timeout, max_bytes=max_bytes)
    return data, content_type


def decode_html(data: bytes, header_charset: str | None = None) -> tuple[str, str]:
    """Decode page bytes; return the text and the name of the codec used."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, errors="replace"), name
    for declared in (header_charset, _meta_charset(data)):
        decoded = _try_declared(data, declared)
        if decoded is not None:
            return decoded
    return _detect(data)


def _try_declared(data: bytes, declared: str | None) -> tuple[str, str] | None:
    """Decode with a declared charset, or None if it is unknown, fails or is clearly wrong."""
    name = _codec_name(declared)
    if name is None:
        return None
    if name.startswith("utf_16") or name.startswith("utf_32"):
        return None  # without a BOM a UTF-16 label in ASCII markup is a lie (WHATWG)
    if name in ("latin_1", "iso8859_1", "ascii"):
        name = "cp1252"  # WHATWG: iso-8859-1 and us-ascii labels mean windows-1252
    if name != "utf_8" and _is_non_ascii_utf8(data):
        return data.decode("utf-8"), "utf-8"  # a stale template label over UTF-8 bytes
    try:
        return data.decode(name), name
    except (UnicodeDecodeError, LookupError):
        return None


def _detect(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _few_non_ascii(data) and _decodes(data, "cp1252"):
        return data.decode("cp1252"), "cp1252"  # too little for a detector to judge
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    guess = best.encoding if best is not None else "cp1252"
    if _LATIN_FAMILY.match(guess) and _decodes(data, "cp1252"):
        guess = "cp1252"
    return data.decode(guess, errors="replace"), guess


def _few_non_ascii(data: bytes) -> bool:
    return sum(1 for byte in data[:200_000] if byte >= 0x80) < 20


def _decodes(data: bytes, name: str) -> bool:
    try:
        data.decode(name)
    except UnicodeDecodeError:
        return False
    return True


def _is_non_ascii_utf8(data: bytes) -> bool:
    return not data.isascii() and _decodes(data, "utf-8")


def _codec_name(label: str | None) -> str | None:
    if not label:
        return None
    try:
        return codecs.lookup(label.strip().strip("\"'")).name.replace("-", "_")
    except LookupError:
        return None


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:8192])
    return match.group(1).decode("ascii", errors="replace") if match else None


def _charset_param(content_type: str) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def _is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _read_stdin(stream: BinaryIO, max_bytes: int) -> bytes:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SourceError(_too_big("standard input", max_bytes))
    return data


def _read_file(path: Path, max_bytes: int) -> bytes:
    if not path.exists():
        raise SourceError(f"no such file: {path}: check the path, or give an http(s) URL")
    if path.is_dir():
        raise SourceError(f"{path} is a folder: give the path of one saved HTML page")
    try:
        if path.stat().st_size > max_bytes:
            raise SourceError(_too_big(str(path), max_bytes))
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(
            f"cannot read {path}: {exc.strerror or exc}: check its permissions"
        ) from exc


def _too_big(what: str, max_bytes: int) -> str:
    return (
        f"{what} is larger than {max_bytes // 1_000_000} MB: "
        "that is not an article page; save just the article as HTML and give its path"
    )


def _check_text(data: bytes, source: str) -> None:
    """Refuse empty and binary input before anything tries to parse it."""
    if not data.strip():
        what = "standard input" if source == "-" else source
        raise SourceError(f"{what} is empty: give a page that contains an article")
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise SourceError(f"{source} is {kind}, not a web page: give an HTML page")
    if b"\x00" in data[:4096]:
        raise SourceError(f"{source} is a binary file, not a web page: give an HTML page")


def _check_html_type(content_type: str, url: str) -> None:
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime and mime not in HTML_TYPES:
        raise SourceError(
            f"{url} is {mime}, not a web page: listen reads HTML articles; "
            "give the URL of the article page"
        )


def _get(url: str, *, timeout: float, max_bytes: int) -> tuple[bytes, str, str]:
    """GET ``url`` following redirects; return body, content type and final URL."""
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    try:
        with (
            httpx.Client(follow_redirects=True, timeout=timeout, headers=headers) as client,
            client.stream("GET", url) as response,
        ):
            _check_status(response, url)
            _check_length(response, url, max_bytes)
            body = _read_limited(response, url, max_bytes)
            return body, response.headers.get("content-type", ""), str(response.url)
    except httpx.TimeoutException as exc:
        raise SourceError(
            f"{url} did not answer within {timeout:g} s: try again later, "
            "or save the page and give its path"
        ) from exc
    except httpx.TooManyRedirects as exc:
        raise SourceError(
            f"{url} redirects in a loop: open it in a browser and give the final URL"
        ) from exc
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise SourceError(f"{url} is not a valid web address: check it for typos") from exc
    except httpx.TransportError as exc:
        raise SourceError(
            f"cannot reach {url} ({exc}): check the address and your connection, "
            "or save the page and give its path"
        ) from exc
    except httpx.HTTPError as exc:
        raise SourceError(f"cannot download {url} ({exc}): try again later") from exc


def _check_status(response: httpx.Response, url: str) -> None:
    status = response.status_code
    if status < 400:
        return
    if status in (404, 410):
        raise SourceError(f"{url} was not found (HTTP {status}): check the address")
    if status in (401, 403):
        raise SourceError(
            f"{url} refused access (HTTP {status}): save the page from your browser "
            "and give its path"
        )
    raise SourceError(
        f"{url} answered with an error (HTTP {status} {response.reason_phrase}): try again later"
    )


def _check_length(response: httpx.Response, url: str, max_bytes: int) -> None:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise SourceError(_too_big(url, max_bytes))


def _read_limited(response: httpx.Response, url: str, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise SourceError(_too_big(url, max_bytes))
        chunks.append(chunk)
    return b"".join(chunks)
