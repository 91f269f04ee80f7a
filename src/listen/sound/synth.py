"""Stage 4: speak every sentence of a script, finish it, and cache it.

    1. plan      one take per sentence: the text spoken and the pause after it
    2. lookup    the take cache, in this process; a hit costs one small file read
    3. make      the misses, each synthesised once (a repeated sentence is one take):
                 in a process pool sized to the cores, or here when there is
                 too little work to pay for starting one
    4. store     each new take into the take store (the cache) as it arrives

What comes back is a ``TakeRef`` per sentence: timing and a key, not the frames, so
memory does not grow with the article; the pipeline reads the frames back from the
store one take at a time while it writes the MP3.

A take is made entirely by one worker: the engine speaks, then the ``Finisher``
masters it, appends its pause and encodes it to MP3 frames, so encoding uses every
core too. Workers start with ``forkserver`` (``spawn`` where that is missing), never
``fork``: forking a process that has loaded espeak-ng's or onnxruntime's threads
copies their locks mid-state. Each worker loads its engine and voice once, in the
pool initializer. A hung worker is bounded twice: by the engine's own watchdog in
the worker, and by the wait here, after which the pool is terminated.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from listen.errors import EngineError, ListenError
from listen.models import EncodedTake, Script, TakeRef, VoiceProfile
from listen.sound.cache import TakeCache, take_key
from listen.sound.engines import Engine, get_engine

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

    from pydub import AudioSegment

Progress = Callable[[int, int], None]

POOL_STARTUP_SECONDS = 1.0
"""About what starting a worker costs (interpreter, imports, engine and voice)."""
FINISH_COST_PER_CHAR = 0.0004
"""Seconds to master and encode the audio of one character with
``listen.sound.finish.TakeFinisher`` (44.1 kHz, 64 kbit/s): about 0.38 s of CPU per audio
minute, about 1,000 characters (bench/synth.py and a per-take timing, November 2026)."""
_FIRST_RESULT_GRACE = 60.0
"""Extra wait for the first result: workers start and load their voice first."""


class Finisher(Protocol):
    """Masters one take and encodes it; picklable, so it runs inside the workers."""

    @property
    def key(self) -> str:
        """Changes whenever the finished audio would; part of the cache key."""
        ...

    def __call__(self, audio: AudioSegment, pause_ms: int) -> EncodedTake: ...


@dataclass(frozen=True)
class _Take:
    """One take to make, and the sentence positions it fills."""

    text: str
    pause_ms: int
    key: str
    slots: tuple[int, ...]


def synthesize(
    script: Script,
    profile: VoiceProfile,
    *,
    finish: Finisher,
    cache: TakeCache,
    jobs: int | None = None,
    on_progress: Progress | None = None,
) -> list[list[TakeRef]]:
    """One finished take per sentence, kept in ``cache``, indexed ``[segment][sentence]``.

    With caching off, pass a ``TakeCache`` in a temporary folder: it is the spool.
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
    missing = _missing_takes(lines, keys, made)
    report = on_progress or (lambda _done, _total: None)
    done = len(lines) - sum(len(take.slots) for take in missing)
    report(done, len(lines))

    def store(take: _Take, result: EncodedTake) -> None:  # 4.
        nonlocal done
        cache.put(take.key, result)
        for slot in take.slots:
            made[slot] = result.ref(take.key)
        done += len(take.slots)
        report(done, len(lines))

    _make(engine_class, profile, finish, missing, jobs, store)  # 3.
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
    lines: Sequence[tuple[str, int]], keys: Sequence[str], made: Sequence[TakeRef | None]
) -> list[_Take]:
    slots: dict[str, list[int]] = {}
    for slot, (key, take) in enumerate(zip(keys, made, strict=True)):
        if take is None:
            slots.setdefault(key, []).append(slot)
    return [_Take(*lines[found[0]], key, tuple(found)) for key, found in slots.items()]


def _by_segment(script: Script, flat: list[TakeRef]) -> list[list[TakeRef]]:
    takes, start = [], 0
    for segment in script.segments:
        takes.append(flat[start : start + len(segment.sentences)])
        start += len(segment.sentences)
    return takes


def _make(
    engine_class: type[Engine],
    profile: VoiceProfile,
    finish: Finisher,
    takes: list[_Take],
    jobs: int | None,
    store: Callable[[_Take, EncodedTake], None],
) -> None:
    if not takes:
        return
    workers = min(jobs or available_cores(), len(takes))
    if workers >= 2 and _pool_pays(engine_class, takes, workers):
        _make_in_pool(profile, finish, takes, workers, store)
    else:
        _make_here(profile, finish, takes, store)


def available_cores() -> int:
    """CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _pool_pays(engine_class: type[Engine], takes: list[_Take], workers: int) -> bool:
    """True when sharing the work saves more time than starting the workers costs."""
    per_char = engine_class.cost_per_char + FINISH_COST_PER_CHAR
    seconds_here = sum(len(take.text) for take in takes) * per_char
    return seconds_here * (1 - 1 / workers) > POOL_STARTUP_SECONDS


# --- in this process --------------------------------------------------------------

_engines: dict[str, Engine] = {}
"""One engine per process and name: engines keep their library and voices loaded."""


def _engine(name: str) -> Engine:
    if name not in _engines:
        _engines[name] = get_engine(name)()
    return _engines[name]


def _prepare(engine: Engine, profile: VoiceProfile, threads: int | None) -> None:
    """Load the engine's voice now, so the first take does not pay for it."""
    engine.prepare(profile, threads=threads)


def _speak(engine: Engine, profile: VoiceProfile, finish: Finisher, take: _Take) -> EncodedTake:
    audio = engine.synthesize(take.text, profile)
    return finish(audio, take.pause_ms)


def _speak_safely(
    engine: Engine, profile: VoiceProfile, finish: Finisher, take: _Take
) -> EncodedTake:
    """``_speak``, with any other library's error turned into ours (and picklable)."""
    try:
        return _speak(engine, profile, finish, take)
    except ListenError:
        raise
    except Exception as exc:  # a third-party engine's or library's own error
        raise EngineError(f"{type(exc).__name__}: {exc}") from None


def _make_here(
    profile: VoiceProfile,
    finish: Finisher,
    takes: list[_Take],
    store: Callable[[_Take, EncodedTake], None],
) -> None:
    engine = _engine(profile.engine)
    _prepare(engine, profile, threads=None)
    for take in takes:
        try:
            result = _speak_safely(engine, profile, finish, take)
        except ListenError as exc:
            raise _failed(take, exc) from exc
        store(take, result)


def _failed(take: _Take, error: BaseException) -> EngineError:
    start = take.text if len(take.text) <= 60 else take.text[:57] + "…"
    return EngineError(f"could not speak the sentence {start!r}: {error}")


# --- in a pool ----------------------------------------------------------------------

_worker_state: tuple[Engine, VoiceProfile, Finisher] | None = None
_worker_error: ListenError | None = None


def _start_worker(profile: VoiceProfile, finish: Finisher, threads: int) -> None:
    """Pool initializer: load the engine and voice once. It must not raise (a failing
    initializer makes the pool restart workers forever), so an error is kept for
    the first take to report."""
    global _worker_state, _worker_error
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    try:
        engine = _engine(profile.engine)
        _prepare(engine, profile, threads=threads)
        _worker_state = (engine, profile, finish)
    except ListenError as exc:
        _worker_error = exc
    except Exception as exc:  # a third-party engine's own error
        _worker_error = EngineError(f"{type(exc).__name__}: {exc}")


def _work(text: str, pause_ms: int) -> EncodedTake:
    if _worker_state is None:
        raise _worker_error or EngineError("the synthesis worker did not start")
    engine, profile, finish = _worker_state
    return _speak_safely(engine, profile, finish, _Take(text, pause_ms, "", ()))


def _context() -> BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _make_in_pool(
    profile: VoiceProfile,
    finish: Finisher,
    takes: list[_Take],
    workers: int,
    store: Callable[[_Take, EncodedTake], None],
) -> None:
    threads = max(1, available_cores() // workers)
    results: queue.SimpleQueue[tuple[_Take, Any, bool]] = queue.SimpleQueue()
    timeout = _take_timeout(profile, takes)
    watch = _WorkerWatch(workers)
    pool = _context().Pool(workers, _start_worker, (profile, finish, threads))
    try:
        # Longest first, so the last takes to finish are short ones.
        for take in sorted(takes, key=lambda take: len(take.text), reverse=True):
            pool.apply_async(
                _work,
                (take.text, take.pause_ms),
                callback=partial(_deliver, results, take, True),
                error_callback=partial(_deliver, results, take, False),
            )
        pool.close()
        for count in range(len(takes)):
            wait = timeout + (_FIRST_RESULT_GRACE if count == 0 else 0.0)
            take, outcome, ok = _next_result(results, wait, watch)
            if not ok:
                raise _failed(take, outcome)
            store(take, outcome)
        pool.join()
    finally:
        pool.terminate()


def _deliver(results: queue.SimpleQueue[tuple[_Take, Any, bool]], take: _Take, ok: bool,
             outcome: Any) -> None:
    results.put((take, outcome, ok))


class _WorkerWatch:
    """Notices a worker that died: ``multiprocessing.Pool`` silently starts a new one
    and its take never completes, so a crash would otherwise look like a hang."""

    def __init__(self, workers: int) -> None:
        self._workers = workers
        self._before = {child.pid for child in multiprocessing.active_children()}
        self._seen: set[int | None] = set()

    def check(self) -> None:
        self._seen |= {child.pid for child in multiprocessing.active_children()} - self._before
        if len(self._seen) > self._workers:
            raise EngineError(
                "a speech worker stopped unexpectedly (the engine crashed, or a script "
                "calls listen without an `if __name__ == \"__main__\":` guard); "
                "render with --jobs 1 to find the sentence"
            )


def _next_result(
    results: queue.SimpleQueue[tuple[_Take, Any, bool]], wait: float, watch: _WorkerWatch
) -> tuple[_Take, Any, bool]:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            return results.get(timeout=0.2)
        except queue.Empty:
            watch.check()
    raise EngineError(
        f"no sentence was finished within {wait:.0f} s: a speech worker hung; "
        "run listen again, or render with --jobs 1 to see which sentence fails"
    )


def _take_timeout(profile: VoiceProfile, takes: list[_Take]) -> float:
    """The longest one take may take, by the engine's own measure, plus a margin."""
    engine = _engine(profile.engine)
    return max(engine.timeout(take.text) for take in takes) + 10.0
