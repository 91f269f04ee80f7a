"""The catalog: one row per article, stable guids and dates, newest first, safe on disk."""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from listen.errors import FeedError
from listen.models import Channel, Episode
from listen.publish.catalog import CATALOG_NAME, SCHEMA_VERSION, Catalog, guid_for

BERLIN_WINTER = timezone(timedelta(hours=1))


def make_episode(n: int, **changes: Any) -> Episode:
    episode = Episode(
        id=f"https://example.org/articles/{n}",
        guid="",
        title=f"Article {n}",
        link=f"https://example.org/articles/{n}",
        description=f"Summary of article {n}.",
        pub_date=datetime(2024, 3, 1, 8, 0, tzinfo=timezone.utc) + timedelta(days=n),
        audio_file=f"article-{n}.mp3",
        length=1000 + n,
        duration=60.0 + n,
        transcript_file=f"article-{n}.vtt",
        chapters_file=f"article-{n}.chapters.json",
    )
    return dataclasses.replace(episode, **changes)


@pytest.fixture
def catalog(tmp_path: Path) -> Iterator[Catalog]:
    with Catalog(tmp_path / CATALOG_NAME) as opened:
        yield opened


def test_upsert_then_get_returns_the_stored_episode(catalog: Catalog) -> None:
    stored = catalog.upsert(make_episode(1))
    assert stored == dataclasses.replace(make_episode(1), guid=guid_for(make_episode(1).id))
    assert catalog.get(make_episode(1).id) == stored
    assert catalog.get("https://example.org/never") is None


def test_rerender_replaces_the_row_and_keeps_guid_and_first_date(catalog: Catalog) -> None:
    first = catalog.upsert(make_episode(1))
    rerender = make_episode(
        1, guid="some-other-guid", length=5555, duration=99.5, audio_file="renamed.mp3",
        pub_date=datetime.now(timezone.utc),  # a fresh render time: must not re-stamp
    )
    second = catalog.upsert(rerender)
    assert len(catalog.episodes()) == 1
    assert (second.length, second.duration, second.audio_file) == (5555, 99.5, "renamed.mp3")
    assert second.guid == first.guid
    assert second.pub_date == first.pub_date


def test_an_articles_own_date_replaces_the_stored_one(catalog: Catalog) -> None:
    catalog.upsert(make_episode(1))
    corrected = datetime(2024, 2, 29, 18, 30, tzinfo=BERLIN_WINTER)
    stored = catalog.upsert(make_episode(1, pub_date=corrected), dated=True)
    assert stored.pub_date == corrected
    later = catalog.upsert(make_episode(1, pub_date=datetime.now(timezone.utc)))
    assert later.pub_date == corrected, "an undated re-render keeps the article's date"


def test_pub_date_keeps_its_offset(catalog: Catalog) -> None:
    moment = datetime(2024, 3, 5, 9, 15, 30, 123456, tzinfo=BERLIN_WINTER)
    stored = catalog.upsert(make_episode(1, pub_date=moment))
    assert stored.pub_date == moment
    assert stored.pub_date.utcoffset() == timedelta(hours=1)
    with sqlite3.connect(catalog.path) as db:  # as other tools read it: ISO 8601
        assert db.execute("SELECT pub_date FROM episodes").fetchone() == (
            "2024-03-05T09:15:30.123456+01:00",)
    db.close()


def test_naive_pub_date_is_refused(catalog: Catalog) -> None:
    with pytest.raises(FeedError, match="time zone.*: report this as a bug in listen$"):
        catalog.upsert(make_episode(1, pub_date=datetime(2024, 3, 1, 8, 0)))


def test_guid_for_is_a_stable_uuid_per_article() -> None:
    a = "https://example.org/articles/1"
    assert guid_for(a) == guid_for(a) == str(uuid.uuid5(uuid.NAMESPACE_URL, a))
    assert uuid.UUID(guid_for(a)).version == 5
    assert guid_for(a) != guid_for("https://example.org/articles/2")


def test_a_given_guid_is_kept_for_a_new_row(catalog: Catalog) -> None:
    assert catalog.upsert(make_episode(1, guid="tag:example.org,2024:1")).guid == (
        "tag:example.org,2024:1"
    )


def test_remove(catalog: Catalog) -> None:
    catalog.upsert(make_episode(1))
    catalog.upsert(make_episode(2))
    assert catalog.remove(make_episode(1).id) is True
    assert catalog.remove(make_episode(1).id) is False
    assert [e.id for e in catalog.episodes()] == [make_episode(2).id]


def test_episodes_are_newest_first_with_ties_in_id_order(catalog: Catalog) -> None:
    same_instant = datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc)
    for n in (3, 1, 4, 2):
        catalog.upsert(make_episode(n))
    catalog.upsert(make_episode(9, id="https://example.org/b", pub_date=same_instant))
    # The same instant written with another offset still ties.
    catalog.upsert(make_episode(8, id="https://example.org/a",
                                pub_date=same_instant.astimezone(BERLIN_WINTER)))
    ids = [e.id for e in catalog.episodes()]
    assert ids[:2] == ["https://example.org/a", "https://example.org/b"]
    assert ids[2:] == [make_episode(n).id for n in (4, 3, 2, 1)]
    assert [e.id for e in catalog.episodes(limit=3)] == ids[:3]


def test_rows_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "site" / "audio" / CATALOG_NAME  # folders made as needed
    with Catalog(path) as catalog:
        stored = catalog.upsert(make_episode(1))
    with Catalog(path) as catalog:
        assert catalog.episodes() == [stored]


def test_catalog_runs_in_wal_mode(tmp_path: Path) -> None:
    with Catalog(tmp_path / CATALOG_NAME):
        pass
    db = sqlite3.connect(tmp_path / CATALOG_NAME)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        db.close()


def test_the_table_has_a_column_for_every_episode_field(tmp_path: Path) -> None:
    with Catalog(tmp_path / CATALOG_NAME):
        pass
    db = sqlite3.connect(tmp_path / CATALOG_NAME)
    try:
        columns = {row[1] for row in db.execute("PRAGMA table_info(episodes)")}
    finally:
        db.close()
    assert {f.name for f in dataclasses.fields(Episode)} <= columns


def test_a_corrupt_catalog_says_to_recover_it(tmp_path: Path) -> None:
    path = tmp_path / CATALOG_NAME
    path.write_bytes(b"this is not a database, it is a shopping list\n" * 100)
    with pytest.raises(FeedError) as caught:
        Catalog(path)
    message = str(caught.value)
    assert str(path) in message
    assert f"listen feed recover --out {tmp_path}" in message
    assert message.endswith("feed.xml and the MP3s, with the same guids and dates")


def test_a_catalog_from_a_newer_listen_is_refused(tmp_path: Path) -> None:
    path = tmp_path / CATALOG_NAME
    db = sqlite3.connect(path)
    try:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    finally:
        db.close()
    with pytest.raises(FeedError, match=rf"newer listen \(schema {SCHEMA_VERSION + 1}\): upgrade"
                       " listen to publish into this folder$"):
        Catalog(path)


def test_a_failed_transaction_leaves_nothing(catalog: Catalog) -> None:
    catalog.upsert(make_episode(1))
    with pytest.raises(RuntimeError), catalog.transaction():
        catalog.upsert(make_episode(2))
        catalog.remove(make_episode(1).id)
        raise RuntimeError("crash in the middle of a publish")
    assert [e.id for e in catalog.episodes()] == [make_episode(1).id]


def test_the_channel_is_remembered(catalog: Catalog) -> None:
    assert catalog.saved_channel() is None
    channel = Channel(title="Show", link="https://example.org/", description="d", max_items=7)
    catalog.save_channel(channel)
    assert catalog.saved_channel() == channel


def test_a_second_writer_waits_for_the_first_instead_of_failing(tmp_path: Path) -> None:
    path = tmp_path / CATALOG_NAME
    holding, released = threading.Event(), threading.Event()

    def hold_the_write_lock() -> None:
        with Catalog(path) as first, first.transaction():
            first.upsert(make_episode(1))
            holding.set()
            released.wait(5)
            time.sleep(0.3)

    holder = threading.Thread(target=hold_the_write_lock)
    holder.start()
    try:
        assert holding.wait(5)
        with Catalog(path) as second:
            released.set()
            started = time.monotonic()
            second.upsert(make_episode(2))
            waited = time.monotonic() - started
    finally:
        released.set()
        holder.join()
    assert waited >= 0.2
    with Catalog(path) as catalog:
        assert len(catalog.episodes()) == 2


# What `listen sync` keeps between runs: each URL's validators (so the next run asks
# the server "changed since?" and a 304 costs nothing), and which episode each listed
# URL became (so --prune and a page that goes away find the right episode).


def test_a_urls_validators_are_kept_across_runs(tmp_path: Path) -> None:
    url = "https://example.org/articles/1"
    said = ('"v1-abc"', "Tue, 03 Mar 2026 08:00:00 GMT", "9f" * 32, "2026-03-03T08:00:05+00:00")
    with Catalog(tmp_path / CATALOG_NAME) as catalog:
        assert catalog.fetched(url) is None
        catalog.remember_fetch(url, *said)
        catalog.remember_fetch("https://example.org/other", '"o"', "", "00" * 32, said[3])
    with Catalog(tmp_path / CATALOG_NAME) as catalog:
        assert catalog.fetched(url) == said
        assert catalog.fetched("https://example.org/articles/2") is None


def test_new_validators_replace_the_old_ones(catalog: Catalog) -> None:
    url = "https://example.org/articles/1"
    catalog.remember_fetch(url, '"v1"', "Tue, 03 Mar 2026 08:00:00 GMT", "aa" * 32, "2026-03-03")
    catalog.remember_fetch(url, '"v2"', "", "bb" * 32, "2026-03-04")
    assert catalog.fetched(url) == ('"v2"', "", "bb" * 32, "2026-03-04")
    assert len(catalog.sync_state()[0]) == 1


def test_which_episode_each_listed_url_became(tmp_path: Path) -> None:
    blog, news = "https://example.org/feed.xml", "https://example.org/news/sitemap.xml"
    with Catalog(tmp_path / CATALOG_NAME) as catalog:
        assert catalog.synced(blog) == {}
        catalog.record_synced(blog, "https://example.org/a", "https://example.org/a")
        catalog.record_synced(blog, "https://example.org/b?utm=x", "https://example.org/b")
        catalog.record_synced(news, "https://example.org/c", "https://example.org/c")
    with Catalog(tmp_path / CATALOG_NAME) as catalog:
        assert catalog.synced(blog) == {"https://example.org/a": "https://example.org/a",
                                        "https://example.org/b?utm=x": "https://example.org/b"}
        assert catalog.synced(news) == {"https://example.org/c": "https://example.org/c"}


def test_a_url_can_become_another_episode_or_be_forgotten(catalog: Catalog) -> None:
    blog, other = "https://example.org/feed.xml", "https://example.org/other.xml"
    catalog.record_synced(blog, "https://example.org/a", "https://example.org/a")
    catalog.record_synced(other, "https://example.org/a", "https://example.org/a")
    catalog.record_synced(blog, "https://example.org/a", "https://example.org/a-moved")
    assert catalog.synced(blog) == {"https://example.org/a": "https://example.org/a-moved"}
    catalog.record_synced(blog, "https://example.org/a", None)  # pruned, or gone
    assert catalog.synced(blog) == {}
    assert catalog.synced(other) == {"https://example.org/a": "https://example.org/a"}, (
        "forgetting a URL of one source keeps it for another"
    )


def test_sync_state_carries_over_into_a_rebuilt_catalog(tmp_path: Path) -> None:
    with Catalog(tmp_path / "old" / CATALOG_NAME) as old:
        old.remember_fetch("https://example.org/a", '"e"', "Mon, 02 Mar 2026 10:00:00 GMT",
                           "cd" * 32, "2026-03-02T10:00:00+00:00")
        old.record_synced("https://example.org/feed.xml", "https://example.org/a",
                          "https://example.org/a")
        state = old.sync_state()
    with Catalog(tmp_path / "new" / CATALOG_NAME) as new:
        new.restore_sync_state(*state)
    with Catalog(tmp_path / "new" / CATALOG_NAME) as new:
        assert new.fetched("https://example.org/a") == (
            '"e"', "Mon, 02 Mar 2026 10:00:00 GMT", "cd" * 32, "2026-03-02T10:00:00+00:00")
        assert new.synced("https://example.org/feed.xml") == {
            "https://example.org/a": "https://example.org/a"}
        assert new.sync_state() == state


def test_the_listening_check_is_kept_per_episode(tmp_path: Path) -> None:
    first = '{"score": 0.97, "misheard": []}'
    with Catalog(tmp_path / CATALOG_NAME) as catalog:
        assert catalog.check(make_episode(1).id) is None, "a catalog with no check yet"
        catalog.remember_check(make_episode(1).id, first)
        catalog.remember_check(make_episode(2).id, '{"score": 0.5}')
        assert catalog.check(make_episode(3).id) is None
    with Catalog(tmp_path / CATALOG_NAME) as catalog:
        assert catalog.check(make_episode(1).id) == first
        catalog.remember_check(make_episode(1).id, '{"score": 0.99, "misheard": []}')
        assert catalog.check(make_episode(1).id) == '{"score": 0.99, "misheard": []}'
        assert catalog.check(make_episode(2).id) == '{"score": 0.5}'


def test_the_kept_copy_opens_read_only_with_every_row(tmp_path: Path) -> None:
    with Catalog(tmp_path / CATALOG_NAME) as catalog:
        catalog.upsert(make_episode(1))
        catalog.upsert(make_episode(2, pub_date=datetime(2024, 2, 1, tzinfo=BERLIN_WINTER)),
                       dated=True)
        channel = Channel(title="Show", link="https://example.org/", description="d")
        catalog.save_channel(channel)
        backup = catalog.keep_backup()
        catalog.upsert(make_episode(3))  # after the copy: not in it
        expected = [(catalog.get(make_episode(n).id), dated) for n, dated in ((1, False),
                                                                             (2, True))]
    assert backup == tmp_path / "catalog.sqlite.bak"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [], "no temp left"
    with Catalog(backup, read_only=True) as copy:
        assert copy.rows() == expected
        assert copy.saved_channel() == channel
        with pytest.raises(FeedError, match="cannot use the catalog"):
            copy.upsert(make_episode(4))
    assert backup.stat().st_size > 0 and not backup.with_name(backup.name + "-wal").exists()


def test_a_missing_or_foreign_copy_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FeedError, match=r"no catalog at .*missing\.sqlite"):
        Catalog(tmp_path / "missing.sqlite", read_only=True)
    assert not (tmp_path / "missing.sqlite").exists()
    foreign = tmp_path / "other.sqlite"
    sqlite3.connect(foreign).close()
    with pytest.raises(FeedError, match=r"other\.sqlite is not a catalog of this listen"):
        Catalog(foreign, read_only=True)
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"not a database at all\n" * 100)
    with pytest.raises(FeedError, match="listen feed recover"):
        Catalog(garbage, read_only=True)


def test_a_channel_saved_by_a_newer_listen_still_loads(catalog: Catalog) -> None:
    """A field this listen does not know is left out, not a crash."""
    catalog.save_channel(Channel(title="Show", link="https://example.org/", description="d"))
    with sqlite3.connect(catalog.path) as db:
        data = db.execute("SELECT data FROM channel").fetchone()[0]
        db.execute("UPDATE channel SET data = ?", (data[:-1] + ', "funding": "x"}',))
    db.close()
    assert catalog.saved_channel() == Channel(title="Show", link="https://example.org/",
                                              description="d")


def test_a_writer_that_waited_too_long_says_to_run_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("listen.publish.catalog.BUSY_TIMEOUT_MS", 300)  # 30 s in use
    path = tmp_path / CATALOG_NAME
    Catalog(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another listen, publishing
        with Catalog(path) as second:
            started = time.monotonic()
            with pytest.raises(FeedError) as caught:
                second.upsert(make_episode(1))
            waited = time.monotonic() - started
    finally:
        holder.close()
    assert str(caught.value) == (f"the catalog {path} stayed locked by another listen for 0.3 s:"
                                 " wait for it to finish and run again")
    assert waited >= 0.25


def test_an_output_folder_that_is_a_file_says_to_check_out(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("not a folder")
    with pytest.raises(FeedError, match=r"^cannot open the catalog .*out.catalog\.sqlite: .*"
                                        "; check --out$"):
        Catalog(tmp_path / "out" / CATALOG_NAME)


def test_rows_from_an_earlier_listen_sort_with_new_ones(catalog: Catalog) -> None:
    """The order is kept as microseconds since the epoch, as the schema says, so rows a
    catalog already holds and rows added now sort together."""
    older = make_episode(4, guid="g4")
    written_before = dict(dataclasses.asdict(older), pub_date=older.pub_date.isoformat(),
                          pub_order=int(older.pub_date.timestamp()) * 1_000_000, dated=0)
    with sqlite3.connect(catalog.path) as db:
        db.execute(f"INSERT INTO episodes ({', '.join(written_before)}) VALUES"
                   f" ({', '.join('?' * len(written_before))})", tuple(written_before.values()))
    db.close()
    catalog.upsert(make_episode(1))
    catalog.upsert(make_episode(7))
    assert [e.id for e in catalog.episodes()] == [make_episode(n).id for n in (7, 4, 1)]


def test_an_articles_own_date_stays_marked_as_such_across_rerenders(catalog: Catalog) -> None:
    """`listen feed recover` trusts a date marked as the article's own."""
    catalog.upsert(make_episode(1, pub_date=datetime(2024, 2, 29, tzinfo=BERLIN_WINTER)),
                   dated=True)
    catalog.upsert(make_episode(2))
    catalog.upsert(make_episode(1, pub_date=datetime.now(timezone.utc)))
    assert [(e.id, dated) for e, dated in catalog.rows()] == [
        (make_episode(2).id, False), (make_episode(1).id, True)]


def test_a_copy_that_cannot_be_kept_says_where_and_leaves_no_temp(catalog: Catalog) -> None:
    catalog.upsert(make_episode(1))
    blocked = catalog.path.with_name("catalog.sqlite.bak")
    (blocked / "in the way").mkdir(parents=True)
    with pytest.raises(FeedError, match=f"^cannot keep a copy of the catalog in {blocked}: "):
        catalog.keep_backup()
    assert sorted(p.name for p in catalog.path.parent.iterdir()
                  if p.name.startswith(".")) == []
    assert catalog.get(make_episode(1).id) is not None
