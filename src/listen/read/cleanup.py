"""Remove page furniture before main-content selection (helper of ``extract``).

One top-down walk over the lxml tree marks, with a reason, what a listener should
not hear (``furniture`` judges each element: navigation, share bars, teasers,
appeals, ads, comments, bylines, captions, hidden text, galleries, footnotes, tables
of figures, code …). A rule that would take most of the page's running text with it
is held back (the article is never furniture); then the marked elements go, with a
heading whose section they were.

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
from listen.read.furniture import alt_texts, element_reason, repeats_alt_text
from listen.read.markup import is_block, text_of
from listen.read.preformatted import read_pre
from listen.read.prose import MIN_RUN, MOST, NEARLY_ALL, MainText, prose_size
from listen.read.stylesheet import HiddenRules


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
    language: str | None = None,
    keep_captions: bool = False,
    plain: bool = False,
) -> Cleaning:
    """Drop furniture from ``root`` in place; say what was dropped and why.

    ``main`` is the page's running text, measured before: a rule that would remove
    most of it, in one element (a main column whose class says ``sidebar``, a page
    wrapped whole in a ``<form>``) or in many (a live ticker marked up as comments),
    is held back: the article is never furniture. ``hidden`` is what the page's own
    style sheet hides (``stylesheet.hidden_rules``, read before the ``<style>``
    elements go). ``language`` (the page's, if it says) words what stands in for a
    formula too long to read. ``plain`` is for a plain-text document (``is_plain_text_document``):
    its ``<pre>`` pages become headings and paragraphs.
    """
    cleaning = Cleaning()
    _drop_silent(root, main, cleaning.notes)
    _wrap_loose_text(root)  # first, so that a loose "Skip to content" is judged too
    _formulas_as_text(root, cleaning.dropped, language)
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
    the end) straight after. Read alone, it would start a chapter with nothing in it.
    A teaser grid's title goes with it, heading or not ("Most read")."""
    dropping = {element for element, _, _ in marked}
    orphans: Marked = []
    for element, reason, _ in marked:
        if reason not in patterns.SECTION_CONTENT_REASONS:
            continue
        heading = _next_text_owner(element, dropping, "preceding")
        if heading is None or heading in dropping:
            continue
        if heading.tag not in _HEADING_RANK:
            if reason == "teasers" and _is_label(heading):
                orphans.append((heading, "teasers", text_of(heading)))
                dropping.add(heading)
            continue
        following = _next_text_owner(element, dropping, "following")
        if following is None or _HEADING_RANK.get(following.tag, 7) <= _HEADING_RANK[heading.tag]:
            orphans.append((heading, "empty-section", text_of(heading)))
            dropping.add(heading)
    return orphans


def _is_label(element: HtmlElement) -> bool:
    """A block of a few words and no sentence: a title set without heading markup."""
    text = text_of(element)
    return (
        element.tag in patterns.TEXT_TAGS
        and 0 < len(text) <= 60
        and not re.search(r"[.!?,;]$", text)
        and next(element.iterdescendants(*patterns.BLOCK_TAGS), None) is None
    )


_HEADING_RANK = {f"h{n}": n for n in range(1, 7)}


def _next_text_owner(
    element: HtmlElement, dropping: set[HtmlElement], axis: str
) -> HtmlElement | None:
    """The element that owns the nearest words before (``axis="preceding"``) or after
    ``element``, not counting what is being left out: a heading, or the block the words
    sit in. Walks siblings, then up: most pages answer within a few steps."""
    before = axis == "preceding"
    node = element
    while node is not None:
        if (node.tail or "").strip() and not before:
            return node.getparent()  # words right after the element, in its parent
        sibling = node.getprevious() if before else node.getnext()
        while sibling is not None:
            if before and (sibling.tail or "").strip():
                return node.getparent()
            if isinstance(sibling.tag, str) and sibling not in dropping and _has_words(sibling):
                return _owner_at_edge(sibling, dropping, before)
            if not before and (sibling.tail or "").strip():
                return node.getparent()
            sibling = sibling.getprevious() if before else sibling.getnext()
        parent = node.getparent()
        if parent is None or (before and (parent.text or "").strip()):
            return parent
        node = parent
    return None


def _has_words(element: HtmlElement) -> bool:
    return any(text.strip() for text in element.itertext())


def _owner_at_edge(element: HtmlElement, dropping: set[HtmlElement], last: bool) -> HtmlElement:
    """The heading or innermost block holding the last (or first) words of ``element``."""
    if element.tag in _HEADING_RANK or (not last and (element.text or "").strip()):
        return element
    children = [c for c in element if isinstance(c.tag, str) and c not in dropping]
    for child in reversed(children) if last else children:
        tail_words = (child.tail or "").strip()
        if last and tail_words:
            return element
        if _has_words(child):
            return _owner_at_edge(child, dropping, last)
        if not last and tail_words:
            return element
    return element


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
        self.alt_texts = alt_texts(root)

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
        reason = element_reason(
            element, self.page_text, self.main.given, self.hidden, self.keep_captions
        )
        if reason is None and not self.keep_captions and repeats_alt_text(element, self.alt_texts):
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


def _formulas_as_text(root: HtmlElement, dropped: list[Dropped], language: str | None) -> None:
    """Make a short inline MathML formula a span of its symbols set apart (``A H``,
    not ``AH``); leave out a longer one, which read symbol by symbol is no sentence,
    and in the middle of a sentence say "a formula" in its place, so that the
    sentence still holds together.

    A screen reader speaks the MathML, which MediaWiki hides from the eye with
    ``display: none`` beside a picture of the formula; trafilatura drops ``<math>``.
    """
    for formula in list(root.iter("math")):
        symbols = [" ".join(t.itertext()) for t in formula.iter("mi", "mn", "mo", "ms", "mtext")]
        spoken = " ".join(" ".join(symbols).split())
        if len(symbols) > patterns.MAX_FORMULA_SYMBOLS:
            dropped.append(Dropped(spoken, "formula"))
            if not _in_a_sentence(formula, spoken):
                formula.drop_tree()
                continue
            spoken = patterns.A_FORMULA.get(language or "", patterns.A_FORMULA["en"])
        for wrapper in formula.iterancestors():
            if wrapper.tag not in patterns.INLINE_TAGS:
                break
            if patterns.HIDDEN_STYLE.search(wrapper.get("style") or ""):
                del wrapper.attrib["style"]
        tail = formula.tail
        formula.clear()
        formula.tag = "span"
        formula.text = spoken
        formula.tail = tail


def _in_a_sentence(formula: HtmlElement, spoken: str) -> bool:
    """Words around the formula in its paragraph (not a formula set on a line of its own)."""
    block = next((a for a in formula.iterancestors() if a.tag in patterns.BLOCK_TAGS), None)
    if block is None:
        return False
    around = len(patterns.WORD.findall(text_of(block))) - len(patterns.WORD.findall(spoken))
    return around >= 3


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
