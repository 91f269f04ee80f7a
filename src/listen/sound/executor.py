"""The executor seam: where takes are made.

A take is one sentence spoken, mastered and encoded. It depends on exactly what a
``TakeJob`` carries, which is also what its cache key is made of::

    (spoken text, voice profile, finishing settings) → EncodedTake

The client (``synth``) keeps the take cache and hands an executor only the takes it
lacks; the executor calls back as each one arrives, in the client's thread, so the
client stores it and assembles the article once all are in. Executors:

* ``InProcess``: here, one take after another (little work, or ``--jobs 1``);
* ``listen.sound.pool.LocalPool``: a process pool on this machine (the default);
* ``listen.sound.cluster.DaskCluster``: a Dask distributed cluster (``--cluster``).

Every process that makes takes runs ``make_take``: it loads an engine and a voice
once and keeps them for the next take, and refuses a take keyed with another
engine or voice-data version than its own, so a mismatched worker cannot fill the
cache with different audio under the same key. A later stage that needs more from
a take adds it to ``EncodedTake`` and to ``make_take``, as word timings and the
listening check's recognition do; the executors only move jobs and takes.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from types import TracebackType
from typing import TYPE_CHECKING, Protocol

from listen.errors import EngineError, ListenError
from listen.models import EncodedTake, VoiceProfile
from listen.sound.engines import Engine, get_engine
from listen.sound.recognize import Hearing, hear_take

if TYPE_CHECKING:
    from pydub import AudioSegment


class Finisher(Protocol):
    """Masters one take and encodes it; picklable, so it runs where the take is made."""

    @property
    def key(self) -> str:
        """Changes whenever the finished audio would; part of the cache key."""
        ...

    def __call__(self, audio: AudioSegment, pause_ms: int) -> EncodedTake: ...


@dataclass(frozen=True)
class TakeJob:
    """One take to make: everything it depends on, and the key it is cached under."""

    text: str
    """What the engine is given (the sentence's spoken form)."""
    pause_ms: int
    """Silence after the speech, part of the take."""
    profile: VoiceProfile
    finish: Finisher
    engine_version: str
    """The engine and voice-data version the client keyed the take with."""
    key: str
    """The take cache key: equal keys are equal takes, made once."""
    hearing: Hearing | None = None
    """The listening check's recogniser, when the render asked for it (``--verify``):
    the take is heard where it is made. Not part of the key: it changes no audio."""


Deliver = Callable[[TakeJob, EncodedTake], None]


class Executor(ABC):
    """Makes takes; use as a context manager, or call ``close``."""

    name: str = ""
    remote: bool = False
    """True when takes are made on other machines (a cluster)."""

    def slots(self) -> int:
        """How many takes it makes at once."""
        return 1

    @abstractmethod
    def make(self, jobs: Sequence[TakeJob], deliver: Deliver) -> None:
        """Make every job, calling ``deliver(job, take)`` in this thread as each take
        arrives (in any order); raise ``EngineError`` naming the sentence that failed.

        Safe to call from several threads at once, one article each.
        """

    def close(self) -> None:  # noqa: B027 - most executors hold nothing
        """Release workers or connections."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class InProcess(Executor):
    """Makes every take here, one after another."""

    name = "this process"

    def make(self, jobs: Sequence[TakeJob], deliver: Deliver) -> None:
        for job in jobs:
            try:
                take = make_take(job)
            except ListenError as exc:
                raise failed(job, exc) from exc
            deliver(job, take)


def failed(job: TakeJob, error: BaseException) -> EngineError:
    """The error for a take that could not be made, naming its sentence."""
    start = job.text if len(job.text) <= 60 else job.text[:57] + "…"
    return EngineError(f"could not speak the sentence {start!r}: {error}")


# --- where takes are made: any process ------------------------------------------------

_engines: dict[str, Engine] = {}
"""One engine per process and name: engines keep their library and voices loaded."""
_prepared: set[tuple[str, VoiceProfile]] = set()
_checked_versions: set[tuple[str, str]] = set()
_lock = threading.Lock()
_threads: int | None = None
"""Threads an engine may use in this process (None: all cores); set by the executor."""


def set_engine_threads(threads: int | None) -> None:
    """How many threads each engine here may use: a pool of N workers on N cores
    runs best with one each (FINDINGS.md)."""
    global _threads
    _threads = threads


def make_take(job: TakeJob) -> EncodedTake:
    """Speak, master and encode one take, in whatever process runs it.

    Engine library errors become ``EngineError`` (picklable, with its message).
    """
    try:
        engine = _ready_engine(job)
        audio, words = engine.synthesize_timed(job.text, job.profile)
        take = job.finish(audio, job.pause_ms)
        take = replace(take, words=words) if words else take
    except ListenError:
        raise
    except Exception as exc:  # a third-party engine's or library's own error
        raise EngineError(f"{type(exc).__name__}: {exc}") from None
    return _heard(take, job.hearing) if job.hearing else take


def _heard(take: EncodedTake, hearing: Hearing) -> EncodedTake:
    """The take with what ``hearing`` hears in it; as it is when this process cannot
    hear (a worker without the recogniser, a recogniser's own error): the client then
    hears it from the cache, where a lasting fault shows as an error."""
    try:
        return replace(take, heard=hear_take(take, hearing))
    except Exception:  # the take is good whatever the recogniser does here
        return take


def _ready_engine(job: TakeJob) -> Engine:
    """This process's engine for the job, its voice loaded and its version checked."""
    name = job.profile.engine
    engine = engine_here(name)
    with _lock:
        if (name, job.engine_version) not in _checked_versions:
            _check_version(engine, job.engine_version)
            _checked_versions.add((name, job.engine_version))
        if (name, job.profile) not in _prepared:
            engine.prepare(job.profile, threads=_threads)
            _prepared.add((name, job.profile))
    return engine


def _check_version(engine: Engine, wanted: str) -> None:
    own = type(engine).version()
    if own != wanted:
        raise EngineError(
            f"this worker's {engine.name} engine is {own!r} but the render asked for "
            f"{wanted!r}: install the same listen, engines and voices everywhere "
            "(`listen doctor --cluster ADDRESS` compares them)"
        )


def engine_here(name: str) -> Engine:
    """This process's engine named ``name`` (shared with ``make_take``)."""
    with _lock:
        if name not in _engines:
            _engines[name] = get_engine(name)()
        return _engines[name]


def loaded_engines() -> list[str]:
    """The engines this process has loaded, by name."""
    with _lock:
        return sorted(_engines)
