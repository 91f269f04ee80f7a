"""The articles a site lists: from an RSS or Atom feed, a sitemap, or a folder of pages.

    listing (URL | file | folder) → [Entry(url, date)], newest first

Feeds: RSS 2.0 (``item/link``, else a permalink ``guid``; ``pubDate``), RSS 1.0/RDF
(``item/link``, ``dc:date``) and Atom (``entry/link`` alternate; ``updated``, else
``published``). Sitemaps: ``urlset/url`` (``loc``, ``lastmod``) and sitemap indexes,
whose sitemaps are read in turn; either may be gzipped (``.xml.gz``). A folder gives
its ``.html`` pages, dated by their file times. Links are made absolute, fragments
dropped, and each URL listed once.
"""

from __future__ import annotations

import email.utils
import gzip
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urldefrag, urljoin

from lxml import etree

from listen.errors import SourceError

MAX_SITEMAPS = 1000
"""Sitemaps read from one index (the protocol allows 50,000; a site rarely needs this)."""
_FEED_ROOTS = {"rss", "feed", "RDF"}
_SITEMAP_ROOTS = {"urlset", "sitemapindex"}
_ALTERNATE = re.compile(
    rb"""<link[^>]+type=["']application/(?:rss|atom)\+xml["'][^>]*>""", re.IGNORECASE)


@dataclass(frozen=True)
class Entry:
    """One article the listing names."""

    url: str
    """An absolute http(s) URL, or a file path for a folder of pages."""
    date: datetime | None = None
    """When the listing says it was published or last changed (aware), if it says."""


Fetch = Callable[[str], tuple[bytes, str]]
"""Gets a URL (or reads a file): its body and final URL."""


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def discover(source: str, fetch: Fetch) -> tuple[str, list[Entry]]:
    """What kind of listing ``source`` is (``feed``, ``sitemap``, ``folder``) and its
    entries, newest first (undated ones last, in listed order)."""
    if not is_url(source) and Path(source).is_dir():
        return "folder", _newest_first(_folder(Path(source)))
    body, base = fetch(source)
    kind, entries = _listing(body, base, source, fetch, depth=0)
    return kind, _newest_first(entries)


def _listing(body: bytes, base: str, source: str, fetch: Fetch, depth: int
             ) -> tuple[str, list[Entry]]:
    root = _parse(body, source)
    name = etree.QName(root).localname
    if name in _FEED_ROOTS:
        return "feed", _unique(_feed_entries(root, base))
    if name == "urlset":
        return "sitemap", _unique(_url_entries(root, base))
    if name == "sitemapindex":
        if depth > 0:
            raise SourceError(f"{source}: a sitemap index lists another index; give the "
                              "index the site's robots.txt names")
        entries: list[Entry] = []
        for child in _url_entries(root, base, tag="sitemap")[:MAX_SITEMAPS]:
            child_body, child_base = fetch(child.url)
            entries += _listing(child_body, child_base, child.url, fetch, depth + 1)[1]
        return "sitemap", _unique(entries)
    raise SourceError(f"{source} is neither a feed nor a sitemap (its root is <{name}>): "
                      "give an RSS or Atom feed, a sitemap, or a folder of pages")


def _parse(body: bytes, source: str) -> etree._Element:
    if body[:2] == b"\x1f\x8b":
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError) as exc:
            raise SourceError(f"{source} is a damaged gzip file: {exc}") from exc
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True,
                             huge_tree=True)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        root = None
        problem = str(exc)
    else:
        problem = "no XML"
    if root is None or etree.QName(root).localname == "html":
        raise SourceError(_not_a_listing(body, source, problem))
    return root


def _not_a_listing(body: bytes, source: str, problem: str) -> str:
    alternate = _ALTERNATE.search(body[:200_000])
    if alternate:
        href = re.search(rb"""href=["']([^"']+)["']""", alternate.group(0))
        if href:
            feed = href.group(1).decode("utf-8", "replace")
            return f"{source} is a web page, not a feed or sitemap: its feed is {feed}"
    return (f"{source} is not a feed or sitemap ({problem}): give an RSS or Atom feed, "
            "a sitemap, or a folder of pages (listen render reads single pages)")


def _feed_entries(root: etree._Element, base: str) -> list[Entry]:
    entries = []
    for item in root.iter("{*}item", "{*}entry"):
        url = _item_link(item)
        if url:
            entries.append(Entry(_absolute(url, base), _date(_first_text(
                item, "pubDate", "updated", "published", "date", "issued", "modified"))))
    return entries


def _item_link(item: etree._Element) -> str:
    for link in item.iterchildren("{*}link"):
        href = link.get("href")
        if href is not None:  # Atom
            if link.get("rel", "alternate") == "alternate":
                return href.strip()
        elif link.text and link.text.strip():
            return link.text.strip()
    for guid in item.iterchildren("{*}guid"):
        if guid.get("isPermaLink", "true") != "false" and is_url((guid.text or "").strip()):
            return (guid.text or "").strip()
    return ""


def _url_entries(root: etree._Element, base: str, tag: str = "url") -> list[Entry]:
    entries = []
    for node in root.iterchildren(f"{{*}}{tag}"):
        loc = _first_text(node, "loc")
        if loc:
            entries.append(Entry(_absolute(loc, base), _date(_first_text(node, "lastmod"))))
    return entries


def _first_text(node: etree._Element, *names: str) -> str:
    for name in names:
        for child in node.iterchildren(f"{{*}}{name}"):
            if child.text and child.text.strip():
                return child.text.strip()
    return ""


def _absolute(url: str, base: str) -> str:
    return urldefrag(urljoin(base, url))[0] if is_url(base) else url


def _date(text: str) -> datetime | None:
    """RFC 822 (RSS) or ISO 8601 / W3C datetime (Atom, sitemaps); aware, UTC if unsaid."""
    if not text:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        iso = text.strip().replace("Z", "+00:00").replace("z", "+00:00")
        try:
            moment = datetime.fromisoformat(iso)
        except ValueError:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _folder(folder: Path) -> list[Entry]:
    pages = sorted(p for p in folder.rglob("*") if p.suffix.lower() in {".html", ".htm"}
                   and p.is_file())
    if not pages:
        raise SourceError(f"{folder} is a folder with no .html files: give a folder of pages")
    return [Entry(str(page), datetime.fromtimestamp(page.stat().st_mtime, timezone.utc))
            for page in pages]


def _unique(entries: list[Entry]) -> list[Entry]:
    seen: dict[str, Entry] = {}
    for entry in entries:
        seen.setdefault(entry.url, entry)
    return list(seen.values())


def _newest_first(entries: list[Entry]) -> list[Entry]:
    dated = sorted((e for e in entries if e.date), key=lambda e: e.date, reverse=True)  # type: ignore[arg-type,return-value]
    return dated + [e for e in entries if e.date is None]
