"""Bad input through the command line (issue 7): one case per mistake a user makes.

Every case must show: exit code 1 (130 for Ctrl-C), exactly one line on stderr that
starts with ``Error: `` and says what to do, no traceback anywhere, and no file left
in the output folder, not even a temporary one. One row succeeds on purpose: a page
in a charset nobody knows is decoded anyway.

Input → what the user sees (exit code); paths shortened to what the user typed:

    missing file (1)
        Error: no such file: nope.html: check the path, or give an http(s) URL
    folder with no .html in it (1)
        Error: notes is a folder with no .html files: name a page
    binary file (1)
        Error: blob.html is a binary file, not a web page: give an HTML page
    empty file (1)
        Error: empty.html is empty: give a page that contains an article
    HTML with no article (1)
        Error: no article text found in menu.html: if the page does hold an article,
        add a site rule for it in listen.toml
    huge page, 15 MB + 1 byte (1)
        Error: huge.html is larger than 15 MB: that is not an article page; save just
        the article, or raise the limit
    page in an unknown charset, <meta charset="x-unknown-klingon"> (0)
        no error: the bytes are detected (UTF-8, or Windows-1252) and the script reads
        "Zoë Müller opens a café on Ærø" as written
    unreachable URL (1)
        Error: cannot reach http://127.0.0.1:9/ ([Errno 111] Connection refused): check
        the address and your connection, or save the page and give its path
    URL that answers 404 (1)
        Error: http://127.0.0.1:8000/gone.html was not found (HTTP 404): check the address
    URL that answers with a PDF (1)
        Error: http://127.0.0.1:8000/report.pdf is application/pdf, not a web page: listen
        reads HTML articles; give the URL of the article page
    unknown voice (1)
        Error: no voice profile named 'nobody'; choose one of: default, espeak-en-gb,
        espeak-en-us, joe (`listen voices` shows them)
    output folder below a regular file, --out notes.txt/out (1)
        Error: cannot write to notes.txt/out: part of that path is a file, not a folder:
        choose another folder with --out
    read-only output folder (1)
        Error: cannot write to locked/out: choose another folder with --out
    full disk, output folder (1)
        Error: no space left on the device holding out/<slug>.mp3: free some space and
        run again, or choose another folder with --out
    full disk, take cache (1)
        Error: no space left on the device holding cache/<xx>/<key>.take: free some space
        and run again, or point the take cache at another folder with --cache (or
        LISTEN_CACHE)
    Ctrl-C (130)
        Error: interrupted; finished files and the feed are intact: run the command again
        to finish

"""

from __future__ import annotations

import errno
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from typer.testing import CliRunner

import listen.fsutil as fsutil
import listen.pipeline as pipeline
from listen.cli import app
from listen.read.load import MAX_BYTES

PAGE = Path(__file__).parent / "pages" / "harbour-ferry.html"
runner = CliRunner()

# A page whose declared charset no codec knows: listen must read it anyway.
KLINGON_PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="x-unknown-klingon">
<title>Zoë Müller opens a café on Ærø | The Island Post</title>
<meta property="og:site_name" content="The Island Post">
</head><body><main><article>
<h1>Zoë Müller opens a café on Ærø</h1>
<p>Zoë Müller has opened a small café beside the harbour in Ærøskøbing, and the
first customers queued for crème brûlée before the doors opened at eight.</p>
<p>The menu is written in Danish and German; the smørrebrød comes on rye bread that
Müller bakes herself every morning in the old bakery behind the square.</p>
<p>"I wanted a place where the ferry crews can sit down," she said, pouring a
second cup for the skipper of the Ærøsund.</p>
</article></main></body></html>
"""
KLINGON_WORDS = ("Zoë Müller", "café", "Ærøskøbing", "crème brûlée", "smørrebrød", "Ærøsund")

# Windows-1252 bytes under the same unknown label: detection must still get them right.
CP1252_PAGE = KLINGON_PAGE.replace("Ærø", "Arles").replace("Ærøskøbing", "Arles")
CP1252_WORDS = ("Zoë Müller", "café", "crème brûlée")


# --- the local web server the URL cases talk to ----------------------------------------

class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.path == "/report.pdf":
            body, kind, status = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", \
                "application/pdf", 200
        else:
            body, kind, status = b"<html><body><h1>Not Found</h1></body></html>", \
                "text/html; charset=utf-8", 404
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """http://127.0.0.1:<port> of a threaded server: 404 for every path but /report.pdf."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed when the socket is


# --- simulated failures ----------------------------------------------------------------

class _FullDisk:
    """Stands in for ``os`` inside ``listen.fsutil``: every atomic write
    into a folder below ``root`` fails with ENOSPC, at ``fsync`` or part-way through
    ``write`` (after a first chunk landed, so there is a partial temp file to clean up)."""

    def __init__(self, root: Path, at: str) -> None:
        self.root, self.at = root.resolve(), at
        self.full_fds: set[int] = set()

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def _full(self, folder: str | os.PathLike[str]) -> bool:
        return Path(folder).resolve().is_relative_to(self.root)

    def open(self, path: Path, flags: int, mode: int = 0o777) -> int:
        fd = os.open(path, flags, mode)
        if self._full(Path(path).parent):
            self.full_fds.add(fd)
        return fd

    def fsync(self, fd: int) -> None:
        if fd in self.full_fds and self.at == "fsync":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        os.fsync(fd)

    def fdopen(self, fd: int, mode: str) -> BinaryIO:
        handle = os.fdopen(fd, mode)
        if fd in self.full_fds and self.at == "write":
            return _FillingFile(handle)  # type: ignore[return-value]
        return handle  # type: ignore[return-value]


class _FillingFile:
    """A file on a disk with room for 4 KiB more."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle, self._room = handle, 4096

    def write(self, data: bytes) -> int:
        if len(data) > self._room:
            self._handle.write(data[: self._room])
            self._handle.flush()
            self._room = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._room -= len(data)
        return self._handle.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)

    def __enter__(self) -> _FillingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()


def full_disk(below: str, at: str) -> Callable[[pytest.MonkeyPatch, Path], None]:
    def patch(monkeypatch: pytest.MonkeyPatch, tmp: Path) -> None:
        fake = _FullDisk(tmp / below, at)
        monkeypatch.setattr(fsutil, "os", fake)
    return patch


def interrupt_while(stage: str) -> Callable[[pytest.MonkeyPatch, Path], None]:
    """Ctrl-C in-process: KeyboardInterrupt while speaking, or half-way through the MP3."""
    def patch(monkeypatch: pytest.MonkeyPatch, tmp: Path) -> None:
        if stage == "speaking":
            def synthesize(*args: object, **kwargs: object) -> None:
                raise KeyboardInterrupt
            monkeypatch.setattr(pipeline, "synthesize", synthesize)
        else:
            def write_mp3(handle: BinaryIO, *args: object, **kwargs: object) -> None:
                handle.write(b"\xff\xfb\x90\x64" * 2000)  # some frames are on disk
                raise KeyboardInterrupt
            monkeypatch.setattr(pipeline, "write_mp3", write_mp3)
    return patch


def read_only_folder(tmp: Path) -> Path:
    """A folder even root cannot write into: mode 0555, and immutable when we are root."""
    locked = tmp / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    if os.geteuid() == 0 and shutil.which("chattr"):
        subprocess.run(["chattr", "+i", str(locked)], capture_output=True, check=False)
    try:
        (locked / "probe").touch()
    except OSError:
        return locked
    (locked / "probe").unlink()
    unlock(locked)
    pytest.skip("cannot make a folder this user cannot write to (root, no chattr +i here)")


def unlock(locked: Path) -> None:
    if os.geteuid() == 0 and shutil.which("chattr"):
        subprocess.run(["chattr", "-i", str(locked)], capture_output=True, check=False)
    locked.chmod(0o755)


# --- the table ---------------------------------------------------------------------------

Args = Callable[[Path, str], list[str]]
"""(tmp folder, server URL) → the command line after ``listen``."""


@dataclass(frozen=True)
class Case:
    args: Args
    says: tuple[str, ...]
    """Words the one Error line must hold: what went wrong and what to do."""
    code: int = 1
    patch: Callable[[pytest.MonkeyPatch, Path], None] | None = None
    subprocess: bool = False
    """Run ``python -m listen`` instead of CliRunner, for the real exit path."""
    out: str = "out"
    """The output folder that must hold no file afterwards (relative to tmp)."""
    marks: tuple[Any, ...] = field(default=())


def render(*source: str, voice: str | None = None, out: str = "out") -> Args:
    """``render <source> --out <tmp/out> --cache <tmp/cache> --voice <tone> --jobs 1``."""
    def args(tmp: Path, url: str) -> list[str]:
        sources = [s.replace("{tmp}", str(tmp)).replace("{url}", url) for s in source]
        return ["render", *sources, "--out", str(tmp / out), "--cache", str(tmp / "cache"),
                "--voice", voice or str(tmp / "tone.toml"), "--jobs", "1"]
    return args


def huge(tmp: Path) -> None:
    with open(tmp / "huge.html", "wb") as handle:  # sparse: instant, takes no disk
        handle.write(b"<!DOCTYPE html><html><body><article><p>" + b"Words. " * 100)
        handle.truncate(MAX_BYTES + 1)


CASES: dict[str, Case] = {
    "missing file": Case(
        render("{tmp}/nope.html"), ("no such file", "nope.html", "check the path"),
        subprocess=True),
    "folder with no .html": Case(
        render("{tmp}/notes"), ("is a folder with no .html files", "name a page")),
    "binary file": Case(
        render("{tmp}/blob.html"), ("blob.html is a binary file", "give an HTML page")),
    "empty file": Case(
        render("{tmp}/empty.html"), ("empty.html is empty", "give a page")),
    "HTML with no article": Case(
        render("{tmp}/menu.html"), ("no article text found in", "add a site rule")),
    "huge page": Case(
        render("{tmp}/huge.html"), ("huge.html is larger than 15 MB", "save just the article")),
    "unreachable URL": Case(
        render("{closed}"), ("cannot reach http://127.0.0.1:", "check the address")),
    "URL answers 404": Case(
        render("{url}/gone.html"), ("/gone.html was not found (HTTP 404)", "check the address")),
    "URL answers with a PDF": Case(
        render("{url}/report.pdf"),
        ("/report.pdf is application/pdf, not a web page", "give the URL of the article page")),
    "unknown voice": Case(
        render(str(PAGE), voice="nobody"),
        ("no voice profile named 'nobody'", "choose one of", "listen voices")),
    "--out below a regular file": Case(
        render(str(PAGE), out="notes.txt/out"),
        ("cannot write to", "notes.txt/out", "is a file, not a folder", "--out"),
        out="notes.txt/out"),
    "read-only output folder": Case(
        render(str(PAGE), out="locked/out"), ("cannot write to", "locked", "--out"),
        out="locked"),
    "full disk (output folder, fsync)": Case(
        render(str(PAGE)), ("no space left on the device", "free some space"),
        patch=full_disk("out", "fsync")),
    "full disk (output folder, write)": Case(
        render(str(PAGE)), ("no space left on the device", "free some space"),
        patch=full_disk("out", "write")),
    "full disk (take cache)": Case(
        render(str(PAGE)), ("no space left on the device", "take cache", "free some space",
                            "--cache"),
        patch=full_disk("cache", "fsync")),
    "Ctrl-C while speaking": Case(
        render(str(PAGE)), ("interrupted", "run the command again"), code=130,
        patch=interrupt_while("speaking")),
    "Ctrl-C while writing the MP3": Case(
        render(str(PAGE)), ("interrupted", "run the command again"), code=130,
        patch=interrupt_while("writing")),
    # Paths typer would check itself (a boxed usage error, exit 2) are checked by listen.
    "--out names a regular file": Case(
        render(str(PAGE), out="notes.txt"), ("notes.txt", "--out"), out="elsewhere"),
    "--config that does not exist": Case(
        lambda tmp, url: [*render(str(PAGE))(tmp, url), "--config", str(tmp / "listen.toml")],
        ("listen.toml not found", "--config")),
    "--from-file that does not exist": Case(
        lambda tmp, url: [*render()(tmp, url), "--from-file", str(tmp / "sources.txt")],
        ("sources.txt", "check the path")),
}


def prepare(tmp: Path) -> None:
    """The inputs every case draws on."""
    (tmp / "tone.toml").write_text('engine = "tone"\nlanguage = "en"\nrate = 4.0\n')
    (tmp / "notes").mkdir()
    (tmp / "notes" / "todo.txt").write_text("buy milk\n")
    (tmp / "blob.html").write_bytes(bytes(range(256)) * 16)
    (tmp / "empty.html").write_bytes(b"")
    (tmp / "menu.html").write_text(
        "<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a> "
        "<a href='/news'>News</a></nav><footer>© 2026</footer></body></html>")
    (tmp / "notes.txt").write_text("not a folder\n")
    huge(tmp)


def invoke(args: list[str], use_subprocess: bool, cwd: Path) -> tuple[int, str, str]:
    if use_subprocess:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LISTEN_")}
        done = subprocess.run([sys.executable, "-m", "listen", *args], capture_output=True,
                              text=True, cwd=cwd, env=env, timeout=120)
        return done.returncode, done.stdout, done.stderr
    result = runner.invoke(app, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError("an exception escaped the CLI") from result.exception
    return result.exit_code, result.stdout, result.stderr


def files_below(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if not p.is_dir()] if folder.is_dir() else []


@pytest.mark.parametrize(
    "name", [pytest.param(name, marks=case.marks, id=name) for name, case in CASES.items()])
def test_bad_input_is_one_error_line_that_says_what_to_do(
    name: str, tmp_path: Path, server: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = CASES[name]
    prepare(tmp_path)
    monkeypatch.chdir(tmp_path)  # no ./listen.toml of the developer's
    for variable in [v for v in os.environ if v.startswith("LISTEN_")]:
        monkeypatch.delenv(variable)
    locked = read_only_folder(tmp_path) if "locked" in case.out else None
    if case.patch:
        case.patch(monkeypatch, tmp_path)
    args = [a.replace("{closed}", f"http://127.0.0.1:{closed_port()}/") for a in
            case.args(tmp_path, server)]
    try:
        code, stdout, stderr = invoke(args, case.subprocess, tmp_path)
        left = files_below(tmp_path / case.out)
        temps = [p for p in files_below(tmp_path) if p.name.endswith(".tmp")]
    finally:
        if locked:
            unlock(locked)

    print(f"{name} | {stderr.rstrip()} ({code})")
    assert "Traceback" not in stdout + stderr
    assert code == case.code, stderr
    assert stdout == ""
    assert stderr.startswith("Error: ") and stderr.endswith("\n") and stderr.count("\n") == 1, \
        f"not one Error line: {stderr!r}"
    for words in case.says:
        assert words in stderr, f"{words!r} not in {stderr!r}"
    assert left == [], f"files left in the output folder: {left}"
    assert temps == [], f"temporary files left: {temps}"


@pytest.mark.parametrize(("page", "words"), [
    pytest.param(KLINGON_PAGE.encode("utf-8"), KLINGON_WORDS, id="utf-8 bytes"),
    pytest.param(CP1252_PAGE.encode("cp1252"), CP1252_WORDS, id="windows-1252 bytes"),
])
def test_a_page_in_an_unknown_charset_is_read_right(
    page: bytes, words: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The table's one success: ``<meta charset="x-unknown-klingon">`` is ignored and the
    bytes are detected, so the script holds the page's non-ASCII words as written."""
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "island.html"
    source.write_bytes(page)
    code, stdout, stderr = invoke(["script", str(source)], False, tmp_path)
    assert code == 0, stderr
    assert "Error" not in stderr and "Traceback" not in stdout + stderr
    for word in words:
        assert word in stdout, f"{word!r} not in the script"
    assert "\ufffd" not in stdout and "Ã" not in stdout, "mojibake in the script"
