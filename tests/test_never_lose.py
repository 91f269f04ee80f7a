"""Never lose the article: a cleanup rule that would take the article with it is held
back, a result far short of trafilatura's own choice falls back to it, and "no article
text found" only where there is none. The pages are ours (``tests/fixtures``)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import lxml.html
import pytest
from typer.testing import CliRunner

from listen.cli import app
from listen.errors import ExtractError
from listen.models import Article, Page
from listen.read.extract import extract_article
from listen.read.load import load_page
from listen.read.prose import prose_size

FIXTURES = Path(__file__).parent / "fixtures"
SENTENCE = (
    "The ferry to the island leaves the harbour at seven, and on a calm morning the "
    "crossing takes a little under forty minutes. "
)


def _fixture(name: str) -> Article:
    return extract_article(load_page(str(FIXTURES / f"{name}.html")))


def _html(html: str) -> Article:
    return extract_article(Page(html, "test.html", None, datetime.now(timezone.utc), "utf-8"))


def _text(article: Article) -> str:
    return " ".join(block.text for block in article.blocks)


def _notes(article: Article) -> str:
    return " ".join(article.notes)


def test_running_text_is_long_runs_of_words_outside_links_and_scripts() -> None:
    run = "forty characters and more, a run of prose"  # 41 characters
    html = (
        f"<div><p>{run}</p>short line<br>{run}<a href='/x'>{run}</a>"
        f"<script>{run}</script><p><b>{run}</b> {run}</p></div>"
    )
    element = lxml.html.fragment_fromstring(html)
    # The paragraph, the tail after <br>, the bold words and the words after them: four
    # runs; not the short line, the link or the script.
    assert prose_size(element) == 4 * len(run)


def test_a_page_wrapped_whole_in_a_form_keeps_its_article_and_says_so() -> None:
    article = _fixture("aspnet-form")
    assert "Forty-two new bus shelters" in _text(article)
    assert 'kept <form id="aspnetForm" class="form-main">' in _notes(article)
    assert "looks like form" in _notes(article)
    assert any(d.reason == "related" for d in article.dropped)  # the rest is still cleaned


def test_a_main_column_whose_class_says_sidebar_is_read_and_the_real_sidebar_is_not() -> None:
    article = _fixture("sidebar-column")
    assert "sidebar-main" in _notes(article)
    assert "Steam was the other discovery." in _text(article)
    assert "Recent posts" not in _text(article)
    assert any(d.reason == "sidebar" and "About me" in d.text for d in article.dropped)


def test_many_elements_of_one_rule_that_hold_the_article_between_them_are_kept() -> None:
    article = _fixture("elementor")  # each paragraph in its own "widget"
    assert "kept 3 elements that look like sidebar" in _notes(article)
    assert "sixty-three trees" in _text(article)


def test_an_article_only_in_noscript_is_read() -> None:
    article = _fixture("noscript-article")
    assert "monthly restore test" in _text(article)
    assert "noscript" in _notes(article)


def test_a_small_noscript_is_still_left_out() -> None:
    html = (
        "<html><body><noscript><p>Please switch on JavaScript to see the comments on "
        f"this page.</p></noscript><article><p>{SENTENCE * 3}</p></article></body></html>"
    )
    article = _html(html)
    assert "JavaScript" not in _text(article)
    assert not article.notes


def test_a_live_commentary_marked_up_as_comments_is_the_article() -> None:
    text = _text(_fixture("live-ticker"))
    assert "Goal for Ashford! Mireille Dufour curls a free kick" in text


def test_reader_comments_are_still_left_out() -> None:
    comments = "".join(
        f'<li class="comment"><p>{SENTENCE}Reader number {n} agrees.</p></li>' for n in range(3)
    )
    html = (
        f"<html><body><article><p>{SENTENCE * 4}</p></article>"
        f'<ol class="comment-list">{comments}</ol></body></html>'
    )
    article = _html(html)
    assert "Reader number" not in _text(article)
    assert any(d.reason == "comments" for d in article.dropped)


def test_a_result_far_short_of_trafilatura_reads_trafilatura_choice_instead() -> None:
    # The body sits in a "membership" box (a newsletter sign by its class) and the comment
    # thread outweighs it: cleanup keeps a line, trafilatura the article.
    article = _fixture("paywall-comments")
    assert "four million pounds" in _text(article)
    assert "read trafilatura's choice instead" in _notes(article)
    assert "I have read this twice" not in _text(article)  # comments stay out


def test_a_result_that_keeps_the_article_is_not_second_guessed() -> None:
    article = _fixture("wordpress")
    assert not article.notes


def test_a_page_whose_only_text_listen_leaves_out_is_read_rather_than_lost() -> None:
    # A photo story: a gallery is left out as pictures, but here its captions are all
    # the text there is, and trafilatura reads them.
    items = "".join(
        f'<div class="gallery-item"><img src="/p{n}.jpg" alt=""><p>{SENTENCE}Picture {n}.</p></div>'
        for n in range(4)
    )
    menu = "".join(f'<li><a href="/s{n}">Section number {n}</a></li>' for n in range(40))
    html = (
        f'<html><body><nav><ul>{menu}</ul></nav><div class="gallery">{items}</div>'
        "</body></html>"
    )
    article = _html(html)
    assert "Picture 3." in _text(article)
    assert "trafilatura" in _notes(article)


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>",
        "<html><body><div class='cookie-banner'>We use cookies.</div></body></html>",
    ],
)
def test_no_article_when_trafilatura_finds_none_either(html: str) -> None:
    with pytest.raises(ExtractError, match="no article text found"):
        _html(html)


def test_explain_prints_the_rule_held_back() -> None:
    result = CliRunner().invoke(
        app, ["script", str(FIXTURES / "aspnet-form.html"), "--format", "text", "--explain"]
    )
    assert result.exit_code == 0, result.stderr
    said = " ".join(result.stderr.split())
    assert 'Note: kept <form id="aspnetForm" class="form-main">' in said
    assert "Forty-two new bus shelters" in result.stdout
