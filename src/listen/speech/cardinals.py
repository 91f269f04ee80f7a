"""Numbers said as numbers: telephone numbers, fractions, and every number left.

The rules before these (times, dates, money, measures, ordinals …) have turned the
numbers they recognise into words; what is left is read here as a cardinal or a
decimal in the language's conventions ("1.234,5" in German, "1 234,5" in French),
agreeing with the noun after it ("doscientas personas", "eine Stunde"), or digit by
digit where it is an identifier: a leading zero ("007"), ten digits or more without
group marks, hyphenated groups ("555-1234", "978-3-16-148410-0").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from listen.speech.reader import Reader, word_after

_PHONE = re.compile(
    r"(?<![\w+.,])(?:(\+\d{1,3})[ -]?)?(?:\((\d{1,5})\)[ -]?)?"
    r"(\d{2,12}(?:[-. ]\d{1,8}){0,4})(?:,? ?(?:ext|Ext|x)\.? ?(\d{1,5}))?(?![\w.-]?\d)"
)
_IP_ADDRESS = re.compile(r"(?<![\w.,])\d{1,3}(?:\.\d{1,3}){3}(?![\w.]|\.\d)")
_LOCAL_PHONE = re.compile(r"\d{3}-\d{4}")
_VULGAR = {"½": (1, 2), "⅓": (1, 3), "⅔": (2, 3), "¼": (1, 4), "¾": (3, 4), "⅕": (1, 5),
           "⅛": (1, 8), "⅜": (3, 8), "⅝": (5, 8), "⅞": (7, 8)}
_FRACTION = re.compile(
    r"(?<![\w/.,-])(-)?(?:(\d+) )?(?:(\d+)/(\d{1,3}(?:[.,  ]\d{3})+|\d+)(?![\d/])(?!\.\d)"
    r"(?i:th|rd|nd|st)?|(?:(\d+) ?)?([½⅓⅔¼¾⅕⅛⅜⅝⅞]))(?![^\W\d_])"
)
_DIGIT_GROUPS = re.compile(r"(?<![\w.,-])\d+(?:-\d+){2,}(?![\w-])|(?<![\w.,-])\d{3}-\d{4}(?![\w-])")
_ROUND = re.compile(r"[1-9]0+")
_LONG_DIGITS = 13
"""Ungrouped digits from this many on are an identifier (an ISBN, a card number)."""


# ── telephone numbers ─────────────────────────────────────────────────────────


def telephone_numbers(text: str, reader: Reader) -> str:
    """ "+1 (555) 123-4567" → "plus one, five five five, one two three, four five six
    seven": a short country code as a number, every other group digit by digit;
    "192.168.0.1" → "one nine two dot one six eight dot zero dot one"."""
    if not any(c.isdigit() for c in text):
        return text
    text = _IP_ADDRESS.sub(lambda m: _ip_address(m, reader) or m.group(), text)
    return _PHONE.sub(lambda m: _phone(m, reader) or m.group(), text)


def _ip_address(match: re.Match[str], reader: Reader) -> str | None:
    groups = match.group().split(".")
    if _thousands(groups, ".", reader):
        return None  # "1.000.000.000" in German
    return f" {reader.word('dot')} ".join(reader.numbers.digits(g) for g in groups)


def _thousands(groups: list[str], separator: str, reader: Reader) -> bool:
    """Groups of three after the first, joined by the language's group mark: a number."""
    return (separator in reader.data.group_marks and len(groups[0]) <= 3
            and all(len(g) == 3 for g in groups[1:]))


def _phone(match: re.Match[str], reader: Reader) -> str | None:
    country, area, rest, extension = match.groups()
    groups = re.split(r"[-. ]", rest)
    digits = sum(len(g) for g in groups) + len(area or "")
    separators = set(re.findall(r"[-. ]", rest))
    if country is None and area is None and _trunk_and_number(groups, separators):
        pass  # "030 1234567"
    elif country is None and area is None:
        plain = len(separators) == 1 and separators != {" "}
        if not plain or _thousands(groups, rest[len(groups[0])], reader) or not (
                len(groups) >= 3 and digits >= 9 or _LOCAL_PHONE.fullmatch(rest)):
            return None
    elif digits < 6 or (separators == {"."} and country is None):
        return None
    said = [f"{reader.word('plus')} {_country_code(country[1:], reader)}"] if country else []
    said += [reader.numbers.digits(group) for group in ([area] if area else []) + groups]
    if extension:
        said.append(f"{reader.word('extension')} {reader.numbers.digits(extension)}")
    return ", ".join(said)


def _trunk_and_number(groups: list[str], separators: set[str]) -> bool:
    """A trunk prefix and a number: "030 1234567", "0171 5550123"."""
    return (separators == {" "} and len(groups) == 2 and groups[0].startswith("0")
            and 2 <= len(groups[0]) <= 5 and len(groups[1]) >= 5)


def _country_code(code: str, reader: Reader) -> str:
    """ "+1", "+49" as numbers; "+593" digit by digit, as it is said."""
    return reader.numbers.cardinal(int(code)) if len(code) <= 2 else reader.numbers.digits(code)


# ── fractions ─────────────────────────────────────────────────────────────────


def fractions(text: str, reader: Reader) -> str:
    """ "3/4" → "three quarters", "2 1/2" → "two and a half", "1/3" → "ein Drittel".

    Where "a/b" could also be a day and a month (the language writes dates with
    slashes and ``[dates] slash_day_month`` is true) and nothing around it decides,
    it is left as written, for the engine: halves, thirds and quarters excepted.
    """
    if "/" not in text and not any(c in text for c in _VULGAR):
        return text
    return _FRACTION.sub(lambda m: _fraction(m, reader) or m.group(), text)


def _fraction(match: re.Match[str], reader: Reader) -> str | None:
    minus, whole, top, bottom, vulgar_whole, vulgar = match.groups()
    whole = whole or vulgar_whole
    if vulgar:
        numerator, denominator = _VULGAR[vulgar]
    else:
        numerator, denominator = int(top), int(re.sub(r"\D", "", bottom))
    if denominator == 0 and numerator != 0:
        return None
    ambiguous = (reader.data.table("dates").get("slash_day_month")
                 and 1 <= numerator <= 12 and 1 <= denominator <= 31 and denominator > 4
                 and not whole and not vulgar)
    if ambiguous:
        return None
    said = fraction_words(numerator, denominator, reader, whole=int(whole) if whole else None)
    return f"{reader.word('minus')} {said}" if minus else said


def fraction_words(numerator: int, denominator: int, reader: Reader,
                   whole: int | None = None) -> str:
    table = reader.data.table("fractions")
    words = reader.numbers
    if whole is not None and numerator == 1 and denominator == 2 and "mixed_half" in table:
        gender = table.get("half_whole_gender")
        return str(table["mixed_half"]).format(whole=words.cardinal(whole, gender and str(gender)))
    plural = numerator != 1
    over = table.get("over")
    large_up_to = int(table.get("large_up_to", 0) or 0)
    if over and large_up_to and denominator > large_up_to and not _ROUND.fullmatch(
            str(denominator)):  # "1/123": "uno sobre ciento veintitrés"; not "1/200"
        part = str(over).format(numerator=words.cardinal(numerator),
                                denominator=words.cardinal(denominator))
    else:
        part = f"{words.cardinal(numerator, _gender(table))} " \
               f"{_denominator(denominator, plural, reader)}"
    if whole is None:
        return part
    return str(table.get("mixed", "{whole} {fraction}")).format(
        whole=words.cardinal(whole), fraction=part)


def _gender(table: Mapping[str, Any]) -> str:
    return str(table.get("gender", "m"))


def _denominator(denominator: int, plural: bool, reader: Reader) -> str:
    table = reader.data.table("fractions")
    named = table.get("denominators", {}).get(str(denominator))
    if named:
        return str(named[1] if plural and len(named) > 1 else named[0])
    words = reader.numbers
    template = str(table.get("denominator", "{ordinal}"))
    limit = int(table.get("ordinal_up_to", 0) or 0)
    large_up_to = int(table.get("large_up_to", 0) or 0)
    large = limit and limit < denominator <= (large_up_to or denominator)
    if large and "large_denominator" in table:
        template = str(table["large_denominator"])
    said = template.format(ordinal=words.ordinal(denominator),
                           cardinal=words.cardinal(denominator).replace(" ", ""))
    for pattern, replacement in table.get("fixes", {}).items():
        said = re.sub(pattern, replacement, said)
    return said + (str(table.get("plural", "")) if plural else "")


# ── every number left ─────────────────────────────────────────────────────────


def cardinals(text: str, reader: Reader) -> str:
    """Every number left, as words: a cardinal or a decimal, agreeing with the noun
    after it; identifiers digit by digit."""
    if not any(c.isdigit() for c in text):
        return text
    text = _DIGIT_GROUPS.sub(lambda m: ", ".join(
        reader.numbers.digits(group) for group in m.group().split("-")), text)
    pattern = reader.memo("cardinals", _cardinal_pattern)
    return pattern.sub(lambda m: _cardinal(m, reader), text)


def _cardinal_pattern(reader: Reader) -> re.Pattern[str]:
    # "1/5" that the fractions rule left (a date or a fraction) stays for the engine
    return re.compile(rf"(?:(?<![^\s(\[/\"'])([-−]))?(?<!\d/)({reader.number})(?!/\d)")


def _cardinal(match: re.Match[str], reader: Reader) -> str:
    minus, written = match.groups()
    text, start, end = match.string, match.start(), match.end()
    number = reader.parse(written)
    if number is not None and number.fraction is None and _is_identifier(written):
        said = reader.numbers.digits(written)
    elif number is None:
        said = reader.say(written)
    else:
        said = reader.numbers.number(number, _counted_gender(text, end, reader,
                                                             reader.plural(number)))
    if minus:
        said = f"{reader.word('minus')} {said}"
    before = " " if start and (text[start - 1].isalpha() or text[start - 1] in ",;") else ""
    after = " " if end < len(text) and text[end].isalpha() else ""
    return f"{before}{said}{after}"


def _is_identifier(written: str) -> bool:
    return (len(written) > 1 and written[0] == "0") or (
        written.isdigit() and len(written) >= _LONG_DIGITS)


def _counted_gender(text: str, end: int, reader: Reader, plural: bool) -> str | None:
    """The gender of the noun right after a number, if it counts one: a plural
    number counts only a word with a plural ending (``[grammar] plural_endings``:
    "21 personas", not "el 2021 subió")."""
    if end < len(text) and text[end] not in " ":
        return None
    following = word_after(text, end)
    skipped = reader.data.strings("grammar", "within_numbers")
    while following in skipped:  # "200 mil personas": the noun after "mil" counts
        end = text.index(following, end) + len(following)
        following = word_after(text, end)
    endings = reader.data.strings("grammar", "plural_endings")
    if not following or (plural and endings and not following.lower().endswith(endings)):
        return None
    return reader.gender_of(following)
