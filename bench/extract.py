"""Time listen's extract_article against trafilatura.extract on the same pages, same run.

    .venv/bin/python bench/extract.py [--samples DIR] [--rounds N]

Prints pages per second for both and the ratio of listen's time to trafilatura's
(the target is at most 1.5). Uses process CPU time, which other load on a shared
machine disturbs less than wall time.
"""

from __future__ import annotations

import argparse
import contextlib
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import trafilatura

from listen.errors import ListenError
from listen.models import Page
from listen.read.extract import detect_language, extract_article

DEFAULT_SAMPLES = Path(__file__).resolve().parent.parent / "../shared/samples/readability-dev/html"


def _listen(html: str) -> None:
    with contextlib.suppress(ListenError):  # a page with no article costs time too
        extract_article(Page(html, "bench", None, datetime.now(timezone.utc), "utf-8"))


def _trafilatura(html: str) -> None:
    trafilatura.extract(html, include_comments=False, include_tables=False)


def _time(run: Callable[[str], None], pages: list[str], rounds: int) -> float:
    start = time.process_time()
    for _ in range(rounds):
        for html in pages:
            run(html)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--samples", type=Path, default=DEFAULT_SAMPLES, help="folder of *.html pages"
    )
    parser.add_argument("--rounds", type=int, default=1, help="passes over the pages")
    args = parser.parse_args()
    files = sorted(args.samples.glob("*.html"))
    if not files:
        raise SystemExit(f"no *.html pages in {args.samples}")
    pages = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    # Warm both up once, and load py3langid's model (half a second, once per process),
    # which the first page only loads if it does not say its language.
    detect_language("warm up")
    _listen(pages[0])
    _trafilatura(pages[0])
    n = len(pages) * args.rounds
    # Interleave the two so that a burst of load from elsewhere hits both alike.
    listen_s = trafilatura_s = 0.0
    for _ in range(args.rounds):
        trafilatura_s += _time(_trafilatura, pages, 1)
        listen_s += _time(_listen, pages, 1)
    print(f"pages        {n}")
    print(f"trafilatura  {n / trafilatura_s:7.1f} pages/s  {1000 * trafilatura_s / n:6.1f} ms/page")
    print(f"listen       {n / listen_s:7.1f} pages/s  {1000 * listen_s / n:6.1f} ms/page")
    print(f"ratio        {listen_s / trafilatura_s:.2f}x trafilatura's time (target <= 1.5)")


if __name__ == "__main__":
    main()
