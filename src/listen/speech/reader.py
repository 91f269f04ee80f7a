"""A reader of one language: its speech data, number words and the patterns the
rules share.

``reader_for("es-CO")`` is what every rule of ``normalize`` is given. The region
(from the language tag, or the page's country domain) picks regional conventions:
what "$" means, the order of day and month in "03/04/2026".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import cached_property, lru_cache
from typing import Any, TypeVar

from listen.speech.language import Currency, Noun, SpeechData, load_speech_data, words_pattern
from listen.speech.numbers import Number, NumberWords, number_pattern, parse_number

_WORD_CHARS = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_TEXT_ENDS = re.compile(r"[\"')\]]*\s*$")
_ELIDED = re.compile(r"^(?:[LlDdJjNnMmTtSsCc]|[Qq]u)['’]")
T = TypeVar("T")


class Reader:
    """Everything a rule needs to say one language's text."""

    def __init__(self, data: SpeechData, region: str = "") -> None:
        self.region = region.upper()
        self.data = _regional_marks(data, self.region)
        self.code = data.code
        # the number words keep the language's own marks, so the word follows the mark
        # written: a period is "punto" in Spanish even where it is the decimal mark
        self.numbers = NumberWords(data)
        self.number = number_pattern(data)
        """A regex (no groups) matching a written number."""
        self._memo: dict[str, Any] = {}

    # ── numbers ─────────────────────────────────────────────────────────────

    def parse(self, written: str) -> Number | None:
        return parse_number(written, self.data)

    def say(self, written: str, gender: str | None = None) -> str:
        """A written number as words; digits one by one when it is not one number."""
        number = self.parse(written)
        if number is None:
            return " ".join(self.numbers.digits(part) if part.isdigit() else part
                            for part in re.findall(r"\d+|\D", written))
        return self.numbers.number(number, gender)

    def word(self, key: str) -> str:
        return self.data.word(key)

    def plural(self, number: Number | int | float) -> bool:
        """Whether a noun after ``number`` is plural: from 2 on in French
        (``[numbers] plural_from``), for anything but one elsewhere."""
        value = abs(number.value if isinstance(number, Number) else number)
        plural_from = self.data.table("numbers").get("plural_from")
        if plural_from is not None:
            return value >= float(plural_from)
        return value != 1 or (isinstance(number, Number) and number.fraction is not None)

    # ── nouns after numbers ─────────────────────────────────────────────────

    def gender_of(self, word: str) -> str | None:
        """The gender of the noun ``word`` that a number counts; None when ``word`` is
        no noun a number agrees with (a function word such as "de" or "y"; in German,
        a word without a capital)."""
        bare = word.strip(".,;:!?\"')").lower()
        if not bare or bare in self._genders["-"]:
            return None
        if self.data.table("grammar").get("nouns_capitalised") and not word[:1].isupper():
            return None
        if bare in self._noun_genders:
            return self._noun_genders[bare]
        if bare in self._genders["m"]:
            return "m"
        if bare in self._genders["f"]:
            return "f"
        endings = self.data.strings("grammar", "feminine_endings")
        return "f" if endings and bare.endswith(endings) else "m"

    @cached_property
    def _noun_genders(self) -> Mapping[str, str]:
        """Units and currencies by name ("hora" → "f"), both numbers."""
        nouns = (*self.data.units.values(), *(c.name for c in self.data.currencies.values()))
        return {name.lower(): noun.gender for noun in nouns for name in (noun.one, noun.other)}

    @cached_property
    def _genders(self) -> Mapping[str, frozenset[str]]:
        """``[grammar]`` word lists: "-" function words, "m" and "f" nouns."""
        return {gender: frozenset(w.lower() for w in self.data.strings("grammar", key))
                for gender, key in (("-", "function_words"), ("m", "masculine_words"),
                                    ("f", "feminine_words"))}

    # ── money ───────────────────────────────────────────────────────────────

    def currency(self, written: str) -> Currency | None:
        """The currency a sign or code stands for on this page ("$" in Colombia: pesos)."""
        if written in ("$",):
            money = self.data.table("money")
            code = money.get("dollar_sign_regions", {}).get(self.region)
            if code and code in self.data.currencies:
                return self.data.currencies[code]
        found = self.data.currencies.get(written)
        if found is None:
            found = self._folded_currencies.get(written.lower())
        return found

    @cached_property
    def _folded_currencies(self) -> Mapping[str, Currency]:
        """Codes and signs with letters, by lower case ("usd", "us$", "mex$")."""
        return {key.lower(): currency for key, currency in self.data.currencies.items()
                if any(c.isalpha() for c in key)}

    def unit(self, written: str) -> Noun | None:
        found = self.data.units.get(written)
        if found is None:
            found = self._folded_units.get(written.lower())
        return found

    @cached_property
    def _folded_units(self) -> Mapping[str, Noun]:
        """Units by lower case, where that is unambiguous ("KWH", "Mph")."""
        folded: dict[str, list[Noun]] = {}
        for key, noun in self.data.units.items():
            if len(key) > 1:  # "M" is not "m"
                folded.setdefault(key.lower(), []).append(noun)
        return {key: nouns[0] for key, nouns in folded.items() if len(set(nouns)) == 1}

    # ── shared patterns ─────────────────────────────────────────────────────

    @cached_property
    def month_pattern(self) -> str:
        """Month names and their abbreviations (with an optional period), any case."""
        names = [*self.data.months, *self.data.month_abbreviations]
        return rf"(?i:{words_pattern(names)})"

    def month(self, written: str) -> int | None:
        """ "März", "mar.", "SEPT" → 3, 3, 9."""
        key = written.rstrip(".").lower()
        for index, name in enumerate(self.data.months, 1):
            if name.lower() == key:
                return index
        for name, index in self.data.month_abbreviations.items():
            if name.lower() == key:
                return index
        return None

    # ── sentences ───────────────────────────────────────────────────────────

    @cached_property
    def sentence_openers(self) -> frozenset[str]:
        """Common words that begin a sentence: after "U.S." or "etc." they show that a
        new sentence has begun."""
        return frozenset(self.data.strings("grammar", "sentence_openers"))

    def opens_sentence(self, word: str) -> bool:
        return word.strip("\"'“‘«¿¡(,;:") in self.sentence_openers

    def keep_stop(self, match: re.Match[str], spoken: str, can_end: bool = True) -> str:
        """``spoken`` with the period its written form ended a sentence with.

        "at 9 a.m." ends a sentence; "nine A M" would lose that stop, so it keeps a
        period when the text ends there, or, if the abbreviation ``can_end`` one, when a
        common sentence opener follows ("… in the U.S. The …", not "e.g. The Hobbit").
        """
        if not match.group().endswith("."):
            return spoken
        at = match.end()
        if _TEXT_ENDS.match(match.string, at) or (
            can_end and self.opens_sentence(word_after(match.string, at))
        ):
            return spoken + "."
        return spoken

    def memo(self, key: str, build: Callable[[Reader], T]) -> T:
        """What a rule compiled for this reader (its regexes), built once."""
        if key not in self._memo:
            self._memo[key] = build(self)
        found: T = self._memo[key]
        return found


def _regional_marks(data: SpeechData, region: str) -> SpeechData:
    """The data with the region's decimal mark (``[numbers] decimal_mark_regions``:
    Mexico writes "1,234.5" where Spain writes "1.234,5")."""
    mark = data.table("numbers").get("decimal_mark_regions", {}).get(region)
    if not mark or mark == data.decimal_mark:
        return data
    groups = tuple(m for m in (data.decimal_mark, *data.group_marks) if m != mark)
    return replace(data, decimal_mark=str(mark), group_marks=groups)


def word_before(text: str, at: int) -> str:
    """The word that ends just before ``at`` (spaces and opening punctuation skipped),
    without an elided article ("l'acte" → "acte")."""
    words = _WORD_CHARS.findall(text[max(0, at - 40) : at])
    return _ELIDED.sub("", words[-1]) if words else ""


def word_after(text: str, at: int) -> str:
    match = _WORD_CHARS.search(text, at, at + 40)
    if match is None or text[at : match.start()].strip(" \"'(«"):
        return ""
    return match.group()


def split_language(language: str) -> tuple[str, str]:
    """ "es-CO" → ("es", "CO"); "en_gb" → ("en", "GB"); "de" → ("de", "")."""
    parts = language.strip().replace("_", "-").split("-")
    code = parts[0].lower()
    region = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), "")
    return code, region


@lru_cache(maxsize=32)
def _cached_reader(code: str, region: str) -> Reader | None:
    data = load_speech_data(code)
    return Reader(data, region) if data is not None else None


def reader_for(language: str, extra: Mapping[str, Any] | None = None) -> Reader | None:
    """The reader for ``language`` ("de", "es-CO"), with a publisher's extra tables
    for it; None for a language listen has no speech data for."""
    code, region = split_language(language)
    if not extra:
        return _cached_reader(code, region)
    data = load_speech_data(code, extra)
    return Reader(data, region) if data is not None else None
