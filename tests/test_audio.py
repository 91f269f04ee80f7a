"""The numpy loudness meter and true-peak meter against pyloudnorm and known signals."""

from __future__ import annotations

import math

import numpy as np
import pyloudnorm
import pytest

from listen.errors import AudioError
from listen.sound.audio import (
    AudioSegment,
    LoudnessMeter,
    decode_mp3,
    integrated_loudness,
    to_mono_float,
    true_peak_dbtp,
)


def bursts(rate: int, seconds: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(int(rate * seconds)) / rate
    gate = (np.sin(2 * np.pi * 0.7 * t) > 0) + 0.003
    return rng.standard_normal(len(t)) * 0.05 * gate + 0.1 * np.sin(2 * np.pi * 60 * t) * gate


@pytest.mark.parametrize("rate", [16000, 22050, 44100, 48000])
def test_meter_agrees_with_pyloudnorm(rate: int) -> None:
    samples = bursts(rate, 12.0, seed=rate)
    expected = pyloudnorm.Meter(rate).integrated_loudness(samples)
    assert integrated_loudness(samples, rate) == pytest.approx(expected, abs=0.01)


def test_streaming_meter_matches_one_shot() -> None:
    samples = bursts(44100, 20.0, seed=1)
    meter = LoudnessMeter(44100)
    for piece in np.array_split(samples, [1, 4410, 99999, 200000, 500001]):
        meter.add(piece)
    assert meter.integrated() == pytest.approx(integrated_loudness(samples, 44100), abs=1e-9)


def test_silence_and_short_audio_have_no_loudness() -> None:
    assert integrated_loudness(np.zeros(44100), 44100) == -math.inf
    assert integrated_loudness(np.ones(1000) * 0.5, 44100) == -math.inf


def test_true_peak_finds_the_peak_between_samples() -> None:
    rate = 48000
    n = np.arange(rate)
    sine = np.sin(2 * np.pi * n / 4 + math.pi / 4)  # samples at ±0.707, the wave at ±1
    assert 20 * math.log10(np.abs(sine).max()) == pytest.approx(-3.01, abs=0.01)
    assert true_peak_dbtp(sine, rate) == pytest.approx(0.0, abs=0.2)


def test_to_mono_float_averages_channels() -> None:
    stereo = np.array([[16384, -16384]] * 10, dtype=np.int16)
    segment = AudioSegment(data=stereo.tobytes(), sample_width=2, frame_rate=8000, channels=2)
    samples, rate = to_mono_float(segment)
    assert rate == 8000 and np.allclose(samples, 0.0)


def test_garbage_is_not_audio() -> None:
    with pytest.raises(AudioError):
        decode_mp3(b"definitely not an mp3 file" * 20)
