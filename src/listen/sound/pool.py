"""The local executor: a pool of worker processes on this machine (the default).

Workers start with ``forkserver`` (``spawn`` where that is missing), never ``fork``:
forking a process that has loaded espeak-ng's or onnxruntime's threads copies their
locks mid-state. The pool starts at the first article with enough work to pay for
it, and serves every later article of the run; each worker loads an engine and
voice at its first take and keeps them. Little work is made in this process.

A hung worker is bounded twice: by the engine's own watchdog in the worker, and by
the wait here, after which the pool is terminated (a new one starts if needed).
``multiprocessing.Pool`` silently replaces a worker that died, whose take would then
never complete, so the pool's children are watched too.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import threading
import time
from collections.abc import Sequence
from functools import partial
from multiprocessing.pool import Pool
from typing import TYPE_CHECKING, Any

from listen.errors import EngineError
from listen.sound.engines import get_engine
from listen.sound.executor import (
    Deliver,
    Executor,
    InProcess,
    TakeJob,
    engine_here,
    failed,
    make_take,
    set_engine_threads,
)

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

POOL_STARTUP_SECONDS = 1.0
"""About what starting a worker costs (interpreter, imports, engine and voice)."""
FINISH_COST_PER_CHAR = 0.0004
"""Seconds to master and encode the audio of one character with
``listen.sound.finish.TakeFinisher`` (44.1 kHz, 64 kbit/s): about 0.38 s of CPU per audio
minute, about 1,000 characters (bench/synth.py and a per-take timing, November 2026)."""
FIRST_RESULT_GRACE = 60.0
"""Extra wait for a pool's first result: workers start and load their voice first."""

Outcome = tuple[TakeJob, Any, bool]


def available_cores() -> int:
    """CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class LocalPool(Executor):
    """Up to ``jobs`` worker processes (default: one per core)."""

    name = "local pool"

    def __init__(self, jobs: int | None = None) -> None:
        self.workers = jobs or available_cores()
        self._pool: Pool | None = None
        self._watch: _WorkerWatch | None = None
        self._started = False
        self._lock = threading.Lock()

    def slots(self) -> int:
        return self.workers

    def make(self, jobs: Sequence[TakeJob], deliver: Deliver) -> None:
        if not jobs:
            return
        pool = self._pool_for(jobs)
        if pool is None:
            InProcess().make(jobs, deliver)
            return
        results: queue.SimpleQueue[Outcome] = queue.SimpleQueue()
        # Longest first, so the last takes to finish are short ones.
        for job in sorted(jobs, key=lambda job: len(job.text), reverse=True):
            pool.apply_async(make_take, (job,), callback=partial(_put, results, job, True),
                             error_callback=partial(_put, results, job, False))
        timeout = _take_timeout(jobs)
        for count in range(len(jobs)):
            first = count == 0 and not self._started
            job, outcome, ok = self._next(results, timeout + (FIRST_RESULT_GRACE if first else 0))
            self._started = True
            if not ok:
                raise failed(job, outcome)
            deliver(job, outcome)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.terminate()
            pool.join()

    def _pool_for(self, jobs: Sequence[TakeJob]) -> Pool | None:
        """The running pool, starting it if this work pays for it; None: work here."""
        with self._lock:
            if self._pool is None:
                workers = min(self.workers, len(jobs))
                if workers < 2 or not _pool_pays(jobs, workers):
                    return None
                threads = max(1, available_cores() // self.workers)
                self._watch = _WorkerWatch(self.workers)
                self._pool = _context().Pool(self.workers, _start_worker, (threads,))
                self._started = False
            return self._pool

    def _next(self, results: queue.SimpleQueue[Outcome], wait: float) -> Outcome:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                return results.get(timeout=0.2)
            except queue.Empty:
                self._check_workers()
        self.close()
        raise EngineError(
            f"no sentence was finished within {wait:.0f} s: a speech worker hung; "
            "run listen again, or render with --jobs 1 to see which sentence fails"
        )

    def _check_workers(self) -> None:
        watch = self._watch
        if self._pool is None or watch is None:
            raise EngineError("the speech workers were stopped after an error: run again")
        if watch.someone_died():
            self.close()
            raise EngineError(
                "a speech worker stopped unexpectedly (the engine crashed, or a script "
                "calls listen without an `if __name__ == \"__main__\":` guard); "
                "render with --jobs 1 to find the sentence"
            )


def _pool_pays(jobs: Sequence[TakeJob], workers: int) -> bool:
    """True when sharing the work saves more time than starting the workers costs."""
    engine_class = get_engine(jobs[0].profile.engine)
    per_char = engine_class.cost_per_char + FINISH_COST_PER_CHAR
    seconds_here = sum(len(job.text) for job in jobs) * per_char
    return seconds_here * (1 - 1 / workers) > POOL_STARTUP_SECONDS


def _start_worker(threads: int) -> None:
    """Pool initializer. Ctrl-C is the main process's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    set_engine_threads(threads)


def _put(results: queue.SimpleQueue[Outcome], job: TakeJob, ok: bool, outcome: Any) -> None:
    results.put((job, outcome, ok))


def _context() -> BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _take_timeout(jobs: Sequence[TakeJob]) -> float:
    """The longest one take may take, by the engine's own measure, plus a margin."""
    engine = engine_here(jobs[0].profile.engine)
    return max(engine.timeout(job.text) for job in jobs) + 10.0


class _WorkerWatch:
    """Notices a worker that died: more children than workers have come and gone."""

    def __init__(self, workers: int) -> None:
        self._workers = workers
        self._before = {child.pid for child in multiprocessing.active_children()}
        self._seen: set[int | None] = set()

    def someone_died(self) -> bool:
        self._seen |= {child.pid for child in multiprocessing.active_children()} - self._before
        return len(self._seen) > self._workers
