"""Any input, however broken, gives an Article or a ListenError: never a traceback."""

from __future__ import annotations

from datetime import datetime, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from listen.errors import ListenError
from listen.models import Page
from listen.read.extract import extract_article

TAGS = [
    "p",
    "div",
    "span",
    "a",
    "h2",
    "sup",
    "li",
    "ul",
    "table",
    "td",
    "figure",
    "figcaption",
    "article",
    "nav",
    "aside",
    "blockquote",
    "pre",
    "script",
    "br",
    "html",
    "body",
    "head",
]
ATTRS = [
    "",
    ' class="share"',
    ' class="ad-slot"',
    ' id="footnotes"',
    ' role="navigation"',
    ' href="#fn1"',
    ' class="entry-content"',
    ' aria-hidden="true"',
    ' class="x" id="y"',
]
WORDS = [
    "Advertisement",
    "Listen to the article",
    "[1]",
    "¹",
    "↩",
    "Read more",
    "the",
    "train",
    "2021–2022",
    "€5",
    "By Ana Ruiz",
    "&amp;",
    "&#0;",
    "<!--",
    "-->",
    "<![CDATA[",
    "\x00",
    "\ufeff",
    "München",
    "中文",
    "<",
    ">",
    '"',
    "'",
]


def _tag() -> st.SearchStrategy[str]:
    name = st.sampled_from(TAGS)
    return st.one_of(
        st.builds(lambda n, a: f"<{n}{a}>", name, st.sampled_from(ATTRS)),
        st.builds(lambda n: f"</{n}>", name),
    )


markup = st.lists(st.one_of(_tag(), st.sampled_from(WORDS), st.text(max_size=30)), max_size=60)
json_ld = st.text(max_size=80).map(
    lambda t: (
        f'<script type="application/ld+json">{t}</script><meta property="og:image" content="{t}">'
    )
)


def _check(html: str, url: str | None = None) -> None:
    page = Page(html, "fuzz.html", url, datetime.now(timezone.utc), "utf-8")
    try:
        article = extract_article(page)
    except ListenError:
        return
    assert article.blocks
    assert all(block.text.strip() for block in article.blocks)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markup)
def test_tag_soup_never_crashes(parts: list[str]) -> None:
    _check(" ".join(parts))


@settings(max_examples=100, deadline=None)
@given(json_ld, st.sampled_from([None, "https://example.org/a", "http://[::1", "ftp://x"]))
def test_broken_metadata_never_crashes(head: str, url: str | None) -> None:
    _check(
        f"<html><head>{head}</head><body><p>{'A sentence of the article. ' * 8}</p></body></html>",
        url,
    )


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_any_text_never_crashes(text: str) -> None:
    _check(text)
