"""``listen sync`` against a real HTTP server on 127.0.0.1 (tests/siteserver.py): new and
changed articles rendered, nothing spoken when nothing changed, only conditional
requests the second time, 429 with Retry-After, 404 keeping its episode, robots.txt,
sitemap indexes with gzipped sitemaps, --since, --limit, --dry-run, --prune, and one
sync at a time per output folder."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import feedparser
import pytest
from typer.testing import CliRunner

from listen.cli import app
from listen.config import Settings
from listen.errors import FeedError
from listen.models import Channel
from listen.publish.catalog import CATALOG_NAME, Catalog
from listen.publish.folder import run_lock
from listen.sync import SyncOptions, SyncReport, sync
from siteserver import Site, SiteServer

TONE = 'engine = "tone"\nlanguage = "en"\nrate = 4.0\n'
SHOW = Channel(title="Harbour Desk, read aloud", base_url="https://cdn.example/audio/",
               owner_email="audio@example.org")


@pytest.fixture
def server() -> Iterator[SiteServer]:
    with SiteServer(Site()) as running:
        for number in (1, 2, 3):
            running.site.add_article(number)
        running.site.set_feed([f"/news/dispatch-{n}.html" for n in (3, 2, 1)], running.base)
        yield running


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    (tmp_path / "tone.toml").write_text(TONE)
    return Settings(out_dir=tmp_path / "out", cache_dir=tmp_path / "cache",
                    voice=str(tmp_path / "tone.toml"), show=SHOW)


def run(server: SiteServer, settings: Settings, listing: str = "/feed.xml",
        **options: object) -> SyncReport:
    return sync(server.base + listing, settings, SyncOptions(**options))  # type: ignore[arg-type]


def rendered(report: SyncReport) -> list[str]:
    return sorted(url.rsplit("/", 1)[-1] for url, _outcome in report.outcomes)


def episodes(settings: Settings) -> list[str]:
    with Catalog.in_folder(settings.out_dir) as catalog:
        return sorted(episode.id.rsplit("/", 1)[-1] for episode in catalog.episodes())


def test_a_first_sync_renders_every_article(server: SiteServer, settings: Settings) -> None:
    report = run(server, settings)
    assert report.kind == "feed" and not report.failed
    assert rendered(report) == ["dispatch-1.html", "dispatch-2.html", "dispatch-3.html"]
    feed = feedparser.parse((settings.out_dir / "feed.xml").read_bytes())
    assert len(feed.entries) == 3


def test_a_second_sync_speaks_nothing_and_asks_only_conditionally(
    server: SiteServer, settings: Settings
) -> None:
    command = ["sync", server.base + "/feed.xml", "--out", str(settings.out_dir),
               "--voice", str(settings.voice)]
    environment = {"LISTEN_CACHE": str(settings.cache_dir)}
    assert CliRunner().invoke(app, command, env=environment).exit_code == 0
    first = len(server.site.log)
    result = CliRunner().invoke(app, command, env=environment)
    assert result.exit_code == 0, result.stderr
    second = server.site.log[first:]
    assert second and all(request.conditional for request in second)
    assert all(request.status == 304 for request in second)
    assert "0 rendered" in result.stderr and "3 unchanged" in result.stderr
    assert f"{len(second)} requests, {len(second)} conditional" in result.stderr
    assert "Nothing new: nothing was spoken." in result.stderr


def test_exactly_the_new_and_changed_articles_are_rendered(
    server: SiteServer, settings: Settings
) -> None:
    run(server, settings)
    server.site.add_article(2, revision=1)  # edited
    server.site.add_article(4)  # new
    server.site.set_feed([f"/news/dispatch-{n}.html" for n in (4, 3, 2, 1)], server.base)
    report = run(server, settings)
    assert rendered(report) == ["dispatch-2.html", "dispatch-4.html"]
    reasons = {d.url.rsplit("/", 1)[-1]: d.reason for d in report.decisions}
    assert reasons == {"dispatch-4.html": "new", "dispatch-3.html": "unchanged",
                       "dispatch-2.html": "changed", "dispatch-1.html": "unchanged"}
    assert episodes(settings) == [f"dispatch-{n}.html" for n in (1, 2, 3, 4)]


def test_a_429_is_retried_after_the_time_it_asks(server: SiteServer, settings: Settings) -> None:
    path = "/news/dispatch-2.html"
    server.site.scripted[path] = [(429, {"Retry-After": "2"})]  # longer than the 1 s default
    report = run(server, settings)
    assert not report.failed and report.counts.retried == 1
    busy, served = server.site.requests_to(path)
    assert (busy.status, served.status) == (429, 200)
    assert served.at - busy.at >= 2.0


def test_a_page_that_turns_404_is_an_error_and_keeps_its_episode(
    server: SiteServer, settings: Settings
) -> None:
    run(server, settings)
    del server.site.resources["/news/dispatch-3.html"]
    report = run(server, settings)
    assert report.failed
    errors = {d.url.rsplit("/", 1)[-1]: str(d.error) for d in report.decisions if d.error}
    assert list(errors) == ["dispatch-3.html"]
    assert "gone (HTTP 404); its episode stays in the feed" in errors["dispatch-3.html"]
    assert "dispatch-3.html" in episodes(settings)
    feed = feedparser.parse((settings.out_dir / "feed.xml").read_bytes())
    assert len(feed.entries) == 3


def test_robots_txt_is_obeyed_unless_told(server: SiteServer, settings: Settings) -> None:
    private = server.site.add_article(5, prefix="/private")
    server.site.set_feed(["/news/dispatch-1.html", private], server.base)
    server.site.resources["/robots.txt"] = type(server.site.resources[private])(
        b"User-agent: *\nDisallow: /private/\n", "text/plain")
    report = run(server, settings)
    assert rendered(report) == ["dispatch-1.html"]
    assert "robots.txt" in str(next(d.error for d in report.decisions if d.error))
    assert not server.site.requests_to(private), "a disallowed page is never fetched"
    again = run(server, settings, ignore_robots=True)
    assert rendered(again) == ["dispatch-5.html"]


def test_requests_to_one_host_are_at_most_two_at_a_time(
    server: SiteServer, settings: Settings
) -> None:
    for number in range(4, 9):
        server.site.add_article(number)
    server.site.set_feed([f"/news/dispatch-{n}.html" for n in range(1, 9)], server.base)
    server.site.delay = 0.05
    run(server, settings, dry_run=True)
    assert server.site.most_at_once == 2


def test_a_sitemap_index_with_a_gzipped_sitemap(server: SiteServer, settings: Settings) -> None:
    server.site.set_sitemaps([f"/news/dispatch-{n}.html" for n in (1, 2, 3)], server.base)
    report = run(server, settings, listing="/sitemap.xml",
                 since=datetime(2026, 9, 4, tzinfo=timezone.utc))
    assert report.kind == "sitemap"
    assert rendered(report) == ["dispatch-3.html"]  # lastmod 2026-09-04; the others before
    assert [d.reason for d in report.decisions].count("older than --since") == 2


def test_limit_renders_the_newest_and_leaves_the_rest(
    server: SiteServer, settings: Settings
) -> None:
    report = run(server, settings, limit=1)
    assert rendered(report) == ["dispatch-3.html"]
    assert [d.reason for d in report.decisions].count("left for the next run (--limit)") == 2
    assert rendered(run(server, settings, limit=5)) == ["dispatch-1.html", "dispatch-2.html"]


def test_a_dry_run_lists_what_would_be_rendered_and_writes_nothing(
    server: SiteServer, settings: Settings
) -> None:
    result = CliRunner().invoke(app, ["sync", server.base + "/feed.xml", "--dry-run", "--out",
                                      str(settings.out_dir), "--voice", str(settings.voice)],
                                env={"LISTEN_CACHE": str(settings.cache_dir)})
    assert result.exit_code == 0, result.stderr
    assert "would render" in result.stderr and "3 would be rendered" in result.stderr
    assert not (settings.out_dir / CATALOG_NAME).exists()
    assert not list(settings.out_dir.glob("*.mp3")) if settings.out_dir.exists() else True


def test_articles_that_left_the_source_stay_unless_pruned(
    server: SiteServer, settings: Settings
) -> None:
    run(server, settings)
    server.site.set_feed(["/news/dispatch-3.html", "/news/dispatch-2.html"], server.base)
    kept = run(server, settings)
    assert kept.departed == [server.base + "/news/dispatch-1.html"] and not kept.pruned
    assert "dispatch-1.html" in episodes(settings)
    pruned = run(server, settings, prune=True)
    assert pruned.pruned == [server.base + "/news/dispatch-1.html"]
    assert episodes(settings) == ["dispatch-2.html", "dispatch-3.html"]


def test_a_folder_of_pages_is_a_source(tmp_path: Path, settings: Settings) -> None:
    from siteserver import article_html

    pages = tmp_path / "pages"
    pages.mkdir()
    for number in (1, 2):
        (pages / f"dispatch-{number}.html").write_text(article_html(number))
    first = sync(str(pages), settings, SyncOptions())
    assert first.kind == "folder" and len(first.outcomes) == 2
    (pages / "dispatch-2.html").write_text(article_html(2, revision=1))
    second = sync(str(pages), settings, SyncOptions())
    assert [d.reason for d in second.decisions if d.render] == ["changed"]


def test_a_second_sync_into_the_same_folder_waits_or_says_so(
    server: SiteServer, settings: Settings
) -> None:
    with run_lock(settings.out_dir), pytest.raises(FeedError, match="--wait"):
        run(server, settings)
    holding = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with run_lock(settings.out_dir):
            holding.set()
            release.wait(timeout=30)

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(timeout=30)
    timer = threading.Timer(0.5, release.set)
    started = time.monotonic()
    timer.start()
    report = run(server, settings, wait=True)
    holder.join(timeout=30)
    assert time.monotonic() - started >= 0.5 and not report.failed
    assert len(report.outcomes) == 3


def test_a_recovered_catalog_remembers_what_sync_knew(server: SiteServer,
                                                      settings: Settings) -> None:
    run(server, settings)
    with Catalog.in_folder(settings.out_dir) as catalog:
        synced = catalog.synced(server.base + "/feed.xml")
    (settings.out_dir / CATALOG_NAME).write_bytes(b"not a database" * 1000)
    assert CliRunner().invoke(app, ["feed", "recover", "--out",
                                    str(settings.out_dir)]).exit_code == 0
    with Catalog.in_folder(settings.out_dir) as catalog:
        assert catalog.synced(server.base + "/feed.xml") == synced and len(synced) == 3
    before = len(server.site.log)
    assert not run(server, settings).outcomes
    assert all(request.status == 304 for request in server.site.log[before:])
