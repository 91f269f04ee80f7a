"""Ranges and scores: "2019–2021", "45-50 Minuten", "10–15%", "$250-$300", "a 3–1
win", "2:0".

A dash between two numbers is read from the words around it (``[ranges]``):

- after a word of ``between`` it becomes that word's partner ("between 10-15" →
  "between 10 and 15", "entre 10 y 15");
- between years, before a unit, currency, scale or percent sign, after a word of
  ``words`` ("pages 33-54"), or as an en dash between rising numbers, it is a range
  (``[words] to``: "to", "bis", "à", "a");
- near a word of ``score_words`` ("win", "Sieg"), or between small numbers that do
  not rise ("2-2", "3-1"), it is a score (``[words] score``: "to", "zu", "à", "a");
- otherwise it is left as written (a hyphen in "978-3", "555-1234").

``score_colon`` (German): "2:0" is a score unless a time rule took it.
The numbers stay as digits for the money, measure and number rules after this one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from listen.speech.reader import Reader, word_after, word_before

_SIGNS = r"(?:US\$|[A-Z]{0,2}\$|[€£¥₹₩])?"


def ranges(text: str, reader: Reader) -> str:
    """Dashes between numbers, said as "to" or as a score, or left alone."""
    if not any(c in text for c in "-–—:") or not any(c.isdigit() for c in text):
        return text
    pattern = reader.memo("ranges", _pattern)
    text = pattern.sub(lambda m: _range(m, reader) or m.group(), text)
    if reader.data.table("ranges").get("score_colon"):
        text = _COLON_SCORE.sub(lambda m: _score(m, reader), text)
    return text


_ARITHMETIC = re.compile(r"[+=×*÷]")
_COLON_SCORE = re.compile(r"(?<![\w:.,])(\d{1,3}):(\d{1,3})(?![\w:]|[.,]\d)")


def _pattern(reader: Reader) -> re.Pattern[str]:
    number = reader.number
    return re.compile(
        rf"(?<![\w.,/:-])({_SIGNS})({number})((?:s|er|%)?)( ?)([-–—])( ?)"
        rf"({_SIGNS})({number})((?:s|er|%)?)(?![\w.,/:-]?\d)(?![-–])"
    )


def _range(match: re.Match[str], reader: Reader) -> str | None:
    sign1, low, tail1, space1, dash, space2, sign2, high, tail2 = match.groups()
    table: Mapping[str, Any] = reader.data.table("ranges")
    text, start, end = match.string, match.start(), match.end()
    before = word_before(text, start).lower()
    after = word_after(text, end)
    a, b = reader.parse(low), reader.parse(high)
    if a is None or b is None or dash == "—" or len(space1) != len(space2):
        return None
    first, second = f"{sign1}{low}{tail1}", f"{sign2}{high}{tail2}"
    if space1 and _ARITHMETIC.search(text[max(0, start - 3) : end + 3]):
        return f"{first} {reader.word('minus')} {second}"  # "2 + 2 - 1 = 3"
    partner = table.get("between", {}).get(before)
    if partner:
        return f"{first} {partner} {second}"
    years = _years(low, high) or (tail1 and tail2 and tail1 != "%")
    rising = a.value < b.value or years
    scored = before in _listed(table, "score_words") or after.lower() in _listed(
        table, "score_words")
    if scored and not sign1 and not _counts(after, reader):
        return _said_score(low, high, reader)
    unit_after = (_counts(after, reader) or tail2 == "%"
                  or text[end:end + 2].lstrip()[:1] in ("%", "°", "€"))
    if rising and (years or sign1 or unit_after or before in _listed(table, "words")
                   or dash == "–"):
        return f"{first} {reader.word('to')} {second}"
    if _tally(a.whole, b.whole) and not rising and not unit_after:
        return _said_score(low, high, reader)
    return None


def _years(low: str, high: str) -> bool:
    if not re.fullmatch(r"1\d{3}|20\d{2}", low):
        return False
    if len(high) == 2:
        return int(high) > int(low[2:])
    return re.fullmatch(r"1\d{3}|20\d{2}", high) is not None and int(high) > int(low)


def _tally(low: str, high: str) -> bool:
    """Numbers a score or a vote is written with ("3-1", "218-214"), not a range's
    (which rise) nor an identifier's."""
    return low.isdigit() and high.isdigit() and len(low) <= 3 and len(high) <= 3


def _counts(word: str, reader: Reader) -> bool:
    """A unit, currency, scale or time word after the second number."""
    if not word:
        return False
    table = reader.data.table("ranges")
    return bool(reader.unit(word) or reader.currency(word) or word in reader.data.scales
                or word.lower() in _listed(table, "unit_words"))


def _listed(table: Mapping[str, Any], key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in table.get(key, ()))


def _said_score(low: str, high: str, reader: Reader) -> str:
    """Said at once: a score has no unit for a later rule, and "3:1." must not
    become an ordinal in German."""
    return f"{reader.say(low)} {reader.word('score')} {reader.say(high)}"


def _score(match: re.Match[str], reader: Reader) -> str:
    return _said_score(match[1], match[2], reader)
