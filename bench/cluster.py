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
Printed: audio made per wall-clock second for each, the cluster's overhead against
the local pool on the same 2 cores (cluster-2 / local, goal within 10%), and how
throughput grows from 1 worker to 2 (goal 1.8x or more); then the machine-hours for
100,000 articles of 25 minutes at the cluster-2 rate per 2 cores.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

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


def render_archive(pages: list[Path], folder: Path, voice: str,
                   cluster: str | None) -> tuple[float, float]:
    """Seconds of wall clock, and seconds of audio made."""
    settings = Settings(out_dir=folder / "out", cache_dir=folder / "cache", voice=voice,
                        jobs=2, cluster=cluster, show=SHOW)
    started = time.perf_counter()
    outcomes = render_all([Item(str(page)) for page in pages], settings)
    seconds = time.perf_counter() - started
    failed = [(source, error) for source, error in outcomes if isinstance(error, ListenError)]
    if failed:
        raise SystemExit(f"render failed: {failed[0]}")
    audio = sum(result.episode.duration for _s, result in outcomes  # type: ignore[union-attr]
                if not isinstance(result, ListenError))
    return seconds, audio


def on_cluster(pages: list[Path], work: Path, voice: str, workers: int) -> tuple[float, float]:
    cpus = {number: str(number % (os.cpu_count() or 1)) for number in range(workers)}
    with LocalDaskCluster(work / f"dask-{workers}", workers=workers, worker_cpus=cpus) as dask:
        return render_archive(pages, work / f"cluster-{workers}", voice, dask.address)


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
            "local": render_archive(pages, work / "local", args.voice, None),
            "cluster-1": on_cluster(pages, work, args.voice, 1),
            "cluster-2": on_cluster(pages, work, args.voice, 2),
        }
    for name, (seconds, audio) in runs.items():
        print(f"{name:10} {seconds:7.1f} s for {audio / 60:6.1f} min of audio: "
              f"{audio / seconds:6.1f} s of audio per second")
    rate = {name: audio / seconds for name, (seconds, audio) in runs.items()}
    print(f"cluster-2 throughput / local pool on the same 2 cores: "
          f"{rate['cluster-2'] / rate['local']:.2f} (Dask overhead "
          f"{(rate['local'] / rate['cluster-2'] - 1) * 100:+.1f}%)")
    print(f"cluster-2 / cluster-1 throughput: {rate['cluster-2'] / rate['cluster-1']:.2f}x")
    hours = ARCHIVE_ARTICLES * ARCHIVE_MINUTES * 60 / rate["cluster-2"] / 3600
    print(f"{ARCHIVE_ARTICLES:,} articles of {ARCHIVE_MINUTES:.0f} minutes at the cluster-2 "
          f"rate: {hours:,.0f} machine-hours of 2 cores ({hours / 24:,.1f} days on one "
          f"machine, {hours / 24 / 50:,.1f} days on 50)")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
