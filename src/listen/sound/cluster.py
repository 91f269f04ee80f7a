"""The Dask executor: takes made on a Dask distributed cluster (``--cluster ADDRESS``).

``distributed`` is imported here only, and only when a cluster is named (the
``dask`` extra: ``pip install 'listen[dask]'``). Each take is one Dask task,
``_cluster_take(job)``, keyed by the take's cache key: equal takes in flight for two
articles are made once. Workers need listen with the same engines and voices as the
client (the task checks the engine version), and no shared disk: the take comes
back as MP3 frames and the client stores it in its own cache.

Dask reschedules the tasks of a worker that dies; a task that has taken down
several workers fails (``KilledWorker``). When the scheduler goes away the client
reports it; every take delivered before is already in the cache, so the next run
resumes there.
"""

from __future__ import annotations

import itertools
import logging
import platform
import threading
import time
from collections.abc import Sequence
from concurrent.futures import CancelledError
from typing import TYPE_CHECKING, Any

from listen.errors import EngineError, EngineUnavailable, ListenError
from listen.models import EncodedTake, VoiceProfile
from listen.sound.engines import engine_names, get_engine
from listen.sound.executor import (
    Deliver,
    Executor,
    TakeJob,
    engine_here,
    failed,
    loaded_engines,
    make_take,
    set_engine_threads,
)
from listen.sound.pool import available_cores

if TYPE_CHECKING:
    from distributed import Client, Future

INSTALL_HINT = "pip install 'listen[dask]'"
CONNECT_TIMEOUT = 10.0
"""Seconds to wait for the scheduler when connecting."""
POLL_SECONDS = 0.05
NO_WORKERS_SECONDS = 60.0
"""How long a render waits on a cluster with no workers before it stops with an error
(a worker that crashed or was killed, and none left to take its takes)."""
WORKER_CHECK_SECONDS = 1.0
"""How often a waiting render asks the scheduler for its workers (a round trip)."""
"""How often the wait for takes looks for results and checks the scheduler is there."""


class DaskCluster(Executor):
    """Makes takes on the workers of the Dask scheduler at ``address``."""

    name = "Dask cluster"
    remote = True

    def __init__(self, address: str, *, timeout: float = CONNECT_TIMEOUT) -> None:
        self.address = address
        self._client = connect(address, timeout=timeout)
        self._order = itertools.count()
        self._lock = threading.Lock()

    def make(self, jobs: Sequence[TakeJob], deliver: Deliver) -> None:
        if not jobs:
            return
        with self._lock:  # earlier articles first: each is assembled as soon as it can be
            priority = -next(self._order)
        futures = {
            self._client.submit(_cluster_take, job, key=f"listen-take-{job.key}",
                                priority=priority, pure=False): job
            for job in jobs
        }
        try:
            self._collect(futures, deliver)
        finally:
            self._client.cancel([future for future in futures if not future.done()])

    def close(self) -> None:
        # A client whose scheduler is gone logs its own failures to close at length;
        # the error we raise has said what matters.
        quiet = logging.getLogger("distributed")
        level = quiet.level
        quiet.setLevel(logging.CRITICAL)
        try:
            self._client.close(timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError):
            pass
        finally:
            quiet.setLevel(level)

    def slots(self) -> int:
        """Worker threads across the cluster, as the scheduler counts them now."""
        return sum(int(worker.get("nthreads", 1)) for worker in self.workers().values())

    def workers(self) -> dict[str, Any]:
        """The scheduler's workers, by address (``Client.scheduler_info``)."""
        info: dict[str, Any] = self._client.scheduler_info(n_workers=-1)["workers"]
        return info

    def run_on_workers(self, function: Any, *args: Any) -> dict[str, Any]:
        """``function(*args)`` on every worker, by worker address."""
        results: dict[str, Any] = self._client.run(function, *args)
        return results

    def _collect(self, futures: dict[Future[EncodedTake], TakeJob], deliver: Deliver) -> None:
        from distributed import as_completed
        from distributed.client import FutureCancelledError

        pending = as_completed(futures, loop=self._client.loop)
        workerless_since: float | None = None
        next_worker_check = time.monotonic()
        while not pending.is_empty():
            batch = pending.next_batch(block=False)
            if not batch:
                self._check_scheduler()
                if time.monotonic() >= next_worker_check:
                    workerless_since = self._check_workers(workerless_since)
                    next_worker_check = time.monotonic() + WORKER_CHECK_SECONDS
                time.sleep(POLL_SECONDS)
                continue
            for future in batch:
                job = futures[future]
                try:
                    take: EncodedTake = future.result()
                except ListenError as exc:
                    raise failed(job, exc) from exc
                except (CancelledError, FutureCancelledError) as exc:
                    if self._client.status != "running" or "connection-lost" in str(exc):
                        raise self._lost() from exc
                    raise failed(job, EngineError(f"the cluster cancelled it ({exc})")) from exc
                except Exception as exc:  # KilledWorker and the like, from Dask itself
                    raise failed(job, EngineError(f"{type(exc).__name__}: {exc}")) from exc
                future.release()
                deliver(job, take)

    def _check_scheduler(self) -> None:
        if self._client.status not in ("running", "connecting"):
            raise self._lost()

    def _check_workers(self, since: float | None) -> float | None:
        """When the cluster has had no workers since ``since``; an error once that has
        lasted ``NO_WORKERS_SECONDS`` (Dask itself would wait for workers for ever)."""
        if self.workers():
            return None
        now = time.monotonic()
        if since is not None and now - since > NO_WORKERS_SECONDS:
            raise EngineError(
                f"the Dask cluster at {self.address} has had no workers for "
                f"{NO_WORKERS_SECONDS:.0f} s (they stopped or crashed): every take made so "
                "far is cached; start workers (dask worker ADDRESS) or render without "
                "--cluster, and run the same command to resume")
        return since if since is not None else now

    def _lost(self) -> EngineError:
        return EngineError(
            f"lost the Dask scheduler at {self.address}: nothing was half-written and "
            "every take made so far is cached; start the scheduler again (or render "
            "without --cluster) and run the same command to resume"
        )


def connect(address: str, *, timeout: float = CONNECT_TIMEOUT) -> Client:
    """A client of the scheduler at ``address``, or an error saying what to do."""
    try:
        from distributed import Client
    except ImportError as exc:
        raise EngineUnavailable(f"rendering on a Dask cluster needs the dask extra: "
                                f"{INSTALL_HINT}") from exc
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise EngineError(
            f"cannot reach the Dask scheduler at {address} ({exc}): start it "
            "(`dask scheduler`), check the address given to --cluster, [render] cluster "
            "or LISTEN_CLUSTER, or render without a cluster"
        ) from exc


_threads_set = False


def _cluster_take(job: TakeJob) -> EncodedTake:
    """The task each take is: runs on a worker, which keeps its engines loaded."""
    global _threads_set
    if not _threads_set:
        from distributed import get_worker

        slots = max(1, get_worker().state.nthreads)
        set_engine_threads(max(1, available_cores() // slots))
        _threads_set = True
    return make_take(job)


def worker_facts(profile: VoiceProfile | None = None) -> dict[str, Any]:
    """What this process has that must match the client's: listen's version, each
    engine's version (library and voice data), whether ``profile``'s voice loads here,
    and which engines it has loaded so far. ``listen doctor --cluster`` runs it on
    every worker and here, and compares."""
    from listen import __version__

    engines: dict[str, str] = {}
    for name in engine_names():
        try:
            engine_class = get_engine(name)
            engine_class.check()
            engines[name] = engine_class.version()
        except ListenError as exc:
            engines[name] = f"unavailable: {exc}"
    voice = ""
    if profile is not None:
        try:
            engine_here(profile.engine).prepare(profile)
            voice = "ok"
        except ListenError as exc:
            voice = str(exc)
    from importlib.metadata import version

    distributed_version = version("distributed")

    return {"listen": __version__, "distributed": distributed_version,
            "python": platform.python_version(), "engines": engines, "voice": voice,
            "loaded": loaded_engines(), "cores": available_cores()}


MUST_MATCH = ("listen", "distributed")
"""Versions a worker must share with the client, besides every engine's."""


def differences(client: dict[str, Any], worker: dict[str, Any]) -> list[str]:
    """How a worker's ``worker_facts`` differ from the client's in what must match."""
    found = [f"{name} {worker[name]} (here {client[name]})" for name in MUST_MATCH
             if worker.get(name) != client.get(name)]
    for engine, version in client["engines"].items():
        theirs = worker["engines"].get(engine, "missing")
        if theirs != version and not version.startswith("unavailable"):
            found.append(f"{engine}: {theirs} (here {version})")
    if client["voice"] == "ok" and worker["voice"] != "ok":
        found.append(f"the voice does not load: {worker['voice']}")
    return found
