"""Stage 4: speak every sentence of a script, finish it, and cache it.

    1. plan      one take per sentence: the text spoken and the pause after it
    2. lookup    the take cache, in this process; a hit costs one small file read
    3. make      the misses, each once (a repeated sentence is one take), by an
                 executor: a local process pool, this process, or a Dask cluster
    4. store     each new take into the take store (the cache) as it arrives

What comes back is a ``TakeRef`` per sentence: timing and a key, not the frames, so
memory does not grow with the article; the pipeline reads the frames back from the
store one take at a time while it writes the MP3.

A take is made entirely by one worker: the engine speaks, then the ``Finisher``
masters it, appends its pause and encodes it to MP3 frames, so encoding runs where
synthesis does. ``listen.sound.executor`` is the seam between this client side and
the workers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from listen.models import EncodedTake, Script, SegmentKind, TakeRef, VoiceProfile
from listen.sound.cache import TakeCache, take_key
from listen.sound.engines import get_engine
from listen.sound.executor import Executor, Finisher, TakeJob
from listen.sound.pool import LocalPool
from listen.sound.recognize import Hearing

__all__ = ["Finisher", "Progress", "plan", "synthesize"]

Progress = Callable[[int, int], None]


class Line(NamedTuple):
    """One take to speak: the text, the pause after it, and the voice that speaks it."""

    text: str
    pause_ms: int
    profile: VoiceProfile


def synthesize(
    script: Script,
    profile: VoiceProfile,
    *,
    finish: Finisher,
    cache: TakeCache,
    jobs: int | None = None,
    on_progress: Progress | None = None,
    executor: Executor | None = None,
    hearing: Hearing | None = None,
) -> list[list[TakeRef]]:
    """One finished take per sentence, kept in ``cache``, indexed ``[segment][sentence]``.

    With caching off, pass a ``TakeCache`` in a temporary folder: it is the spool.
    Without an ``executor``, a local pool of ``jobs`` workers serves this script alone.
    With ``hearing`` (the listening check), each new take is heard where it is made.
    """
    lines = plan(script, profile)  # 1.
    versions = _engine_versions(line.profile for line in lines)
    voice_versions = {voice: get_engine(voice.engine).voice_version(voice)
                      for voice in {line.profile for line in lines}}
    keys = [
        take_key(voice.engine, versions[voice.engine], voice, text, finish.key,
                 pause_ms=pause, voice_version=voice_versions[voice])
        for text, pause, voice in lines
    ]
    made: list[TakeRef | None] = [cache.ref(key) for key in keys]  # 2.
    missing, slots = _missing_takes(lines, keys, made, finish, versions, hearing)
    report = on_progress or (lambda _done, _total: None)
    done = len(lines) - sum(len(found) for found in slots.values())
    report(done, len(lines))

    def store(job: TakeJob, result: EncodedTake) -> None:  # 4.
        nonlocal done
        kept = cache.put(job.key, result)  # another render may have kept its own first
        for slot in slots[job.key]:
            made[slot] = kept.ref(job.key)
        done += len(slots[job.key])
        report(done, len(lines))

    if missing:
        if executor is None:
            with LocalPool(jobs) as own:
                own.make(missing, store)  # 3.
        else:
            executor.make(missing, store)  # 3.
    return by_segment(script, [take for take in made if take is not None])


def plan(script: Script, profile: VoiceProfile) -> list[Line]:
    """(speech, pause in ms, voice) for every sentence, in order: the last sentence of
    a segment is followed by the segment's pause, every other one by a sentence
    pause; the pauses are always the main profile's, whichever voice speaks."""
    lines = []
    for segment in script.segments:
        last = len(segment.sentences) - 1
        for index, sentence in enumerate(segment.sentences):
            pause = profile.pauses.after(segment.pause_after)
            voice = profile.for_part(part_of(segment.kind, index))
            lines.append(Line(sentence.speech, pause if index == last
                              else profile.pauses.sentence, voice))
    return lines


def part_of(kind: SegmentKind, index: int) -> str:
    """The part of the article a sentence belongs to, as a profile's ``[parts]`` names
    it: the spoken intro's first sentence is the ``title``, the rest the ``intro``."""
    if kind is SegmentKind.TITLE:
        return "title" if index == 0 else "intro"
    return str(kind.value)


def _engine_versions(voices: Iterable[VoiceProfile]) -> dict[str, str]:
    """Each engine's version, its availability checked once."""
    versions = {}
    for name in dict.fromkeys(voice.engine for voice in voices):
        engine_class = get_engine(name)
        engine_class.check()
        versions[name] = engine_class.version()
    return versions


def _missing_takes(
    lines: Sequence[Line],
    keys: Sequence[str],
    made: Sequence[TakeRef | None],
    finish: Finisher,
    versions: dict[str, str],
    hearing: Hearing | None,
) -> tuple[list[TakeJob], dict[str, list[int]]]:
    """One job per distinct missing take, and the sentence positions each fills."""
    slots: dict[str, list[int]] = {}
    for slot, (key, take) in enumerate(zip(keys, made, strict=True)):
        if take is None:
            slots.setdefault(key, []).append(slot)
    jobs = []
    for key, found in slots.items():
        line = lines[found[0]]
        jobs.append(TakeJob(*line, finish, versions[line.profile.engine], key, hearing))
    return jobs, slots


def by_segment(script: Script, flat: list[TakeRef]) -> list[list[TakeRef]]:
    takes, start = [], 0
    for segment in script.segments:
        takes.append(flat[start : start + len(segment.sentences)])
        start += len(segment.sentences)
    return takes
