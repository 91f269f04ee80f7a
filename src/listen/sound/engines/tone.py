"""The reference engine: needs nothing, speaks tone bursts of a known length.

It documents the engine contract and is the test double for every stage after
synthesis:

* ``synthesize(text, voice)`` returns mono 16-bit audio at ``SAMPLE_RATE`` whose
  length is exactly ``len(text) * samples_per_char(voice.rate)`` samples, that is
  60 ms per character at rate 1.0 (``rate`` 2.0 halves it);
* each run of non-space characters (a "word") is a sine burst with 5 ms fades,
  each space is silence, so the audio has speech-like loudness and gaps;
* ``synthesize_timed`` times every word exactly: the sample its burst begins at;
* output is deterministic: the same text and rate give the same samples;
* no leading or trailing pause is added (pauses are the finisher's job).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

import numpy as np
import numpy.typing as npt

from listen.errors import EngineError
from listen.models import VoiceInfo, VoiceProfile
from listen.sound.audio import segment_from_pcm
from listen.sound.engines.base import Engine

if TYPE_CHECKING:
    from pydub import AudioSegment

SAMPLE_RATE = 22050
MS_PER_CHAR = 60
AMPLITUDE = 0.3
"""Peak level of a burst (about -10.5 dBFS)."""
_FADE_SAMPLES = SAMPLE_RATE * 5 // 1000
_WORD = re.compile(r"\S+")


def samples_per_char(rate: float = 1.0) -> int:
    """Samples one character lasts at ``rate``."""
    return round(SAMPLE_RATE * MS_PER_CHAR / 1000 / rate)


def expected_samples(text: str, rate: float = 1.0) -> int:
    """The exact length ``ToneEngine`` gives ``text``, in samples."""
    return len(text) * samples_per_char(rate)


class ToneEngine(Engine):
    name: ClassVar[str] = "tone"
    extra: ClassVar[str | None] = None
    cost_per_char: ClassVar[float] = 0.00002
    """Rough seconds of CPU per character, which synth uses to choose a pool."""

    @classmethod
    def version(cls) -> str:
        return f"tone-1:{MS_PER_CHAR}ms"

    def voices(self) -> list[VoiceInfo]:
        return [VoiceInfo(self.name, "tone", "Tone bursts (reference and test engine)", "*")]

    def timeout(self, text: str) -> float:
        return 10.0

    def synthesize(self, text: str, voice: VoiceProfile) -> AudioSegment:
        return self.synthesize_timed(text, voice)[0]

    def synthesize_timed(self, text: str, voice: VoiceProfile
                         ) -> tuple[AudioSegment, tuple[float, ...]]:  # fmt: skip
        if voice.rate <= 0:
            raise EngineError(f"voice {voice.name!r}: rate must be above 0, not {voice.rate}")
        step = samples_per_char(voice.rate)
        signal = np.zeros(len(text) * step, dtype=np.float64)
        starts = []
        for index, word in enumerate(_WORD.finditer(text)):
            start, end = word.start() * step, word.end() * step
            signal[start:end] = _burst(end - start, 180.0 + 40.0 * (index % 5))
            starts.append(start / SAMPLE_RATE)
        pcm = np.round(signal * 32767).astype("<i2").tobytes()
        return segment_from_pcm(pcm, SAMPLE_RATE), tuple(starts)


def _burst(length: int, frequency: float) -> npt.NDArray[np.float64]:
    times = np.arange(length) / SAMPLE_RATE
    burst = AMPLITUDE * np.sin(2 * np.pi * frequency * times)
    fade = min(_FADE_SAMPLES, length // 2)
    if fade:
        ramp = np.linspace(0.0, 1.0, fade)
        burst[:fade] *= ramp
        burst[length - fade :] *= ramp[::-1]
    return burst
