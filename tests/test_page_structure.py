"""How page structure becomes what a listener hears: tables, preformatted text, loose
text, hidden elements, cards in lists, and the sections after the article."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from extracting import in_article, reasons
from listen.models import Article, BlockKind, Page
from listen.read.extract import extract_article
from listen.read.metadata import split_names

PROSE = (
    "The harbour board met on Tuesday evening to settle the question of the old ferry, "
    "which has carried passengers across the bay since the spring of 1961. "
)


def _texts(article: Article) -> list[str]:
    return [block.text for block in article.blocks]


FILM_TABLE = """
<table class="wikitable sortable">
<tr><th scope="col">Film</th><th scope="col">Year</th><th scope="col">Description</th></tr>
<tr><th><i><a href="/wiki/A">Second Tuesday</a></i>
  </th><td>1987 </td><td>A postman relives one rainy Tuesday until he delivers the letter he
  lost.<sup class="reference"><a href="#cite_note-2">[2]</a></sup></td></tr>
<tr><th><i><a href="/wiki/B">The Long Noon</a></i></th><td>2004</td><td>Two rival chefs repeat
  the same lunch service and slowly learn to cook together.</td></tr>
<tr><th><i><a href="/wiki/C">Tide Clock</a></i></th><td>2019</td><td>A lighthouse keeper
  wakes to the same storm every morning, and the sea keeps a secret.</td></tr>
</table>
"""


def test_a_table_of_described_things_is_read_row_by_row() -> None:
    article = in_article(f"<p>{PROSE * 2}</p>{FILM_TABLE}<p>{PROSE}</p>")
    texts = _texts(article)
    assert (
        "Second Tuesday. 1987. A postman relives one rainy Tuesday until he delivers the "
        "letter he lost." in texts
    )
    assert any(t.startswith("The Long Noon. 2004. Two rival chefs") for t in texts)
    assert any(t.startswith("Tide Clock. 2019. A lighthouse keeper") for t in texts)
    assert not any("Description" in t or "[2]" in t for t in texts)


def test_a_table_of_figures_is_left_out_with_a_reason() -> None:
    figures = "".join(
        f"<tr><td>{year}</td><td>{riders:,}</td><td>{share}%</td></tr>"
        for year, riders, share in ((2021, 41200, 12.5), (2022, 52800, 14.1), (2023, 60150, 15.9))
    )
    table = f"<table><tr><th>Year</th><th>Riders</th><th>Share</th></tr>{figures}</table>"
    article = in_article(f"<p>{PROSE * 2}</p>{table}<p>{PROSE}</p>")
    assert not any("52,800" in t for t in _texts(article))
    assert any("52,800" in text and reason == "table" for text, reason in reasons(article).items())


def test_a_layout_table_is_read_as_its_paragraphs() -> None:
    cell = f"<h2>The vote</h2><p>{PROSE}</p><p>{PROSE[:60]} again.</p>"
    layout = f"<table><tr><td>{cell}</td></tr></table>"
    article = in_article(f"<p>{PROSE}</p>{layout}")
    assert [b.kind for b in article.blocks][:2] == [BlockKind.PARAGRAPH, BlockKind.HEADING]
    assert "The vote" in _texts(article)


RFC_PAGE = """Internet-Draft          Tidal Sync Protocol              August 2026


1.  Introduction

   This document describes a protocol by which small boats report their
   position to a harbour office, so that the office can plan berths and
   warn skippers of weather, without a permanent connection.

   A client sends a request like this:

      GET /berths/v1/free HTTP/1.1
      Host: harbour.example
      Accept: application/json
      Authorization: Bearer 8f1c2e9a

   and the office answers:

      HTTP/1.1 200 OK
      Content-Type: application/json
      Cache-Control: max-age=600

      {"berths": [{"id": "A4", "length_m": 12, "depth_m": 2.5},
                  {"id": "B1", "length_m": 9, "depth_m": 1.8},
                  {"id": "C7", "length_m": 15, "depth_m": 3.1}],
       "valid_until": "2026-08-14T18:00:00Z", "office": "north quay"}

   The office answers with the berths that are free, and the client keeps
   the answer for as long as the office says it may.



Ashworth                 Expires March 2, 2027                  [Page 2]
\f
"""


def test_a_plain_text_document_is_read_without_its_page_furniture_or_examples() -> None:
    pages = "".join(f"<pre>{RFC_PAGE}</pre>" for _ in range(3))
    article = in_article(pages, head="<title>Tidal Sync Protocol</title>")
    text = "\n".join(_texts(article))
    assert "This document describes a protocol by which small boats report their position" in text
    assert "The office answers with the berths that are free" in text
    for furniture in ("[Page 2]", "Expires March", "Internet-Draft", "GET /berths", "Host:",
                      "length_m"):
        assert furniture not in text, furniture


@pytest.mark.parametrize(
    "listing",
    [
        "$ pip install tidal\nCollecting tidal\nInstalling collected packages: tidal\n"
        "Successfully installed tidal, the harbour client for small boats\n" * 6,
        "# Keep the berths that are free, and sort them by the length of the boat.\n"
        "free = [b for b in berths if b.free]\nfree.sort(key=lambda b: b.length)\n" * 6,
    ],
)
def test_a_code_listing_in_an_article_is_left_out(listing: str) -> None:
    article = in_article(f"<p>{PROSE * 2}</p><pre>{listing}</pre><p>{PROSE}</p>")
    assert not any("tidal" in t or "free.sort" in t for t in _texts(article))
    assert "code" in reasons(article).values()


def test_text_beside_a_figure_is_a_paragraph_of_its_own() -> None:
    # As on yahoo.com: the paragraph is only the tail of the figure's frame.
    body = (
        f"<div class='body'><p>{PROSE}</p><p><span class='embed'></span></p>"
        "<div class='fig-frame'><span><div class='figure'><figure><img src='a.jpg'></figure>"
        "<p class='legend'>Ferry at dusk</p></div></span></div>The board will vote again in "
        "March, after the engineers have reported on the state of the hull and the "
        f"<a href='/e'>two engines</a>. Nobody expects a quick answer.<p>{PROSE}</p></div>"
    )
    texts = _texts(in_article(body))
    assert (
        "The board will vote again in March, after the engineers have reported on the state "
        "of the hull and the two engines. Nobody expects a quick answer." in texts
    )
    assert not any("Ferry at dusk" in t for t in texts)


@pytest.mark.parametrize("style", ["display:none", "visibility: hidden;", "DISPLAY: NONE"])
def test_text_hidden_by_an_inline_style_is_not_read(style: str) -> None:
    article = in_article(f"<p>{PROSE}</p><div style='{style}'><p>Secret draft text for editors "
                       f"only, which no reader ever sees on the page.</p></div><p>{PROSE}</p>")
    assert not any("Secret draft" in t for t in _texts(article))
    assert "hidden" in reasons(article).values()


@pytest.mark.parametrize("attribute", ['aria-hidden="true"', "hidden", 'aria-hidden="TRUE"'])
def test_text_hidden_by_an_attribute_is_not_read(attribute: str) -> None:
    article = in_article(f"<p>{PROSE}</p><div {attribute}><p>Decorative repeat of the headline "
                       f"that screen readers and listeners never meet.</p></div><p>{PROSE}</p>")
    assert not any("Decorative repeat" in t for t in _texts(article))
    assert reasons(article).get("Decorative repeat of the headline that screen readers and "
                                 "listeners never meet.") == "hidden"


def test_text_marked_aria_hidden_false_is_read() -> None:
    article = in_article(f"<p>{PROSE}</p><div aria-hidden=\"false\"><p>A caption the page shows "
                       f"to everyone, which a listener should hear as well.</p></div>")
    assert any("A caption the page shows" in t for t in _texts(article))


def test_a_card_in_a_list_gives_its_heading_and_text_apart() -> None:
    cards = "".join(
        f"<li><h2>{name}</h2><p>{name} lets you {verb} every page of a long article in "
        f"seconds.</p></li>"
        for name, verb in (("Inspector", "examine"), ("Console", "query"), ("Debugger", "pause"))
    )
    article = in_article(f"<p>{PROSE}</p><ul>{cards}</ul>")
    pairs = [(b.kind, b.text) for b in article.blocks]
    assert (BlockKind.HEADING, "Inspector") in pairs
    assert (BlockKind.LIST_ITEM, "Inspector lets you examine every page of a long article in "
            "seconds.") in pairs
    assert not any("InspectorInspector" in t for _, t in pairs)


@pytest.mark.parametrize("heading", ["See also", "External links", "Further reading"])
def test_see_also_and_link_sections_are_left_out(heading: str) -> None:
    body = (
        f"<p>{PROSE * 2}</p><h2>Ferries</h2><p>{PROSE}</p><h2>{heading}</h2><ul>"
        "<li><a href='/a'>Chain ferry</a>, a ferry that is pulled across the water along a "
        "chain fixed to both banks</li>"
        "<li><a href='/b'>Harbour board</a>, the body that runs a port and its moorings on "
        "behalf of the town</li></ul>"
    )
    article = in_article(body)
    assert not any("Chain ferry" in t or t == heading for t in _texts(article))
    assert reasons(article)[heading] == "related"


def test_a_wiki_thumbnail_caption_is_left_out() -> None:
    caption = (
        "<div class='thumb tright'><div class='thumbinner' style='width:222px;'>"
        "<a href='/wiki/File:F.jpg' class='image'><img src='f.jpg' width='220'></a>"
        "<div class='thumbcaption'><div class='magnify'><a href='/wiki/File:F.jpg'></a></div>"
        "The ferry <i>Bayside</i> at its berth in 1962, two years after her launch at the "
        "Dunmore yard</div></div></div>"
    )
    article = in_article(f"<p>{PROSE}</p>{caption}<p>{PROSE} More.</p>")
    assert not any("at its berth" in t for t in _texts(article))
    assert "caption" in reasons(article).values()


def test_a_comment_inside_the_article_does_not_cut_it_short() -> None:
    paragraphs = "".join(
        f"<p>{PROSE}Part {n} of the story.</p><!-- ad slot {n} -->" for n in range(4)
    )
    assert len(_texts(in_article(paragraphs))) == 4


@pytest.mark.parametrize(
    ("raw", "library", "names"),
    [
        ("Kooman, F.", True, ["F. Kooman"]),
        ("Jong, Michiel de", True, ["Michiel de Jong"]),
        ("Doe, J. R.", True, ["J. R. Doe"]),
        ("Smith, Jones and Brown", True, ["Smith", "Jones", "Brown"]),
        ("Ana Ruiz, Tom Ng", False, ["Ana Ruiz", "Tom Ng"]),
        ("Staff, Reuters", False, ["Staff", "Reuters"]),
        ("AP, Reuters", False, ["AP", "Reuters"]),
        ("By Ana Ruiz and Tom Ng", False, ["Ana Ruiz", "Tom Ng"]),
    ],
)
def test_author_names_in_library_order_are_turned_around(
    raw: str, library: bool, names: list[str]
) -> None:
    assert split_names(raw, surname_first=library) == names


def test_dublin_core_names_are_read_in_library_order() -> None:
    head = '<meta name="DC.Creator" content="Kooman, F."><meta name="author" content="">'
    assert in_article(f"<p>{PROSE}</p><p>{PROSE} More.</p>", head=head).authors == ("F. Kooman",)
    head = '<meta name="author" content="Staff, Reuters">'
    assert in_article(f"<p>{PROSE}</p><p>{PROSE} More.</p>", head=head).authors == (
        "Staff", "Reuters")


def test_a_plain_text_document_has_its_section_titles_as_headings() -> None:
    from listen.read.load import load_page

    fixture = str(Path(__file__).parent / "fixtures" / "plaintext-rfc.html")
    article = extract_article(load_page(fixture))
    headings = [(b.level, b.text) for b in article.blocks if b.kind is BlockKind.HEADING]
    assert headings[:3] == [(2, "Abstract"), (2, "Status of This Memo"), (2, "1. Introduction")]
    assert (2, "4. Security Considerations") in headings
    assert {"page-furniture", "preformatted"} <= set(reasons(article).values())


def test_a_heading_left_with_nothing_under_it_is_not_read() -> None:
    figures = "".join(f"<tr><td>{n}</td><td>{n * 7}</td></tr>" for n in range(2018, 2024))
    body = (
        f"<h2>The vote</h2><p>{PROSE}</p><h3>Results by year</h3><table>{figures}</table>"
        f"<h2>What comes next</h2><p>{PROSE} Again.</p><h2>Downloads</h2>"
    )
    article = in_article(body)
    headings = [b.text for b in article.blocks if b.kind is BlockKind.HEADING]
    assert headings == ["The vote", "What comes next"]
    assert reasons(article)["Results by year"] == "empty-section"


def test_a_section_heading_that_opens_the_article_is_kept() -> None:
    body = (
        "<div class='page'><h2>Abstract</h2><p>This note describes how the harbour board "
        "counts passengers, and why the count changed in 2024.</p>"
        f"<h2>Method</h2><p>{PROSE}</p><p>{PROSE} Twice.</p></div>"
    )
    assert _texts(in_article(body))[0] == "Abstract"


@pytest.mark.parametrize(
    ("head", "h1", "title", "site"),
    [
        # Wikipedia: JSON-LD "headline" is a description, og:title ends with the site.
        ('<meta property="og:title" content="List of ferries - Wikipedia">'
         '<script type="application/ld+json">{"@type": "Article", "headline": "Wikimedia list '
         'article", "publisher": {"name": "Wikimedia Foundation, Inc."}}</script>',
         "List of ferries", "List of ferries", "Wikipedia"),
        # "Title | <h1>": the <h1> may be a logo or the title; no site name is guessed.
        ('<meta property="og:title" content="Ferry returns | The Courier">',
         "The Courier", "Ferry returns | The Courier", None),
        ("<title>Ars Technica | Why the sky is blue</title>",
         "Why the sky is blue", "Why the sky is blue", None),
        # The <h1> runs words together across a <br>; the tag's words are kept.
        ('<meta property="og:title" content="Why the sky is blue">',
         "Why the sky<br>is blue", "Why the sky is blue", None),
        ('<meta property="og:title" content="Ferry returns">'
         '<meta property="og:site_name" content="The Courier">',
         "Ferry returns", "Ferry returns", "The Courier"),
        ('<meta name="DC.Title" content="Tidal Sync Protocol">'
         "<title>draft-ashworth-tidal-00 - Tidal Sync Protocol</title>",
         "", "Tidal Sync Protocol", None),
    ],
)
def test_title_and_site_name(head: str, h1: str, title: str, site: str | None) -> None:
    heading = f"<h1>{h1}</h1>" if h1 else ""
    article = in_article(f"{heading}<p>{PROSE}</p><p>{PROSE} More.</p>", head=head)
    assert (article.title, article.site) == (title, site)


def test_what_the_extractor_judged_outside_the_article_is_listed() -> None:
    links = "".join(
        f"<li><a href='/s{n}'>Council approves the new marina plan, part {n}</a></li>"
        for n in range(6)
    )
    html = (
        "<html><body><div class='col-main'><article>"
        + "".join(f"<p>{PROSE}Paragraph {n}.</p>" for n in range(5))
        + f"</article></div><div class='col-right'><h3>Elsewhere</h3><ul>{links}</ul></div>"
        "</body></html>"
    )
    article = extract_article(Page(html, "t.html", None, datetime.now(timezone.utc), "utf-8"))
    assert not any("marina plan" in t for t in _texts(article))
    assert reasons(article)["Council approves the new marina plan, part 3"] == "outside-article"


def test_a_table_with_paragraphs_in_its_cells_is_read_once_per_row() -> None:
    rows = "".join(
        f"<tr><td><p>{symptom}</p></td><td><p>{cause}</p></td></tr>"
        for symptom, cause in (
            ("The departure board shows no trains at all", "The feed from the signal box stopped"),
            ("Every train is shown as late by an hour", "The clock on the server is wrong"),
            ("Platform numbers change every few minutes", "Two planners edit the same plan"),
        )
    )
    table = f"<table><thead><tr><th>Symptom</th><th>Cause</th></tr></thead>{rows}</table>"
    texts = _texts(in_article(f"<p>{PROSE}</p><p>{PROSE} More.</p>{table}<p>{PROSE} End.</p>"))
    row = "The departure board shows no trains at all. The feed from the signal box stopped"
    assert texts.count(row) == 1
    assert sum("signal box" in t for t in texts) == 1


def test_a_formula_kept_for_screen_readers_is_read() -> None:
    formula = (
        "<span class='mwe-math-element'><span class='mwe-math-mathml-inline "
        "mwe-math-mathml-a11y' style='display: none;'><math><mi>A</mi><mi>H</mi></math></span>"
        "<img alt='A^H' src='f.svg'></span>"
    )
    text = "\n".join(_texts(in_article(
        f"<p>The conjugate transpose of a matrix {formula} is defined for every complex "
        f"matrix, square or not.</p><p>{PROSE}</p>"
    )))
    assert "of a matrix A H is defined" in text


@pytest.mark.parametrize("style", ["display:none", "visibility:hidden"])
def test_a_page_hidden_until_its_scripts_run_is_still_read(style: str) -> None:
    html = f"<html><body style='{style}'><article><p>{PROSE}</p><p>{PROSE} More.</p></article>"
    page = Page(html + "</body></html>", "t.html", None, datetime.now(timezone.utc), "utf-8")
    assert _texts(extract_article(page))[0].startswith("The harbour board met")


def test_inline_code_in_a_list_item_with_a_nested_list_stays_in_its_sentence() -> None:
    items = (
        "<li>Run <code>make install</code> to build the whole project and copy it into "
        "place.<ul><li>It needs a C compiler and about two minutes on a laptop.</li></ul></li>"
        "<li>Then start the server and open the page it prints in any browser.</li>"
    )
    texts = _texts(in_article(f"<p>{PROSE}</p><ul>{items}</ul><p>{PROSE} More.</p>"))
    assert "Run make install to build the whole project and copy it into place." in texts
    assert sum("make install" in t for t in texts) == 1
    assert "It needs a C compiler and about two minutes on a laptop." in texts


@pytest.mark.parametrize(
    "line", ["Jump to navigation Jump to search", "Skip to main content", "Next page: Security>>"]
)
def test_skip_links_and_page_turns_are_not_read(line: str) -> None:
    body = f"<div class='wrap'><p>{PROSE}</p>{line}<p>{PROSE} More.</p></div>"
    article = in_article(body)
    assert line not in _texts(article)
    assert reasons(article)[line] == "navigation"


def test_a_commented_shell_snippet_is_not_read_as_prose() -> None:
    snippet = (
        "# Install the tools first, then run them once.\n"
        "curl -sSL https://example.com/install.sh | sh\n"
    )
    article = in_article(f"<p>{PROSE}</p><pre>{snippet * 6}</pre><p>{PROSE} More.</p>")
    assert not any("curl" in t or "Install the tools" in t for t in _texts(article))


def test_headings_left_empty_in_turn_are_all_dropped() -> None:
    from listen.models import Block
    from listen.read.blocks import polish

    blocks = [
        Block(BlockKind.HEADING, "The vote", 2),
        Block(BlockKind.PARAGRAPH, PROSE.strip()),
        Block(BlockKind.HEADING, "Gallery", 2),
        Block(BlockKind.HEADING, "Photos", 3),
    ]
    kept, dropped = polish(blocks, authors=())
    assert [b.text for b in kept] == ["The vote", PROSE.strip()]
    assert {(d.text, d.reason) for d in dropped} == {
        ("Gallery", "empty-section"), ("Photos", "empty-section")}


def test_a_cell_spanning_rows_is_read_in_each_of_them() -> None:
    table = """<table><tr><th>Film</th><th>Year</th><th>Description</th></tr>
    <tr><th rowspan="2">Second Tuesday</th><td>1987</td><td>A postman relives one rainy
    Tuesday until he delivers the letter he lost.</td></tr>
    <tr><td>1994</td><td>The remake moves the story to a lighthouse on a stormy coast.</td></tr>
    <tr><th>Tide Clock</th><td>2019</td><td>A keeper wakes to the same storm every day.</td></tr>
    </table>"""
    texts = _texts(in_article(f"<p>{PROSE}</p><p>{PROSE} More.</p>{table}"))
    remake = "Second Tuesday. 1994. The remake moves the story to a lighthouse on a stormy coast."
    assert remake in texts
    assert any(t.startswith("Tide Clock. 2019. A keeper") for t in texts)


def test_a_soft_hyphen_neither_doubles_a_paragraph_nor_stays_in_it() -> None:
    body = (
        f"<div><p>{PROSE}</p><p>Aside from Russian President Vladi\u00admir Putin, few "
        "foreign leaders so brazenly stand up to the president.</p>"
        "<p>The board will vote again in March, after the engineers have reported on the "
        "state of the hull and the two engines.</p></div>"
    )
    texts = _texts(in_article(body))
    assert sum("Putin" in t for t in texts) == 1
    assert any("Vladimir Putin" in t for t in texts)
    assert not any("\u00ad" in t for t in texts)


def test_a_note_boxed_in_a_one_cell_table_is_read() -> None:
    box = (
        "<table style='background-color: #cccccc;'><tbody><tr><td>Members of the harbour club "
        "can join the ferry working group, please email <a href='mailto:ferry@club.example'>"
        "ferry@club.example</a> for more information.</td></tr></tbody></table>"
    )
    paragraphs = "".join(f"<p>{PROSE}Part {n}.</p>" for n in range(6))
    texts = _texts(in_article(f"<div>{paragraphs}{box}</div>"))
    assert any(t.startswith("Members of the harbour club can join") for t in texts)


def test_a_gallery_longer_than_the_article_is_left_out() -> None:
    slides = "".join(
        f"<li><img src='s{n}.jpg'><p>Picture {n} of 40: a trader on the floor of the exchange "
        f"watches the prices of the morning fall for the {n}th time this quarter.</p></li>"
        for n in range(40)
    )
    gallery = (
        "<div class='container grid-mod-gallery'><h2>Business in pictures</h2>"
        f"<ul>{slides}</ul></div>"
    )
    paragraphs = "".join(f"<p>{PROSE}Part {n}.</p>" for n in range(6))
    article = in_article(f"<div class='story'>{paragraphs}{gallery}</div>")
    assert not any("trader on the floor" in t for t in _texts(article))
    assert "gallery" in reasons(article).values()


def test_a_long_formula_is_left_out_and_a_short_one_read() -> None:
    def formula(symbols: str) -> str:
        return "<math>" + "".join(f"<mi>{s}</mi>" for s in symbols.split()) + "</math>"

    long_one = formula("A B H A B T B T A T B T A T B H A H B A")
    text = "\n".join(_texts(in_article(
        f"<p>Take a matrix {formula('A')} and its transpose {formula('A T')}, which is a "
        f"matrix too.</p><p>Proof: {long_one} as claimed in the lemma above, and so on.</p>"
        f"<p>{PROSE}</p>"
    )))
    assert "Take a matrix A and its transpose A T, which is a matrix too." in text
    # The sentence keeps its shape: "a formula" stands where the formula stood.
    assert "B T A T B T" not in text and "Proof: a formula as claimed in the lemma above" in text


def test_a_long_formula_on_a_line_of_its_own_is_left_out_in_the_page_language() -> None:
    long_one = "<math>" + "<mi>x</mi><mo>+</mo>" * 8 + "<mi>y</mi></math>"
    article = in_article(
        f"<p>{PROSE}</p><dl><dd>{long_one}</dd></dl><p>Die Summe {long_one} ist gerade.</p>",
        head='<meta http-equiv="content-language" content="de">',
    )
    assert _texts(article)[-1] == "Die Summe eine Formel ist gerade."
    assert "formula" in reasons(article).values()
    assert not any("x + x" in t for t in _texts(article))


@pytest.mark.parametrize(
    ("source", "url", "title"),
    [
        ("/tmp/pages/night-trains-are-back.html", None, "Night trains are back"),
        ("-", "https://example.org/2025/10/ferry_returns/", "Ferry returns"),
        ("-", None, "The harbour board met on Tuesday evening to"),
    ],
)
def test_a_page_without_a_title_is_named_by_its_address_not_read_as_a_path(
    source: str, url: str | None, title: str
) -> None:
    html = f"<html><body><article><p>{PROSE}</p><p>{PROSE} More.</p></article></body></html>"
    page = Page(html, source, url, datetime.now(timezone.utc), "utf-8")
    assert extract_article(page).title == title


def test_lines_broken_by_br_are_heard_apart() -> None:
    body = (
        f"<p>{PROSE}</p>"
        "<p><b>Task scheduling<br></b> Clients can schedule tasks to run at a set time.</p>"
        "<p><b>Task gating</b><br>Tasks can be held back until the lambda is ready for them.</p>"
        "<p>The ranking:<br>1. Finland<br>2. Norway<br>3. Australia</p>"
        f"<p>{PROSE} More.</p>"
    )
    texts = _texts(in_article(body))
    for line in ("Task scheduling", "Clients can schedule tasks to run at a set time.",
                 "Task gating", "Tasks can be held back until the lambda is ready for them.",
                 "1. Finland", "2. Norway", "3. Australia"):
        assert line in texts, line
    assert sum("Clients can schedule" in t for t in texts) == 1


@pytest.mark.parametrize(
    "teaser",
    [
        "Learn more about WebIDE",
        "[Read: Why Tunisia is the Arab Spring's only success story]",
        "Related: Chicago is America's most segregated city",
        "Lire aussi : La Tunisie, seule réussite du printemps arabe",
    ],
)
def test_teaser_lines_in_the_article_are_left_out(teaser: str) -> None:
    body = f"<p>{PROSE}</p><p><a href='/other-story'>{teaser}</a></p><p>{PROSE} More.</p>"
    article = in_article(body)
    assert not any(teaser[5:30] in t for t in _texts(article))
    assert reasons(article)[teaser] == "related"


@pytest.mark.parametrize(
    "credit", ["Portrait by George Del Barrio", "(All photos: Atlas staff)", "Top photo by Joan B."]
)
def test_photo_credits_are_left_out(credit: str) -> None:
    article = in_article(f"<p>{PROSE}</p><p><em>{credit}</em></p><p>{PROSE} More.</p>")
    assert credit not in _texts(article)
    assert reasons(article)[credit] == "credit"


def test_a_power_is_not_taken_for_a_footnote_marker() -> None:
    text = "\n".join(_texts(in_article(
        "<p>That gives a total of 10^5 * 300 = 30,000,000 lists, and a payload size of "
        f"2^15 bytes at most.^3</p><p>{PROSE}</p>"
    )))
    assert "10^5 * 300" in text and "2^15 bytes at most." in text


def test_page_citations_after_wiki_markers_are_left_out() -> None:
    marker = "<sup class='reference'><a href='#cite_note-3'>[3]</a></sup>"
    pages = "<sup class='reference nowrap'><span>:p. 234</span></sup>"
    text = "\n".join(_texts(in_article(
        f"<p>The Rayleigh quotient is defined as{marker}{pages} a ratio of two forms, and "
        f"it is used in many places.</p><p>{PROSE}</p>"
    )))
    assert "defined as a ratio of two forms" in text and "234" not in text


def test_heading_permalinks_and_in_page_contents_are_not_read() -> None:
    contents = "".join(
        f"<li><a href='#s{n}'>{n} Setting up the shared repository, step number {n}</a></li>"
        for n in range(1, 5)
    )
    body = (
        f"<p>{PROSE}</p><div class='box'><ul>{contents}</ul></div><h2 id='s1'>The vote "
        f"<a href='#s1' class='bookmark'>#</a></h2><p>{PROSE} More.</p><p>{PROSE} Again.</p>"
    )
    article = in_article(body)
    texts = _texts(article)
    assert "The vote" in texts
    assert not any("shared repository" in t for t in texts)
    assert "permalink" in reasons(article).values()


def test_bidi_marks_do_not_double_a_paragraph() -> None:
    body = (
        f"<div><p>{PROSE}</p><p>Samantha is clearly tired of it: \u200f@s_bielefeld said "
        "the same thing twice on the same day, to the same people.</p>"
        "<p>The board will vote again in March, after the engineers have reported on the "
        "state of the hull and the two engines.</p></div>"
    )
    texts = _texts(in_article(body))
    assert sum("Samantha" in t for t in texts) == 1
    assert not any("\u200f" in t for t in texts)


def test_json_ld_wrapped_in_cdata_is_read() -> None:
    head = (
        '<script type="application/ld+json">//<![CDATA[\n{"@type": "NewsArticle", '
        '"headline": "Ferry returns", "author": {"name": "Stella Kim"}, '
        '"datePublished": "2024-12-06T09:00:00+09:00"}\n//]]></script>'
    )
    article = in_article(f"<p>{PROSE}</p><p>{PROSE} More.</p>", head=head)
    assert (article.title, article.authors) == ("Ferry returns", ("Stella Kim",))
    assert article.date is not None and article.date.isoformat() == "2024-12-06T09:00:00+09:00"


def test_the_published_date_wins_over_a_drafts_and_a_modified_one() -> None:
    head = (
        '<meta property="article:published" content="2017-11-16T10:00:00+00:00">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Coup", '
        '"dateCreated": "2017-11-17T08:00:00+00:00"}</script>'
    )
    body = f"<p><time datetime='2017-11-18T08:00:00+00:00'>Updated</time></p><p>{PROSE}</p>"
    article = in_article(body + f"<p>{PROSE} More.</p>", head=head)
    assert article.date is not None and article.date.day == 16


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("Steven Musil January 18, 2017 11:00 PM PST @stevenmusil", ["Steven Musil"]),
        ("Brenda Goodman, MA", ["Brenda Goodman"]),
        ("Nicolas Perriault —", ["Nicolas Perriault"]),
        ("Bradley M. Kuhn (http://ebb.org/bkuhn/)", ["Bradley M. Kuhn"]),
    ],
)
def test_a_byline_is_cleaned_to_names(raw: str, names: list[str]) -> None:
    assert split_names(raw) == names


@pytest.mark.parametrize(
    ("head", "h1", "title", "site"),
    [
        ("<title>Outside the web: standalone binaries · V8</title>",
         "<a href='/'>V8</a>", "Outside the web: standalone binaries", "V8"),
        ("<title>The Harbour Gazette | Ferry returns</title>",
         "Ferry returns", "Ferry returns", None),
        ('<meta property="og:site_name" content="http://www.tmz.com">', "Stolen dress",
         "Stolen dress", "tmz.com"),
        ('<meta property="og:site_name" content="SIMPLYFOUND.COM | BY: JOE WEE">', "Pi 3",
         "Pi 3", "SIMPLYFOUND.COM"),
        ('<meta name="byl" content="By Jim Tankersley">', "Debt", "Debt", None),
    ],
)
def test_more_titles_and_site_names(head: str, h1: str, title: str, site: str | None) -> None:
    article = in_article(f"<h1>{h1}</h1><p>{PROSE}</p><p>{PROSE} More.</p>", head=head)
    assert (article.title, article.site) == (title, site)
    if "byl" in head:
        assert article.authors == ("Jim Tankersley",)


def test_a_table_of_figures_inside_a_layout_table_is_left_out_once() -> None:
    figures = "".join(
        f"<tr><td>{name}</td><td>{count}</td><td>{share}%</td></tr>"
        for name, count, share in (("Herbert Dürr", 63, 16.6), ("Kay Schenk", 27, 7.1),
                                   ("Pedro Giffuni", 23, 6.1), ("Andrea Pescetti", 14, 3.7))
    )
    inner = f"<table><tr><th colspan='3'>By changesets</th></tr>{figures}</table>"
    outer = (
        "<blockquote><table><tr><th colspan='2'>Most active developers</th></tr>"
        f"<tr><td>{inner}</td><td>{inner}</td></tr></table></blockquote>"
    )
    article = in_article(f"<p>{PROSE}</p><p>{PROSE} More.</p>{outer}<p>{PROSE} Again.</p>")
    assert not any("Herbert" in t for t in _texts(article))
    assert "table" in reasons(article).values()


def test_a_caption_listed_apart_from_its_picture_is_left_out() -> None:
    caption = "Hori Parata at his farm, the place where he was born and grew up."
    body = (
        f"<p>{PROSE}</p><figure><img src='a.jpg' alt='{caption}'></figure>"
        f"<ul><li><p>{caption}</p></li></ul><p>{PROSE} More.</p><p>{PROSE} Again.</p>"
    )
    article = in_article(body)
    assert caption not in _texts(article)
    assert reasons(article)[caption] == "caption"
    kept = extract_article(Page(f"<html><body><article>{body}</article></body></html>",
                                "t.html", None, datetime.now(timezone.utc), "utf-8"),
                           keep_captions=True)
    assert caption in _texts(kept)


def test_a_gallery_link_is_not_read() -> None:
    link = "Gallery: Xbox One X | 14 Photos"
    article = in_article(
        f"<p>{PROSE}</p><p><a href='/gallery/x'>{link}</a></p><p>{PROSE} More.</p>")
    assert link not in _texts(article)
    assert reasons(article)[link] == "gallery"


@pytest.mark.parametrize(
    "sentence",
    [
        "See: the council never answered.",
        "Read more widely, she says, and you'll find your own voice.",
        "Artwork by local children hangs in every cabin of the ferry.",
    ],
)
def test_sentences_that_start_like_teasers_or_credits_are_read(sentence: str) -> None:
    texts = _texts(in_article(f"<p>{PROSE}</p><p>{sentence}</p><p>{PROSE} More.</p>"))
    assert sentence in texts


def test_a_teaser_link_inside_a_sentence_stays_in_it() -> None:
    body = (
        f"<p>{PROSE}</p><p>Residents can <a href='/t'>read more about the timetable</a> on "
        f"the board's website from Monday.</p><p>{PROSE} More.</p>"
    )
    assert ("Residents can read more about the timetable on the board's website from Monday."
            in _texts(in_article(body)))


def test_words_matching_a_picture_description_inside_a_heading_stay() -> None:
    body = (
        "<h1>Welcome to <span>Firefox Developer Edition</span></h1>"
        "<img src='a.png' alt='Firefox Developer Edition'>"
        f"<p>{PROSE}</p><p>{PROSE} More.</p>"
    )
    assert _texts(in_article(body))[0] == "Welcome to Firefox Developer Edition"


def test_a_gallery_class_around_the_article_text_keeps_it() -> None:
    paragraphs = "".join(f"<p>{PROSE}Part {n}.</p>" for n in range(30))
    html = (
        "<html><body><nav>" + "<a href='/x'>Section</a> " * 40 + "</nav>"
        f"<div class='post format-gallery'><img src='a.jpg'>{paragraphs}</div></body></html>"
    )
    article = extract_article(Page(html, "t.html", None, datetime.now(timezone.utc), "utf-8"))
    assert len(_texts(article)) >= 25


def test_a_br_in_mid_sentence_does_not_split_it() -> None:
    body = (
        f"<p>{PROSE}</p><p>The headers are passed to the<br>Request() constructor in the "
        f"second call.</p><p>{PROSE} More.</p>"
    )
    assert ("The headers are passed to the Request() constructor in the second call."
            in _texts(in_article(body)))


def test_a_footnote_caret_after_a_full_stop_is_removed() -> None:
    text = "\n".join(_texts(in_article(f"<p>Sizes grew to 2^15 bytes at most.^3 {PROSE}</p>")))
    assert "2^15 bytes at most. The harbour" in text and "^3" not in text


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("Jane Roe 10:30 Ed Li", ["Jane Roe", "Ed Li"]),
        ("Posted 8:15 pm Juliet Macur", ["Juliet Macur"]),
        ("Par Marc Dupont (avec Damien Leloup et Morgane Tual)",
         ["Marc Dupont", "Damien Leloup", "Morgane Tual"]),
    ],
)
def test_bylines_keep_every_name(raw: str, names: list[str]) -> None:
    assert split_names(raw) == names


def test_json_ld_in_a_block_comment_cdata_is_read() -> None:
    head = (
        '<script type="application/ld+json">/*<![CDATA[*/{"@type": "NewsArticle", '
        '"headline": "Ferry returns", "author": {"name": "Stella Kim"}}/*]]>*/</script>'
    )
    article = in_article(f"<p>{PROSE}</p><p>{PROSE} More.</p>", head=head)
    assert article.authors == ("Stella Kim",)


def test_a_recipes_ingredients_in_a_table_are_read_and_its_nutrition_figures_are_not() -> None:
    ingredients = "".join(
        f'<tr><td class="amount">{amount}</td><td>{thing}</td></tr>'
        for amount, thing in (("250 g", "plain flour"), ("1 tsp", "baking powder"),
                              ("2", "eggs (medium)"), ("", "a pinch of salt"))
    )
    nutrition = (
        "<table><tr><th></th><th>Per slice</th><th>Per 100 g</th></tr>"
        "<tr><td>Energy</td><td>1331 kJ</td><td>1428 kJ</td></tr>"
        "<tr><td>Fat</td><td>20.3 g</td><td>21.9 g</td></tr></table>"
    )
    article = in_article(
        f"<h2>Ingredients</h2><table>{ingredients}</table><h2>Method</h2><p>{PROSE}</p>"
        f"<h2>Nutrition</h2>{nutrition}"
    )
    texts = _texts(article)
    assert "250 g plain flour" in texts and "2 eggs (medium)" in texts
    assert "a pinch of salt" in texts
    assert not any("1331" in t for t in texts) and "Nutrition" not in texts
    assert "table" in reasons(article).values()
