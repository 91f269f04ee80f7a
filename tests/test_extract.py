"""Extraction over realistic pages: what a listener hears, what is left out, the metadata."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from listen.errors import ConfigError, ExtractError
from listen.models import Article, BlockKind, Page, SiteRule
from listen.read.extract import extract_article, find_rule
from listen.read.load import load_page
from listen.tomlfile import parse_toml

FIXTURES = Path(__file__).parent / "fixtures"
EXPECTED: dict[str, dict[str, Any]] = parse_toml(
    (FIXTURES / "expected.toml").read_text(encoding="utf-8"), "expected.toml")
EXAMPLE = Path(__file__).parent.parent / "examples" / "night-trains.html"


def _extract(name: str, **kwargs: Any) -> Article:
    return extract_article(load_page(str(FIXTURES / f"{name}.html")), **kwargs)


def _text(article: Article) -> str:
    return "\n".join(block.text for block in article.blocks)


def _page(html: str, url: str | None = None) -> Page:
    return Page(html, "test.html", url, datetime.now(timezone.utc), "utf-8")


def test_every_fixture_has_expectations() -> None:
    pages = {p.stem for p in FIXTURES.glob("*.html")}
    assert pages == set(EXPECTED)
    assert len(pages) >= 11


@pytest.fixture(params=sorted(EXPECTED), name="case")
def _case(request: pytest.FixtureRequest) -> tuple[Article, dict[str, Any]]:
    return _extract(request.param), EXPECTED[request.param]


def test_article_text_is_there_in_reading_order(case: tuple[Article, dict[str, Any]]) -> None:
    article, expected = case
    text = _text(article)
    position = 0
    for wanted in expected["must_contain"]:
        found = text.find(wanted, position)
        assert found >= 0, f"missing or out of order: {wanted!r}"
        position = found + len(wanted)


def test_furniture_is_left_out(case: tuple[Article, dict[str, Any]]) -> None:
    article, expected = case
    text = _text(article)
    for unwanted in expected["must_not_contain"]:
        assert unwanted not in text


def test_metadata(case: tuple[Article, dict[str, Any]]) -> None:
    article, expected = case
    assert article.title == expected["title"]
    assert article.authors == tuple(expected["authors"])
    assert article.language == expected["language"]
    if "date" in expected:
        date = expected["date"]
        assert article.date == (datetime.fromisoformat(date) if date else None)
    for field in ("site", "url", "image"):
        if field in expected:
            assert getattr(article, field) == expected[field]


def test_no_block_is_empty_or_padded(case: tuple[Article, dict[str, Any]]) -> None:
    article, _ = case
    for block in article.blocks:
        assert block.text and block.text == " ".join(block.text.split())
        assert (block.level in range(1, 7)) == (block.kind is BlockKind.HEADING)


def test_listicle_items_are_list_items() -> None:
    article = _extract("listicle")
    assert [b.kind.value for b in article.blocks] == EXPECTED["listicle"]["kinds"]


def test_a_pull_quote_repeating_the_text_is_heard_once() -> None:
    text = _text(_extract("pullquotes"))
    for phrase in EXPECTED["pullquotes"]["once"]:
        assert text.count(phrase) == 1


def test_keep_captions_keeps_captions_but_not_credits() -> None:
    text = _text(_extract("pullquotes", keep_captions=True))
    assert "A frame of capped honey, ready for extraction in late August." in text
    assert "Photo by Nadia Kowalczyk" not in text


def test_what_is_left_out_is_recorded_with_a_reason() -> None:
    article = _extract("wordpress")
    reasons = {d.reason for d in article.dropped}
    assert {
        "player",
        "share",
        "ad",
        "footnote-marker",
        "footnotes",
        "related",
        "newsletter",
        "comments",
        "footer",
        "byline",
    } <= reasons
    assert all(d.text for d in article.dropped)


def test_the_example_page_extracts_cleanly() -> None:
    article = extract_article(load_page(str(EXAMPLE)))
    text = _text(article)
    words = len(text.split())
    assert 700 <= words <= 900
    assert [b.text for b in article.blocks if b.kind is BlockKind.HEADING] == [
        "A comeback built on a simple promise",
        "The shortage nobody planned for",
        "What would make it last",
    ]
    assert "some of them with only three departures a week, others every night of the year." in text
    for junk in (
        "Listen to the article",
        "Advertisement",
        "[1]",
        "Read more",
        "Sign up",
        "cookies",
        "Operator annual reports",
        "All rights reserved",
        "Photo: Jonas",
    ):
        assert junk not in text
    assert article.authors == ("Marta Lindqvist",)
    assert article.site == "The Platform"
    assert article.date == datetime.fromisoformat("2025-10-14T06:00:00+02:00")
    assert article.url == "https://theplatform.example/2025/10/night-trains-are-back/"
    assert article.image and article.image.endswith("sleeper-at-dusk-1200x675.jpg")


def test_language_is_detected_when_the_page_does_not_say() -> None:
    sentence = "Der Zug fährt heute Abend um neun Uhr ab, und wir sind froh, dass er pünktlich ist."
    html = "<html><body><article>" + f"<p>{sentence}</p>" * 3 + "</article></body></html>"
    assert extract_article(_page(html)).language == "de"


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        "<html><body><nav><a href='/'>Home</a></nav></body></html>",
        "<html><body><script>var a = 1;</script></body></html>",
    ],
)
def test_a_page_without_article_text_says_what_to_do(html: str) -> None:
    with pytest.raises(ExtractError, match="no article text found in test.html"):
        extract_article(_page(html))


SITE = """<html><body>
<div class="promo-box"><p>Buy our mugs, they are the finest mugs in the whole wide world.</p></div>
<div class="story-text">
<p>The council met on Monday to discuss the new cycle lanes on Harbour Street.</p>
<p class="kicker">Paid partner content appears below this line today.</p>
</div></body></html>"""


def test_site_rule_keep_and_skip() -> None:
    rules = {"example.org": SiteRule(keep=(".story-text",), skip=(".kicker",))}
    article = extract_article(_page(SITE, "https://news.example.org/a/1"), rules=rules)
    assert (
        _text(article)
        == "The council met on Monday to discuss the new cycle lanes on Harbour Street."
    )
    assert any(d.reason == "site-rule" for d in article.dropped)


def test_a_kept_body_is_still_cleaned_of_furniture() -> None:
    html = SITE.replace(
        '<p class="kicker">',
        '<ul class="share-bar"><li>Share on Facebook</li><li>Share on X</li></ul>'
        '<div class="ad-slot"><span>Advertisement</span></div>'
        '<p>Councillors approved the plan.<sup><a href="#fn1">[1]</a></sup></p>'
        '<p class="kicker">',
    )
    rules = {"example.org": SiteRule(keep=(".story-text",))}
    text = _text(extract_article(_page(html, "https://example.org/a/2"), rules=rules))
    assert "Councillors approved the plan." in text
    for junk in ("Share on", "Advertisement", "[1]"):
        assert junk not in text


def test_site_rule_matches_host_subdomain_and_canonical() -> None:
    rule = SiteRule(skip=("x",))
    assert find_rule({"example.org": rule}, "https://www.example.org/a", None) is rule
    assert find_rule({"example.org": rule}, None, "https://example.org/a") is rule
    assert find_rule({"example.org": rule}, "https://notexample.org/a", None) is None


def test_a_bad_selector_in_a_site_rule_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="listen.toml"):
        extract_article(
            _page(SITE, "https://example.org/"), rules={"example.org": SiteRule(keep=("div[",))}
        )


def test_loose_text_prose_pre_and_quoted_lists() -> None:
    article = _extract("devnotes")
    blocks = [(b.kind.value, b.text) for b in article.blocks]
    # Text after a heading, outside any <p>, and the line after a <br>: paragraphs of their own.
    assert ("paragraph", next(t for _, t in blocks if t.startswith("Eleven small"))) in blocks
    assert any(t.startswith("A shared queue turns") for _, t in blocks)
    # A list inside a blockquote is quoted text.
    quoted = [t for k, t in blocks if k == "quote"]
    assert any(t.startswith("No team should wait") for t in quoted)
    # A nested list item is its own block, not repeated inside its parent.
    assert sum("largest repositories" in t for _, t in blocks) == 1
    # The code listing is left out with a reason; the prose <pre> is read as paragraphs.
    assert any(d.reason == "code" and "max_wait_minutes" in d.text for d in article.dropped)
    assert ("paragraph", "To every team that runs builds at Larkspur,") in blocks


@pytest.mark.parametrize(
    ("pre", "prose"),
    [
        ("SELECT name, count(*) FROM jobs\nWHERE state = 'done'\nGROUP BY name;\n" * 8, False),
        ("$ make build\ncompiling 14 files\n$ make test\nall tests passed\n" * 8, False),
        (
            "Dear neighbours, the street party is on Saturday, and everyone is welcome.\n"
            "Please bring a chair, a dish to share, and something to drink for yourself.\n" * 4,
            True,
        ),
    ],
)
def test_preformatted_prose_is_told_from_code(pre: str, prose: bool) -> None:
    from listen.read.preformatted import _read_preformatted

    assert (_read_preformatted(pre) is not None) is prose


def test_math_source_is_not_read_out() -> None:
    formula = (
        '<math><semantics><mi>x</mi><annotation encoding="application/x-tex">'
        "{\\displaystyle x}</annotation></semantics></math>"
    )
    sentence = f"<p>The value of {formula} grows every year, as the figures below will show us.</p>"
    html = "<html><body><article>" + sentence * 3 + "</article></body></html>"
    assert "displaystyle" not in _text(extract_article(_page(html)))


def test_blocks_trafilatura_skipped_between_kept_ones_come_back() -> None:
    from listen.models import Block
    from listen.read.blocks import restore_gaps

    first = Block(BlockKind.PARAGRAPH, "The ferry left the harbour at seven in the morning.")
    last = Block(BlockKind.PARAGRAPH, "By noon the island was in sight and the wind had dropped.")
    skipped = Block(BlockKind.LIST_ITEM, "Two crates of apples for the island school kitchen")
    label = Block(BlockKind.PARAGRAPH, "$915 billion")
    heading = Block(BlockKind.HEADING, "The crossing", 2)
    document = [first, heading, skipped, label, last]
    assert restore_gaps([first, last], document) == [first, heading, skipped, last]
