"""How much running text an element holds: the measure behind "never lose the article".

A page's main text is its running prose: long runs of words outside links. Menus,
tag clouds, teaser grids and footers are made of short runs or of link text, so
they weigh little however many words they have. ``cleanup`` holds back a rule that
would remove an element holding most of the page's prose, and ``extract`` compares
what it kept with that weight to tell when to check its result against trafilatura's.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from listen.read import patterns

# Text no reader sees: scripts, styles (not ``<noscript>``, which may hold the article).
_UNSEEN = patterns.SILENT_TAGS - {"noscript"}

# A run of fewer characters is a label, a menu entry or a date, not prose. Forty
# characters is six to eight words in European languages (and a sentence in Chinese).
MIN_RUN = 40
# "Most of the page's main text": more than this share of its prose.
MOST = 0.5
# Hidden text is left out even when it is most of the page (a test page, a second copy
# for another screen size), unless it is nearly all of it: a page that hides its
# article until a script has run.
NEARLY_ALL = 0.9


def prose_size(element: HtmlElement) -> int:
    """Characters in runs of text of at least ``MIN_RUN`` characters, link text left out."""
    size = 0
    for node in element.iter():
        if isinstance(node.tag, str) and node.tag not in _UNSEEN:
            size += _run(node.text)
        if node is not element:
            size += _run(node.tail)
    for link in element.iter("a"):  # rare and small: take their words out again
        size -= _run(link.text)
        for inner in link.iterdescendants():
            size -= _run(inner.text) + _run(inner.tail)
    return size


def _run(text: str | None) -> int:
    if not text or len(text) < MIN_RUN:
        return 0
    length = len(text.strip())
    return length if length >= MIN_RUN else 0


class MainText:
    """The page's prose, measured once, to judge the elements a rule would remove."""

    def __init__(self, root: HtmlElement | None) -> None:
        self.total = prose_size(root) if root is not None else 0
        self.given = root is None

    @classmethod
    def given_by_publisher(cls) -> MainText:
        """For the body a site rule keeps: the publisher has said where the article is,
        so no furniture rule inside it is held back or spared for its size."""
        return cls(None)

    def held_by(self, element: HtmlElement, text_size: int, share: float = MOST) -> bool:
        """Whether ``element`` (whose text is ``text_size`` characters) holds more than
        ``share`` of the page's prose; its text size bounds its prose, so that most
        elements cost nothing to judge."""
        limit = self.total * share
        return self.total > 0 and text_size > limit and prose_size(element) > limit

    def holds(self, size: int, share: float = MOST) -> bool:
        """Whether ``size`` characters of prose are more than ``share`` of the page's."""
        return self.total > 0 and size > self.total * share
