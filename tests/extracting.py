"""Extraction of small pages written in a test: a page from HTML, what is dropped and why."""

from __future__ import annotations

from datetime import datetime, timezone

from listen.models import Article, Page, SiteRule
from listen.read.extract import extract_article


def extract_html(html: str, *, url: str | None = None, rules: dict[str, SiteRule] | None = None,
                 keep_captions: bool = False) -> Article:
    """The article listen extracts from ``html``, as if loaded from a file or ``url``."""
    page = Page(html, "test.html", url, datetime.now(timezone.utc), "utf-8")
    return extract_article(page, rules=rules, keep_captions=keep_captions)


def in_article(body: str, head: str = "", keep_captions: bool = False) -> Article:
    """The article extracted from ``body`` put inside an ``<article>`` of a page."""
    html = f"<html><head>{head}</head><body><article>{body}</article></body></html>"
    return extract_html(html, keep_captions=keep_captions)


def reasons(article: Article) -> dict[str, str]:
    """Each text left out, with the reason ``--explain`` gives."""
    return {dropped.text: dropped.reason for dropped in article.dropped}
