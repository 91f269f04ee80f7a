"""Word times from Piper: the samples each phoneme took, gathered into the text's words.

A Piper voice model works out how many audio samples each phoneme lasts (its
``Ceil`` tensor) but does not output it. piper-tts's ``patch_voice_with_alignment``
marks that tensor as an output, with the ``onnx`` package; ``aligned_model`` makes
the patched copy of a model once, in listen's cache folder (the installed voice is
never changed), and the engine loads it in place of the original: the same audio,
one more output, no measurable cost (``bench/words.py``). Where it cannot be made
(no ``onnx``, a model without that tensor) the original is loaded and the engine
times sentences only.

Piper groups phonemes into espeak-ng's words, which are not the text's: espeak joins
unstressed words ("in the" → ``ɪnðə``) and splits others. So ``word_starts`` also
phonemizes each white-space word of the text on its own, and aligns the two phoneme
strings sound by sound (difflib): a word starts at the phoneme its own first phoneme
lands on. When context changed how that phoneme was said ("the" → ``ðɪ`` against
``ðə``), the word's first phoneme that did land, stepped back by its place in the
word, is used, never earlier than right after the words before. Stress marks
belong to the phoneme after them; spaces and punctuation to no word.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher
from importlib.metadata import version
from pathlib import Path
from typing import Any

from listen.errors import OutputError
from listen.fsutil import write_atomic
from listen.sound.cache import default_cache_dir

STRESS = frozenset("ˈˌ")
"""Marks that belong to the phoneme after them."""
SILENT = frozenset(" .,;:!?¡¿…—–-\"'()")
"""Word breaks and punctuation: no sound of any word."""
FOLDER = "piper-aligned"
"""Where the patched models are kept, inside listen's cache folder."""


def aligned_model(model: Path) -> str | bytes:
    """What onnxruntime should load for ``model``: the path of its patched copy, made
    once; the patched model itself when no copy can be kept; the original path when
    it cannot be patched (then Piper reports no phoneme durations)."""
    copy = default_cache_dir() / FOLDER / f"{model.stem}.{_identity(model)}.onnx"
    if copy.is_file():
        return str(copy)
    patched = _patched(model)
    if patched is None:
        return str(model)
    try:
        write_atomic(copy, patched)
    except OutputError:  # a read-only cache folder: patch again at the next start
        return patched
    return str(copy)


def word_times_state() -> str:
    """Whether Piper voices time words here, for ``listen doctor``."""
    try:
        import onnx
    except ImportError:
        return "no, sentences only: install onnx (pip install 'listen[piper]')"
    return f"yes (onnx {onnx.__version__})"


def _identity(model: Path) -> str:
    """Changes whenever the model file or the patching would."""
    stat = model.stat()
    facts = f"{model.resolve()}:{stat.st_size}:{stat.st_mtime_ns}:{version('piper-tts')}"
    return hashlib.sha256(facts.encode("utf-8")).hexdigest()[:16]


def _patched(model: Path) -> bytes | None:
    """The model with its phoneme durations as an output, or None when it cannot be."""
    try:
        import onnx
        from piper.patch_voice_with_alignment import add_alignment_output
    except ImportError:
        return None
    proto = onnx.load(str(model))
    try:
        add_alignment_output(proto)
    except ValueError:  # no single Ceil tensor, or the model is patched already
        return None
    data: bytes = proto.SerializeToString()
    return data


def word_starts(voice: Any, text: str, chunks: Sequence[Any]) -> tuple[float, ...]:
    """The start of each white-space word of ``text``, in seconds from the start of the
    audio of ``chunks`` (Piper's ``AudioChunk`` objects, synthesised with alignments);
    empty when Piper could not align a chunk."""
    timed = _timed_sounds(chunks, _pad_ids(voice))
    if timed is None:
        return ()
    spoken, times, end = timed
    words = ["".join(_sounds(p for sentence in voice.phonemize(word) for p in sentence))
             for word in text.split()]
    places = _word_places(words, spoken)
    return tuple(times[place] if place < len(times) else end for place in places)


def _pad_ids(voice: Any) -> frozenset[int]:
    from piper.const import PAD

    return frozenset(voice.config.phoneme_id_map.get(PAD, []))


def _timed_sounds(chunks: Sequence[Any], pads: frozenset[int]
                  ) -> tuple[str, list[float], float] | None:  # fmt: skip
    """Every sound phoneme spoken, in one string; when each one starts; and the end of
    the audio. None without alignments.

    Piper follows every phoneme with a pad, the transition to the next one: a sound
    starts where the transition into it does (a stress mark before it included).
    Measured against the onset of words after a pause, that is within 5 ms of where
    the sound begins; the phoneme's own start is about 25 ms late (bench/words.py).
    """
    sounds: list[str] = []
    times: list[float] = []
    offset, rate = 0, 1
    for chunk in chunks:
        alignments, samples = chunk.phoneme_alignments, chunk.phoneme_id_samples
        if alignments is None or samples is None:
            return None
        rate, lead, transition, position = chunk.sample_rate, None, 0, 0
        for index, alignment in enumerate(alignments):
            ids = list(alignment.phoneme_ids)
            start, phoneme = offset - transition, alignment.phoneme
            offset += int(alignment.num_samples)
            transition = int(samples[position + len(ids) - 1]) if ids and ids[-1] in pads else 0
            position += len(ids)
            if index in (0, len(alignments) - 1):  # Piper's start and end marks
                continue
            if phoneme in STRESS:
                lead = start if lead is None else lead
            elif phoneme in SILENT:
                lead = None
            else:
                sounds.append(phoneme)
                times.append((start if lead is None else lead) / rate)
                lead = None
    return "".join(sounds), times, offset / rate


def _sounds(phonemes: Iterable[str]) -> list[str]:
    return [p for p in phonemes if p not in STRESS and p not in SILENT]


def _word_places(words: Sequence[str], spoken: str) -> list[int]:
    """For each word's own phonemes, where in ``spoken`` the word begins."""
    own = "".join(words)
    landed = [-1] * len(own)
    for a, b, size in SequenceMatcher(None, own, spoken, autojunk=False).get_matching_blocks():
        landed[a : a + size] = range(b, b + size)
    places, first, floor = [], 0, 0
    for word in words:
        hits = [(i - first, landed[i]) for i in range(first, first + len(word)) if landed[i] >= 0]
        place = max(floor, hits[0][1] - hits[0][0]) if hits else floor
        places.append(place)
        floor = hits[-1][1] + 1 if hits else place
        first += len(word)
    return places
