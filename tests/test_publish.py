"""Publishing into an output folder: replace, remove, rebuild; concurrent and killed writers.

The helpers at the top (``feed_guids``, ``catalog_guids``, ``check_feed_holds_catalog``,
``start_publishers``) are meant for reuse by render-level concurrency tests.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from catalogcheck import catalog_guids
from listen.errors import ConfigError, FeedError, OutputError
from listen.models import Channel, Episode
from listen.publish import folder as publishing
from listen.publish.catalog import CATALOG_NAME
from listen.publish.feed import FEED_NAME, NAMESPACES
from listen.publish.folder import (
    LOCK_NAME,
    folder_lock,
    list_episodes,
    publish,
    rebuild,
    sweep_stale_temp_files,
    unpublish,
)

CHANNEL = Channel(
    title="Race Conditions", link="https://example.org/", description="Read aloud.",
    author="Ed", owner_email="ed@example.org", category="Technology",
    base_url="https://cdn.example.org/", max_items=1000,
)
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

# Publishes <count> episodes named <prefix>-<n>, each after writing its MP3, and prints
# n after each publish; waits for <go file> to exist first so that writers overlap.
PUBLISH_LOOP = textwrap.dedent("""
    import sys, time
    from datetime import datetime, timedelta, timezone
    from pathlib import Path
    from listen.models import Channel, Episode
    from listen.publish.folder import publish
    out, prefix, count, go = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
    channel = Channel(title="Race Conditions", link="https://example.org/",
                      description="Read aloud.", author="Ed", owner_email="ed@example.org",
                      category="Technology", base_url="https://cdn.example.org/",
                      max_items=1000)
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.005)
    for n in range(count):
        name = f"{prefix}-{n}.mp3"
        (out / name).write_bytes(bytes([0xFF, 0xFB]) * (400 + n))
        url = f"https://example.org/{prefix}/{n}"
        publish(out, channel, Episode(
            id=url, guid="", title=f"{prefix} {n}", link=url, description="Race.",
            pub_date=start + timedelta(minutes=n), audio_file=name, length=0, duration=1.0))
        print(n, flush=True)
""")


def start_publishers(out: Path, prefixes: list[str], count: int) -> list[subprocess.Popen[str]]:
    """Start one publishing process per prefix; all begin publishing at the same moment."""
    out.mkdir(parents=True, exist_ok=True)
    go = out.parent / f"{out.name}.go"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", PUBLISH_LOOP, str(out), prefix, str(count), str(go)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for prefix in prefixes
    ]
    for process in processes:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
    go.touch()
    return processes


def feed_guids(out: Path) -> set[str]:
    """The guids of feed.xml, which must parse cleanly as podcast apps read it."""
    parsed = feedparser.parse((out / FEED_NAME).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    guids = [entry.id for entry in parsed.entries]
    assert len(guids) == len(set(guids)), "a guid appears twice in the feed"
    return set(guids)


def check_feed_holds_catalog(out: Path) -> set[str]:
    """Every catalog item is in the feed, every enclosure exists at its exact size.

    Returns the feed's extra guids: after a SIGKILL between the feed's rename and the
    catalog's commit, the episode being published (files in place) is one such.
    """
    in_feed, in_catalog = feed_guids(out), catalog_guids(out)
    assert in_catalog <= in_feed
    root = etree.parse(str(out / FEED_NAME)).getroot()
    for enclosure in root.xpath("//item/enclosure", namespaces=NAMESPACES):
        name = enclosure.get("url").removeprefix(CHANNEL.base_url)
        assert (out / name).stat().st_size == int(enclosure.get("length"))
    return in_feed - in_catalog


def write_audio(out: Path, name: str, size: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / name).write_bytes(b"\xff\xfb" + b"\x00" * (size - 2))


def make_episode(out: Path, n: int, size: int = 1000, **changes: object) -> Episode:
    write_audio(out, f"ep-{n}.mp3", size)
    values: dict[str, object] = dict(
        id=f"https://example.org/ep/{n}", guid="", title=f"Episode {n}",
        link=f"https://example.org/ep/{n}", description="About it.",
        pub_date=START + timedelta(days=n), audio_file=f"ep-{n}.mp3", length=size,
        duration=30.0,
    )
    values.update(changes)
    return Episode(**values)  # type: ignore[arg-type]


@pytest.fixture
def out(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "out"
    folder.mkdir()
    yield folder


def test_publish_writes_catalog_and_feed(out: Path) -> None:
    stored = publish(out, CHANNEL, make_episode(out, 1))
    assert stored.guid and list_episodes(out) == [stored]
    parsed = feedparser.parse((out / FEED_NAME).read_bytes())
    assert [e.id for e in parsed.entries] == [stored.guid]
    assert parsed.entries[0].enclosures[0].href == "https://cdn.example.org/ep-1.mp3"


def test_republishing_replaces_the_item_and_keeps_guid_and_date(out: Path) -> None:
    first = publish(out, CHANNEL, make_episode(out, 1, size=1000))
    again = make_episode(out, 1, size=2345, pub_date=datetime.now(timezone.utc), duration=31.5)
    second = publish(out, CHANNEL, again)
    entries = feedparser.parse((out / FEED_NAME).read_bytes()).entries
    assert len(entries) == 1
    assert entries[0].id == first.guid == second.guid
    assert entries[0].enclosures[0].length == "2345"
    assert entries[0].itunes_duration == "00:00:32"
    assert entries[0].published == "Tue, 02 Jan 2024 00:00:00 +0000"
    assert second.pub_date == first.pub_date


def test_an_articles_own_date_is_updated(out: Path) -> None:
    publish(out, CHANNEL, make_episode(out, 1))
    corrected = datetime(2023, 12, 24, 18, 0, tzinfo=timezone.utc)
    stored = publish(out, CHANNEL, make_episode(out, 1, pub_date=corrected), dated=True)
    assert stored.pub_date == corrected


def test_the_length_is_the_files_size_on_disk(out: Path) -> None:
    episode = make_episode(out, 1, size=4321, length=99)
    assert publish(out, CHANNEL, episode).length == 4321


def test_a_missing_audio_file_publishes_nothing(out: Path) -> None:
    episode = make_episode(out, 1)
    (out / episode.audio_file).unlink()
    with pytest.raises(FeedError, match="ep-1.mp3 is missing"):
        publish(out, CHANNEL, episode)
    assert not (out / FEED_NAME).exists() and not (out / CATALOG_NAME).exists()


def test_a_bad_category_publishes_nothing(out: Path) -> None:
    channel = Channel(**{**CHANNEL.__dict__, "category": "Tech"})
    with pytest.raises(ConfigError):
        publish(out, channel, make_episode(out, 1))
    assert not (out / CATALOG_NAME).exists()


def test_a_failed_feed_write_rolls_the_catalog_back(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(out, CHANNEL, make_episode(out, 1))
    before = (out / FEED_NAME).read_bytes()

    def disk_full(path: Path, data: bytes) -> None:
        raise OutputError(f"no space left on the device holding {path}")

    monkeypatch.setattr(publishing, "write_atomic", disk_full)
    with pytest.raises(OutputError):
        publish(out, CHANNEL, make_episode(out, 2))
    assert (out / FEED_NAME).read_bytes() == before
    assert [e.id for e in list_episodes(out)] == ["https://example.org/ep/1"]


def test_unpublish_removes_from_catalog_and_feed(out: Path) -> None:
    kept = publish(out, CHANNEL, make_episode(out, 1))
    gone = publish(out, CHANNEL, make_episode(out, 2))
    assert unpublish(out, gone.id) is True
    assert unpublish(out, gone.id) is False
    assert feed_guids(out) == {kept.guid} == catalog_guids(out)
    assert (out / gone.audio_file).exists(), "unpublishing leaves the files alone"


def test_unpublish_renders_with_the_last_channel(out: Path) -> None:
    two = Channel(**{**CHANNEL.__dict__, "max_items": 2})
    for n in range(3):
        publish(out, two, make_episode(out, n))
    assert len(feed_guids(out)) == 2
    unpublish(out, "https://example.org/ep/2")
    assert [e.id for e in feedparser.parse((out / FEED_NAME).read_bytes()).entries] == [
        e.guid for e in list_episodes(out)
    ]
    assert len(feed_guids(out)) == 2


def test_rebuild_renders_the_catalog_with_a_new_channel(out: Path) -> None:
    publish(out, CHANNEL, make_episode(out, 1))
    publish(out, CHANNEL, make_episode(out, 2))
    (out / FEED_NAME).unlink()
    renamed = Channel(**{**CHANNEL.__dict__, "title": "Renamed Show"})
    assert rebuild(out, renamed) == out / FEED_NAME
    parsed = feedparser.parse((out / FEED_NAME).read_bytes())
    assert parsed.feed.title == "Renamed Show"
    assert [e.id for e in parsed.entries] == [e.guid for e in list_episodes(out)]


def test_list_episodes_newest_first(out: Path) -> None:
    for n in (2, 3, 1):
        publish(out, CHANNEL, make_episode(out, n))
    assert [e.id for e in list_episodes(out)] == [f"https://example.org/ep/{n}" for n in (3, 2, 1)]


def test_a_folder_without_catalog_is_an_error_not_a_new_catalog(out: Path) -> None:
    for call in (lambda: list_episodes(out), lambda: unpublish(out, "x"),
                 lambda: rebuild(out, CHANNEL)):
        with pytest.raises(FeedError, match="no catalog in"):
            call()
    assert not (out / CATALOG_NAME).exists()


def test_stale_temp_files_are_swept(out: Path) -> None:
    stale, fresh = out / ".feed.xml.abc123.tmp", out / ".feed.xml.def456.tmp"
    stale_mp3, kept = out / ".ep-1.mp3.xyz.tmp", out / "notes.tmp"
    for path in (stale, fresh, stale_mp3, kept):
        path.write_bytes(b"<rss")
    hour_ago = time.time() - 3600
    for path in (stale, stale_mp3, kept):
        os.utime(path, (hour_ago, hour_ago))
    assert sweep_stale_temp_files(out) == [stale_mp3, stale]
    assert fresh.exists() and kept.exists()


def test_the_lock_makes_a_second_publisher_wait(out: Path) -> None:
    with folder_lock(out):
        (process,) = start_publishers(out, ["waiting"], 1)
        time.sleep(1.0)
        still_waiting = process.poll() is None
        feed_written = (out / FEED_NAME).exists()
    with process:
        _, errors = process.communicate(timeout=60)
    assert still_waiting and not feed_written, "published while another held the lock"
    assert process.returncode == 0, errors
    assert len(feed_guids(out)) == 1
    assert not (out / LOCK_NAME).exists(), "POSIX locks the folder itself: no lock file"


def test_concurrent_publishers_all_land_their_items(out: Path) -> None:
    prefixes, count = ["a", "b", "c"], 12
    for process in start_publishers(out, prefixes, count):
        with process:
            _, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors
    expected = {f"https://example.org/{p}/{n}" for p in prefixes for n in range(count)}
    assert {e.id for e in list_episodes(out)} == expected
    assert check_feed_holds_catalog(out) == set()
    assert len(feed_guids(out)) == len(expected)


def kill_mid_publish(out: Path, prefix: str, published: int, delay: float) -> None:
    """Start a publishing loop, let ``published`` episodes land, SIGKILL it ``delay`` later."""
    (process,) = start_publishers(out, [prefix], 500)
    with process:
        assert process.stdout is not None
        for _ in range(published):
            process.stdout.readline()
        time.sleep(delay)
        os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL


def test_sigkill_mid_publish_leaves_a_usable_feed_and_catalog(out: Path) -> None:
    # Each round kills at another point of the loop (the seeded delays spread the kill
    # across upsert, render, the feed's fsync and rename, and the commit), then the next
    # round publishes into the same folder after the crash.
    delays = random.Random(20240301)
    for round_ in range(6):
        kill_mid_publish(out, f"k{round_}", published=2 + round_, delay=delays.random() / 40)
        extra = check_feed_holds_catalog(out)
        assert len(extra) <= 1, "only the episode being published may run ahead of the catalog"

    # A killed writer may leave its feed temp file; the next publish sweeps it once stale.
    for temp in out.glob(f".{FEED_NAME}.*.tmp"):
        os.utime(temp, (time.time() - 3600, time.time() - 3600))
    published = len(list_episodes(out))
    publish(out, CHANNEL, make_episode(out, 9999))
    assert not list(out.glob(f".{FEED_NAME}.*.tmp"))
    assert check_feed_holds_catalog(out) == set()
    assert len(list_episodes(out)) == published + 1


def test_items_from_different_utc_offsets_follow_the_instant(out: Path) -> None:
    """Tokyo's 09:00 is earlier than New York's 20:00 the evening before: the feed
    orders by the instant, not by the clock time each date was written in."""
    tokyo = timezone(timedelta(hours=9))
    new_york = timezone(timedelta(hours=-5))
    earlier = make_episode(out, 1, pub_date=datetime(2024, 3, 2, 9, 0, tzinfo=tokyo))  # 00:00Z
    later = make_episode(out, 2, pub_date=datetime(2024, 3, 1, 20, 0, tzinfo=new_york))  # 01:00Z
    publish(out, CHANNEL, earlier)
    publish(out, CHANNEL, later)
    parsed = feedparser.parse((out / FEED_NAME).read_bytes())
    assert [e.title for e in parsed.entries] == ["Episode 2", "Episode 1"]
    assert [e.title for e in list_episodes(out)] == ["Episode 2", "Episode 1"]
    build = parsed.feed.updated_parsed
    assert build == parsed.entries[0].published_parsed


def test_a_re_rendered_undated_article_keeps_its_place_in_the_feed(out: Path) -> None:
    """An article without a date of its own is dated by its first render: rendering it
    again (a lexicon fix, a new voice) must not move it above the articles after it."""
    publish(out, CHANNEL, make_episode(out, 1))
    publish(out, CHANNEL, make_episode(out, 2))
    publish(out, CHANNEL, make_episode(out, 1, pub_date=datetime.now(timezone.utc), size=1200))
    assert [e.title for e in list_episodes(out)] == ["Episode 2", "Episode 1"]
    entries = feedparser.parse((out / FEED_NAME).read_bytes()).entries
    assert [e.title for e in entries] == ["Episode 2", "Episode 1"]
    assert entries[1].enclosures[0].length == "1200"
