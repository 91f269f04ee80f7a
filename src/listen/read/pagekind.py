"""Pages that are not an article: a server's directory listing, a tag or category page,
a search results page (helper of ``extract``).

Each is known by what servers and publishing systems write into it, never by its
content alone: the title "Index of /audio" of Apache's and nginx's listings, the
``<body class="archive tag">`` and ``search-results`` classes of WordPress, a
heading "Tag: …" over a row of posts, schema.org's ``SearchResultsPage``. Such a
page ends in "no article text found", saying what was found instead.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

_LISTING = re.compile(r"^\s*(?:index of|directory listing for)\s+/", re.IGNORECASE)
_SEARCH = re.compile(
    r"^\s*(?:search results?|results for|suchergebnisse|ergebnisse für|"
    r"résultats? de (?:la )?recherche|résultats? pour|resultados de (?:la )?búsqueda|"
    r"resultados para)\b",
    re.IGNORECASE,
)
_ARCHIVE = re.compile(
    r"^\s*(?:(?P<tag>tag|tagged|posts tagged|schlagwort|stichwort|étiquette|mot-clé|etiqueta)"
    r"|(?P<category>category|categories|kategorie|rubrik|catégorie|rubrique|categoría|sección))"
    r"\s*(?:[:–—-]|archives?\b)",
    re.IGNORECASE,
)
# A tag page lists posts: at least this many teasers (an <article> or a linked heading each).
MIN_TEASERS = 3


def not_an_article(tree: HtmlElement, title: str | None) -> str | None:
    """What the page is instead of an article ("a directory listing (Index of /audio)"),
    or None when it may hold one."""
    heading = next((_flat(h) for h in tree.iter("h1") if _flat(h)), "")
    named = [text for text in (title or "", heading, _document_title(tree)) if text]
    for text in named:
        if _LISTING.match(text):
            return f"a server's directory listing ({text})"
    classes = set((_body(tree).get("class") or "").split())
    if classes & {"search-results", "search-no-results"} or any(_SEARCH.match(t) for t in named):
        return f"a search results page ({_shown(named)})"
    if "SearchResultsPage" in _json_ld(tree):
        return f"a search results page ({_shown(named)})"
    archive = next((m for m in map(_ARCHIVE.match, named) if m), None)
    wordpress = "archive" in classes and bool(classes & {"tag", "category"})
    if not (archive or wordpress):
        return None
    teasers = _teasers(tree)
    if teasers < MIN_TEASERS:
        return None
    kind = "tag" if (archive and archive["tag"]) or "tag" in classes else "category"
    return f"a {kind} page ({_shown(named)}) listing {teasers} posts"


def _teasers(tree: HtmlElement) -> int:
    """Posts listed: ``<article>`` elements, else headings whose words are one link."""
    articles = sum(1 for _ in tree.iter("article"))
    if articles >= MIN_TEASERS:
        return articles
    linked = 0
    for heading in tree.iter("h2", "h3"):
        links = list(heading.iter("a"))
        if len(links) == 1 and _flat(links[0]) == _flat(heading) != "":
            linked += 1
    return linked


def _json_ld(tree: HtmlElement) -> str:
    return " ".join(
        script.text or ""
        for script in tree.iter("script")
        if "ld+json" in (script.get("type") or "").lower()
    )


def _body(tree: HtmlElement) -> HtmlElement:
    body = tree.find("body")
    return body if body is not None else tree


def _document_title(tree: HtmlElement) -> str:
    return next((_flat(t) for t in tree.iter("title")), "")


def _shown(named: list[str]) -> str:
    return named[0] if named else "untitled"


def _flat(element: HtmlElement) -> str:
    return " ".join(element.text_content().split())
