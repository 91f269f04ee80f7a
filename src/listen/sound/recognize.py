"""Offline speech recognisers, for the listening check (``listen render --verify``).

A recogniser turns 16 kHz mono speech into words. Two sit behind one small
interface, ``Recognizer``:

* ``pocketsphinx``: CMU's recogniser; its wheel ships a US English model, so it is
  always there for English (a test dependency, and in the ``verify`` extra);
* ``faster-whisper``: Whisper through CTranslate2 (the ``verify`` extra), for any
  language Whisper knows, given a model folder (``[render] whisper_model``,
  ``LISTEN_WHISPER_MODEL``); listen downloads no model.

Recognition runs on this machine, in a pool of processes that each load their
recogniser once and read the takes straight from the take cache (``hear_takes``).
"""

from __future__ import annotations

import os
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from listen.errors import ConfigError, EngineUnavailable
from listen.sound.audio import decode_audio, integrated_loudness
from listen.sound.cache import TakeCache

HEARD_RATE = 16000
"""What both recognisers listen at."""

class Recognizer(ABC):
    """Hears words in speech."""

    name: ClassVar[str]

    @abstractmethod
    def transcribe(self, speech: np.ndarray[Any, np.dtype[np.float64]]) -> str:
        """The words heard in ``speech`` (mono, ``HEARD_RATE``, -1 to 1), lower case."""

class PocketSphinx(Recognizer):
    """pocketsphinx with its bundled US English model, set for speed."""

    name = "pocketsphinx"
    FAST = {"ds": 2, "fwdflat": False, "bestpath": False, "maxhmmpf": 1000}
    """Every second frame, a single search pass and at most 1,000 active HMMs a frame:
    the first two make it about 3x faster than the defaults (tests/test_sample_render.py);
    the HMM cap a third faster again. On 25 of the sample's takes by Joe, 1,000 HMMs cost
    29 s against 44 s for 2,000 (a busy machine) and hear 0.75 of the words against
    0.76; 500 hear 0.68, and narrower beams 0.32."""
    MARGIN = 0.25
    """Seconds of silence put around the speech: without them the search trips on
    the first and last words ("Most entries are shorter" heard as "most entry search")."""

    def __init__(self, careful: bool = False) -> None:
        """``careful``: pocketsphinx's own settings (every frame, both search passes),
        about 3x slower: the second opinion on a take the fast settings misheard."""
        try:
            from pocketsphinx import Decoder
        except ImportError as exc:
            raise EngineUnavailable(
                "the listening check needs pocketsphinx: pip install 'listen[verify]'"
            ) from exc
        settings = {} if careful else self.FAST
        self._decoder = Decoder(samprate=HEARD_RATE, loglevel="FATAL", **settings)

    def transcribe(self, speech: np.ndarray[Any, np.dtype[np.float64]]) -> str:
        silence = np.zeros(int(self.MARGIN * HEARD_RATE))
        speech = np.concatenate([silence, speech, silence])
        pcm = (np.clip(speech, -1.0, 1.0) * 32767).astype("<i2").tobytes()
        self._decoder.start_utt()
        self._decoder.process_raw(pcm, full_utt=True)
        self._decoder.end_utt()
        hypothesis = self._decoder.hyp()
        return hypothesis.hypstr if hypothesis is not None else ""

class FasterWhisper(Recognizer):
    """Whisper through faster-whisper, from a CTranslate2 model folder on disk."""

    name = "faster-whisper"

    def __init__(self, model: Path, language: str) -> None:
        try:
            from faster_whisper import WhisperModel
        except ImportError as exc:
            raise EngineUnavailable(
                "Whisper recognition needs faster-whisper: pip install 'listen[verify]'"
            ) from exc
        if not (model / "model.bin").is_file():
            raise ConfigError(f"no Whisper model in {model} (a CTranslate2 folder with "
                              "model.bin): fix whisper_model in listen.toml or "
                              "LISTEN_WHISPER_MODEL")
        self._language = language.split("-")[0].lower()
        self._model = WhisperModel(str(model), device="cpu", compute_type="int8",
                                   cpu_threads=1, local_files_only=True)

    def transcribe(self, speech: np.ndarray[Any, np.dtype[np.float64]]) -> str:
        segments, _info = self._model.transcribe(
            speech.astype(np.float32), language=self._language, beam_size=1,
            vad_filter=False, condition_on_previous_text=False, without_timestamps=True)
        return " ".join(segment.text.strip() for segment in segments).lower()

def recognizer_choice(language: str, whisper_model: Path | None) -> tuple[str, str]:
    """(recogniser, "") for ``language``, or ("", why there is none)."""
    if whisper_model is not None:
        return f"faster-whisper:{whisper_model}", ""
    if language.split("-")[0].lower() == "en":
        return "pocketsphinx", ""
    return "", (f"no speech recogniser for {language!r} is installed: the listening check "
                "was skipped (set whisper_model in [render] of listen.toml to a Whisper "
                "model folder)")

CAREFUL_POCKETSPHINX = "pocketsphinx:careful"


def second_opinion(choice: str) -> str | None:
    """The recogniser that hears again a take ``choice`` found misheard, before it is
    flagged: pocketsphinx's careful settings for its fast ones (the fast search now and
    then loses a right sentence whole); None when ``choice`` is already careful."""
    return CAREFUL_POCKETSPHINX if choice == "pocketsphinx" else None


def make_recognizer(choice: str, language: str) -> Recognizer:
    """The recogniser ``recognizer_choice`` (or ``second_opinion``) named."""
    if choice.startswith("faster-whisper:"):
        return FasterWhisper(Path(choice.split(":", 1)[1]), language)
    return PocketSphinx(careful=choice == CAREFUL_POCKETSPHINX)

def take_speech(cache: TakeCache, key: str) -> np.ndarray[Any, np.dtype[np.float64]]:
    """The speech of a cached take (its pause left out), at ``HEARD_RATE``."""
    take = cache.get(key)
    if take is None:
        return np.zeros(0)
    samples, _rate = decode_audio(take.mp3, HEARD_RATE)
    return samples[: take.speech_samples * HEARD_RATE // take.sample_rate]

# --- in each recognising process --------------------------------------------------------

_here: dict[tuple[str, str], Recognizer] = {}
_lock = threading.Lock()

def hear_takes(folder: str, keys: Sequence[str], choice: str, language: str
               ) -> list[tuple[str, float]]:
    """What the recogniser hears in each take of the cache at ``folder``, and the
    loudness of its speech (LUFS; -inf for silence); runs in a pool process, which
    keeps its recogniser for the next batch."""
    with _lock:
        if (choice, language) not in _here:
            _here[(choice, language)] = make_recognizer(choice, language)
        recognizer = _here[(choice, language)]
    cache = TakeCache(Path(folder))
    heard = []
    for key in keys:
        speech = take_speech(cache, key)
        loudness = integrated_loudness(speech, HEARD_RATE) if len(speech) else -np.inf
        heard.append((recognizer.transcribe(speech), float(loudness)))
    return heard

def hear_spans(mp3: Path, spans: Sequence[tuple[float, float]], choice: str, language: str
               ) -> list[tuple[str, float]]:
    """What the recogniser hears in each span (seconds) of a finished MP3, and its
    loudness, as ``hear_takes`` does for takes."""
    samples, _rate = decode_audio(mp3, HEARD_RATE)
    recognizer = make_recognizer(choice, language)
    heard = []
    for start, end in spans:
        speech = samples[int(start * HEARD_RATE): int(end * HEARD_RATE)]
        loudness = integrated_loudness(speech, HEARD_RATE) if len(speech) else -np.inf
        heard.append((recognizer.transcribe(speech), float(loudness)))
    return heard

def recognising_processes(takes: int) -> int:
    """Processes worth starting for ``takes`` takes: one per core, a few takes each."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)
    return max(1, min(cores, takes // 8))

