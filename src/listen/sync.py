"""``listen sync``: keep an output folder in step with a site's feed, sitemap or folder.

    1. lock      one sync at a time per output folder (``--wait`` to queue behind one)
    2. list      the source's articles (read/discover), newest first; ``--since``
    3. check     each page, fetched politely and conditionally (read/fetch), against
                 the catalog: new, changed (script, voice or settings), audio missing,
                 or unchanged; pages are checked a few at a time, and only until
                 ``--limit`` articles to render are found
    4. render    the new and changed ones (batch: one executor for all), unless
                 ``--dry-run``
    5. remember  which episode each listed URL became; with ``--prune``, take out of
                 the feed the episodes whose articles have left the source

A page that answers 404 or 410 is reported and its episode stays published. A second
run with nothing new fetches every page with a conditional request, is answered
``304 Not Modified``, and speaks nothing.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from listen.batch import HooksFor, Item, OnResult, Outcome, render_all
from listen.config import Settings
from listen.errors import ListenError, SourceError
from listen.models import Episode, Page
from listen.pipeline import render_status
from listen.publish.catalog import CATALOG_NAME, Catalog
from listen.publish.folder import keep_catalog_backup, run_lock, unpublish
from listen.read.discover import Entry, Fetch, discover, is_url
from listen.read.fetch import BodyCache, Counts, Fetcher, Gone, Validators, page_from_fetch
from listen.sound.cache import default_cache_dir

CHECKS_AT_ONCE = 4
"""Pages fetched and checked at once (the fetcher allows 2 a host)."""


@dataclass(frozen=True)
class SyncOptions:
    limit: int | None = None
    """Render at most this many articles this run; the rest wait for the next."""
    since: datetime | None = None
    """Leave out articles the source dates before this."""
    dry_run: bool = False
    prune: bool = False
    ignore_robots: bool = False
    wait: bool = False
    force: bool = False


@dataclass
class Decision:
    """One listed article, and what this run does with it."""

    url: str
    date: datetime | None
    reason: str
    """``new``, ``changed``, ``audio missing``, ``unchanged``, or why it was left out."""
    render: bool = False
    page: Page | None = None
    episode: Episode | None = None
    error: ListenError | None = None


@dataclass
class SyncReport:
    source: str
    kind: str = ""
    decisions: list[Decision] = field(default_factory=list)
    outcomes: list[tuple[str, Outcome]] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    departed: list[str] = field(default_factory=list)
    """Episodes whose articles left the source (kept unless ``--prune``)."""
    counts: Counts = field(default_factory=Counts)
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return any(d.error for d in self.decisions) or any(
            isinstance(outcome, ListenError) for _source, outcome in self.outcomes)


def sync(
    source: str,
    settings: Settings,
    options: SyncOptions,
    *,
    hooks_for: HooksFor | None = None,
    on_result: OnResult | None = None,
) -> SyncReport:
    """Bring ``settings.out_dir`` in step with ``source``."""
    started = time.monotonic()
    report = SyncReport(source)
    lock = contextlib.nullcontext() if options.dry_run else run_lock(settings.out_dir,
                                                                     wait=options.wait)
    with lock, _page_cache(settings) as bodies:  # 1.
        store = _CatalogStore(settings.out_dir, remember=not options.dry_run)
        fetcher = Fetcher(store, bodies, ignore_robots=options.ignore_robots)
        try:
            report.counts = fetcher.counts
            report.kind, entries = discover(source, _listing_reader(fetcher))  # 2.
            synced = store.synced(source)
            report.decisions = _check(entries, settings, options, fetcher, synced)  # 3.
            if not options.dry_run:
                items = [Item(d.url, d.page) for d in report.decisions if d.render]
                report.outcomes = render_all(items, settings, force=options.force,  # 4.
                                             hooks_for=hooks_for, on_result=on_result)
                _remember(store, source, report, synced)  # 5.
            report.departed = _departed(entries, synced)
            if options.prune and not options.dry_run and entries:
                report.pruned = _prune(settings.out_dir, store, source, report.departed)
            if not options.dry_run:
                keep_catalog_backup(settings.out_dir)  # with what this run remembered
        finally:
            fetcher.close()
    report.seconds = time.monotonic() - started
    return report


def _check(entries: Sequence[Entry], settings: Settings, options: SyncOptions,
           fetcher: Fetcher, synced: dict[str, str]) -> list[Decision]:
    """Decide every entry, a few at a time, until ``--limit`` renders are found."""
    decisions: list[Decision] = []
    wanted = options.limit if options.limit is not None else len(entries)
    to_render = 0
    pending = list(entries)
    with concurrent.futures.ThreadPoolExecutor(CHECKS_AT_ONCE, "listen-check") as threads:
        while pending:
            if to_render >= wanted:
                decisions += [Decision(e.url, e.date, "left for the next run (--limit)")
                              for e in pending]
                break
            chunk, pending = pending[:CHECKS_AT_ONCE], pending[CHECKS_AT_ONCE:]
            checked = list(threads.map(
                lambda e: _decide(e, settings, options, fetcher, synced), chunk))
            for decision in checked:
                if decision.render and to_render >= wanted:
                    decision.render, decision.page = False, None
                    decision.reason = "left for the next run (--limit)"
                to_render += decision.render
            decisions += checked
    return decisions


def _decide(entry: Entry, settings: Settings, options: SyncOptions, fetcher: Fetcher,
            synced: dict[str, str]) -> Decision:
    if options.since and entry.date and entry.date < options.since:
        return Decision(entry.url, entry.date, "older than --since")
    try:
        page = None
        if is_url(entry.url):
            page = page_from_fetch(fetcher.fetch(entry.url), entry.url)
        status, episode = render_status(entry.url, settings, page=page)
    except Gone as exc:
        kept = "; its episode stays in the feed" if entry.url in synced else ""
        return Decision(entry.url, entry.date, "gone",
                        error=SourceError(f"{exc}{kept}"))
    except ListenError as exc:
        return Decision(entry.url, entry.date, "failed", error=exc)
    render = status != "unchanged" or options.force
    return Decision(entry.url, entry.date, status, render, page if render else None, episode)


def _listing_reader(fetcher: Fetcher) -> Fetch:
    def read(source: str) -> tuple[bytes, str]:
        if is_url(source):
            fetched = fetcher.fetch(source)
            return fetched.body, fetched.url
        try:
            return Path(source).read_bytes(), source
        except OSError as exc:
            raise SourceError(f"cannot read {source} ({exc.strerror or exc}): give a feed, "
                              "a sitemap or a folder of pages, as a URL or a path") from exc

    return read


def _remember(store: _CatalogStore, source: str, report: SyncReport,
              synced: dict[str, str]) -> None:
    """Which episode each listed URL is, for --prune and for a page that goes away."""
    episodes = {d.url: d.episode.id for d in report.decisions if d.episode}
    for (url, outcome) in report.outcomes:
        if not isinstance(outcome, ListenError):
            episodes[url] = outcome.episode.id
    for url, episode_id in episodes.items():
        if synced.get(url) != episode_id:
            store.record_synced(source, url, episode_id)
            synced[url] = episode_id


def _departed(entries: Sequence[Entry], synced: dict[str, str]) -> list[str]:
    listed = {entry.url for entry in entries}
    return sorted(url for url in synced if url not in listed)


def _prune(out: Path, store: _CatalogStore, source: str, departed: list[str]) -> list[str]:
    synced = store.synced(source)
    pruned = []
    for url in departed:
        if unpublish(out, synced[url]):
            pruned.append(url)
        store.record_synced(source, url, None)
    return pruned


@contextlib.contextmanager
def _page_cache(settings: Settings) -> Iterator[BodyCache]:
    """Fetched bodies beside the take cache, so a 304 can be answered; with caching
    off, a temporary folder (and so no conditional requests across runs)."""
    if settings.use_cache:
        yield BodyCache((settings.cache_dir or default_cache_dir()) / "pages")
        return
    with tempfile.TemporaryDirectory(prefix="listen-pages-") as folder:
        yield BodyCache(Path(folder))


class _CatalogStore:
    """The fetcher's validators and sync's URL → episode map, kept in the catalog.

    A connection per call, as pages are checked on several threads; a dry run
    remembers nothing, and creates no catalog."""

    def __init__(self, out: Path, *, remember: bool) -> None:
        self._out = out
        self._remember = remember

    @contextlib.contextmanager
    def _catalog(self) -> Iterator[Catalog | None]:
        if not self._remember and not (self._out / CATALOG_NAME).is_file():
            yield None
            return
        with Catalog.in_folder(self._out) as catalog:
            yield catalog

    def validators(self, url: str) -> Validators | None:
        with self._catalog() as catalog:
            found = catalog.fetched(url) if catalog else None
        return Validators(*found) if found else None

    def remember(self, url: str, validators: Validators) -> None:
        if self._remember:
            with self._catalog() as catalog:
                assert catalog is not None
                catalog.remember_fetch(url, validators.etag, validators.last_modified,
                                       validators.body, validators.checked)

    def synced(self, source: str) -> dict[str, str]:
        with self._catalog() as catalog:
            return catalog.synced(source) if catalog else {}

    def record_synced(self, source: str, url: str, episode_id: str | None) -> None:
        if self._remember:
            with self._catalog() as catalog:
                assert catalog is not None
                catalog.record_synced(source, url, episode_id)
