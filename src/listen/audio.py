"""PCM helpers: conversion, a BS.1770-4 loudness meter, true peak, decoding.

pydub lives here (and in master.py). It warns at import when no ffmpeg is on the
PATH, and Python 3.11–3.12 warn that its ``audioop`` is deprecated; listen never
asks pydub to run ffmpeg (and 3.13 gets audioop-lts), so both are silenced here.

The meter needs no scipy: the K-weighting filter (pyloudnorm's coefficients, any
sample rate) is applied as its impulse response, truncated where it has decayed
below -150 dB, by FFT convolution in chunks. ``LoudnessMeter`` streams: it keeps
one energy per 100 ms step, so two hours of audio cost 72,000 floats.
"""

from __future__ import annotations

import functools
import math
import warnings
from pathlib import Path

import miniaudio
import numpy as np
import soxr

from listen.errors import AudioError

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Couldn't find ff", category=RuntimeWarning)
    warnings.filterwarnings(
        "ignore", message="'audioop' is deprecated", category=DeprecationWarning
    )
    from pydub import AudioSegment

__all__ = [
    "AudioSegment",
    "LoudnessMeter",
    "decode_audio",
    "decode_mp3",
    "integrated_loudness",
    "segment_from_pcm",
    "ungated_loudness",
    "k_weighting_response",
    "oversample",
    "to_mono_float",
    "true_peak_dbtp",
]

_STEP = 0.1
"""Gating blocks are 400 ms long and start every 100 ms (75% overlap)."""
_ABSOLUTE_GATE = -70.0
_RELATIVE_GATE = -10.0
_IMPULSE_SECONDS = 0.25
_FFT_SIZE = 1 << 17


def segment_from_pcm(pcm: bytes, sample_rate: int, sample_width: int = 2) -> AudioSegment:
    """Mono little-endian PCM as an ``AudioSegment``: how engines hand over speech."""
    return AudioSegment(data=pcm, sample_width=sample_width, frame_rate=sample_rate, channels=1)


def to_mono_float(audio: AudioSegment) -> tuple[np.ndarray, int]:
    """Samples of ``audio`` as float64 in [-1, 1], channels averaged, and its rate."""
    samples = np.array(audio.get_array_of_samples(), dtype=np.float64)
    if audio.channels > 1:
        samples = samples.reshape(-1, audio.channels).mean(axis=1)
    full_scale = float(1 << (8 * audio.sample_width - 1))
    return samples / full_scale, int(audio.frame_rate)


def _biquad(b: tuple[float, float, float], a: tuple[float, float, float], n: int) -> np.ndarray:
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
def k_weighting_response(rate: int) -> np.ndarray:
    """The K-weighting filter's impulse response at ``rate``, 250 ms long."""
    shelf_b, shelf_a, pass_b, pass_a = _shelf_and_highpass(rate)
    n = int(rate * _IMPULSE_SECONDS)
    shelf = _biquad(shelf_b, shelf_a, n)  # type: ignore[arg-type]
    highpass = _biquad(pass_b, pass_a, n)  # type: ignore[arg-type]
    return np.convolve(shelf, highpass)[:n]


class LoudnessMeter:
    """Integrated loudness (BS.1770-4, mono) of audio fed in pieces of any size."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self._impulse = k_weighting_response(rate)
        self._fft_size = max(_FFT_SIZE, 1 << math.ceil(math.log2(4 * len(self._impulse))))
        self._chunk = self._fft_size - len(self._impulse) + 1
        self._spectrum = np.fft.rfft(self._impulse, self._fft_size)
        self._tail = np.zeros(len(self._impulse) - 1)
        self._pending = np.zeros(0)
        self._step_energy: list[float] = []

    def add(self, samples: np.ndarray) -> None:
        """Feed the next samples (float, mono)."""
        for start in range(0, len(samples), self._chunk):
            self._accumulate(self._filter(samples[start : start + self._chunk]))

    def _filter(self, chunk: np.ndarray) -> np.ndarray:
        """Overlap-add FFT convolution: the chunk's filtered samples, carrying the tail."""
        full = np.fft.irfft(np.fft.rfft(chunk, self._fft_size) * self._spectrum)
        full = full[: len(chunk) + len(self._tail)]
        full[: len(self._tail)] += self._tail
        self._tail = full[len(chunk) :].copy()
        return full[: len(chunk)]

    def _accumulate(self, filtered: np.ndarray) -> None:
        """Sum squares over each completed 100 ms step; keep the unfinished rest."""
        pending = np.concatenate([self._pending, filtered])
        used = 0
        while True:
            step = len(self._step_energy)
            length = self._step_bound(step + 1) - self._step_bound(step)
            if used + length > len(pending):
                break
            piece = pending[used : used + length]
            self._step_energy.append(float(np.dot(piece, piece)))
            used += length
        self._pending = pending[used:]

    def _step_bound(self, step: int) -> int:
        return round(step * _STEP * self.rate)

    def block_loudness(self) -> np.ndarray:
        """Loudness of each complete 400 ms block, in LUFS (mono: no channel weights)."""
        steps = np.asarray(self._step_energy)
        if len(steps) < 4:
            return np.zeros(0)
        sums = steps[:-3] + steps[1:-2] + steps[2:-1] + steps[3:]
        block = self._step_bound(4)
        with np.errstate(divide="ignore"):
            return np.asarray(-0.691 + 10 * np.log10(sums / block), dtype=np.float64)

    def integrated(self) -> float:
        """Gated integrated loudness in LUFS; -inf for silence or under 400 ms."""
        blocks = self.block_loudness()
        blocks = blocks[blocks > _ABSOLUTE_GATE]
        if len(blocks) == 0:
            return -math.inf
        relative = _power_mean(blocks) + _RELATIVE_GATE
        return _power_mean(blocks[blocks > relative])


def _power_mean(loudness: np.ndarray) -> float:
    return float(-0.691 + 10 * np.log10(np.mean(10 ** ((loudness + 0.691) / 10))))


def integrated_loudness(samples: np.ndarray, rate: int) -> float:
    """Integrated loudness (LUFS) of mono float samples, as pyloudnorm measures it."""
    meter = LoudnessMeter(rate)
    meter.add(np.asarray(samples, dtype=np.float64))
    return meter.integrated()


def ungated_loudness(samples: np.ndarray, rate: int) -> float:
    """K-weighted mean square in LUFS, no gating: for takes shorter than one block."""
    impulse = k_weighting_response(rate)
    size = 1 << math.ceil(math.log2(len(samples) + len(impulse)))
    spectrum = np.fft.rfft(samples, size) * np.fft.rfft(impulse, size)
    filtered = np.fft.irfft(spectrum, size)[: len(samples) + len(impulse) - 1]
    energy = float(np.dot(filtered, filtered)) / max(1, len(samples))
    return -math.inf if energy == 0 else -0.691 + 10 * math.log10(energy)


def oversample(samples: np.ndarray, rate: int, factor: int = 4) -> np.ndarray:
    """The signal resampled ``factor`` times (float32: peak finding needs no more)."""
    samples = np.asarray(samples, dtype=np.float32)
    if len(samples) == 0:
        return samples
    return np.asarray(soxr.resample(samples, rate, rate * factor, "HQ"), dtype=np.float32)


def true_peak_dbtp(samples: np.ndarray, rate: int) -> float:
    """True peak in dBTP, by 4x oversampling (BS.1770-4 Annex 2)."""
    if len(samples) == 0:
        return -math.inf
    peak = max(float(np.abs(oversample(samples, rate)).max()), float(np.abs(samples).max()))
    return -math.inf if peak == 0 else 20 * math.log10(peak)


def decode_audio(source: Path | bytes, sample_rate: int | None = None) -> tuple[np.ndarray, int]:
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


def decode_mp3(source: Path | bytes) -> tuple[np.ndarray, int]:
    """Decode an MP3 (path or bytes) at its own rate, as a gapless player plays it."""
    return decode_audio(source)
