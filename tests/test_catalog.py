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


def test_naive_pub_date_is_refused(catalog: Catalog) -> None:
    with pytest.raises(FeedError, match="time zone"):
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
    path = tmp_path / "out" / CATALOG_NAME
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


def test_a_catalog_from_a_newer_listen_is_refused(tmp_path: Path) -> None:
    path = tmp_path / CATALOG_NAME
    db = sqlite3.connect(path)
    try:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    finally:
        db.close()
    with pytest.raises(FeedError, match="newer listen"):
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
