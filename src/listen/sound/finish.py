"""The finishing step each synthesis worker runs on its take: master, then encode.

Kept apart from ``pipeline`` so a worker process imports only what finishing needs
(numpy, soxr, lameenc), not the extractor and the rest of the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from listen.models import EncodedTake
from listen.sound.encode import encode_take
from listen.sound.master import load_bumper, master_take

if TYPE_CHECKING:
    from pathlib import Path

    from pydub import AudioSegment

SAMPLE_RATE = 44100
"""The MP3's sample rate: 44.1 kHz, which every podcast player expects."""


@dataclass(frozen=True)
class TakeFinisher:
    """Masters one take and encodes it to MP3 frames, inside a synthesis worker.

    Picklable, so each worker process runs it right after synthesis; its ``key``
    enters the cache key, so changing loudness or bitrate re-renders.
    """

    loudness: float
    true_peak: float
    bitrate: int = 64
    sample_rate: int = SAMPLE_RATE

    @property
    def key(self) -> str:
        return f"master3:{self.loudness}:{self.true_peak}:{self.bitrate}:{self.sample_rate}"

    def __call__(self, audio: AudioSegment, pause_ms: int) -> EncodedTake:
        pcm, speech = master_take(
            audio,
            pause_ms=pause_ms,
            loudness=self.loudness,
            true_peak=self.true_peak,
            sample_rate=self.sample_rate,
        )
        return encode_take(
            pcm, speech_samples=speech, sample_rate=self.sample_rate, bitrate=self.bitrate
        )

    def bumper(self, path: Path, pause_ms: int) -> EncodedTake:
        """A publisher's intro or outro file, mastered like a take, then ``pause_ms`` of silence."""
        pcm = load_bumper(path, loudness=self.loudness, true_peak=self.true_peak,
                          sample_rate=self.sample_rate)
        silence = np.zeros(self.sample_rate * pause_ms // 1000, dtype=pcm.dtype)
        return encode_take(np.concatenate([pcm, silence]), speech_samples=len(pcm),
                           sample_rate=self.sample_rate, bitrate=self.bitrate)
