"""Measures: a number and a unit, glued or spaced ("10km", "12 kg", "100 km/h",
"2 kWh", "65000 km²", "-8 °C", "10 %", "4 1/2 lbs", "12/kg").

``[units]`` names each unit symbol ([one, other] and, where the number agrees with
it, a gender: "una hora"). A unit is read only right after a number; "X/Y" of two
listed units is "X per Y" (``[words] per``), unless the table lists "X/Y" itself.
Symbols are matched as written, then in any case where that is unambiguous
("KWH", "Mph").
"""

from __future__ import annotations

import re

from listen.speech.cardinals import fraction_words
from listen.speech.language import Noun, words_pattern
from listen.speech.reader import Reader

_DEGREE = re.compile(r"(?<=\d) ?[°º] ?([CFKcfk])(?![\w])")
_DIMENSIONS = re.compile(r"(?<=\d) ?[×x] ?(?=\d)")
_SUPERSCRIPT = {"2": "²", "3": "³"}


def measures(text: str, reader: Reader) -> str:
    """A number and its unit, as words: "ten kilometres", "zwei Kilowattstunden"."""
    if not reader.data.units or not any(c.isdigit() for c in text):
        return text
    text = _DEGREE.sub(lambda m: "°" + m[1].upper(), text).replace("℃", "°C").replace("℉", "°F")
    if "x" in text or "×" in text:  # "2x8 m²": two by eight square metres
        text = _DIMENSIONS.sub(f" {reader.word('by')} ", text)
    pattern = reader.memo("measures", _pattern)
    return pattern.sub(lambda m: _measure(m, reader) or m.group(), text)


def _pattern(reader: Reader) -> re.Pattern[str]:
    units = list(reader.data.units)
    squared = [u + d for u in units if u.isalpha() for d in "23"]  # "m2", "km2"
    unit = words_pattern([*units, *squared])
    unit = f"{unit}|(?i:{unit})"
    amount = rf"(?:(\d+) )?(\d+)/(\d+)|({reader.number})"
    scales = [k for k in reader.data.scales if len(k) >= 4 and k.rstrip(".").isalpha()]
    scale = f"(?: ({words_pattern(scales)}))?" if scales else "()"
    return re.compile(
        rf"(?<![\w.,/])(?:(?<![^\s(\[])([-+]))?(?:{amount}){scale} ?({unit})?"
        rf"(?:(/)({unit}))?(?![^\W\d_]|[²³'’])"
    )


def _measure(match: re.Match[str], reader: Reader) -> str | None:
    minus, whole, top, bottom, written, scale_text, unit_text, slash, per_text = match.groups()
    if not unit_text and not per_text:
        return None
    if scale_text and not unit_text:
        return None
    unit = _unit(unit_text, reader) if unit_text else None
    per = _unit(per_text, reader) if per_text else None
    if (unit_text and unit is None) or (slash and per is None):
        return None
    spaced = reader.data.strings("numbers", "spaced_units")
    if unit_text in spaced and not re.search(r"\d\s", match.group()):
        return None  # "les 80s" are no seconds; "80 s" are
    if top is not None:
        plural = reader.plural(int(whole or 0) + int(top) / max(1, int(bottom)))
        said = fraction_words(int(top), int(bottom), reader, int(whole) if whole else None)
    else:
        number = reader.parse(written)
        if number is None:
            return None
        plural = reader.plural(number)
        scale = reader.data.scales.get(scale_text) if scale_text else None
        counted = scale or unit
        gender = counted.gender if counted is not None and number.fraction is None else None
        said = reader.numbers.number(number, gender)
        if scale is not None:
            said += f" {scale.said(reader.plural(number))}"
            plural = True
    if minus:
        said = f"{reader.word('minus' if minus == '-' else 'plus')} {said}"
    if unit is not None:
        said += f" {unit.said(plural)}"
    if per is not None:
        said += f" {reader.word('per')} {per.one}"
    return said


def _unit(written: str, reader: Reader) -> Noun | None:
    found = reader.unit(written)
    if found is None and written[-1:] in _SUPERSCRIPT:
        found = reader.unit(written[:-1] + _SUPERSCRIPT[written[-1]])
    return found
