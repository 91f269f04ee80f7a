"""Mastering and the timeline, judged on the decoded MP3 a listener would hear."""

from __future__ import annotations

import io
import math
import wave
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
from mutagen.mp3 import MP3

from listen.config import MP3_BITRATES
from listen.errors import AudioError
from listen.models import (
    Article,
    EncodedTake,
    PauseKind,
    Program,
    Script,
    Segment,
    SegmentKind,
    Sentence,
)
from listen.sound.audio import AudioSegment, decode_mp3, true_peak_dbtp
from listen.sound.encode import encode_take, write_mp3
from listen.sound.master import assemble, limit_true_peak, load_bumper, master_take

SOURCE_RATE = 22050
RATE = 44100


def speech_like(seconds: float, level: float, seed: int, clicks: bool = False) -> np.ndarray:
    """Band-limited noise in 4 Hz syllables with short gaps between words, float."""
    rng = np.random.default_rng(seed)
    n = int(seconds * SOURCE_RATE)
    noise = np.convolve(rng.standard_normal(n), np.ones(4) / 4, mode="same")
    t = np.arange(n) / SOURCE_RATE
    syllables = np.clip(np.sin(2 * np.pi * 4.0 * t + rng.uniform(0, 6)), 0, None)
    words = (np.sin(2 * np.pi * 0.9 * t) > -0.6).astype(float)
    signal = noise * syllables * words * level
    if clicks:
        signal[rng.integers(0, n, 6)] = 0.99  # plosive-like spikes far above the speech
    return signal


def segment_of(samples: np.ndarray) -> AudioSegment:
    pcm = np.clip(np.round(samples * 32767), -32768, 32767).astype(np.int16)
    return AudioSegment(data=pcm.tobytes(), sample_width=2, frame_rate=SOURCE_RATE, channels=1)


def finish(samples: np.ndarray, pause_ms: int = 350) -> EncodedTake:
    pcm, speech = master_take(
        segment_of(samples), pause_ms=pause_ms, loudness=-19.0, true_peak=-1.0
    )
    return encode_take(pcm, speech_samples=speech)


def script_of(counts: list[int], chapters: list[int]) -> Script:
    segments = tuple(
        Segment(
            kind=SegmentKind.PARAGRAPH,
            sentences=tuple(Sentence(f"Sentence {i}.{j}.", f"sentence {i} {j}") for j in range(n)),
            chapter=chapter,
            pause_after=PauseKind.PARAGRAPH,
        )
        for i, (n, chapter) in enumerate(zip(counts, chapters, strict=True))
    )
    titles = tuple(f"Chapter {c}" for c in range(max(chapters) + 1))
    return Script(article=Article(title="T", blocks=()), segments=segments, chapters=titles)


def render(takes: list[EncodedTake], program: Program) -> bytes:
    buffer = io.BytesIO()
    write_mp3(buffer, takes, program)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def varied_programme() -> tuple[np.ndarray, int]:
    """Forty takes from whisper-quiet to clipping, with spikes, mastered, encoded, decoded."""
    levels = [0.005, 0.02, 0.1, 0.3, 0.9]
    takes = [
        finish(speech_like(1.0 + (i % 4), levels[i % 5], seed=i, clicks=i % 3 == 0))
        for i in range(40)
    ]
    script = script_of([10, 10, 10, 10], [0, 1, 1, 2])
    program = assemble(script, [takes[i : i + 10] for i in range(0, 40, 10)])
    return decode_mp3(render(takes, program))


def test_programme_loudness_is_on_target_once_decoded(
    varied_programme: tuple[np.ndarray, int],
) -> None:
    samples, rate = varied_programme
    loudness = pyloudnorm.Meter(rate).integrated_loudness(samples)
    assert loudness == pytest.approx(-19.0, abs=1.0)


def test_decoded_true_peak_stays_under_ceiling(varied_programme: tuple[np.ndarray, int]) -> None:
    samples, rate = varied_programme
    assert true_peak_dbtp(samples, rate) <= -1.0


def test_each_take_sits_at_the_same_level(varied_programme: tuple[np.ndarray, int]) -> None:
    """A listener should not reach for the volume between sentences."""
    samples, rate = varied_programme
    meter = pyloudnorm.Meter(rate)
    block = 3 * rate
    levels = [
        meter.integrated_loudness(samples[i : i + block])
        for i in range(0, len(samples) - block, block)
    ]
    assert max(levels) - min(levels) < 3.0


def test_limiter_leaves_quiet_passages_alone() -> None:
    rng = np.random.default_rng(7)
    quiet = rng.standard_normal(RATE) * 0.02
    signal = np.concatenate([quiet, quiet])
    signal[RATE + 100] = 1.0
    limited = limit_true_peak(signal, RATE, -2.0)
    untouched = slice(0, RATE - RATE // 10)
    assert np.array_equal(limited[untouched], signal[untouched])
    assert np.array_equal(limited[-RATE // 2 :], signal[-RATE // 2 :])
    assert true_peak_dbtp(limited, RATE) <= -2.0 + 0.05


def test_limiter_does_not_turn_everything_down() -> None:
    rng = np.random.default_rng(8)
    signal = rng.standard_normal(RATE * 2) * 0.05
    signal[:: RATE // 2] = 0.95  # two plosive-like spikes a second
    limited = limit_true_peak(signal, RATE, -2.0)
    ratio = np.sqrt(np.mean(limited**2) / np.mean(signal**2))
    assert ratio > 0.95


def test_short_take_is_brought_to_level() -> None:
    pcm, speech = master_take(segment_of(speech_like(0.25, 0.01, seed=3)), pause_ms=100,
                              loudness=-19.0, true_peak=-1.0)  # fmt: skip
    rms_db = 20 * math.log10(float(np.sqrt(np.mean((pcm[:speech] / 32767.0) ** 2))))
    assert -30 < rms_db < -12
    assert len(pcm) - speech == RATE // 10


def tone_take(seconds: float, pause_ms: int) -> EncodedTake:
    t = np.arange(int(seconds * SOURCE_RATE)) / SOURCE_RATE
    return finish(0.3 * np.sin(2 * np.pi * 440 * t), pause_ms=pause_ms)


def onsets(samples: np.ndarray, rate: int) -> list[float]:
    """Times where a 5 ms envelope rises through -30 dBFS after at least 100 ms of quiet."""
    hop = rate // 200
    envelope = np.sqrt(np.mean(samples[: len(samples) // hop * hop].reshape(-1, hop) ** 2, axis=1))
    loud = envelope > 10 ** (-30 / 20)
    found, quiet_run = [], 20
    for index, is_loud in enumerate(loud):
        if is_loud and quiet_run >= 20:
            found.append(index * hop / rate)
        quiet_run = 0 if is_loud else quiet_run + 1
    return found


def test_cues_start_within_50ms_of_the_sentences_heard() -> None:
    lengths = [0.6, 1.3, 0.45, 2.2, 0.9, 1.7, 0.8]
    pauses = [350, 750, 350, 1000, 350, 750, 1200]
    takes = [tone_take(s, p) for s, p in zip(lengths, pauses, strict=True)]
    script = script_of([3, 4], [0, 1])
    program = assemble(script, [takes[:3], takes[3:]])
    samples, rate = decode_mp3(render(takes, program))
    heard = onsets(samples, rate)
    assert len(heard) == len(program.cues)
    for cue, onset in zip(program.cues, heard, strict=True):
        assert abs(cue.start - onset) < 0.05
    assert len(samples) / rate == pytest.approx(program.duration, abs=0.001)


def test_pause_heard_is_the_pause_asked_for() -> None:
    takes = [tone_take(1.0, 750), tone_take(1.0, 350)]
    program = assemble(script_of([2], [0]), [takes])
    first, second = program.cues
    assert second.start - first.end == pytest.approx(0.75, abs=0.015)


def test_chapters_cover_the_programme_in_order() -> None:
    takes = [tone_take(0.5, 350) for _ in range(5)]
    intro = tone_take(2.0, 500)
    program = assemble(
        script_of([1, 2, 2], [0, 1, 2]), [takes[:1], takes[1:3], takes[3:]], intro=intro
    )
    starts = [mark.start for mark in program.chapters]
    assert starts[0] == 0.0
    assert starts == sorted(starts)
    assert program.chapters[1].start == pytest.approx(program.cues[1].start, abs=0.05)
    assert all(
        a.end == b.start for a, b in zip(program.chapters, program.chapters[1:], strict=False)
    )
    assert program.chapters[-1].end == program.duration
    assert program.cues[0].start >= intro.duration - 0.05


def test_take_counts_must_match_the_script() -> None:
    with pytest.raises(AudioError):
        assemble(script_of([2], [0]), [[tone_take(0.5, 350)]])


def write_wav(path: Path, samples: np.ndarray, rate: int) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(np.round(samples * 32767).astype(np.int16).tobytes())


def test_bumper_is_levelled_and_faded(tmp_path: Path) -> None:
    path = tmp_path / "intro.wav"
    t = np.arange(48000 * 3) / 48000
    write_wav(path, 0.9 * np.sin(2 * np.pi * 220 * t), 48000)
    pcm = load_bumper(path, loudness=-19.0, true_peak=-1.0, fade_ms=500)
    samples = pcm / 32767.0
    assert len(pcm) == pytest.approx(3 * RATE, abs=2)
    assert abs(samples[0]) < 0.001 and abs(samples[-1]) < 0.001
    assert true_peak_dbtp(samples, RATE) <= -2.0 + 0.05


def test_bad_bumper_is_named(tmp_path: Path) -> None:
    path = tmp_path / "outro.wav"
    path.write_bytes(b"this is not audio at all" * 10)
    with pytest.raises(AudioError, match="outro.wav"):
        load_bumper(path, loudness=-19.0, true_peak=-1.0)
    with pytest.raises(AudioError, match="missing.flac"):
        load_bumper(tmp_path / "missing.flac", loudness=-19.0, true_peak=-1.0)


@pytest.mark.parametrize("bitrate", MP3_BITRATES)
def test_every_bitrate_offered_gives_a_file_players_read_at_that_bitrate(bitrate: int) -> None:
    """Publishers may set any MPEG-1 bitrate: the file says it, and plays for its duration."""
    pcm, speech = master_take(segment_of(speech_like(0.5, 0.1, seed=4)), pause_ms=350,
                              loudness=-19.0, true_peak=-1.0)  # fmt: skip
    take = encode_take(pcm, speech_samples=speech, bitrate=bitrate)
    program = assemble(script_of([1], [0]), [[take]])
    data = render([take], program)
    assert program.bitrate == bitrate
    assert MP3(io.BytesIO(data)).info.bitrate == pytest.approx(bitrate * 1000, rel=0.01)
    samples, rate = decode_mp3(data)
    assert len(samples) / rate == pytest.approx(program.duration, abs=0.001)


def test_limiter_holds_peaks_in_the_first_and_last_milliseconds() -> None:
    """A take that starts or ends on a plosive is limited there too (no gain 1 from outside)."""
    rng = np.random.default_rng(9)
    signal = rng.standard_normal(RATE // 2) * 0.05
    signal[0], signal[40], signal[-30], signal[-1] = 0.95, -0.9, 0.9, -0.95
    limited = limit_true_peak(signal, RATE, -3.0)
    assert true_peak_dbtp(limited, RATE) <= -3.0 + 0.001
