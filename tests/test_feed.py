"""The feed as podcast apps and directories read it: feedparser and namespaced XPath.

Re-pin the golden feed on purpose only: ``LISTEN_UPDATE_GOLDEN=1 pytest tests/test_feed.py``.
"""

from __future__ import annotations

import email.utils
import math
import os
import random
import re
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import feedparser
import lameenc
import pytest
from lxml import etree

from listen.errors import ConfigError
from listen.models import Channel, Episode
from listen.publish.catalog import CATALOG_NAME, Catalog, guid_for
from listen.publish.feed import (
    APPLE_CATEGORIES,
    FEED_NAME,
    NAMESPACES,
    FeedItem,
    check_category,
    enclosure_url,
    format_duration,
    podcast_guid,
    read_feed,
    render_feed,
)

GOLDEN = Path(__file__).parent / "golden" / "feed.xml"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
NEW_YORK_WINTER = timezone(timedelta(hours=-5))

CHANNEL = Channel(
    title="The Reading Room",
    link="https://example.org/",
    description="Long reads from example.org, read aloud.",
    language="en",
    author="Example Editors",
    owner_name="Ann Editor",
    owner_email="ann@example.org",
    category="News",
    subcategory="Tech News",
    image="https://example.org/cover.jpg",
    base_url="https://cdn.example.org/listen/",
)


def write_mp3(path: Path, seconds: float, sample_rate: int = 22050) -> int:
    """A real MP3 of a quiet tone; return its size in bytes."""
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(32)
    encoder.set_in_sample_rate(sample_rate)
    encoder.set_channels(1)
    encoder.set_quality(7)
    samples = int(seconds * sample_rate)
    pcm = b"".join(((i * 37) % 200 - 100).to_bytes(2, "little", signed=True)
                   for i in range(samples))
    path.write_bytes(bytes(encoder.encode(pcm)) + bytes(encoder.flush()))
    return path.stat().st_size


def make_episodes(folder: Path) -> list[Episode]:
    """Three episodes with real files; the middle one has no article link, no sidecars."""
    episodes = []
    dates = (
        datetime(2024, 2, 29, 23, 30, tzinfo=NEW_YORK_WINTER),  # Thu there, Fri in UTC
        datetime(2024, 3, 2, 7, 0, tzinfo=timezone.utc),
        datetime(2024, 3, 4, 12, 0, tzinfo=timezone.utc),
    )
    for n, (seconds, date) in enumerate(zip((1.0, 2.5, 0.6), dates, strict=True)):
        audio = folder / f"article-{n}.mp3"
        size = write_mp3(audio, seconds)
        linked = n != 1
        if linked:
            (folder / f"article-{n}.vtt").write_text("WEBVTT\n", encoding="utf-8")
            (folder / f"article-{n}.chapters.json").write_text('{"version": "1.2.0"}')
        article_id = f"https://example.org/articles/{n}" if linked else f"file:///tmp/a{n}.html"
        episodes.append(Episode(
            id=article_id, guid=guid_for(article_id), title=f"Article number {n}",
            link=article_id if linked else "", description=f"What article {n} is about.",
            pub_date=date, audio_file=audio.name, length=size, duration=seconds + 3600 * n,
            author="Jo Writer" if linked else "", image="https://example.org/a.jpg" if n else "",
            transcript_file=f"article-{n}.vtt" if linked else "",
            chapters_file=f"article-{n}.chapters.json" if linked else "",
        ))
    return episodes


@pytest.fixture
def episodes(tmp_path: Path) -> list[Episode]:
    return make_episodes(tmp_path)


def xpath(node: Any, path: str) -> list[Any]:
    result: list[Any] = node.xpath(path, namespaces=NAMESPACES)
    return result


def only(node: Any, path: str) -> Any:
    found = xpath(node, path)
    assert len(found) == 1, f"{path}: expected one, found {len(found)}"
    return found[0]


def test_feedparser_reads_a_well_formed_podcast(episodes: list[Episode]) -> None:
    parsed = feedparser.parse(render_feed(CHANNEL, episodes))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    feed = parsed.feed
    assert (feed.title, feed.link, feed.language) == (CHANNEL.title, CHANNEL.link, "en")
    assert feed.subtitle == CHANNEL.description
    assert feed.image.href == CHANNEL.image
    assert feed.publisher_detail.email == "ann@example.org"
    assert [t.term for t in feed.tags] == ["News", "Tech News"]
    assert feed.itunes_type == "episodic"
    assert len(parsed.entries) == 3
    for entry in parsed.entries:
        assert entry.title and entry.id and entry.published_parsed
        assert entry.itunes_episodetype == "full"
        (enclosure,) = entry.enclosures
        assert enclosure.type == "audio/mpeg"
        assert enclosure.href.startswith(CHANNEL.base_url)


def test_enclosure_lengths_are_the_files_exact_sizes(
    tmp_path: Path, episodes: list[Episode]
) -> None:
    parsed = feedparser.parse(render_feed(CHANNEL, episodes))
    for entry in parsed.entries:
        name = entry.enclosures[0].href.removeprefix(CHANNEL.base_url)
        assert int(entry.enclosures[0].length) == (tmp_path / name).stat().st_size


def test_channel_fields_by_xpath(episodes: list[Episode]) -> None:
    channel = only(etree.fromstring(render_feed(CHANNEL, episodes)), "/rss[@version='2.0']/channel")
    for tag in ("title", "link", "description", "language", "generator", "lastBuildDate"):
        assert only(channel, tag).text
    assert only(channel, "itunes:image/@href") == CHANNEL.image
    assert only(channel, "itunes:explicit").text == "false"
    assert only(channel, "itunes:author").text == "Example Editors"
    assert only(channel, "itunes:owner/itunes:name").text == "Ann Editor"
    assert only(channel, "itunes:owner/itunes:email").text == "ann@example.org"
    assert only(channel, "itunes:type").text == "episodic"
    self_link = only(channel, "atom:link[@rel='self']")
    assert self_link.get("href") == "https://cdn.example.org/listen/feed.xml"
    assert self_link.get("type") == "application/rss+xml"


def test_category_is_on_apples_list_with_its_subcategory(episodes: list[Episode]) -> None:
    channel = only(etree.fromstring(render_feed(CHANNEL, episodes)), "/rss/channel")
    category = only(channel, "itunes:category/@text")
    subcategory = only(channel, "itunes:category/itunes:category/@text")
    assert category in APPLE_CATEGORIES
    assert subcategory in APPLE_CATEGORIES[category]


def test_podcast_guid_is_uuid5_of_the_feed_url_without_scheme(episodes: list[Episode]) -> None:
    channel = only(etree.fromstring(render_feed(CHANNEL, episodes)), "/rss/channel")
    guid = only(channel, "podcast:guid").text
    assert UUID_RE.match(guid)
    namespace = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
    assert guid == str(uuid.uuid5(namespace, "cdn.example.org/listen/feed.xml"))


def test_podcast_guid_matches_the_spec_example() -> None:
    # Podcasting 2.0 namespace docs, podcast:guid example.
    expected = "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    assert podcast_guid("https://mp3s.nashownotes.com/pc20rss.xml") == expected
    assert podcast_guid("http://mp3s.nashownotes.com/pc20rss.xml/") == expected
    # Schemes are case-insensitive (RFC 3986); only slashes are trimmed at the end.
    assert podcast_guid(" HTTPS://mp3s.nashownotes.com/pc20rss.xml// ") == expected
    namespace = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
    assert podcast_guid("https://example.org/RSS-X/") == str(uuid.uuid5(namespace,
                                                                       "example.org/RSS-X"))


def test_items_by_xpath(tmp_path: Path, episodes: list[Episode]) -> None:
    root = etree.fromstring(render_feed(CHANNEL, episodes))
    items = xpath(root, "/rss/channel/item")
    assert len(items) == 3
    for item in items:
        for tag in ("title", "description", "guid", "pubDate", "itunes:duration"):
            assert only(item, tag).text
        assert only(item, "enclosure/@type") == "audio/mpeg"
        assert only(item, "itunes:episodeType").text == "full"
        assert only(item, "guid/@isPermaLink") == "false"
    # Apple shows an episode's own artwork from itunes:image, only where it has one.
    assert [xpath(item, "itunes:image/@href") for item in items] == [
        ["https://example.org/a.jpg"], ["https://example.org/a.jpg"], []]
    guids = xpath(root, "/rss/channel/item/guid/text()")
    assert len(set(guids)) == len(guids)


def test_items_are_newest_first_and_build_date_is_the_newest(episodes: list[Episode]) -> None:
    root = etree.fromstring(render_feed(CHANNEL, episodes))
    dates = [email.utils.parsedate_to_datetime(d) for d in xpath(root, "//item/pubDate/text()")]
    assert dates == sorted(dates, reverse=True)
    build = email.utils.parsedate_to_datetime(only(root, "/rss/channel/lastBuildDate").text)
    assert build == max(e.pub_date for e in episodes)


def test_newest_first_is_by_the_instant_not_the_clock_on_the_wall(
    episodes: list[Episode],
) -> None:
    tokyo_morning = Episode(**{**episodes[0].__dict__, "id": "a", "guid": "tokyo",
                               "pub_date": datetime(2024, 3, 2, 1, 0,
                                                    tzinfo=timezone(timedelta(hours=9)))})
    new_york_evening = Episode(**{**episodes[1].__dict__, "id": "b", "guid": "new-york",
                                  "pub_date": datetime(2024, 3, 1, 20, 0,
                                                       tzinfo=NEW_YORK_WINTER)})
    # 01:00 on the 2nd in Tokyo is 16:00 UTC on the 1st; 20:00 in New York is 01:00 UTC.
    parsed = feedparser.parse(render_feed(CHANNEL, [tokyo_morning, new_york_evening]))
    assert [entry.id for entry in parsed.entries] == ["new-york", "tokyo"]
    assert parsed.feed.updated_parsed[:5] == (2024, 3, 2, 1, 0)


def test_pub_dates_are_rfc_2822_with_the_right_weekday(episodes: list[Episode]) -> None:
    root = etree.fromstring(render_feed(CHANNEL, episodes))
    by_guid = {e.guid: e for e in episodes}
    for item in xpath(root, "//item"):
        text = only(item, "pubDate").text
        episode = by_guid[only(item, "guid").text]
        assert re.fullmatch(r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}", text)
        assert email.utils.parsedate_to_datetime(text) == episode.pub_date
        assert text[:3] == WEEKDAYS[episode.pub_date.weekday()]
    # 2024-02-29 23:30 in New York is a Thursday there, whatever day it is in UTC.
    assert "Thu, 29 Feb 2024 23:30:00 -0500" in xpath(root, "//item/pubDate/text()")


def test_durations_are_whole_hh_mm_ss(episodes: list[Episode]) -> None:
    root = etree.fromstring(render_feed(CHANNEL, episodes))
    by_guid = {e.guid: e for e in episodes}
    for item in xpath(root, "//item"):
        episode = by_guid[only(item, "guid").text]
        hours, minutes, seconds = map(int, only(item, "itunes:duration").text.split(":"))
        assert hours * 3600 + minutes * 60 + seconds == math.floor(episode.duration + 0.5)


@pytest.mark.parametrize(("seconds", "text"), [
    (0.0, "00:00:00"), (0.49, "00:00:00"), (0.5, "00:00:01"), (59.6, "00:01:00"),
    (3725.4, "01:02:05"), (36000.0, "10:00:00"),
])
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


def test_transcript_and_chapters_only_when_named(episodes: list[Episode]) -> None:
    root = etree.fromstring(render_feed(CHANNEL, episodes))
    for item in xpath(root, "//item"):
        episode = next(e for e in episodes if e.guid == only(item, "guid").text)
        transcripts = xpath(item, "podcast:transcript")
        chapters = xpath(item, "podcast:chapters")
        if not episode.transcript_file:
            assert transcripts == [] and chapters == []
            continue
        assert transcripts[0].get("url") == CHANNEL.base_url + episode.transcript_file
        assert transcripts[0].get("type") == "text/vtt"
        assert transcripts[0].get("language") == "en"
        assert chapters[0].get("url") == CHANNEL.base_url + episode.chapters_file
        assert chapters[0].get("type") == "application/json+chapters"


def test_description_links_the_article(episodes: list[Episode]) -> None:
    entry = feedparser.parse(render_feed(CHANNEL, episodes[:1])).entries[0]
    assert "What article 0 is about." in entry.summary
    assert "https://example.org/articles/0" in entry.summary
    assert 'href="https://example.org/articles/0"' in entry.content[0].value


def test_a_description_in_html_reaches_apps_as_its_words(episodes: list[Episode]) -> None:
    """A CMS's JSON-LD description is often HTML: no app may show its tags or entities."""
    marked_up = Episode(**{**episodes[0].__dict__, "description": (
        "<p>The harbour&#39;s <strong>new</strong> ferries &amp; their crews.</p>"
        "<p>Timetables<br/>inside.</p><script>track()</script>")})
    item = only(etree.fromstring(render_feed(CHANNEL, [marked_up])), "//item")
    words = "The harbour's new ferries & their crews. Timetables inside."
    assert only(item, "description").text == (
        f"{words}\n\nRead the article: https://example.org/articles/0")
    # content:encoded is HTML: the same words, escaped once, and the article's link.
    encoded = etree.fromstring(f"<div>{only(item, 'content:encoded').text}</div>")
    assert [p.xpath("string()") for p in encoded] == [words, "Read the article"]
    assert encoded.xpath("//a/@href") == ["https://example.org/articles/0"]


@pytest.mark.parametrize("description", ["Why 3 < 5 matters to AT&T", "a<b and c>d", "&c;"])
def test_plain_text_that_looks_a_little_like_markup_stays_as_it_is(
    episodes: list[Episode], description: str
) -> None:
    plain = Episode(**{**episodes[1].__dict__, "description": description})
    item = only(etree.fromstring(render_feed(CHANNEL, [plain])), "//item")
    assert only(item, "description").text == description
    encoded = etree.fromstring(f"<div>{only(item, 'content:encoded').text}</div>")
    assert encoded.xpath("string(p)") == description


def test_a_description_of_markup_alone_falls_back_to_the_title(episodes: list[Episode]) -> None:
    pictured = Episode(**{**episodes[1].__dict__, "description": '<p><img src="a.jpg"></p>'})
    item = only(etree.fromstring(render_feed(CHANNEL, [pictured])), "//item")
    assert only(item, "description").text == pictured.title


def test_guid_is_a_permalink_only_when_it_is_the_url(episodes: list[Episode]) -> None:
    for link in ("https://example.org/articles/0", "http://example.org/old/0"):
        url_guid = Episode(**{**episodes[0].__dict__, "guid": link, "link": link})
        item = only(etree.fromstring(render_feed(CHANNEL, [url_guid])), "//item")
        assert only(item, "guid/@isPermaLink") == "true"
    # A file source's guid is its id but no web page: not a permalink.
    local = Episode(**{**episodes[1].__dict__, "guid": episodes[1].id, "link": episodes[1].id})
    item = only(etree.fromstring(render_feed(CHANNEL, [local])), "//item")
    assert only(item, "guid/@isPermaLink") == "false"


def test_same_input_gives_the_same_bytes_in_any_order(episodes: list[Episode]) -> None:
    first = render_feed(CHANNEL, episodes)
    shuffled = list(episodes)
    random.Random(7).shuffle(shuffled)
    assert render_feed(CHANNEL, shuffled) == first
    assert render_feed(CHANNEL, list(reversed(episodes))) == first


def test_at_most_max_items_newest_first(episodes: list[Episode]) -> None:
    channel = Channel(**{**CHANNEL.__dict__, "max_items": 2})
    parsed = feedparser.parse(render_feed(channel, episodes))
    newest_two = sorted(episodes, key=lambda e: e.pub_date, reverse=True)[:2]
    assert [e.id for e in parsed.entries] == [e.guid for e in newest_two]


@pytest.mark.parametrize("max_items", [0, -1])
def test_max_items_of_zero_or_less_publishes_no_items(
    episodes: list[Episode], max_items: int
) -> None:
    channel = Channel(**{**CHANNEL.__dict__, "max_items": max_items})
    parsed = feedparser.parse(render_feed(channel, episodes))
    assert not parsed.bozo and parsed.entries == []


def test_owner_has_a_name_whenever_it_is_there(episodes: list[Episode]) -> None:
    """Apple and Spotify mail the owner to verify a show: itunes:name never empty."""
    def owner(**changes: str) -> list[tuple[str | None, str | None]]:
        root = etree.fromstring(render_feed(Channel(**{**CHANNEL.__dict__, **changes}), []))
        return [(o.findtext("itunes:name", namespaces=NAMESPACES),
                 o.findtext("itunes:email", namespaces=NAMESPACES))
                for o in xpath(root, "/rss/channel/itunes:owner")]

    assert owner(owner_name="") == [("Example Editors", "ann@example.org")]
    assert owner(owner_name="", author="") == [("The Reading Room", "ann@example.org")]
    assert owner(owner_email="") == [("Ann Editor", None)]
    assert owner(owner_name="", owner_email="") == []


def test_without_base_url_enclosures_are_relative_and_no_self_link(
    episodes: list[Episode],
) -> None:
    channel = Channel(**{**CHANNEL.__dict__, "base_url": ""})
    root = etree.fromstring(render_feed(channel, episodes))
    assert xpath(root, "//enclosure/@url")[0] == "article-2.mp3"
    assert xpath(root, "//atom:link") == [] and xpath(root, "//podcast:guid") == []


def test_enclosure_url_quotes_the_file_name() -> None:
    assert enclosure_url(CHANNEL, "a b é.mp3") == "https://cdn.example.org/listen/a%20b%20%C3%A9.mp3"
    no_slash = Channel(**{**CHANNEL.__dict__, "base_url": "https://cdn.example.org/x"})
    assert enclosure_url(no_slash, "a.mp3") == "https://cdn.example.org/x/a.mp3"
    # Only the slashes at the end go, however many; the folder's own name stays whole.
    doubled = Channel(**{**CHANNEL.__dict__, "base_url": "https://cdn.example.org/AUDIO-X//"})
    assert enclosure_url(doubled, "a.mp3") == "https://cdn.example.org/AUDIO-X/a.mp3"


def test_an_empty_feed_is_still_valid() -> None:
    parsed = feedparser.parse(render_feed(CHANNEL, []))
    assert not parsed.bozo and parsed.feed.title == CHANNEL.title and parsed.entries == []


def test_control_characters_and_markup_do_not_break_the_feed(episodes: list[Episode]) -> None:
    nasty = Episode(**{**episodes[0].__dict__, "title": "Q&A: <b>bold</b>\x0b claims ]]>",
                       "description": "Tabs\tand\x00 nulls ]]> end"})
    data = render_feed(CHANNEL, [nasty])
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    item = only(etree.fromstring(data), "//item")
    assert only(item, "title").text == "Q&A: <b>bold</b> claims ]]>"
    assert only(item, "description").text.startswith("Tabs\tand nulls ]]> end")
    assert "nulls ]]&gt; end" in only(item, "content:encoded").text


def test_explicit_is_apples_true_or_false() -> None:
    # feedparser 6 maps only the old "yes"/"clean" values, so read the element itself.
    channel = Channel(**{**CHANNEL.__dict__, "explicit": True})
    assert only(etree.fromstring(render_feed(channel, [])), "//itunes:explicit").text == "true"


def test_category_spelling_is_normalised() -> None:
    assert check_category("society & culture", "places & travel") == (
        "Society & Culture", "Places & Travel"
    )


def test_a_category_alone_has_no_subcategory() -> None:
    assert check_category(" technology ") == ("Technology", "")
    root = etree.fromstring(render_feed(Channel(**{**CHANNEL.__dict__, "subcategory": ""}), []))
    assert only(root, "//itunes:category/@text") == "News"
    assert xpath(root, "//itunes:category/itunes:category") == []


@pytest.mark.parametrize("typed", ["Tecnology", "TECH"])
def test_unknown_category_names_close_matches(typed: str) -> None:
    with pytest.raises(ConfigError) as caught:
        render_feed(Channel(**{**CHANNEL.__dict__, "category": typed, "subcategory": ""}), [])
    assert str(caught.value) == (
        f"{typed!r} is not an Apple Podcasts category: did you mean 'Technology'"
        " (in listen.toml)"
    )


def test_at_most_three_close_matches_are_offered() -> None:
    with pytest.raises(ConfigError) as caught:
        check_category("Sports", "ball")
    message = str(caught.value)
    assert message.startswith("'ball' is not an Apple Podcasts subcategory of 'Sports': "
                              "did you mean 'Football' or 'Baseball' or ")
    offered = re.findall(r"'(\w+ball)'", message)
    assert len(offered) == 3 and set(offered) <= set(APPLE_CATEGORIES["Sports"])


def test_unknown_category_without_close_match_lists_the_valid_ones() -> None:
    with pytest.raises(ConfigError) as caught:
        check_category("Knitting circles")
    message = str(caught.value)
    assert message.startswith("'Knitting circles' is not an Apple Podcasts category: "
                              "choose one of 'Arts', 'Business', 'Comedy', ")
    assert message.endswith(", 'TV & Film' (in listen.toml)")
    assert all(repr(name) in message for name in APPLE_CATEGORIES)


def test_subcategory_must_belong_to_the_category() -> None:
    with pytest.raises(ConfigError, match="subcategory of 'News'.*'Tech News'"):
        check_category("News", "Technology")
    with pytest.raises(ConfigError, match="no subcategories"):
        check_category("Technology", "Gadgets")


def golden_catalog_feed(folder: Path) -> bytes:
    """A fixed catalog, stored and read back, rendered."""
    fixed = [
        Episode(id=f"https://example.org/articles/{n}", guid=guid_for(f"https://example.org/articles/{n}"),
                title=f"Golden article {n}", link=f"https://example.org/articles/{n}",
                description=f"Summary {n} & more.",
                pub_date=datetime(2024, 1, 1 + n, 6, 30, tzinfo=timezone.utc),
                audio_file=f"golden-{n}.mp3", length=100_000 + n, duration=600.4 + n,
                author="Jo Writer", transcript_file=f"golden-{n}.vtt",
                chapters_file=f"golden-{n}.chapters.json")
        for n in range(3)
    ]
    with Catalog(folder / CATALOG_NAME) as catalog:
        for episode in fixed:
            catalog.upsert(episode)
        return render_feed(CHANNEL, catalog.episodes())


def test_golden_feed(tmp_path: Path) -> None:
    rendered = golden_catalog_feed(tmp_path)
    if os.environ.get("LISTEN_UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_bytes(rendered)
    assert GOLDEN.is_file(), f"no {GOLDEN}: pin it with LISTEN_UPDATE_GOLDEN=1 pytest"
    assert rendered == GOLDEN.read_bytes(), (
        "feed.xml changed; if on purpose, re-pin with LISTEN_UPDATE_GOLDEN=1 pytest"
    )


# ---- reading a feed back: what `listen feed recover` takes from feed.xml ----------------


def written_feed(folder: Path, channel: Channel, episodes: list[Episode]) -> Path:
    path = folder / FEED_NAME
    path.write_bytes(render_feed(channel, episodes))
    return path


def test_the_show_settings_come_back_from_the_feed(tmp_path: Path, episodes: list[Episode]) -> None:
    for channel in (CHANNEL, Channel(**{**CHANNEL.__dict__, "explicit": True,
                                        "base_url": "https://cdn.example.org/listen"})):
        recovered, _ = read_feed(written_feed(tmp_path, channel, episodes))
        # The base URL always comes back with its end slash: enclosures join the same.
        assert recovered == Channel(**{**channel.__dict__, "base_url": CHANNEL.base_url})


def test_a_bare_show_comes_back_with_the_feeds_defaults(
    tmp_path: Path, episodes: list[Episode]
) -> None:
    bare = Channel(title="Night desk", category="technology", base_url="")
    recovered, items = read_feed(written_feed(tmp_path, bare, episodes))
    # itunes:author falls back to the title; relative enclosures give no base URL.
    assert recovered == Channel(title="Night desk", author="Night desk", category="Technology")
    assert [item.audio_file for item in items] == ["article-2.mp3", "article-1.mp3",
                                                   "article-0.mp3"]


def test_each_episode_comes_back_from_the_feed(tmp_path: Path, episodes: list[Episode]) -> None:
    spaced = Episode(**{**episodes[2].__dict__, "audio_file": "Ça va, X & Y.mp3",
                        "language": "fr", "author": ""})
    _, items = read_feed(written_feed(tmp_path, CHANNEL, [*episodes[:2], spaced]))
    by_guid = {item.guid: item for item in items}
    assert list(by_guid) == [e.guid for e in (spaced, episodes[1], episodes[0])]
    for episode in (episodes[0], episodes[1], spaced):
        item = by_guid[episode.guid]
        assert (item.title, item.link, item.summary) == (
            episode.title, episode.link, episode.description)
        assert item.pub_date == episode.pub_date
        assert item.pub_date is not None and item.pub_date.utcoffset() == (
            episode.pub_date.utcoffset())
        assert item.audio_file == episode.audio_file
        assert item.image == episode.image
        # The transcript carries the language; without one, none is claimed.
        assert item.language == (episode.language if episode.transcript_file else "")
    assert by_guid[episodes[0].guid].author == "Jo Writer"
    # An episode with no author of its own is the show's in the feed.
    assert by_guid[spaced.guid].author == CHANNEL.author
    assert by_guid[episodes[1].guid].author == CHANNEL.author


def test_a_hand_edited_feed_is_read_as_far_as_it_goes(tmp_path: Path) -> None:
    path = tmp_path / FEED_NAME
    path.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="{NAMESPACES['itunes']}"
     xmlns:podcast="{NAMESPACES['podcast']}">
  <channel>
    <title>
      Tidied by hand
    </title>
    <itunes:category/>
    <itunes:image/>
    <item>
      <title> An episode </title>
      <link> https://example.org/a </link>
      <description>  Said twice.  </description>
      <pubDate>sometime last week</pubDate>
      <enclosure url="https://files.example.org/pods/a.mp3"/>
      <itunes:image/>
      <podcast:transcript url="https://files.example.org/pods/a.vtt"/>
    </item>
    <item><title>No date, no file</title><enclosure/></item>
    <item><title>No enclosure at all</title></item>
  </channel>
</rss>
""", encoding="utf-8")
    channel, items = read_feed(path)
    assert channel == Channel(title="Tidied by hand", category="News",
                              base_url="https://files.example.org/pods/")
    assert items == [FeedItem(guid="", title="An episode", link="https://example.org/a",
                              summary="Said twice.", pub_date=None, audio_file="a.mp3",
                              author="", image="", language="")]


def test_a_feed_without_a_category_is_news_and_without_files_has_no_base_url(
    tmp_path: Path,
) -> None:
    path = tmp_path / FEED_NAME
    path.write_text('<rss version="2.0"><channel><title>T</title>'
                    '<item><pubDate>Tue, 02 Jan 2024 06:30:00 +0000</pubDate>'
                    '<enclosure url="a.mp3"/></item></channel></rss>')
    channel, items = read_feed(path)
    assert channel == Channel(title="T", category="News", subcategory="", base_url="")
    assert [(i.audio_file, i.pub_date) for i in items] == [
        ("a.mp3", datetime(2024, 1, 2, 6, 30, tzinfo=timezone.utc))]


def test_a_subcategory_without_a_name_is_no_subcategory(tmp_path: Path) -> None:
    path = tmp_path / FEED_NAME
    path.write_text(f'<rss version="2.0" xmlns:itunes="{NAMESPACES["itunes"]}"><channel>'
                    '<itunes:category text="Arts"><itunes:category/></itunes:category>'
                    '</channel></rss>')
    channel, _ = read_feed(path)
    assert channel is not None and (channel.category, channel.subcategory) == ("Arts", "")


@pytest.mark.parametrize("content", [
    None, b"", b"\x00 not xml at all", b"<rss version='2.0'><item/></rss>", b"<rss><channel>",
])
def test_an_unreadable_feed_gives_nothing(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / FEED_NAME
    if content is not None:
        path.write_bytes(content)
    assert read_feed(path) == (None, [])


def test_reading_a_feed_never_pulls_in_a_local_file(tmp_path: Path) -> None:
    """A feed.xml from elsewhere must not smuggle a local file into the catalog (XXE)."""
    secret = tmp_path / "secret.txt"
    secret.write_text("the password is swordfish")
    path = tmp_path / FEED_NAME
    path.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY leak SYSTEM "{secret.as_uri()}">]>
<rss version="2.0"><channel><title>Show &leak;</title>
<item><title>Ep &leak;</title><enclosure url="https://x.example/a.mp3"/></item>
</channel></rss>""")
    channel, items = read_feed(path)
    assert channel is not None and "swordfish" not in channel.title
    assert items and "swordfish" not in items[0].title
