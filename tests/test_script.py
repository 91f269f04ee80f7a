"""The narration script: intro, sentences, speech, chapters and pauses."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from listen.errors import ConfigError, ExtractError
from listen.models import (
    Article,
    Block,
    BlockKind,
    PauseKind,
    Script,
    SegmentKind,
)
from listen.speech.lexicon import Lexicon
from listen.speech.script import ScriptOptions, build_script, split_sentences, spoken_date

MARCH_4 = datetime(2026, 3, 4, 9, 30, tzinfo=timezone.utc)


def _p(text: str) -> Block:
    return Block(BlockKind.PARAGRAPH, text)


def _h(text: str, level: int = 2) -> Block:
    return Block(BlockKind.HEADING, text, level)


def _article(*blocks: Block, **fields: object) -> Article:
    values: dict[str, object] = {
        "title": "The Court Rules",
        "authors": ("Jane Doe",),
        "site": "The Example Times",
        "date": MARCH_4,
    }
    values.update(fields)
    return Article(blocks=blocks or (_p("Hello there."),), **values)  # type: ignore[arg-type]


def _texts(script: Script, kind: SegmentKind) -> list[str]:
    return [seg.text for seg in script.segments if seg.kind is kind]


# ── sentence splitting ────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("One. Two! Three? Four", ["One.", "Two!", "Three?", "Four"]),
        ("Dr. Smith met Mr. Jones. Then", ["Dr. Smith met Mr. Jones.", "Then"]),
        ("The U.S. Army left. Then", ["The U.S. Army left.", "Then"]),
        ("He moved to the U.S. Then he left.", ["He moved to the U.S.", "Then he left."]),
        ("Fruit, e.g. Apples, is good.", ["Fruit, e.g. Apples, is good."]),
        ("Pi is 3.14. Yes.", ["Pi is 3.14.", "Yes."]),
        ("J. R. R. Tolkien wrote it.", ["J. R. R. Tolkien wrote it."]),
        ("See No. 5 and p. 7. Fine.", ["See No. 5 and p. 7.", "Fine."]),
        ("I said no. Then I left.", ["I said no.", "Then I left."]),
        ("Worse than I. But fine.", ["Worse than I.", "But fine."]),
        ('"Well... I guess," she said.', ['"Well... I guess," she said.']),
        ('"I don\'t know..." He left.', ['"I don\'t know..."', "He left."]),
        ("He paused... then left.", ["He paused... then left."]),
        ('"Why?" he asked. "Because."', ['"Why?" he asked.', '"Because."']),
        ("It was 2020. 2021 was better.", ["It was 2020.", "2021 was better."]),
        ("Apples, pears etc. The rest.", ["Apples, pears etc.", "The rest."]),
        ("At 5 p.m. The end.", ["At 5 p.m.", "The end."]),
        # every class of ``listen.speech.abbreviations``: never, before a number, may end
        ("Prices incl. VAT are high.", ["Prices incl. VAT are high."]),
        ("It is esp. Cold. Then", ["It is esp. Cold.", "Then"]),
        ("It is approx. Ten. Then", ["It is approx. Ten.", "Then"]),
        ("Roe v. Wade was decided. Then", ["Roe v. Wade was decided.", "Then"]),
        ("See Fig. 2 and Jan. 4. Fine.", ["See Fig. 2 and Jan. 4.", "Fine."]),
        ("It was Jan. Then Feb. Came", ["It was Jan.", "Then Feb.", "Came"]),
        ("He runs the Dept. The boss left.", ["He runs the Dept.", "The boss left."]),
        ("The Dept. Store on Fifth Ave. However, no.",
         ["The Dept. Store on Fifth Ave.", "However, no."]),
        ("Meanwhile, in the U.S. Meanwhile, elsewhere.",
         ["Meanwhile, in the U.S.", "Meanwhile, elsewhere."]),
        ("  lots   of\n space  ", ["lots of space"]),
        ("", []),
    ],
)
def test_split_sentences_english(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


@pytest.mark.parametrize(
    ("language", "text", "sentences"),
    [
        ("de", "Am 3. März kam er. Dann ging er.", ["Am 3. März kam er.", "Dann ging er."]),
        ("de", "Er kaufte z. B. Äpfel usw. Dann ging er.",
         ["Er kaufte z. B. Äpfel usw.", "Dann ging er."]),
        ("fr", "M. Dupont est là. Mme Martin aussi.", ["M. Dupont est là.", "Mme Martin aussi."]),
    ],
)
def test_split_sentences_other_languages(language: str, text: str, sentences: list[str]) -> None:
    assert split_sentences(text, language) == sentences


def test_an_abbreviation_is_split_and_spoken_alike() -> None:
    """The splitter once ended a sentence at "incl." the speech rule wrote out."""
    script = build_script(
        _article(_p("Prices incl. VAT are high. He runs the Dept. The boss left.")),
        ScriptOptions(intro=False, outro=False),
    )
    assert [(s.text, s.speech) for s in script.segments[0].sentences] == [
        ("Prices incl. VAT are high.", "Prices including V A T are high."),
        ("He runs the Dept.", "He runs the Department."),
        ("The boss left.", "The boss left."),
    ]


# ── intro and outro ───────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("fields", "intro"),
    [
        ({}, "The Court Rules. By Jane Doe. Published by The Example Times on March 4, 2026."),
        ({"authors": ("A", "B", "C")},
         "The Court Rules. By A, B and C. Published by The Example Times on March 4, 2026."),
        ({"site": None}, "The Court Rules. By Jane Doe. Published on March 4, 2026."),
        ({"date": None}, "The Court Rules. By Jane Doe. Published by The Example Times."),
        ({"authors": (), "site": None, "date": None}, "The Court Rules."),
        ({"title": "Is AI overhyped?", "authors": ()},
         "Is AI overhyped? Published by The Example Times on March 4, 2026."),
    ],
)
def test_intro(fields: dict[str, object], intro: str) -> None:
    script = build_script(_article(**fields))
    first = script.segments[0]
    assert first.kind is SegmentKind.TITLE
    assert first.text == intro
    assert first.pause_after is PauseKind.INTRO


def test_intro_speech_is_normalised_and_uses_the_lexicon() -> None:
    script = build_script(_article(title="The ICJ rules", authors=("Xi Jinping",)))
    assert script.segments[0].speech.startswith("The I C J rules. By Shee Jin-ping.")


def test_intro_template_and_its_fallback() -> None:
    options = ScriptOptions(intro_template="{site} presents: {title}, by {byline}.")
    script = build_script(_article(), options)
    assert script.segments[0].text == "The Example Times presents: The Court Rules, by Jane Doe."
    fallback = build_script(_article(site=None), options)
    assert fallback.segments[0].text.startswith("The Court Rules. By Jane Doe.")


def test_outro_default_custom_and_off() -> None:
    script = build_script(_article())
    assert script.segments[-1].kind is SegmentKind.OUTRO
    assert script.segments[-1].text == (
        "You've been listening to The Court Rules, by Jane Doe, from The Example Times."
    )
    custom = build_script(_article(), ScriptOptions(outro_text="Thanks for listening to {site}."))
    assert custom.segments[-1].text == "Thanks for listening to The Example Times."
    unknown_site = build_script(
        _article(site=None, authors=()), ScriptOptions(outro_text="More from {site}.")
    )
    assert unknown_site.segments[-1].text == "You've been listening to The Court Rules."
    off = build_script(_article(), ScriptOptions(intro=False, outro=False))
    assert [seg.kind for seg in off.segments] == [SegmentKind.PARAGRAPH]


@pytest.mark.parametrize(
    ("language", "date"),
    [("en", "March 4, 2026"), ("en-US", "March 4, 2026"), ("de", "4. März 2026"),
     ("fr", "4 mars 2026"), ("es", "4 de marzo de 2026"), ("it", "2026-03-04")],
)
def test_spoken_date(language: str, date: str) -> None:
    assert spoken_date(MARCH_4, language) == date
    assert spoken_date(datetime(2026, 5, 1), "fr") == "1er mai 2026"


# ── segments and sentences ────────────────────────────────────────────────────


def test_sentences_keep_text_and_speak_normalised() -> None:
    script = build_script(
        _article(_p("Dr. Smith told the ICJ — twice — that costs rose 10–15%. It’s over…")),
        ScriptOptions(intro=False, outro=False),
    )
    (segment,) = script.segments
    assert [s.text for s in segment.sentences] == [
        "Dr. Smith told the ICJ — twice — that costs rose 10–15%.",
        "It’s over…",
    ]
    assert [s.speech for s in segment.sentences] == [
        "Doctor Smith told the I C J, twice, that costs rose ten to fifteen percent.",
        "It's over.",
    ]


def test_every_kind_of_block_becomes_its_segment_and_ends_with_a_stop() -> None:
    script = build_script(
        _article(
            _h("Background"),
            Block(BlockKind.LIST_ITEM, "First item"),
            Block(BlockKind.LIST_ITEM, "Second item;"),
            Block(BlockKind.QUOTE, "“We will not yield”"),
            _p("A paragraph without a stop"),
        ),
        ScriptOptions(intro=False, outro=False),
    )
    assert [seg.kind for seg in script.segments] == [
        SegmentKind.HEADING, SegmentKind.LIST_ITEM, SegmentKind.LIST_ITEM,
        SegmentKind.QUOTE, SegmentKind.PARAGRAPH,
    ]
    assert [seg.speech for seg in script.segments] == [
        "Background.", "First item.", "Second item.", '"We will not yield".',
        "A paragraph without a stop.",
    ]
    assert script.segments[1].text == "First item"  # the transcript keeps what was written


def test_quotes_are_read_as_written() -> None:
    script = build_script(_article(Block(BlockKind.QUOTE, "We shall fight.")))
    quote = next(seg for seg in script.segments if seg.kind is SegmentKind.QUOTE)
    assert quote.speech == "We shall fight."


def test_silent_blocks_and_sentences_are_dropped() -> None:
    script = build_script(
        _article(_p("[…]"), _p("—"), _p("Real text. [sic]"), _p("   ")),
        ScriptOptions(intro=False, outro=False),
    )
    assert [seg.text for seg in script.segments] == ["Real text. [sic]"]
    assert all(s.speech and s.text for seg in script.segments for s in seg.sentences)


def test_a_heading_that_repeats_the_title_is_said_once() -> None:
    script = build_script(_article(_h("The Court Rules", 1), _p("Body.")))
    assert [seg.kind for seg in script.segments] == [
        SegmentKind.TITLE, SegmentKind.PARAGRAPH, SegmentKind.OUTRO,
    ]
    without_intro = build_script(
        _article(_h("The Court Rules", 1), _p("Body.")), ScriptOptions(intro=False)
    )
    assert without_intro.segments[0].kind is SegmentKind.HEADING
    # The <h1> may differ from the metadata title in case and punctuation only.
    kicker_first = build_script(
        _article(_p("Analysis."), _h("The court rules!", 1), _p("Body."), title="The Court Rules")
    )
    assert [seg.text for seg in kicker_first.segments][1:3] == ["Analysis.", "Body."]


def test_long_sentences_split_at_clauses_then_spaces() -> None:
    clause = "word " * 12 + "end; "
    text = clause * 6 + "and " + "x" * 130
    options = ScriptOptions(intro=False, outro=False, max_chars=100)
    script = build_script(_article(_p(text)), options)
    sentences = script.segments[0].sentences
    assert all(len(s.text) <= 100 and len(s.speech) <= 100 for s in sentences)
    assert sentences[0].text.endswith("end;")
    assert sentences[-1].text == "x" * 100 or len(sentences[-1].text) <= 100
    assert "".join(s.text for s in sentences).replace(" ", "") == text.replace(" ", "")


def test_speech_longer_than_text_is_split_too() -> None:
    text = " ".join(["$5.2bn"] * 30)  # each grows to "five point two billion dollars"
    script = build_script(_article(_p(text)), ScriptOptions(intro=False, outro=False, max_chars=60))
    sentences = script.segments[0].sentences
    assert all(len(s.speech) <= 60 for s in sentences)
    assert sum(s.speech.count("billion dollars") for s in sentences) == 30


# ── chapters and pauses ───────────────────────────────────────────────────────


def test_chapters_and_pauses() -> None:
    script = build_script(
        _article(_p("Lead."), _h("Part one"), _h("Detail", 3), _p("A."), _p("B."),
                 _h("Part two"), _p("C."))
    )
    assert script.chapters == ("The Court Rules", "Part one", "Part two")
    summary = [(seg.kind, seg.chapter, seg.pause_after) for seg in script.segments]
    assert summary == [
        (SegmentKind.TITLE, 0, PauseKind.INTRO),
        (SegmentKind.PARAGRAPH, 0, PauseKind.HEADING),
        (SegmentKind.HEADING, 1, PauseKind.HEADING),
        (SegmentKind.HEADING, 1, PauseKind.HEADING),
        (SegmentKind.PARAGRAPH, 1, PauseKind.PARAGRAPH),
        (SegmentKind.PARAGRAPH, 1, PauseKind.HEADING),
        (SegmentKind.HEADING, 2, PauseKind.HEADING),
        (SegmentKind.PARAGRAPH, 2, PauseKind.PARAGRAPH),
        (SegmentKind.OUTRO, 2, PauseKind.PARAGRAPH),
    ]


def test_without_intro_a_first_heading_stays_in_chapter_zero() -> None:
    script = build_script(
        _article(_h("Start"), _p("A."), _h("Next"), _p("B.")),
        ScriptOptions(intro=False, outro=False),
    )
    assert script.chapters == ("The Court Rules", "Next")
    assert [seg.chapter for seg in script.segments] == [0, 0, 1, 1]
    assert script.segments[-1].pause_after is PauseKind.PARAGRAPH


def test_last_segment_pauses_as_a_paragraph_even_when_a_heading() -> None:
    script = build_script(_article(_p("A."), _h("Tail")), ScriptOptions(outro=False))
    assert script.segments[-1].pause_after is PauseKind.PARAGRAPH


# ── languages and lexicons ────────────────────────────────────────────────────


def test_german_article_gets_german_words_lexicon_and_neutral_rules() -> None:
    article = _article(
        _p("Die NATO tagt z. B. am 3. März — und die ICJ auch."),
        title="Der Gipfel", authors=("Anna Schmidt", "Ben Weber"), site="Die Zeitung",
        language="de",
    )
    script = build_script(article)
    assert script.segments[0].text == (
        "Der Gipfel. Von Anna Schmidt und Ben Weber. Erschienen bei Die Zeitung am 4. März 2026."
    )
    assert script.segments[1].speech == (
        "Die Nato tagt zum Beispiel am dritten März, und die ICJ auch."
    )
    assert script.segments[-1].text == (
        "Sie hörten Der Gipfel, von Anna Schmidt und Ben Weber, erschienen bei Die Zeitung."
    )


def test_unknown_language_has_title_intro_and_no_default_outro() -> None:
    script = build_script(_article(_p("Ciao — amici, sono 3."), language="it"))
    assert [seg.text for seg in script.segments] == ["The Court Rules.", "Ciao — amici, sono 3."]
    assert script.segments[1].speech == "Ciao, amici, sono 3."


def test_given_lexicon_replaces_the_shipped_one() -> None:
    article = _article(_p("The ICJ and Acme."))
    own = ScriptOptions(intro=False, outro=False, lexicon=Lexicon((("Acme", "ack me"),)))
    assert build_script(article, own).segments[0].speech == "The I C J and ack me."
    shipped = build_script(article, ScriptOptions(intro=False, outro=False))
    assert shipped.segments[0].speech == "The I C J and Acme."


# ── limits ────────────────────────────────────────────────────────────────────


def test_too_small_max_chars_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="max_chars"):
        ScriptOptions(max_chars=5)


def test_nothing_to_say_is_an_extract_error() -> None:
    with pytest.raises(ExtractError, match="no text to narrate"):
        build_script(
            _article(_p("[…]"), title="", authors=(), site=None, date=None),
            ScriptOptions(outro=False),
        )
