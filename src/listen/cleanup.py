"""Remove page furniture before main-content selection (helper of ``extract``).

One top-down walk over the lxml tree drops, and records with a reason, what a
listener should not hear: navigation, share bars, related teasers, newsletter
boxes, ads, comments, cookie notices, bylines, captions, player labels, hidden
text, galleries and charts, footnote markers and lists, tables of figures, code
and embeds. Elements are judged by tag, by their ``class``/``id``/``role`` and by
short text such as "Advertisement".

What stays is made readable on the way: a table of described things becomes one
paragraph a row, preformatted prose becomes paragraphs (and, in a plain-text
document, headings), a MathML formula becomes its symbols, and text lying loose
beside blocks becomes a paragraph of its own.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator

from lxml.html import HtmlElement

from listen import patterns
from listen.models import Dropped


def clean_tree(
    root: HtmlElement, *, keep_captions: bool = False, plain: bool = False
) -> list[Dropped]:
    """Drop furniture from ``root`` in place; return what was dropped and why.

    ``plain`` is for a plain-text document (``is_plain_text_document``): its ``<pre>``
    pages become headings and paragraphs.
    """
    for element in list(root.iter(*patterns.SILENT_TAGS)):
        element.drop_tree()
    _wrap_loose_text(root)  # first, so that a loose "Skip to content" is judged too
    dropped: list[Dropped] = []
    _formulas_as_text(root, dropped)
    page_text = _text(root)
    alt_texts = _alt_texts(root)
    for element in _walk(root):
        if element.tag == "pre":
            reason = _read_pre(element, plain, dropped)
        else:
            reason = _reason(element, page_text, keep_captions)
            if reason is None and not keep_captions and _repeats_alt_text(element, alt_texts):
                reason = "caption"
        if reason is None:
            continue
        text = _text(element)
        if text:
            dropped.append(Dropped(text[:300], reason))
        element.drop_tree()  # keeps the tail text, which belongs to the parent
    return dropped


def _formulas_as_text(root: HtmlElement, dropped: list[Dropped]) -> None:
    """Make a short inline MathML formula a span of its symbols set apart (``A H``,
    not ``AH``); leave out a longer one, which read symbol by symbol is no sentence.

    A screen reader speaks the MathML, which MediaWiki hides from the eye with
    ``display: none`` beside a picture of the formula; trafilatura drops ``<math>``.
    """
    for formula in list(root.iter("math")):
        symbols = [" ".join(t.itertext()) for t in formula.iter("mi", "mn", "mo", "ms", "mtext")]
        if len(symbols) > patterns.MAX_FORMULA_SYMBOLS:
            dropped.append(Dropped(" ".join(" ".join(symbols).split())[:300], "formula"))
            formula.drop_tree()
            continue
        for wrapper in formula.iterancestors():
            if wrapper.tag not in patterns.INLINE_TAGS:
                break
            if patterns.HIDDEN_STYLE.search(wrapper.get("style") or ""):
                del wrapper.attrib["style"]
        tail = formula.tail
        formula.clear()
        formula.tag = "span"
        formula.text = " ".join(" ".join(symbols).split())
        formula.tail = tail


def _wrap_loose_text(root: HtmlElement) -> None:
    """Give text that sits loose beside blocks a paragraph of its own.

    A browser shows ``<div><figure>…</figure>The flag code has…</div>`` as two
    blocks, but the text is only the figure's tail, and trafilatura passes over
    such text. Each run of text and inline markup between blocks (or ``<br>``s)
    becomes a ``<p>``, as the anonymous block a browser would draw.
    """
    for container in list(root.iter(*patterns.LOOSE_TEXT_CONTAINERS)):
        blocks = any(child.tag in patterns.BLOCK_TAGS for child in container)  # cheap first
        if blocks and _has_loose_text(container):
            _wrap_runs(container)


def _has_loose_text(container: HtmlElement) -> bool:
    """Words in the container's own text, a child's tail, or an inline child."""
    if _HAS_WORD.search(container.text or ""):
        return True
    return any(
        _HAS_WORD.search(child.tail or "")
        or (child.tag not in patterns.BLOCK_TAGS and _HAS_WORD.search(child.text_content()))
        for child in container
        if isinstance(child.tag, str)
    )


def _is_block(element: HtmlElement) -> bool:
    """A block, or inline markup around one (``<span><div>…</div></span>``)."""
    if element.tag in patterns.BLOCK_TAGS:
        return True
    return element.tag != "br" and any(True for _ in element.iterdescendants(*patterns.BLOCK_TAGS))


def _wrap_runs(container: HtmlElement) -> None:
    items: list[HtmlElement | str] = [container.text or ""]
    for child in container:
        items.append(child)
        items.append(child.tail or "")
        child.tail = None
    container.text = None
    for child in list(container):
        container.remove(child)
    run: list[HtmlElement | str] = []
    for item in items:
        if isinstance(item, str) or not (item.tag == "br" or _is_block(item)):
            run.append(item)
            continue
        _append_run(container, run)
        run = []
        if item.tag != "br":
            container.append(item)
    _append_run(container, run)


def _append_run(container: HtmlElement, run: list[HtmlElement | str]) -> None:
    """Append ``run`` to ``container`` as one paragraph, or as loose white space."""
    has_text = any(
        _HAS_WORD.search(item if isinstance(item, str) else item.text_content()) for item in run
    )
    target = container.makeelement("p", {}) if has_text else container
    for item in run:
        if isinstance(item, str):
            if len(target):
                target[-1].tail = (target[-1].tail or "") + item
            else:
                target.text = (target.text or "") + item
        else:
            target.append(item)
    if has_text:
        container.append(target)


_HAS_WORD = re.compile(r"\w")


def _walk(root: HtmlElement) -> Iterator[HtmlElement]:
    """Pre-order, without descending into an element the caller has just dropped."""
    stack = [root]
    while stack:
        element = stack.pop()
        yield element
        if element.getparent() is not None or element is root:
            stack.extend(child for child in reversed(element) if isinstance(child.tag, str))


def _alt_texts(root: HtmlElement) -> set[str]:
    """The pictures' descriptions (``alt``) long enough to be a caption's words."""
    return {_squash(alt) for img in root.iter("img") if len(alt := img.get("alt") or "") >= 25}


def _repeats_alt_text(element: HtmlElement, alt_texts: set[str]) -> bool:
    """A short text block saying what a picture's ``alt`` says: its caption, wherever
    the page puts it (the Guardian lists a gallery's captions after the pictures)."""
    if not alt_texts or element.tag not in ("p", "li", "div"):
        return False
    opening = _squash((element.text or "")[:40])[:12]
    if len(opening) < 4 or not any(alt.startswith(opening) for alt in alt_texts):
        return False  # cheap: most blocks open with words no picture's description has
    text = _short_text(element, 400)
    return text is not None and _squash(text) in alt_texts


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text).casefold()


def _reason(element: HtmlElement, page_text: str, keep_captions: bool) -> str | None:
    tag = element.tag
    if not isinstance(tag, str):
        return None
    if tag in patterns.TAG_REASONS:
        return patterns.TAG_REASONS[tag]
    if tag == "table":
        return _table_reason(element)
    if tag == "figcaption":
        return _keep_as_paragraph(element) if keep_captions else "caption"
    if tag in ("sup", "a") and _is_footnote_marker(element):
        return "footnote-marker"
    if tag == "a" and _is_permalink(element):
        return "permalink"
    if tag in ("ul", "ol") and _is_contents(element):
        return "navigation"
    if _is_hidden(element):
        return "hidden"
    reason = _attribute_reason(element, len(page_text))
    if reason == "caption" and keep_captions:
        return _keep_as_paragraph(element)
    if reason == "pull-quote" and not _repeated(element, page_text):
        return None  # a quote styled large but said only once is part of the text
    if reason is None and tag in patterns.TEXT_TAGS:
        reason = _text_reason(element)
    return reason


def _is_hidden(element: HtmlElement) -> bool:
    """Hidden by an attribute or an inline style: a browser shows none of it.

    Not the page's frame (``<body style="display:none">`` until a script has run).
    (A formula kept for screen readers is no longer hidden: see ``_formulas_as_text``.)
    """
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    style = element.get("style")
    return (
        bool(style)
        and patterns.HIDDEN_STYLE.search(style) is not None
        and element.tag not in patterns.NEVER_BY_CLASS
    )


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
    if reason in patterns.ANY_SIZE and _mostly_pictures(element, size):
        return body_size - size >= 500  # however long, as long as an article is left beside it
    return size < 1500 or size < body_size * 0.4


def _mostly_pictures(element: HtmlElement, size: int) -> bool:
    """Three pictures or more, with little text to each (a slideshow's captions)."""
    pictures = sum(1 for _ in element.iter("img", "picture", "figure"))
    pictures += len(element.xpath(".//*[@data-original or @data-src or @data-lazy-src]"))
    return pictures >= 3 and size < 400 * pictures


def _text_reason(element: HtmlElement) -> str | None:
    text = _short_text(element, 160)
    if not text:
        return None
    for reason, pattern in patterns.TEXT_REASONS:
        if pattern.search(text) and (reason != "credit" or _names_only(text)):  # or "© …"
            return reason
    if element.tag in patterns.TEASER_TAGS and _is_teaser(element, text):
        return "related"
    return None


def _names_only(credit: str) -> bool:
    """"Portrait by George Del Barrio", not "Artwork by local children hangs in …"."""
    if credit.lstrip("( ").startswith("©"):
        return True  # a copyright line
    named = re.split(r"\b(?:by|:|©)\s*", credit, maxsplit=1, flags=re.IGNORECASE)[-1]
    return all(
        word[:1].isupper() or len(word) < 4 or word.lower() in patterns.CREDIT_WORDS_ALLOWED
        for word in re.findall(r"[^\W\d_]+", named)
    )


def _is_teaser(block: HtmlElement, text: str) -> bool:
    """A whole block reading "Learn more about X" or "Related: …" that is a link, or
    has no full stop (not "See: the council never answered.")."""
    if not patterns.TEASER.match(text):
        return False
    linked = sum(len(_text(a)) for a in block.iter("a"))
    return linked >= 0.6 * len(text) or not re.search(r"[.!?]$", text)


def _keep_as_paragraph(caption: HtmlElement) -> str | None:
    """Keep a caption as a paragraph (trafilatura drops ``<figure>`` content); no reason."""
    caption.tag = "p"
    for figure in caption.iterancestors("figure"):
        figure.tag = "div"
    return None


def is_plain_text_document(root: HtmlElement) -> bool:
    """Most of the page's text is preformatted: a plain-text RFC, mail or README."""
    in_pre = sum(len(_text(pre)) for pre in root.iter("pre"))
    if in_pre == 0:
        return False
    silent = sum(len(_text(element)) for element in root.iter(*patterns.SILENT_TAGS))
    page_size = len(_text(root)) - silent
    return page_size > 0 and in_pre >= 0.5 * page_size


def _read_pre(pre: HtmlElement, plain: bool, dropped: list[Dropped]) -> str | None:
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


def _repeated(element: HtmlElement, page_text: str) -> bool:
    """True if the element's opening words appear elsewhere on the page too."""
    probe = _text(element).strip("“”\"' ").casefold()[:50]
    return len(probe) > 15 and page_text.casefold().count(probe) >= 2


def _table_reason(table: HtmlElement) -> str | None:
    """Drop a table of figures; keep a layout table or a table whose rows are prose.

    A layout table (paragraphs or tables in its cells, or one column) becomes plain
    divisions. A table whose rows describe things in sentences (a list of films, of
    events) is read row by row, each row a paragraph with its cells in order, the
    header row left out. A table of figures is not for the ear.
    """
    rows = _rows(table)
    if _is_layout_table(table, rows):
        # A box of one cell holding mere text (a note set apart) is a paragraph.
        boxed = len(rows) == 1 and len(_cells(rows[0])) == 1
        for part in _own_parts(table):  # a table nested in a cell is judged on its own
            inline = boxed and part.tag in ("td", "th") and not any(_is_block(c) for c in part)
            part.tag = "p" if inline else "div"
        return None
    body = [row for row in rows if not _is_header_row(row)]
    if len(body) >= 2 and sum(1 for row in body if _is_wordy(row)) * 2 >= len(body):
        _rows_to_paragraphs(table, rows)
        return None
    return "table"


def _own_parts(table: HtmlElement) -> list[HtmlElement]:
    """The table and its sections, rows and cells, not those of a table nested in it."""
    parts = table.iter("thead", "tbody", "tfoot", "tr", "td", "th", "caption")
    return [table] + [p for p in parts if next(p.iterancestors("table"), None) is table]


def _rows(table: HtmlElement) -> list[HtmlElement]:
    """The table's own rows, not those of a table nested in a cell."""
    return [row for row in table.iter("tr") if next(row.iterancestors("table"), None) is table]


def _cells(row: HtmlElement) -> list[HtmlElement]:
    return [cell for cell in row if cell.tag in ("td", "th")]


def _is_layout_table(table: HtmlElement, rows: list[HtmlElement]) -> bool:
    """Laid out with a table, not tabulated: a nested table, one column, or paragraphs
    and headings in the cells of a table without a header row."""
    if (table.get("role") or "").lower() == "presentation":
        return True
    if next(table.iterdescendants("table"), None) is not None:
        return True
    if bool(rows) and all(len(_cells(row)) <= 1 for row in rows):
        return True
    blocks = next(table.iterdescendants("p", "h1", "h2", "h3", "h4", "blockquote"), None)
    return blocks is not None and not any(_is_header_row(row) for row in rows)


def _is_header_row(row: HtmlElement) -> bool:
    cells = _cells(row)
    return next(row.iterancestors("thead"), None) is not None or (
        bool(cells) and all(cell.tag == "th" for cell in cells) and len(cells) > 1
    )


def _is_wordy(row: HtmlElement) -> bool:
    """A row that says something in words (six or more), not a row of figures."""
    text = row.text_content()
    words = len(patterns.WORD.findall(text))
    return words >= 6 and words >= 0.7 * len(_TOKEN.findall(text))


def _rows_to_paragraphs(table: HtmlElement, rows: list[HtmlElement]) -> None:
    """Each body row a paragraph, its cells run on with a full stop between them."""
    _repeat_spanned_cells(rows)
    for row in rows:
        if _is_header_row(row):
            row.drop_tree()
            continue
        row.tag = "p"
        cells = [cell for cell in _cells(row) if _text(cell)]
        for cell in _cells(row):
            if cell not in cells:
                cell.drop_tree()
        for cell in cells:
            for block in list(cell.iterdescendants(*patterns.BLOCK_TAGS)):
                block.tag = "span"  # a row is one paragraph: a cell's <p> or <div> runs on
                block.tail = f" {block.tail or ''}"
        for index, cell in enumerate(cells):
            cell.tag = "span"
            _strip_end(cell)
            if index < len(cells) - 1:
                stop = "" if _SENTENCE_STOP.search(_text(cell)) else "."
                cell.tail = f"{stop} {cell.tail or ''}"
    for part in _own_parts(table):
        if part.tag in ("table", "thead", "tbody", "tfoot", "caption"):
            part.tag = "div"


def _repeat_spanned_cells(rows: list[HtmlElement]) -> None:
    """Copy a cell that spans rows (``rowspan="2"``) into each row it spans, so that
    every row, read on its own, names what it describes."""
    pending: dict[int, tuple[HtmlElement, int]] = {}  # column → (cell, rows still to fill)
    for row in rows:
        cells = _cells(row)
        column = 0
        position = 0
        while position < len(cells) or column in pending:
            if column in pending:
                cell, left = pending.pop(column)
                duplicate = copy.deepcopy(cell)
                duplicate.tail = None
                if position < len(cells):
                    cells[position].addprevious(duplicate)
                else:
                    row.append(duplicate)
                if left > 1:
                    pending[column] = (cell, left - 1)
            else:
                span = cells[position].get("rowspan") or "1"
                if span.isdecimal() and 1 < int(span) <= 100:
                    pending[column] = (cells[position], int(span) - 1)
                position += 1
            column += 1


def _strip_end(element: HtmlElement) -> None:
    """Remove the white space that ends an element (at any depth: ``<i><a>Title </a>
    </i>``), so that a stop put after it sits close."""
    while True:
        last = element[-1] if len(element) else None
        if last is None:
            element.text = (element.text or "").rstrip()
            return
        if (last.tail or "").strip():
            last.tail = (last.tail or "").rstrip()
            return
        last.tail = None
        element = last


_SENTENCE_STOP = re.compile(r"[.!?:;…]$")
_TOKEN = re.compile(r"\w+")


def _is_permalink(link: HtmlElement) -> bool:
    """A heading's own anchor: ``<a href="#setup">#</a>``, or ``¶``, ``§``, ``🔗``."""
    return (link.get("href") or "").startswith("#") and _text(link) in ("#", "¶", "§", "🔗")


def _is_contents(list_element: HtmlElement) -> bool:
    """A list of links into the page itself, and nothing else: a table of contents."""
    items = [item for item in list_element if item.tag == "li"]
    if len(items) < 3:
        return False
    for item in items:
        inward = [a for a in item.iter("a") if (a.get("href") or "").startswith("#")]
        linked = sum(len(_text(a)) for a in inward)
        if not inward or linked < 0.8 * len(_text(item)):
            return False
    return True


def _is_footnote_marker(element: HtmlElement) -> bool:
    """``<sup>[1]</sup>``, ``<a href="#fn1">1</a>``, ``<a href="#fnref1">↩</a>``, and
    the page a citation points to, ``<sup>:p. 234</sup>`` (Wikipedia)."""
    text = _short_text(element, 16)
    if element.tag == "sup" and text and patterns.PAGE_CITATION.match(text):
        return True
    if text is None or len(text) > 12 or not patterns.MARKER_TEXT.match(text):
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
