"""Dates in every written form: "March 4, 2026", "4 March", "am 14. Januar",
"le 1er mars", "20 de marzo", "03/18/2026", "14.01.2026", "2026-03-18".

``[dates]`` gives the templates (``day_month``, ``month_day``, ``day_month_year``,
``month_day_year``, ``month_year``), how a day is said (``day``: "ordinal" or
"cardinal", with ``first_day`` for the first of the month), the order of numeric
dates (``order``, by region in ``order_regions``: "03/04/2026" is March 4 in the US
and 3 April in Britain; ISO dates are year-month-day everywhere), and the words that
may join a day, a month and a year (``day_month_link``, ``year_link``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import partial
from typing import Any

from listen.speech.ordinals import ordinal_ending
from listen.speech.reader import Reader, word_before

_ISO = re.compile(r"(?<![\w.:/-])(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?![\w:/-]|\.\d)")
_NUMERIC = re.compile(
    r"(?<![\w.:/,-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\w/-]|[.,]\d)"
)
_DAY_MONTH_DOTTED = re.compile(r"(?<![\w.:/,-])(\d{1,2})\.(\d{1,2})(\.?)(?![\w/-]|[.,]\d)")


def dates(text: str, reader: Reader) -> str:
    """Every date the language writes, said as a newsreader would."""
    if not reader.data.months or not any(c.isdigit() for c in text):
        return text
    text = _ISO.sub(lambda m: _numeric(m, reader, int(m[1]), int(m[3]), int(m[4])), text)
    text = _NUMERIC.sub(lambda m: _ordered(m, reader), text)
    if reader.data.table("dates").get("dotted_day_month"):
        text = _DAY_MONTH_DOTTED.sub(lambda m: _dotted(m, reader), text)
    for kind, pattern in reader.memo("dates", _named_patterns):
        text = pattern.sub(partial(_named, kind=kind, reader=reader), text)
    return text


# ── numeric dates ─────────────────────────────────────────────────────────────


def _ordered(match: re.Match[str], reader: Reader) -> str:
    first, _separator, second, year = match.groups()
    a, b = int(first), int(second)
    month, day = (a, b) if _order(reader) == "MDY" else (b, a)
    if not _valid(month, day):
        month, day = day, month
    full_year = int(year) if len(year) == 4 else None
    return _numeric(match, reader, full_year, month, day, short_year=year)


def _order(reader: Reader) -> str:
    """ "MDY" or "DMY": how this page writes numeric dates."""
    table = reader.data.table("dates")
    return str(table.get("order_regions", {}).get(reader.region, table.get("order", "DMY")))


def _dotted(match: re.Match[str], reader: Reader) -> str:
    """German "14.1." and "02.03": a day and a month where a period ends it or a zero
    pads it; "2.3" alone is left for the number rules."""
    day, month, period = match.groups()
    if not (period or day.startswith("0") or month.startswith("0")):
        return match.group()
    if not _valid(int(month), int(day)):
        return match.group()
    said = _said(reader, day=int(day), month=int(month), year=None, before=_before(match))
    return reader.keep_stop(match, said) if period else said


def _numeric(match: re.Match[str], reader: Reader, year: int | None, month: int, day: int,
             short_year: str = "") -> str:
    if not _valid(month, day):
        return match.group()
    said = _said(reader, day=day, month=month, year=year, before=_before(match))
    if year is None and short_year:
        said += " " + _short_year(short_year, reader)
    return said


def _valid(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= 31


def _short_year(year: str, reader: Reader) -> str:
    """ "'05" → "oh five" in English, digits where a zero leads elsewhere."""
    if year.startswith("0"):
        oh = reader.data.words.get("oh")
        return f"{oh} {reader.numbers.cardinal(int(year))}" if oh else reader.numbers.digits(year)
    return reader.numbers.cardinal(int(year))


def _before(match: re.Match[str]) -> str:
    return word_before(match.string, match.start())


# ── dates with month names ────────────────────────────────────────────────────


def _named_patterns(reader: Reader) -> list[tuple[str, re.Pattern[str]]]:
    table = reader.data.table("dates")
    month = rf"({reader.month_pattern})(?:\.|(?![\w]))"
    day_suffix = str(table.get("day_suffix", ""))
    day = rf"(\d{{1,2}})(?i:{day_suffix})?" if day_suffix else r"(\d{1,2})"
    link = str(table.get("day_month_link", " "))
    year_link = str(table.get("year_link", ",? "))
    year = rf"(?:{year_link}(\d{{4}})(?![\w]|[.,]\d))?"
    start, end = r"(?<![\w.,/-])", r"(?![\w])"
    patterns = [
        ("day_month", re.compile(rf"{start}{day}{link}{month}{year}{end}")),
        ("month_day", re.compile(rf"{start}{month}[ -]{day}(?![\d.,:]\d|\w){year}{end}")),
        ("month_year", re.compile(rf"{start}{month}{year_link}(\d{{4}})(?![\w]|[.,]\d)")),
    ]
    days = table.get("day_list")
    if days:
        patterns.insert(0, ("day_list", re.compile(
            rf"{start}(\d{{1,2}}(?:/\d{{1,2}})+) {month}{year}{end}")))
    return patterns


def _named(match: re.Match[str], *, kind: str, reader: Reader) -> str:
    groups = match.groups()
    before = _before(match)
    if kind == "day_list":
        days, month_name, year = groups
        return _day_list(days, month_name, year, reader, before)
    if kind == "month_year":
        month_name, year = groups
        month = reader.month(month_name)
        if month is None or not _looks_like_month(month_name, reader, with_day=False):
            return match.group()
        return _said(reader, day=None, month=month, year=int(year), before=before)
    if kind == "day_month":
        day, month_name, year = groups
    else:
        month_name, day, year = groups
    month = reader.month(month_name)
    if month is None or not _valid(month, int(day)) or not _looks_like_month(
            month_name, reader, with_day=True):
        return match.group()
    said = _said(reader, day=int(day), month=month, year=int(year) if year else None,
                 before=before, order=kind)
    return _restore_stop(match, said, reader)


def _looks_like_month(written: str, reader: Reader, *, with_day: bool) -> bool:
    """ "May", "mar" and "Jan" are also words and names. Beside a day ("25 jul",
    "jan. 15") any month counts but a lower-case "may" or "march" in English ("you may
    15 …"); with a year alone, an abbreviation needs its period or a capital."""
    bare = written.rstrip(".")
    if bare.islower() and bare in _ENGLISH_VERBS and reader.code == "en":
        return False
    if with_day or any(bare.lower() == m.lower() for m in reader.data.months):
        return True
    return written.endswith(".") or bare[:1].isupper()


_ENGLISH_VERBS = frozenset(["may", "march"])


def _restore_stop(match: re.Match[str], said: str, reader: Reader) -> str:
    return reader.keep_stop(match, said) if match.group().endswith(".") else said


def _day_list(days: str, month_name: str, year: str | None, reader: Reader,
              before: str) -> str:
    """ "les 17/18 juin" → "les dix-sept et dix-huit juin"."""
    month = reader.month(month_name)
    numbers = [int(d) for d in days.split("/")]
    if month is None or not all(_valid(month, d) for d in numbers):
        return f"{days} {month_name}"
    said = [_day(d, reader, before, month) for d in numbers]
    joined = ", ".join(said[:-1]) + f" {reader.word('and')} {said[-1]}"
    return _said(reader, day=None, month=month, year=int(year) if year else None,
                 before=before, day_words=joined)


def _said(reader: Reader, *, day: int | None, month: int, year: int | None, before: str,
          order: str = "", day_words: str = "") -> str:
    """A date through the language's templates."""
    table = reader.data.table("dates")
    month_name = reader.data.months[month - 1]
    year_words = reader.numbers.year(year) if year is not None else ""
    if day is None and not day_words:
        key = "month_year" if year is not None else "month"
        return str(table.get(key, "{month} {year}")).format(month=month_name, year=year_words)
    if not order:  # a numeric date: said in the order the page's region writes dates
        order = "month_day" if _order(reader) == "MDY" else "day_month"
    key = order if order in table else "day_month"
    if year is not None:
        key += "_year"
    said_day = day_words or _day(day or 1, reader, before, month)
    said = str(table.get(key, "{day} {month} {year}")).format(
        day=said_day, month=month_name, year=year_words)
    return _without_repeated(said, before)


def _day(day: int, reader: Reader, before: str, month: int) -> str:
    table: Mapping[str, Any] = reader.data.table("dates")
    if day == 1 and "first_day" in table:
        return str(table["first_day"])
    if table.get("day") == "ordinal":
        ending = ordinal_ending(before, reader.data.months[month - 1], reader)
        return reader.numbers.ordinal(day) + ending
    return reader.numbers.cardinal(day)


def _without_repeated(said: str, before: str) -> str:
    """ "on the 26th May": the template's "the" is already there."""
    first, _, rest = said.partition(" ")
    return rest if rest and before and first.lower() == before.lower() else said
