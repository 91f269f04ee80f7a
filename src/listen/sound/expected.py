"""A language model of the words the takes should say, for the listening check.

pocketsphinx's own model knows 130,000 words and how English runs in general; the
check needs to know whether a take says its sentence. pocketsphinx listens instead
for the article's own words in any order, among the 5,000 commonest English words (a
unigram model, written here in the ARPA text format pocketsphinx reads). The common
words stand for speech that is not the article's: a listener does not know the text
in advance either. Measured with ``bench/verify.py --settings`` (the README has the
table), against pocketsphinx's English with the same fast settings, on 233 takes by
Joe of the sample and eight English fixtures: 0.78 of each sentence heard against
0.69, no right take flagged against 5 of 210, takes of another sentence caught as
often (204 against 199), and 1.5x less CPU.

Two models were left out on purpose, because they hear what they expect in speech no
listener follows (Joe at four times his pace): the article's word pairs, which hear
more of a right take still (0.96) but flagged 7 of 47 hurried takes of the sample
against 37; and the article's words alone, which in a short article (17 sentences)
flagged 8 of 14 against 11.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping

START, END = "<s>", "</s>"
COMMON_WORDS = 5000
"""How many of English's commonest words stand for speech that is not the article's."""
COMMON_SHARE = 0.3
"""The chance given to them against the article's words. 20,000 words at 0.5 cost more
(37.4 against 30.8 CPU s in ``bench/verify.py --settings``) and flagged more takes of
Joe at twice his pace, which many listeners follow (10 of 47 against 3)."""


def spoken_words(sentence: str) -> list[str]:
    """A sentence's words as pocketsphinx's dictionary spells them: lower case,
    apostrophes kept ("you've")."""
    return re.findall(r"[a-z0-9']+", sentence.lower().replace("’", "'"))


WordCounts = tuple[tuple[str, int], ...]
"""The words of an article's sentences and how often each is said, sorted."""


def word_counts(sentences: Iterable[str]) -> WordCounts:
    """What the model is made of, sent with each take to where it is heard: its size
    grows with the article's vocabulary, not its length."""
    counts: Counter[str] = Counter()
    for sentence in sentences:
        counts.update([START, *spoken_words(sentence), END])
    return tuple(sorted(counts.items())) if len(counts) > 2 else ()


def words_arpa(counts: WordCounts, common: Mapping[str, float],
               common_share: float = COMMON_SHARE) -> str:
    """An ARPA unigram model: the article's words (``word_counts``; each as likely as
    it is frequent there, counts plus one) and the ``common`` words with their chances
    (``commonest_english`` in ``listen.sound.recognize``), given ``common_share`` of
    the chance. Words the dictionary lacks (most names) are left for pocketsphinx to
    skip."""
    total = sum(count for _word, count in counts) + len(counts)
    chance = {word: (1 - common_share) * (count + 1) / total for word, count in counts}
    for word, share in common.items():
        chance[word] = chance.get(word, 0.0) + common_share * share
    lines = [f"{-99.0 if word == START else math.log10(p):.4f} {word}"
             for word, p in chance.items()]
    return "\n".join(["\\data\\", f"ngram 1={len(lines)}", "", "\\1-grams:", *lines, "",
                      "\\end\\", ""])
