"""The take cache: keys that change exactly when a take would, and safe storage."""

from __future__ import annotations

import hashlib
import json
import os
import struct
from dataclasses import replace
from pathlib import Path

import platformdirs
import pytest

from listen.models import EncodedTake, Heard, Pauses, VoiceProfile
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
        key(profile=replace(PROFILE, language="de")),
        key(profile=replace(PROFILE, true_peak=-2.0)),
        take_key("piper", "1.8", PROFILE, "Hello.", "m1", pause_ms=350,
                 voice_version="63201294:1764000000"),  # a re-installed model
        take_key("piper", "1.8", PROFILE, "Hello.", "m1", pause_ms=350,
                 voice_version="63201294:1765000000"),
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


def test_the_key_of_a_take_stays_the_same_from_release_to_release() -> None:
    """A changed key throws away every user's cached takes on upgrade (a cold render of
    the whole back catalogue): change it only on purpose, with KEY_VERSION."""
    assert key() == "44af21e7fdc4b77477a843cfb6082393a7e8c2519f09e92b5760f65f2f0146a6"
    assert key(text="Ærøsund’s café, 5 °C.") == (
        "6bfb1a184743c04de240608998a46f16b202f13947ba44bbb853f25aeec60e26")


def test_without_hard_links_the_cache_still_keeps_takes(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Some file systems (FAT, some network shares) refuse hard links: the last writer
    wins there, and the take is still kept."""
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", refuse)
    cache = TakeCache(tmp_path)
    assert cache.put(key(), TAKE) == TAKE
    assert cache.get(key()) == TAKE
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [f"{key()}.take"]


def test_ctrl_c_while_a_take_is_kept_leaves_no_file_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C the instant a temporary file exists, before the code that made it has
    even returned its name (the render safety test once caught exactly this)."""
    real_open = os.open

    def open_then_interrupt(path: str, flags: int, mode: int = 0o777) -> int:
        os.close(real_open(path, flags, mode))
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "open", open_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        TakeCache(tmp_path).put(key(), TAKE)
    monkeypatch.undo()
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == []
    assert TakeCache(tmp_path).get(key()) is None


HEARD = Heard("pocketsphinx", "the night train is back", -19.2)


def test_what_was_heard_in_a_take_is_kept_beside_it(tmp_path: Path) -> None:
    """A take heard where it was made (``--verify``) is not heard again: the text and
    loudness come back for that recogniser, and only for it."""
    cache = TakeCache(tmp_path)
    cache.put(key(), replace(TAKE, heard=HEARD))
    assert cache.heard(key(), "pocketsphinx") == HEARD
    assert cache.heard(key(), "pocketsphinx:careful") is None
    careful = Heard("pocketsphinx:careful", "the night train is back", -19.2)
    cache.keep_heard(key(), careful)
    assert cache.heard(key(), "pocketsphinx") == HEARD, "both kept"
    assert cache.heard(key(), "pocketsphinx:careful") == careful
    silent = Heard("pocketsphinx", "", float("-inf"))
    cache.keep_heard(key(), silent)
    assert cache.heard(key(), "pocketsphinx") == silent, "silence, too"
    assert cache.heard(key(text="Another sentence."), "pocketsphinx") is None


def test_what_was_heard_in_a_take_spoken_again_is_forgotten(tmp_path: Path) -> None:
    """``--verify=strict`` speaks a wrong take again under its key: what was heard in
    the wrong one must not be taken for the new one."""
    cache = TakeCache(tmp_path)
    cache.put(key(), replace(TAKE, heard=HEARD))
    cache.path(key()).unlink()
    assert cache.heard(key(), "pocketsphinx") is None, "no take, nothing heard"
    cache.put(key(), replace(TAKE, mp3=TAKE.mp3 + b"\xff\xf3" * 20))
    assert cache.heard(key(), "pocketsphinx") is None
    with_words = replace(WORDS, heard=Heard("pocketsphinx", "a new take", -18.0))
    cache.path(key()).unlink()
    cache.put(key(), with_words)
    assert cache.heard(key(), "pocketsphinx") == with_words.heard, "format 2 takes too"


def test_what_another_render_heard_stays_with_its_own_take(tmp_path: Path) -> None:
    """When another render kept its take first, what this render heard in its own
    (different) take is not kept for it."""
    cache = TakeCache(tmp_path)
    cache.put(key(), TAKE)
    other = replace(TAKE, mp3=TAKE.mp3 + b"\xff\xf3" * 20, heard=HEARD)
    assert cache.put(key(), other) == TAKE
    assert cache.heard(key(), "pocketsphinx") is None


def test_a_damaged_record_of_what_was_heard_is_a_miss(tmp_path: Path) -> None:
    cache = TakeCache(tmp_path)
    cache.put(key(), replace(TAKE, heard=HEARD))
    record = cache.path(key()).with_suffix(".heard")
    digest = json.loads(record.read_bytes())["take"]
    for damaged in (b"{not json", b"[]", b'{"take": 1}', record.read_bytes()[:-9],
                    record.read_bytes().replace(b"[", b"[1, "),
                    json.dumps({"take": digest, "heard": []}).encode()):
        record.write_bytes(damaged)
        assert cache.heard(key(), "pocketsphinx") is None, damaged
    cache.keep_heard(key(), HEARD)
    assert cache.heard(key(), "pocketsphinx") == HEARD, "and a new record replaces it"
