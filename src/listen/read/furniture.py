"""What an element is, when it is page furniture: its reason (helper of ``cleanup``).

Elements are judged by tag, by their ``class``/``id``/``role`` (``patterns``), by
the page's style sheet (``stylesheet``), and by short text: "Advertisement", a
credit, a teaser line, an appeal for a newsletter or a donation (``appeals``).
A caption is also known by repeating a picture's description.
"""

from __future__ import annotations

import functools
import re

from lxml.html import HtmlElement

from listen.read import patterns
from listen.read.appeals import MAX_APPEAL, appeal_reason
from listen.read.markup import short_text, squashed, text_of
from listen.read.stylesheet import HiddenRules
from listen.read.tables import table_reason
from listen.read.teasers import GRID_TAGS, is_teaser_grid


def alt_texts(root: HtmlElement) -> set[str]:
    """The pictures' descriptions (``alt``) long enough to be a caption's words."""
    return {squashed(alt) for img in root.iter("img") if len(alt := img.get("alt") or "") >= 25}


def repeats_alt_text(element: HtmlElement, alt_texts: set[str]) -> bool:
    """A short text block saying what a picture's ``alt`` says: its caption, wherever
    the page puts it (the Guardian lists a gallery's captions after the pictures)."""
    if not alt_texts or element.tag not in ("p", "li", "div"):
        return False
    opening = squashed((element.text or "")[:40])[:12]
    if len(opening) < 4 or not any(alt.startswith(opening) for alt in alt_texts):
        return False  # cheap: most blocks open with words no picture's description has
    text = short_text(element, 400)
    return text is not None and squashed(text) in alt_texts


def element_reason(
    element: HtmlElement, page_text: str, given: bool, hidden: HiddenRules, keep_captions: bool
) -> str | None:
    """Why ``element`` is furniture, or None. ``given`` is true in a body a site rule
    keeps; ``page_text`` is the text its size and repeats are weighed against."""
    tag = element.tag
    if not isinstance(tag, str):
        return None
    if tag in patterns.TAG_REASONS:
        return patterns.TAG_REASONS[tag]
    if tag == "table":
        return table_reason(element)
    if tag == "figcaption":
        return _keep_as_paragraph(element) if keep_captions else "caption"
    if tag in ("sup", "a") and _is_footnote_marker(element):
        return "footnote-marker"
    if tag == "a" and _is_permalink(element):
        return "permalink"
    if tag in ("ul", "ol") and _is_contents(element):
        return "navigation"
    if _is_hidden(element, hidden):
        return "hidden"
    reason = _attribute_reason(element, None if given else len(page_text))
    if reason == "caption" and keep_captions:
        return _keep_as_paragraph(element)
    if reason == "pull-quote" and not _repeated(element, page_text):
        return None  # a quote styled large but said only once is part of the text
    if reason is None and tag in patterns.TEXT_TAGS and not _holds_blocks(element):
        reason = _text_reason(element)  # (the blocks inside a container are judged each)
        if reason == "caption" and keep_captions:
            return None
    if reason is None and tag in GRID_TAGS and is_teaser_grid(element):
        return "teasers"
    return reason


def _is_hidden(element: HtmlElement, hidden: HiddenRules) -> bool:
    """Hidden by an attribute, an inline style or the page's style sheet: a browser
    shows none of it.

    Not the page's frame (``<body style="display:none">`` until a script has run).
    (A formula kept for screen readers is no longer hidden: see ``_formulas_as_text``.)
    """
    aria_hidden = (element.get("aria-hidden") or "").strip().casefold()  # as browsers read it
    if element.get("hidden") is not None or aria_hidden == "true":
        return True
    if element.tag in patterns.NEVER_BY_CLASS:
        return False
    style = element.get("style")
    if style and patterns.HIDDEN_STYLE.search(style) is not None:
        return True
    return hidden.hides(element)


def _attribute_reason(element: HtmlElement, body_size: int | None) -> str | None:
    names = f"{element.get('class') or ''} {_short_id(element.get('id') or '')}".strip()
    role = (element.get("role") or "").lower()
    if role in patterns.ROLE_REASONS:
        return (
            "cookie" if patterns.CLASS_REASONS[0][1].search(names) else patterns.ROLE_REASONS[role]
        )
    if element.tag in patterns.NEVER_BY_CLASS:
        return None
    if not names:
        return None
    for reason in _class_reasons(names, element.tag in patterns.INLINE_TAGS):
        if _plausible(element, reason, body_size):
            if reason == "comments" and patterns.LIVE_COMMENTARY.search(names):
                return None
            return reason
    return None


def class_reasons_cache_clear() -> None:
    """Forget the class names read so far (after changing ``patterns.CLASS_REASONS``)."""
    _class_reasons.cache_clear()


@functools.lru_cache(maxsize=4096)
def _class_reasons(names: str, inline: bool) -> tuple[str, ...]:
    """The reasons whose class words ``names`` holds, in order (a page repeats its class
    names, a site its templates: each is read once)."""
    return tuple(
        reason
        for reason, pattern in patterns.CLASS_REASONS
        if (not inline or reason in patterns.INLINE_REASONS) and pattern.search(names)
    )


def _short_id(value: str) -> str:
    """An id, unless it is a slug made from a heading (``sharing-with-two-developers``)."""
    return value if len(re.split(r"[-_]", value)) <= 3 else ""


def _plausible(element: HtmlElement, reason: str, body_size: int | None) -> bool:
    """Guard against wrappers whose class happens to match (``has-comments``, ``meta-wrap``).
    ``body_size`` is None in a body a site rule keeps, where no size spares a wrapper."""
    limit = patterns.SHORT_ONLY.get(reason)
    if limit is not None:
        return short_text(element, limit) is not None
    if reason not in patterns.LISTENER_REASONS or body_size is None:
        return True  # were it the article, clean_tree holds it back, by its running text
    size = len(text_of(element))
    if reason in patterns.ANY_SIZE and _mostly_pictures(element, size):
        return body_size - size >= 500  # however long, as long as an article is left beside it
    # A listener rule is never held back: a wrapper this big is not what its class says.
    return size < 1500 or size < body_size * 0.4


def _mostly_pictures(element: HtmlElement, size: int) -> bool:
    """Three pictures or more, with little text to each (a slideshow's captions)."""
    pictures = sum(1 for _ in element.iter("img", "picture", "figure"))
    pictures += len(element.xpath(".//*[@data-original or @data-src or @data-lazy-src]"))
    return pictures >= 3 and size < 400 * pictures


def _holds_blocks(element: HtmlElement) -> bool:
    return any(child.tag in patterns.BLOCK_TAGS for child in element)


def _text_reason(element: HtmlElement) -> str | None:
    text = short_text(element, MAX_APPEAL)
    if not text:
        return None
    reason = furniture_line(text)
    if reason is None and element.tag in patterns.TEASER_TAGS and _is_teaser(element, text):
        return "related"
    return reason


def furniture_line(text: str) -> str | None:
    """The reason a short block is page furniture by its words alone ("Advertisement",
    "Share this article", "Photo: Ana Ruiz", "Sign up for our newsletter …"), or None."""
    if len(text) <= 160:
        for reason, pattern in patterns.TEXT_REASONS:
            if not pattern.search(text):
                continue
            if reason == "credit" and not _names_only(text):
                continue  # "Artwork by local children hangs in the hall"
            if reason == "related" and _SENTENCE.search(text):
                continue  # "Weitere Informationen finden Sie hier." is a sentence
            return reason
    return appeal_reason(text)


_SENTENCE = re.compile(r"\w\s*[.?]\s*$")


def _names_only(credit: str) -> bool:
    """"Portrait by George Del Barrio", not "Artwork by local children hangs in …"."""
    if credit.lstrip("( ").startswith("©"):
        return True  # a copyright line
    named = re.split(r"(?:\bby\b|:|©)\s*", credit, maxsplit=1, flags=re.IGNORECASE)[-1]
    return all(
        word[:1].isupper() or len(word) < 4 or word.lower() in patterns.CREDIT_WORDS_ALLOWED
        for word in re.findall(r"[^\W\d_]+", named)
    )


def _is_teaser(block: HtmlElement, text: str) -> bool:
    """A whole block reading "Learn more about X" or "Related: …" that is a link, or
    has no full stop (not "See: the council never answered.")."""
    if len(text) > 160 or not patterns.TEASER.match(text):
        return False
    linked = sum(len(text_of(a)) for a in block.iter("a"))
    return linked >= 0.6 * len(text) or not re.search(r"[.!?]$", text)


def _keep_as_paragraph(caption: HtmlElement) -> str | None:
    """Keep a caption as a paragraph (trafilatura drops ``<figure>`` content); no reason."""
    caption.tag = "p"
    for figure in caption.iterancestors("figure"):
        figure.tag = "div"
    return None




def _repeated(element: HtmlElement, page_text: str) -> bool:
    """True if the element's opening words appear elsewhere on the page too."""
    probe = text_of(element).strip("“”\"' ").casefold()[:50]
    return len(probe) > 15 and page_text.casefold().count(probe) >= 2




def _is_permalink(link: HtmlElement) -> bool:
    """A heading's own anchor: ``<a href="#setup">#</a>``, or ``¶``, ``§``, ``🔗``."""
    return (link.get("href") or "").startswith("#") and text_of(link) in ("#", "¶", "§", "🔗")


def _is_contents(list_element: HtmlElement) -> bool:
    """A list of links into the page itself, and nothing else: a table of contents."""
    items = [item for item in list_element if item.tag == "li"]
    if len(items) < 3:
        return False
    for item in items:
        inward = [a for a in item.iter("a") if (a.get("href") or "").startswith("#")]
        linked = sum(len(text_of(a)) for a in inward)
        if not inward or linked < 0.8 * len(text_of(item)):
            return False
    return True


def _is_footnote_marker(element: HtmlElement) -> bool:
    """``<sup>[1]</sup>``, ``<a href="#fn1">1</a>``, ``<a href="#fnref1">↩</a>``, and
    the page a citation points to, ``<sup>:p. 234</sup>`` (Wikipedia)."""
    text = short_text(element, 16)
    if element.tag == "sup" and text and patterns.PAGE_CITATION.match(text):
        return True
    if text is None or len(text) > 12 or not patterns.MARKER_TEXT.match(text):
        return False
    if element.tag == "sup":
        return True
    return bool(patterns.FOOTNOTE_HREF.search(element.get("href") or "")) or "↩" in text
