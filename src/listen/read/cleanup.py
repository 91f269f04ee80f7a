"""Remove page furniture before main-content selection (helper of ``extract``).

One top-down walk over the lxml tree drops, and records with a reason, what a
listener should not hear: navigation, share bars, related teasers, newsletter
boxes, ads, comments, cookie notices, bylines, captions, player labels, hidden
text, galleries and charts, footnote markers and lists, tables of figures, code
and embeds. Elements are judged by tag, by their ``class``/``id``/``role`` and by
short text such as "Advertisement".

What stays is made readable on the way: a table of described things becomes one
paragraph a row (``tables``), preformatted prose becomes paragraphs and, in a
plain-text document, headings (``preformatted``), a MathML formula becomes its
symbols, and text lying loose beside blocks becomes a paragraph of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml.html import HtmlElement

from listen.models import Dropped
from listen.read import patterns
from listen.read.appeals import MAX_APPEAL, appeal_reason
from listen.read.markup import is_block, short_text, squashed, text_of
from listen.read.preformatted import read_pre
from listen.read.prose import MIN_RUN, MOST, NEARLY_ALL, MainText, prose_size
from listen.read.stylesheet import HiddenRules
from listen.read.tables import table_reason


@dataclass
class Cleaning:
    """What ``clean_tree`` did: each piece left out, with its reason and its whole text
    (``extract`` shortens them for the article, after weighing them against the floor),
    and each rule held back because its element holds the article."""

    dropped: list[Dropped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def clean_tree(
    root: HtmlElement,
    main: MainText,
    *,
    hidden: HiddenRules | None = None,
    keep_captions: bool = False,
    plain: bool = False,
) -> Cleaning:
    """Drop furniture from ``root`` in place; say what was dropped and why.

    ``main`` is the page's running text, measured before: a rule that would remove
    most of it, in one element (a main column whose class says ``sidebar``, a page
    wrapped whole in a ``<form>``) or in many (a live ticker marked up as comments),
    is held back: the article is never furniture. ``hidden`` is what the page's own
    style sheet hides (``stylesheet.hidden_rules``, read before the ``<style>``
    elements go). ``plain`` is for a plain-text document (``is_plain_text_document``):
    its ``<pre>`` pages become headings and paragraphs.
    """
    cleaning = Cleaning()
    _drop_silent(root, main, cleaning.notes)
    _wrap_loose_text(root)  # first, so that a loose "Skip to content" is judged too
    _formulas_as_text(root, cleaning.dropped)
    judge = _Judge(root, main, hidden or HiddenRules(), keep_captions, plain, cleaning)
    held: set[str] = set()
    marked = judge.mark(root, held)
    while holding := _held_reasons(marked, main) - held:
        held |= holding  # rare: look inside what those rules marked again, without them
        kept = [element for element, reason, _ in marked if reason in holding]
        cleaning.notes += [_held_back_together(marked, reason) for reason in sorted(holding)]
        marked = [item for item in marked if item[1] not in holding]
        for element in kept:
            marked += judge.mark(element, held)
    marked += _orphaned_headings(marked)
    for element, reason, text in marked:
        if text:
            cleaning.dropped.append(Dropped(text, reason))
        element.drop_tree()  # keeps the tail text, which belongs to the parent
    return cleaning


def _orphaned_headings(marked: Marked) -> Marked:
    """Headings whose whole section is left out: a heading over a table of figures, a
    code listing or a contents box, with the next heading of its rank or higher (or
    the end) straight after. Read alone, it would start a chapter with nothing in it."""
    dropping = {element for element, _, _ in marked}
    orphans: Marked = []
    for element, reason, _ in marked:
        if reason not in patterns.SECTION_CONTENT_REASONS:
            continue
        heading = _next_text_owner(element, dropping, "preceding")
        if heading is None or heading.tag not in _HEADING_RANK or heading in dropping:
            continue
        following = _next_text_owner(element, dropping, "following")
        if following is None or _HEADING_RANK.get(following.tag, 7) <= _HEADING_RANK[heading.tag]:
            orphans.append((heading, "empty-section", text_of(heading)))
            dropping.add(heading)
    return orphans


_HEADING_RANK = {f"h{n}": n for n in range(1, 7)}


def _next_text_owner(
    element: HtmlElement, dropping: set[HtmlElement], axis: str
) -> HtmlElement | None:
    """The heading that owns the nearest words before or after ``element`` (or the
    element they sit in), not counting what is being left out."""
    nodes = element.xpath(f"{axis}::text()[normalize-space()][position() <= 30]")
    for node in reversed(nodes) if axis == "preceding" else nodes:
        owner = node.getparent()
        if owner is None:
            continue
        if node.is_tail:
            owner = owner.getparent()
            if owner is None:
                continue
        chain = [owner, *owner.iterancestors()]
        if any(ancestor in dropping for ancestor in chain):
            continue
        return next((a for a in chain if a.tag in _HEADING_RANK), owner)
    return None


Marked = list[tuple[HtmlElement, str, str]]


class _Judge:
    """Judges each element of a tree once, marking the furniture to drop (with its
    reason and text) without dropping it yet, so that a rule can still be held back."""

    def __init__(
        self,
        root: HtmlElement,
        main: MainText,
        hidden: HiddenRules,
        keep_captions: bool,
        plain: bool,
        cleaning: Cleaning,
    ) -> None:
        self.main, self.hidden, self.cleaning = main, hidden, cleaning
        self.keep_captions, self.plain = keep_captions, plain
        self.page_text = text_of(root)
        self.alt_texts = _alt_texts(root)

    def mark(self, top: HtmlElement, held: set[str]) -> Marked:
        """The furniture under ``top`` (not ``top`` itself), top-most elements only."""
        marked: Marked = []
        skip: set[HtmlElement] = set()
        for element in _walk(top, skip):
            if element is top:
                continue
            reason = self._reason(element)
            if reason is None or reason in held:
                continue
            text = text_of(element)
            if _holds_the_article(element, reason, len(text), self.main):
                self.cleaning.notes.append(_held_back(element, reason))
                continue
            marked.append((element, reason, text))
            skip.add(element)
        return marked

    def _reason(self, element: HtmlElement) -> str | None:
        if element.tag == "pre":
            return read_pre(element, self.plain, self.cleaning.dropped)
        reason = _reason(element, self.page_text, self.main.given, self.hidden, self.keep_captions)
        if reason is None and not self.keep_captions and _repeats_alt_text(element, self.alt_texts):
            return "caption"
        return reason


def _held_reasons(marked: Marked, main: MainText) -> set[str]:
    """The rules that would remove most of the page's running text between them."""
    totals: dict[str, int] = {}
    for element, reason, text in marked:
        if reason in patterns.LISTENER_REASONS or reason == "hidden":
            continue  # many hidden pieces are hidden for a reason (a copy for small screens)
        if len(text) >= MIN_RUN:
            totals[reason] = totals.get(reason, 0) + prose_size(element)
    return {reason for reason, size in totals.items() if main.holds(size, _share(reason))}


def _drop_silent(root: HtmlElement, main: MainText, notes: list[str]) -> None:
    """Drop scripts, styles and the like; and ``<noscript>``, unless it holds the article
    (a page drawn by a script that puts its article there for readers without one)."""
    for element in list(root.iter(*patterns.SILENT_TAGS)):
        if element.tag == "noscript" and main.held_by(element, len(text_of(element))):
            notes.append(_held_back(element, "a part shown only without JavaScript"))
            element.drop_tag()
        else:
            element.drop_tree()


def _holds_the_article(element: HtmlElement, reason: str, size: int, main: MainText) -> bool:
    """A rule would remove the article itself (a main column whose class says
    ``sidebar``, a page wrapped whole in a ``<form>``); the listener rules never yield."""
    if reason in patterns.LISTENER_REASONS:
        return False
    return main.held_by(element, size, _share(reason))


def _share(reason: str) -> float:
    return NEARLY_ALL if reason == "hidden" else MOST


def _held_back(element: HtmlElement, reason: str) -> str:
    """What ``--explain`` says of a rule held back, naming the element as a site rule would."""
    return (
        f"kept {_named(element)}, although it looks like {reason}: "
        "it holds most of the page's text"
    )


def _held_back_together(marked: Marked, reason: str) -> str:
    elements = [element for element, marked_reason, _ in marked if marked_reason == reason]
    return (
        f"kept {len(elements)} elements that look like {reason} ({_named(elements[0])} …): "
        "between them they hold most of the page's text"
    )


def _named(element: HtmlElement) -> str:
    """``<div class="main-sidebar">``: the element as a site rule would find it."""
    names = " ".join(
        f'{key}="{value}"' for key in ("id", "class", "role") if (value := element.get(key))
    )
    return f"<{element.tag} {names}>" if names else f"<{element.tag}>"


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
        if isinstance(item, str) or not (item.tag == "br" or is_block(item)):
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


def _walk(root: HtmlElement, skip: set[HtmlElement]) -> Iterator[HtmlElement]:
    """Pre-order, without descending into an element the caller has just put in
    ``skip`` (or dropped: a ``<pre>`` read as paragraphs is replaced in place)."""
    stack = [root]
    while stack:
        element = stack.pop()
        yield element
        if element not in skip and (element.getparent() is not None or element is root):
            stack.extend(child for child in reversed(element) if isinstance(child.tag, str))


def _alt_texts(root: HtmlElement) -> set[str]:
    """The pictures' descriptions (``alt``) long enough to be a caption's words."""
    return {squashed(alt) for img in root.iter("img") if len(alt := img.get("alt") or "") >= 25}


def _repeats_alt_text(element: HtmlElement, alt_texts: set[str]) -> bool:
    """A short text block saying what a picture's ``alt`` says: its caption, wherever
    the page puts it (the Guardian lists a gallery's captions after the pictures)."""
    if not alt_texts or element.tag not in ("p", "li", "div"):
        return False
    opening = squashed((element.text or "")[:40])[:12]
    if len(opening) < 4 or not any(alt.startswith(opening) for alt in alt_texts):
        return False  # cheap: most blocks open with words no picture's description has
    text = short_text(element, 400)
    return text is not None and squashed(text) in alt_texts


def _reason(
    element: HtmlElement, page_text: str, given: bool, hidden: HiddenRules, keep_captions: bool
) -> str | None:
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
    if reason is None and tag in patterns.TEXT_TAGS:
        reason = _text_reason(element)
    return reason


def _is_hidden(element: HtmlElement, hidden: HiddenRules) -> bool:
    """Hidden by an attribute, an inline style or the page's style sheet: a browser
    shows none of it.

    Not the page's frame (``<body style="display:none">`` until a script has run).
    (A formula kept for screen readers is no longer hidden: see ``_formulas_as_text``.)
    """
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
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
    inline = element.tag in patterns.INLINE_TAGS
    for reason, pattern in patterns.CLASS_REASONS:
        if inline and reason not in patterns.INLINE_REASONS:
            continue
        if pattern.search(names) and _plausible(element, reason, body_size):
            if reason == "comments" and patterns.LIVE_COMMENTARY.search(names):
                return None
            return reason
    return None


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
            if pattern.search(text) and (reason != "credit" or _names_only(text)):  # or "© …"
                return reason
    return appeal_reason(text)


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
