"""Mastering: each take to the loudness target, peaks limited; and the timeline.

``master_take`` runs in the synthesis workers, one sentence at a time: resample to
the output rate, gain to the loudness target, limit true peaks, fade the edges,
append the pause. ``assemble`` runs in the main process and only adds up frame
counts: cue and chapter times come from the frames actually written.

Two margins are measured against the decoded 64 kbit/s MP3 (tests/test_master.py):
the encoder's low-pass removes energy the K-weighting counts (``CODEC_LOSS_DB``),
and MP3 quantisation raises true peaks (``CODEC_PEAK_HEADROOM_DB``: noise bursts with
spikes overshot by 0.9 dB decoded, so the limiter aims 1.5 dB under the target).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import soxr

from listen.errors import AudioError
from listen.models import ChapterMark, Cue, EncodedTake, Program, Script, TakeRef
from listen.sound.audio import (
    AudioSegment,
    Samples,
    decode_audio,
    gated_loudness,
    k_weighted,
    k_weighting_response,
    mean_loudness,
    sample_peaks,
    to_mono_float,
)
from listen.sound.wordtimes import written_word_starts

CODEC_LOSS_DB = 0.4
"""Added to the target: a 64 kbit/s MP3 of speech measures this much quieter decoded."""
CODEC_PEAK_HEADROOM_DB = 1.5
"""The limiter's ceiling sits this far under the true-peak target."""
EDGE_FADE_MS = 5
MAX_GAIN_DB = 30.0
"""A nearly silent take is not pulled up to speech level (it would be hiss)."""
_ATTACK_MS = 3.0
_RELEASE_MS = 60.0
_BLOCK_SECONDS = 0.4
_LEVEL_ROUNDS = 6
_GAIN_TOLERANCE_DB = 0.05
"""Closer than any listener or meter tolerance cares about."""


def master_take(
    audio: AudioSegment,
    *,
    pause_ms: int,
    loudness: float,
    true_peak: float,
    sample_rate: int = 44100,
) -> tuple[Samples, int]:
    """One take as int16 mono PCM at ``sample_rate`` with its pause, and its speech length."""
    samples, rate = to_mono_float(audio)
    speech = _resample(samples, rate, sample_rate)
    pause = _ms(pause_ms, sample_rate)
    speech = _level(speech, sample_rate, loudness, true_peak, pause)
    speech = fade_edges(speech, _ms(EDGE_FADE_MS, sample_rate))
    take = np.zeros(len(speech) + pause, dtype=np.int16)
    take[: len(speech)] = to_int16(speech)
    return take, len(speech)


def load_bumper(
    path: Path,
    *,
    loudness: float,
    true_peak: float,
    sample_rate: int = 44100,
    fade_ms: int = 500,
) -> Samples:
    """A publisher's intro or outro (WAV, FLAC or MP3) mastered like a take, faded in and out."""
    if not path.is_file():
        raise AudioError(f"intro/outro audio {path} does not exist: check the path in listen.toml")
    samples, _ = decode_audio(path, sample_rate)
    if len(samples) == 0:
        raise AudioError(f"intro/outro audio {path} is empty: use a file with sound in it")
    samples = _level(samples, sample_rate, loudness, true_peak, 0)
    return to_int16(fade_edges(samples, _ms(fade_ms, sample_rate)))


def _level(samples: Samples, rate: int, loudness: float, true_peak: float, pause: int
           ) -> Samples:  # fmt: skip
    """Gain to the target and limit peaks, raising the gain by what limiting takes away.

    Engine speech is peaky (espeak at -19 LUFS peaks near 0 dBTP): limiting costs
    about 0.3 LU, more the higher the gain. The take is oversampled and K-weighted
    once; each round scales both (they are linear), meters the K-weighted take times
    the limiter's gain (too slow a change for the filter to notice) and corrects the
    gain along the secant of the last two rounds: three rounds, usually.
    """
    target, ceiling = loudness + CODEC_LOSS_DB, 10 ** ((true_peak - CODEC_PEAK_HEADROOM_DB) / 20)
    power, peaks = _weighted_power(samples, rate, pause), sample_peaks(samples, rate)
    envelope: Samples = np.ones(len(samples))
    gain_db, last = 0.0, None
    for _ in range(_LEVEL_ROUNDS):
        error = target - _measure(power, envelope, gain_db, rate)
        if not math.isfinite(error) or (last is not None and abs(error) < _GAIN_TOLERANCE_DB):
            break
        step = error if last is None else error / _slope(last, (gain_db, error))
        last, gain_db = (gain_db, error), gain_db + min(step, MAX_GAIN_DB)
        envelope = _envelope(peaks, rate, ceiling / 10 ** (gain_db / 20))
    if last is None:  # silence: nothing to gain, but limit all the same
        envelope = _envelope(peaks, rate, ceiling)
    limited: Samples = samples * (10 ** (gain_db / 20) * envelope)
    return limited


def _slope(before: tuple[float, float], after: tuple[float, float]) -> float:
    """dB of loudness per dB of gain between two rounds (limiting makes it less than 1)."""
    (gain_a, error_a), (gain_b, error_b) = before, after
    return min(1.0, max(0.2, (error_a - error_b) / (gain_b - gain_a or 1e-9)))


def _ms(milliseconds: float, rate: int) -> int:
    return max(0, round(milliseconds * rate / 1000))


def _resample(samples: Samples, rate: int, target: int) -> Samples:
    if rate == target or len(samples) == 0:
        return samples
    return np.asarray(soxr.resample(samples, rate, target, "HQ"), dtype=np.float64)


def _weighted_power(samples: Samples, rate: int, pause: int) -> Samples:
    """The squared K-weighted take, as ``_measure`` meters it.

    A take is measured with its pause after it, as the programme's meter will hear
    it: gating blocks that straddle a pause are quieter but pass the relative gate.
    A take shorter than one 400 ms gating block is measured ungated, without pause.
    """
    if len(samples) >= _BLOCK_SECONDS * rate:
        return k_weighted(samples, rate, len(samples) + pause) ** 2
    return k_weighted(samples, rate, len(samples) + len(k_weighting_response(rate)) - 1) ** 2


def _measure(power: Samples, envelope: Samples, gain_db: float, rate: int) -> float:
    """Loudness (LUFS) of the take at ``gain_db`` times the limiter's ``envelope``."""
    weighted = power * 10 ** (gain_db / 10)
    weighted[: len(envelope)] *= envelope**2
    if len(envelope) >= _BLOCK_SECONDS * rate:
        return gated_loudness(weighted, rate)
    return mean_loudness(weighted, len(envelope))


def limit_true_peak(samples: Samples, rate: int, ceiling_db: float) -> Samples:
    """Pull down only the peaks above ``ceiling_db`` dBTP, with a smooth look-ahead envelope.

    Samples far from a peak keep gain 1, bit for bit. The gain moves over 3 ms or
    more, too slowly to move a true peak between samples: no second pass is needed.
    """
    ceiling = 10 ** (ceiling_db / 20)
    limited: Samples = samples * _envelope(sample_peaks(samples, rate), rate, ceiling)
    return limited


def _envelope(peaks: Samples, rate: int, ceiling: float) -> Samples:
    """The limiter's gain per sample for these true peaks: 1 wherever no peak is near.

    The gain each sample needs is held for the release time, taken ahead by the
    attack time, then smoothed by a moving average as long as the attack: the
    smoothed gain never exceeds what any sample needs. Only the stretches around
    peaks are computed; they are laid end to end, each carrying enough gain-1
    samples at both ends that no window reaches from one into the next.
    """
    envelope = np.ones(len(peaks))
    hot = np.flatnonzero(peaks > ceiling)
    if len(hot) == 0:
        return envelope
    attack, release = _ms(_ATTACK_MS, rate), _ms(_RELEASE_MS, rate)
    reach = release + 2 * attack + max(1, attack // 2) + 1
    spans = _spans(hot, reach, len(peaks))
    needed = ceiling / np.maximum(np.concatenate([peaks[a:b] for a, b in spans]), ceiling)
    gain = _moving_average(_sliding_min(needed, before=release + attack, after=attack), attack)
    gain[gain > 1.0 - 1e-12] = 1.0
    offset = 0
    for start, stop in spans:
        envelope[start:stop] = gain[offset : offset + stop - start]
        offset += stop - start
    return envelope


def _spans(points: Samples, reach: int, length: int) -> list[tuple[int, int]]:
    """Merged ``[point - reach, point + reach]`` ranges around sorted points, within the array."""
    gaps = np.flatnonzero(np.diff(points) > 2 * reach)
    starts = np.maximum(np.concatenate([points[:1], points[gaps + 1]]) - reach, 0)
    stops = np.minimum(np.concatenate([points[gaps], points[-1:]]) + reach + 1, length)
    return list(zip(starts.tolist(), stops.tolist(), strict=True))


def _sliding_min(values: Samples, *, before: int, after: int) -> Samples:
    """out[i] = min(values[i - before : i + after + 1]), by doubling windows (O(n log w))."""
    width = before + after + 1
    padded = np.concatenate([np.ones(before), values, np.ones(after)])
    result, span = padded.copy(), 1
    while span * 2 <= width:
        result[:-span] = np.minimum(result[:-span], result[span:])
        span *= 2
    shifted = result[width - span : width - span + len(values)]
    window_min: Samples = np.minimum(result[: len(values)], shifted)
    return window_min


def _moving_average(values: Samples, width: int) -> Samples:
    """Centred moving average over ``2 * (width // 2) + 1`` samples, each edge value held.

    Holding the edges keeps a gain needed at a take's first or last sample from being
    averaged with gain 1 from outside the take (a peak there would pass the ceiling).
    """
    half = max(1, width // 2)
    padded = np.pad(values, half, mode="edge")
    sums = np.cumsum(np.concatenate([[0.0], padded]))
    averaged: Samples = (sums[2 * half + 1 :] - sums[: -2 * half - 1]) / (2 * half + 1)
    return averaged


def fade_edges(samples: Samples, length: int) -> Samples:
    """Raised-cosine fade in and out over ``length`` samples, so takes never click."""
    length = min(length, len(samples) // 2)
    if length == 0:
        return samples
    ramp = 0.5 - 0.5 * np.cos(np.linspace(0.0, math.pi, length))
    faded: Samples = samples.copy()
    faded[:length] *= ramp
    faded[-length:] *= ramp[::-1]
    return faded


def to_int16(samples: Samples) -> Samples:
    return np.clip(np.round(samples * 32767.0), -32768, 32767).astype(np.int16)


def assemble(
    script: Script,
    takes: Sequence[Sequence[TakeRef | EncodedTake]],
    *,
    intro: EncodedTake | None = None,
    outro: EncodedTake | None = None,
) -> Program:
    """The timeline of ``intro + every take + outro`` as written: cues, chapters, duration.

    ``takes[i][j]`` is sentence ``j`` of segment ``i``. Time 0 is the first sample a
    gapless decoder plays: the first take's ``lead_samples`` into its frames. A take
    that carries word times gives its cue the times of the written words
    (``wordtimes``).
    """
    if len(takes) != len(script.segments):
        raise AudioError(f"{len(takes)} segments of audio for {len(script.segments)} in the script")
    ordered: list[TakeRef | EncodedTake] = [intro] if intro else []
    ordered += [t for segment in takes for t in segment]
    ordered += [outro] if outro else []
    if not ordered:
        raise AudioError("nothing to assemble: the script has no sentences")
    rate, origin = ordered[0].sample_rate, ordered[0].lead_samples
    position = intro.samples if intro else 0
    cues: list[Cue] = []
    chapter_starts: dict[int, float] = {}
    for segment, segment_takes in zip(script.segments, takes, strict=True):
        if len(segment_takes) != len(segment.sentences):
            raise AudioError(f"segment {segment.text[:40]!r} has a take count unlike its sentences")
        chapter_starts.setdefault(segment.chapter, (position - origin) / rate)
        for sentence, take in zip(segment.sentences, segment_takes, strict=True):
            start = position + take.lead_samples - origin
            end = start + take.speech_samples
            words = written_word_starts(sentence.text, sentence.speech, take.words,
                                        take.speech_samples / rate)
            cues.append(Cue(start / rate, end / rate, sentence.text, segment.block,
                            tuple(start / rate + word for word in words)))
            position += take.samples
    frames = sum(take.frames for take in ordered)
    duration = (frames * 1152 - origin) / rate
    return Program(
        cues=tuple(cues),
        chapters=_chapters(script.chapters, chapter_starts, duration),
        duration=duration,
        frames=frames,
        sample_rate=rate,
        bitrate=_bitrate(ordered[0]),
    )


def _chapters(
    titles: Sequence[str], starts: dict[int, float], duration: float
) -> tuple[ChapterMark, ...]:
    """Chapter marks in order; the first starts at 0, each ends where the next starts."""
    begun = sorted((start, titles[i]) for i, start in starts.items())
    if not begun:  # an intro or outro alone
        return ()
    begun[0] = (0.0, begun[0][1])  # the programme's start: before its first take, or the intro
    ends = [start for start, _ in begun[1:]] + [duration]
    return tuple(ChapterMark(s, e, t) for (s, t), e in zip(begun, ends, strict=True))


def _bitrate(take: TakeRef | EncodedTake) -> int:
    """kbit/s of a CBR take: its bytes over its duration, rounded to a standard rate."""
    measured = take.size * 8 / take.duration / 1000 if take.frames else 64
    rates = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
    return min(rates, key=lambda r: abs(r - measured))
