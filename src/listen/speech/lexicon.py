"""Pronunciation lexicons: words and phrases an engine says wrongly, respelled.

A lexicon file (``voices/lexicons/<language>.toml`` ships with listen; a voice
profile or ``listen.toml`` may name more) has two tables::

    [words]             # written form = how to say it, in plain letters
    ICJ = "I C J"
    nginx = "engine x"
    "Xi Jinping" = "shee jin-ping"

    [phonemes]          # optional: IPA, for engines that take phonemes
    nginx = "ˈɛndʒɪn ˈɛks"

Matching is whole-word and case-aware: a key with a capital letter matches only
that spelling ("US" is not "us"); an all-lowercase key matches any case, and a
capital at the start of the match is kept. Longer keys win over shorter ones. Later
lexicons override earlier ones: the language's shipped lexicon, then the named
ones in order, then a publisher's ``[lexicon]`` table from ``listen.toml``.

The lexicon runs before ``normalize``, so respellings should be lower-case words
(an all-capital respelling would be spelled out letter by letter).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from listen.errors import ConfigError
from listen.tomlfile import parse_toml

if TYPE_CHECKING:
    from importlib.abc import Traversable


_TABLES = ("words", "phonemes")

_SHIPPED_PACKAGE = "listen.shipped_voices.lexicons"
"""The repository's voices/lexicons folder, as installed (see pyproject.toml)."""

# Never inside a URL, path, e-mail address, handle or dotted name: "nginx.conf",
# "github.com/nginx" and "@github" are left for normalize to read.
_BEFORE = r"(?<![\w@#/])(?<!\w\.)"
_AFTER = r"(?!\w)(?!\.\w)(?![$€£¥])"  # "US" is not the start of "US$5"
_AT_END = re.compile(r"[\"')\]]*\s*$")


@dataclass(frozen=True)
class Lexicon:
    """Respellings (and optional phonemes) applied to text before it is spoken."""

    words: tuple[tuple[str, str], ...] = ()
    """(written, spoken) pairs; a later pair overrides an earlier one with the same key."""
    phonemes: tuple[tuple[str, str], ...] = ()
    """(written, IPA) pairs for engines that accept phonemes."""
    _exact: dict[str, str] = field(init=False, repr=False, compare=False)
    _folded: dict[str, str] = field(init=False, repr=False, compare=False)
    _pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        entries = {" ".join(key.split()): spoken for key, spoken in self.words if key.strip()}
        exact = {k: v for k, v in entries.items() if k != k.lower()}
        folded = {k: v for k, v in entries.items() if k == k.lower()}
        object.__setattr__(self, "_exact", exact)
        object.__setattr__(self, "_folded", folded)
        object.__setattr__(self, "_pattern", _compile(exact, folded))

    def apply(self, text: str) -> str:
        """``text`` with every listed word or phrase replaced by its respelling."""
        if self._pattern is None:
            return text
        return self._pattern.sub(self._respell, text)

    def phoneme(self, word: str) -> str | None:
        """The IPA for ``word`` if the lexicon gives one."""
        return dict(self.phonemes).get(word)

    def _respell(self, match: re.Match[str]) -> str:
        written = " ".join(match.group().split())
        spoken = self._exact.get(written)
        if spoken is None:
            spoken = self._folded.get(written.lower(), written)
            if written[:1].isupper() and spoken[:1].islower():
                spoken = spoken[:1].upper() + spoken[1:]
        if written.endswith(".") and not spoken.endswith(".") and _AT_END.match(
            match.string, match.end()
        ):
            spoken += "."  # "… Birnen usw." still ends its sentence
        return spoken


def _compile(exact: Mapping[str, str], folded: Mapping[str, str]) -> re.Pattern[str] | None:
    """One regex for the whole lexicon, longest key first so phrases beat their words."""
    keys = sorted([*exact, *folded], key=len, reverse=True)
    if not keys:
        return None
    alternatives = [
        _phrase(key) if key in exact else f"(?i:{_phrase(key)})" for key in keys
    ]
    return re.compile(f"{_BEFORE}(?:{'|'.join(alternatives)}){_AFTER}")


def _phrase(key: str) -> str:
    return r"\s+".join(re.escape(word) for word in key.split())


def load_lexicon(
    language: str,
    names: Sequence[str] = (),
    extra: Mapping[str, str] | None = None,
) -> Lexicon:
    """The language's shipped lexicon, then ``names`` (lexicon names or .toml paths),
    then ``extra`` (a publisher's additions), each overriding the ones before.
    """
    words: dict[str, str] = {}
    phonemes: dict[str, str] = {}
    for source, label in _sources(language, names):
        found_words, found_phonemes = _read(source, label)
        words.update(found_words)
        phonemes.update(found_phonemes)
    if extra:
        words.update(_entries(dict(extra), "the [lexicon] table of listen.toml"))
    return Lexicon(tuple(words.items()), tuple(phonemes.items()))


def shipped_lexicons() -> list[str]:
    """Names of the lexicons that ship with listen."""
    folder = _shipped_folder()
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def _shipped_folder() -> Traversable:
    try:
        return files(_SHIPPED_PACKAGE)
    except ModuleNotFoundError:
        raise ConfigError(
            "The shipped lexicons are missing: pip install --force-reinstall listen"
        ) from None


def _sources(language: str, names: Sequence[str]) -> list[tuple[Traversable, str]]:
    base = language.strip().lower().replace("_", "-").split("-", 1)[0]
    chosen: list[tuple[Traversable, str]] = []
    if base in shipped_lexicons():
        chosen.append(_resolve(base))
    for name in names:
        if name != base:
            chosen.append(_resolve(name))
    return chosen


def _resolve(name: str) -> tuple[Traversable, str]:
    """A shipped lexicon by name, or a file by path."""
    if name.endswith(".toml") or "/" in name or "\\" in name:
        path = Path(name).expanduser()
        if not path.is_file():
            raise ConfigError(f"Lexicon file {path} not found. Check the path in your settings.")
        return path, str(path)
    shipped = _shipped_folder() / f"{name}.toml"
    if not shipped.is_file():
        known = ", ".join(shipped_lexicons())
        raise ConfigError(f"No lexicon named {name!r}. Shipped lexicons: {known}; "
                          "or give the path to a .toml file.")
    return shipped, f"lexicon {name!r}"


def _read(source: Traversable, label: str) -> tuple[dict[str, str], dict[str, str]]:
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Cannot read {label}: {exc}.") from exc
    data = parse_toml(text, label)
    unknown = sorted(set(data) - set(_TABLES))
    if unknown:
        raise ConfigError(f"{label}: unknown key {unknown[0]!r}; a lexicon has only "
                          "[words] and [phonemes] tables.")
    return (_entries(data.get("words", {}), f"{label} [words]"),
            _entries(data.get("phonemes", {}), f"{label} [phonemes]"))


def _entries(table: object, label: str) -> dict[str, str]:
    """A checked ``written = spoken`` table: text keys and non-empty text values."""
    if not isinstance(table, dict):
        raise ConfigError(f"{label} must be a table of \"written\" = \"spoken\" pairs.")
    entries: dict[str, str] = {}
    for key, value in table.items():
        if not isinstance(value, str) or not value.strip() or not str(key).strip():
            raise ConfigError(f"{label}: {key!r} needs a non-empty text value, "
                              f"like {key!r} = \"how to say it\".")
        entries[str(key)] = value.strip()
    return entries
