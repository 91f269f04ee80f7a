"""Word times: from the engine's spoken words to the written words of each cue.

The rule (``listen.sound.wordtimes``) in examples a reader would check, its promises
(one time per written word, in order, inside the speech) for any text, and the tone
engine's exact word times carried through the finisher and the timeline.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from listen.models import (
    Article,
    PauseKind,
    Script,
    Segment,
    SegmentKind,
    Sentence,
    VoiceProfile,
)
from listen.sound.engines.piper_words import _word_places
from listen.sound.engines.tone import SAMPLE_RATE, ToneEngine, samples_per_char
from listen.sound.finish import TakeFinisher
from listen.sound.master import assemble
from listen.sound.wordtimes import written_word_starts

TONE = VoiceProfile("tone", "tone")


def starts(written: str, spoken: str, end: float = 9.0) -> list[float]:
    """Written words' times when spoken word i starts at second i."""
    return list(written_word_starts(written, spoken, [float(i) for i in
                                                      range(len(spoken.split()))], end))


def test_the_same_words_start_with_their_spoken_words() -> None:
    assert starts("The night train, at last!", "The night train, at last!") == [0, 1, 2, 3, 4]


def test_a_written_token_said_in_several_words_starts_with_the_first() -> None:
    assert starts("It cost $5 in the end.", "It cost five dollars in the end.") == \
        [0, 1, 2, 4, 5, 6]
    # "dollars" is said after "million": it starts no written word
    assert starts("A $5 million loan.", "A five million dollars loan.") == [0, 1, 2, 4]


def test_several_written_words_said_as_fewer_share_them_in_order() -> None:
    assert starts("Call me at 9 a. m. sharp", "Call me at nine am sharp") == \
        [0, 1, 2, 3, 3, 4, 5]


def test_an_unspoken_word_starts_with_the_next_or_at_the_end() -> None:
    assert starts("Tickets — cheap ones — sold out", "Tickets cheap ones sold out") == \
        [0, 1, 1, 2, 3, 3, 4]
    assert starts("Sold out. ¶", "Sold out.", end=7.5) == [0, 1, 7.5]


def test_no_times_when_the_engine_gave_none_or_not_one_per_word() -> None:
    assert written_word_starts("Two words", "Two words", [], 1.0) == ()
    assert written_word_starts("Two words", "Two words", [0.0], 1.0) == ()


words_of_text = st.lists(st.sampled_from(["the", "train", "$5", "five", "dollars", "—", "9:40",
                                          "nine", "forty", "Vienna's", "vienna", "a.m.", "¶"]),
                         max_size=12)


@given(written=words_of_text, spoken=words_of_text.filter(bool),
       gaps=st.lists(st.floats(0.0, 2.0), min_size=12, max_size=12))
def test_one_time_per_written_word_in_order_within_the_speech(
    written: list[str], spoken: list[str], gaps: list[float]
) -> None:
    spoken_starts = [sum(gaps[: i + 1]) for i in range(len(spoken))]
    end = spoken_starts[-1] + 0.5
    times = written_word_starts(" ".join(written), " ".join(spoken), spoken_starts, end)
    assert len(times) == len(written)
    assert list(times) == sorted(times)
    assert all(spoken_starts[0] <= t <= end for t in times)


def test_espeak_joining_words_does_not_join_their_times() -> None:
    # espeak-ng says "in the end" as two words, ɪnðɪ and ɛnd; alone, "the" is ðə
    assert _word_places(["ɪn", "ðə", "ɛnd"], "ɪnðɪʲɛnd") == [0, 2, 5]


def test_a_word_said_otherwise_in_context_starts_after_the_words_before() -> None:
    # "a" alone is eɪ, in context ɐ: it lands where "cake" ended, never before
    assert _word_places(["keɪk", "eɪ", "bɑks"], "keɪkɐbɑks") == [0, 4, 5]
    assert _word_places(["", "wʌn"], "wʌn") == [0, 0]  # a word with no sound at all


def test_the_tone_engine_times_each_burst() -> None:
    audio, words = ToneEngine().synthesize_timed("ab  cde f", TONE)
    step = samples_per_char() / SAMPLE_RATE
    assert words == pytest.approx((0.0, 4 * step, 8 * step))
    assert len(audio.raw_data) // 2 == 9 * samples_per_char()
    assert ToneEngine().synthesize("ab  cde f", TONE).raw_data == audio.raw_data


def test_cues_carry_the_written_words_times_from_their_takes() -> None:
    sentences = (Sentence("It cost $5.", "It cost five dollars."),
                 Sentence("Then — nothing.", "Then nothing."))
    script = Script(Article("T", ()), (Segment(SegmentKind.PARAGRAPH, sentences, 0,
                                               PauseKind.PARAGRAPH, "b1"),), ("T",))
    finish = TakeFinisher(-19.0, -1.0)
    takes = []
    for sentence in sentences:
        audio, words = ToneEngine().synthesize_timed(sentence.speech, TONE)
        take = finish(audio, 350)
        takes.append(replace(take, words=words))
    first, second = assemble(script, [takes]).cues
    step = samples_per_char() / SAMPLE_RATE
    assert first.words == pytest.approx((first.start, first.start + 3 * step,
                                         first.start + 8 * step))
    assert second.words == pytest.approx((second.start, second.start + 5 * step,
                                          second.start + 5 * step))
    assert all(cue.start <= word < cue.end for cue in (first, second) for word in cue.words)
