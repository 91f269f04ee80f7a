"""Preformatted text: prose read as paragraphs, listings left out (helper of ``cleanup``).

A ``<pre>`` is judged blank-line block by blank-line block. In a plain-text document
(an RFC, where every page is a ``<pre>``) its section titles become headings and its
running heads, feet, contents lines, example requests and address blocks go.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from listen.models import Dropped
from listen.read import patterns
from listen.read.markup import text_of


def is_plain_text_document(root: HtmlElement) -> bool:
    """Most of the page's text is preformatted: a plain-text RFC, mail or README."""
    in_pre = sum(len(text_of(pre)) for pre in root.iter("pre"))
    if in_pre == 0:
        return False
    silent = sum(len(text_of(element)) for element in root.iter(*patterns.SILENT_TAGS))
    page_size = len(text_of(root)) - silent
    return page_size > 0 and in_pre >= 0.5 * page_size


def read_pre(pre: HtmlElement, plain: bool, dropped: list[Dropped]) -> str | None:
    """Rewrite a prose ``<pre>`` as headings and paragraphs, recording what it leaves
    out; return "code" when the ``<pre>`` is a listing, to be dropped whole."""
    reading = _read_preformatted(pre.text_content(), plain=plain)
    if reading is None:
        return "code"
    blocks, left_out = reading
    dropped.extend(left_out)
    tail = pre.tail
    pre.clear()
    pre.tag = "div"
    pre.tail = tail
    for tag, text in blocks:
        block = pre.makeelement(tag, {})
        block.text = text
        pre.append(block)
    return None


def _read_preformatted(
    text: str, *, plain: bool = False
) -> tuple[list[tuple[str, str]], list[Dropped]] | None:
    """The headings and paragraphs of a prose ``<pre>`` (as ``(tag, text)``) and what
    was left out, or None when it is a listing.

    Paragraphs are blank-line blocks, each judged on its own. In an article a
    ``<pre>`` is prose when prose blocks hold most of its words. In a ``plain``
    document (a plain-text RFC, where every page is a ``<pre>``) the prose blocks are
    kept, short title lines become headings, and example requests, title pages and
    address blocks between them are left out. Page headers and footers
    (``[Page 3]``) and contents lines with dot leaders go.
    """
    lines = text.replace("\f", "\n").split("\n")
    left_out = [
        Dropped(" ".join(line.split()), "page-furniture") for line in lines if _is_furniture(line)
    ]
    text = "\n".join(line for line in lines if not _is_furniture(line))
    chunks = [chunk for chunk in re.split(r"\n\s*\n", text) if chunk.strip()]
    blocks: list[tuple[str, str]] = []
    prose_words = 0
    for chunk in chunks:
        flat = " ".join(chunk.split())
        if _is_title_line(chunk):
            blocks.append((_heading_tag(flat) if plain else "p", flat))
        elif _is_prose_chunk(chunk):
            blocks.append(("p", flat))
            prose_words += len(patterns.WORD.findall(chunk))
        else:
            left_out.append(Dropped(flat[:300], "preformatted"))
    if not prose_words or (prose_words < 40 and not plain):
        return None
    if not plain and prose_words < 0.6 * len(patterns.WORD.findall(text)):
        return None
    return blocks, left_out


def _is_furniture(line: str) -> bool:
    """A running head or foot ("[Page 3]"), or a contents line ("2. Terms ......... 4")."""
    line = line.rstrip()
    if patterns.RUNNING_HEAD.match(line) or patterns.PAGE_FOOT.search(line):
        return True
    number = patterns.PAGE_NUMBER.search(line)
    leader = line[: number.start()].rstrip() if number else ""
    return leader.endswith((".....", ". . ."))


def _is_title_line(chunk: str) -> bool:
    """A line of its own, a few words with no full stop: "3.  Protocol Overview"
    (in an article's ``<pre>``, a salutation such as "Dear neighbours" too)."""
    line = chunk.strip()
    words = patterns.WORD.findall(line)
    return (
        "\n" not in line
        and 0 < len(words) <= 8
        and not patterns.COLUMNS.search(line)
        and not patterns.CODE_SYMBOL.search(line)
        and not re.search(r"[.;!?]$", line)
        and not line[:1].islower()
    )


def _heading_tag(title: str) -> str:
    """``h2`` for "3. Overview" and unnumbered titles, ``h3`` for "3.1. Limits"."""
    number = patterns.SECTION_NUMBER.match(title)
    depth = number.group(1).count(".") + 1 if number else 1
    return f"h{min(depth + 1, 6)}"


def _is_prose_chunk(chunk: str) -> bool:
    """More of its lines are runs of words than look like code (brackets, operators,
    comments, columns), and the block reads as sentences: a full stop, and commas or
    stops often enough. (The short last line of a wrapped paragraph counts as neither.)"""
    lines = [line.strip() for line in chunk.splitlines() if line.strip()]
    words = patterns.WORD.findall(chunk)
    if not words or patterns.PROMPT.search(chunk) or not patterns.FULL_STOP.search(chunk):
        return False  # nothing to say, a shell or REPL session, or no sentence
    codeish = sum(1 for line in lines if _looks_like_code(line))
    wordy = sum(
        1 for line in lines if not _looks_like_code(line) and len(patterns.WORD.findall(line)) >= 3
    )
    if wordy <= codeish:
        return False
    return len(patterns.SENTENCE_PUNCTUATION.findall(chunk)) * 50 >= len(words)


def _looks_like_code(line: str) -> bool:
    """Brackets and operators outnumber half its words, or it is a comment or columns."""
    return (
        len(patterns.CODE_SYMBOL.findall(line)) > max(2, len(patterns.WORD.findall(line)) // 2)
        or bool(patterns.COLUMNS.search(line))
        or line.startswith(("#", "//", "--"))  # a comment in a listing
    )
