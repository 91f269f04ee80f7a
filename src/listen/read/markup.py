"""Small readings of lxml elements shared by the extraction helpers."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from listen.read import patterns


def is_block(element: HtmlElement) -> bool:
    """A block, or inline markup around one (``<span><div>…</div></span>``)."""
    if element.tag in patterns.BLOCK_TAGS:
        return True
    return element.tag != "br" and any(True for _ in element.iterdescendants(*patterns.BLOCK_TAGS))


def short_text(element: HtmlElement, limit: int) -> str | None:
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


def text_of(element: HtmlElement) -> str:
    return " ".join(" ".join(element.itertext()).split())


def squashed(text: str) -> str:
    """The text's letters and digits alone, case folded: to tell two spellings of one
    name apart from two names ("List of X" and "List of x!")."""
    return re.sub(r"\W+", "", text).casefold()
