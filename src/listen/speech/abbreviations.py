"""Written abbreviations, month names and sentence openers: one table for two readers.

The sentence splitter (``script.split_sentences``) asks whether the period after an
abbreviation can end a sentence; the speech rule (``normalize.abbreviations``) asks
what to say instead of it. Both read ``ABBREVIATIONS``, so they cannot disagree:
"Prices incl. VAT are high." is one sentence, read "Prices including VAT are high."

Each row says how the abbreviation is written (without its final period), what is
said for it, where it is written out (``Use``), and whether its period may also end
a sentence. A row without a spoken form is known to the splitter only: German and
French abbreviations (only English text is written out), and ones an engine reads
well or that another rule handles ("a.m." is a time, "Inc." is said as written).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Use(Enum):
    """Where an abbreviation is written out, and so what its period can mean."""

    BEFORE_NAME = "before a capitalised name"
    """ "Dr. Smith", "St. Louis": written as listed (case and all), and its period
    never ends a sentence."""
    BETWEEN_NAMES = "between a word and a capitalised name"
    """ "Roe v. Wade": as listed; its period never ends a sentence. Not at the start
    of a text, nor after a period, where "v." is more likely a list's roman five."""
    BEFORE_NUMBER = "before a number"
    """ "No. 5", "pp. 33", "Jan. 4": as listed or in lower case; before a number its
    period never ends a sentence, elsewhere it is an ordinary word ("I said no.")."""
    ANYWHERE = "anywhere"
    """ "e.g.", "incl.", "etc.": in any case; its period ends a sentence only if the
    row says it ``can_end`` one."""


@dataclass(frozen=True)
class Abbreviation:
    """One written abbreviation."""

    written: str
    """As written, without the final period: "Dr", "e.g", "incl"."""
    spoken: str | None
    """What an English engine should say instead; None to leave it as written."""
    use: Use
    can_end: bool = False
    """Whether its period may also end a sentence ("… and so on, etc. The next …"),
    which it does when a common sentence opener follows (see ``opens_sentence``)."""


MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)
"""English month names, in calendar order."""
MONTH_ABBREVIATIONS = {
    **{name[:3]: name for name in MONTHS if len(name) > 3}, "Sept": "September"
}
"""Written month abbreviations ("Jan", "Sept"; "May" has none) → the month."""


def _rows(use: Use, entries: dict[str, str | None], can_end: bool = False) -> list[Abbreviation]:
    return [Abbreviation(written, spoken, use, can_end) for written, spoken in entries.items()]


ABBREVIATIONS: tuple[Abbreviation, ...] = (
    *_rows(Use.BEFORE_NAME, {
        "Dr": "Doctor", "Mr": "Mister", "Mrs": "Missus", "Ms": "Miz", "Prof": "Professor",
        "Gen": "General", "Sen": "Senator", "Rep": "Representative", "Gov": "Governor",
        "Lt": "Lieutenant", "Col": "Colonel", "Capt": "Captain", "Sgt": "Sergeant",
        "Rev": "Reverend", "Mt": "Mount", "Pres": "President", "St": "Saint",
        # German and French titles
        "Hr": None, "Fr": None, "Frl": None, "Mme": None, "Mlle": None, "MM": None,
    }),
    *_rows(Use.BETWEEN_NAMES, {"v": "versus"}),
    *_rows(Use.BEFORE_NUMBER, {
        "No": "number", "Nos": "numbers", "p": "page", "pp": "pages", "Vol": "volume",
        "Fig": "figure", "ca": "circa", "c": "circa", **MONTH_ABBREVIATIONS,
        "Nr": None, "Art": None, "ch": None,
    }),
    *_rows(Use.ANYWHERE, {
        "e.g": "for example", "i.e": "that is", "vs": "versus", "approx": "approximately",
        "cf": "compare", "incl": "including", "esp": "especially",
        "al": None, "ex": None,
        # German
        "z.B": None, "d.h": None, "u.a": None, "bzw": None, "vgl": None, "ggf": None,
        "inkl": None, "evtl": None, "bspw": None,
    }),
    *_rows(Use.ANYWHERE, {
        "etc": "et cetera", "Jr": "Junior", "Sr": "Senior", "Ltd": "Limited",
        "Corp": "Corporation", "Ave": "Avenue", "Blvd": "Boulevard", "Dept": "Department",
        "Inc": None, "Co": None, "a.m": None, "p.m": None, "usw": None,
    }, can_end=True),
)
"""Every known abbreviation; the splitter matches them in any case."""

_BY_WORD = {row.written.lower(): row for row in ABBREVIATIONS}


def find(word: str) -> Abbreviation | None:
    """The abbreviation written ``word`` (without its period, in any case), if listed."""
    return _BY_WORD.get(word.lower())


SENTENCE_OPENERS = frozenset(
    [
        "The", "A", "An", "He", "She", "It", "They", "We", "I", "You", "But", "And",
        "This", "That", "These", "Those", "In", "On", "At", "So", "Yet", "There", "Then",
        "His", "Her", "Its", "Their", "Our", "My", "What", "When", "Why", "How", "Who",
        "If", "As", "After", "Before", "Some", "Many", "Most", "Meanwhile", "However",
        "For", "One",
    ]
)
"""English words that, after "U.S." or "etc.", show a new sentence has begun."""


def opens_sentence(word: str) -> bool:
    """Whether ``word`` (punctuation around it ignored) is a common sentence opener."""
    return word.strip("\"'“‘«(,;:") in SENTENCE_OPENERS
