"""Mastering and the timeline, judged on the decoded MP3 a listener would hear."""

from __future__ import annotations

import io
import math
import wave
from dataclasses import replace
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
from listen.sound.master import assemble, limit_true_peak, load_bumper, master_take, to_int16

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


def voiced(seconds: float) -> np.ndarray:
    """A 140 Hz buzz with its harmonics in 4 Hz syllables: less peaky than noise."""
    t = np.arange(int(seconds * SOURCE_RATE)) / SOURCE_RATE
    buzz = sum(np.sin(2 * np.pi * 140 * k * t) / k for k in range(1, 20))
    return 0.1 * buzz * np.clip(np.sin(2 * np.pi * 4.0 * t), 0, None)


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
    speech = (speech_like(0.5, 0.3, seed=4) * 32767).astype(np.int16)
    pcm = np.concatenate([speech, np.zeros(RATE // 4, dtype=np.int16)])
    take = encode_take(pcm, speech_samples=len(speech), bitrate=bitrate)
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


def spiky(seed: int, spikes: dict[int, float], seconds: float = 2.0) -> np.ndarray:
    """Quiet noise with single-sample spikes of the given heights at the given samples."""
    signal = np.random.default_rng(seed).standard_normal(int(seconds * RATE)) * 0.02
    for at, height in spikes.items():
        signal[at] = height
    return signal


def test_limiter_pulls_each_peak_to_the_ceiling_and_touches_nothing_else() -> None:
    """Peaks of different heights each end at the ceiling; the limiter only ever turns
    down, and only within the attack before and the release after a peak."""
    spikes = {11_000: 0.95, 23_500: 0.62, 40_000: 0.99, 52_700: 0.7, 71_000: 0.55}
    signal = spiky(12, spikes)
    limited = limit_true_peak(signal, RATE, -6.0)
    assert np.all(np.abs(limited) <= np.abs(signal))
    near = np.zeros(len(signal), dtype=bool)
    for at in spikes:
        near[at - RATE // 100 : at + RATE * 7 // 100] = True  # 10 ms before, 70 ms after
        around = limited[at - 500 : at + 500]
        assert true_peak_dbtp(around, RATE) == pytest.approx(-6.0, abs=0.02)
    assert np.array_equal(limited[~near], signal[~near])


def test_limiter_gain_glides_down_before_a_peak_and_back_up_after_it() -> None:
    """Look-ahead: the gain is down by the peak; it never jumps (a click) and never dips
    twice (pumping)."""
    signal = np.full(RATE // 2, 0.25)
    peak = RATE // 4
    signal[peak] = 0.9
    gain = limit_true_peak(signal, RATE, -6.0) / signal
    lowest = gain.min()
    assert gain[peak] == pytest.approx(lowest)
    assert np.all(np.diff(gain[: peak + 1]) <= 1e-12)
    assert np.all(np.diff(gain[peak:]) >= -1e-12)
    fastest_change = np.abs(np.diff(gain)).max()
    assert fastest_change <= (1 - lowest) / (0.0025 * RATE)  # spread over 2.5 ms or more


def test_full_scale_samples_clip_instead_of_wrapping_around() -> None:
    """A wrapped sample is a loud click: overdriven input is clipped to full scale."""
    pcm = to_int16(np.array([1.0, -1.0, 1.5, -1.5, 0.0]))
    assert pcm.dtype == np.int16
    assert pcm.tolist() == [32767, -32767, 32767, -32768, 0]


@pytest.mark.parametrize(
    ("level", "clicks", "loudness", "true_peak"),
    [
        (0.02, False, -19.0, -1.0),  # quiet: about 25 dB of gain
        (0.02, True, -19.0, -1.0),  # quiet with plosive spikes: gain and heavy limiting
        (0.9, True, -19.0, -1.0),  # clipping-loud: turned down
        (None, False, -16.0, -1.0),  # a voiced take to the usual podcast target
        (0.1, False, -23.0, -2.0),  # EBU R 128 broadcast
    ],
)
def test_each_take_decoded_is_at_the_target_and_under_the_ceiling(
    level: float | None, clicks: bool, loudness: float, true_peak: float
) -> None:
    """EBU R 128 permits ±0.5 LU where normalisation is achievable (file-based)."""
    source = voiced(2.0) if level is None else speech_like(2.0, level, seed=21, clicks=clicks)
    pcm, speech = master_take(segment_of(source), pause_ms=350, loudness=loudness,
                              true_peak=true_peak)  # fmt: skip
    samples, rate = decode_mp3(encode_take(pcm, speech_samples=speech).mp3)
    assert pyloudnorm.Meter(rate).integrated_loudness(samples) == pytest.approx(loudness, abs=0.5)
    assert true_peak_dbtp(samples, rate) <= true_peak


@pytest.mark.parametrize("pause_ms", [0, 350, 1000])
def test_take_is_its_speech_then_the_pause_asked_for(pause_ms: int) -> None:
    source = speech_like(0.5, 0.1, seed=2)
    pcm, speech = master_take(segment_of(source), pause_ms=pause_ms, loudness=-19.0,
                              true_peak=-1.0)  # fmt: skip
    assert speech == 2 * len(source)  # 22.05 kHz in, 44.1 kHz out
    assert len(pcm) - speech == pause_ms * RATE // 1000
    assert not pcm[speech:].any()


def test_silence_and_hiss_under_the_gate_are_not_raised_to_speech_level() -> None:
    """A take under BS.1770's -70 LUFS absolute gate is left as quiet as it came."""
    silent, speech = master_take(segment_of(np.zeros(SOURCE_RATE)), pause_ms=100,
                                 loudness=-19.0, true_peak=-1.0)  # fmt: skip
    assert speech == RATE and not silent.any()
    hiss = np.random.default_rng(5).standard_normal(SOURCE_RATE) * 10 ** (-80 / 20)
    pcm, speech = master_take(segment_of(hiss), pause_ms=100, loudness=-19.0, true_peak=-1.0)
    rms_in = np.sqrt(np.mean((np.round(hiss * 32767) / 32767) ** 2))
    rms_out = np.sqrt(np.mean((pcm[RATE // 10 : speech - RATE // 10] / 32767) ** 2))
    assert 20 * math.log10(rms_out / rms_in) == pytest.approx(0.0, abs=0.5)


def test_a_take_of_a_few_milliseconds_starts_and_ends_in_silence() -> None:
    """An engine's lone click: faded over its halves, so it does not click in the programme."""
    pcm, speech = master_take(segment_of(np.full(66, 0.5)), pause_ms=0, loudness=-19.0,
                              true_peak=-1.0)  # fmt: skip
    assert speech == 132 and len(pcm) == 132
    assert pcm[0] == 0 and pcm[-1] == 0 and np.abs(pcm).max() > 0


def test_empty_bumper_is_named_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "intro.wav"
    write_wav(path, np.zeros(0), 44100)
    with pytest.raises(AudioError, match="intro.wav is empty: use a file with sound in it"):
        load_bumper(path, loudness=-19.0, true_peak=-1.0)


def test_bumper_encodes_at_the_target_loudness(tmp_path: Path) -> None:
    path = tmp_path / "outro.wav"
    t = np.arange(48000 * 3) / 48000
    write_wav(path, 0.05 * np.sin(2 * np.pi * 330 * t), 48000)
    pcm = load_bumper(path, loudness=-19.0, true_peak=-1.0, fade_ms=50)
    samples, rate = decode_mp3(encode_take(pcm, speech_samples=len(pcm)).mp3)
    assert pyloudnorm.Meter(rate).integrated_loudness(samples) == pytest.approx(-19.0, abs=0.5)


def script_with(segments: list[tuple[int, str, list[tuple[str, str]]]], chapters: int) -> Script:
    """A script from (chapter, block id, [(written, spoken)]) per segment."""
    return Script(
        article=Article(title="T", blocks=()),
        segments=tuple(
            Segment(kind=SegmentKind.PARAGRAPH, chapter=chapter, block=block,
                    sentences=tuple(Sentence(text, speech) for text, speech in sentences))
            for chapter, block, sentences in segments
        ),  # fmt: skip
        chapters=tuple(f"Chapter {c}" for c in range(chapters)),
    )


def test_cues_carry_their_block_and_the_times_of_the_written_words() -> None:
    """The transcript highlights each written word when it is spoken; a footnote mark the
    voice skips is placed at the end of its sentence."""
    first, second = tone_take(0.8, 350), tone_take(0.6, 350)
    first = replace(first, words=(0.0, 0.3, 0.5))
    second = replace(second, words=(0.0, 0.25))
    script = script_with(
        [(0, "p1", [("Trains run nightly.", "trains run nightly")]),
         (0, "p2", [("Book early [1]", "book early")])], chapters=1,
    )  # fmt: skip
    program = assemble(script, [[first], [second]])
    one, two = program.cues
    assert (one.block, two.block) == ("p1", "p2")
    assert one.start == 0.0
    assert one.words == pytest.approx((0.0, 0.3, 0.5))
    assert two.words == pytest.approx((two.start, two.start + 0.25, two.end))
    assert two.end - two.start == pytest.approx(second.speech_samples / RATE)


def test_intro_and_outro_count_in_the_programme_as_heard() -> None:
    intro, outro = tone_take(1.5, 500), tone_take(1.0, 300)
    takes = [tone_take(0.5, 350), tone_take(0.7, 350)]
    program = assemble(script_of([2], [0]), [takes], intro=intro, outro=outro)
    samples, rate = decode_mp3(render([intro, *takes, outro], program))
    assert len(samples) / rate == pytest.approx(program.duration, abs=0.001)
    assert program.cues[0].start == pytest.approx(intro.duration, abs=0.001)
    assert program.chapters[-1].end == program.duration
    assert program.duration - program.cues[-1].end > outro.duration


def test_a_chapter_that_begins_early_keeps_its_place_and_start() -> None:
    takes = [tone_take(0.3, 350) for _ in range(3)]
    program = assemble(script_of([1, 2], [0, 1]), [takes[:1], takes[1:]])
    assert [mark.title for mark in program.chapters] == ["Chapter 0", "Chapter 1"]
    assert program.chapters[1].start < 1.0
    assert program.chapters[1].start == pytest.approx(program.cues[1].start, abs=0.05)


def test_chapters_start_at_zero_when_the_script_opens_with_a_later_chapter() -> None:
    """A script with nothing in chapter 0 (a caller's own): the first mark still starts
    the programme, intro included, so players show a chapter from the first second."""
    intro = tone_take(1.0, 300)
    takes = [tone_take(0.5, 350) for _ in range(2)]
    program = assemble(script_of([1, 1], [1, 2]), [takes[:1], takes[1:]], intro=intro)
    marks = program.chapters
    assert [(m.title, m.start) for m in marks][0] == ("Chapter 1", 0.0)
    assert marks[1].title == "Chapter 2" and marks[0].end == marks[1].start > intro.duration


def test_an_intro_alone_is_a_programme_without_chapters() -> None:
    intro = tone_take(1.0, 300)
    script = Script(article=Article(title="T", blocks=()), segments=(), chapters=("T",))
    program = assemble(script, [], intro=intro)
    assert program.chapters == () and program.cues == ()
    assert program.duration == pytest.approx(intro.duration - intro.lead_samples / RATE)
