"""``listen sync`` with nothing new: seconds and requests, against the first sync.

    .venv/bin/python bench/sync.py                  # a feed of 50 articles, espeak-ng
    .venv/bin/python bench/sync.py --articles 200

A local HTTP server (tests/siteserver.py) serves an RSS feed of generated articles
(bench/archive.py) with ETags and Last-Modified. The first sync renders them all;
the second, straight after, should make only conditional requests, be answered
304 Not Modified, speak nothing, and take a few seconds.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from archive import article_html  # noqa: E402

from listen.config import Settings  # noqa: E402
from listen.models import Channel  # noqa: E402
from listen.sync import SyncOptions, SyncReport, sync  # noqa: E402
from siteserver import Resource, Site, SiteServer  # noqa: E402

SHOW = Channel(title="Harbour notes", base_url="https://cdn.example/audio/",
               owner_email="audio@example.org")


def describe(name: str, report: SyncReport) -> str:
    counts = report.counts
    spoken = sum(1 for d in report.decisions if d.render)
    return (f"{name}: {report.seconds:6.2f} s, {counts.requests} requests "
            f"({counts.conditional} conditional, {counts.not_modified} answered 304), "
            f"{spoken} of {len(report.decisions)} articles rendered")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--paragraphs", type=int, default=6)
    parser.add_argument("--voice", default="espeak-en-us")
    args = parser.parse_args()
    site = Site()
    paths = []
    for number in range(1, args.articles + 1):
        path = f"/notes/{number}.html"
        site.resources[path] = Resource(article_html(number, args.paragraphs).encode())
        paths.append(path)
    with tempfile.TemporaryDirectory(prefix="listen-bench-sync-") as temp, \
            SiteServer(site) as server:
        site.set_feed(paths, server.base)
        settings = Settings(out_dir=Path(temp) / "out", cache_dir=Path(temp) / "cache",
                            voice=args.voice, show=SHOW)
        first = sync(server.base + "/feed.xml", settings, SyncOptions())
        second = sync(server.base + "/feed.xml", settings, SyncOptions())
    print(describe("first sync ", first))
    print(describe("second sync", second))
    print(f"second / first: {second.seconds / first.seconds:.3f} of the time; "
          f"{second.seconds / args.articles * 1000:.1f} ms per listed article")
    assert second.counts.requests == second.counts.conditional == second.counts.not_modified


if __name__ == "__main__":
    main()
