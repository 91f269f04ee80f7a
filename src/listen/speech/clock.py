"""Times of day: "9:30 a.m.", "14.30 Uhr", "18h30", "00h25", "23:30", "2pm-5pm".

``[times]`` of the language's data says how a time is said (``clock``: "{hour}
{minutes}", "{hour} Uhr {minutes}", "{hour} y {minutes}"; ``full_hour`` when the
minutes are zero), the gender of the hour (``hour_gender``: "una", "une heure"), a
word written with the time (``marker``: "Uhr" after it, "h" between hours and
minutes), the words for a.m. and p.m. (``meridiem``), special minutes ("cuarto",
"media"), and whether a bare "9:30" needs a word before it to be a time
(``colon_needs_context``: in German "2:0" is a score).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from listen.speech.language import Noun
from listen.speech.reader import Reader, word_before

_ONE_MERIDIEM = r"(\d{1,2})(?:[:.]([0-5]\d))?\s?([ap])\.?\s?m(?![a-z])\.?"
_COLON = re.compile(r"(?<![\w:.,])(\d{1,2}):([0-5]\d)(?::([0-5]\d))?(?![\w:]|[.,]\d)")


def times(text: str, reader: Reader) -> str:
    """Times of day, said in the language's way."""
    table = reader.data.table("times")
    if not table or not any(c.isdigit() for c in text):
        return text
    if "meridiem" in table:
        meridiem = reader.memo("meridiem", _meridiem_pattern)
        text = meridiem.sub(lambda m: _meridiem(m, reader) or m.group(), text)
    marked = reader.memo("times", _marked_pattern)
    if marked is not None:
        text = marked.sub(lambda m: _marked(m, reader) or m.group(), text)
    return _COLON.sub(lambda m: _colon(m, reader) or m.group(), text)


def _meridiem_pattern(reader: Reader) -> re.Pattern[str]:
    """One time with a.m. or p.m., or two joined by a dash, and a zone after it."""
    zones = reader.data.table("times").get("zones", {})
    dotted = "|".join(r"\.?".join(key) + r"\.?" for key in sorted(zones, key=len, reverse=True))
    zone = rf"(?: ?({dotted})(?![\w]))?" if zones else "()"
    return re.compile(
        rf"(?<![\w:.,]){_ONE_MERIDIEM}(?: ?[-–] ?{_ONE_MERIDIEM})?{zone}", re.I
    )


def _meridiem(match: re.Match[str], reader: Reader) -> str | None:
    groups = match.groups()
    said = [_one_meridiem(groups[i], groups[i + 1], groups[i + 2], reader)
            for i in (0, 3) if groups[i]]
    if None in said:
        return None
    joined = f" {reader.word('to')} ".join(str(s) for s in said)
    zone = groups[6]
    if zone:
        zones = reader.data.table("times")["zones"]
        joined += f" {zones[zone.replace('.', '').upper()]}"
    return reader.keep_stop(match, joined)


def _one_meridiem(hour: str, minutes: str | None, half: str, reader: Reader) -> str | None:
    if not 0 < int(hour) <= 12:
        return None
    table = reader.data.table("times")
    words = table["meridiem"]
    return str(table.get("meridiem_template", "{time} {half}")).format(
        time=clock(int(hour), int(minutes or 0), reader, full_hour="{hour}"),
        half=words["am" if half.lower() == "a" else "pm"])


def _marked_pattern(reader: Reader) -> re.Pattern[str] | None:
    marker = reader.data.text("times", "marker")
    if not marker:
        return None
    if reader.data.table("times").get("marker_between"):  # "18h30", "9 h"
        return re.compile(
            rf"(?<![\w:.,])(\d{{1,2}}) ?(?:{re.escape(marker)}) ?([0-5]\d)?(?:min)?()(?![\w])"
        )
    return re.compile(
        rf"(?<![\w:.,])(\d{{1,2}})(?:[:.]([0-5]\d)(?::([0-5]\d))?)? ?{re.escape(marker)}(?!\w)"
    )


def _marked(match: re.Match[str], reader: Reader) -> str | None:
    hour, minutes, seconds = match.groups()
    if int(hour) > 24:
        return None
    if seconds:
        return _with_seconds(int(hour), int(minutes), int(seconds), reader)
    return clock(int(hour), int(minutes or 0), reader)


def _colon(match: re.Match[str], reader: Reader) -> str | None:
    hour, minutes, seconds = match.groups()
    table = reader.data.table("times")
    if int(hour) > 24:
        return None
    if table.get("colon_needs_context"):
        context = {str(w).lower() for w in table.get("context_words", ())}
        if word_before(match.string, match.start()).lower() not in context:
            return None
    if seconds:
        return _with_seconds(int(hour), int(minutes), int(seconds), reader)
    return clock(int(hour), int(minutes), reader)


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

