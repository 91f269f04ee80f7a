"""Offline speech recognisers, for the listening check (``listen render --verify``).

A recogniser turns 16 kHz mono speech into words. Two sit behind one small
interface, ``Recognizer``:

* ``pocketsphinx``: CMU's recogniser; its wheel ships a US English model, so it is
  always there for English (a test dependency, and in the ``verify`` extra). It
  listens for the article's own words among English's commonest
  (``listen.sound.expected``), not with its general model;
* ``faster-whisper``: Whisper through CTranslate2 (the ``verify`` extra), for any
  language Whisper knows, given a model folder (``[render] whisper_model``,
  ``LISTEN_WHISPER_MODEL``); listen downloads no model.

Takes are heard where they are made, right after synthesis (``hear_take``, called
by ``make_take`` in a pool process or a cluster worker), and what was heard is kept
beside the take in the cache. Takes cached without it are heard on this machine, in a
pool of processes that read them straight from the cache (``hear_takes``). Each
thread loads its recogniser once per article.
"""

from __future__ import annotations

import functools
import heapq
import os
import tempfile
import threading
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar

import numpy as np

from listen.errors import ConfigError, EngineUnavailable
from listen.models import EncodedTake, Heard
from listen.sound.audio import decode_audio, integrated_loudness
from listen.sound.cache import TakeCache
from listen.sound.expected import COMMON_WORDS, WordCounts, words_arpa

HEARD_RATE = 16000
"""What both recognisers listen at."""

class Recognizer(ABC):
    """Hears words in speech."""

    name: ClassVar[str]

    @abstractmethod
    def transcribe(self, speech: np.ndarray[Any, np.dtype[np.float64]]) -> str:
        """The words heard in ``speech`` (mono, ``HEARD_RATE``, -1 to 1), lower case."""

def _pocketsphinx() -> Any:
    """The pocketsphinx module, or a clear error when it is not installed."""
    try:
        import pocketsphinx
    except ImportError as exc:
        raise EngineUnavailable(
            "the listening check needs pocketsphinx: pip install 'listen[verify]'"
        ) from exc
    return pocketsphinx


class PocketSphinx(Recognizer):
    """pocketsphinx with its bundled US English model, set for speed."""

    name = "pocketsphinx"
    FAST = {"ds": 2, "fwdflat": False, "bestpath": False, "maxhmmpf": 700, "topn": 2}
    """Every second frame, a single search pass, at most 700 active HMMs a frame and the
    best 2 Gaussians of each mixture scored (not 4): the first two make it about 3x
    faster than pocketsphinx's defaults. The last two, measured on 233 takes by Joe (the
    sample and eight English fixtures; ``bench/verify.py --settings``), cost 23% less
    than 1,000 HMMs and 4 Gaussians (56.6 against 73.8 CPU s), flag 3 of 210 right takes
    against 2 (names in a byline, an outro: the check judges those by sound only, and
    the careful second opinion hears a suspect again) and catch 201 takes of another
    sentence against 200; 500 HMMs or one Gaussian flag 5, narrower beams hear a third
    of the words. (Measured with pocketsphinx's English model, before the check listened
    for the article's own words: ``listen.sound.expected``.)"""
    MARGIN = 0.25
    """Seconds of silence put around the speech: without them the search trips on
    the first and last words ("Most entries are shorter" heard as "most entry search")."""

    def __init__(self, careful: bool = False, model: str = "") -> None:
        """``careful``: pocketsphinx's own settings (every frame, both search passes),
        about 3x slower: the second opinion on a take the fast settings misheard.
        ``model``: the language model to listen with, as ARPA text (``words_arpa``:
        the article's words); "" for pocketsphinx's English."""
        decoder = _pocketsphinx().Decoder
        settings: dict[str, Any] = {} if careful else dict(self.FAST)
        with tempfile.TemporaryDirectory(prefix="listen-lm-") as folder:
            if model:  # read whole when the decoder is made: the file can go then
                settings["lm"] = str(Path(folder) / "model.arpa")
                Path(settings["lm"]).write_text(model, encoding="utf-8")
            self._decoder = decoder(samprate=HEARD_RATE, loglevel="FATAL", **settings)

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


def make_recognizer(choice: str, language: str, words: WordCounts = ()) -> Recognizer:
    """The recogniser ``recognizer_choice`` (or ``second_opinion``) named, listening
    for the article's ``words`` (``word_counts``) where it can (pocketsphinx)."""
    if choice.startswith("faster-whisper:"):
        return FasterWhisper(Path(choice.split(":", 1)[1]), language)
    model = words_arpa(words, commonest_english()) if words else ""
    return PocketSphinx(careful=choice == CAREFUL_POCKETSPHINX, model=model)


LOG_BASE = 1.0001
"""pocketsphinx's log base: ``NGramModel.prob`` gives log probabilities in it."""


@functools.cache
def commonest_english(count: int = COMMON_WORDS) -> Mapping[str, float]:
    """The ``count`` likeliest words of the English model pocketsphinx ships, each with
    its chance among them (they add up to 1). Read once per process, in 0.2 s."""
    pocketsphinx = _pocketsphinx()
    folder = Path(pocketsphinx.get_model_path()) / "en-us"
    model = pocketsphinx.NGramModel.readfile(str(folder / "en-us.lm.bin"))
    with open(folder / "cmudict-en-us.dict", encoding="utf-8") as dictionary:
        words = {line.split(None, 1)[0] for line in dictionary if line.strip()}
    ranked = heapq.nlargest(count, ((model.prob([word]), word) for word in words
                                    if "(" not in word))  # "(2)": another pronunciation
    chances = {word: LOG_BASE ** log for log, word in ranked}
    total = sum(chances.values())
    return MappingProxyType({word: chance / total for word, chance in chances.items()})


@dataclass(frozen=True)
class Hearing:
    """Which recogniser hears the takes of a render, and in which language."""

    recognizer: str
    """A ``recognizer_choice`` (or ``second_opinion``) name."""
    language: str
    words: WordCounts = ()
    """The words the article's takes should say (``word_counts`` of their spoken
    text): pocketsphinx listens for them."""

    def model(self) -> Hearing:
        """What the recogniser is loaded for: Whisper's model serves every article."""
        listens_for_words = not self.recognizer.startswith("faster-whisper:")
        return self if listens_for_words else replace(self, words=())


def speech_of(take: EncodedTake) -> np.ndarray[Any, np.dtype[np.float64]]:
    """A take's speech (its pause left out), at ``HEARD_RATE``."""
    samples, _rate = decode_audio(take.mp3, HEARD_RATE)
    return samples[: take.speech_samples * HEARD_RATE // take.sample_rate]


def take_speech(cache: TakeCache, key: str) -> np.ndarray[Any, np.dtype[np.float64]]:
    """The speech of a cached take, at ``HEARD_RATE`` (none for a missing take)."""
    take = cache.get(key)
    return np.zeros(0) if take is None else speech_of(take)

# --- in each recognising process --------------------------------------------------------

_here = threading.local()
"""Each thread's recognisers: a decoder serves one utterance at a time."""


def recognizer_here(hearing: Hearing) -> Recognizer:
    """This thread's recogniser for ``hearing``, loaded once and kept while the
    article is the same: another article's replaces it (a decoder holds about 45 MB)."""
    loaded: dict[Hearing, Recognizer] = _here.__dict__.setdefault("loaded", {})
    wanted = hearing.model()
    if wanted not in loaded:
        for other in [h for h in loaded if (h.recognizer, h.language) == (
                wanted.recognizer, wanted.language)]:
            del loaded[other]
        loaded[wanted] = make_recognizer(wanted.recognizer, wanted.language, wanted.words)
    return loaded[wanted]


def hear_speech(speech: np.ndarray[Any, np.dtype[np.float64]], hearing: Hearing) -> Heard:
    """What ``hearing``'s recogniser hears in ``speech``, and its loudness."""
    loudness = integrated_loudness(speech, HEARD_RATE) if len(speech) else -np.inf
    return Heard(hearing.recognizer, recognizer_here(hearing).transcribe(speech),
                 float(loudness))


def hear_take(take: EncodedTake, hearing: Hearing) -> Heard:
    """What is heard in a take just made: run where it was made (``make_take``), so
    the check of a render costs no second pass over the takes."""
    return hear_speech(speech_of(take), hearing)


def hear_takes(folder: str, keys: Sequence[str], hearing: Hearing) -> list[Heard]:
    """What is heard in each take of the cache at ``folder``; runs in a pool process,
    which keeps its recogniser for the next batch."""
    cache = TakeCache(Path(folder))
    return [hear_speech(take_speech(cache, key), hearing) for key in keys]

def hear_spans(mp3: Path, spans: Sequence[tuple[float, float]], hearing: Hearing
               ) -> list[Heard]:
    """What is heard in each span (seconds) of a finished MP3, as ``hear_takes`` does
    for takes."""
    samples, _rate = decode_audio(mp3, HEARD_RATE)
    return [hear_speech(samples[int(start * HEARD_RATE): int(end * HEARD_RATE)], hearing)
            for start, end in spans]

def recognising_processes(takes: int) -> int:
    """Processes worth starting for ``takes`` takes: one per core, a few takes each."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)
    return max(1, min(cores, takes // 8))

