"""Typed blocks from extracted markup, and the text-level clean-up (helper of ``extract``).

``from_xml`` maps trafilatura's XML (``head``, ``p``, ``quote``, ``list/item``) to
blocks; ``from_html`` does the same for an element a site rule names as the body.
``polish`` then removes what only shows up as text: footnote markers, the
footnotes section, the byline repeated in the body, and joins a
paragraph that an ad or embed cut in two.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Iterator

from lxml import etree
from lxml.html import HtmlElement

from listen.models import Block, BlockKind, Dropped

_INVISIBLE = re.compile("[\u00ad\u200b\u200e\u200f\u2060\ufeff]")  # ZWJ/ZWNJ join scripts
_TEASER_END = re.compile(r"(…|\.\.\.)\s*(read more|more)\W*$", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]{2,}")
_HEADING_TAGS = {f"h{n}": n for n in range(1, 7)}
_MARKERS = re.compile(
    r"\s?\[(?:\d{1,3}(?:\s*[,–-]\s*\d{1,3})*|[a-z]|citation needed|edit(?: source)?"
    r"|note \d+|nb \d+)\](?![A-Za-z])"
    r"|(?:(?<=[\s.,;:!?)\]\"”’])|^)\^\[?\d{1,3}\]?(?=\s|$)"  # "^1", not the power in "10^5"
    r"|\s?↩\ufe0f?"
    r"|\s?¶",  # Sphinx and Markdown heading anchors
    re.IGNORECASE,
)
_SUPERSCRIPTS = re.compile(r"(?<=[^\s\d¹²³⁴⁵⁶⁷⁸⁹⁰])[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
_UNIT_BEFORE = re.compile(r"(?:\b(?:m|km|cm|mm|ft|in|mi|µm|nm|s)|[²³])$")
_NOTES_HEADING = re.compile(
    r"^(\d+(\.\d+)*\.?\s+)?((normative|informative)\s+)?"
    r"(foot ?notes?|end ?notes?|notes?|references?|sources?|citations|bibliography|"
    r"works cited|anmerkungen|fußnoten|einzelnachweise|quellen|notes et références|références)"
    r"\W*$",
    re.IGNORECASE,
)
_RELATED_HEADING = re.compile(
    r"^(see also|further reading|external links|related (articles|links|posts|stories|reading)"
    r"|read more|more on this( story| topic)?|(more|other) [\w ]{0,30}(stories|columns|articles)"
    r"|siehe auch|weblinks|weiterführende links|literatur"
    r"|voir aussi|liens externes|pour aller plus loin|articles connexes"
    r"|(table of )?contents|inhalt|inhaltsverzeichnis|sommaire)\W*$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?:;…\"”’»)\]]$")
_BYLINE_FILLER = re.compile(
    r"\b(by|von|par|por|and|und|et|y|updated|published|posted|written|on|am|le|el|"
    r"min(ute)?s?|read|reading|time|staff|writer|reporter|correspondent|editor|photos?|"
    r"geschrieben|verfasst|veröffentlicht|aktualisiert|publié|écrit|mis à jour|"
    r"publicado|escrito|actualizado)\b|[\W\d_]+",
    re.IGNORECASE,
)
_MONTHS = (
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|januar|februar|märz|mai|juni|juli|"
    r"oktober|dezember|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|"
    r"novembre|décembre)\w*"
)
_DATE_TEXT = re.compile(
    rf"\b\d{{1,2}}\.?\s+{_MONTHS}\s+\d{{4}}|{_MONTHS}\.?\s+(\d{{1,2}},?\s+)?\d{{4}}"
    r"|\b\d{4}-\d\d-\d\d\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b",
    re.IGNORECASE,
)


def from_xml(xml: str) -> list[Block]:
    """Blocks from trafilatura's XML output, in document order."""
    try:
        root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(recover=True))
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    main = root.find("main")
    return list(_xml_blocks(main if main is not None else root))


def _xml_blocks(parent: etree._Element) -> Iterator[Block]:
    """Blocks of ``parent``'s children, and of loose text between them.

    trafilatura leaves text that sat directly in a container (``<div>`` text after
    a heading, a byline or a ``<br>``) as the container's text or a child's tail;
    such runs, with any inline elements in them, become paragraphs of their own.
    """
    loose: list[str] = [parent.text or ""]
    for element in parent:
        tag = element.tag
        if tag in _XML_INLINE:
            loose.append(_raw(element))
        else:
            yield from _loose_paragraph(loose)
            loose = []
            yield from _xml_block(element)
        loose.append(element.tail or "")
        if tag == "lb":
            yield from _loose_paragraph(loose)
            loose = []
    yield from _loose_paragraph(loose)


# Inline markup trafilatura may leave between blocks; anything else starts a block.
_XML_INLINE = {"hi", "ref", "span", "lb", "del", "code"}  # a listing's <pre> is gone by now


def _loose_paragraph(pieces: list[str]) -> Iterator[Block]:
    text = " ".join("".join(pieces).split())
    if text:
        yield Block(BlockKind.PARAGRAPH, text)


def _xml_block(element: etree._Element) -> Iterator[Block]:
    tag = element.tag
    if tag == "head":
        level = int(_digits(element.get("rend", "")) or 2)
        yield Block(BlockKind.HEADING, _flat(element), min(max(level, 1), 6))
    elif tag == "p":
        for line in _lines(element):
            yield Block(BlockKind.PARAGRAPH, line)
    elif tag == "quote":
        yield from _quote_blocks(element)
    elif tag == "list":
        yield from _list_blocks(element)
    elif tag in ("div", "main", "section"):
        yield from _xml_blocks(element)
    # ``code`` at block level is a ``<pre>`` listing: not for the ear.


def _lines(paragraph: etree._Element) -> list[str]:
    """A paragraph's lines, as its ``<br>``s break it: a label over its text ("Task
    scheduling<br>Clients can…"), a ranked list, a changelog, a verse each get their
    pause. (A line broken mid-sentence is joined again by ``_join_cut_paragraphs``.)"""
    segments: list[str] = []
    pieces: list[str] = []
    for piece in _text_and_breaks(paragraph):
        if piece is None:
            segments.append(" ".join("".join(pieces).split()))
            pieces = []
        else:
            pieces.append(piece)
    segments.append(" ".join("".join(pieces).split()))
    lines: list[str] = []
    for segment in (s for s in segments if s):
        if lines and not _ends_a_line(lines[-1]):
            lines[-1] = f"{lines[-1]} {segment}"  # a <br> in mid-sentence
        else:
            lines.append(segment)
    return lines


def _ends_a_line(text: str) -> bool:
    """A line that a ``<br>`` may end: a sentence, or a short label ("Task scheduling",
    "1. Finland") that does not stop on "the" or "and"."""
    if _SENTENCE_END.search(text):
        return True
    words = text.split()
    return len(words) <= 6 and words[-1].lower() not in _JOINING_WORDS


_JOINING_WORDS = {
    "a", "an", "the", "and", "or", "but", "to", "of", "in", "on", "at", "by", "for", "from",
    "with", "as", "is", "are", "was", "were", "that", "der", "die", "das", "und", "oder",
    "zu", "von", "mit", "le", "la", "les", "et", "ou", "de", "du", "des", "à", "en",
}


def _text_and_breaks(element: etree._Element) -> Iterator[str | None]:
    """The element's text in order, with None for each line break at any depth
    (``<b>Queue<br></b> ATF uses…``)."""
    yield element.text or ""
    for child in element:
        if child.tag in ("lb", "br"):
            yield None
        elif isinstance(child.tag, str):
            yield from _text_and_breaks(child)
        yield child.tail or ""


def _quote_blocks(quote: etree._Element) -> Iterator[Block]:
    """Each paragraph, list item or loose line of a quotation, as a quote block."""
    if not any(child.tag in _XML_BLOCKS for child in quote):
        yield Block(BlockKind.QUOTE, _flat(quote))
        return
    for block in _xml_blocks(quote):
        yield Block(BlockKind.QUOTE, block.text)


_XML_BLOCKS = {"p", "list", "quote", "head", "div"}


def _list_blocks(list_element: etree._Element) -> Iterator[Block]:
    """One block per item; an item holding blocks of its own (a card with a heading and
    a paragraph, a nested list) gives each of them, so their words are not run together."""
    for item in list_element:
        if item.tag != "item":
            continue
        if not any(child.tag in _XML_BLOCKS or child.tag == "list" for child in item):
            yield Block(BlockKind.LIST_ITEM, _flat(item))
            continue
        for block in _xml_blocks(item):
            kind = BlockKind.LIST_ITEM if block.kind is BlockKind.PARAGRAPH else block.kind
            yield Block(kind, block.text, block.level)


def from_html(root: HtmlElement) -> list[Block]:
    """Blocks straight from HTML (a site rule's body, or when trafilatura finds nothing)."""
    blocks: list[Block] = []
    for element in root.iter("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote"):
        if element.tag == "p" and _inside(element, ("blockquote",)):
            continue
        if element.tag == "li" and any(True for _ in element.iter("p")):
            continue  # its paragraphs are its blocks
        text = _flat_item(element) if element.tag == "li" else _flat(element)
        if element.tag in _HEADING_TAGS:
            blocks.append(Block(BlockKind.HEADING, text, _HEADING_TAGS[element.tag]))
        elif element.tag == "li" or (element.tag == "p" and _inside(element, ("li",))):
            blocks.append(Block(BlockKind.LIST_ITEM, text))
        elif element.tag == "blockquote":
            blocks.append(Block(BlockKind.QUOTE, text))
        else:
            blocks += [Block(BlockKind.PARAGRAPH, line) for line in _lines(element)]
    return blocks


def nonempty(blocks: list[Block]) -> list[Block]:
    """The blocks with text, without the invisible characters a page hides in words
    (soft hyphens, zero-width spaces), which would make two copies of a paragraph differ."""
    visible = [Block(b.kind, " ".join(_INVISIBLE.sub("", b.text).split()), b.level) for b in blocks]
    return [b for b in visible if b.text]


def restore_gaps(extracted: list[Block], document: list[Block]) -> list[Block]:
    """Put back blocks of the page that lie between two extracted blocks.

    trafilatura sometimes keeps a section's paragraphs but drops its ``<h2>`` (seen
    with headings that follow a ``<figure>``), or drops a link-heavy list or a
    quoted list in the middle of the article. ``document`` is every block of the
    cleaned page in order, furniture already gone, so a block found between two
    kept blocks is part of the article.
    """
    keys = {match_key(b.text): i for i, b in reversed(list(enumerate(document)))}
    seen = Counter(match_key(b.text) for b in document)
    have = {match_key(b.text) for b in extracted}
    said = " ".join(b.text.lower() for b in extracted)
    result: list[Block] = []
    last = -1
    for block in extracted:
        here = keys.get(match_key(block.text), -1)
        if here > last >= 0:
            result += [
                d
                for d in document[last + 1 : here]
                if match_key(d.text) not in have
                and seen[match_key(d.text)] == 1
                and _sentence_like(d)
                and not _said_already(d, said)
            ]
        last = max(last, here)
        result.append(block)
    return result


def _said_already(block: Block, said: str) -> bool:
    """The block's opening words are in the extracted text, cut into blocks another way
    (the page's lines joined, a paragraph split at a ``<br>``, a quote without its
    attribution); not for a short heading, whose words may occur in any sentence."""
    return (
        block.kind is not BlockKind.HEADING
        and len(block.text.split()) >= 6
        and block.text.lower()[:60] in said
    )


def _sentence_like(block: Block) -> bool:
    """A heading with a word in it, a list item of a few words, a paragraph that reads
    as a sentence: not a chart label, a count or a teaser's "… Read more"."""
    words = len(_WORD.findall(block.text))
    if block.kind is BlockKind.HEADING:
        return words >= 1
    if _TEASER_END.search(block.text):
        return False
    if block.kind is BlockKind.PARAGRAPH:
        return words >= 12 or (words >= 5 and _SENTENCE_END.search(block.text) is not None)
    return words >= 5


def match_key(text: str) -> str:
    """What two copies of a block, cut or spaced another way, have in common."""
    return text[:60].lower()


def _inside(element: HtmlElement, tags: tuple[str, ...]) -> bool:
    return any(ancestor.tag in tags for ancestor in element.iterancestors())


def _flat(element: etree._Element) -> str:
    return " ".join(_raw(element).split())


def _raw(element: etree._Element) -> str:
    for br in element.iter("lb", "br"):  # a line break separates words
        br.text = " "
    return "".join(str(t) for t in element.itertext())


def _flat_item(item: HtmlElement) -> str:
    """A list item's own text; a nested list's items are blocks of their own."""
    if next(item.iterdescendants("ul", "ol"), None) is None:
        return _flat(item)
    own = copy.deepcopy(item)
    for nested in list(own.iterdescendants("ul", "ol")):
        if nested.getparent() is not None:
            nested.drop_tree()
    return _flat(own)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())[:1]


def polish(
    blocks: list[Block], *, authors: tuple[str, ...]
) -> tuple[list[Block], list[Dropped]]:
    """Text-level clean-up; returns the blocks kept and what was removed."""
    dropped: list[Dropped] = []
    blocks = _strip_markers(blocks, dropped)
    blocks = _drop_notes_section(blocks, dropped)
    blocks = [b for b in blocks if not _is_repeat(b, authors, dropped)]
    blocks = _drop_empty_headings(blocks, dropped)
    return _join_cut_paragraphs(blocks), dropped


def _strip_markers(blocks: list[Block], dropped: list[Dropped]) -> list[Block]:
    kept: list[Block] = []
    for block in blocks:
        text = _MARKERS.sub(lambda m: _record(m.group(0), dropped), block.text)
        text = _SUPERSCRIPTS.sub(lambda m: _superscript(m, dropped), text)
        text = " ".join(text.split())
        if text:
            kept.append(Block(block.kind, text, block.level))
    return kept


def _record(marker: str, dropped: list[Dropped]) -> str:
    dropped.append(Dropped(marker.strip(), "footnote-marker"))
    return ""


def _superscript(match: re.Match[str], dropped: list[Dropped]) -> str:
    """Drop ``growth.¹`` markers but keep units such as ``km²``."""
    if _UNIT_BEFORE.search(match.string[: match.start()]) and match.group(0) in "²³":
        return match.group(0)
    return _record(match.group(0), dropped)


def _drop_notes_section(blocks: list[Block], dropped: list[Dropped]) -> list[Block]:
    """Drop a "Footnotes"/"References" or a "See also"/"Further reading" heading and
    everything up to the next heading of its level or higher: once the article has
    begun (a heading above it all, "Literatur", is the page's section, not a list)."""
    kept: list[Block] = []
    skipping_level = 0
    reason = ""
    for block in blocks:
        if block.kind is BlockKind.HEADING:
            if skipping_level and block.level <= skipping_level:
                skipping_level = 0
            begun = any(b.kind is not BlockKind.HEADING for b in kept)
            if not skipping_level and begun:
                reason = _section_reason(block.text)
                skipping_level = block.level if reason else 0
        if skipping_level:
            dropped.append(Dropped(block.text[:300], reason))
        else:
            kept.append(block)
    return kept


def _drop_empty_headings(blocks: list[Block], dropped: list[Dropped]) -> list[Block]:
    """Drop a heading with nothing under it (its table, code or links were left out):
    one that ends the article, or is followed straight away by a heading of higher
    rank. (A heading followed by one of its own rank may introduce a row of cards.)"""
    if all(block.kind is BlockKind.HEADING for block in blocks):
        return blocks
    while True:  # "Gallery" over an emptied "Photos" is empty in its turn
        kept = _without_empty_headings(blocks, dropped)
        if len(kept) == len(blocks):
            return kept
        blocks = kept


def _without_empty_headings(blocks: list[Block], dropped: list[Dropped]) -> list[Block]:
    kept: list[Block] = []
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        empty = block.kind is BlockKind.HEADING and (
            following is None
            or (following.kind is BlockKind.HEADING and following.level < block.level)
        )
        if empty:
            dropped.append(Dropped(block.text[:300], "empty-section"))
        else:
            kept.append(block)
    return kept


def _section_reason(heading: str) -> str:
    if _NOTES_HEADING.match(heading):
        return "footnotes"
    if _RELATED_HEADING.match(heading):
        return "related"
    return ""


def _is_repeat(block: Block, authors: tuple[str, ...], dropped: list[Dropped]) -> bool:
    """The byline/date line repeated at the top of the body."""
    text = block.text
    if len(text) > 160 or block.kind is BlockKind.QUOTE:
        return False
    named = [a for a in authors if a and a.lower() in text.lower()]
    dated = _DATE_TEXT.search(text) is not None
    if not (named or dated):
        return False
    rest = text
    for name in named:
        rest = re.sub(re.escape(name), " ", rest, flags=re.IGNORECASE)
    rest = _DATE_TEXT.sub(" ", rest)
    rest = _BYLINE_FILLER.sub(" ", rest).strip()
    if len(rest) > 3:
        return False
    dropped.append(Dropped(text, "byline"))
    return True


def _join_cut_paragraphs(blocks: list[Block]) -> list[Block]:
    """Rejoin a paragraph that an inline ad split mid-sentence (next part starts lower-case)."""
    joined: list[Block] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous.kind is BlockKind.PARAGRAPH
            and block.kind is BlockKind.PARAGRAPH
            and not _SENTENCE_END.search(previous.text)
            and block.text[:1].islower()
        ):
            joined[-1] = Block(BlockKind.PARAGRAPH, f"{previous.text} {block.text}")
        else:
            joined.append(block)
    return joined
