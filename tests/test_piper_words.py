"""Word times with Piper, end to end and from outside.

A page of our own is rendered for real with the ``joe`` voice. Its VTT must time every
word inside its cue and in order, where pocketsphinx's forced alignment hears the word
begin (``wordalign``); Chromium must read those timestamps, and highlight each word
of the episode page while it is said. The patched voice model is made once in the
user's cache folder, never in the installed package; without ``onnx`` Piper still
speaks, by the sentence. espeak-ng gives no word times: its VTT is by the sentence.
"""

from __future__ import annotations

import hashlib
import json
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from listen.cli import app
from listen.models import VoiceProfile
from playerkit import open_page, serve, start_muted, until
from wordalign import TimedCue, decode, read_timed_vtt, spoken_sentences, word_errors

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "tests" / "pages" / "ticket-office.html"
JOE = VoiceProfile("joe", "piper")
TEXT = "A day return to the coast costs five dollars, less than a sandwich."

pytestmark = [pytest.mark.slow, pytest.mark.piper]
runner = CliRunner()


def render(out: Path, voice: str) -> Path:
    result = runner.invoke(app, ["render", str(PAGE), "--out", str(out), "--voice", voice,
                                 "--no-cache", "--jobs", "1", "--quiet"])
    assert result.exit_code == 0, result.stderr
    return Path(result.stdout.strip())


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The MP3 of the page, spoken by joe."""
    return render(tmp_path_factory.mktemp("joe") / "out", "joe")


@pytest.fixture(scope="module")
def cues(edition: Path) -> list[TimedCue]:
    return read_timed_vtt(edition.with_suffix(".vtt"))


def test_every_word_is_timed_in_order_inside_its_cue(cues: list[TimedCue]) -> None:
    assert len(cues) == len(spoken_sentences(str(PAGE)))
    stamped = sum(stamp is not None for cue in cues for stamp in cue.stamps)
    assert stamped >= 0.95 * sum(len(cue.words) for cue in cues)
    for cue in cues:
        stamps = [stamp for stamp in cue.stamps if stamp is not None]
        assert stamps == sorted(set(stamps)), cue
        assert all(cue.start < stamp < cue.end for stamp in stamps), cue
        assert cue.stamps[-1] is not None, "the last word is not left with the one before"


def test_word_starts_are_where_an_independent_aligner_hears_them(
    edition: Path, cues: list[TimedCue]
) -> None:
    errors, skipped = word_errors(cues, spoken_sentences(str(PAGE)), decode(edition))
    size = sorted(abs(error) for error in errors)
    median, p90 = statistics.median(size), size[int(0.9 * len(size))]
    print(f"\nword starts against pocketsphinx: {len(errors)} words, median {median:.3f} s, "
          f"90th percentile {p90:.3f} s, {skipped} of {len(cues)} cues not aligned")
    # Measured on this page: median 0.03 s, 90th percentile 0.07 s. pocketsphinx
    # itself puts word starts about 0.04 s early (bench/words.py); a word late or
    # early by one word is 0.2-0.4 s off.
    assert len(errors) >= 80 and skipped <= 3
    assert median < 0.06 and p90 < 0.12


def test_the_page_carries_the_same_word_times(edition: Path, cues: list[TimedCue]) -> None:
    html = edition.with_suffix(".html").read_text(encoding="utf-8")
    start = html.index('class="listen-data">') + len('class="listen-data">')
    data = json.loads(html[start: html.index("</script>", start)])
    timed = [cue for paragraph in data["paragraphs"] for cue in paragraph["cues"]]
    assert len(timed) == len(cues)
    for ours, vtt in zip(timed, cues, strict=True):
        assert ours["words"] == pytest.approx(vtt.times(), abs=0.0011)


@pytest.mark.browser
def test_chromium_reads_a_timestamp_before_each_timed_word(
    browser: Any, edition: Path, cues: list[TimedCue]
) -> None:
    """Chromium's own WebVTT parser, through a <track>: each inline timestamp becomes
    a ``timestamp`` node of the cue, at the time written."""
    viewer = edition.parent / "track.html"
    viewer.write_text(f'<video><track kind="subtitles" default '
                      f'src="{edition.with_suffix(".vtt").name}"></video>', encoding="utf-8")
    with serve(edition.parent) as base:
        page, watch = open_page(browser, base + viewer.name)
        until(page, "document.querySelector('track').readyState === 2")
        read = page.evaluate(
            "[...document.querySelector('track').track.cues].map(cue => [...cue.getCueAsHTML()"
            ".childNodes].filter(n => n.nodeType === Node.PROCESSING_INSTRUCTION_NODE)"
            ".map(n => n.data))")
    assert len(read) == len(cues)
    for stamps, cue in zip(read, cues, strict=True):
        written = [stamp for stamp in cue.stamps if stamp is not None]
        # Chromium prints back the double it parsed: 16.089 may come back as 16.088
        assert [_seconds(stamp) for stamp in stamps] == pytest.approx(written, abs=0.0011)
    assert not watch.errors


def _seconds(clock: str) -> float:
    hours, minutes, seconds = clock.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


@pytest.mark.browser
def test_each_word_is_highlighted_while_it_is_said(
    browser: Any, edition: Path, cues: list[TimedCue]
) -> None:
    page, watch = open_page(browser, edition.with_suffix(".html").as_uri())
    longest = max(range(len(cues)), key=lambda i: len(cues[i].words))
    start_muted(page)
    page.click(f'[data-listen-cue="{longest}"]')
    cue = cues[longest]
    seen = set()
    for _ in range(40):
        time.sleep(0.07)
        # read in an animation frame, after the player's own update in that frame (it
        # asked for the frame first), so a busy machine's late frames do not matter
        now, word = page.evaluate(
            "new Promise(done => requestAnimationFrame(() => {"
            " const h = CSS.highlights.get('listen-word');"
            " done([document.querySelector('audio').currentTime,"
            " h && h.size ? [...h][0].toString() : null]); }))")
        if not cue.start + 0.02 < now < cue.end - 0.02:
            continue
        # the VTT rounds word starts to the millisecond and the player counts a word
        # begun 1 ms early as begun: a word starting within 2 ms of now may be lit
        expected = {_word_at(cue, now + 0.002), _word_at(cue, now - 0.05)}
        assert word in {_letters(cue.words[i]) for i in expected}, (now, word)
        seen.add(word)
    assert len(seen) >= 4, "a few seconds of a long sentence cross several words"
    assert not watch.errors


def _word_at(cue: TimedCue, seconds: float) -> int:
    return max(i for i, start in enumerate(cue.times()) if start <= seconds or i == 0)


def _letters(word: str) -> str:
    """A word as the page highlights it: without the punctuation around it."""
    return re.sub(r"^\W+|\W+$", "", word)


def test_the_patched_model_is_made_once_outside_the_installed_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from listen.sound.engines.piper import PiperEngine, default_model_path

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    installed = default_model_path()
    before = {path: _digest(path) for path in installed.parent.iterdir() if path.is_file()}
    engine = PiperEngine()
    audio_, words = engine.synthesize_timed(TEXT, JOE)
    made = list((tmp_path / "listen" / "piper-aligned").glob("*.onnx"))
    assert len(made) == 1 and made[0].stat().st_size > 0.9 * installed.stat().st_size
    assert len(words) == len(TEXT.split()) and list(words) == sorted(words)
    assert words[-1] < audio_.duration_seconds
    written = made[0].stat().st_mtime_ns
    PiperEngine().prepare(JOE)
    assert made[0].stat().st_mtime_ns == written, "made once, then reused"
    after = {path: _digest(path) for path in installed.parent.iterdir() if path.is_file()}
    assert after == before, "the installed voice package is untouched"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_without_onnx_piper_speaks_by_the_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from listen.sound.engines.piper import PiperEngine

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setitem(sys.modules, "onnx", None)  # import onnx now fails
    audio_, words = PiperEngine().synthesize_timed(TEXT, JOE)
    assert audio_.duration_seconds > 2.0 and words == ()
    assert not (tmp_path / "listen" / "piper-aligned").exists()


def test_espeak_gives_sentence_times_only(tmp_path: Path) -> None:
    mp3 = render(tmp_path / "out", "espeak-en-us")
    vtt = mp3.with_suffix(".vtt").read_text(encoding="utf-8")
    assert "-->" in vtt and "<00:" not in vtt
    assert '"words"' not in mp3.with_suffix(".html").read_text(encoding="utf-8")


def test_doctor_says_whether_piper_times_words(monkeypatch: pytest.MonkeyPatch) -> None:
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 0 and "piper word times" in result.stdout
    assert "yes (onnx 1." in result.stdout
    monkeypatch.setitem(sys.modules, "onnx", None)
    assert "sentences only" in runner.invoke(app, ["doctor"]).stdout
