"""What extraction leaves out of an article, and the reason it records: footnote
markers, permalinks, in-page contents, captions, teasers, pull quotes, wrappers whose
class names furniture, and what stays because it only looks like furniture."""

from __future__ import annotations

import pytest

from extracting import in_article, reasons
from listen.models import Article

PROSE = (
    "The harbour board met on Tuesday evening to settle the question of the old ferry, "
    "which has carried passengers across the bay since the spring of 1961. "
)


def _text(article: Article) -> str:
    return "\n".join(block.text for block in article.blocks)


# --- footnote markers --------------------------------------------------------------------

def test_footnote_markers_are_not_read_and_numbered_links_elsewhere_are() -> None:
    body = (
        f"<p>{PROSE}</p>"
        "<p>The ferry was built in Dunmore<sup>2</sup> and refitted twice<sup>[b]</sup>, "
        "the last time in 1990<a href='#fn3'>3</a>.</p>"
        "<p>The timetable is printed on page <a href='/timetable/4'>4</a> of the guide, "
        "and the fares on the 5<sup>th</sup> page.</p>"
        f"<p>{PROSE} More.</p>"
    )
    article = in_article(body)
    text = _text(article)
    assert "built in Dunmore and refitted twice, the last time in 1990." in text
    assert ("printed on page 4 of the guide, and the fares on the 5th page." in text)
    assert "footnote-marker" in reasons(article).values()


def test_a_footnotes_way_back_is_not_read() -> None:
    body = (
        f"<p>{PROSE}</p><p>{PROSE} More.</p>"
        "<p>The ferry kept its name through three owners.<a href='#text-1'>↩</a></p>"
    )
    text = _text(in_article(body))
    assert "The ferry kept its name through three owners." in text
    assert "↩" not in text


# --- permalinks and contents -------------------------------------------------------------

@pytest.mark.parametrize("sign", ["¶", "§", "🔗"])
def test_a_headings_own_anchor_is_not_read(sign: str) -> None:
    body = (
        f"<p>{PROSE}</p><h2 id='vote'>The vote <a href='#vote'>{sign}</a></h2>"
        f"<p>{PROSE} More.</p><p>{PROSE} Again.</p>"
    )
    article = in_article(body)
    assert "The vote" in [block.text for block in article.blocks]
    assert sign not in _text(article)
    assert reasons(article)[sign] == "permalink"


def test_a_link_to_another_part_of_the_page_stays_in_its_sentence() -> None:
    body = (
        f"<p>{PROSE}</p><p>The figures are explained in <a href='#method'>the method "
        f"section</a> further down.</p><h2 id='method'>Method</h2><p>{PROSE} More.</p>"
    )
    assert "The figures are explained in the method section further down." in _text(
        in_article(body))


@pytest.mark.parametrize("tag", ["ul", "ol"])
def test_a_contents_list_of_three_sections_is_not_read(tag: str) -> None:
    items = "".join(
        f"<li><a href='#s{n}'>Part {n}: how the harbour board counts its passengers</a></li>"
        for n in range(1, 4)
    )
    body = f"<p>{PROSE}</p><{tag}>{items}</{tag}><p>{PROSE} More.</p><p>{PROSE} Again.</p>"
    article = in_article(body)
    assert "counts its passengers" not in _text(article)
    assert "navigation" in reasons(article).values()


def test_a_list_of_steps_that_open_with_in_page_links_is_read() -> None:
    items = "".join(
        f"<li><a href='#{word}'>{word.title()}</a>: check the {word} before the boat leaves "
        "the quay, and write what you find in the log book.</li>"
        for word in ("ropes", "engine", "lights")
    )
    body = f"<p>{PROSE}</p><ul>{items}</ul><p>{PROSE} More.</p>"
    text = _text(in_article(body))
    for word in ("ropes", "engine", "lights"):
        assert f"check the {word} before the boat leaves" in text


# --- captions ----------------------------------------------------------------------------

FIGURE = (
    "<figure><img src='ferry.jpg'><figcaption>The old ferry at her berth on a calm "
    "morning</figcaption></figure>"
)


def test_a_figure_caption_is_left_out_and_kept_when_asked() -> None:
    body = f"<p>{PROSE}</p>{FIGURE}<p>{PROSE} More.</p>"
    left_out = in_article(body)
    assert "calm morning" not in _text(left_out)
    assert reasons(left_out)["The old ferry at her berth on a calm morning"] == "caption"
    kept = in_article(body, keep_captions=True)
    assert "The old ferry at her berth on a calm morning" in [b.text for b in kept.blocks]


@pytest.mark.parametrize(
    "caption",
    [
        "<p class='legend'>The old ferry at her berth on a calm morning</p>",
        "<p>Featured image: the old ferry at her berth on a calm morning</p>",
    ],
)
def test_captions_known_by_class_or_words_are_kept_when_asked(caption: str) -> None:
    body = f"<p>{PROSE}</p>{caption}<p>{PROSE} More.</p>"
    assert "calm morning" not in _text(in_article(body))
    assert "calm morning" in _text(in_article(body, keep_captions=True))


def test_keeping_captions_still_leaves_out_other_furniture() -> None:
    body = f"<p>{PROSE}</p><p>Advertisement</p><p>{PROSE} More.</p>"
    article = in_article(body, keep_captions=True)
    assert "Advertisement" not in _text(article)
    assert reasons(article)["Advertisement"] == "ad"


ALT = "Hori Parata at his farm, the place where he was born."


@pytest.mark.parametrize(
    "block",
    [
        f"<ul><li>{ALT}</li></ul>",
        f"<div>{ALT}</div>",
        "<p>Hori <b>Parata</b> at his farm, the place where he was born.</p>",
    ],
)
def test_a_caption_repeating_a_pictures_description_is_left_out(block: str) -> None:
    body = (
        f"<p>{PROSE}</p><figure><img src='a.jpg' alt='{ALT}'></figure>{block}"
        f"<p>{PROSE} More.</p><p>{PROSE} Again.</p>"
    )
    article = in_article(body)
    assert "at his farm" not in _text(article)
    assert reasons(article)[ALT] == "caption"


def test_a_description_of_25_characters_is_enough_to_know_its_caption() -> None:
    alt = "The ferry at Dunmore yard"
    assert len(alt) == 25
    body = (
        f"<p>{PROSE}</p><img src='a.jpg' alt='{alt}'><p>{alt}</p>"
        f"<p>{PROSE} More.</p><p>{PROSE} Again.</p>"
    )
    assert alt not in _text(in_article(body))


def test_a_paragraph_that_only_opens_like_a_pictures_description_is_read() -> None:
    sentence = "Hori Parata at his farm told us the river had risen twice since May."
    body = (
        f"<p>{PROSE}</p><figure><img src='a.jpg' alt='{ALT}'></figure><p>{sentence}</p>"
        f"<p>{PROSE} More.</p>"
    )
    assert sentence in _text(in_article(body))


# --- wrappers judged by their class, id and role -----------------------------------------

def test_an_element_is_judged_by_its_short_id_too() -> None:
    body = (
        f"<p>{PROSE}</p><p>{PROSE} More.</p>"
        "<div id='post-comments-list'><p>Great piece, thanks for writing it up!</p></div>"
        "<div id='comments'><p>I took that ferry every summer as a child.</p></div>"
    )
    text = _text(in_article(body))
    assert "Great piece" not in text and "every summer as a child" not in text


def test_an_id_made_from_a_heading_is_not_taken_for_a_class_word() -> None:
    body = (
        f"<p>{PROSE}</p><div id='how-the-ad-was-made'><p>Two crews now share "
        f"the crossing, one in the morning and one at night.</p></div><p>{PROSE} More.</p>"
    )
    assert "Two crews now share the crossing" in _text(in_article(body))


@pytest.mark.parametrize(
    ("attributes", "reason"),
    [
        ("role='complementary'", "aside"),
        ("role='Navigation'", "navigation"),
        ("role='dialog' class='cookie-notice'", "cookie"),
        ("role='dialog' class='signup-box'", "popup"),
    ],
)
def test_an_element_is_judged_by_its_role(attributes: str, reason: str) -> None:
    line = "Boats, ferries and the people who run them"
    body = f"<p>{PROSE}</p><div {attributes}><p>{line}</p></div><p>{PROSE} More.</p>"
    article = in_article(body)
    assert line not in _text(article)
    assert reasons(article)[line] == reason


def test_a_link_styled_as_a_byline_stays_in_its_sentence() -> None:
    body = (
        f"<p>{PROSE}</p><p>Our reporter <a class='author' href='/staff/ana-ruiz'>Ana Ruiz</a> "
        f"spent a week on the ferry.</p><p>{PROSE} More.</p>"
    )
    assert "Our reporter Ana Ruiz spent a week on the ferry." in _text(in_article(body))


RITUAL = (
    "Every crossing begins with the same ritual: the skipper walks the deck, checks the "
    "ropes and the lifebelts, greets the regulars by name and writes the weather in a log "
    "that now fills eleven volumes, the oldest of them kept in a drawer at the harbour office."
)


@pytest.mark.parametrize("wrapper", ["dateline", "credits", "reading-time"])
def test_a_long_paragraph_in_a_wrapper_named_for_a_short_line_is_read(wrapper: str) -> None:
    assert len(RITUAL) > 250  # longer than any byline, credit or reading time
    body = (
        f"<p>{PROSE}</p><div class='{wrapper}'><p>{RITUAL}</p></div><p>{PROSE} More.</p>"
        f"<p>{PROSE} Again.</p>"
    )
    assert RITUAL in _text(in_article(body))


def test_comments_on_a_short_article_are_not_read() -> None:
    comments = "".join(
        f"<div><img src='avatar{n}.png'><p>Reader {n}: I crossed on that ferry in the "
        "seventies and the coffee was terrible.</p></div>"
        for n in range(3)
    )
    body = f"<p>{PROSE}</p><p>{PROSE} More.</p><div class='comments'>{comments}</div>"
    article = in_article(body)
    assert "coffee was terrible" not in _text(article)
    assert "comments" in reasons(article).values()


# --- teasers, credits and pull quotes ----------------------------------------------------

def test_a_linked_teaser_ending_in_a_full_stop_is_left_out() -> None:
    teaser = "Read more: The council never answered the harbour board's letters."
    body = f"<p>{PROSE}</p><p><a href='/letters'>{teaser}</a></p><p>{PROSE} More.</p>"
    article = in_article(body)
    assert "never answered" not in _text(article)
    assert reasons(article)[teaser] == "related"


def test_a_sentence_opening_like_a_teaser_with_a_link_in_it_is_read() -> None:
    body = (
        f"<p>{PROSE}</p><p>See: the council never answered <a href='/l'>our letter</a>.</p>"
        f"<p>{PROSE} More.</p>"
    )
    assert "See: the council never answered our letter." in _text(in_article(body))


@pytest.mark.parametrize(
    "credit", ["Cover illustration By Ana Ruiz", "(© harbour trust archive)"]
)
def test_more_credits_are_left_out(credit: str) -> None:
    article = in_article(f"<p>{PROSE}</p><p>{credit}</p><p>{PROSE} More.</p>")
    assert credit not in _text(article)
    assert reasons(article)[credit] == "credit"


def test_a_pull_quote_in_quotation_marks_repeating_the_text_is_heard_once() -> None:
    words = "nobody on the board wanted to be the one who sank the old ferry"
    body = (
        f"<p>{PROSE}</p><p>In the end, {words}, said the chair.</p>"
        f"<blockquote class='pullquote'>“{words.capitalize()}”</blockquote>"
        f"<p>{PROSE} More.</p>"
    )
    assert _text(in_article(body)).casefold().count(words) == 1
