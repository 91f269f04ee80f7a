"""The podcast feed: RSS 2.0 with the itunes, podcast, atom and content namespaces.

lxml lives here and nowhere else. ``render_feed`` is a pure function of its input:
no clock is read, so the same catalog always gives the same bytes, and
``lastBuildDate`` is the newest episode's date.
"""

from __future__ import annotations

import difflib
import email.utils
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from lxml import etree, html

from listen.errors import ConfigError
from listen.models import Channel, Episode

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
NAMESPACES = {"itunes": ITUNES, "podcast": PODCAST, "atom": ATOM, "content": CONTENT}

FEED_NAME = "feed.xml"
GENERATOR = "listen"
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
"""Podcasting 2.0: podcast:guid is a UUIDv5 of the feed URL in this namespace."""

APPLE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": ("Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"),
    "Business": (
        "Careers", "Entrepreneurship", "Investing", "Management", "Marketing", "Non-Profit",
    ),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "History": (),
    "Health & Fitness": (
        "Alternative Health", "Fitness", "Medicine", "Mental Health", "Nutrition", "Sexuality",
    ),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    "Leisure": (
        "Animation & Manga", "Automotive", "Aviation", "Crafts", "Games", "Hobbies",
        "Home & Garden", "Video Games",
    ),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": (
        "Business News", "Daily News", "Entertainment News", "News Commentary", "Politics",
        "Sports News", "Tech News",
    ),
    "Religion & Spirituality": (
        "Buddhism", "Christianity", "Hinduism", "Islam", "Judaism", "Religion", "Spirituality",
    ),
    "Science": (
        "Astronomy", "Chemistry", "Earth Sciences", "Life Sciences", "Mathematics",
        "Natural Sciences", "Nature", "Physics", "Social Sciences",
    ),
    "Society & Culture": (
        "Documentary", "Personal Journals", "Philosophy", "Places & Travel", "Relationships",
    ),
    "Sports": (
        "Baseball", "Basketball", "Cricket", "Fantasy Sports", "Football", "Golf", "Hockey",
        "Rugby", "Running", "Soccer", "Swimming", "Tennis", "Volleyball", "Wilderness",
        "Wrestling",
    ),
    "Technology": (),
    "True Crime": (),
    "TV & Film": ("After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"),
}
"""Apple Podcasts categories and their subcategories (podcasters.apple.com, 1691)."""

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
# Characters XML 1.0 forbids; lxml refuses them, a stray one in a title must not.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# An end tag, a void tag or a character reference: a page's JSON-LD description is
# often HTML, while plain text may well say "a<b" or "AT&T".
_MARKUP = re.compile(
    r"</[a-zA-Z][a-zA-Z0-9]*\s*>|<(br|hr|img)\b[^<>]*>"
    r"|&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);"
)
_BLOCKS = ("p", "div", "br", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr")


def render_feed(channel: Channel, episodes: Sequence[Episode]) -> bytes:
    """The feed as UTF-8 bytes: newest ``channel.max_items`` episodes, newest first."""
    category, subcategory = check_category(channel.category, channel.subcategory)
    newest = sorted(episodes, key=_newest_first)[: max(channel.max_items, 0)]
    rss = etree.Element("rss", version="2.0", nsmap=NAMESPACES)
    feed = etree.SubElement(rss, "channel")
    _add_channel(feed, channel, category, subcategory, newest)
    for episode in newest:
        _add_item(etree.SubElement(feed, "item"), channel, episode)
    data: bytes = etree.tostring(rss, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


def enclosure_url(channel: Channel, file_name: str) -> str:
    """Where a file of the output folder is served: ``base_url`` + name.

    Without a ``base_url`` this is the bare (relative) file name: the feed then works
    only beside its files, and the caller should warn.
    """
    return served_url(channel.base_url, file_name)


def served_url(base_url: str, file_name: str) -> str:
    """``base_url`` + the quoted file name; the bare name without a ``base_url``."""
    name = quote(file_name)
    return base_url.rstrip("/") + "/" + name if base_url else name


def feed_url(channel: Channel) -> str:
    """The feed's own URL, or "" when there is no ``base_url`` to make it from."""
    return enclosure_url(channel, FEED_NAME) if channel.base_url else ""


def podcast_guid(url: str) -> str:
    """Podcasting 2.0 ``podcast:guid``: UUIDv5 of the feed URL without scheme or end slash."""
    bare = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", url.strip()).rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


def check_category(category: str, subcategory: str = "") -> tuple[str, str]:
    """Apple's spelling of a category and subcategory, matched ignoring case.

    Raises ConfigError naming close matches, or the valid choices, when either is
    not on Apple's list (Apple rejects a feed with an unknown category).
    """
    main = _match(category, list(APPLE_CATEGORIES), "category")
    if not subcategory:
        return main, ""
    choices = list(APPLE_CATEGORIES[main])
    if not choices:
        raise ConfigError(
            f"the podcast category {main!r} has no subcategories: remove subcategory"
            f" {subcategory!r} from listen.toml"
        )
    return main, _match(subcategory, choices, f"subcategory of {main!r}")


def _match(name: str, choices: list[str], what: str) -> str:
    by_lower = {choice.lower(): choice for choice in choices}
    if name.strip().lower() in by_lower:
        return by_lower[name.strip().lower()]
    close = difflib.get_close_matches(name.strip().lower(), list(by_lower), n=3, cutoff=0.5)
    hint = (
        "did you mean " + " or ".join(repr(by_lower[c]) for c in close)
        if close
        else "choose one of " + ", ".join(repr(c) for c in choices)
    )
    raise ConfigError(f"{name!r} is not an Apple Podcasts {what}: {hint} (in listen.toml)")


def _newest_first(episode: Episode) -> tuple[timedelta, str]:
    """The catalog's order: newest first, then by id, so ties are deterministic."""
    return (_EPOCH - episode.pub_date, episode.id)


def _add_channel(
    feed: Any, channel: Channel, category: str, subcategory: str, newest: Sequence[Episode]
) -> None:
    _text(feed, "title", channel.title)
    _text(feed, "link", channel.link)
    _text(feed, "description", channel.description)
    _text(feed, "language", channel.language)
    _text(feed, "generator", GENERATOR)
    if newest:
        _text(feed, "lastBuildDate", email.utils.format_datetime(newest[0].pub_date))
    if url := feed_url(channel):
        _child(feed, ATOM, "link", href=url, rel="self", type="application/rss+xml")
        _text(feed, f"{{{PODCAST}}}guid", podcast_guid(url))
    _text(feed, f"{{{ITUNES}}}author", channel.author or channel.title)
    _add_owner(feed, channel)
    if channel.image:
        _child(feed, ITUNES, "image", href=channel.image)
    outer = _child(feed, ITUNES, "category", text=category)
    if subcategory:
        _child(outer, ITUNES, "category", text=subcategory)
    _text(feed, f"{{{ITUNES}}}explicit", "true" if channel.explicit else "false")
    _text(feed, f"{{{ITUNES}}}type", "episodic")


def _add_owner(feed: Any, channel: Channel) -> None:
    if not (channel.owner_name or channel.owner_email):
        return
    owner = etree.SubElement(feed, f"{{{ITUNES}}}owner")
    _text(owner, f"{{{ITUNES}}}name", channel.owner_name or channel.author or channel.title)
    if channel.owner_email:
        _text(owner, f"{{{ITUNES}}}email", channel.owner_email)


def _add_item(item: Any, channel: Channel, episode: Episode) -> None:
    _text(item, "title", episode.title)
    summary = _summary(episode)
    _text(item, "description", _plain_description(summary, episode.link))
    _add_encoded_description(item, summary, episode.link)
    if episode.link:
        _text(item, "link", episode.link)
    guid = _text(item, "guid", episode.guid)
    guid.set("isPermaLink", "true" if _is_permalink(episode) else "false")
    _text(item, "pubDate", email.utils.format_datetime(episode.pub_date))
    _child(
        item, None, "enclosure", url=enclosure_url(channel, episode.audio_file),
        length=str(episode.length), type="audio/mpeg",
    )
    _text(item, f"{{{ITUNES}}}duration", format_duration(episode.duration))
    _text(item, f"{{{ITUNES}}}episodeType", "full")
    if author := episode.author or channel.author:
        _text(item, f"{{{ITUNES}}}author", author)
    if episode.image:
        _child(item, ITUNES, "image", href=episode.image)
    _add_sidecars(item, channel, episode)


def _add_sidecars(item: Any, channel: Channel, episode: Episode) -> None:
    if episode.transcript_file:
        _child(
            item, PODCAST, "transcript", url=enclosure_url(channel, episode.transcript_file),
            type="text/vtt", language=episode.language, rel="captions",
        )
    if episode.chapters_file:
        _child(
            item, PODCAST, "chapters", url=enclosure_url(channel, episode.chapters_file),
            type="application/json+chapters",
        )


def format_duration(seconds: float) -> str:
    """``HH:MM:SS``, rounded to the nearest whole second."""
    whole = max(int(seconds + 0.5), 0)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def _plain_description(summary: str, link: str) -> str:
    return f"{summary}\n\nRead the article: {link}" if link else summary


def _summary(episode: Episode) -> str:
    """The description as plain text, else the title.

    A site's description may be HTML (``<p>…&#39;s <strong>…``): apps that show the
    description as text would show the tags, so only its words are kept.
    """
    summary = episode.description or episode.title
    if not _MARKUP.search(summary):
        return summary
    fragment = html.fragment_fromstring(summary, create_parent="div")
    etree.strip_elements(fragment, "script", "style", with_tail=False)
    for block in fragment.iter(*_BLOCKS):
        block.tail = " " + (block.tail or "")
    return " ".join(fragment.text_content().split()) or episode.title


def _add_encoded_description(item: Any, summary: str, link: str) -> None:
    """The same description as HTML, so apps that show content:encoded link the article."""
    paragraph = etree.Element("p")
    paragraph.text = _clean(summary)
    markup = _markup(paragraph)
    if link:
        anchor = etree.Element("a", href=_clean(link))
        anchor.text = "Read the article"
        markup += "<p>" + _markup(anchor) + "</p>"
    etree.SubElement(item, f"{{{CONTENT}}}encoded").text = etree.CDATA(markup)


def _markup(element: Any) -> str:
    # lxml reads the encoding name "unicode" in any case: a mutant's "UNICODE" is the same.
    return etree.tostring(element, encoding="unicode")  # pragma: no mutate


def _is_permalink(episode: Episode) -> bool:
    return episode.guid == episode.link and episode.link.startswith(("http://", "https://"))


def _text(parent: Any, tag: str, value: str) -> Any:
    element = etree.SubElement(parent, tag)
    element.text = _clean(value)
    return element


def _child(parent: Any, namespace: str | None, tag: str, **attributes: str) -> Any:
    name = f"{{{namespace}}}{tag}" if namespace else tag
    return etree.SubElement(parent, name, {key: _clean(v) for key, v in attributes.items()})


def _clean(value: str) -> str:
    return _NOT_XML.sub("", value)


@dataclass(frozen=True)
class FeedItem:
    """What ``feed.xml`` says of one episode, read back (for ``listen feed recover``)."""

    guid: str
    title: str
    link: str
    summary: str
    """The description without the "Read the article" line added to it."""
    pub_date: datetime | None
    audio_file: str
    """The enclosure's file name in the output folder."""
    author: str
    image: str
    language: str


def read_feed(path: Path) -> tuple[Channel | None, list[FeedItem]]:
    """The channel and items of a feed this module wrote; (None, []) if it is unreadable."""
    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False)).getroot()
    except (OSError, etree.XMLSyntaxError):
        return None, []
    channel = root.find("channel")
    if channel is None:
        return None, []
    items = [_read_item(item) for item in channel.iterfind("item")]
    enclosures = [str(e.get("url", "")) for e in channel.iterfind("item/enclosure")]
    enclosures = [url for url in enclosures if "/" in url]
    return _read_channel(channel, enclosures), [item for item in items if item.audio_file]


def _read_channel(feed: Any, enclosures: list[str]) -> Channel:
    def text(path: str) -> str:
        return _findtext(feed, path)

    category = feed.find("itunes:category", NAMESPACES)
    sub = category.find("itunes:category", NAMESPACES) if category is not None else None
    image = feed.find("itunes:image", NAMESPACES)
    return Channel(
        title=text("title"), link=text("link"), description=text("description"),
        language=text("language"), author=text("itunes:author"),
        owner_name=text("itunes:owner/itunes:name"), owner_email=text("itunes:owner/itunes:email"),
        category=category.get("text", "News") if category is not None else "News",
        subcategory=sub.get("text", "") if sub is not None else "",
        explicit=text("itunes:explicit") == "true",
        image=image.get("href", "") if image is not None else "",
        base_url=enclosures[0].rsplit("/", 1)[0] + "/" if enclosures else "",
    )


def _read_item(item: Any) -> FeedItem:
    def text(path: str) -> str:
        return _findtext(item, path)

    link = text("link")
    summary = text("description")
    if link and summary.endswith(f"\n\nRead the article: {link}"):
        summary = summary[: -len(f"\n\nRead the article: {link}")]
    enclosure = item.find("enclosure")
    url = enclosure.get("url", "") if enclosure is not None else ""
    transcript = item.find("podcast:transcript", NAMESPACES)
    image = item.find("itunes:image", NAMESPACES)
    try:
        pub_date: datetime | None = email.utils.parsedate_to_datetime(text("pubDate"))
    except (TypeError, ValueError):
        pub_date = None
    return FeedItem(
        guid=text("guid"), title=text("title"), link=link, summary=summary, pub_date=pub_date,
        audio_file=unquote(url.rpartition("/")[2]), author=text("itunes:author"),
        image=image.get("href", "") if image is not None else "",
        language=transcript.get("language", "") if transcript is not None else "",
    )


def _findtext(node: Any, path: str) -> str:
    """The element's text, stripped; "" when it is missing or empty."""
    return str(node.findtext(path, namespaces=NAMESPACES) or "").strip()
