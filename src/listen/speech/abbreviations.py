"""Written abbreviations: one table per language for two readers.

The sentence splitter (``script.split_sentences``) asks whether the period after an
abbreviation can end a sentence; the speech rule (``abbreviations``) asks what to say
instead of it. Both read ``[abbreviations.*]`` of the language's speech data, so they
cannot disagree: "1,2 Mrd. Euro" is one sentence, and "Prices incl. VAT are high."
is read "Prices including VAT are high."

Where each table's abbreviations are written out (and so what their period means):

- ``before_name``: "Dr. Smith", "Sr. García": only before a capitalised name; the
  period never ends a sentence. A title written without its period ("Dr Smith",
  "Mme Curie") counts too when it has no vowel but a last "a" or "e".
- ``between_names``: "Roe v. Wade".
- ``before_number``: "No. 5", "Nr. 3": only before a number; elsewhere the word is
  an ordinary word ("I said no.").
- ``anywhere``: "e.g.", "z. B.", "env.": never ends a sentence.
- ``may_end``: "etc.", "Inc.", "St." after a word: may end one, as ``opens_sentence``
  decides.
- ``words``: whole words, case as listed: "WWII", "EE.UU.", "U.S.".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from listen.speech.language import Abbreviation, words_pattern
from listen.speech.reader import Reader, word_after

_CAPITAL = "[A-ZÀ-ÖØ-ÞĀ-Ž]"
_DOTTED_INITIALS = re.compile(r"(?<![\w.])([A-Z](?:\.[A-Z])+)\.?(?!\w)")
_TITLE_WITHOUT_PERIOD = re.compile(r"[^aeiouy]+[ae]?")


@dataclass(frozen=True)
class Abbreviations:
    """One language's abbreviations, by word and as compiled patterns."""

    rows: tuple[Abbreviation, ...]
    by_word: dict[str, Abbreviation]
    spoken: dict[str, dict[str, str]]
    """Use → written (lower case where case does not matter) → spoken."""
    patterns: dict[str, re.Pattern[str]]

    def find(self, word: str) -> Abbreviation | None:
        """The abbreviation written ``word`` (without its period, in any case)."""
        return self.by_word.get(word.lower())


def table(reader: Reader) -> Abbreviations:
    return reader.memo("abbreviations", _compile)


def _compile(reader: Reader) -> Abbreviations:
    months = tuple(  # "Jan. 5": the dates rule says them; the splitter must know them
        Abbreviation(name, None, "before_number") for name in reader.data.month_abbreviations
    )
    rows = reader.data.abbreviations + months
    by_word: dict[str, Abbreviation] = {}
    for row in rows:
        key = row.written.lower().replace(". ", ".")
        if key not in by_word or row.can_end:
            by_word[key] = row
    spoken: dict[str, dict[str, str]] = {}
    for row in rows:
        if row.spoken:
            folded = row.use in ("anywhere", "may_end")
            spoken.setdefault(row.use, {})[row.written.lower() if folded else row.written] = (
                row.spoken
            )
    return Abbreviations(rows, by_word, spoken, _patterns(spoken))


def _dotted(written: str) -> str:
    """ "z.B" matches "z.B." and "z. B."."""
    return r"\.\s?".join(re.escape(part) for part in written.split("."))


def _patterns(spoken: dict[str, dict[str, str]]) -> dict[str, re.Pattern[str]]:
    patterns: dict[str, re.Pattern[str]] = {}
    if "before_name" in spoken:
        titles = spoken["before_name"]
        bare = words_pattern(w for w in titles if _TITLE_WITHOUT_PERIOD.fullmatch(w)) or "(?!)"
        patterns["before_name"] = re.compile(
            rf"(?<![\w.])(?:({words_pattern(titles)})\.|({bare}))(?= {_CAPITAL})"
        )
    if "after_word" in spoken:
        patterns["after_word"] = re.compile(
            rf"(?<=\w )({words_pattern(spoken['after_word'])})\.(?!\w)"
        )
    if "between_names" in spoken:
        patterns["between_names"] = re.compile(
            rf"(?<=\w) ({words_pattern(spoken['between_names'])})\. (?={_CAPITAL})"
        )
    if "before_number" in spoken:
        numbered = spoken["before_number"]
        both = {**numbered, **{w.lower(): s for w, s in numbered.items()}}
        spoken["before_number"] = both
        patterns["before_number"] = re.compile(
            rf"(?<![\w.])({words_pattern(both)})\.(?= ?\d)"
        )
    listed = {**spoken.get("anywhere", {}), **spoken.get("may_end", {})}
    if listed:
        alternatives = "|".join(_dotted(w) for w in sorted(listed, key=len, reverse=True))
        patterns["listed"] = re.compile(rf"(?<![\w.])({alternatives})\.(?!\w)", re.I)
    if "words" in spoken:
        alternatives = "|".join(
            _dotted(w) + (r"\.?" if "." in w else "")
            for w in sorted(spoken["words"], key=len, reverse=True)
        )
        patterns["words"] = re.compile(rf"(?<![\w.])({alternatives})(?!\w)")
    return patterns


def _same_case(written: str, spoken: str) -> str:
    return spoken[:1].upper() + spoken[1:] if written[:1].isupper() else spoken


def abbreviations(text: str, reader: Reader) -> str:
    """Abbreviations an engine would spell or mispronounce, written out where the
    language's tables say they stand; then dotted initials ("J.R.R.") spaced."""
    found = table(reader)
    spoken, patterns = found.spoken, found.patterns
    if "before_name" in patterns:
        titles = spoken["before_name"]
        text = patterns["before_name"].sub(lambda m: _title(m, titles, found, reader), text)
    if "after_word" in patterns:
        after = spoken["after_word"]
        text = patterns["after_word"].sub(lambda m: reader.keep_stop(m, after[m[1]]), text)
    if "between_names" in patterns:
        between = spoken["between_names"]
        text = patterns["between_names"].sub(lambda m: f" {between[m[1]]} ", text)
    if "listed" in patterns:
        text = patterns["listed"].sub(lambda m: _listed(m, found, reader), text)
    return _DOTTED_INITIALS.sub(lambda m: reader.keep_stop(m, m[1].replace(".", " ")), text)


def _title(match: re.Match[str], titles: dict[str, str], found: Abbreviations,
           reader: Reader) -> str:
    """ "St. Paul" is Saint Paul; but "… on Baker St. The …" ends a sentence, as the
    splitter decides: a sentence opener after one that may also end a sentence."""
    written = match[1] or match[2]
    row = found.find(written)
    if row is not None and row.can_end and match[1] and reader.opens_sentence(
            word_after(match.string, match.end())):
        return match.group()
    return titles[written]


def whole_words(text: str, reader: Reader) -> str:
    """``[abbreviations.words]``, case as listed ("WWII", "EE.UU.", "24/7"), and those
    written before a number ("No. 5", "ca. 1950"). This runs before the number rules:
    "24/7" is no fraction, and "ca." still sees the digits of its number."""
    found = table(reader)
    if "words" in found.patterns:
        words = found.spoken["words"]
        text = found.patterns["words"].sub(
            lambda m: reader.keep_stop(m, words[_undotted(m[1])]), text)
    if "before_number" in found.patterns and "." in text:
        numbered = found.spoken["before_number"]
        text = found.patterns["before_number"].sub(lambda m: numbered[m[1]], text)
    return text


def _undotted(written: str) -> str:
    """ "U.S." → "U.S", "z. B" → "z.B": the key the table lists it under."""
    return written.rstrip(".").replace(". ", ".")


def _listed(match: re.Match[str], found: Abbreviations, reader: Reader) -> str:
    written = _undotted(match[1]).lower()
    row = found.find(written)
    said = found.spoken.get("anywhere", {}).get(written) or found.spoken["may_end"][written]
    return reader.keep_stop(match, _same_case(match[1], said),
                            can_end=row is not None and row.can_end)
