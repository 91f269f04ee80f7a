"""The episode page and the player, in a real headless Chromium.

The sample article is rendered once for real (tone engine, four times the speed: a
real MP3 of about a minute); the page is opened from disk (``file://``) and from a
static web server, and used as a person would: with the mouse, with the keyboard
alone, and by reloading. Cue times are read from the VTT, not from the page.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from playerkit import (
    FIXTURES,
    VttCue,
    audio,
    last_seek,
    open_page,
    read_vtt,
    record_seeks,
    render_tone,
    serve,
    start_muted,
    until,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "night-trains.html"
SCREENSHOT = ROOT / "docs" / "episode-page.png"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def episode(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_tone(SAMPLE, tmp_path_factory.mktemp("night") / "out")


@pytest.fixture(scope="module")
def cues(episode: Path) -> list[VttCue]:
    return read_vtt(episode.with_suffix(".vtt"))


@pytest.fixture(scope="module", params=["file", "http"])
def page_url(request: pytest.FixtureRequest, episode: Path) -> Iterator[str]:
    if request.param == "file":
        yield episode.as_uri()
        return
    with serve(episode.parent) as base:
        yield base + episode.name


def _now_reading(page: Any) -> list[Any]:
    """The audio's time and the sentence highlighted, read at one moment."""
    return list(page.evaluate(
        "(() => { const s = document.querySelector('.listen-now');"
        " return [document.querySelector('audio').currentTime,"
        " s ? Number(s.dataset.listenCue) : -1]; })()"))


def _cue_at(cues: list[VttCue], seconds: float) -> int:
    """The sentence being read at ``seconds``: the last one begun."""
    return max((i for i, cue in enumerate(cues) if cue.start <= seconds), default=-1)


def test_it_plays_and_the_highlight_keeps_step(browser: Any, page_url: str,
                                               cues: list[VttCue]) -> None:
    page, watch = open_page(browser, page_url)
    start_muted(page)
    seen = set()
    for _ in range(12):
        time.sleep(0.25)
        now, highlighted = _now_reading(page)
        # the highlight moves on the next frame: it may lag the clock by one frame
        assert highlighted in (_cue_at(cues, now), _cue_at(cues, now - 0.05)), now
        seen.add(highlighted)
    assert len(seen) >= 2, "three seconds of playback cross more than one sentence"
    assert page.locator(".listen-now").count() == 1
    assert page.get_attribute(".listen-now", "aria-current") == "true"
    assert not watch.errors and not watch.dialogs


def test_a_click_on_the_tenth_sentence_plays_from_its_start(
    browser: Any, page_url: str, cues: list[VttCue]
) -> None:
    page, watch = open_page(browser, page_url)
    audio(page, "a.muted = true")
    record_seeks(page)
    tenth = page.locator('[data-listen-cue="9"]')
    assert tenth.inner_text() == cues[9].text
    tenth.click()
    assert abs(last_seek(page) - cues[9].start) <= 0.05
    until(page, "!document.querySelector('audio').paused")
    until(page, "document.querySelector('.listen-now')?.dataset.listenCue === '9'")
    assert not watch.errors


def test_no_request_leaves_the_output_folder(browser: Any, page_url: str) -> None:
    page, watch = open_page(browser, page_url)
    start_muted(page)
    time.sleep(0.5)
    folder = page_url.rsplit("/", 1)[0] + "/"
    assert watch.requests, "the page loads its script, style, cover and audio"
    assert all(url.startswith(folder) for url in watch.requests), watch.requests
    assert {Path(url).suffix for url in watch.requests} >= {".html", ".js", ".css", ".mp3"}
    assert not watch.errors


def test_without_javascript_the_audio_and_transcript_remain(
    browser: Any, episode: Path, cues: list[VttCue]
) -> None:
    page, _watch = open_page(browser, episode.as_uri(), java_script_enabled=False)
    assert page.locator("audio[controls]").is_visible()
    assert page.locator(".listen-s").count() == len(cues)
    assert page.locator(".listen-toc a").count() >= 2
    assert page.locator(".listen-play").count() == 0


def _focus(page: Any, selector: str, limit: int = 40) -> list[str]:
    """Press Tab until ``selector`` has the focus; the names of what was passed."""
    passed = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({json.dumps(selector)})"):
            return passed
        passed.append(page.evaluate("document.activeElement.className || "
                                    "document.activeElement.tagName"))
    raise AssertionError(f"Tab never reached {selector}; passed {passed}")


def _outline(page: Any) -> str:
    return str(page.evaluate("getComputedStyle(document.activeElement).outlineStyle"))


_RECORD_HIGHLIGHTS = """() => {
  window.listenHighlights = [];
  new MutationObserver((changes) => {
    for (const change of changes) {
      const cue = change.target.dataset && change.target.dataset.listenCue;
      if (cue && change.target.classList.contains("listen-now")
          && window.listenHighlights.at(-1) !== cue) window.listenHighlights.push(cue);
    }
  }).observe(document.body, {subtree: true, attributes: true, attributeFilter: ["class"]});
}"""


def test_keyboard_alone_plays_seeks_changes_speed_and_opens_a_chapter(
    browser: Any, episode: Path
) -> None:
    chapters = json.loads(episode.with_suffix(".chapters.json").read_text())["chapters"]
    page, watch = open_page(browser, episode.as_uri())
    audio(page, "a.muted = true")
    _focus(page, ".listen-play")
    assert _outline(page) != "none", "the focus is visible"
    page.keyboard.press("Enter")
    until(page, "!document.querySelector('audio').paused")
    page.keyboard.press("Enter")
    until(page, "document.querySelector('audio').paused")

    _focus(page, ".listen-seek")
    before = audio(page, "a.currentTime")
    page.keyboard.press("ArrowRight")
    assert audio(page, "a.currentTime") == pytest.approx(before + 5, abs=0.01)
    valuetext = page.get_attribute(".listen-seek", "aria-valuetext")
    assert re.fullmatch(r"(\d+ minutes? )?\d+ seconds? of \d+ minutes?( \d+ seconds?)?",
                        valuetext or ""), valuetext

    page.keyboard.press("Shift+Tab")  # back, and forward again: no trap
    _focus(page, ".listen-speed")
    page.keyboard.press("ArrowDown")
    assert audio(page, "a.playbackRate") == 1.25

    _focus(page, "button.listen-chapters")
    page.keyboard.press("Enter")
    assert page.get_attribute("button.listen-chapters", "aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    until(page, "!document.querySelector('audio').paused")
    assert audio(page, "a.currentTime") == pytest.approx(chapters[1]["startTime"], abs=0.3)
    assert page.evaluate("document.activeElement.classList.contains('listen-chapters')")
    assert page.get_attribute("button.listen-chapters", "aria-expanded") == "false"

    # Paused, so that the sentence being read stays put while the keys are pressed;
    # every sentence the highlight lands on is recorded, so that a busy machine that
    # polls late, after playback has moved on, still sees where Enter started it.
    audio(page, "a.pause()")
    page.evaluate(_RECORD_HIGHLIGHTS)
    _focus(page, ".listen-s")  # the transcript: one stop, at the sentence being read
    focused = int(page.evaluate("document.activeElement.dataset.listenCue"))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    until(page, "!document.querySelector('audio').paused")
    until(page, "window.listenHighlights.length > 0")
    assert page.evaluate("window.listenHighlights[0]") == str(focused + 1)
    assert not watch.errors


def test_speed_and_position_survive_a_reload(browser: Any, episode: Path) -> None:
    page, _watch = open_page(browser, episode.as_uri())
    page.select_option(".listen-speed", "1.5")
    start_muted(page)
    audio(page, "a.currentTime = 20")
    page.click(".listen-play")  # pause: the position is kept
    until(page, "document.querySelector('audio').paused")
    paused_at = audio(page, "a.currentTime")
    assert paused_at >= 20
    page.reload()
    page.wait_for_load_state("load")
    assert audio(page, "a.playbackRate") == 1.5
    assert page.input_value(".listen-speed") == "1.5"
    until(page, "document.querySelector('audio').currentTime > 0")
    assert audio(page, "a.currentTime") == pytest.approx(paused_at, abs=0.05)
    assert "Resume" in page.inner_text(".listen-play")


def test_follow_scrolling_stops_when_the_reader_scrolls_away(
    browser: Any, episode: Path
) -> None:
    page, _watch = open_page(browser, episode.as_uri(), viewport={"width": 800, "height": 600})
    start_muted(page)
    audio(page, "a.currentTime = 35")
    page.wait_for_timeout(1500)
    assert page.locator(".listen-now").is_visible()
    assert page.locator(".listen-follow").is_hidden()
    page.mouse.wheel(0, -20000)
    page.wait_for_timeout(600)
    back = page.locator(".listen-follow")
    assert back.is_visible()
    back.click()
    page.wait_for_timeout(800)
    box = page.locator(".listen-now").bounding_box()
    assert box is not None and 0 <= box["y"] <= 600
    assert back.is_hidden()


def test_media_session_names_the_episode(browser: Any, episode: Path) -> None:
    with serve(episode.parent) as base:
        page, _watch = open_page(browser, base + episode.name)
        start_muted(page)
        metadata = page.evaluate("(() => { const m = navigator.mediaSession.metadata;"
                                 " return [m.title, m.artist, m.artwork[0].src]; })()")
    assert metadata == ["The night train is back, and this time it may stay",
                        "Marta Lindqvist", base + episode.with_suffix(".jpg").name]


def test_the_player_speaks_the_articles_language(browser: Any, tmp_path: Path) -> None:
    page_file = render_tone(FIXTURES / "german.html", tmp_path / "out")
    page, watch = open_page(browser, page_file.as_uri())
    assert page.inner_text(".listen-play").startswith("Anhören · ")
    assert page.get_attribute(".listen-back", "aria-label") == "15 Sekunden zurück"
    assert page.get_attribute(".listen-seek", "aria-valuetext") == \
        "0 Sekunden von " + _german_duration(page)
    assert not watch.errors


def _german_duration(page: Any) -> str:
    seconds = round(page.evaluate("JSON.parse(document.querySelector('script.listen-data')"
                                  ".textContent).duration"))
    minutes, rest = divmod(seconds, 60)
    parts = [f"{minutes} Minute{'n' if minutes != 1 else ''}"] if minutes else []
    return " ".join(parts + ([f"{rest} Sekunde{'n' if rest != 1 else ''}"] if rest else []))


def test_no_animation_when_the_reader_asks_for_less_motion(browser: Any, episode: Path) -> None:
    still, _ = open_page(browser, episode.as_uri(), reduced_motion="reduce")
    moving, _ = open_page(browser, episode.as_uri())
    duration = "getComputedStyle(document.querySelector('.listen-s')).transitionDuration"
    assert still.evaluate(duration) == "0s"
    assert moving.evaluate(duration) != "0s"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_on_the_episode_page(
    browser: Any, episode: Path, scheme: str
) -> None:
    page, _watch = open_page(browser, episode.as_uri(), color_scheme=scheme)
    start_muted(page)
    page.click("button.listen-chapters")  # the menu open, a sentence highlighted
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_words_are_highlighted_where_a_cue_carries_their_times(
    browser: Any, episode: Path, tmp_path: Path
) -> None:
    """Word timings made by hand (every word of each sentence evenly spaced) in the
    page's data, which is where a timing engine's words will arrive."""
    page_file = _with_word_times(episode)
    page, watch = open_page(browser, page_file.as_uri())
    data = json.loads(page.evaluate("document.querySelector('script.listen-data').textContent"))
    cue = data["paragraphs"][1]["cues"][0]
    for index in (0, 3, len(cue["words"]) - 1):
        audio(page, f"a.currentTime = {cue['words'][index] + 0.01}")
        until(page, "document.querySelector('audio').seeking === false")
        expected = re.sub(r"^\W+|\W+$", "", cue["text"].split()[index])
        until(
            page, "(() => { const h = CSS.highlights.get('listen-word');"
            f" return h && h.size === 1 && [...h][0].toString() === {json.dumps(expected)}; }})()")
    assert not watch.errors


def _with_word_times(episode: Path) -> Path:
    """A copy of the episode page whose cues carry word start times."""
    html = episode.read_text(encoding="utf-8")
    found = re.search(r'(<script type="application/json" class="listen-data">)(.*?)(</script>)',
                      html, re.DOTALL)
    assert found
    data = json.loads(found.group(2))
    for para in data["paragraphs"]:
        for cue in para["cues"]:
            count = len(cue["text"].split())
            step = (cue["end"] - cue["start"]) / count
            cue["words"] = [round(cue["start"] + i * step, 3) for i in range(count)]
    text = json.dumps(data).replace("<", "\\u003c")
    copy = episode.with_name("with-words.html")
    copy.write_text(html[: found.start(2)] + text + html[found.end(2):], encoding="utf-8")
    return copy


def test_the_readme_screenshot(browser: Any, episode: Path, tmp_path: Path) -> None:
    """The screenshot shown in the README, made here; re-pinned only on purpose
    (LISTEN_UPDATE_GOLDEN=1)."""
    page, _watch = open_page(browser, episode.as_uri(), viewport={"width": 860, "height": 900},
                             color_scheme="light")
    audio(page, "a.muted = true")
    page.locator('[data-listen-cue="4"]').click()
    page.wait_for_timeout(600)
    audio(page, "a.pause()")
    page.evaluate("window.scrollTo(0, 0)")
    shot = tmp_path / "episode-page.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000, "a page with a cover, a player and text"
    if os.environ.get("LISTEN_UPDATE_GOLDEN"):
        SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)
    assert SCREENSHOT.is_file(), "make it with LISTEN_UPDATE_GOLDEN=1"
