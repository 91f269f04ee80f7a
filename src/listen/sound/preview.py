"""One line spoken to a file, mastered as a render's takes are: ``listen say --out``.

It is how a publisher hears a tricky sentence or a lexicon entry before a render:
the same engine, voice, loudness and (for ``.mp3``) encoder as the episode.
"""

from __future__ import annotations

import io
import wave
from pathlib import Path

from listen.errors import ConfigError, EngineError, ListenError
from listen.fsutil import write_atomic
from listen.models import VoiceProfile
from listen.sound.engines import get_engine
from listen.sound.finish import TakeFinisher
from listen.sound.master import master_take

FORMATS = (".mp3", ".wav")


def speak_to_file(speech: str, profile: VoiceProfile, path: Path, *, bitrate: int = 64) -> None:
    """Speak ``speech`` with ``profile`` into ``path`` (.mp3 or .wav), atomically."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ConfigError(f"cannot write {path.name}: name a .mp3 or .wav file after --out")
    engine_class = get_engine(profile.engine)
    engine_class.check()
    engine = engine_class()
    try:
        engine.prepare(profile)
        audio = engine.synthesize(speech, profile)
    except ListenError:
        raise
    except Exception as exc:  # a third-party engine's own error
        raise EngineError(f"{type(exc).__name__}: {exc}") from None
    finisher = TakeFinisher(profile.loudness, profile.true_peak, bitrate)
    if suffix == ".mp3":
        write_atomic(path, finisher(audio, 0).mp3)
        return
    pcm, _speech = master_take(audio, pause_ms=0, loudness=profile.loudness,
                               true_peak=profile.true_peak, sample_rate=finisher.sample_rate)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(finisher.sample_rate)
        wav.writeframes(pcm.tobytes())
    write_atomic(path, buffer.getvalue())
