"""Money and scales: "$300M", "£1.5bn", "€2,20", "5,01 €", "env. 3 M€", "Q150
millones", "US$5", "1,2 Mrd. Euro", "10k fans".

``[currencies]`` names each sign or code (and its minor unit); ``[money]`` gives the
phrasing (``amount``, ``scaled``: "{number} {scale} de {currency}", ``with_minor``)
and what a bare "$" means on a page from a given country (``dollar_sign_regions``:
pesos in Colombia). ``[scales]`` are the multipliers written after an amount
("bn", "M", "Mrd."); ``[scales_alone]`` those that stand after a plain number too
("10k fans", "3 Mio. Menschen").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from listen.speech.language import Currency, Noun, words_pattern
from listen.speech.numbers import Number
from listen.speech.reader import Reader


def money(text: str, reader: Reader) -> str:
    """Amounts of money, with their currency and scale, as words."""
    if not any(c.isdigit() for c in text) or not reader.data.currencies:
        return text
    before, after = reader.memo("money", _patterns)
    text = before.sub(lambda m: _before(m, reader) or m.group(), text)
    return after.sub(lambda m: _after(m, reader) or m.group(), text)


def scales(text: str, reader: Reader) -> str:
    """ "10k fans" → "ten thousand fans", "1,2 Mrd." → "eins Komma zwei Milliarden"."""
    pattern = reader.memo("scales", _scales_pattern)
    if pattern is None or not any(c.isdigit() for c in text):
        return text
    return pattern.sub(lambda m: _scaled_number(m, reader) or m.group(), text)


def _signs(reader: Reader) -> tuple[str, str]:
    """(signs, codes) as regex alternations: "US$", "€"; "USD", "CHF" (any case)."""
    signs = [k for k in reader.data.currencies if not k.isalpha()]
    codes = [k for k in reader.data.currencies if k.isalpha()]
    return words_pattern(signs), words_pattern(codes)


def _patterns(reader: Reader) -> tuple[re.Pattern[str], re.Pattern[str]]:
    signs, codes = _signs(reader)
    number = reader.number
    scale = words_pattern(reader.data.scales)
    to = re.escape(reader.word("to"))
    amount = rf"({number}|[.,]\d+)"
    per = reader.data.table("money").get("per", {})
    per_unit = rf"(?:/({words_pattern(per)})(?![^\W\d_]))?" if per else "()"
    tail = (rf"(?: ?(?:{to}|-|–) ?({number}))?"
            rf"(?: ?({scale})(?![^\W\d_]))?{per_unit}")
    sign_before = rf"(?:(?<![\w$€£¥])((?i:{signs}))|(?<![\w])((?i:{codes}))(?= ?\d)) ?"
    before = re.compile(rf"(-)?{sign_before}(-)?{amount}{tail}(?![\d])")
    after = re.compile(
        rf"(?<![\w.,])(-)?({number})(?: ?({scale})(?![^\W\d_]))? ?"
        rf"(?:((?i:{signs}))|((?i:{codes}))(?![^\W\d_]))(?![$€£¥])"
    )
    return before, after


def _before(match: re.Match[str], reader: Reader) -> str | None:
    minus1, sign, code, minus2, written, upper, scale, per = match.groups()
    currency = reader.currency(sign or code)
    if currency is None:
        return None
    said = _said(written, upper, scale, currency, bool(minus1 or minus2), reader, match)
    if said is None or not per:
        return said
    unit = reader.data.table("money")["per"][per]
    return f"{said} {reader.word('per')} {unit}"


def _after(match: re.Match[str], reader: Reader) -> str | None:
    minus, written, scale, sign, code = match.groups()
    currency = reader.currency(sign or code)
    if currency is None:
        return None
    return _said(written, None, scale, currency, bool(minus), reader, match)


def _said(written: str, upper: str | None, scale_key: str | None, currency: Currency,
          negative: bool, reader: Reader, match: re.Match[str]) -> str | None:
    number = reader.parse("0" + written if written[0] in ".," else written)
    if number is None:
        return None
    table = reader.data.table("money")
    scale = reader.data.scales.get(scale_key) if scale_key else None
    minus = f"{reader.word('minus')} " if negative else ""
    if upper is not None:
        top = reader.parse(upper)
        if top is None:
            return None
        said = (f"{_number(number, scale or currency.name, reader)} {reader.word('to')} "
                f"{_number(top, scale or currency.name, reader)}")
        number = top
    else:
        said = ""
    if scale is not None:
        said = said or _number(number, scale, reader)
        template = str(table.get("scaled", "{number} {scale} {currency}"))
        return minus + _fixed(template.format(number=said, scale=scale.said(reader.plural(number)),
                                              currency=currency.name.other), table)
    if said:
        return minus + _fixed(str(table.get("amount", "{number} {currency}")).format(
            number=said, currency=currency.name.other), table)
    return minus + _amount(number, currency, reader, table)


def _number(number: Number, noun: Noun, reader: Reader) -> str:
    gender = noun.gender if number.fraction is None else None
    return reader.numbers.number(number, gender)


def _amount(number: Number, currency: Currency, reader: Reader,
            table: Mapping[str, Any]) -> str:
    """ "twenty dollars fifty cents", "un euro", "cinco libras un penique"."""
    fraction = number.fraction
    if fraction is not None and not fraction.strip("0"):
        fraction = None  # "$2.00"
        number = Number(number.negative, number.whole)
    elif fraction is not None and len(fraction) > 2:  # "$20.500" is twenty dollars fifty
        stripped = fraction.rstrip("0")
        fraction = stripped.ljust(2, "0") if len(stripped) <= 2 else stripped
        number = Number(number.negative, number.whole, fraction, number.mark)
    name, minor = currency.name, currency.minor
    if fraction is None or minor is None or len(fraction) != 2:
        return _fixed(str(table.get("amount", "{number} {currency}")).format(
            number=_number(number, name, reader), currency=name.said(reader.plural(number))), table)
    whole, cents = int(number.whole), int(fraction)
    major = f"{reader.numbers.cardinal(whole, name.gender)} {name.said(reader.plural(whole))}"
    minor_said = (f"{reader.numbers.cardinal(cents, minor.gender)} "
                  f"{minor.said(reader.plural(cents))}")
    if cents == 0:
        return major
    if whole == 0:
        return minor_said
    return str(table.get("with_minor", "{major} {minor}")).format(major=major, minor=minor_said)


def _fixed(said: str, table: Mapping[str, Any]) -> str:
    """The language's mends ("de euros" → "d'euros")."""
    for pattern, replacement in table.get("fixes", {}).items():
        said = re.sub(pattern, replacement, said)
    return said


def _scales_pattern(reader: Reader) -> re.Pattern[str] | None:
    alone = reader.data.scales_alone
    if not alone:
        return None
    return re.compile(
        rf"(?<![\w.,])({reader.number}) ?({words_pattern(alone)})(?![^\W\d_])"
    )


def _scaled_number(match: re.Match[str], reader: Reader) -> str | None:
    written, key = match.groups()
    number = reader.parse(written)
    if number is None:
        return None
    scale = reader.data.scales_alone[key]
    said = f"{_number(number, scale, reader)} {scale.said(reader.plural(number))}"
    return reader.keep_stop(match, said) if key.endswith(".") else said
