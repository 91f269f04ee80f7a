"""Ordinal numbers ("21st", "3e", "2.ª", "am 14.") and roman numerals in names and
titles ("Elizabeth II", "Benedicto XVI", "acte XII", "Schedule IV", "XIe siècle").

``[ordinals]`` lists the suffixes a language writes after an ordinal, each with the
form it asks for ("" as num2words gives it, "f" feminine, "short" for "primer");
``expected`` (English) says which suffix each number takes, so "3th" is left alone.
A language that writes ordinals with a period (German "14.") says so with
``period = true``: the period makes an ordinal only where the words around show it
(an article or preposition before it, a lower-case word after it, the start of the
text), and the ending follows the word before it (``endings_after``: "am" →
"vierzehnten").

``[roman]``: after a word of ``before`` ("Chapter IV") a numeral is a cardinal;
after a capitalised name it is a regnal number (``after_name``: "the {ordinal}");
a single "I", and "X", "C", "D", "L", "M" alone, are left as letters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from listen.speech.language import words_pattern
from listen.speech.reader import Reader, word_after, word_before

_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}
_ROMAN = r"(?=[MDCLXVI])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_SINGLE_LETTERS_LEFT = frozenset("XCDLM")


def ordinals(text: str, reader: Reader) -> str:
    """ "21st" → "twenty-first", "3.ª" → "tercera", "am 14." → "am vierzehnten"."""
    if not any(c.isdigit() for c in text):
        return text
    suffixed = reader.memo("ordinals", _suffix_pattern)
    if suffixed is not None:
        text = suffixed.sub(lambda m: _suffixed(m, reader) or m.group(), text)
    if reader.data.table("ordinals").get("period"):
        text = _PERIOD_ORDINAL.sub(lambda m: _with_period(m, reader) or m.group(), text)
    return text


def _suffix_pattern(reader: Reader) -> re.Pattern[str] | None:
    suffixes = reader.data.table("ordinals").get("suffixes", {})
    if not suffixes:
        return None
    return re.compile(
        rf"(?<![\w.,/])({reader.number})({words_pattern(suffixes)})(?![^\W\d_])", re.I
    )


def _suffixed(match: re.Match[str], reader: Reader) -> str | None:
    written, suffix = match.groups()
    number = reader.parse(written)
    if number is None or number.fraction is not None:
        return None
    value = int(number.whole)
    table = reader.data.table("ordinals")
    suffixes: Mapping[str, Any] = {k.lower(): v for k, v in table["suffixes"].items()}
    expected = table.get("expected")
    if expected and suffix.lower() != _expected(value, expected):
        return None
    return ordinal_words(value, reader, str(suffixes[suffix.lower()]) or None)


def _expected(value: int, expected: Mapping[str, Any]) -> str:
    for key in (str(value % 100), str(value % 10)):
        if key in expected:
            return str(expected[key])
    return str(expected.get("default", ""))


def ordinal_words(value: int, reader: Reader, form: str | None, ending: str = "") -> str:
    """The ordinal in ``form`` (None, "m", "f", "short"), with a German ``ending``."""
    words = reader.numbers.ordinal(value, form if form in ("f", "short") else None)
    return words + ending


# ── German: "am 14." ──────────────────────────────────────────────────────────

_NUMBER_BEFORE = re.compile(r"\d\s*$")
_PERIOD_ORDINAL = re.compile(r"(?<![\w.,])(\d{1,5})\.(?!\d)(?=(\s+[^\s]+)|\s*$)")


def _with_period(match: re.Match[str], reader: Reader) -> str | None:
    text, start = match.string, match.start()
    table = reader.data.table("ordinals")
    before = word_before(text, start)
    after = word_after(text, match.end())
    at_start = not text[:start].strip() or text[:start].rstrip()[-1:] in ".!?:"
    if not (before.lower() in _listed(table, "after_words") or (after[:1].islower())
            or (at_start and after)):
        return None
    if before.lower() == reader.word("to").lower() and _NUMBER_BEFORE.search(
            text, 0, start - len(before) - 1):
        return None  # "von 2 bis 5.": a range's end, then the sentence's
    said = ordinal_words(int(match[1]), reader, None, ordinal_ending(before, after, reader))
    return reader.keep_stop(match, said)  # "Die Sitzung ist am 5."


def ordinal_ending(before: str, after: str, reader: Reader) -> str:
    """The ending an ordinal takes after ``before`` and before the noun ``after``."""
    table = reader.data.table("ordinals")
    endings: Mapping[str, Any] = table.get("endings_after", {})
    if before.lower() in endings:
        return str(endings[before.lower()])
    gender = reader.gender_of(after) if after else None
    by_gender: Mapping[str, Any] = table.get("endings_by_gender", {})
    return str(by_gender.get(gender or "m", table.get("ending", "")))


def _listed(table: Mapping[str, Any], key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in table.get(key, ()))


# ── roman numerals ────────────────────────────────────────────────────────────


def roman_value(numeral: str) -> int:
    values = [_ROMAN_VALUES[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v
               for i, v in enumerate(values))


def roman_numerals(text: str, reader: Reader) -> str:
    """ "Elizabeth II" → "Elizabeth the Second", "Chapter IV" → "Chapter four"."""
    if not any(c in text for c in "IVXLCDM"):
        return text
    pattern = reader.memo("roman", _roman_pattern)
    return pattern.sub(lambda m: _roman(m, reader) or m.group(), text)


def _roman_pattern(reader: Reader) -> re.Pattern[str]:
    table = reader.data.table("roman")
    suffixes = table.get("suffixes", {})
    suffix = f"({words_pattern(suffixes)})?" if suffixes else "()"
    period = r"(\.)?" if table.get("period") else "()"
    return re.compile(rf"(?<![\w.'’-])({_ROMAN}){suffix}{period}(?![\w'’-])")


def _roman(match: re.Match[str], reader: Reader) -> str | None:
    numeral, suffix, period = match.groups()
    table = reader.data.table("roman")
    value = roman_value(numeral)
    text = match.string
    before = word_before(text, match.start())
    if suffix and numeral in _SINGLE_LETTERS_LEFT - {"X"}:
        return None  # "Le", "Ce", "De", "Me" are words
    if suffix:
        form = str(table["suffixes"][suffix]) or None
        return _stop(match, reader, ordinal_words(value, reader, form))
    if before in _listed_exact(table, "before") or before.lower() in _listed(table, "before"):
        return _stop(match, reader, reader.numbers.cardinal(value))
    if before.lower() in _listed(table, "ordinal_after"):
        gender = reader.gender_of(word_after(text, match.end()))
        return _stop(match, reader, ordinal_words(value, reader, gender))
    if not _after_name(before, numeral, match):
        return None
    return _stop(match, reader, _regnal(value, before, reader))


def _listed_exact(table: Mapping[str, Any], key: str) -> frozenset[str]:
    return frozenset(str(w) for w in table.get(key, ()))


def _after_name(before: str, numeral: str, match: re.Match[str]) -> bool:
    """A regnal number follows a capitalised name, right after it."""
    text = match.string
    if not before or not before[:1].isupper() or before.isupper():
        return False
    if not text[: match.start()].endswith(before + " "):
        return False
    if numeral in _SINGLE_LETTERS_LEFT:
        return False
    if numeral == "I":  # "Sam and I think": only "Elizabeth I." or "Elizabeth I,"
        rest = text[match.end() - (1 if match.group().endswith(".") else 0):]
        return rest[:1] in ("", ".", ",", ";", ":", ")", "'", "’") or rest.startswith(" (")
    return True


def _regnal(value: int, name: str, reader: Reader) -> str:
    table = reader.data.table("roman")
    feminine = name.lower() in _listed(table, "feminine_names") or (
        name.lower().endswith(tuple(table.get("feminine_name_endings", ()))))
    gender = "f" if feminine else None
    up_to = int(table.get("ordinal_up_to", 0) or 0)
    if up_to and value > up_to:
        said = reader.numbers.cardinal(value)
    else:
        said = ordinal_words(value, reader, gender, str(table.get("ordinal_ending", "")))
    key = "after_name_feminine" if feminine and "after_name_feminine" in table else "after_name"
    return str(table.get(key, "{ordinal}")).format(ordinal=said)


def _stop(match: re.Match[str], reader: Reader, said: str) -> str:
    """Keep a period that also ends the sentence ("… Ludwig XIV.")."""
    return reader.keep_stop(match, said) if match.group().endswith(".") else said
