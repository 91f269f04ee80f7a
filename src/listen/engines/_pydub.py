"""pydub, imported quietly, and the two ways engines build a segment.

pydub warns at import when ffmpeg is missing (``RuntimeWarning: Couldn't find
ffmpeg``) and, on Python 3.11–3.12, when it imports ``audioop`` (deprecated,
PEP 594). Engines only hand pydub raw PCM, which needs neither ffmpeg nor a
decoder, so both warnings are noise here; pytest runs with warnings as errors.
"""

from __future__ import annotations

import warnings
import wave
from pathlib import Path
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from pydub import AudioSegment


def audio_segment_class() -> type[AudioSegment]:
    """``pydub.AudioSegment``, imported with its import-time warnings silenced."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Couldn't find ff", category=RuntimeWarning)
        warnings.filterwarnings("ignore", message=".*audioop", category=DeprecationWarning)
        from pydub import AudioSegment

    return cast("type[AudioSegment]", AudioSegment)


def segment_from_pcm(pcm: bytes, sample_rate: int, sample_width: int = 2) -> AudioSegment:
    """Mono little-endian PCM as an ``AudioSegment``."""
    segment_class = audio_segment_class()
    return segment_class(data=pcm, sample_width=sample_width, frame_rate=sample_rate, channels=1)


def segment_from_wav(path: Path) -> AudioSegment:
    """Read a mono PCM WAV file with the standard library (no ffmpeg)."""
    with wave.open(str(path), "rb") as wav:
        pcm = wav.readframes(wav.getnframes())
        segment = segment_from_pcm(pcm, wav.getframerate(), wav.getsampwidth())
        return segment.set_channels(1) if wav.getnchannels() != 1 else segment
