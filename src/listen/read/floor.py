"""trafilatura's choice of the main content, and the floor it sets (helper of ``extract``).

listen lets trafilatura choose the article in a page it has cleaned of furniture.
The cleaning must never cost the article: when listen keeps little of the page's
running text, trafilatura also reads the untouched page, and if listen's result
lacks much of what trafilatura finds there, for no reason listen gives (code,
tables of figures, references, captions, teasers, bylines …), trafilatura's blocks
are read instead, with listen's text-level rules on top.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.core import determine_returnstring
from trafilatura.settings import Document, Extractor

from listen.models import Block, Dropped
from listen.read import blocks as blocklib
from listen.read.furniture import furniture_line

# The second trafilatura pass costs about as much as the first: it runs only where
# listen kept less than this share of the page's running text (``prose.prose_size``;
# headings and short lines count in what it kept, menus in neither). On the two dev
# sets (822 pages) every page where reading trafilatura's choice instead helped had
# kept under 0.27 of it; at 0.3 the check runs on 6% of the pages (13% at 0.5).
CHECK_BELOW = 0.3
# listen's result falls short when the text trafilatura finds on the untouched page
# and listen neither reads nor leaves out for a stated reason is more than this share
# of trafilatura's text. On the dev sets, reading trafilatura's choice instead gained
# passages, taken together, on the pages above a half, and none between 0.4 and 0.5.
SHORT_BY = 0.5
# Reasons that do not account for text trafilatura finds in the article: they are
# where a cleanup rule can take the article with it (a main column that says
# ``sidebar``, a page wrapped in a ``<form>``), or trafilatura's own choice on the
# cleaned page. (Hidden text is left out for a reason: nobody sees it.)
UNACCOUNTED = {"outside-article", "sidebar", "aside", "form", "header", "footer"}
# Furniture that is short by nature (a newsletter box, a share bar, a byline): a piece
# longer than this is not what its class says (a paywalled article's body in a
# ``membership`` box) and accounts for nothing. On the two dev sets nine in ten
# newsletter boxes, share bars, ads and tag lists are under 410 characters, and every
# byline, breadcrumb, credit and button under 260. (Menus, cookie notices and pop-ups
# run long by nature: they always account for what they hold.)
SHORT_BY_NATURE = {
    "newsletter", "share", "ad", "tags", "byline", "breadcrumb", "player", "credit", "button",
}
FURNITURE_SIZE = 500
# Less text than this is no article ("Home", "Menu"), wherever it comes from.
MIN_ARTICLE = 50


# What trafilatura.extract(output_format="xml", include_comments=False, …) does, without
# the content fingerprint it adds to XML output: a fifth of its time, and unused here.
_OPTIONS = Extractor(
    output_format="xml",
    comments=False,
    tables=False,
    images=False,
    links=False,
    formatting=False,
    dedup=False,
    with_metadata=False,
)


def trafilatura_blocks(tree: HtmlElement) -> list[Block]:
    """trafilatura's choice of the main content in ``tree``, as blocks (its XML output:
    headings, paragraphs, quotes and list items in order; tables, pictures, comments
    left out)."""
    document = bare_extraction(tree, options=_OPTIONS)
    if not isinstance(document, Document):
        return []
    xml = determine_returnstring(document, _OPTIONS)
    return blocklib.nonempty(blocklib.from_xml(xml)) if xml else []


@dataclass(frozen=True)
class Floor:
    """listen's result, weighed against trafilatura's choice on the untouched page."""

    blocks: list[Block]
    dropped: list[Dropped]
    note: str | None = None
    """Said in ``--explain`` when trafilatura's blocks were read instead."""


def keep_the_floor(
    blocks: list[Block],
    dropped: list[Dropped],
    *,
    page_prose: int,
    untouched: Callable[[], HtmlElement],
    authors: tuple[str, ...],
) -> Floor:
    """``blocks``, or trafilatura's blocks from the ``untouched`` page (parsed anew
    only when needed) when listen's fall short of them."""
    kept = sum(len(block.text) for block in blocks)
    if kept >= MIN_ARTICLE and kept >= CHECK_BELOW * page_prose:
        return Floor(blocks, dropped)
    found = trafilatura_blocks(untouched())
    if sum(len(block.text) for block in found) < MIN_ARTICLE:
        return Floor(blocks, dropped)  # nothing there either: no article
    if kept >= MIN_ARTICLE:
        unread = _short_of(blocks, dropped, found)
        if unread is None:
            return Floor(blocks, dropped)
        found = unread
    note = (
        f"the cleaned page gave {_words(blocks)} words; trafilatura finds {_words(found)} on "
        "the untouched page, text listen has no reason to leave out: read trafilatura's "
        "choice instead, with listen's text rules"
    )
    floor, floor_dropped = _text_rules(found, authors)
    dropped = [item for item in dropped if item.reason != "outside-article"]
    return Floor(floor, dropped + floor_dropped, note)


def _short_of(
    blocks: list[Block], dropped: list[Dropped], found: list[Block]
) -> list[Block] | None:
    """None if listen's blocks hold what trafilatura ``found``, but for what listen left
    out for a stated reason; else trafilatura's blocks, without that."""
    accounted = _Accounted(blocks, dropped)
    unaccounted = sum(
        len(block.text)
        for block in found
        if not accounted.read(block) and not accounted.left_out(block)
    )
    if unaccounted <= SHORT_BY * sum(len(block.text) for block in found):
        return None
    return [block for block in found if accounted.read(block) or not accounted.left_out(block)]


def _text_rules(blocks: list[Block], authors: tuple[str, ...]) -> tuple[list[Block], list[Dropped]]:
    """listen's text-level rules over blocks it did not choose: footnote markers and
    sections, repeated bylines, and short furniture lines ("Advertisement")."""
    kept: list[Block] = []
    dropped: list[Dropped] = []
    for block in blocks:
        reason = furniture_line(block.text)
        if reason is None:
            kept.append(block)
        else:
            dropped.append(Dropped(block.text, reason))
    polished, removed = blocklib.polish(kept, authors=authors)
    return polished, dropped + removed


def _words(blocks: list[Block]) -> int:
    return sum(len(block.text.split()) for block in blocks)


class _Accounted:
    """What listen did with each block trafilatura finds: read it, or left it out and
    why. Texts are compared by runs of three words, which survive blocks cut or
    spaced another way and a formula written out differently."""

    def __init__(self, blocks: list[Block], dropped: list[Dropped]) -> None:
        self._said = _shingles(" ".join(block.text for block in blocks))
        self._left_out = _shingles(" ".join(item.text for item in dropped if _accounts(item)))

    def read(self, block: Block) -> bool:
        return _mostly_in(block, self._said)

    def left_out(self, block: Block) -> bool:
        return _mostly_in(block, self._left_out)


def _accounts(item: Dropped) -> bool:
    """Whether a piece listen left out is a reason not to read what it holds."""
    if item.reason in UNACCOUNTED:
        return False
    return item.reason not in SHORT_BY_NATURE or len(item.text) <= FURNITURE_SIZE


def _mostly_in(block: Block, shingles: set[tuple[str, ...]]) -> bool:
    own = _shingles(block.text)
    return bool(own) and len(own & shingles) * 2 >= len(own)


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    if len(words) < 3:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


_WORD = re.compile(r"\w+")
