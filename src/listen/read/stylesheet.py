"""What the page's own ``<style>`` hides (helper of ``cleanup``).

``.x{display:none}`` in a ``<style>`` element hides ``<p class="x">`` from every
reader, as surely as an inline ``style``. Only what a browser would hide on any
screen counts: rules at the top level of the style sheet (not inside ``@media``,
``@supports`` …) whose selector is a simple one (a tag, classes, an id: ``.x``,
``p.note``, ``#promo``); a rule that shows such an element again (``.tab.active
{display:block}``) wins. A style sheet is scanned only where it says
``display:none`` or ``visibility:hidden`` at all, so most pages cost a search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml.html import HtmlElement

_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_HIDES = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)  # a first look
_BRACE = re.compile(r"[{}]")
# A compound selector of a tag, classes and an id, nothing else: "p", ".x", "p.x#y".
_SIMPLE = re.compile(r"^([a-zA-Z][a-zA-Z0-9]*)?((?:[.#][_a-zA-Z][-_a-zA-Z0-9]*)*)$")
_PART = re.compile(r"([.#])([_a-zA-Z][-_a-zA-Z0-9]*)")
# Hidden by a style sheet until a script has run: the frame, not its content.
_FRAME = {"html", "body", "main", "article"}

Selector = tuple[str, frozenset[str], str]
"""A tag (or ""), the classes, an id (or "")."""


@dataclass(frozen=True)
class HiddenRules:
    """The simple selectors the page's style sheet hides, and those it shows."""

    hidden: tuple[Selector, ...] = ()
    shown: tuple[Selector, ...] = field(default=())

    def hides(self, element: HtmlElement) -> bool:
        if not self.hidden:
            return False
        tag, ident = element.tag, element.get("id") or ""
        classes = set((element.get("class") or "").split())
        return any(_matches(s, tag, classes, ident) for s in self.hidden) and not any(
            _matches(s, tag, classes, ident) for s in self.shown
        )


def hidden_rules(root: HtmlElement) -> HiddenRules:
    """The rules of the page's ``<style>`` elements that hide or show simple selectors."""
    sheets = [style.text or "" for style in root.iter("style")]
    sheet = "\n".join(text for text in sheets if _HIDES.search(text))
    if not sheet:
        return HiddenRules()
    hidden: list[Selector] = []
    shown: list[Selector] = []
    for prelude, declarations in _top_level_rules(_COMMENT.sub("", sheet)):
        effect = _effect(declarations)
        if effect is True:
            hidden += _selectors(prelude)
        elif effect is False:
            shown += _selectors(prelude)
    return HiddenRules(tuple(hidden), tuple(shown))


def _effect(declarations: str) -> bool | None:
    """True if the declarations hide (the last ``display`` is ``none``, or the last
    ``visibility`` is ``hidden``), False if they show, None if they say neither."""
    display = visibility = ""
    for declaration in declarations.split(";"):
        name, _, value = declaration.partition(":")
        name = name.strip().lower()
        value = value.replace("!important", "").strip().lower()
        if name == "display":
            display = value
        elif name == "visibility":
            visibility = value
    if display == "none" or visibility == "hidden":
        return True
    return False if display or visibility == "visible" else None


def _top_level_rules(sheet: str) -> list[tuple[str, str]]:
    """``(selector list, declarations)`` of each rule outside any ``@`` block."""
    rules: list[tuple[str, str]] = []
    depth = 0
    start = 0  # where the current top-level prelude begins
    opened = 0
    for brace in _BRACE.finditer(sheet):
        if brace.group() == "{":
            if depth == 0:
                opened = brace.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                prelude = sheet[start:opened].strip()
                body = sheet[opened + 1 : brace.start()]
                if not prelude.startswith("@") and "{" not in body:
                    rules.append((prelude, body))
                start = brace.end()
    return rules


def _selectors(prelude: str) -> list[Selector]:
    found: list[Selector] = []
    for selector in prelude.split(","):
        selector = selector.strip()
        match = _SIMPLE.match(selector)
        if not selector or not match:
            continue  # combinators, pseudo-classes, attributes: not judged here
        tag = (match.group(1) or "").lower()
        if tag in _FRAME:
            continue
        parts = _PART.findall(match.group(2))
        classes = frozenset(name for kind, name in parts if kind == ".")
        ident = next((name for kind, name in parts if kind == "#"), "")
        found.append((tag, classes, ident))
    return found


def _matches(selector: Selector, tag: str, classes: set[str], ident: str) -> bool:
    want_tag, want_classes, want_id = selector
    return (
        (not want_tag or want_tag == tag)
        and want_classes <= classes
        and (not want_id or want_id == ident)
    )
