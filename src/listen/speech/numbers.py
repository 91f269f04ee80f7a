"""Numbers as written in a language, and as said: parsing and number words.

Number words come from num2words (cardinals, ordinals, years in each language);
the language's ``[number_words]`` table mends what num2words gets wrong or what an
engine reads badly, and says how a number agrees with the noun after it:

- ``fixes``: regex → replacement, applied to every result ("quadragésimo" →
  "cuadragésimo"; "veintiuno mil" → "veintiún mil");
- ``split_after``: a space after these parts of a long compound ("zweitausend
  vierundzwanzig"), which espeak-ng pronounces better than the whole word;
- ``before_noun`` and ``feminine``: word endings replaced when the number counts
  a noun, or a feminine one ("uno" → "un" / "una"; "eins" → "ein" / "eine"), in
  the words after the last of ``agreement_stops`` ("millones" keeps its own gender).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from listen.speech.language import SpeechData


@dataclass(frozen=True)
class Number:
    """A written number, parsed: "-1.234,5" in German is (True, "1234", "5")."""

    negative: bool
    whole: str
    """The digits before the decimal mark, without group marks."""
    fraction: str | None = None
    """The digits after the decimal mark; None for an integer."""
    mark: str = ""
    """The decimal mark as written: the language's own, or another ("3.5" in German)."""

    @property
    def value(self) -> float:
        return float(f"{'-' if self.negative else ''}{self.whole}.{self.fraction or 0}")


class NumberWords:
    """Cardinals, ordinals, years and digits in one language."""

    def __init__(self, data: SpeechData) -> None:
        from num2words import CONVERTER_CLASSES  # noqa: PLC0415 - the import costs 20 ms

        self.data = data
        self._converter: Any = CONVERTER_CLASSES.get(data.code) or CONVERTER_CLASSES["en"]
        table = data.table("number_words")
        self._fixes = [(re.compile(k), v) for k, v in table.get("fixes", {}).items()]
        self._split = tuple(table.get("split_after", ()))
        self._stops = frozenset(table.get("agreement_stops", ()))

    @cached_property
    def _split_pattern(self) -> re.Pattern[str] | None:
        if not self._split:
            return None
        parts = "|".join(re.escape(p) for p in self._split)
        return re.compile(rf"({parts})(?=\w)(?!st|er\b|ern\b)")  # not "hundert|ste"

    def _mend(self, words: str) -> str:
        words = words.replace(",", "")
        for pattern, replacement in self._fixes:
            words = pattern.sub(replacement, words)
        if self._split_pattern is not None:
            words = self._split_pattern.sub(r"\1 ", words)
        return " ".join(words.split())

    def cardinal(self, value: int, gender: str | None = None) -> str:
        """ "einundzwanzig"; with a noun's ``gender`` the form that counts it
        ("veintiún", "veintiuna", "eine")."""
        if value < 0:
            return f"{self.data.word('minus')} {self.cardinal(-value, gender)}"
        words = self._mend(self._converter.to_cardinal(value))
        return self.agree(words, gender, "cardinal")

    def ordinal(self, value: int, gender: str | None = None) -> str:
        """ "vierzehnte", "quatorzième", "decimotercero"; ``gender`` "f" for
        "decimotercera", "première", "short" for an apocopated "primer"."""
        words = self._mend(self._converter.to_ordinal(value))
        return self.agree(words, gender, "ordinal")

    def year(self, value: int) -> str:
        """ "nineteen ninety-four", "neunzehnhundertvierundneunzig"; a cardinal in
        languages whose years are cardinals."""
        if not hasattr(self._converter, "to_year") or value <= 0:
            return self.cardinal(value)
        return self._mend(self._converter.to_year(value))

    def digits(self, digits: str) -> str:
        """ "004" → "zero zero four": each digit on its own."""
        return " ".join(self.cardinal(int(d)) for d in digits if d.isdigit())

    def agree(self, words: str, gender: str | None, kind: str) -> str:
        """``words`` agreeing with a noun of ``gender`` (None, or "-" for a noun a number
        does not agree with, like Spanish "por ciento": counted alone)."""
        if gender is None or gender == "-":
            return words
        table = self.data.table("number_words", kind)
        forms: dict[str, str] = dict(table.get("before_noun", {}))
        if gender in ("f", "short"):
            forms = {**forms, **table.get("feminine" if gender == "f" else "short", {})}
        if not forms:
            return words
        parts = words.split(" ")
        last_stop = max((i for i, w in enumerate(parts) if w in self._stops), default=-1)
        endings = sorted(forms, key=len, reverse=True)
        for i in range(last_stop + 1, len(parts)):
            parts[i] = _replace_ending(parts[i], endings, forms)
        return " ".join(parts)

    def number(self, number: Number, gender: str | None = None) -> str:
        """A cardinal or decimal: "minus zwölf Komma fünf"."""
        # "eins Komma zwei Milliarden": a decimal does not agree with its noun
        words = self.cardinal(int(number.whole), gender if number.fraction is None else None)
        if number.fraction is not None:
            point = "point" if number.mark in ("", self.data.decimal_mark) else (
                "dot" if number.mark == "." else "comma")
            words = f"{words} {self.data.word(point)} {self.decimals(number.fraction)}"
        return f"{self.data.word('minus')} {words}" if number.negative else words

    def decimals(self, digits: str) -> str:
        """The digits after the decimal mark: one by one ("digits"), or as a number
        with its leading zeros said ("number": "virgule zéro cinq"), in pairs when long."""
        if self.data.text("numbers", "decimals", "digits") != "number" or not digits:
            return self.digits(digits)
        zeros = len(digits) - len(digits.lstrip("0"))
        rest = digits[zeros:]
        said = [self.cardinal(0)] * zeros
        if len(rest) <= 3:
            said += [self.cardinal(int(rest))] if rest else []
        else:
            said += [self.decimals(rest[i:i + 2]) for i in range(0, len(rest), 2)]
        return " ".join(said)


def _replace_ending(word: str, endings: list[str], forms: dict[str, str]) -> str:
    for ending in endings:
        if word.endswith(ending):
            return word[: len(word) - len(ending)] + forms[ending]
    return word


def parse_number(written: str, data: SpeechData) -> Number | None:
    """``written`` ("1.234,5", "1 000", "-3.5", "12") read with the language's marks;
    None when it is not one number ("1,2,3" in German, "1.2.3")."""
    negative = written[:1] in "-−"
    body = written.lstrip("-−+")
    if not body or not body[0].isdigit() or not body[-1].isdigit():
        return None
    marks = [c for c in body if not c.isdigit()]
    if not marks:
        return Number(negative, body)
    if len(set(marks)) > 2 or (len(set(marks)) == 2 and marks[-1] == marks[0]):
        return None
    groups = re.split(r"\D", body)
    if len(set(marks)) == 2 or (len(marks) == 1 and _is_decimal(marks[0], groups[1], data)):
        *whole, fraction = groups
        if not _grouped(whole):
            return None
        return Number(negative, "".join(whole), fraction, marks[-1])
    return Number(negative, "".join(groups)) if _grouped(groups) else None


def _is_decimal(mark: str, after: str, data: SpeechData) -> bool:
    """One mark: the decimal mark, unless it is a group mark with three digits after
    it ("1.000" in German); a foreign decimal mark ("3.5" in German) is one too."""
    if mark == data.decimal_mark:
        return True
    return not (mark in data.group_marks and len(after) == 3)


def _grouped(groups: list[str]) -> bool:
    return len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]) or len(groups) == 1


def number_pattern(data: SpeechData) -> str:
    """A regex (no groups) for a written number: digits in groups of three joined by a
    period or a comma (or a space, where the language groups with one), and a decimal
    part. ``parse_number`` then reads the marks ("1,234.5" and "1.234,5" alike)."""
    group = r"[.,]| " if " " in data.group_marks else r"[.,]"
    return rf"(?<!\d)(?:\d{{1,3}}(?:(?:{group})\d{{3}})+(?!\d)(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
