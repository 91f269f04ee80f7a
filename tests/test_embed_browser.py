"""The player in the publisher's own page (``listen embed`` and the snippet), and
hostile articles, in a real headless Chromium.

The embedded page is served with its output folder beside it, as a site would serve
both; cue times are read from the VTT.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from listen.cli import app
from playerkit import (
    PAGES,
    VttCue,
    audio,
    last_seek,
    open_page,
    read_vtt,
    record_seeks,
    render_tone,
    runner,
    serve,
    start_muted,
    until,
)

BAKERY = PAGES / "bakery-wordpress.html"
HOSTILE = PAGES / "hostile.html"

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Site:
    """A publisher's article served with listen's output folder beside it."""

    base: str
    """The server's address; the embedded page is at ``embedded.html``."""
    folder: Path
    cues: list[VttCue]
    mp3: Path


def _site(page: Path, folder: Path) -> Site:
    episode = render_tone(page, folder / "out")
    result = runner.invoke(app, ["embed", str(page), "--out", str(folder / "embedded.html"),
                                 "--episode", str(episode.with_suffix(".mp3"))])
    assert result.exit_code == 0, result.stderr
    return Site("", folder, read_vtt(episode.with_suffix(".vtt")), episode.with_suffix(".mp3"))


@pytest.fixture(scope="module")
def bakery(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    site = _site(BAKERY, tmp_path_factory.mktemp("bakery"))
    with serve(site.folder, ranges=True) as base:
        yield Site(base, site.folder, site.cues, site.mp3)


def _first_cue(cues: list[VttCue], starting: str) -> VttCue:
    return next(cue for cue in cues if cue.text.startswith(starting))


def _reading(page: Any) -> list[str]:
    return list(page.evaluate(
        "[...document.querySelectorAll('.listen-reading')].map(e => e.textContent)"))


def _wait_for_sentence(page: Any, text: str) -> None:
    """Until the highlight on the publisher's text reads ``text`` (ranges joined by " ")."""
    until(
        page, "text => [...CSS.highlights.get('listen-sentence')].map(String).join(' ') === text",
        text)


def test_the_highlight_moves_through_the_publishers_own_paragraphs(
    browser: Any, bakery: Site
) -> None:
    page, watch = open_page(browser, bakery.base + "embedded.html")
    start_muted(page)
    cut_in_two = _first_cue(bakery.cues, "By midnight the queue")
    audio(page, f"a.currentTime = {cut_in_two.start + 0.01}")
    # the sentence that an ad cuts in two is highlighted on both sides of it, not the ad
    _wait_for_sentence(page, cut_in_two.text.rstrip("."))
    halves = _reading(page)
    assert len(halves) == 2
    assert halves[0].startswith("Volunteers arrived") and halves[1].startswith("his tractor")
    quote = _first_cue(bakery.cues, "A bakery is a place")
    audio(page, f"a.currentTime = {quote.start + 0.01}")
    _wait_for_sentence(page, quote.text.rstrip("."))
    assert page.evaluate("document.querySelector('.listen-reading').parentElement.tagName"
                         ) == "BLOCKQUOTE"
    assert not watch.errors and not watch.dialogs


def test_a_tap_on_a_paragraph_plays_from_it(browser: Any, bakery: Site) -> None:
    page, watch = open_page(browser, bakery.base + "embedded.html")
    audio(page, "a.muted = true")
    record_seeks(page)
    page.get_by_text("The council has since asked every ward").click()
    council = _first_cue(bakery.cues, "The council has since")
    assert abs(last_seek(page) - council.start) <= 0.05
    until(page, "!document.querySelector('audio').paused && document.querySelector("
                           "'.listen-reading')?.textContent.startsWith('The council has since')")
    assert not watch.errors


def test_a_link_in_a_paragraph_is_still_a_link(browser: Any, bakery: Site) -> None:
    page, _watch = open_page(browser, bakery.base + "embedded.html")
    record_seeks(page)
    page.click("a.footnote-ref")
    assert page.url.endswith("#fn-1")
    assert page.evaluate("window.seeks.length") == 0
    assert audio(page, "a.paused")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_on_the_embedded_page(
    browser: Any, bakery: Site, scheme: str
) -> None:
    page, _watch = open_page(browser, bakery.base + "embedded.html", color_scheme=scheme)
    start_muted(page)
    page.wait_for_selector(".listen-reading")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_the_snippet_finds_the_paragraphs_by_their_words(browser: Any, bakery: Site) -> None:
    """The snippet in an unmarked copy of the page marks the same paragraphs as
    ``listen embed`` did; a paragraph the page no longer has is named in the console."""
    snippet = runner.invoke(app, ["embed", "--snippet", str(bakery.mp3),
                                  "--base-url", bakery.base + "out/"])
    assert snippet.exit_code == 0, snippet.stderr
    original = BAKERY.read_text(encoding="utf-8")
    unmarked = original.replace("</h1>", "</h1>\n" + snippet.stdout, 1)
    (bakery.folder / "snippet.html").write_text(unmarked, encoding="utf-8")
    cut = unmarked.replace("<p>Oduya says she would do it again", "<p>Something else", 1)
    (bakery.folder / "snippet-cut.html").write_text(cut, encoding="utf-8")

    marked = _marked(browser, bakery.base + "embedded.html")
    page, watch = open_page(browser, bakery.base + "snippet.html")
    assert _marked_in(page) == marked
    assert not watch.warnings and not watch.errors

    page, watch = open_page(browser, bakery.base + "snippet-cut.html")
    assert _marked_in(page) == [pair for pair in marked if not pair[1].startswith("Oduya")]
    assert any("could not find" in w and "Oduya says she would do it again" in w
               for w in watch.warnings), watch.warnings


def _marked(browser: Any, url: str) -> list[list[str]]:
    page, _watch = open_page(browser, url)
    return _marked_in(page)


def _marked_in(page: Any) -> list[list[str]]:
    return [list(pair) for pair in page.evaluate(
        "[...document.querySelectorAll('[data-listen-block]')]"
        ".map(e => [e.dataset.listenBlock, e.textContent.slice(0, 40)])")]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    site = _site(HOSTILE, tmp_path_factory.mktemp("hostile"))
    with serve(site.folder, ranges=True) as base:
        yield Site(base, site.folder, site.cues, site.mp3)


@pytest.mark.parametrize("which", ["episode page", "embedded page"])
def test_a_hostile_article_runs_nothing(browser: Any, hostile: Site, which: str) -> None:
    path = ("out/" + hostile.mp3.with_suffix(".html").name if which == "episode page"
            else "embedded.html")
    page, watch = open_page(browser, hostile.base + path)
    start_muted(page)
    page.click(".listen-play")
    for sentence in page.locator(".listen-s").all()[:3] if which == "episode page" else []:
        sentence.hover()
    page.wait_for_timeout(300)
    assert watch.dialogs == []
    assert watch.errors == [], "a Content-Security-Policy report would mean something tried"
    title = '</script><script>alert("title")</script> The harbour wall "><img src=x ' \
            'onerror=alert("title-img")>'
    assert page.evaluate("JSON.parse(document.querySelector('script.listen-data')"
                         ".textContent).title") == title
    assert page.locator("img[src=x], svg[onload], b[onmouseover]").count() == 0
    if which == "episode page":
        assert page.locator("h1").inner_text() == title
        assert page.title() == title
        assert "<script>alert(\"text\")</script>" in page.inner_text(".listen-transcript")
        assert page.locator("a[href^=javascript]").count() == 0


def test_the_episode_page_of_a_hostile_article_escapes_everything(hostile: Site) -> None:
    html = hostile.mp3.with_suffix(".html").read_text(encoding="utf-8")
    data = re.search(r'class="listen-data">(.*?)</script>', html, re.DOTALL)
    assert data and "<" not in data.group(1) and ">" not in data.group(1)
    body = html.replace(data.group(0), "")
    assert "<script>alert" not in body and "<img src=x" not in body and "<svg" not in body
    assert "javascript:" not in html
