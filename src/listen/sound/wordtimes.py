"""Word times of the transcript: from the words spoken to the words written.

An engine that times words reports when each white-space word of the text it was
given begins: the sentence's spoken form. The transcript shows the written form,
and the two differ ("$5" is spoken "five dollars", "Dr." "Doctor", "1,234" "one
thousand two hundred thirty-four"). The rule, word by word:

1. Both forms are split at white space; two words are the same when their letters
   and digits are, case aside ("Train," and "train").
2. The longest runs of the same words are paired (difflib's ``SequenceMatcher``);
   a paired written word starts when its spoken word does.
3. Between paired runs, k written words stand for m spoken ones ("$5" for "five
   dollars"): the j-th of them (from 0) starts with spoken word ⌊j·m/k⌋ of the run,
   so the first starts with the first and each with or after the one before.
4. A written word with nothing spoken for it (a dash, a lone symbol) starts with
   the next spoken word, or at the end of the speech when none follows. A spoken
   word with nothing written for it ("dollars" in "$5 million" → "five million
   dollars") starts no written word.

So the times stay in order, as the VTT's inline timestamps must, and a word is
highlighted while it, or what stands for it, is being said.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher


def written_word_starts(
    written: str, spoken: str, starts: Sequence[float], end: float
) -> tuple[float, ...]:
    """The start of each white-space word of ``written``, given ``starts``, the start of
    each white-space word of ``spoken``, and ``end``, when the speech ends. Empty when
    the engine timed no words (or not one per spoken word)."""
    spoken_words = spoken.split()
    if not starts or len(starts) != len(spoken_words):
        return ()
    written_words = written.split()
    matcher = SequenceMatcher(None, [_key(w) for w in written_words],
                              [_key(w) for w in spoken_words], autojunk=False)
    times: list[float] = []
    for tag, w_from, w_to, s_from, s_to in matcher.get_opcodes():
        count, spoken_count = w_to - w_from, s_to - s_from
        if tag == "delete":
            times += [starts[s_from] if s_from < len(starts) else end] * count
        elif tag != "insert":  # equal, or replace
            times += [starts[s_from + j * spoken_count // count] for j in range(count)]
    return tuple(times)


def _key(word: str) -> str:
    return "".join(char for char in word.casefold() if char.isalnum())
