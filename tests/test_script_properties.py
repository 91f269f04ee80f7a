"""Properties that hold for any text: no crash, no silent or over-long sentence."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listen.errors import ExtractError
from listen.models import Article, Block, BlockKind, PauseKind, Script
from listen.speech.abbreviations import table
from listen.speech.language import Abbreviation
from listen.speech.normalize import normalize
from listen.speech.reader import reader_for
from listen.speech.script import ScriptOptions, build_script, split_sentences

# Characters the rules react to, mixed with anything at all.
_TRICKY = "abcXYZ ICJ US.e.g.Dr.St.No. 0123456789-–—…[]()\"'“”‘’$€£%°/&+=×~#@:;,!?\n\u00a0\u00ad"
_pieces = st.one_of(
    st.text(alphabet=_TRICKY, max_size=60),
    st.text(max_size=30),
    st.sampled_from(
        ["https://www.example.com/a?b=1", "jane@example.org", "@handle_x", "#Tag", "10–15%",
         "$5.2 million", "9:30 a.m.", "U.S.", "[sic]", "[…]", "...", " — ", "24/7", "ICJ",
         "Xi Jinping", "z. B.", "2021-2022", "£1.5bn", "20°C", "km/h"]
    ),
)
texts = st.lists(_pieces, max_size=12).map("".join)
languages = st.sampled_from(["en", "de", "fr", "es", "en-GB", ""])


@settings(max_examples=300, deadline=None)
@given(texts, languages)
def test_normalize_never_fails(text: str, language: str) -> None:
    assert isinstance(normalize(text, language), str)


@st.composite
def articles(draw: st.DrawFn) -> Article:
    blocks = draw(
        st.lists(st.builds(Block, st.sampled_from(list(BlockKind)), texts), max_size=8)
    )
    return Article(
        title=draw(texts),
        blocks=tuple(blocks),
        authors=tuple(draw(st.lists(texts, max_size=3))),
        site=draw(st.none() | texts),
        language=draw(languages),
    )


@settings(max_examples=200, deadline=None)
@given(
    articles(),
    st.booleans(),
    st.booleans(),
    st.integers(min_value=40, max_value=400),
)
def test_build_script_invariants(
    article: Article, intro: bool, outro: bool, max_chars: int
) -> None:
    options = ScriptOptions(intro=intro, outro=outro, max_chars=max_chars)
    try:
        script = build_script(article, options)
    except ExtractError:
        return  # nothing speakable at all: a clear error, not a crash
    _check(script, max_chars)


def _check(script: Script, max_chars: int) -> None:
    assert script.segments and script.chapters and all(script.chapters)
    chapters = [seg.chapter for seg in script.segments]
    assert chapters == sorted(chapters) and chapters[-1] < len(script.chapters)
    assert script.segments[-1].pause_after is PauseKind.PARAGRAPH
    for segment in script.segments:
        assert segment.sentences
        for sentence in segment.sentences:
            assert sentence.text.strip() and re.search(r"\w", sentence.speech)
            assert len(sentence.text) <= max_chars
            assert len(sentence.speech) <= max_chars


_FOLLOWERS = ("The", "However", "One", "Smith", "VAT", "5", "the")
_ENGLISH = reader_for("en")
assert _ENGLISH is not None
_SPOKEN_ROWS = [row for row in table(_ENGLISH).rows if row.spoken and row.use != "words"]


@pytest.mark.parametrize("row", _SPOKEN_ROWS, ids=[row.written for row in _SPOKEN_ROWS])
def test_splitter_and_speech_rule_agree_on_every_abbreviation(row: Abbreviation) -> None:
    """Where an abbreviation is written out, its spoken form keeps a stop exactly when
    the splitter ends a sentence there: no "Prices including." take."""
    assert row.spoken is not None
    written_out = 0
    for follower in _FOLLOWERS:
        text = f"It was {row.written}. {follower} came."
        splits = len(split_sentences(text)) == 2
        speech = normalize(text).lower()
        after = normalize(follower).lower()
        if f" {row.spoken.lower()}. {after} " in speech:
            assert splits, (text, speech)
        elif f" {row.spoken.lower()} {after} " in speech:
            assert not splits, (text, speech)
        else:
            continue
        written_out += 1
    assert written_out, f"{row.written!r} is never written out"
