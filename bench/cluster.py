"""Rendering an archive: the local pool against a Dask cluster of 1 and of 2 workers.

    .venv/bin/python bench/cluster.py                        # 24 articles, Piper (joe)
    .venv/bin/python bench/cluster.py --voice espeak-en-us --articles 40

Every configuration renders the same generated archive (bench/archive.py, our own
words) from an empty take cache into its own output folder, timed from the first
article read to the last feed update, engine and voice loading included:

* local: ``listen render`` as it runs by default here, a pool of 2 worker processes
  (one onnxruntime thread each) on this machine's 2 cores;
* cluster-1: a real ``dask scheduler`` and one ``dask worker`` (one thread), pinned to
  one core with taskset, as a one-core machine would be;
* cluster-2: the same with two workers, each pinned to its own core.

The client (reading pages, writing MP3s and the feed) runs unpinned in this process.
Printed for each: wall-clock throughput (audio seconds per second) and CPU seconds per
audio minute, counted over every process taking part (client, pool workers, scheduler,
Dask workers: this process and all its descendants, read from /proc with psutil). On a machine
shared with other work, wall-clock figures follow the other work; CPU per audio
minute does not, and it is what sets throughput on cores of one's own. Then: the
cluster's overhead against the local pool on the same 2 cores (goal within 10%), how
throughput grows from 1 worker to 2 (goal 1.8x or more), how many worker cores one
client core can feed, and the machine-hours for 100,000 articles of 25 minutes.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import psutil  # noqa: E402  (comes with distributed)
from archive import write_archive  # noqa: E402

from daskcluster import LocalDaskCluster  # noqa: E402
from listen.batch import Item, render_all  # noqa: E402
from listen.config import Settings  # noqa: E402
from listen.errors import ListenError  # noqa: E402
from listen.models import Channel  # noqa: E402

SHOW = Channel(title="Harbour notes", base_url="https://cdn.example/audio/",
               owner_email="audio@example.org")
ARCHIVE_ARTICLES = 100_000
ARCHIVE_MINUTES = 25.0


@dataclass(frozen=True)
class Run:
    wall: float
    """Seconds of wall clock."""
    audio: float
    """Seconds of audio made."""
    client_cpu: float
    """CPU seconds of this process (the client)."""
    cpu: float
    """CPU seconds of everything: the client, pool workers, scheduler and Dask workers."""


class CpuMeter:
    """CPU seconds of this process and all its descendants (pool workers are the
    forkserver's children, Dask's are ours), read every few tenths of a second from
    /proc, so a process that ends is counted up to its last reading."""

    def __init__(self) -> None:
        self._seen: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> CpuMeter:
        self._read()
        self._start = dict(self._seen)
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._read()

    @property
    def seconds(self) -> float:
        return sum(total - self._start.get(pid, 0.0) for pid, total in self._seen.items())

    def _watch(self) -> None:
        while not self._stop.wait(0.2):
            self._read()

    def _read(self) -> None:
        me = psutil.Process()
        for process in [me, *me.children(recursive=True)]:
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            self._seen[process.pid] = times.user + times.system


def client_cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def measured(work: Callable[[], float]) -> Run:
    """Run ``work``, which returns seconds of audio."""
    client = client_cpu()
    with CpuMeter() as meter:
        started = time.perf_counter()
        audio = work()
        wall = time.perf_counter() - started
    return Run(wall, audio, client_cpu() - client, meter.seconds)


def render_archive(pages: list[Path], folder: Path, voice: str, cluster: str | None) -> float:
    """Seconds of audio made."""
    settings = Settings(out_dir=folder / "out", cache_dir=folder / "cache", voice=voice,
                        jobs=2, cluster=cluster, show=SHOW)
    outcomes = render_all([Item(str(page)) for page in pages], settings)
    failed = [(source, error) for source, error in outcomes if isinstance(error, ListenError)]
    if failed:
        raise SystemExit(f"render failed: {failed[0]}")
    return sum(result.episode.duration for _s, result in outcomes  # type: ignore[union-attr]
               if not isinstance(result, ListenError))


def on_cluster(pages: list[Path], work: Path, voice: str, workers: int) -> Run:
    """Wall clock from the first article to the last; CPU of everything, the
    scheduler's and workers' start included (as the local pool's is), counted once
    they have ended."""
    cpus = {number: str(number % (os.cpu_count() or 1)) for number in range(workers)}
    client = client_cpu()
    with CpuMeter() as meter, LocalDaskCluster(work / f"dask-{workers}", workers=workers,
                          worker_cpus=cpus) as dask:
        started = time.perf_counter()
        audio = render_archive(pages, work / f"cluster-{workers}", voice, dask.address)
        wall = time.perf_counter() - started
        # read while the processes still run: the meter counts them to their end
    return Run(wall, audio, client_cpu() - client, meter.seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=24)
    parser.add_argument("--paragraphs", type=int, default=10)
    parser.add_argument("--voice", default="joe")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="listen-bench-cluster-") as temp:
        work = Path(temp)
        pages = write_archive(work / "pages", args.articles, args.paragraphs)
        print(f"{args.articles} articles of {args.paragraphs} paragraphs, voice {args.voice}, "
              f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at the start")
        runs = {
            "local": measured(lambda: render_archive(pages, work / "local", args.voice, None)),
            "cluster-1": on_cluster(pages, work, args.voice, 1),
            "cluster-2": on_cluster(pages, work, args.voice, 2),
        }
    report(runs)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


def report(runs: dict[str, Run]) -> None:
    for name, run in runs.items():
        print(f"{name:10} {run.wall:7.1f} s wall, {run.cpu:7.1f} s CPU ({run.client_cpu:5.1f} "
              f"in the client) for {run.audio / 60:5.1f} min of audio: "
              f"{run.audio / run.wall:5.1f} s of audio per wall second, "
              f"{run.cpu / run.audio * 60:5.2f} CPU s per audio minute")
    wall = {name: run.audio / run.wall for name, run in runs.items()}
    cpu = {name: run.cpu / run.audio for name, run in runs.items()}
    print(f"Dask against the local pool on the same 2 cores: throughput "
          f"{wall['cluster-2'] / wall['local']:.2f}x; CPU per audio second "
          f"{(cpu['cluster-2'] / cpu['local'] - 1) * 100:+.1f}% (goal: within 10%)")
    print(f"2 workers against 1: throughput {wall['cluster-2'] / wall['cluster-1']:.2f}x "
          f"(goal 1.8x); CPU per audio second {cpu['cluster-2'] / cpu['cluster-1']:.2f}x")
    client = runs["cluster-2"].client_cpu / runs["cluster-2"].audio
    workers_per_client_core = (cpu["cluster-2"] - client) / client if client else float("inf")
    print(f"one client core keeps about {workers_per_client_core:,.0f} worker cores busy "
          f"({client * 60:.3f} client CPU s per audio minute)")
    print(f"2 workers on cores of their own, from CPU per audio second: "
          f"{2 * cpu['cluster-1'] / cpu['cluster-2']:.2f}x the throughput of 1")
    per_core = 1 / cpu["cluster-2"]  # audio seconds per CPU second, on a core of its own
    hours = ARCHIVE_ARTICLES * ARCHIVE_MINUTES * 60 / (per_core * 2) / 3600
    print(f"{ARCHIVE_ARTICLES:,} articles of {ARCHIVE_MINUTES:.0f} minutes at "
          f"{cpu['cluster-2'] * 60:.2f} CPU s per audio minute: {hours:,.0f} hours of a "
          f"2-core machine ({hours / 24:,.0f} days on one, {hours / 24 / 50:,.1f} on 50, "
          f"{hours / 24 / 200:,.1f} on 200)")


if __name__ == "__main__":
    main()
