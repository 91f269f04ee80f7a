"""What the page, embed and player tests share: an episode rendered with the tone
engine, the VTT read back independently, a static web server on 127.0.0.1, and
headless Chromium (Debian's ``chromium`` package) driven by Playwright.

Playwright's own browser download is not used: it is not reachable everywhere CI
runs. ``tests/install-browser.sh`` installs Debian's chromium when it is missing;
without a browser the browser tests skip, except under CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import os
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from listen.cli import app
from localweb import running

PAGES = Path(__file__).parent / "pages"
FIXTURES = Path(__file__).parent / "fixtures"
CHROMIUM_FLAGS = [
    "--no-sandbox",  # Chromium refuses to start as root with its sandbox
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--disable-gpu",  # otherwise it tries to reach Google's hosts
    "--autoplay-policy=no-user-gesture-required",
]
runner = CliRunner()


# ── an episode, rendered for real with the tone engine ──────────────────────


def render_tone(source: Path, out: Path, *extra: str) -> Path:
    """Render ``source`` into ``out`` with tone bursts at four times the speed (a few
    seconds of work); return the episode page."""
    voice = out.parent / "tone.toml"
    voice.write_text('engine = "tone"\nrate = 4.0\n', encoding="utf-8")
    result = runner.invoke(app, ["render", str(source), "--out", str(out), "--voice",
                                 str(voice), "--no-cache", "--jobs", "1", "--quiet", *extra])
    assert result.exit_code == 0, result.stderr
    return Path(result.stdout.strip()).with_suffix(".html")


@dataclass(frozen=True)
class VttCue:
    start: float
    end: float
    text: str


def read_vtt(path: Path) -> list[VttCue]:
    """The cues of a WebVTT file, read with nothing of listen's."""
    cues = []
    timing = re.compile(r"(\d+):(\d\d):(\d\d)\.(\d{3}) --> (\d+):(\d\d):(\d\d)\.(\d{3})")
    for block in path.read_text(encoding="utf-8").split("\n\n")[1:]:
        lines = block.strip().splitlines()
        found = timing.search(block)
        if found:
            h, m, s, ms, h2, m2, s2, ms2 = map(int, found.groups())
            text = re.sub(r"<\d+:\d\d:\d\d\.\d{3}>", "", lines[-1])  # word timestamps
            text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
            cues.append(VttCue(h * 3600 + m * 60 + s + ms / 1000,
                               h2 * 3600 + m2 * 60 + s2 + ms2 / 1000, text))
    return cues


# ── a static web server ───────────────────────────────────────────────────────


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Python's http.server, as ``python -m http.server`` runs it: whole files only."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/favicon.ico":  # as a site has one: no 404 in the console
            self.send_response(204)
            self.end_headers()
            return
        super().do_GET()


class _RangeHandler(_QuietHandler):
    """The same, also sending part of a file when asked (as nginx, Apache or a CDN do)."""

    def send_head(self) -> Any:
        wanted = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        path = Path(self.translate_path(self.path))
        if not wanted or not path.is_file():
            return super().send_head()
        data = path.read_bytes()
        first = int(wanted.group(1))
        last = min(int(wanted.group(2) or len(data) - 1), len(data) - 1)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {first}-{last}/{len(data)}")
        self.send_header("Content-Length", str(last - first + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        return io.BytesIO(data[first:last + 1])


@contextlib.contextmanager
def serve(folder: Path, *, ranges: bool = False) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 (Python's http.server, as ``python -m
    http.server`` does; with ``ranges`` also parts of files); yield its base URL."""
    handler = functools.partial(_RangeHandler if ranges else _QuietHandler,
                                directory=str(folder))
    with running(handler) as url:
        yield url + "/"


# ── the browser ───────────────────────────────────────────────────────────────


def chromium_path() -> str | None:
    named = os.environ.get("LISTEN_CHROMIUM")
    if named:
        return named
    return next((found for name in ("chromium", "chromium-browser")
                 if (found := shutil.which(name))), None)


@pytest.fixture
def browser(chromium: Any) -> Iterator[Any]:
    """The browser, with every page a test opened closed after it."""
    yield chromium
    for context in chromium.contexts:
        context.close()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        message = "no chromium: run tests/install-browser.sh (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@dataclass
class Watch:
    """What a page did that a person would notice or a test must not allow."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> Any:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on("dialog", self._dialog)
        page.on("request", lambda request: self.requests.append(request.url))
        return page

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)
        elif message.type == "warning":
            self.warnings.append(message.text)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


def open_page(browser: Any, url: str, **context: Any) -> tuple[Any, Watch]:
    """A new page in a fresh context (its own storage), watched, at ``url``, with the
    player's script run."""
    watch = Watch()
    page = watch.attach(browser.new_context(**context).new_page())
    page.goto(url)
    page.wait_for_load_state("load")
    return page, watch


def until(page: Any, expression: str, arg: Any = None, timeout: float = 15.0) -> Any:
    """Poll ``expression`` in the page until it is truthy; return its value.

    Playwright's ``wait_for_function`` evaluates its predicate in a way the episode
    page's Content-Security-Policy forbids (no eval), so the polling is done here,
    through ``evaluate``, which the policy does not govern."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        time.sleep(0.05)


def audio(page: Any, expression: str) -> Any:
    """Evaluate ``expression`` with ``a`` bound to the page's audio element."""
    return page.evaluate(f"(() => {{ const a = document.querySelector('audio'); "
                         f"return {expression}; }})()")


def start_muted(page: Any) -> None:
    """Press the player's play button with the sound off, and wait until it plays."""
    audio(page, "a.muted = true")
    page.click(".listen-play")
    until(page, "!document.querySelector('audio').paused")


def record_seeks(page: Any) -> None:
    """Note the time every seek goes to, at the moment it begins."""
    audio(page, "(window.seeks = [], a.addEventListener('seeking', "
                "() => window.seeks.push(a.currentTime)))")


def last_seek(page: Any) -> float:
    """Where the last seek went, once seeking has settled."""
    until(page, "window.seeks.length > 0")
    until(page, "!document.querySelector('audio').seeking")
    page.wait_for_timeout(200)
    return float(page.evaluate("window.seeks[window.seeks.length - 1]"))
