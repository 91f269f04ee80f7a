"""A content-addressed cache of finished takes (MP3 frames and their counts).

The key is a SHA-256 over a canonical JSON of everything that shapes a take: the
engine and its version, the voice settings, the exact text spoken, the pause after
it, and the finisher's key (mastering and encoding settings). The profile's name,
its other pauses and its lexicon list are left out: they change no take on their
own (a lexicon acts through the text). A re-render after an edit therefore finds
every unchanged sentence here and synthesises only the changed ones.

One take is one file, ``<folder>/<key[:2]>/<key>.take``, written atomically::

    b"LTAKE1\\n"  magic and format version
    <QIqqQ      frames, sample_rate, speech_samples, lead_samples, len(mp3)
    32 bytes    SHA-256 of the MP3 bytes
    mp3 bytes

A take whose engine timed its words is written in format 2, which adds them::

    b"LTAKE2\\n"
    <QIqqQI     the counts above, then the number of words
    32 bytes    SHA-256 of the word times and the MP3 bytes
    <Nd         each word's start, seconds from the first speech sample
    mp3 bytes

Both formats are read: takes cached before word times existed stay valid, without
words. A missing, truncated or corrupt file reads as a miss.

What the listening check's recognisers heard in a take is kept beside it, in
``<key>.heard`` (JSON: the take's SHA-256 from its header, and the text and loudness
each recogniser heard), so a take is heard once, however often it is checked. A take
spoken again under the same key has another digest, so what was heard in the old
one is not taken for it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import struct
import uuid
from pathlib import Path

from listen.fsutil import atomic_writer, write_atomic
from listen.models import EncodedTake, Heard, TakeRef, VoiceProfile

KEY_VERSION = 1
_MAGIC = b"LTAKE1\n"
_COUNTS = struct.Struct("<QIqqQ")
_MAGIC_WORDS = b"LTAKE2\n"
_COUNTS_WORDS = struct.Struct("<QIqqQI")
_DIGEST_SIZE = 32
_HEADER_SIZE = len(_MAGIC) + _COUNTS.size + _DIGEST_SIZE
_SUFFIX = ".take"
_HEARD_SUFFIX = ".heard"


def take_key(
    engine: str,
    engine_version: str,
    profile: VoiceProfile,
    text: str,
    finish_key: str,
    *,
    pause_ms: int,
    voice_version: str = "",
) -> str:
    """The cache key of one take: hex SHA-256 over a canonical JSON.

    ``voice_version`` is the engine's identity of the voice data (a Piper model's
    size and time), left out when empty so other engines keep their keys."""
    fields = {
        "v": KEY_VERSION,
        "engine": engine,
        "engine_version": engine_version,
        "voice": profile.voice,
        "language": profile.language,
        "rate": float(profile.rate),
        "variation": None if profile.variation is None else float(profile.variation),
        "loudness": float(profile.loudness),
        "true_peak": float(profile.true_peak),
        "text": text,
        "pause_ms": int(pause_ms),
        "finish": finish_key,
    }
    if voice_version:
        fields["voice_version"] = voice_version
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def default_cache_dir() -> Path:
    """platformdirs' user cache folder for ``listen`` (``~/.cache/listen`` on Linux)."""
    import platformdirs

    return platformdirs.user_cache_path("listen")


_CACHE_FIX = "point the take cache at another folder with --cache (or LISTEN_CACHE)"


class TakeCache:
    """Finished takes on disk, by ``take_key``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}{_SUFFIX}"

    def get(self, key: str) -> EncodedTake | None:
        try:
            data = self.path(key).read_bytes()
        except OSError:
            return None
        return _decode(data)

    def ref(self, key: str) -> TakeRef | None:
        """The stored take's timing, verified, without keeping its frames in memory."""
        take = self.get(key)
        return take.ref(key) if take else None

    def put(self, key: str, take: EncodedTake) -> EncodedTake:
        """Keep ``take`` under ``key`` unless a good take is there already; return the
        take the cache holds.

        The first writer wins, atomically (a hard link that fails if the file exists):
        two renders that made the same take at once (Piper varies each one slightly)
        both go on with the one kept, so an article's timing always matches the
        frames it reads back.
        """
        path = self.path(key)
        staged = path.with_name(f"{path.name}.{uuid.uuid4().hex}.new")  # this writer's own
        try:
            with atomic_writer(staged, fix=_CACHE_FIX) as handle:
                handle.write(_encode(take))
            try:
                os.link(staged, path)
            except FileExistsError:
                kept = self.get(key)
                if kept is not None:
                    return kept
                os.replace(staged, path)  # a damaged file: replace it
            except OSError:  # no hard links on this file system: last writer wins
                os.replace(staged, path)
        finally:
            with contextlib.suppress(OSError):  # never hide why the write failed
                staged.unlink(missing_ok=True)
        if take.heard is not None:
            self.keep_heard(key, take.heard)
        return take

    def heard(self, key: str, recognizer: str) -> Heard | None:
        """What ``recognizer`` heard in the take now under ``key``, if it was kept."""
        found = self._heard_in(key).get(recognizer)
        if not isinstance(found, list) or len(found) != 2:
            return None
        return Heard(recognizer, str(found[0]), float(found[1]))

    def keep_heard(self, key: str, heard: Heard) -> None:
        """Keep what a recogniser heard in the take now under ``key``."""
        digest = self._digest(key)
        if digest is None:
            return
        record = self._heard_in(key) | {heard.recognizer: [heard.text, heard.loudness]}
        data = json.dumps({"take": digest, "heard": record}, ensure_ascii=False)
        write_atomic(self._heard_path(key), data.encode("utf-8"), fix=_CACHE_FIX)

    def _heard_in(self, key: str) -> dict[str, object]:
        """What was heard in the take now under ``key``, by recogniser."""
        try:
            data = json.loads(self._heard_path(key).read_bytes())
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("take") != self._digest(key):
            return {}
        heard = data.get("heard")
        return heard if isinstance(heard, dict) else {}

    def _heard_path(self, key: str) -> Path:
        return self.path(key).with_suffix(_HEARD_SUFFIX)

    def _digest(self, key: str) -> str | None:
        """The SHA-256 in the take's header (hex), or None without a take."""
        try:
            with self.path(key).open("rb") as handle:
                header = handle.read(len(_MAGIC_WORDS) + _COUNTS_WORDS.size + _DIGEST_SIZE)
        except OSError:
            return None
        counts = {_MAGIC: _COUNTS, _MAGIC_WORDS: _COUNTS_WORDS}.get(header[: len(_MAGIC)])
        if counts is None:
            return None
        start = len(_MAGIC) + counts.size
        digest = header[start : start + _DIGEST_SIZE]
        return digest.hex() if len(digest) == _DIGEST_SIZE else None

    def size(self) -> int:
        """Bytes the cached takes occupy."""
        if not self.folder.is_dir():
            return 0
        return sum(path.stat().st_size for path in self.folder.glob(f"??/*{_SUFFIX}"))


def _encode(take: EncodedTake) -> bytes:
    if take.words:
        return _encode_with_words(take)
    counts = _COUNTS.pack(
        take.frames, take.sample_rate, take.speech_samples, take.lead_samples, len(take.mp3)
    )
    return _MAGIC + counts + hashlib.sha256(take.mp3).digest() + take.mp3


def _encode_with_words(take: EncodedTake) -> bytes:
    counts = _COUNTS_WORDS.pack(take.frames, take.sample_rate, take.speech_samples,
                                take.lead_samples, len(take.mp3), len(take.words))
    body = struct.pack(f"<{len(take.words)}d", *take.words) + take.mp3
    return _MAGIC_WORDS + counts + hashlib.sha256(body).digest() + body


def _decode(data: bytes) -> EncodedTake | None:
    if data.startswith(_MAGIC_WORDS):
        return _decode_with_words(data)
    if len(data) < _HEADER_SIZE or not data.startswith(_MAGIC):
        return None
    frames, sample_rate, speech, lead, length = _COUNTS.unpack_from(data, len(_MAGIC))
    digest = data[_HEADER_SIZE - _DIGEST_SIZE : _HEADER_SIZE]
    mp3 = data[_HEADER_SIZE:]
    if len(mp3) != length or hashlib.sha256(mp3).digest() != digest:
        return None
    return EncodedTake(mp3, frames, sample_rate, speech, lead)


def _decode_with_words(data: bytes) -> EncodedTake | None:
    header = len(_MAGIC_WORDS) + _COUNTS_WORDS.size + _DIGEST_SIZE
    if len(data) < header:
        return None
    frames, sample_rate, speech, lead, length, count = _COUNTS_WORDS.unpack_from(
        data, len(_MAGIC_WORDS))
    digest, body = data[header - _DIGEST_SIZE : header], data[header:]
    if len(body) != 8 * count + length or hashlib.sha256(body).digest() != digest:
        return None
    words = struct.unpack_from(f"<{count}d", body)
    return EncodedTake(body[8 * count :], frames, sample_rate, speech, lead, words)
