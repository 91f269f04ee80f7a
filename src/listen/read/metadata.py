"""Article metadata from JSON-LD, OpenGraph, meta tags and markup (helper of ``extract``).

Sources are tried from the most to the least deliberate: JSON-LD that a publisher
writes for search engines, then OpenGraph and ``<meta>`` tags, then the markup.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from listen.read.markup import squashed

# A script wrapped for XHTML: "//<![CDATA[ {…} //]]>".
_CDATA = re.compile(
    r"^\s*(?://\s*|/\*\s*)?<!\[CDATA\[(?:\s*\*/)?|(?:/\*\s*|//\s*)?\]\]>(?:\s*\*/)?\s*$"
)
_ARTICLE_TYPES = re.compile(r"Article|Posting|Report|BlogPosting|WebPage|Review", re.IGNORECASE)
_DATE_META = (
    "article:published_time",
    "article:published",
    "og:article:published_time",
    "datePublished",
    "date",
    "pubdate",
    "publishdate",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
)


@dataclass(frozen=True)
class Metadata:
    """What the page says about itself; every field may be missing."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    date: datetime | None = None
    site: str | None = None
    language: str | None = None
    url: str | None = None
    image: str | None = None
    description: str | None = None


def read_metadata(tree: HtmlElement, page_url: str | None) -> Metadata:
    """Collect metadata from ``tree`` (before any cleanup removes bylines or headers)."""
    ld = _json_ld_article(tree)
    meta = _meta_tags(tree)
    h1, logo = _headings(tree)
    doc_title = next((str(t.text_content()) for t in tree.iter("title")), None)
    site = _site(ld, meta, h1, logo, doc_title)
    title = _title(ld, meta, site, h1, doc_title)
    if site and title and squashed(site) == squashed(title):
        site = None  # a page that names itself only by its title ("Evolve: Docs | Evolve")
    base = page_url or ""
    url = _first(_canonical_link(tree), meta.get("og:url"), _text(ld.get("url")))
    image = _first(meta.get("og:image"), meta.get("twitter:image"), _image(ld.get("image")))
    return Metadata(
        title=title,
        authors=_authors(tree, ld, meta),
        date=_date(tree, ld, meta),
        site=site,
        language=_language(tree, ld, meta),
        url=_absolute(base, url),
        image=_absolute(base or (url or ""), image),
        description=_first(
            _text(ld.get("description")),
            meta.get("og:description"),
            meta.get("description"),
            meta.get("twitter:description"),
        ),
    )


def _first(*values: str | None) -> str | None:
    for value in values:
        if value and value.strip():
            return " ".join(value.split())
    return None


def _absolute(base: str, url: str | None) -> str | None:
    if not url:
        return None
    joined = urljoin(base, url.strip()) if base else url.strip()
    return joined if joined.startswith(("http://", "https://")) else None


def _meta_tags(tree: HtmlElement) -> dict[str, str]:
    """``<meta>`` content by lower-cased ``property``/``name``/``itemprop``; first one wins."""
    found: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop")
        content = element.get("content")
        if key and content and content.strip():
            found.setdefault(key.strip().lower(), content.strip())
        http_equiv = (element.get("http-equiv") or "").lower()
        if http_equiv == "content-language" and content:
            found.setdefault("content-language", content.strip())
    return found


def _canonical_link(tree: HtmlElement) -> str | None:
    for link in tree.iter("link"):
        if "canonical" in str(link.get("rel") or "").lower().split():
            href = link.get("href")
            return str(href) if href else None
    return None


# --- JSON-LD ---------------------------------------------------------------


def _json_ld_article(tree: HtmlElement) -> dict[str, Any]:
    """The first JSON-LD object whose @type looks like an article, else ``{}``."""
    fallback: dict[str, Any] = {}
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        try:
            data = json.loads(_CDATA.sub("", script.text or ""), strict=False)
        except (ValueError, RecursionError):
            continue  # publishers ship broken JSON-LD often enough
        for item in _ld_items(data):
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and _ARTICLE_TYPES.search(k) for k in kinds):
                if "WebPage" not in kinds or "headline" in item:
                    return item
                fallback = fallback or item
    return fallback


def _ld_items(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for entry in data:
            yield from _ld_items(entry, depth + 1)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _ld_items(graph, depth + 1)


def _text(value: Any) -> str | None:
    """A JSON-LD value as text: a string, or the ``name`` of an object."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _text(value.get("name"))
    if isinstance(value, list) and value:
        return _text(value[0])
    return None


def _image(value: Any) -> str | None:
    if isinstance(value, dict):
        return _text(value.get("url")) or _text(value.get("@id"))
    if isinstance(value, list) and value:
        return _image(value[0])
    return _text(value)


# --- fields ----------------------------------------------------------------


def _title(
    ld: dict[str, Any],
    meta: dict[str, str],
    site: str | None,
    h1: str | None,
    doc_title: str | None,
) -> str | None:
    named = [_text(ld.get("headline")), meta.get("og:title"), meta.get("twitter:title")]
    # The name the page shows in its <h1> wins when a tag agrees with it: Wikipedia's
    # JSON-LD "headline" is the article's short description, its og:title ends "- Wikipedia".
    agreeing = [n for n in (*named, doc_title) if n and h1 and _names_heading(n, h1)]
    if agreeing:  # the tag's own words: an <h1> may run words together across a <br>
        title = next(p for p in (agreeing[0], _TITLE_SEPARATOR.split(agreeing[0])[0])
                     if squashed(p) == squashed(h1 or ""))
    else:
        title = _first(*named, meta.get("dc.title"), h1, doc_title)
    return _strip_site_suffix(" ".join(title.split()), site) if title else None


def _headings(tree: HtmlElement) -> tuple[str | None, str | None]:
    """The first <h1> that is the page's own, and the first that links home: the site's
    name, set as its logo (``<h1><a href="/">V8</a></h1>``)."""
    headline: str | None = None
    logo: str | None = None
    for heading in tree.iter("h1"):
        text = str(heading.text_content())
        if not text.strip():
            continue
        if _links_home(heading, text):
            logo = logo or " ".join(text.split())
        else:
            headline = headline or text
    return headline, logo


def _links_home(heading: HtmlElement, text: str) -> bool:
    """``<h1><a href="/">V8</a></h1>``: the whole heading is a link to the home page."""
    for link in heading.iter("a"):
        href = (link.get("href") or "").strip()
        home = href in ("", "/", "./", "#", "index.html", "index.htm", "index.php") or bool(
            re.fullmatch(r"https?://[^/]+/?", href)
        )
        if home and squashed(link.text_content()) == squashed(text):
            return True
    return False


def _site(
    ld: dict[str, Any],
    meta: dict[str, str],
    h1: str | None,
    logo: str | None,
    doc_title: str | None,
) -> str | None:
    """The site's own name: og:site_name, else the suffix of a title after the page's
    <h1> ("<h1> - Wikipedia"), else a logo <h1> linking home, else the publisher, else
    application-name.
    (A publisher is often the company: "Wikimedia Foundation, Inc.")"""
    site = _first(
        meta.get("og:site_name"),
        _title_suffix(h1, (meta.get("og:title"), doc_title)),
        logo,
        _text(ld.get("publisher")),
        meta.get("application-name"),
    )
    return _site_name(site) if site else None


def _site_name(site: str) -> str | None:
    """"http://www.tmz.com" → "tmz.com"; "SIMPLYFOUND.COM | BY: JOE WEE" → "SIMPLYFOUND.COM"."""
    site = _TITLE_SEPARATOR.split(" ".join(site.split()))[0]
    if re.match(r"https?://", site):
        host = urlsplit(site).hostname or ""
        site = host.removeprefix("www.")
    return site or None


def _title_suffix(h1: str | None, titles: tuple[str | None, ...]) -> str | None:
    """"Site" in a title "<h1> - Site"; not in "Site | <h1>" nor "Title | <h1 logo>",
    which cannot be told apart."""
    for title in titles:
        parts = _TITLE_SEPARATOR.split(" ".join((title or "").split()))
        if h1 and len(parts) == 2 and squashed(parts[0]) == squashed(h1) != "":
            return parts[1]
    return None


def _names_heading(title: str, heading: str) -> bool:
    """``List of X - Wikipedia`` names the heading ``List of X``; so does ``List of X``
    (but ``News | The Post`` does not name a logo ``<h1>The Post</h1>``)."""
    parts = [title, _TITLE_SEPARATOR.split(title)[0]]
    return any(squashed(part) == squashed(heading) != "" for part in parts)


_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—·»]\s+")


def _strip_site_suffix(title: str, site: str | None) -> str:
    """``Night trains return | The Rail Post`` → ``Night trains return``."""
    if not site:
        return title
    name = re.escape(site.strip())
    stripped = re.sub(rf"\s+[|\-–—·:»]\s+{name}\s*$", "", title, flags=re.IGNORECASE)
    stripped = re.sub(rf"^\s*{name}\s+[|\-–—·:»]\s+", "", stripped, flags=re.IGNORECASE)
    return stripped or title


def _authors(tree: HtmlElement, ld: dict[str, Any], meta: dict[str, str]) -> tuple[str, ...]:
    names = _ld_people(ld.get("author"))
    library = False  # Dublin Core and citation tags put the surname first
    if not names:
        tagged = [
            (a, key in ("dc.creator", "citation_author"))
            for key in (
                "author", "article:author", "byl", "parsely-author", "sailthru.author",
                "dc.creator", "citation_author",
            )
            if (a := meta.get(key)) and not a.startswith(("http://", "https://"))
        ][:1]
        names, library = ([tagged[0][0]], tagged[0][1]) if tagged else ([], False)
    if not names:
        names = [
            a.text_content() for a in tree.xpath('//a[@rel="author"]|//*[@itemprop="author"]')
        ][:3]
    return tuple(
        dict.fromkeys(n for raw in names for n in split_names(raw, surname_first=library))
    )


def _ld_people(value: Any) -> list[str]:
    people = value if isinstance(value, list) else [value]
    return [name for person in people if (name := _text(person))]


_SURNAME_FIRST = re.compile(
    r"^(?P<surname>[^\W\d_][\w'’-]*),\s*(?P<given>(?:[^\W\d_][\w'’.-]*)(?:\s+[^\W\d_][\w'’.-]*){0,2})$"
)


# What a byline holds beside names: a date, a time, a handle, a link, a "(Brad)".
_NOT_A_NAME = re.compile(
    r"\(\s*(?:https?://[^)]*|[^)\s]+)\s*\)|@\w+|https?://\S+"
    r"|\b\d{1,2}:\d\d\s*(?:[aApP]\.?[mM]\.?)?(?:\s*\b(?:[A-Z]{1,3}T|GMT|UTC)\b)?"
    r"|\b(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4}"
)
_LEAD_IN = re.compile(r"^(?:by|von|par|avec|with|mit|door|por|posted)(?:\s+|$)", re.IGNORECASE)
_WORDS_OF_NAME = re.compile(r"[^\W\d_]{2}")
# Degrees and titles written after a name: "Brenda Goodman, MA", "Jane Roe, MD, PhD".
_CREDENTIAL = re.compile(
    r"^(?:MA|MS|MSc|BA|BSc|MD|PhD|Ph\.D\.|DO|RN|MPH|MBA|DDS|JD|Jr\.?|Sr\.?|II|III)$"
)
_JOINER = re.compile(r"\b(and|und|et)\b|&", re.IGNORECASE)


def split_names(raw: str, *, surname_first: bool = False) -> list[str]:
    """``By Ana Ruiz and Tom Ng`` → ``["Ana Ruiz", "Tom Ng"]``; with ``surname_first``
    (Dublin Core's library order), ``Kooman, F.`` → ``["F. Kooman"]``."""
    text = re.sub(r"^\s*(by|von|par|door|por)\s+", "", " ".join(raw.split()), flags=re.IGNORECASE)
    inverted = _SURNAME_FIRST.match(text) if surname_first else None
    if inverted and not _JOINER.search(inverted["given"]):
        return [f"{inverted['given']} {inverted['surname']}"]
    text = _NOT_A_NAME.sub(",", text).replace("(", ",").replace(")", ",")
    parts = re.split(r"\s*(?:,|&|\band\b|\bund\b|\bet\b)\s*", text)
    names = [_LEAD_IN.sub("", " ".join(p.strip(" -–—·|:;()").split())) for p in parts]
    return [
        n for n in names if _WORDS_OF_NAME.search(n) and len(n) < 80 and not _CREDENTIAL.match(n)
    ]


def _date(tree: HtmlElement, ld: dict[str, Any], meta: dict[str, str]) -> datetime | None:
    candidates = [_text(ld.get("datePublished"))]
    candidates += [meta.get(key.lower()) for key in _DATE_META]
    candidates += [
        e.get("content") or e.get("datetime") for e in tree.xpath('//*[@itemprop="datePublished"]')
    ][:1]
    candidates += [_text(ld.get("dateCreated"))]  # a draft's date, before publication
    candidates += [t.get("datetime") for t in tree.iter("time")][:3]
    for value in candidates:
        parsed = parse_date(value)
        if parsed is not None:
            return parsed
    return None


def parse_date(value: str | None) -> datetime | None:
    """An ISO 8601 date or date-time, always aware: UTC when the text gives no offset
    (``2026-03-04`` is common in ``<time datetime>``), so feed dates can be written."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    text = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", text)  # +0100 → +01:00 for Python 3.10
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        match = re.match(r"\d{4}-\d\d-\d\d", text)
        if not match:
            return None
        parsed = datetime.fromisoformat(match.group(0))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _language(tree: HtmlElement, ld: dict[str, Any], meta: dict[str, str]) -> str | None:
    html = tree if tree.tag == "html" else next(iter(tree.iter("html")), None)
    candidates = [
        html.get("lang") if html is not None else None,
        html.get("{http://www.w3.org/XML/1998/namespace}lang") if html is not None else None,
        _text(ld.get("inLanguage")),
        meta.get("og:locale"),
        meta.get("content-language"),
        meta.get("language"),
    ]
    for value in candidates:
        tag = language_tag(value)
        if tag:
            return tag
    return None


_LANGUAGE_TAG = re.compile(r"\s*([A-Za-z]{2})(?:[-_]([A-Za-z]{2}|\d{3}))?(?:[-_][A-Za-z0-9]+)*\s*$")


def language_tag(value: str | None) -> str | None:
    """``de``, ``de-AT``, ``en_GB``, ``es-419`` → ``de``, ``de-AT``, ``en-GB``, ``es-419``:
    the language and, where the page names one, its region, which speech (day/month
    order, what "$" means) and the choice of voice (``pt-BR`` before ``pt-PT``) read;
    None if it is not a language tag."""
    match = _LANGUAGE_TAG.match(value or "")
    if not match:
        return None
    language, region = match.group(1).lower(), match.group(2)
    return f"{language}-{region.upper()}" if region else language


def iso639_1(value: str | None) -> str | None:
    """``de-DE``, ``en_US``, ``fr`` → ``de``, ``en``, ``fr``; None if it is not a language tag."""
    if not value:
        return None
    match = re.match(r"\s*([A-Za-z]{2})(?:[-_][A-Za-z0-9]+)*\s*$", value)
    return match.group(1).lower() if match else None
