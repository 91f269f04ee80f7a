"""Speech data per language: what is said for signs, units, currencies, dates and
abbreviations.

Each language is one TOML file beside this module (``languages/<code>.toml``); its
comments document every table. A publisher extends or overrides any table in
``listen.toml`` under ``[speech.<code>.<table>]``: keys are added or replaced, lists
are extended. Adding a language is adding a file: the rules read only these tables
(and num2words for the number words), never a language code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

from listen.errors import ConfigError
from listen.tomlfile import parse_toml

_PACKAGE = "listen.speech.languages"
_TABLES = frozenset([
    "numbers", "words", "ranges", "money", "currencies", "scales", "scales_alone", "units",
    "dates", "times", "ordinals", "roman", "abbreviations", "grammar", "number_words",
    "initialisms", "fractions", "decades", "signs",
])
ABBREVIATION_USES = ("before_name", "after_word", "between_names", "before_number", "anywhere",
                     "may_end", "words")
"""The tables of ``[abbreviations]``: where each abbreviation is written out."""


@dataclass(frozen=True)
class Noun:
    """A word said after a number: a unit, a currency, a scale."""

    one: str
    other: str
    gender: str = "m"
    """ "m", "f" or "n": the number before it agrees ("una hora", "eine Stunde"); "-"
    where it does not ("uno por ciento")."""

    def said(self, plural: bool) -> str:
        return self.other if plural else self.one


@dataclass(frozen=True)
class Currency:
    name: Noun
    minor: Noun | None
    """Cents, pence, centimes; None where the currency has none worth saying."""


@dataclass(frozen=True)
class Abbreviation:
    """One written abbreviation, as ``[abbreviations.<use>]`` lists it."""

    written: str
    """Without its final period: "Dr", "e.g", "z.B"."""
    spoken: str | None
    """What to say instead; None to leave it as written (known to the splitter only)."""
    use: str
    """One of ``ABBREVIATION_USES``."""

    @property
    def can_end(self) -> bool:
        """Whether its period may also end a sentence ("… and so on, etc. The …")."""
        return self.use in ("may_end", "after_word", "words")


@dataclass(frozen=True)
class SpeechData:
    """One language's tables, checked. Field names follow the TOML tables."""

    code: str
    tables: Mapping[str, Any]
    """Every table as read (shipped file, then the publisher's additions)."""
    decimal_mark: str
    group_marks: tuple[str, ...]
    words: Mapping[str, str]
    currencies: Mapping[str, Currency]
    scales: Mapping[str, Noun]
    scales_alone: Mapping[str, Noun]
    units: Mapping[str, Noun]
    months: tuple[str, ...]
    month_abbreviations: Mapping[str, int]
    weekdays: tuple[str, ...]
    weekday_abbreviations: Mapping[str, int]
    abbreviations: tuple[Abbreviation, ...]

    def table(self, *path: str) -> Mapping[str, Any]:
        """A nested table (empty when absent): ``table("dates")``."""
        found: Any = self.tables
        for key in path:
            found = found.get(key, {}) if isinstance(found, Mapping) else {}
        return found if isinstance(found, Mapping) else {}

    def text(self, table: str, key: str, default: str = "") -> str:
        value = self.table(table).get(key, default)
        return value if isinstance(value, str) else default

    def strings(self, table: str, key: str) -> tuple[str, ...]:
        value = self.table(table).get(key, ())
        return tuple(str(item) for item in value) if isinstance(value, list) else ()

    def word(self, key: str) -> str:
        """A word from ``[words]``; the key itself when the language has none."""
        return self.words.get(key, key)


def shipped_languages() -> tuple[str, ...]:
    """Language codes with a shipped speech file."""
    return tuple(sorted(
        entry.name.removesuffix(".toml") for entry in files(_PACKAGE).iterdir()
        if entry.name.endswith(".toml")
    ))


@lru_cache(maxsize=16)
def _shipped(code: str) -> dict[str, Any] | None:
    source = files(_PACKAGE) / f"{code}.toml"
    if not source.is_file():
        return None
    return parse_toml(source.read_text(encoding="utf-8"), f"speech data {code}.toml")


def load_speech_data(code: str, extra: Mapping[str, Any] | None = None) -> SpeechData | None:
    """The speech data for ``code`` ("de"), with a publisher's ``extra`` tables on top;
    None for a language without a shipped file (and no ``extra``)."""
    shipped = _shipped(code)
    if shipped is None and not extra:
        return None
    tables = _merged(shipped or {}, extra or {}, f"[speech.{code}]")
    return _build(code, tables)


def _merged(base: Mapping[str, Any], extra: Mapping[str, Any], where: str) -> dict[str, Any]:
    """``base`` with ``extra`` on top: tables merged key by key, lists extended."""
    merged = dict(base)
    for key, value in extra.items():
        if where.count(".") == 1 and key not in _TABLES:  # a top-level table of a language
            valid = ", ".join(sorted(_TABLES))
            raise ConfigError(f"{where}: unknown table {key!r}; valid tables: {valid}")
        old = merged.get(key)
        if isinstance(old, Mapping) and isinstance(value, Mapping):
            merged[key] = _merged(old, value, f"{where}.{key}")
        elif isinstance(old, list) and isinstance(value, list):
            merged[key] = [*old, *value]
        else:
            merged[key] = value
    return merged


def _build(code: str, tables: Mapping[str, Any]) -> SpeechData:
    where = f"speech data for {code!r}"
    numbers = _mapping(tables.get("numbers", {}), f"{where} [numbers]")
    dates = _mapping(tables.get("dates", {}), f"{where} [dates]")
    return SpeechData(
        code=code,
        tables=tables,
        decimal_mark=str(numbers.get("decimal_mark", ".")),
        group_marks=tuple(str(m) for m in numbers.get("group_marks", [","])),
        words=_texts(tables.get("words", {}), f"{where} [words]"),
        currencies={
            key: _currency(value, f"{where} [currencies] {key!r}")
            for key, value in _mapping(tables.get("currencies", {}), where).items()
        },
        scales=_nouns(tables.get("scales", {}), f"{where} [scales]"),
        scales_alone=_nouns(tables.get("scales_alone", {}), f"{where} [scales_alone]"),
        units=_nouns(tables.get("units", {}), f"{where} [units]"),
        months=tuple(str(m) for m in dates.get("months", [])),
        month_abbreviations=_numbers(dates.get("month_abbreviations", {}), where),
        weekdays=tuple(str(d) for d in dates.get("weekdays", [])),
        weekday_abbreviations=_numbers(dates.get("weekday_abbreviations", {}), where),
        abbreviations=_abbreviations(tables.get("abbreviations", {}), where),
    )


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where} must be a table")
    return value


def _texts(value: Any, where: str) -> dict[str, str]:
    table = _mapping(value, where)
    bad = [key for key, text in table.items() if not isinstance(text, str)]
    if bad:
        raise ConfigError(f"{where}: {bad[0]!r} must be text, like {bad[0]} = \"…\"")
    return dict(table)


def _numbers(value: Any, where: str) -> dict[str, int]:
    table = _mapping(value, where)
    if not all(isinstance(n, int) for n in table.values()):
        raise ConfigError(f"{where}: abbreviations of months and weekdays map to numbers, "
                          "like Jan = 1")
    return dict(table)


def _noun(value: Any, where: str) -> Noun:
    """ ``["hour", "hours"]`` or ``["hora", "horas", "f"]``."""
    if (not isinstance(value, list) or len(value) not in (2, 3)
            or not all(isinstance(v, str) for v in value)):
        raise ConfigError(f"{where} must be [\"one\", \"other\"] or [\"one\", \"other\", "
                          "\"f\"] (the gender)")
    return Noun(*value)


def _nouns(value: Any, where: str) -> dict[str, Noun]:
    return {key: _noun(item, f"{where} {key!r}") for key, item in _mapping(value, where).items()}


def _currency(value: Any, where: str) -> Currency:
    """ ``[one, other, minor one, minor other]``, each name optionally followed by
    its gender: ``["libra", "libras", "f", "penique", "peniques"]``."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list: [\"one\", \"other\", \"minor one\", "
                          "\"minor other\"]")
    names, genders = _split_genders(value)
    if len(names) not in (2, 4):
        raise ConfigError(f"{where} must name the currency and its minor unit: "
                          "[\"dollar\", \"dollars\", \"cent\", \"cents\"]")
    name = Noun(names[0], names[1], genders[0])
    minor = Noun(names[2], names[3], genders[1]) if len(names) == 4 and names[2] else None
    return Currency(name, minor)


_GENDERS = ("m", "f", "n", "-")


def _split_genders(value: list[str]) -> tuple[list[str], list[str]]:
    names: list[str] = []
    genders: list[str] = []
    for item in value:
        if item in _GENDERS and len(names) % 2 == 0 and names:
            genders[-1] = item
        else:
            names.append(item)
            if len(names) % 2 == 1:
                genders.append("m")
    return names, genders


def _abbreviations(value: Any, where: str) -> tuple[Abbreviation, ...]:
    table = _mapping(value, f"{where} [abbreviations]")
    rows: list[Abbreviation] = []
    for use, entries in table.items():
        if use not in ABBREVIATION_USES:
            raise ConfigError(f"{where}: unknown table [abbreviations.{use}]; valid: "
                              + ", ".join(ABBREVIATION_USES))
        for written, spoken in _texts(entries, f"{where} [abbreviations.{use}]").items():
            rows.append(Abbreviation(written.rstrip("."), spoken or None, use))
    return tuple(rows)


def words_pattern(words: Any) -> str:
    """A regex alternation of ``words``, longest first, each escaped."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
