"""Remove page furniture before main-content selection (helper of ``extract``).

One top-down walk over the lxml tree drops, and records with a reason, what a
listener should not hear: navigation, share bars, related teasers, newsletter
boxes, ads, comments, cookie notices, bylines, captions, player labels, footnote
markers and lists, tables, code and embeds. Elements are judged by tag, by their
``class``/``id``/``role`` and by short text such as "Advertisement".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml.html import HtmlElement

from listen import patterns
from listen.models import Dropped


def clean_tree(root: HtmlElement, *, keep_captions: bool = False) -> list[Dropped]:
    """Drop furniture from ``root`` in place; return what was dropped and why."""
    for element in list(root.iter(*patterns.SILENT_TAGS)):
        element.drop_tree()
    page_text = _text(root)
    dropped: list[Dropped] = []
    for element in _walk(root):
        reason = _reason(element, page_text, keep_captions)
        if reason is None:
            continue
        text = _text(element)
        if text:
            dropped.append(Dropped(text[:300], reason))
        element.drop_tree()  # keeps the tail text, which belongs to the parent
    return dropped


def _walk(root: HtmlElement) -> Iterator[HtmlElement]:
    """Pre-order, without descending into an element the caller has just dropped."""
    stack = [root]
    while stack:
        element = stack.pop()
        yield element
        if element.getparent() is not None or element is root:
            stack.extend(child for child in reversed(element) if isinstance(child.tag, str))


def _reason(element: HtmlElement, page_text: str, keep_captions: bool) -> str | None:
    tag = element.tag
    if not isinstance(tag, str):
        return None
    if tag == "pre" and _is_prose(element.text_content()):
        _prose_to_paragraphs(element)
        return None
    if tag in patterns.TAG_REASONS:
        return patterns.TAG_REASONS[tag]
    if tag == "table":
        return _table_reason(element)
    if tag == "figcaption":
        return _keep_as_paragraph(element) if keep_captions else "caption"
    if tag in ("sup", "a") and _is_footnote_marker(element):
        return "footnote-marker"
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return "hidden"
    reason = _attribute_reason(element, len(page_text))
    if reason == "caption" and keep_captions:
        return _keep_as_paragraph(element)
    if reason == "pull-quote" and not _repeated(element, page_text):
        return None  # a quote styled large but said only once is part of the text
    if reason is None and tag in patterns.TEXT_TAGS:
        reason = _text_reason(element)
    return reason


def _attribute_reason(element: HtmlElement, body_size: int) -> str | None:
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
    inline = element.tag in patterns.INLINE_TAGS
    for reason, pattern in patterns.CLASS_REASONS:
        if inline and reason not in patterns.INLINE_REASONS:
            continue
        if pattern.search(names) and _plausible(element, reason, body_size):
            return reason
    return None


def _short_id(value: str) -> str:
    """An id, unless it is a slug made from a heading (``sharing-with-two-developers``)."""
    return value if len(re.split(r"[-_]", value)) <= 3 else ""


def _plausible(element: HtmlElement, reason: str, body_size: int) -> bool:
    """Guard against wrappers whose class happens to match (``has-comments``, ``meta-wrap``)."""
    limit = patterns.SHORT_ONLY.get(reason)
    if limit is not None:
        return _short_text(element, limit) is not None
    size = len(_text(element))
    return size < 1500 or size < body_size * 0.4


def _text_reason(element: HtmlElement) -> str | None:
    text = _short_text(element, 160)
    if not text:
        return None
    for reason, pattern in patterns.TEXT_REASONS:
        if pattern.search(text):
            return reason
    return None


def _keep_as_paragraph(caption: HtmlElement) -> str | None:
    """Keep a caption as a paragraph (trafilatura drops ``<figure>`` content); no reason."""
    caption.tag = "p"
    for figure in caption.iterancestors("figure"):
        figure.tag = "div"
    return None


def _is_prose(text: str) -> bool:
    """True for preformatted prose (a plain-text RFC, a letter), not a code listing.

    Most of its lines are runs of words with hardly a bracket or operator, and its
    sentences have commas and full stops; shell sessions, SQL and code have neither.
    """
    words = patterns.WORD.findall(text)
    if len(words) < 40:
        return False
    lines = [line for line in text.splitlines() if line.strip()]
    wordy = sum(
        1
        for line in lines
        if len(patterns.WORD.findall(line)) >= 5 and len(patterns.CODE_SYMBOL.findall(line)) <= 2
    )
    punctuated = len(patterns.SENTENCE_PUNCTUATION.findall(text))
    return wordy >= len(lines) / 2 and punctuated * 50 >= len(words)


def _prose_to_paragraphs(pre: HtmlElement) -> None:
    """Rewrite a prose ``<pre>`` as a division of paragraphs, one per blank-line block."""
    chunks = [" ".join(chunk.split()) for chunk in re.split(r"\n\s*\n", pre.text_content())]
    tail = pre.tail
    pre.clear()
    pre.tag = "div"
    pre.tail = tail
    for chunk in chunks:
        if chunk:
            paragraph = pre.makeelement("p", {})
            paragraph.text = chunk
            pre.append(paragraph)


def _repeated(element: HtmlElement, page_text: str) -> bool:
    """True if the element's opening words appear elsewhere on the page too."""
    probe = _text(element).strip("“”\"' ")[:50]
    return len(probe) > 15 and page_text.count(probe) >= 2


def _table_reason(table: HtmlElement) -> str | None:
    """Drop a data table; turn a layout table (prose in its cells) into plain divisions."""
    if not _is_layout_table(table):
        return "table"
    for part in table.iter("table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption"):
        part.tag = "div"
    return None


def _is_layout_table(table: HtmlElement) -> bool:
    if (
        next(table.iterdescendants("table", "p", "h1", "h2", "h3", "h4", "blockquote"), None)
        is not None
    ):
        return True
    return any(len(cell.text_content()) > 250 for cell in table.iter("td", "th"))


def _is_footnote_marker(element: HtmlElement) -> bool:
    """``<sup>[1]</sup>``, ``<a href="#fn1">1</a>``, ``<a href="#fnref1">↩</a>``."""
    text = _short_text(element, 12)
    if text is None or not patterns.MARKER_TEXT.match(text):
        return False
    if element.tag == "sup":
        return True
    return bool(patterns.FOOTNOTE_HREF.search(element.get("href") or "")) or "↩" in text


def _short_text(element: HtmlElement, limit: int) -> str | None:
    """The element's text if it is at most ``limit`` characters, else None (read lazily)."""
    size = 0
    parts: list[str] = []
    for piece in element.itertext():
        size += len(piece)
        if size > limit * 3:
            return None
        parts.append(piece)
    text = " ".join("".join(parts).split())
    return text if len(text) <= limit else None


def _text(element: HtmlElement) -> str:
    return " ".join(" ".join(element.itertext()).split())
