"""The take cache: keys that change exactly when a take would, and safe storage."""

from __future__ import annotations

import hashlib
import struct
from dataclasses import replace
from pathlib import Path

import platformdirs

from listen.models import EncodedTake, Pauses, VoiceProfile
from listen.sound.cache import TakeCache, default_cache_dir, take_key

PROFILE = VoiceProfile(name="joe", engine="piper", voice="en_US-joe-medium")
TAKE = EncodedTake(mp3=b"\xff\xf3" + bytes(range(256)) * 40, frames=9, sample_rate=22050,
                   speech_samples=9000, lead_samples=1105)


def key(
    engine: str = "piper",
    version: str = "1.8",
    profile: VoiceProfile = PROFILE,
    text: str = "Hello.",
    finish: str = "m1",
    pause_ms: int = 350,
) -> str:
    return take_key(engine, version, profile, text, finish, pause_ms=pause_ms)


def test_the_key_is_stable_and_hex_sha256() -> None:
    assert key() == key()
    assert len(key()) == 64 and int(key(), 16) >= 0


def test_the_key_changes_with_whatever_changes_the_take() -> None:
    base = key()
    changed = [
        key(text="Hello!"),
        key(pause_ms=750),
        key(finish="m2"),
        key(version="1.9"),
        key(engine="pyttsx3"),
        key(profile=replace(PROFILE, rate=1.1)),
        key(profile=replace(PROFILE, voice="other.onnx")),
        key(profile=replace(PROFILE, variation=0.5)),
        key(profile=replace(PROFILE, loudness=-16.0)),
    ]
    assert base not in changed
    assert len(set(changed)) == len(changed)


def test_the_key_ignores_what_does_not_change_the_take() -> None:
    assert key(profile=replace(PROFILE, name="renamed")) == key()
    assert key(profile=replace(PROFILE, pauses=Pauses(paragraph=900))) == key()
    assert key(profile=replace(PROFILE, rate=1)) == key(profile=replace(PROFILE, rate=1.0))


def test_a_take_round_trips(tmp_path: Path) -> None:
    cache = TakeCache(tmp_path)
    assert cache.get(key()) is None
    cache.put(key(), TAKE)
    assert cache.get(key()) == TAKE
    assert cache.size() >= len(TAKE.mp3)
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_truncated_or_corrupt_entry_is_a_miss(tmp_path: Path) -> None:
    cache = TakeCache(tmp_path)
    cache.put(key(), TAKE)
    path = cache.path(key())
    whole = path.read_bytes()
    path.write_bytes(whole[:-10])
    assert cache.get(key()) is None
    flipped = bytearray(whole)
    flipped[-100] ^= 0xFF
    path.write_bytes(bytes(flipped))
    assert cache.get(key()) is None
    path.write_bytes(b"not a take")
    assert cache.get(key()) is None
    cache.put(key(), TAKE)
    assert cache.get(key()) == TAKE


def test_size_is_zero_for_a_new_folder(tmp_path: Path) -> None:
    assert TakeCache(tmp_path / "absent").size() == 0


def test_the_default_folder_is_the_user_cache_dir() -> None:
    assert default_cache_dir() == platformdirs.user_cache_path("listen")


def test_the_first_take_kept_under_a_key_wins(tmp_path: Path) -> None:
    """Two renders that made one sentence at once (Piper varies each take) must both
    go on with the take the cache keeps, or an article's timing would not match the
    frames it reads back."""
    cache = TakeCache(tmp_path)
    other = replace(TAKE, mp3=TAKE.mp3 + b"\xff\xf3" * 100, frames=10)
    assert cache.put(key(), TAKE) == TAKE
    assert cache.put(key(), other) == TAKE
    assert cache.get(key()) == TAKE
    assert not list(tmp_path.rglob("*.new")), "no staged file is left"


def test_takes_put_at_once_from_many_threads_agree(tmp_path: Path) -> None:
    import concurrent.futures

    cache = TakeCache(tmp_path)
    takes = [replace(TAKE, mp3=TAKE.mp3 + bytes([n]) * 50, frames=9 + n) for n in range(16)]
    with concurrent.futures.ThreadPoolExecutor(8) as threads:
        kept = list(threads.map(lambda take: cache.put(key(), take), takes))
    assert len(set(kept)) == 1 and cache.get(key()) == kept[0]


def test_a_damaged_take_is_replaced(tmp_path: Path) -> None:
    cache = TakeCache(tmp_path)
    cache.path(key()).parent.mkdir(parents=True)
    cache.path(key()).write_bytes(b"LTAKE1\ntruncated")
    assert cache.put(key(), TAKE) == TAKE and cache.get(key()) == TAKE


WORDS = replace(TAKE, words=(0.07, 0.31, 0.95))


def test_word_times_are_kept_with_the_take(tmp_path: Path) -> None:
    cache = TakeCache(tmp_path)
    cache.put(key(), WORDS)
    assert cache.get(key()) == WORDS
    assert cache.ref(key()) == WORDS.ref(key())
    assert cache.ref(key()).words == (0.07, 0.31, 0.95)  # type: ignore[union-attr]


def test_a_take_cached_before_word_times_still_reads_without_them(tmp_path: Path) -> None:
    """The bytes an earlier listen wrote (format 1, as its docstring describes it)."""
    cache = TakeCache(tmp_path)
    counts = struct.pack("<QIqqQ", TAKE.frames, TAKE.sample_rate, TAKE.speech_samples,
                         TAKE.lead_samples, len(TAKE.mp3))
    cache.path(key()).parent.mkdir(parents=True)
    cache.path(key()).write_bytes(b"LTAKE1\n" + counts + hashlib.sha256(TAKE.mp3).digest()
                                  + TAKE.mp3)
    assert cache.get(key()) == TAKE and cache.get(key()).words == ()  # type: ignore[union-attr]


def test_damaged_word_times_are_a_miss(tmp_path: Path) -> None:
    cache = TakeCache(tmp_path)
    cache.put(key(), WORDS)
    path = cache.path(key())
    whole = bytearray(path.read_bytes())
    start = whole.index(struct.pack("<d", 0.31))
    whole[start] ^= 0x01
    path.write_bytes(bytes(whole))
    assert cache.get(key()) is None
    path.write_bytes(path.read_bytes()[:60])
    assert cache.get(key()) is None
