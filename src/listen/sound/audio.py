"""PCM helpers: conversion, a BS.1770-4 loudness meter, true peak, decoding.

pydub lives here (and in master.py). It warns at import when no ffmpeg is on the
PATH, and Python 3.11–3.12 warn that its ``audioop`` is deprecated; listen never
asks pydub to run ffmpeg (and 3.13 gets audioop-lts), so both are silenced here.

The meter needs no scipy: the K-weighting filter (pyloudnorm's coefficients, any
sample rate) is applied as its impulse response, truncated where it has decayed
below -150 dB (about 60 ms), by FFT convolution in blocks. ``LoudnessMeter``
streams: it keeps one energy per 100 ms step, so two hours of audio cost 72,000
floats. Mastering filters a take once (``k_weighted``) and meters that filtered
signal under different gains (``gated_loudness``, ``mean_loudness``).
"""

from __future__ import annotations

import functools
import math
import warnings
from pathlib import Path
from typing import Any

import miniaudio
import numpy as np
import numpy.typing as npt
import soxr

from listen.errors import AudioError

Samples = npt.NDArray[Any]
"""A numpy array of audio samples (any dtype): spelled out so numpy 2.2 (Python 3.10)
and numpy 2.4 type-check alike."""

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Couldn't find ff", category=RuntimeWarning)
    warnings.filterwarnings(
        "ignore", message="'audioop' is deprecated", category=DeprecationWarning
    )
    from pydub import AudioSegment

__all__ = [
    "AudioSegment",
    "LoudnessMeter",
    "Samples",
    "decode_audio",
    "decode_mp3",
    "gated_loudness",
    "integrated_loudness",
    "k_weighted",
    "k_weighting_response",
    "mean_loudness",
    "oversample",
    "sample_peaks",
    "segment_from_pcm",
    "ungated_loudness",
    "to_mono_float",
    "true_peak_dbtp",
]

_STEP = 0.1
"""Gating blocks are 400 ms long and start every 100 ms (75% overlap)."""
_ABSOLUTE_GATE = -70.0
_RELATIVE_GATE = -10.0
_IMPULSE_SECONDS = 0.25
_IMPULSE_FLOOR = 10 ** (-150 / 20)
_PIECE = 1 << 17
_BLOCK_FFT_SIZE = 1 << 15
"""One-shot filtering: batched blocks this long (large FFTs are slower per sample)."""


def segment_from_pcm(pcm: bytes, sample_rate: int, sample_width: int = 2) -> AudioSegment:
    """Mono little-endian PCM as an ``AudioSegment``: how engines hand over speech."""
    return AudioSegment(data=pcm, sample_width=sample_width, frame_rate=sample_rate, channels=1)


def to_mono_float(audio: AudioSegment) -> tuple[Samples, int]:
    """Samples of ``audio`` as float64 in [-1, 1], channels averaged, and its rate."""
    samples = np.array(audio.get_array_of_samples(), dtype=np.float64)
    if audio.channels > 1:
        samples = samples.reshape(-1, audio.channels).mean(axis=1)
    full_scale = float(1 << (8 * audio.sample_width - 1))
    return samples / full_scale, int(audio.frame_rate)


def _biquad(b: tuple[float, float, float], a: tuple[float, float, float], n: int) -> Samples:
    """The first ``n`` samples of a biquad's impulse response (a short Python loop)."""
    out = np.zeros(n)
    x1 = x2 = y1 = y2 = 0.0
    for i in range(n):
        x0 = 1.0 if i == 0 else 0.0
        y0 = (b[0] * x0 + b[1] * x1 + b[2] * x2 - a[1] * y1 - a[2] * y2) / a[0]
        out[i], x2, x1, y2, y1 = y0, x1, x0, y1, y0
    return out


def _shelf_and_highpass(rate: int) -> tuple[tuple[float, ...], ...]:
    """pyloudnorm's K-weighting stages: +4 dB shelf at 1.5 kHz, high-pass at 38 Hz."""
    a_gain, w0 = 10 ** (4.0 / 40), 2 * math.pi * 1500.0 / rate
    alpha, cos_w = math.sin(w0) / (2 / math.sqrt(2)), math.cos(w0)
    sq = 2 * math.sqrt(a_gain) * alpha
    shelf_b = (
        a_gain * ((a_gain + 1) + (a_gain - 1) * cos_w + sq),
        -2 * a_gain * ((a_gain - 1) + (a_gain + 1) * cos_w),
        a_gain * ((a_gain + 1) + (a_gain - 1) * cos_w - sq),
    )
    shelf_a = (
        (a_gain + 1) - (a_gain - 1) * cos_w + sq,
        2 * ((a_gain - 1) - (a_gain + 1) * cos_w),
        (a_gain + 1) - (a_gain - 1) * cos_w - sq,
    )
    w0 = 2 * math.pi * 38.0 / rate
    alpha, cos_w = math.sin(w0) / (2 * 0.5), math.cos(w0)
    pass_b = ((1 + cos_w) / 2, -(1 + cos_w), (1 + cos_w) / 2)
    pass_a = (1 + alpha, -2 * cos_w, 1 - alpha)
    return shelf_b, shelf_a, pass_b, pass_a


@functools.lru_cache(maxsize=8)
def k_weighting_response(rate: int) -> Samples:
    """The K-weighting filter's impulse response at ``rate``, up to where it is below -150 dB."""
    shelf_b, shelf_a, pass_b, pass_a = _shelf_and_highpass(rate)
    n = int(rate * _IMPULSE_SECONDS)
    shelf = _biquad(shelf_b, shelf_a, n)  # type: ignore[arg-type]
    highpass = _biquad(pass_b, pass_a, n)  # type: ignore[arg-type]
    response = np.convolve(shelf, highpass)[:n]
    magnitude = np.abs(response)
    length = int(np.flatnonzero(magnitude > _IMPULSE_FLOOR * magnitude.max())[-1]) + 1
    return np.array(response[:length], dtype=np.float64)


@functools.lru_cache(maxsize=8)
def _block_spectrum(rate: int) -> Samples:
    return np.asarray(np.fft.rfft(k_weighting_response(rate), _BLOCK_FFT_SIZE))


def k_weighted(samples: Samples, rate: int, length: int) -> Samples:
    """The first ``length`` samples of ``samples`` (zeros after) through the K-weighting.

    Overlap-add of batched 32k-point FFTs: faster per sample than one long FFT.
    """
    impulse, size = k_weighting_response(rate), _BLOCK_FFT_SIZE
    chunk, used = size - len(impulse) + 1, min(len(samples), length)
    count = max(1, -(-used // chunk))
    blocks = np.zeros((count, chunk))
    blocks.reshape(-1)[:used] = samples[:used]
    filtered = np.fft.irfft(np.fft.rfft(blocks, size, axis=1) * _block_spectrum(rate), size, axis=1)
    joined = np.zeros((max(count + 1, -(-length // chunk)), chunk))
    joined[:count] = filtered[:, :chunk]
    joined[1 : count + 1, : len(impulse) - 1] += filtered[:, chunk:]
    return joined.reshape(-1)[:length]


class LoudnessMeter:
    """Integrated loudness (BS.1770-4, mono) of audio fed in pieces of any size."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self._tail: Samples = np.zeros(len(k_weighting_response(rate)) - 1)
        self._pending = np.zeros(0)
        self._step_energy: list[float] = []

    def add(self, samples: Samples) -> None:
        """Feed the next samples (float, mono)."""
        for start in range(0, len(samples), _PIECE):
            self._accumulate(self._filter(samples[start : start + _PIECE]))

    def _filter(self, piece: Samples) -> Samples:
        """The piece's filtered samples, carrying the filter's tail into the next piece."""
        full = k_weighted(piece, self.rate, len(piece) + len(self._tail))
        full[: len(self._tail)] += self._tail
        self._tail = full[len(piece) :].copy()
        return full[: len(piece)]

    def _accumulate(self, filtered: Samples) -> None:
        """Sum squares over each completed 100 ms step; keep the unfinished rest."""
        pending = np.concatenate([self._pending, filtered])
        used = 0
        while True:
            step = len(self._step_energy)
            length = _step_bound(step + 1, self.rate) - _step_bound(step, self.rate)
            if used + length > len(pending):
                break
            piece = pending[used : used + length]
            self._step_energy.append(float(np.dot(piece, piece)))
            used += length
        self._pending = pending[used:]

    def block_loudness(self) -> Samples:
        """Loudness of each complete 400 ms block, in LUFS (mono: no channel weights)."""
        return _block_loudness(np.asarray(self._step_energy), self.rate)

    def integrated(self) -> float:
        """Gated integrated loudness in LUFS; -inf for silence or under 400 ms."""
        return _gate(self.block_loudness())


def _step_bound(step: int, rate: int) -> int:
    return round(step * _STEP * rate)


def _block_loudness(steps: Samples, rate: int) -> Samples:
    if len(steps) < 4:
        return np.zeros(0)
    sums = steps[:-3] + steps[1:-2] + steps[2:-1] + steps[3:]
    with np.errstate(divide="ignore"):
        return np.asarray(-0.691 + 10 * np.log10(sums / _step_bound(4, rate)), dtype=np.float64)


def _gate(blocks: Samples) -> float:
    """BS.1770 gating of block loudnesses: absolute at -70 LUFS, then relative at -10 LU."""
    blocks = blocks[blocks > _ABSOLUTE_GATE]
    if len(blocks) == 0:
        return -math.inf
    relative = _power_mean(blocks) + _RELATIVE_GATE
    return _power_mean(blocks[blocks > relative])


def _power_mean(loudness: Samples) -> float:
    return float(-0.691 + 10 * np.log10(np.mean(10 ** ((loudness + 0.691) / 10))))


def gated_loudness(power: Samples, rate: int) -> float:
    """Integrated loudness (LUFS) from squared K-weighted samples (``k_weighted(...) ** 2``)."""
    steps = np.arange(int(len(power) / (_STEP * rate)) + 2)
    bounds = np.round(steps * _STEP * rate).astype(np.int64)
    bounds = bounds[bounds <= len(power)]
    if len(bounds) < 2:
        return -math.inf
    return _gate(_block_loudness(np.add.reduceat(power[: bounds[-1]], bounds[:-1]), rate))


def mean_loudness(power: Samples, count: int) -> float:
    """Ungated loudness (LUFS) of ``count`` samples from their squared K-weighted signal."""
    energy = float(power.sum()) / max(1, count)
    return -math.inf if energy == 0 else -0.691 + 10 * math.log10(energy)


def integrated_loudness(samples: Samples, rate: int) -> float:
    """Integrated loudness (LUFS) of mono float samples, as pyloudnorm measures it."""
    samples = np.asarray(samples, dtype=np.float64)
    return gated_loudness(k_weighted(samples, rate, len(samples)) ** 2, rate)


def ungated_loudness(samples: Samples, rate: int) -> float:
    """K-weighted mean square in LUFS, no gating: for takes shorter than one block."""
    length = len(samples) + len(k_weighting_response(rate)) - 1
    return mean_loudness(k_weighted(samples, rate, length) ** 2, len(samples))


def oversample(samples: Samples, rate: int, factor: int = 4) -> Samples:
    """The signal resampled ``factor`` times (float32: peak finding needs no more)."""
    samples = np.asarray(samples, dtype=np.float32)
    if len(samples) == 0:
        return samples
    return np.asarray(soxr.resample(samples, rate, rate * factor, "HQ"), dtype=np.float32)


def sample_peaks(samples: Samples, rate: int, factor: int = 4) -> Samples:
    """Per sample, the largest magnitude of it and of the ``factor`` oversampled points from it.

    The resampler's filter stops short of Nyquist, so a sample itself can peak higher.
    Linear: the peaks of ``g * samples`` are ``g * sample_peaks(samples)``.
    """
    upsampled = np.abs(oversample(samples, rate, factor))
    peaks = np.abs(np.asarray(samples, dtype=np.float64))
    for phase in range(factor):  # faster than a max over a short axis
        points = upsampled[phase::factor][: len(peaks)]
        np.maximum(peaks[: len(points)], points, out=peaks[: len(points)])
    return peaks


def true_peak_dbtp(samples: Samples, rate: int) -> float:
    """True peak in dBTP, by 4x oversampling (BS.1770-4 Annex 2)."""
    if len(samples) == 0:
        return -math.inf
    peak = float(sample_peaks(samples, rate).max())
    return -math.inf if peak == 0 else 20 * math.log10(peak)


def decode_audio(source: Path | bytes, sample_rate: int | None = None) -> tuple[Samples, int]:
    """Decode WAV, FLAC or MP3 (a path or bytes) to mono float64 samples and their rate.

    Decoded at the file's own rate, then resampled with soxr if ``sample_rate`` differs
    (miniaudio's own resampler is linear). MP3s come out as a gapless player plays
    them: the encoder delay a LAME tag declares is skipped.
    """
    name = str(source) if isinstance(source, Path) else "audio data"
    try:
        native = _native_rate(source)
        if isinstance(source, Path):
            decoded = miniaudio.decode_file(str(source), _FLOAT, 1, native)
        else:
            decoded = miniaudio.decode(source, _FLOAT, 1, native)
    except (miniaudio.MiniaudioError, OSError, ValueError) as exc:
        raise AudioError(f"cannot decode {name}: use a WAV, FLAC or MP3 file ({exc})") from exc
    samples = np.frombuffer(decoded.samples, dtype=np.float32).astype(np.float64)
    if sample_rate and sample_rate != native and len(samples):
        return np.asarray(soxr.resample(samples, native, sample_rate, "HQ")), sample_rate
    return samples, native


_FLOAT = miniaudio.SampleFormat.FLOAT32


def _native_rate(source: Path | bytes) -> int:
    if isinstance(source, Path):
        return int(miniaudio.get_file_info(str(source)).sample_rate)
    for probe in (miniaudio.wav_get_info, miniaudio.flac_get_info, miniaudio.mp3_get_info):
        try:
            return int(probe(source).sample_rate)
        except miniaudio.DecodeError:
            continue
    raise ValueError("not WAV, FLAC or MP3 data")


def decode_mp3(source: Path | bytes) -> tuple[Samples, int]:
    """Decode an MP3 (path or bytes) at its own rate, as a gapless player plays it."""
    return decode_audio(source)
