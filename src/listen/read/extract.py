"""Stage 2: find the article in a ``Page`` and return it as typed blocks with metadata.

trafilatura, lxml and beautifulsoup4 live here and in the helpers. The steps:

1. parse the page once with lxml and read the metadata (JSON-LD, OpenGraph, meta);
2. refuse a page that is no article: a directory listing, a tag page … (``pagekind``);
3. apply a site rule from ``listen.toml`` if one matches the page's host;
4. drop page furniture, recording each piece and why, but never the article
   (``cleanup``, weighing the page's running text with ``prose``);
5. let trafilatura pick the main content from the cleaned tree (its XML output);
6. map that to blocks and remove what only shows up as text (``blocks.polish``);
7. check the result against trafilatura's choice on the untouched page (``floor``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from listen.errors import ConfigError, ExtractError, ListenError
from listen.models import Article, Block, BlockKind, Dropped, Page, SiteRule
from listen.read import blocks as blocklib
from listen.read.cleanup import clean_tree
from listen.read.floor import keep_the_floor, trafilatura_blocks
from listen.read.metadata import Metadata, iso639_1, read_metadata
from listen.read.pagekind import not_an_article
from listen.read.preformatted import is_plain_text_document
from listen.read.prose import MainText
from listen.read.stylesheet import hidden_rules

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

# Characters XML cannot hold make lxml raise ValueError; no page needs them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Comments dropped at parse time: trafilatura treats a comment inside the article
# as a boundary and can lose the paragraphs after it (seen on nytimes.com). The page
# is already decoded (``load``): it reaches lxml as UTF-8 bytes with the encoding
# named, so that no declaration in it (``<?xml … encoding=…?>``, a stale
# ``<meta charset>``) is obeyed again; lxml refuses text that begins with an XML
# declaration ("Unicode strings with encoding declaration are not supported").
_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, encoding="utf-8")
_WHAT_TO_DO = "if the page does hold an article, add a site rule for it in listen.toml"


def extract_article(
    page: Page,
    *,
    rules: Mapping[str, SiteRule] | None = None,
    keep_captions: bool = False,
) -> Article:
    """The article in ``page``; raise ``ExtractError`` when no article text is left."""
    try:
        return _extract(page, rules or {}, keep_captions)
    except ListenError:
        raise
    except Exception as exc:  # arbitrary HTML must never crash listen with a traceback
        raise ExtractError(
            f"could not read the article in {page.source} ({type(exc).__name__}: {exc}): "
            f"{_WHAT_TO_DO}"
        ) from exc


def _extract(page: Page, rules: Mapping[str, SiteRule], keep_captions: bool) -> Article:
    tree = _parse(page.html, page.source)  # 1.
    meta = read_metadata(tree, page.url)
    rule = find_rule(rules, page.url, meta.url)
    if rule is None or not rule.keep:  # a site rule's keep says where the article is
        _refuse_non_article(tree, meta, page.source)  # 2.
    body: HtmlElement | None = None
    dropped: list[Dropped] = []
    if rule is not None:
        tree, body, dropped = _apply_rule(page.html, rule, page.source)  # 3.
    # A site rule's kept body is cleaned like a whole page: its share bars, ads and
    # footnote markers are still page furniture.
    cleaned = body if body is not None else tree
    plain = is_plain_text_document(cleaned)
    main = MainText(cleaned) if body is None else MainText.given_by_publisher()
    cleaning = clean_tree(  # 4.
        cleaned,
        main,
        hidden=hidden_rules(tree),  # the whole page's <style>, also over a site rule's body
        language=meta.language,
        keep_captions=keep_captions,
        plain=plain,
    )
    blocks, outside = _main_blocks(tree, cleaned if body is not None or plain else None)  # 5.
    blocks, polished = blocklib.polish(blocks, authors=meta.authors)  # 6.
    dropped += cleaning.dropped + outside + polished
    notes = list(cleaning.notes)
    if body is None:  # a site rule's body is the publisher's word, not a guess to check
        floor = keep_the_floor(  # 7.
            blocks,
            dropped,
            page_prose=main.total,
            untouched=lambda: _parse(page.html, page.source),
            authors=meta.authors,
        )
        blocks, dropped = floor.blocks, floor.dropped
        notes += [floor.note] if floor.note else []
    if not blocks:
        raise ExtractError(f"no article text found in {page.source}: {_WHAT_TO_DO}")
    title = meta.title or next((b.text for b in blocks if b.kind is BlockKind.HEADING), "")
    return _article(meta, title or _untitled(page, blocks), blocks, dropped, notes)


def _refuse_non_article(tree: HtmlElement, meta: Metadata, source: str) -> None:
    kind = not_an_article(tree, meta.title)
    if kind is not None:
        raise ExtractError(
            f"no article text found in {source}: it is {kind}, not an article; "
            "give the address of one article"
        )


def _untitled(page: Page, blocks: list[Block]) -> str:
    """A title for a page that gives none: the words of its URL's or file's name
    ("night-trains-are-back.html" → "Night trains are back"), else its first words."""
    path = urlsplit(page.url).path if page.url else ("" if page.source == "-" else page.source)
    name = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", path.rstrip("/").rpartition("/")[2])
    words = " ".join(re.split(r"[-_+\s]+", name)).strip()
    if not re.search(r"[^\W\d_]{2}", words):
        words = " ".join(blocks[0].text.split()[:8]).rstrip(",;:") if blocks else ""
    return words[:1].upper() + words[1:]


def _parse(html: str, source: str) -> HtmlElement:
    text = _CONTROL.sub("", html)
    if not text.strip():
        raise ExtractError(f"no article text found in {source}: the page is empty")
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=_PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractError(f"no article text found in {source}: {exc}; {_WHAT_TO_DO}") from exc
    return root


def _main_blocks(
    tree: HtmlElement, body: HtmlElement | None
) -> tuple[list[Block], list[Dropped]]:
    """The body a site rule kept (or a whole plain-text document, which trafilatura
    would cut short), else trafilatura's choice, else every paragraph; and the blocks
    of the page that trafilatura judged to lie outside the article."""
    if body is not None:
        return blocklib.nonempty(blocklib.from_html(body)), []
    found = trafilatura_blocks(tree)
    document = blocklib.nonempty(blocklib.from_html(tree))
    if not found:
        return document or _body_text(tree), []
    blocks = blocklib.restore_gaps(found, document)
    kept = {blocklib.match_key(b.text) for b in blocks}
    outside = [Dropped(b.text, "outside-article") for b in document
               if blocklib.match_key(b.text) not in kept]
    return blocks, outside


def _body_text(tree: HtmlElement) -> list[Block]:
    """A page with bare text in its body and no paragraphs: that text, as one paragraph."""
    body = tree.find(".//body")  # not <head>: a <title> alone is no article
    text = " ".join((tree if body is None else body).text_content().split())
    return [Block(BlockKind.PARAGRAPH, text)] if text else []


def _article(
    meta: Metadata, title: str, blocks: list[Block], dropped: list[Dropped], notes: list[str]
) -> Article:
    return Article(
        title=title,
        blocks=tuple(replace(b, id=f"b{n}") for n, b in enumerate(blocks, start=1)),
        authors=meta.authors,
        date=meta.date,
        site=meta.site,
        language=meta.language or detect_language(" ".join(b.text for b in blocks)),
        url=meta.url,
        image=meta.image,
        description=meta.description,
        dropped=tuple(Dropped(item.text[:300], item.reason) for item in dropped),
        notes=tuple(notes),
    )


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text`` by py3langid (imported on first use: it loads a model)."""
    from py3langid.langid import classify  # noqa: PLC0415

    code, _score = classify(text[:5000])
    return iso639_1(str(code)) or "en"


# --- site rules --------------------------------------------------------------


def find_rule(
    rules: Mapping[str, SiteRule], page_url: str | None, canonical: str | None
) -> SiteRule | None:
    """The rule whose domain is the page's or canonical URL's host, or a parent of it."""
    for url in (page_url, canonical):
        host = (urlsplit(url).hostname or "") if url else ""
        while host:
            rule = rules.get(host) or rules.get(f"www.{host}")
            if rule is not None:
                return rule
            host = host.partition(".")[2] if "." in host else ""
    return None


def _apply_rule(
    html: str, rule: SiteRule, source: str
) -> tuple[HtmlElement, HtmlElement | None, list[Dropped]]:
    """Remove ``skip`` matches; return the tree, the ``keep`` body if one matched, drops."""
    from bs4 import BeautifulSoup  # soupsieve gives us CSS selectors; lxml needs cssselect

    soup = BeautifulSoup(_CONTROL.sub("", html), "lxml")
    dropped: list[Dropped] = []
    for selector in rule.skip:
        for element in _select(soup, selector):
            dropped.append(Dropped(" ".join(element.get_text(" ").split())[:300], "site-rule"))
            element.decompose()
    tree = _parse(str(soup), source)
    for selector in rule.keep:
        kept = _select(soup, selector)
        if kept:
            body = _parse("<html><body>" + "".join(map(str, kept)) + "</body></html>", source)
            return tree, body, dropped
    return tree, None, dropped


def _select(soup: BeautifulSoup, selector: str) -> list[Tag]:
    from soupsieve import SelectorSyntaxError

    try:
        return list(soup.select(selector))
    except SelectorSyntaxError as exc:
        raise ConfigError(
            f"bad CSS selector {selector!r} in a site rule: fix it in listen.toml ({exc})"
        ) from exc

