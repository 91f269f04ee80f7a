"""What a listener should not hear: text the page's own style sheet hides, appeals for
newsletters, subscriptions, donations and apps (en, de, fr, es), headings left alone
by what was left out under them, and pages that are no article at all. The pages are
ours (``tests/fixtures``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from extracting import extract_html, in_article, reasons
from listen.cli import app
from listen.models import Article, SiteRule
from listen.read.extract import extract_article
from listen.read.load import load_page

FIXTURES = Path(__file__).parent / "fixtures"
PAGE = FIXTURES / "appeals-and-hidden.html"
PROSE = (
    "The harbour board met on Tuesday evening to settle the question of the old ferry, "
    "which has carried passengers across the bay since the spring of 1961."
)


def _text(article: Article) -> str:
    return " ".join(block.text for block in article.blocks)


def test_text_hidden_by_the_page_style_sheet_is_left_out_with_a_reason() -> None:
    article = extract_article(load_page(str(PAGE)))
    assert "Editors: hold this story" not in _text(article)
    assert reasons(article)[
        "Editors: hold this story until the operator has replied to our questions."
    ] == "hidden"
    assert "printed from the Chronicle website" not in _text(article)  # visibility: hidden


@pytest.mark.parametrize(
    ("style", "shown"),
    [
        (".x{display:none}", False),
        ("p.x , .y { visibility : hidden }", False),
        ("/* .x{display:none} */ .z{display:none}", True),  # a comment hides nothing
        ("@media print { .x { display: none } }", True),  # only on paper
        (".x{display:none} .x.open{display:block}", True),  # shown again when open
        (".x{display:flex; backface-visibility:hidden}", True),
        (".card .x{display:none}", True),  # not judged: a selector in context
    ],
)
def test_which_style_sheet_rules_hide_a_paragraph(style: str, shown: bool) -> None:
    paragraph = '<p class="x open">A note kept apart from the story, in a paragraph of its own.</p>'
    html = (
        f"<html><head><style>{style}</style></head><body><article><p>{PROSE}</p>"
        f"{paragraph}<p>{PROSE}</p></article></body></html>"
    )
    assert ("A note kept apart" in _text(extract_html(html))) is shown


KEPT = f"""<html><head><style>.x{{display:none}}</style></head><body>
<div class="story">
<h1>Footbridge opens</h1>
<p>{PROSE}</p>
<p class="x">A note from the style sheet that no reader sees.</p>
<p style="display:none">A note hidden by its own style.</p>
<!-- Editor: check the opening date again. -->
<ul class="share-bar"><li>Share on Facebook</li><li>Share by email</li></ul>
<p><em>Sign up for our free morning newsletter and start every weekday informed.</em></p>
<p>{PROSE}</p>
<section class="comments"><h2>Comments</h2><ol>
{"".join(f"<li><p>Reader {n} says: {PROSE}</p></li>" for n in range(12))}
</ol></section>
</div></body></html>"""


def test_a_site_rule_keep_brings_back_no_hidden_text_comment_or_furniture() -> None:
    rules = {"example.org": SiteRule(keep=(".story",))}
    article = extract_html(KEPT, url="https://example.org/news/footbridge", rules=rules)
    text = _text(article)
    assert text.count("The harbour board met") == 2
    for unwanted in ("no reader sees", "hidden by its own style", "Editor: check",
                     "Share on", "Sign up", "Reader 3 says"):
        assert unwanted not in text
    why = set(reasons(article).values())
    assert {"hidden", "share", "newsletter", "comments"} <= why


APPEALS = {
    "en": [
        ("Sign up for our free morning newsletter and start every weekday informed.",
         "newsletter"),
        ("Enjoyed this story? Subscribe to the Courier for unlimited access.", "newsletter"),
        ("Support our journalism: donate today and keep local news free.", "donation"),
        ("Download our app to get breaking news alerts on your phone.", "app-promo"),
        ("Follow us on WhatsApp for the latest updates from the valley.", "app-promo"),
    ],
    "de": [
        ("Jetzt den kostenlosen Newsletter abonnieren und jeden Morgen informiert sein.",
         "newsletter"),
        ("Unterstützen Sie unabhängigen Journalismus – jetzt spenden!", "donation"),
        ("Laden Sie sich unsere App herunter, um keine Eilmeldung zu verpassen.", "app-promo"),
    ],
    "fr": [
        ("Abonnez-vous à notre newsletter pour recevoir l'essentiel chaque matin.",
         "newsletter"),
        ("Faites un don pour soutenir une information libre et indépendante.", "donation"),
        ("Téléchargez notre application gratuite pour suivre l'actualité.", "app-promo"),
    ],
    "es": [
        ("Suscríbete a nuestro boletín y recibe las noticias cada mañana.", "newsletter"),
        ("Apoya el periodismo independiente: haz una donación hoy.", "donation"),
        ("Descarga nuestra app y recibe alertas de última hora.", "app-promo"),
    ],
}


@pytest.mark.parametrize(
    ("appeal", "reason"), [case for cases in APPEALS.values() for case in cases]
)
def test_an_appeal_inside_the_article_is_left_out_with_its_reason(appeal: str, reason: str) -> None:
    html = (
        f"<html><body><article><p>{PROSE}</p><p>{appeal}</p><p>{PROSE} Again.</p>"
        "</article></body></html>"
    )
    article = extract_html(html)
    assert appeal not in _text(article)
    assert reasons(article)[appeal] == reason


@pytest.mark.parametrize(
    "sentence",
    [
        "The newsletter, which the club sends to 2,000 members every month, is printed "
        "on the same old machine.",
        "Spenden in Höhe von zwei Millionen Euro gingen nach dem Hochwasser bei der Stadt ein.",
        "Residents who subscribe to the council's email alerts heard about it a week early.",
        "L'application, lancée en mars, permet d'acheter un billet sans faire la queue.",
        "La aplicación fue descargada más de un millón de veces en su primer mes.",
        # … or begins like a label
        "Weitere Informationen zum Antrag finden Sie auf der Seite der Gemeinde.",
        "Images of the old ferry were shown at the meeting.",
        "The category: small towns with big plans, explained in detail below.",
        "Werbung für Tabak ist in Deutschland seit Jahren verboten.",
        "Source: the council said the figures were wrong.",
    ],
)
def test_a_sentence_that_only_looks_like_furniture_is_read(sentence: str) -> None:
    html = f"<html><body><article><p>{PROSE}</p><p>{sentence}</p></article></body></html>"
    assert sentence in _text(extract_html(html))


def test_a_heading_whose_section_was_left_out_goes_too_and_says_so() -> None:
    article = extract_article(load_page(str(PAGE)))
    headings = [b.text for b in article.blocks if b.kind.value == "heading"]
    assert "The figures" not in headings  # only a table of figures under it
    assert "In this article" not in headings  # a contents box
    assert "Not enough drivers" in headings
    assert reasons(article)["The figures"] == "empty-section"


def test_a_heading_over_a_code_listing_and_its_own_paragraph_stays() -> None:
    code = "<pre>def fare(age):\n    if age &lt; 16:\n        return 0\n    return 3.5\n</pre>"
    html = (
        f"<html><body><article><p>{PROSE}</p><h2>The fare rule</h2>{code}<h2>Next year</h2>"
        f"<p>{PROSE}</p><h2>How fares are set</h2><p>{PROSE} The rule:</p>{code}"
        f"<h2>Who decides</h2><p>{PROSE}</p></article></body></html>"
    )
    article = extract_html(html)
    headings = [b.text for b in article.blocks if b.kind.value == "heading"]
    assert headings == ["Next year", "How fares are set", "Who decides"]


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("directory-listing", "it is a server's directory listing (Index of /audio)"),
        ("tag-page", "it is a tag page (Tag: trains) listing 4 posts"),
        ("search-results", "it is a search results page (Search results for “ferry”)"),
    ],
)
def test_a_page_that_is_no_article_says_what_it_is(name: str, found: str) -> None:
    path = FIXTURES / "not-articles" / f"{name}.html"
    result = CliRunner().invoke(app, ["script", str(path)])
    assert result.exit_code == 1
    message = " ".join(result.stderr.split())
    assert message.startswith(f"Error: no article text found in {path}: {found}")
    assert "Traceback" not in result.output


def test_a_category_page_with_only_a_couple_of_posts_is_not_refused() -> None:
    html = (
        '<html><head><title>Category: Harbour</title></head><body class="archive category">'
        f"<h1>Category: Harbour</h1><article><h2><a href='/a'>Ferry</a></h2><p>{PROSE}</p>"
        "</article></body></html>"
    )
    assert "The harbour board met" in _text(extract_html(html))


def test_explain_lists_the_appeals_and_the_empty_heading() -> None:
    result = CliRunner().invoke(app, ["script", str(PAGE), "--explain"])
    assert result.exit_code == 0
    said = " ".join(result.stderr.split())
    for reason in ("newsletter", "donation", "app-promo", "empty-section", "hidden"):
        assert reason in said


def _cards(count: int, summary: str) -> str:
    return "".join(
        f'<div><a href="/story/{n}"><img src="/{n}.jpg" alt=""></a>'
        f'<h3><a href="/story/{n}">Another story, number {n}</a></h3><p>{summary}</p></div>'
        for n in range(count)
    )


def test_a_teaser_grid_without_class_names_is_left_out() -> None:
    summary = "A short summary of another story on the site, cut off after a line or two…"
    html = (
        f"<html><body><article><h1>Ferry</h1><p>{PROSE}</p><p>{PROSE} Again.</p></article>"
        f"<section><h2>More stories</h2><div>{_cards(6, summary)}</div></section>"
        f"<div><span>Around the region</span><ul>{_cards(4, summary).replace('div>', 'li>')}"
        "</ul></div>"
        "</body></html>"
    )
    article = extract_html(html)
    assert "Another story" not in _text(article)
    assert "teasers" in reasons(article).values()
    assert "More stories" not in _text(article)  # its heading goes with it
    assert reasons(article)["Around the region"] == "teasers"  # its title, not a heading


def test_a_listicle_whose_headings_link_elsewhere_is_read() -> None:
    entry = f"<p>{PROSE}</p><p>{PROSE} It is worth the trip.</p>"
    items = "".join(
        f'<div><h3><a href="https://shop.example/{n}">Walking boot number {n}</a></h3>{entry}</div>'
        for n in range(5)
    )
    article = in_article(f"<h1>Five boots</h1>{items}")
    assert "Walking boot number 4" in _text(article)
    assert "teasers" not in reasons(article).values()


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Lesen Sie auch", "related"),
        ("Das könnte Sie auch interessieren!", "related"),
        ("À lire aussi", "related"),
        ("Te puede interesar", "related"),
        ("Weitere Pressemitteilungen dieses Verbands", "related"),
        ("Lea también: La alcaldía abre un nuevo parque en el centro", "related"),
        ("Keine Kommentare", "comments"),
        ("Um einen Kommentar zu hinterlassen, loggen Sie sich bitte ein.", "comments"),
        ("Kategorie: Vereinsleben", "tags"),
        ("Titelbild: Blick über den Hafen am Morgen", "caption"),
        ("Crédits photos : Agence Morel", "credit"),
        ("Le maire devant la mairie. © Agence Morel", "caption"),
        ("Quelle: Landesregierung", "credit"),
        ("dpa/sda", "credit"),
        ("NEWS TEILEN:", "share"),
        ("Letzte Änderung 14.02.2019", "byline"),
        ("Ten tekst przeczytasz w mniej niż minutę", "byline"),
        ("Werbung. Dieser Beitrag enthält Werbung für eine Gartenmarke.", "ad"),
        ("Help us continue to bring you the news from the valley.", "donation"),
    ],
)
def test_a_furniture_line_in_any_of_our_languages_is_left_out(line: str, reason: str) -> None:
    html = f"<html><body><article><p>{PROSE}</p><p>{line}</p><p>{PROSE} Again.</p></article>"
    article = extract_html(html + "</body></html>")
    assert line not in _text(article)
    assert reasons(article)[line] == reason
