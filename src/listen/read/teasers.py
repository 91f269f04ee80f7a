"""Teaser grids known by their shape, whatever their class names (helper of ``furniture``).

A row of teasers for other pages repeats one card: a headline that is wholly a link
elsewhere, at most a one-paragraph summary and a picture. An article's own list
items say more (a listicle's entry runs to paragraphs), so the shape tells them apart.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from listen.read.markup import short_text, text_of

GRID_TAGS = {"ul", "ol", "div", "section"}
MIN_CARDS = 3
# A card's summary: one paragraph of at most this many characters.
MAX_SUMMARY = 320
_HEADINGS = ("h2", "h3", "h4", "h5")


def is_teaser_grid(element: HtmlElement) -> bool:
    """At least three children, nearly all of them teaser cards."""
    items = [child for child in element if isinstance(child.tag, str)]
    if len(items) < MIN_CARDS:
        return False
    cards = 0
    for index, item in enumerate(items):
        if _is_card(item):
            cards += 1
        elif index - cards >= max(1, len(items) // 5):
            return False  # more than a fifth are not cards: stop reading early
    return cards >= MIN_CARDS and cards >= 0.8 * len(items)


def _is_card(item: HtmlElement) -> bool:
    if short_text(item, MAX_CARD) is None:
        return False  # read lazily: a wrapper holding the page costs a few hundred words
    headings = list(item.iter(*_HEADINGS))
    if len(headings) != 1 or not _links_away(headings[0]):
        return False
    headline = len(text_of(headings[0]))
    paragraphs = [p for p in item.iter("p") if text_of(p)]
    if len(paragraphs) > 1 or any(len(text_of(p)) > MAX_SUMMARY for p in paragraphs):
        return False
    return len(text_of(item)) <= headline + MAX_SUMMARY + 80  # a date or a byline at most


MAX_CARD = 600  # a headline, a summary and a byline


def _links_away(heading: HtmlElement) -> bool:
    """The heading's words are one link to another page (inside it, or around it)."""
    links = list(heading.iter("a")) or list(heading.iterancestors("a"))[:1]
    if len(links) != 1:
        return False
    href = (links[0].get("href") or "").strip()
    return bool(href) and not href.startswith("#") and text_of(links[0]) == text_of(heading)
