"""Speech-text rules: written text in, text a speech engine reads well out.

``normalize`` applies ``RULES`` in this order (the order matters; later rules rely
on what earlier ones did):

====  =====================  ==================================================
 #    rule                   what it does
====  =====================  ==================================================
 1    unicode                invisible characters out, curly quotes straight, odd
                             spaces and hyphens plain, "…" → "..."
 2    editorial brackets     "[n]ow" → "now"; "[…]", "[sic]", "[12]" dropped
 3    web addresses          "https://www.example.com/a/b" → "example.com"
 4    e-mail addresses       "name@example.com" → "name at example dot com"
 5    domain names           "example.com" → "example dot com"
 6    handles and hashtags   "@listen_audio" → "at listen audio", "#1" → "number 1"
 7    telephone numbers      "+1 555-123-4567" → "plus one, five five five, …"
 8    whole words            "WWII" → "World War Two", "EE.UU." → "Estados Unidos"
 9    times                  "9:30 a.m." → "nine thirty A M", "14.30 Uhr", "18h30"
10    dates                  "March 4, 2026", "am 14. Januar", "03/18/2026", ISO
11    ranges and scores      "2019–2021", "45-50 Minuten" → "… to …"; "3–1 win"
12    money                  "$300M" → "three hundred million dollars", "5,01 €"
13    measures               "10km" → "ten kilometres", "km/h", "m²", "°C", "%"
14    scales                 "10k fans" → "ten thousand fans", "1,2 Mrd."
15    ordinals               "21st", "am 14.", "3e", "2.ª"
16    roman numerals         "Elizabeth II" → "Elizabeth the Second", "Chapter IV"
17    fractions              "3/4" → "three quarters", "2 1/2"
18    years and decades      "in 1994" → "in nineteen ninety-four", "the 1980s"
19    abbreviations          "Dr." → "Doctor", "z. B." → "zum Beispiel", "env."
20    signs                  "&", "+", "=", "×", "~"; lone "$", "%", "#"
21    numbers                every number left: cardinals and decimals, agreeing
                             with their noun; identifiers digit by digit
22    initialisms            "ICJ" → "I C J"; NATO, OK and shouted words stay
23    dashes and ellipses    "—", "--", " - ", "..." → a comma or a period
24    tidy                   spaces and doubled punctuation from the rules above
====  =====================  ==================================================

Rules 4–22 read the language's speech data (``listen.speech.language``): its words,
units, currencies, months and abbreviations. For a language without speech data
only the typographic rules (1–3, 23, 24) run: they change typography, never words,
so they cannot make a sentence worse. A pronunciation lexicon
(``listen.speech.lexicon``) is applied before these rules.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

from listen.speech import (
    abbreviations,
    cardinals,
    clock,
    dates,
    initialisms,
    measures,
    money,
    ordinals,
    ranges,
    signs,
    web,
    years,
)
from listen.speech.reader import Reader, reader_for


@dataclass(frozen=True)
class Rule:
    """One named step of ``normalize``."""

    name: str
    apply: Callable[[str, Reader], str]
    neutral: bool = False
    """True when the rule only changes typography and so is safe for every language."""


@dataclass(frozen=True)
class Change:
    """What one rule changed in a sentence, for ``listen script --explain``."""

    rule: str
    before: str
    after: str

    def spans(self) -> list[tuple[str, str]]:
        """The changed stretches, word by word: [("$300M", "three hundred million dollars")]."""
        old, new = self.before.split(), self.after.split()
        matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
        return [_trimmed(" ".join(old[i1:i2]), " ".join(new[j1:j2]))
                for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def _trimmed(written: str, said: str) -> tuple[str, str]:
    """Punctuation both sides end with is not part of the change ("$5," → "five dollars,")."""
    while written and said and written[-1] == said[-1] and not written[-1].isalnum():
        written, said = written[:-1], said[:-1]
    return written, said


# ── 1. unicode ────────────────────────────────────────────────────────────────

_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
_SPACES = re.compile(r"\s+")
_PLAIN = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u2010": "-", "\u2011": "-", "\u2212": "-", "\u2026": "...",
    }
)


def visible(text: str) -> str:
    """``text`` without invisible characters, every run of whitespace one space."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", text))


def clean(text: str) -> str:
    """Text as written, with invisible characters removed and spaces collapsed."""
    return visible(text).strip()


def plain_unicode(text: str) -> str:
    return visible(text.translate(_PLAIN))


# ── 2. editorial brackets ─────────────────────────────────────────────────────

_DROPPED_BRACKETS = re.compile(
    r" ?\[(?:\.\.\.+|\. \. \.|sic!?|citation needed|edit(?: source)?|\d{1,3})\]", re.I
)
_BRACKETED = re.compile(r"\[([^\[\]]{1,80})\]")


def editorial_brackets(text: str) -> str:
    """An editor's insertion is read as plain text; omissions and markers vanish."""
    if "[" not in text:
        return text
    return _BRACKETED.sub(r"\1", _DROPPED_BRACKETS.sub("", text))


# ── 14. dashes and ellipses ───────────────────────────────────────────────────

_JOINING_DASH = re.compile(r"(?<=\w)–(?=\w)")
_PAUSE_MARK = re.compile(
    r" ?(?:\.\.\.+|\. \. \.|—|―|–|--+|(?:^|(?<= ))-(?= |$)) ?"
)
_CLOSERS = re.compile(r"[\"')\]]*\s*$")
_OPENERS = re.compile(r"\s*[\"'(\[]*\s*$")
_AFTER_CLOSERS = re.compile(r"[\"')\]]+\s+[\"'(]*(\w)")


def _sentence_follows_quote(text: str, end: int) -> bool:
    """ '"I was going to—" She stopped.' The dash ends the quoted sentence."""
    following = _AFTER_CLOSERS.match(text, end)
    return following is not None and following[1].isupper()


def _pause(match: re.Match[str]) -> str:
    """A dash or ellipsis becomes a comma, or a period where a sentence ends."""
    text, start, end = match.string, match.start(), match.end()
    if _OPENERS.fullmatch(text, 0, start):
        return ""
    if text[start - 1].isdigit() and text[end : end + 1].isdigit():
        return match.group()  # "5 – 10": a range or a score, not a pause
    if text[start - 1] in ",;:.!?" or text[end : end + 1] in tuple(",;:.!?"):
        return " "
    if _CLOSERS.match(text, end) or _sentence_follows_quote(text, end):
        return "."
    following = text[end : end + 2].lstrip("\"'(")
    mark = "." if match.group().strip().startswith(".") and following[:1].isupper() else ","
    spaced = match.group().endswith(" ") or text[end : end + 1].isalnum()
    return mark + " " if spaced else mark


def dashes_and_ellipses(text: str) -> str:
    """Dashes and ellipses are pauses to a reader; engines pause at commas and periods."""
    return _PAUSE_MARK.sub(_pause, _JOINING_DASH.sub("-", text))


# ── 15. tidy ──────────────────────────────────────────────────────────────────

_TIDY = (
    (re.compile(r" +([,.])(?![\w.])"), r"\1"),
    (re.compile(r",\s*(?=[.!?;:])"), ""),
    (re.compile(r"([.!?;:]),"), r"\1"),
    (re.compile(r",(?:\s*,)+"), ","),
    (re.compile(r"([(\[]|^\"|(?<= )\")\s*,\s*"), r"\1"),
    (re.compile(r"^[\s,;:]+"), ""),
    (re.compile(r",([\"')\]]*)\s*$"), r".\1"),
    (re.compile(r"\s{2,}"), " "),
)


def tidy(text: str) -> str:
    for pattern, replacement in _TIDY:
        text = pattern.sub(replacement, text)
    return text.strip()


def _typography(function: Callable[[str], str]) -> Callable[[str, Reader], str]:
    return lambda text, _reader: function(text)


RULES: tuple[Rule, ...] = (
    Rule("unicode", _typography(plain_unicode), neutral=True),
    Rule("editorial brackets", _typography(editorial_brackets), neutral=True),
    Rule("web addresses", web.web_addresses, neutral=True),
    Rule("e-mail addresses", web.email_addresses),
    Rule("domain names", web.domain_names),
    Rule("handles and hashtags", web.handles_and_hashtags),
    Rule("telephone numbers", cardinals.telephone_numbers),
    Rule("whole words", abbreviations.whole_words),
    Rule("times", clock.times),
    Rule("dates", dates.dates),
    Rule("ranges and scores", ranges.ranges),
    Rule("money", money.money),
    Rule("measures", measures.measures),
    Rule("scales", money.scales),
    Rule("ordinals", ordinals.ordinals),
    Rule("roman numerals", ordinals.roman_numerals),
    Rule("fractions", cardinals.fractions),
    Rule("years and decades", years.years),
    Rule("abbreviations", abbreviations.abbreviations),
    Rule("signs", signs.signs),
    Rule("numbers", cardinals.cardinals),
    Rule("initialisms", initialisms.initialisms),
    Rule("dashes and ellipses", _typography(dashes_and_ellipses), neutral=True),
    Rule("tidy", _typography(tidy), neutral=True),
)
"""Every rule, in the order ``normalize`` applies them."""


def primary_language(language: str) -> str:
    """ "en-GB" → "en"."""
    return language.strip().lower().replace("_", "-").split("-", 1)[0]


def normalize(text: str, language: str = "en", *, reader: Reader | None = None,
              trace: list[Change] | None = None) -> str:
    """Text as an engine should read it, in ``language`` ("de", "es-CO"), or as
    ``reader`` (with a publisher's additions to the speech data) reads it.

    With ``trace``, each rule that changed the text appends what it changed.
    """
    reader = reader or reader_for(language)
    for rule in RULES:
        if reader is None and not rule.neutral:
            continue
        changed = rule.apply(text, reader)  # type: ignore[arg-type]
        if trace is not None and changed != text:
            trace.append(Change(rule.name, text, changed))
        text = changed
    return text
