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

from collections.abc import Callable, Sequence

from listen.models import EncodedTake, Script, TakeRef, VoiceProfile
from listen.sound.cache import TakeCache, take_key
from listen.sound.engines import get_engine
from listen.sound.executor import Executor, Finisher, TakeJob
from listen.sound.pool import LocalPool

__all__ = ["Finisher", "Progress", "plan", "synthesize"]

Progress = Callable[[int, int], None]


def synthesize(
    script: Script,
    profile: VoiceProfile,
    *,
    finish: Finisher,
    cache: TakeCache,
    jobs: int | None = None,
    on_progress: Progress | None = None,
    executor: Executor | None = None,
) -> list[list[TakeRef]]:
    """One finished take per sentence, kept in ``cache``, indexed ``[segment][sentence]``.

    With caching off, pass a ``TakeCache`` in a temporary folder: it is the spool.
    Without an ``executor``, a local pool of ``jobs`` workers serves this script alone.
    """
    engine_class = get_engine(profile.engine)
    engine_class.check()
    lines = plan(script, profile)  # 1.
    version = engine_class.version()
    keys = [
        take_key(profile.engine, version, profile, text, finish.key, pause_ms=pause)
        for text, pause in lines
    ]
    made: list[TakeRef | None] = [cache.ref(key) for key in keys]  # 2.
    missing, slots = _missing_takes(lines, keys, made, profile, finish, version)
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
    return _by_segment(script, [take for take in made if take is not None])


def plan(script: Script, profile: VoiceProfile) -> list[tuple[str, int]]:
    """(speech, pause in ms) for every sentence, in order: the last sentence of a
    segment is followed by the segment's pause, every other one by a sentence pause."""
    lines = []
    for segment in script.segments:
        last = len(segment.sentences) - 1
        for index, sentence in enumerate(segment.sentences):
            pause = profile.pauses.after(segment.pause_after)
            lines.append((sentence.speech, pause if index == last else profile.pauses.sentence))
    return lines


def _missing_takes(
    lines: Sequence[tuple[str, int]],
    keys: Sequence[str],
    made: Sequence[TakeRef | None],
    profile: VoiceProfile,
    finish: Finisher,
    version: str,
) -> tuple[list[TakeJob], dict[str, list[int]]]:
    """One job per distinct missing take, and the sentence positions each fills."""
    slots: dict[str, list[int]] = {}
    for slot, (key, take) in enumerate(zip(keys, made, strict=True)):
        if take is None:
            slots.setdefault(key, []).append(slot)
    jobs = [TakeJob(*lines[found[0]], profile, finish, version, key)
            for key, found in slots.items()]
    return jobs, slots


def _by_segment(script: Script, flat: list[TakeRef]) -> list[list[TakeRef]]:
    takes, start = [], 0
    for segment in script.segments:
        takes.append(flat[start : start + len(segment.sentences)])
        start += len(segment.sentences)
    return takes
