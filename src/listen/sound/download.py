"""Fetching voice files: resumed, checked against the catalogue, never half-written.

httpx has a second home here (besides ``read/``, which fetches articles): the stage
packages meet only through ``listen.models``, and a voice download wants what a page
fetch does not: a file of 60 MB or more streamed to disk, resumed with an HTTP
``Range`` request after a cut, and checked against the size and MD5 the catalogue
gives. Its errors become ``DownloadError`` here.

A file is fetched into ``.<name>.part`` beside its final name and renamed only once
its size and checksum match: a cut connection or a timeout keeps the part file for
the next attempt to resume; a file that arrives whole but wrong is deleted.

A source is an ``http(s)://`` address or, for a mirror on a disk or network share
(an air-gapped publisher), a local path.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import httpx

from listen import __version__
from listen.errors import DownloadError
from listen.fsutil import describe_os_error

USER_AGENT = f"listen/{__version__} (+https://github.com/listen-audio/listen)"
TIMEOUT = 30.0
"""Seconds to wait for a connection, or for the next bytes of a file, before giving up."""
_CHUNK = 1 << 16
_MEGABYTE = 1_000_000

Progress = Callable[[int], None]
"""Called with the number of bytes just received (or found already on disk)."""


def is_web_address(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def join(base: str, relative: str) -> str:
    """``relative`` (a catalogue path) under ``base`` (an address or a folder)."""
    if is_web_address(base):
        return base.rstrip("/") + "/" + quote(relative)
    return str(Path(base).expanduser() / relative)


def fetch_small(source: str, *, timeout: float = TIMEOUT, max_bytes: int = 50 * _MEGABYTE
                ) -> bytes:
    """The whole of a small file (the catalogue), from an address or a path."""
    if not is_web_address(source):
        try:
            return Path(source).read_bytes()
        except OSError as exc:
            raise DownloadError(f"cannot read {source}: {exc.strerror or exc}: check the "
                                "voice catalogue setting ([voices] catalogue)") from exc
    with _client(timeout) as client, _errors(source, timeout, 0), \
            client.stream("GET", source) as response:
        _check_status(response, source)
        data = bytearray()
        for chunk in response.iter_bytes(_CHUNK):
            data += chunk
            if len(data) > max_bytes:
                raise DownloadError(f"{source} is larger than {max_bytes // _MEGABYTE} MB: "
                                    "is it really a voice catalogue?")
        return bytes(data)


def part_path(path: Path) -> Path:
    """Where ``path`` grows while it downloads."""
    return path.with_name(f".{path.name}.part")


def download(source: str, path: Path, size: int, md5: str, *,
             on_progress: Progress = lambda _n: None, timeout: float = TIMEOUT) -> None:
    """Fetch ``source`` into ``path``, resuming an earlier part, and keep it only if it
    is ``size`` bytes with the MD5 ``md5``."""
    part = part_path(path)
    have = _usable_part(part, size)
    if have < size:
        if is_web_address(source):
            _fetch_web(source, part, have, size, on_progress, timeout)
        else:
            _copy_local(source, part, have, size, on_progress)
    else:
        on_progress(have)
    _verify(part, path.name, source, size, md5)
    try:
        os.replace(part, path)
    except OSError as exc:
        raise DownloadError(describe_os_error(exc, path, "check the voices folder")) from exc


def _usable_part(part: Path, size: int) -> int:
    """Bytes of an earlier attempt to build on; a part longer than the file is dropped."""
    try:
        have = part.stat().st_size
    except FileNotFoundError:
        return 0
    if have > size:
        part.unlink()
        return 0
    return have


def _fetch_web(url: str, part: Path, have: int, size: int, on_progress: Progress,
               timeout: float) -> None:
    headers = {"Range": f"bytes={have}-"} if have else {}
    with _client(timeout) as client, _errors(url, timeout, size, part), \
            client.stream("GET", url, headers=headers) as response:
        _check_status(response, url)
        if have and not _resumes_at(response, have):
            have = 0  # the server sent the whole file: start the part again
        on_progress(have)
        # Chunks as they arrive: a re-chunking buffer would lose its bytes at a cut.
        _write(part, have, size, response.iter_bytes(), on_progress)


def _resumes_at(response: httpx.Response, offset: int) -> bool:
    """Whether the server answered the Range request with the bytes from ``offset``."""
    content_range = response.headers.get("Content-Range", "")
    return response.status_code == 206 and content_range.startswith(f"bytes {offset}-")


def _copy_local(source: str, part: Path, have: int, size: int, on_progress: Progress
                ) -> None:
    try:
        with open(source, "rb") as handle:
            handle.seek(have)
            on_progress(have)
            _write(part, have, size, iter(lambda: handle.read(_CHUNK), b""), on_progress)
    except FileNotFoundError as exc:
        raise DownloadError(f"the voice catalogue lists {source}, but there is no such file: "
                            "the mirror is incomplete") from exc
    except OSError as exc:
        raise DownloadError(f"cannot read {source}: {exc.strerror or exc}") from exc


def _write(part: Path, offset: int, size: int, chunks: Iterator[bytes],
           on_progress: Progress) -> None:
    """Append ``chunks`` to ``part`` from ``offset``, stopping a file that runs past
    ``size`` (a wrong file would otherwise fill the disk before the size check)."""
    try:
        part.parent.mkdir(parents=True, exist_ok=True)
        with open(part, "r+b" if offset else "wb") as handle:
            handle.truncate(offset)
            handle.seek(offset)
            for chunk in chunks:
                handle.write(chunk)
                on_progress(len(chunk))
                if handle.tell() > size:
                    break
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise DownloadError(describe_os_error(exc, part.parent, "check the voices folder "
                                              "([voices] folder)")) from exc


def matches(path: Path, size: int, md5: str) -> bool:
    """Whether ``path`` is already the file the catalogue describes."""
    try:
        return path.stat().st_size == size and (not md5 or _md5(path) == md5.lower())
    except OSError:
        return False


def _verify(part: Path, name: str, source: str, size: int, md5: str) -> None:
    """Delete a part that is not the file the catalogue describes, and say so."""
    got = part.stat().st_size
    problem = ""
    if got != size:
        problem = f"is {got:,} bytes, but the catalogue says {size:,}"
    elif md5 and _md5(part) != md5.lower():
        problem = f"does not match the catalogue's MD5 checksum {md5}"
    if problem:
        part.unlink()
        raise DownloadError(f"{name} from {source} {problem}: it was damaged on the way, or "
                            "the server's copy is; nothing was kept. Run the command again, "
                            "and if it fails the same way, the catalogue and its files "
                            "disagree (a mirror out of date?)")


def _md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _client(timeout: float) -> httpx.Client:
    # identity: byte ranges then count the file's own bytes, not a compressed form's
    return httpx.Client(follow_redirects=True, timeout=timeout,
                        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})


def _check_status(response: httpx.Response, url: str) -> None:
    if response.status_code in (200, 206):
        return
    if response.status_code == 404:
        raise DownloadError(f"{url} is not there (HTTP 404): the voice catalogue setting "
                            "([voices] catalogue, LISTEN_VOICES_URL) points at the wrong "
                            "place, or the mirror is incomplete")
    raise DownloadError(f"{url} answered HTTP {response.status_code} "
                        f"{response.reason_phrase}: try again later")


@contextlib.contextmanager
def _errors(url: str, timeout: float, size: int = 0, part: Path | None = None
            ) -> Iterator[None]:
    """Turn httpx's errors into one-line ``DownloadError`` messages; a part file left by
    a cut or a timeout is kept, and the message says that running again resumes it."""
    try:
        yield
    except httpx.HTTPError as exc:
        raise DownloadError(_what_failed(exc, url, timeout) + _resume_hint(part, size)) from exc


def _what_failed(exc: httpx.HTTPError, url: str, timeout: float) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"{url} sent nothing for {timeout:g} s"
    if isinstance(exc, (httpx.InvalidURL, httpx.UnsupportedProtocol)):
        return f"{url} is not a usable address ({exc}): check [voices] catalogue"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect to {url} ({exc}): check the network or [voices] catalogue"
    return f"the download of {url} broke off ({exc})"


def _resume_hint(part: Path | None, size: int) -> str:
    if part is None or not part.exists():
        return ": try again later"
    got = part.stat().st_size
    return (f" after {got / _MEGABYTE:.1f} of {size / _MEGABYTE:.1f} MB: run the same "
            "command again to resume")
