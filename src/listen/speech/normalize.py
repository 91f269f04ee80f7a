"""Speech-text rules: written text in, text a speech engine reads well out.

``normalize`` applies ``RULES`` in this order (the order matters; later rules rely
on what earlier ones did):

====  =====================  ========  ==============================================
 #    rule                   language  what it does
====  =====================  ========  ==============================================
 1    unicode                all       invisible characters out, curly quotes straight,
                                       odd spaces and hyphens plain, "…" → "..."
 2    editorial brackets     all       "[n]ow" → "now"; "[…]", "[sic]", "[12]" dropped
 3    web addresses          all       "https://www.example.com/a/b" → "example.com"
 4    e-mail addresses       en        "name@example.com" → "name at example dot com"
 5    domain names           en        "example.com" → "example dot com"
 6    handles and hashtags   en        "@listen_audio" → "at listen audio", "#1" → "number 1"
 7    ranges                 en        "2021-2022", "pages 33–54", "10–15%" → "… to …"
 8    times                  en        "9:30 a.m." → "9:30 A M"
 9    abbreviations          en        "Dr." → "Doctor", "e.g." → "for example", "U.S." → "U S"
10    money                  en        "$5.2 million" → "5.2 million dollars", "10k"
11    units                  en        "%", "°C", "km/h", "24/7", "½"
12    signs                  en        "&", "+", "=", "×", "~"
13    initialisms            en        "ICJ" → "I C J"; NATO, OK and shouted words stay
14    dashes and ellipses    all       "—", "--", " - ", "..." → a comma or a period
15    tidy                   all       spaces and doubled punctuation from the rules above
====  =====================  ========  ==============================================

For a language other than English only the rules marked "all" run: they change
typography, never words, so they cannot make a German or French sentence worse.
A pronunciation lexicon (``listen.speech.lexicon``) is applied before these rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from listen.speech import initialisms, numbers
from listen.speech.abbreviations import ABBREVIATIONS, Use


@dataclass(frozen=True)
class Rule:
    """One named step of ``normalize``."""

    name: str
    apply: Callable[[str], str]
    neutral: bool = False
    """True when the rule only changes typography and so is safe for every language."""


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


# ── 3–6. the web ──────────────────────────────────────────────────────────────

_URL = re.compile(r"\b(?:https?://|www\d?\.)[^\s<>\"']+", re.I)
_URL_PREFIX = re.compile(r"^(?:https?://)?(?:[^@/]*@)?(?:www\d?\.)?", re.I)
_URL_TRAILER = re.compile(r"[.,;:!?)\]]+$")
_URL_PATH = re.compile(r"[/?#:]")
_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]+)@((?:[\w-]+\.)+[A-Za-z]{2,})(?![\w-])")
_TLDS = (
    "com|org|net|edu|gov|mil|int|io|co|uk|eu|de|fr|ca|au|nz|ie|ch|nl|se|es|jp|cn|ru|"
    "info|biz|ai|app|dev|tv|ly|fm|gg|xyz|news|blog|online|site|tech"
)
_DOMAIN = re.compile(rf"(?<![\w@./-])((?:[A-Za-z0-9-]+\.)+(?:{_TLDS}))(?![\w-]|\.\w)", re.I)
_HANDLE = re.compile(r"(?<![\w@.])@([A-Za-z0-9_]{1,30})(?![\w@])")
_HASHTAG = re.compile(r"(?<![\w#&])#([^\W\d_]\w*)")
_NUMBER_SIGN = re.compile(r"(?<![\w#&])#(\d+)\b")
_CAMEL_HUMP = re.compile(r"(?<=[a-z])(?=[A-Z])")


def web_addresses(text: str) -> str:
    """A URL is read as its site: the path is noise to a listener."""
    if "://" not in text and "www" not in text.lower():
        return text
    return _URL.sub(_host, text)


def _host(match: re.Match[str]) -> str:
    url = match.group()
    trailer = _URL_TRAILER.search(url)
    tail = trailer.group() if trailer else ""
    url = url[: len(url) - len(tail)]
    host = _URL_PATH.split(_URL_PREFIX.sub("", url), maxsplit=1)[0]
    return host + tail


def _dotted(name: str) -> str:
    return name.replace(".", " dot ").replace("_", " underscore ")


def email_addresses(text: str) -> str:
    if "@" not in text:
        return text
    return _EMAIL.sub(lambda m: f"{_dotted(m[1])} at {_dotted(m[2])}", text)


def domain_names(text: str) -> str:
    return _DOMAIN.sub(lambda m: _dotted(m[1]), text)


def handles_and_hashtags(text: str) -> str:
    if "@" not in text and "#" not in text:
        return text
    text = _HANDLE.sub(lambda m: "at " + m[1].replace("_", " ").strip(), text)
    text = _NUMBER_SIGN.sub(r"number \1", text)
    return _HASHTAG.sub(lambda m: "hashtag " + _CAMEL_HUMP.sub(" ", m[1]), text)


# ── 9. abbreviations ──────────────────────────────────────────────────────────

_NAMED = {a.written: a.spoken for a in ABBREVIATIONS if a.use is Use.BEFORE_NAME and a.spoken}
_BETWEEN_NAMES = {
    a.written: a.spoken for a in ABBREVIATIONS if a.use is Use.BETWEEN_NAMES and a.spoken
}
_NUMBERED_WORDS = {
    written: a.spoken
    for a in ABBREVIATIONS
    if a.use is Use.BEFORE_NUMBER and a.spoken
    for written in (a.written, a.written.lower())
}
_ANYWHERE = {
    a.written.lower() + ".": a for a in ABBREVIATIONS if a.use is Use.ANYWHERE and a.spoken
}


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NAME = re.compile(rf"(?<![\w.])({_alternation(_NAMED)})\.(?= [A-Z])")
_BETWEEN = re.compile(rf"(?<=\w) ({_alternation(_BETWEEN_NAMES)})\. (?=[A-Z])")
_STREET = re.compile(r"(?<=[\w] )St\.")
_NUMBERED = re.compile(rf"(?<![\w.])({_alternation(_NUMBERED_WORDS)})\.(?= ?\d)")
_LISTED = re.compile(rf"(?<![\w.])({_alternation(_ANYWHERE)})(?!\w)", re.I)
_DOTTED_INITIALS = re.compile(r"(?<![\w.])([A-Z](?:\.[A-Z])+)\.?(?![\w])")


def _same_case(written: str, spoken: str) -> str:
    return spoken[:1].upper() + spoken[1:] if written[:1].isupper() else spoken


def _listed(match: re.Match[str]) -> str:
    abbreviation = _ANYWHERE[match[1].lower()]
    spoken = _same_case(match[1], abbreviation.spoken or match[1])
    return numbers.keep_stop(match, spoken, can_end=abbreviation.can_end)


def abbreviations(text: str) -> str:
    """Abbreviations an engine would spell or mispronounce, written out.

    ``listen.speech.abbreviations.ABBREVIATIONS`` says which and where: titles only before a
    capitalised name ("Dr. Smith", "St. Louis", "Roe v. Wade"), "No."/"Jan." only
    before a number, "e.g."/"incl." anywhere. "St." after a word is a street;
    "U.S." → "U S".
    """
    text = _NAME.sub(lambda m: _NAMED[m[1]], text)
    text = _STREET.sub(lambda m: numbers.keep_stop(m, "Street"), text)
    text = _NUMBERED.sub(lambda m: _NUMBERED_WORDS[m[1]], text)
    text = _BETWEEN.sub(lambda m: f" {_BETWEEN_NAMES[m[1]]} ", text)
    text = _LISTED.sub(_listed, text)
    return _DOTTED_INITIALS.sub(lambda m: numbers.keep_stop(m, m[1].replace(".", " ")), text)


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


RULES: tuple[Rule, ...] = (
    Rule("unicode", plain_unicode, neutral=True),
    Rule("editorial brackets", editorial_brackets, neutral=True),
    Rule("web addresses", web_addresses, neutral=True),
    Rule("e-mail addresses", email_addresses),
    Rule("domain names", domain_names),
    Rule("handles and hashtags", handles_and_hashtags),
    Rule("ranges", numbers.ranges),
    Rule("times", numbers.times),
    Rule("abbreviations", abbreviations),
    Rule("money", numbers.money),
    Rule("units", numbers.units),
    Rule("signs", numbers.signs),
    Rule("initialisms", initialisms.spell_initialisms),
    Rule("dashes and ellipses", dashes_and_ellipses, neutral=True),
    Rule("tidy", tidy, neutral=True),
)
"""Every rule, in the order ``normalize`` applies them."""


def primary_language(language: str) -> str:
    """ "en-GB" → "en"."""
    return language.strip().lower().replace("_", "-").split("-", 1)[0]


def normalize(text: str, language: str = "en") -> str:
    """Text as an engine should read it; English gets every rule, others the neutral ones."""
    english = primary_language(language) == "en"
    for rule in RULES:
        if english or rule.neutral:
            text = rule.apply(text)
    return text
