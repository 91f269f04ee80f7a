"""English speech rules for numbers, money, units and symbols.

These are the rules of ``normalize`` that deal with digits and the signs around
them. Each public function takes text and returns text; ``normalize.RULES`` decides
the order. They only touch what an engine would misread ("10–15%", "$5.2m",
"9:30 a.m.", "24/7"); plain numbers, ordinals and decades are left to the engine.
"""

from __future__ import annotations

import re

from listen.speech.abbreviations import MONTH_ABBREVIATIONS, MONTHS, SENTENCE_OPENERS

_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
_TEXT_ENDS = re.compile(r"[\"')\]]*\s*$")
_SENTENCE_FOLLOWS = re.compile(
    r"\s+(?:" + "|".join(sorted(SENTENCE_OPENERS, key=len, reverse=True)) + r")\b"
)


def keep_stop(match: re.Match[str], spoken: str, can_end: bool = True) -> str:
    """Give ``spoken`` back the period its abbreviation ended a sentence with.

    "at 9 a.m." ends a sentence; "9 A M" would lose that stop, so it keeps a period
    when the text ends there, or, if the abbreviation ``can_end`` a sentence, when a
    common sentence opener follows ("… in the U.S. The …", but not "e.g. The Hobbit").
    """
    if not match.group().endswith("."):
        return spoken
    at = match.end()
    if _TEXT_ENDS.match(match.string, at) or (
        can_end and _SENTENCE_FOLLOWS.match(match.string, at)
    ):
        return spoken + "."
    return spoken


def _value(number: str) -> float:
    return float(number.replace(",", ""))


# ── ranges ─────────────────────────────────────────────────────────────────────

_RANGE = re.compile(
    r"(\d(?<![\w$£€.,/:-]\d)\d*(?:,\d{3})*(?:\.\d+)?)( ?)([-–])( ?)"
    rf"({_NUMBER})(?!\d|[/:]|[.,–-]\d)"
)
_WORD_BEFORE = re.compile(r"(\w+)\.? $")
_RANGE_WORDS = frozenset(
    [
        "pages", "page", "pp", "p", "chapters", "chapter", "verses", "verse", "ages", "age",
        "aged", "sections", "section", "rooms", "room", "seasons", "season", "episodes",
        "episode", "grades", "grade", "from",
        *(month.lower() for month in [*MONTHS, *MONTH_ABBREVIATIONS]),
    ]
)
"""Words after which "33-54" is a range."""
_UNIT_AFTER = re.compile(
    r"(?:%|percent|per cent|seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|"
    r"people|times|km|kilometres?|kilometers?|miles?|metres?|meters?|cm|mm|kg|grams?|"
    r"pounds|feet|inches|degrees?|°|thousand|million|billion|trillion|mph|yards?)(?![a-z])",
    re.I,
)
_SCORE_AFTER = re.compile(
    r" (?:win|wins|victory|defeat|loss|lead|draw|tie|vote|decision|majority|score|"
    r"scoreline|result|aggregate|home|away|in favou?r)\b",
    re.I,
)
_SCORE_BEFORE = frozenset(
    ["won", "lost", "beat", "beaten", "drew", "trailed", "led", "leading", "trailing"]
)


def _is_year_range(start: str, end: str) -> bool:
    if not re.fullmatch(r"1\d{3}|20\d{2}", start):
        return False
    if len(end) == 2:
        return int(end) > int(start[2:])
    return re.fullmatch(r"1\d{3}|20\d{2}", end) is not None and int(end) > int(start)


def _range(match: re.Match[str]) -> str:
    """Whether "a-b" is a range, read from the words around it."""
    low, space_before, dash, space_after, high = match.groups()
    text, start, end = match.string, match.start(), match.end()
    before = _WORD_BEFORE.search(text, max(0, start - 16), start)
    word = before[1].lower() if before else ""
    if len(space_before) == len(space_after) and _is_year_range(low, high):
        return f"{low} to {high}"
    if not _value(low) < _value(high):
        return match.group()
    if word == "between":
        return f"{low} and {high}"
    is_range = (
        word in _RANGE_WORDS
        or (dash == "–" and word not in _SCORE_BEFORE and not _SCORE_AFTER.match(text, end))
        or (dash == "-" and _UNIT_AFTER.match(text, end + (text[end : end + 1] == " ")))
    )
    return f"{low} to {high}" if is_range else match.group()


def ranges(text: str) -> str:
    """ "2021-2022" → "2021 to 2022", "10–15%" → "10 to 15%", "pages 33–54" → "pages 33 to 54".

    A hyphen joins many things that are not ranges (phone numbers, ISBNs, ISO dates,
    scores), so it counts as one only between years, before a unit or after a word
    like "pages"; an en dash between rising numbers is a range unless it is a score.
    """
    if "-" not in text and "–" not in text:
        return text
    return _RANGE.sub(_range, text)


# ── times ─────────────────────────────────────────────────────────────────────

_TIME = re.compile(r"(?<![\w:.,])(\d{1,2})(?:[:.]([0-5]\d))? ?([ap])\.?m\b\.?", re.I)


def _time(match: re.Match[str]) -> str:
    hour, minutes, half = match.groups()
    if not 0 < int(hour) <= 12:
        return match.group()
    clock = f"{hour}:{minutes}" if minutes else hour
    return keep_stop(match, f"{clock} {half.upper()} M")


def times(text: str) -> str:
    """ "9:30 a.m." → "9:30 A M", "7pm" → "7 P M" (engines read "a.m." as a word)."""
    return _TIME.sub(_time, text)


# ── money ─────────────────────────────────────────────────────────────────────

_CURRENCIES = {
    "$": ("dollar", "dollars"),
    "US$": ("US dollar", "US dollars"),
    "A$": ("Australian dollar", "Australian dollars"),
    "C$": ("Canadian dollar", "Canadian dollars"),
    "€": ("euro", "euros"),
    "£": ("pound", "pounds"),
    "¥": ("yen", "yen"),
    "₹": ("rupee", "rupees"),
}
_MULTIPLIERS = {
    "k": "thousand",
    "m": "million",
    "mn": "million",
    "bn": "billion",
    "b": "billion",
    "tn": "trillion",
    "thousand": "thousand",
    "million": "million",
    "billion": "billion",
    "trillion": "trillion",
}
_MONEY = re.compile(
    rf"(?<![\w$])(US\$|A\$|C\$|[$€£¥₹]) ?({_NUMBER})"
    rf"(?: ?(?:to|-|–) ?[$€£¥₹]?({_NUMBER}))?"
    r"(?: ?(thousand|million|billion|trillion|bn|mn|tn|m|b|k)(?![\w]))?"
)
_EURO_AFTER = re.compile(rf"(?<![\w.,])({_NUMBER}) ?€")
_CENTS = re.compile(rf"(?<![\w.,])({_NUMBER}) ?¢")
_SUFFIX_MULTIPLIER = re.compile(r"(?<![\w.,])(\d+(?:\.\d+)?)(k|bn|tn)(?!\w)")


def _money(match: re.Match[str]) -> str:
    sign, amount, upper, multiplier = match.groups()
    singular, plural = _CURRENCIES[sign]
    if upper is not None:
        amount = f"{amount} to {upper}"
    if multiplier:
        return f"{amount} {_MULTIPLIERS[multiplier]} {plural}"
    whole, _, cents = amount.partition(".")
    if upper is None and len(cents) == 2:
        unit = singular if whole == "1" else plural
        return f"{whole} {unit} {cents}" if cents != "00" else f"{whole} {unit}"
    return f"{amount} {singular if amount == '1' else plural}"


def money(text: str) -> str:
    """ "$5" → "5 dollars", "£1.5bn" → "1.5 billion pounds", "$4.99" → "4 dollars 99"."""
    if any(sign in text for sign in "$€£¥₹"):
        text = _MONEY.sub(_money, text)
        text = _EURO_AFTER.sub(lambda m: f"{m[1]} {'euro' if m[1] == '1' else 'euros'}", text)
    if "¢" in text:
        text = _CENTS.sub(lambda m: f"{m[1]} {'cent' if m[1] == '1' else 'cents'}", text)
    return _SUFFIX_MULTIPLIER.sub(lambda m: f"{m[1]} {_MULTIPLIERS[m[2]]}", text)


# ── units and signs ───────────────────────────────────────────────────────────

_PERCENT = re.compile(r"(?<=\d) ?%|%")
_DEGREES = re.compile(
    r"(-?\d+(?:\.\d+)?) ?(?:°|º)(?: ?([CF])(?![a-zA-Z]))?|(-?\d+(?:\.\d+)?) ?([℃℉])"
)
_SCALES = {"C": "Celsius", "F": "Fahrenheit", "℃": "Celsius", "℉": "Fahrenheit"}
_PER_UNITS = {
    "km/h": "kilometres per hour",
    "kph": "kilometres per hour",
    "mph": "miles per hour",
    "m/s": "metres per second",
    "km/s": "kilometres per second",
    "km²": "square kilometres",
    "m²": "square metres",
    "kWh": "kilowatt hours",
}
_PER_UNIT = re.compile(
    r"(?<=\d) ?(" + "|".join(re.escape(u) for u in sorted(_PER_UNITS, key=len, reverse=True))
    + r")(?![A-Za-z/²])"
)
_TOKENS = {
    "24/7": "twenty-four seven",
    "9/11": "nine eleven",
    "50/50": "fifty-fifty",
    "and/or": "and or",
}
_TOKEN = re.compile(r"(?<![\w/])(" + "|".join(re.escape(t) for t in _TOKENS) + r")(?![\w/])")
_FRACTIONS = {"½": "a half", "¼": "a quarter", "¾": "three quarters", "⅓": "a third",
              "⅔": "two thirds"}
_FRACTION = re.compile(r"(?:(\d) ?)?([½¼¾⅓⅔])")
_SIGNS = (
    ("&", re.compile(r"(?<=\w) ?& ?(?=\w)| & "), " and "),
    ("+", re.compile(r"(?<![\w+])\+(?=\d)"), "plus "),
    ("+", re.compile(r" \+ "), " plus "),
    ("=", re.compile(r" = "), " equals "),
    ("×", re.compile(r"(?<=\d)×(?=\d)"), " by "),
    ("×", re.compile(r" ?× ?"), " times "),
    ("~", re.compile(r"(?<!\w)~(?=\d)"), "about "),
)
"""(sign, where it is a word, the word): the sign is a cheap test before the regex."""


def _degrees(match: re.Match[str]) -> str:
    number = match.group(1) or match.group(3)
    scale = _SCALES.get(match.group(2) or match.group(4) or "", "")
    unit = "degree" if number in ("1", "-1") else "degrees"
    return f"{number} {unit} {scale}".rstrip()


def _fraction(match: re.Match[str]) -> str:
    whole, sign = match.groups()
    spoken = _FRACTIONS[sign]
    if whole:
        return f"{whole} and {spoken}"
    return spoken.replace("a ", "one ", 1)


def units(text: str) -> str:
    """ "10%" → "10 percent", "20°C" → "20 degrees Celsius", "km/h", "24/7", "½"."""
    if "%" in text:
        text = _PERCENT.sub(" percent", text)
    if any(sign in text for sign in "°º℃℉"):
        text = _DEGREES.sub(_degrees, text)
    text = _PER_UNIT.sub(lambda m: " " + _PER_UNITS[m[1]], text)
    if "/" in text:
        text = _TOKEN.sub(lambda m: _TOKENS[m[1]], text)
    if any(sign in text for sign in _FRACTIONS):
        text = _FRACTION.sub(_fraction, text)
    return text


def signs(text: str) -> str:
    """ "R&D" → "R and D", "+5" → "plus 5", " = " → " equals ", "3×4" → "3 by 4"."""
    for sign, pattern, spoken in _SIGNS:
        if sign in text:
            text = pattern.sub(spoken, text)
    return text
