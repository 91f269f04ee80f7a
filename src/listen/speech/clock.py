"""Times of day: "9:30 a.m.", "14.30 Uhr", "18h30", "00h25", "23:30", "2pm-5pm",
"20:00 GMT-3".

``[times]`` of the language's data says how a time is said (``clock``: "{hour}
{minutes}", "{hour} Uhr {minutes}", "{hour} y {minutes}"; ``full_hour`` when the
minutes are zero), the gender of the hour (``hour_gender``: "una", "une heure"), a
word written with the time (``marker``: "Uhr" after it, "h" between hours and
minutes), the words for a.m. and p.m. (``meridiem``, and ``meridiem_hours`` where
they change with the hour: "de la madrugada", "de la noche"), special minutes
("cuarto", "media"), the time zones written after a time (``zones``, with an offset:
"UTC+1"), and whether a bare "9:30" needs a word before it to be a time
(``colon_needs_context``: in German "2:0" is a score).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from listen.speech.language import Noun
from listen.speech.reader import Reader, word_before

_ONE_MERIDIEM = r"(\d{1,2})(?:[:.]([0-5]\d))?\s?([ap])\.?\s?m(?![a-z])\.?"
_START = r"(?<![\w:.,])"


def times(text: str, reader: Reader) -> str:
    """Times of day, said in the language's way."""
    table = reader.data.table("times")
    if not table or not any(c.isdigit() for c in text):
        return text
    meridiem, marked, colon = reader.memo("times", _patterns)
    if meridiem is not None:
        text = meridiem.sub(lambda m: _meridiem(m, reader) or m.group(), text)
    if marked is not None:
        text = marked.sub(lambda m: _said(m, reader, needs_context=False), text)
    return colon.sub(lambda m: _said(m, reader, needs_context=True), text)


def _patterns(
    reader: Reader,
) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None, re.Pattern[str]]:
    """(a.m./p.m., with the language's marker, with a colon): each followed by an
    optional zone, whose five groups come last."""
    table = reader.data.table("times")
    zone = _zone_pattern(table)
    meridiem = (re.compile(rf"{_START}{_ONE_MERIDIEM}(?: ?[-–] ?{_ONE_MERIDIEM})?{zone}", re.I)
                if "meridiem" in table else None)
    marker = str(table.get("marker", ""))
    if not marker:
        marked = None
    elif table.get("marker_between"):  # "18h30", "9 h"
        marked = re.compile(
            rf"{_START}(\d{{1,2}}) ?{re.escape(marker)} ?([0-5]\d)?(?:min)?()(?![\w]){zone}")
    else:  # "14.30 Uhr"; with marker_needs_minutes "10:00 h" but not "3 h" (hours)
        minutes = "" if table.get("marker_needs_minutes") else "?"
        marked = re.compile(rf"{_START}(\d{{1,2}})(?:[:.]([0-5]\d)(?::([0-5]\d))?){minutes} ?"
                            rf"{re.escape(marker)}(?!\w){zone}")
    colon = re.compile(rf"{_START}(\d{{1,2}}):([0-5]\d)(?::([0-5]\d))?(?![\w:]|[.,]\d){zone}")
    return meridiem, marked, colon


def _zone_pattern(table: Mapping[str, Any]) -> str:
    """An optional zone ("EST", "e.s.t", "UTC+1:30"): five groups, empty without zones."""
    zones = table.get("zones", {})
    if not zones:
        return "()()()()()"
    dotted = "|".join(r"\.?".join(key) + r"\.?" for key in sorted(zones, key=len, reverse=True))
    return (rf"(?: ?(?i:({dotted}))(?![^\W\d_])"
            rf"(?: ?([+−-]) ?(\d{{1,2}})(?::([0-5]\d))?(?!\d))?)?()")


def _zone(groups: tuple[str | None, ...], reader: Reader) -> str:
    """The words of a zone and its offset ("G M T minus three"), or ""."""
    zone, sign, hours, minutes, _end = groups[-5:]
    if not zone:
        return ""
    said = f" {reader.data.table('times')['zones'][zone.replace('.', '').upper()]}"
    if sign and hours:
        said += f" {reader.word('plus' if sign == '+' else 'minus')} "
        said += reader.numbers.cardinal(int(hours))
        if minutes:
            said += f" {reader.numbers.cardinal(int(minutes))}"
    return said


def _meridiem(match: re.Match[str], reader: Reader) -> str | None:
    groups = match.groups()
    said = [_one_meridiem(groups[i], groups[i + 1], groups[i + 2], reader)
            for i in (0, 3) if groups[i]]
    if None in said:
        return None
    joined = f" {reader.word('to')} ".join(str(s) for s in said) + _zone(groups, reader)
    return reader.keep_stop(match, joined)


def _one_meridiem(hour: str, minutes: str | None, half: str, reader: Reader) -> str | None:
    if not 0 < int(hour) <= 12:
        return None
    table = reader.data.table("times")
    key = "am" if half.lower() == "a" else "pm"
    return str(table.get("meridiem_template", "{time} {half}")).format(
        time=clock(int(hour), int(minutes or 0), reader, full_hour="{hour}"),
        half=_half_words(int(hour), key, table))


def _half_words(hour: int, half: str, table: Mapping[str, Any]) -> str:
    """ "de la mañana", or by hour where ``meridiem_hours`` says the words change
    (12 counts as the first hour of its half)."""
    by_hour = table.get("meridiem_hours", {}).get(half, {})
    starts = sorted((int(h) % 12, str(words)) for h, words in by_hour.items())
    chosen = [words for start, words in starts if start <= hour % 12]
    return chosen[-1] if chosen else str(table["meridiem"][half])


def _said(match: re.Match[str], reader: Reader, *, needs_context: bool) -> str:
    hour, minutes, seconds = match.groups()[:3]
    table = reader.data.table("times")
    if int(hour) > 24:
        return match.group()
    if needs_context and table.get("colon_needs_context"):
        context = {str(w).lower() for w in table.get("context_words", ())}
        if word_before(match.string, match.start()).lower() not in context:
            return match.group()
    if seconds:
        said = _with_seconds(int(hour), int(minutes), int(seconds), reader)
    else:
        said = clock(int(hour), int(minutes or 0), reader)
    return said + _zone(match.groups(), reader)


def clock(hour: int, minutes: int, reader: Reader, full_hour: str | None = None) -> str:
    """ "nine thirty", "neun Uhr dreißig", "dix-huit heures trente", "doce y cuarto"."""
    table = reader.data.table("times")
    gender = table.get("hour_gender")
    noun = _noun(table, "hour_noun")
    values = {
        "hour": reader.numbers.cardinal(hour, str(gender) if gender else None),
        "hour_noun": noun.said(reader.plural(hour)) if noun else "",
    }
    if minutes == 0:
        template = full_hour or str(table.get("full_hour", "{hour}"))
        return " ".join(template.format(**values).split())
    special = table.get("minute_words", {}).get(str(minutes))
    if special:
        said_minutes = str(special)
    elif minutes < 10 and "zero_minutes" in table:
        said_minutes = str(table["zero_minutes"]).format(
            minutes=reader.numbers.cardinal(minutes))
    else:
        said_minutes = reader.numbers.cardinal(minutes)
    template = str(table.get("clock", "{hour} {minutes}"))
    return " ".join(template.format(minutes=said_minutes, **values).split())


def _with_seconds(hour: int, minutes: int, seconds: int, reader: Reader) -> str:
    """ "14:10:30" → "fourteen hours ten minutes and thirty seconds"."""
    table = reader.data.table("times")
    parts = []
    for value, key in ((hour, "hours_noun"), (minutes, "minutes_noun"),
                       (seconds, "seconds_noun")):
        noun = _noun(table, key)
        if noun is None:
            return f"{hour}:{minutes:02}:{seconds:02}"
        number = reader.numbers.cardinal(value, noun.gender)
        parts.append(f"{number} {noun.said(reader.plural(value))}")
    return f"{parts[0]} {parts[1]} {reader.word('and')} {parts[2]}"


def _noun(table: Mapping[str, Any], key: str) -> Noun | None:
    value = table.get(key)
    return Noun(*value) if isinstance(value, list) else None
