"""Where the narrated blocks and the headline lie in a page's own markup (``listen embed``).

The page is parsed with Python's own HTML parser (through BeautifulSoup), which
knows where in the text each tag begins, and nothing is re-serialised: the answer is
a set of character offsets, so the caller can insert its marks and player and leave
every other character of the page as it was.

A block is found by its words, in order: the run of block elements (``p``, ``li``,
headings …) from where the last block was found, whose own words are the block's,
allowing the page words the narration leaves out (a footnote marker, say) and a
paragraph that an ad cut in two. The player's script finds blocks the same way on a
page that carries no marks (``assets/player.js``, ``findBlocks``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bs4 import BeautifulSoup, NavigableString, Tag
from soupsieve import SelectorSyntaxError

from listen.errors import SourceError

BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "dd", "dt",
              "figcaption", "pre", "td", "th")
_UNREAD = {"script", "style", "noscript", "template", "textarea"}
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060]")
_WORD = re.compile(r"[^\W_]+")
_START_TAG = re.compile(
    r"""<[A-Za-z][^\s/>]*(?:\s+[^\s/>"'=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?|\s*/(?!>))*\s*(/?>)"""
)
_SHARE = 0.8
"""Of a block element's own words, how many must be the narration's for it to count."""
_INTRUDERS = 2
"""Elements that may interrupt a block (an ad inside a paragraph)."""


@dataclass(frozen=True)
class Placement:
    """Offsets in the page's text: where each found block's start tag can take an
    attribute (just before its ``>``), and where the player goes."""

    marks: tuple[tuple[int, str], ...]
    """(offset, block id), one per element; a block cut in two has two."""
    missing: tuple[str, ...]
    """Ids of the blocks not found on the page."""
    player_at: int


def words(text: str) -> list[str]:
    """The words of ``text`` as keys to compare: letters and digits, lower case."""
    return _WORD.findall(_INVISIBLE.sub("", text).lower())


def locate(
    html: str, blocks: Sequence[tuple[str, str]], *, title: str, at: str | None = None
) -> Placement:
    """Find ``blocks`` (id, text) in ``html``; the player goes after the headline (the
    ``<h1>`` that is the title, else the first), or before the element ``at`` selects."""
    soup = BeautifulSoup(html, "html.parser")
    lines = [0] + [m.end() for m in re.finditer("\n", html)]
    candidates = _candidates(soup)
    marks: list[tuple[int, str]] = []
    missing: list[str] = []
    cursor = 0
    for block_id, text in blocks:
        run = _match_run(words(text), [keys for _, keys in candidates], cursor)
        if run is None:
            missing.append(block_id)
            continue
        for index in run:
            marks.append((_attribute_offset(html, _start(candidates[index][0], lines)),
                          block_id))
        cursor = run[-1] + 1
    player_at = _player_offset(html, soup, lines, title, at, marks)
    return Placement(tuple(marks), tuple(missing), player_at)


def _candidates(soup: BeautifulSoup) -> list[tuple[Tag, list[str]]]:
    """Block elements in document order, each with its own words (not those of a
    block element inside it), leaving out those with none."""
    own: dict[int, list[str]] = {}
    for string in soup.find_all(string=True):
        if type(string) is not NavigableString:  # comments, doctype, CDATA
            continue
        owner = None
        for parent in string.parents:
            if parent.name in _UNREAD:
                owner = None
                break
            if owner is None and parent.name in BLOCK_TAGS:
                owner = parent
        if owner is not None:
            own.setdefault(id(owner), []).extend(words(str(string)))
    return [(tag, own[id(tag)]) for tag in soup.find_all(BLOCK_TAGS) if own.get(id(tag))]


def _match_run(
    wanted: list[str], candidates: Sequence[list[str]], start: int
) -> list[int] | None:
    """The first run of candidates, from ``start`` on, whose words spell ``wanted``; up
    to ``_INTRUDERS`` elements inside it that are not the narration's (an ad's) are
    passed over."""
    if not wanted:
        return None
    for first in range(start, len(candidates)):
        run, got, passed, index = [], 0, 0, first
        while index < len(candidates) and got < len(wanted):
            after = _consume(candidates[index], wanted, got)
            if after >= 0:
                run.append(index)
                got = after
            elif not run or passed == _INTRUDERS:
                break
            else:
                passed += 1
            index += 1
        if got >= len(wanted):
            return run
    return None


def _consume(keys: list[str], wanted: list[str], got: int) -> int:
    """How far into ``wanted`` one element's words reach from ``got``, or -1 when fewer
    than ``_SHARE`` of them are the narration's."""
    matched = 0
    for key in keys:
        if got < len(wanted) and key == wanted[got]:
            matched, got = matched + 1, got + 1
    return got if matched and matched >= _SHARE * len(keys) else -1


def _start(tag: Tag, lines: list[int]) -> int:
    if tag.sourceline is None or tag.sourcepos is None:
        raise SourceError(f"cannot tell where <{tag.name}> is in the page: save the page "
                          "as HTML and give its path")
    return lines[tag.sourceline - 1] + tag.sourcepos


def _attribute_offset(html: str, start: int) -> int:
    """Where an attribute can go in the start tag at ``start``: before ``>`` or ``/>``."""
    match = _START_TAG.match(html, start)
    if match is None:
        raise SourceError(f"cannot read the tag at character {start} of the page: save the "
                          "page as HTML and give its path")
    return match.start(1)


def _player_offset(
    html: str, soup: BeautifulSoup, lines: list[int], title: str, at: str | None,
    marks: list[tuple[int, str]],
) -> int:
    if at is not None:
        try:
            chosen = soup.select_one(at)
        except SelectorSyntaxError as exc:
            raise SourceError(f"--at {at!r} is not a CSS selector ({exc}): give one such "
                              "as 'article h1' or '.entry-content'") from exc
        if chosen is None:
            raise SourceError(f"--at {at!r} matches nothing on the page: name an element "
                              "it has")
        return _start(chosen, lines)
    headings = soup.find_all("h1")
    headline = next((h for h in headings if words(h.get_text()) == words(title)),
                    headings[0] if headings else None)
    if headline is not None:
        end = re.compile(r"</h1\s*>", re.IGNORECASE).search(html, _start(headline, lines))
        if end is not None:
            return end.end()
    if marks:  # no headline: before the first narrated block's element
        return html.rfind("<", 0, marks[0][0])
    body = soup.find("body")
    return _attribute_offset(html, _start(body, lines)) + 1 if isinstance(body, Tag) else 0
