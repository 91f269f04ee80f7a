"""Years and decades: "in 1994" → "in nineteen ninety-four", "the 1980s" → "the
nineteen eighties", "die 90er" → "die neunziger".

``[numbers] years`` is the span in which a bare four-digit number is read as a year
(English and German say years differently from counts; French and Spanish do not
and have no span). It is a year unless a unit, a currency or a scale follows it,
or, where nouns are capitalised (``[grammar] nouns_capitalised``), a noun that is
not a month ("1500 Menschen"); a word of ``year_words`` before it ("seit 1994")
makes it a year in any case. ``[decades]`` says how a decade is written
(``suffix``) and how its number words change (``endings``: "ninety" →
"nineties").
"""

from __future__ import annotations

import re

from listen.speech.reader import Reader, word_after, word_before

_QUARTER = re.compile(r"(?<![\w])(?:Q([1-4])[ -]?(\d{4}|'\d{2})|([1-4])Q(\d{2}))(?!\w)")


def years(text: str, reader: Reader) -> str:
    """Four-digit years in the language's span, and decades, as years are said."""
    if not any(c.isdigit() for c in text):
        return text
    template = reader.data.words.get("quarter_of_year")
    if template:
        text = _QUARTER.sub(lambda m: _quarter(m, reader, template), text)
    decade = reader.memo("decades", _decade_pattern)
    if decade is not None:
        text = decade.sub(lambda m: _decade(m, reader), text)
    span = reader.data.table("numbers").get("years")
    if span:
        low, high = int(span[0]), int(span[1])
        text = _YEAR.sub(lambda m: _year(m, reader, low, high), text)
    era = reader.memo("eras", _era_pattern)
    if era is not None:
        text = era.sub(lambda m: _era(m, reader), text)
    return text


_YEAR = re.compile(r"(?<![\w.,:/$€£¥-])(\d{4})(?![\w%$€£¥]|[.,:/-]\d)")


def _year(match: re.Match[str], reader: Reader, low: int, high: int) -> str:
    value = int(match[1])
    if not low <= value <= high:
        return match.group()
    text = match.string
    before, after = word_before(text, match.start()), word_after(text, match.end())
    year_words = reader.memo("year_words", lambda r: frozenset(
        w.lower() for w in r.data.strings("numbers", "year_words")))
    if before.lower() not in year_words and _counts_something(after, reader):
        return match.group()
    return reader.numbers.year(value)


def _counts_something(after: str, reader: Reader) -> bool:
    """Whether the word after a number shows it counts ("1500 km", "1500 Menschen")."""
    if not after:
        return False
    if reader.unit(after) or reader.currency(after) or after in reader.data.scales:
        return True
    capitalised = reader.data.table("grammar").get("nouns_capitalised")
    return bool(capitalised) and after[:1].isupper() and reader.month(after) is None


def _era_pattern(reader: Reader) -> re.Pattern[str] | None:
    eras = reader.data.table("dates").get("eras", {})
    if not eras:
        return None
    written = "|".join(re.escape(e) + r"\.?" for e in sorted(eras, key=len, reverse=True))
    return re.compile(rf"(?<![\w.,])(\d{{1,4}}) ?({written})(?!\w)")


def _era(match: re.Match[str], reader: Reader) -> str:
    """ "340 AD" → "three forty A D": a year, whatever its size, before an era."""
    eras = reader.data.table("dates")["eras"]
    said = f"{reader.numbers.year(int(match[1]))} {eras[match[2].rstrip('.')]}"
    return reader.keep_stop(match, said) if match[2].endswith(".") else said


def _decade_pattern(reader: Reader) -> re.Pattern[str] | None:
    table = reader.data.table("decades")
    if not table.get("suffix"):
        return None
    return re.compile(
        rf"(?<![\w.,$€£])(?:'|’)?(\d{{2}}|1\d00|\d{{3}}0)({table['suffix']})(?![\w])"
    )


def _decade(match: re.Match[str], reader: Reader) -> str:
    written, suffix = match[1], match[2]
    value = int(written)
    if len(written) == 2 and value % 10:
        return match.group()  # "the 45s" is not a decade
    said = reader.numbers.year(value) if len(written) == 4 else reader.numbers.cardinal(value)
    endings = reader.data.table("decades").get("endings", {})
    last = said.rsplit(" ", 1)
    for ending in sorted(endings, key=len, reverse=True):
        if last[-1].endswith(ending):
            replacement = str(endings[ending]).format(suffix=suffix)
            last[-1] = last[-1][: len(last[-1]) - len(ending)] + replacement
            break
    return " ".join(last)


def _quarter(match: re.Match[str], reader: Reader, template: str) -> str:
    quarter = int(match[1] or match[3])
    written_year = (match[2] or match[4]).lstrip("'")
    year = int(written_year) + (2000 if len(written_year) == 2 else 0)
    return template.format(ordinal=reader.numbers.ordinal(quarter),
                           year=reader.numbers.year(year))

