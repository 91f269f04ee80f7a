"""English rule: all-capital words an engine should spell, letter by letter.

"ICJ" → "I C J", but NATO, OPEC, OK, Roman numerals and capitals used for emphasis
("NOT", "BY JOHN SMITH") stay words. A heuristic: a lexicon entry overrides it.
It runs for a language whose speech data asks for it (``[initialisms] spell``):
the syllable patterns below are English ones.
"""

from __future__ import annotations

import re

from listen.speech.reader import Reader

_CAPS_WORD = re.compile(r"(?<![\w'.&/-])([A-Z]{2,5})(s?)(?![\w&-])")
_READ_AS_WORDS = frozenset(
    [
        "NATO", "NASA", "OPEC", "FIFA", "UEFA", "AIDS", "SARS", "MERS", "COVID", "NAFTA",
        "ASEAN", "CERN", "FEMA", "DARPA", "OK", "GIF", "RAM", "ROM", "PIN", "SIM", "LAN",
        "WAN", "DOS", "SWAT", "LASER", "RADAR", "SCUBA", "NIMBY", "FOMO", "YOLO", "POTUS",
        "FLOTUS", "SCOTUS", "BAFTA", "IKEA", "ISIS", "ISIL", "HAMAS", "MAGA", "WASP",
        "PAC", "ZIP", "TED"
    ]
)
_COMMON_WORDS = frozenset(
    [
        "a", "am", "an", "as", "at", "be", "by", "do", "go", "he", "hi", "if", "in", "is",
        "me", "my", "no", "of", "oh", "on", "or", "so", "to", "up", "we", "ye", "ah", "aw",
        "ha", "yo", "all", "and", "any", "are", "ask", "bad", "big", "but", "can", "cry",
        "did", "die", "dog", "end", "far", "few", "for", "fun", "get", "god", "got", "had",
        "has", "her", "hey", "him", "his", "hot", "how", "its", "let", "lot", "low", "mad",
        "man", "may", "men", "new", "nor", "not", "now", "odd", "off", "old", "one", "our",
        "out", "own", "put", "red", "run", "sad", "say", "see", "she", "shh", "sir", "six",
        "ten", "the", "too", "top", "try", "two", "ugh", "wow", "war", "was", "way", "why",
        "win", "yes", "yet", "you", "also", "back", "best", "both", "come", "does", "done",
        "down", "each", "even", "ever", "fact", "from", "good", "have", "help", "here",
        "high", "huge", "just", "kill", "know", "last", "left", "like", "live", "long",
        "look", "love", "made", "make", "many", "more", "most", "much", "must", "need",
        "next", "only", "open", "over", "part", "play", "real", "said", "same", "save",
        "show", "some", "stop", "such", "sure", "take", "tell", "than", "that", "them",
        "then", "they", "this", "time", "true", "very", "want", "well", "were", "what",
        "when", "will", "with", "work", "your", "about", "after", "again", "being",
        "every", "first", "great", "never", "other", "right", "shall", "still", "their",
        "there", "these", "thing", "think", "those", "three", "today", "truly", "until",
        "where", "which", "while", "world", "would", "wrong", "could", "death", "break"
    ]
)
_ROMAN = re.compile(r"[IVX]+")
_WORD = re.compile(r"[^\W\d_]+")
_ONSET = (
    r"(?:STR|SPR|SCR|SPL|THR|SHR|SCH|TH|SH|CH|PH|WH|WR|BL|BR|CL|CR|DR|FL|FR|GL|GR|PL|PR|"
    r"SC|SK|SL|SM|SN|SP|ST|SW|TR|TW|QU|[BCDFGHJKLMNPRSTVWZ])"
)
_MEDIAL = (
    r"(?:[BCDFGHJKLMNPQRSTVWXZ]|ST|SC|SK|SP|NT|ND|NG|NK|MP|MB|RT|RD|RN|RK|RM|RS|LL|LT|LD|"
    r"LK|FT|CT|PT|TR|PR|BR|DR|GR|CR|FR|PL|BL|CL|GL|FL|SS|TT|PP|FF|CK|TH|SH|CH|PH|NS|NC|"
    r"RG|RB|RV|LV|LF|LM|LP)"
)
_CODA = (
    r"(?:ST|SK|SP|NT|ND|NG|NK|MP|RT|RD|RN|RK|RM|RS|RL|LL|LT|LD|LK|FT|CT|PT|SS|CK|TH|SH|"
    r"CH|TS|DS|NS|MS|LS|PS|KS|GS|NN|[BCDFGKLMNPRSTXZ])"
)
_NUCLEUS = r"(?:[AEIOU]{1,2}|Y)"
# A vowel-initial acronym reads as a word only with single consonants between its
# vowels (OPEC, ASEAN); "UCLA", "ACLU", "OSCE" are spelled.
_PRONOUNCEABLE = re.compile(
    rf"{_ONSET}{_NUCLEUS}(?:{_MEDIAL}{_NUCLEUS})*{_CODA}?"
    rf"|[AEIOU]{{1,2}}(?:[BCDFGKLMNPRSTVZ]|TH|SH|CH|PH)[AEIOU]{{1,2}}{_CODA}?"
    rf"|[AEIOU]{{1,2}}{_CODA}"
)


def reads_as_word(word: str) -> bool:
    """Whether an all-capital word is said as a word (NATO, OPEC) rather than spelled."""
    if word in _READ_AS_WORDS or word.lower() in _COMMON_WORDS or _ROMAN.fullmatch(word):
        return True
    return len(word) >= 4 and _PRONOUNCEABLE.fullmatch(word) is not None


def _is_shouting(text: str) -> bool:
    """Capitals are not initialisms in a headline or byline written in capitals
    ("BY JOHN SMITH"): half the words or more are capitals."""
    words = _WORD.findall(text)
    shouted = sum(1 for word in words if len(word) > 1 and word.isupper())
    return shouted >= 2 and 2 * shouted >= len(words)


def _spell(match: re.Match[str]) -> str:
    word, plural = match.groups()
    if reads_as_word(word):
        return match.group()
    return " ".join(word) + ("'s" if plural else "")


def spell_initialisms(text: str) -> str:
    """ "ICJ" → "I C J"; a lexicon entry decides the ones this heuristic gets wrong."""
    if _CAPS_WORD.search(text) is None or _is_shouting(text):
        return text
    return _CAPS_WORD.sub(_spell, text)


def initialisms(text: str, reader: Reader) -> str:
    """``spell_initialisms`` where the language's speech data asks for it."""
    if not reader.data.table("initialisms").get("spell"):
        return text
    return spell_initialisms(text)
