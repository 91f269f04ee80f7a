"""The episode page's markup, the player's data and its assets, read back with lxml.

The article here is made by hand (with hostile text in every field) and timed by hand:
one second a sentence, each word a fifth of a second, so the word path is checked too.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st

from listen.errors import OutputError
from listen.models import Article, Block, BlockKind, ChapterMark, Cue, Program, Script
from listen.publish import player as playerlib
from listen.publish.page import CSP, PageInfo, render_page
from listen.publish.player import (
    PlayerFiles,
    data_json,
    labels_for,
    player_data,
    read_player_data,
    write_assets,
)
from listen.speech.script import build_script

ASSETS = Path(playerlib.__file__).parent / "assets"
EVIL = '</script><script>alert(1)</script>"><img src=x onerror=alert(2)>'
FILES = PlayerFiles("ep.mp3", "ep.jpg", "listen-player.0123456789.js",
                    "listen-player.0123456789.css")


def _article(language: str = "en", levels: tuple[int, ...] = (2, 4, 3)) -> Article:
    blocks = [Block(BlockKind.PARAGRAPH, f"First words {EVIL}. Second sentence here.")]
    for n, level in enumerate(levels):
        blocks += [Block(BlockKind.HEADING, f"Heading {n} {EVIL}", level),
                   Block(BlockKind.PARAGRAPH, f"Body {n} of the piece.")]
    blocks += [Block(BlockKind.LIST_ITEM, "One item."), Block(BlockKind.LIST_ITEM, "Two."),
               Block(BlockKind.QUOTE, "A quoted line.")]
    return Article(
        title=f"Title {EVIL}", authors=(f"Ann {EVIL}",), language=language,
        date=datetime(2026, 3, 4, tzinfo=timezone.utc), site=f"Site {EVIL}",
        url="javascript:alert(3)",
        blocks=tuple(Block(b.kind, b.text, b.level, f"b{i}") for i, b in enumerate(blocks, 1)),
    )


def _timed(script: Script, word_seconds: float | None = 0.2) -> Program:
    """One second a sentence; each word ``word_seconds`` after the last (None: no words)."""
    cues, t = [], 0.0
    for segment in script.segments:
        for sentence in segment.sentences:
            count = len(sentence.text.split())
            words = () if word_seconds is None else tuple(
                round(t + i * word_seconds, 3) for i in range(count))
            cues.append(Cue(t, t + 0.9, sentence.text, segment.block, words))
            t += 1.0
    chapters = (ChapterMark(0.0, 2.0, script.chapters[0]),
                ChapterMark(2.0, t, script.chapters[1]))
    return Program(tuple(cues), chapters, t, int(t * 44100 / 1152), 44100, 64)


def _page(article: Article | None = None, program_words: float | None = 0.2
          ) -> tuple[Script, Program, str]:  # fmt: skip
    script = build_script(article or _article())
    program = _timed(script, program_words)
    data = player_data(script, program, episode_id="id", audio=FILES.audio, cover=FILES.cover)
    return script, program, render_page(script, program, data, PageInfo("March 4, 2026", FILES))


def test_every_sentence_is_a_span_named_by_its_cue() -> None:
    script, program, html = _page()
    tree = lxml.html.fromstring(html)
    spans = tree.xpath("//span[@class='listen-s']")
    assert [s.get("data-listen-cue") for s in spans] == [str(i) for i in range(len(program.cues))]
    assert [s.text_content() for s in spans] == [cue.text for cue in program.cues]


def test_article_text_is_text_wherever_it_lands() -> None:
    _script, _program, html = _page()
    tree = lxml.html.fromstring(html)
    assert tree.findtext(".//title") == f"Title {EVIL}"
    assert tree.xpath("string(//h1)") == f"Title {EVIL}"
    assert not tree.xpath("//img[@src='x'] | //script[not(@src) and "
                          "not(@type='application/json')] | //*[@onerror] | //*[@style]")
    assert "javascript:" not in html, "a link to the article only if it is a web address"


def test_the_data_reads_back_as_the_article_said_it() -> None:
    _script, program, html = _page()
    tree = lxml.html.fromstring(html)
    data = json.loads(tree.xpath("string(//script[@type='application/json'])"))
    cues = [cue for para in data["paragraphs"] for cue in para["cues"]]
    assert [c["text"] for c in cues] == [c.text for c in program.cues]
    assert [c["start"] for c in cues] == [c.start for c in program.cues]
    assert data["title"] == f"Title {EVIL}"
    assert [p["block"] for p in data["paragraphs"]][:3] == ["", "b1", "b2"]


def test_word_times_travel_with_their_cue_and_only_when_they_fit() -> None:
    _script, program, html = _page()
    data = json.loads(lxml.html.fromstring(html).xpath("string(//script[@type="
                                                       "'application/json'])"))
    first = data["paragraphs"][1]["cues"][0]
    assert first["words"] == list(program.cues[len(data["paragraphs"][0]["cues"])].words)
    assert len(first["words"]) == len(first["text"].split())
    script = build_script(_article())
    wrong = _timed(script)
    wrong = Program(tuple(Cue(c.start, c.end, c.text, c.block, c.words[:-1])
                          for c in wrong.cues), *[getattr(wrong, f) for f in
                                                  ("chapters", "duration", "frames",
                                                   "sample_rate", "bitrate")])
    data = player_data(script, wrong, episode_id="id", audio="a", cover="c")
    assert not any("words" in cue for para in data["paragraphs"] for cue in para["cues"])
    _script, _program, html = _page(program_words=None)
    assert '"words"' not in html


@given(st.text())
def test_any_text_survives_the_data_element_and_cannot_end_it(text: str) -> None:
    encoded = data_json({"t": text})
    assert encoded.isascii()
    assert not set("<>&") & set(encoded)
    assert json.loads(encoded) == {"t": text}


def test_the_page_allows_only_its_own_files() -> None:
    _script, _program, html = _page()
    tree = lxml.html.fromstring(html)
    assert tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content") == [CSP]
    assert "script-src 'self';" in CSP and "style-src 'self';" in CSP
    assert "unsafe" not in CSP and "default-src 'none'" in CSP
    urls = tree.xpath("//@src | //@href")
    assert set(urls) <= {FILES.audio, FILES.cover, FILES.script, FILES.style} | {
        f"{FILES.audio}#t={m}" for m in ("0.000", "2.000")}


def test_heading_levels_rank_below_the_transcript_and_never_skip() -> None:
    _script, _program, html = _page(_article(levels=(2, 4, 3, 2)))
    tree = lxml.html.fromstring(html)
    transcript = tree.xpath("//section[@class='listen-transcript']")[0]
    levels = [int(h.tag[1]) for h in transcript.iter("h2", "h3", "h4", "h5", "h6")]
    assert levels == [2, 3, 4, 4, 3]  # Transcript, then the article's 2, 4, 3, 2
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_lists_quotes_intro_and_outro_keep_their_shape() -> None:
    _script, _program, html = _page()
    tree = lxml.html.fromstring(html)
    assert [li.text_content() for li in tree.xpath("//section//ul/li")] == ["One item.", "Two."]
    assert tree.xpath("string(//blockquote/p)") == "A quoted line."
    assert tree.xpath("//p[@class='listen-title']") and tree.xpath("//p[@class='listen-outro']")


def test_labels_follow_the_articles_language() -> None:
    _script, _program, html = _page(_article(language="de"))
    tree = lxml.html.fromstring(html)
    assert tree.get("lang") == "de"
    assert tree.xpath("//section[@data-listen-player]/@aria-label") == ["Audiofassung"]
    assert tree.xpath("string(//h2[@id='listen-transcript-title'])") == "Text"
    assert labels_for("fr-CA")["listen"] == "Écouter"
    assert labels_for("xx") == labels_for("en")
    assert all(set(labels_for(lang)) == set(labels_for("en")) for lang in ("de", "fr"))


def test_assets_are_named_by_their_content_and_written_once(tmp_path: Path) -> None:
    script, style = write_assets(tmp_path)
    for name, source in ((script, "player.js"), (style, "player.css")):
        content = (ASSETS / source).read_bytes()
        assert name == f"listen-player.{hashlib.sha256(content).hexdigest()[:10]}." \
                       f"{source.rsplit('.', 1)[1]}"
        assert (tmp_path / name).read_bytes() == content
    stamp = (tmp_path / script).stat().st_mtime_ns
    write_assets(tmp_path)
    assert (tmp_path / script).stat().st_mtime_ns == stamp


def test_script_and_style_together_stay_under_15_kb_gzipped() -> None:
    size = sum(len(gzip.compress((ASSETS / name).read_bytes(), 9))
               for name in ("player.js", "player.css"))
    assert size < 15_000, size


def test_the_player_never_builds_markup_from_text() -> None:
    script = (ASSETS / "player.js").read_text(encoding="utf-8")
    for risky in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                  "new Function", "setAttribute(\"on", "javascript:"):
        assert risky not in script


def test_a_page_without_player_data_is_an_error_that_says_what_to_do(tmp_path: Path) -> None:
    page = tmp_path / "old.html"
    page.write_text("<html><body>made before</body></html>", encoding="utf-8")
    with pytest.raises(OutputError, match="render the article again"):
        read_player_data(page)
    with pytest.raises(OutputError, match="render the article again"):
        read_player_data(tmp_path / "gone.html")
