"""Sentence splitting that knows each language's abbreviations.

A period ends a sentence unless the word before it is an abbreviation its language
lists (``[abbreviations.*]``, the same tables the speech rule reads: "Dr. Smith",
"1,2 Mrd. Euro", "z. B. Äpfel", "env. 3 M€", "Sr. García"), an initial ("J. R. R.
Tolkien"), or a number in a language that writes ordinals with a period ("am 3.
März"). An abbreviation that may end a sentence ("etc.", "Inc.", "Mrd.") ends one
when a common sentence opener of its language follows ("… 1,2 Mrd. Die Regierung").
"""

from __future__ import annotations

import re

from listen.speech.abbreviations import table
from listen.speech.normalize import clean, primary_language
from listen.speech.reader import Reader, reader_for

_CANDIDATE = re.compile(r"[.!?…]+[\"'”’»)\]]*\s+")
_NEXT_WORD = re.compile(r"[\"'“‘«(\[¿¡]*(\w)")
_DOTTED = re.compile(r"(?:\w\.)+\w")
_ORDINAL_DOT_LANGUAGES = frozenset(
    [
        "de", "da", "nb", "no", "nn", "fi", "is", "cs", "sk", "hu", "pl", "sl", "hr", "sr",
        "et", "lv", "lt", "tr"
    ]
)


def split_sentences(text: str, language: str = "en", *, reader: Reader | None = None) -> list[str]:
    """Sentences of ``text``; not split at "Dr.", "U.S. Army", "e.g.", "3.5",
    "J. R. R.", "No. 5", "Mrd. Euro", nor at an ellipsis inside a quotation.
    ``reader`` carries a publisher's additions to the language's abbreviations."""
    text = clean(text)
    reader = reader or reader_for(language)
    language = primary_language(language)
    sentences, start = [], 0
    for match in _CANDIDATE.finditer(text):
        if _ends_sentence(text, match, language, reader):
            sentences.append(text[start : match.end()].strip())
            start = match.end()
    sentences.append(text[start:].strip())
    return [sentence for sentence in sentences if sentence]


def _ends_sentence(text: str, match: re.Match[str], language: str,
                   reader: Reader | None) -> bool:
    following = _NEXT_WORD.match(text, match.end())
    if following is None or not (following[1].isupper() or following[1].isdigit()):
        return False
    marks = match.group().rstrip()
    punctuation = marks.rstrip("\"'”’»)]")
    if "..." in punctuation or "…" in punctuation:
        return len(punctuation) < len(marks)  # only as '…" He said'
    if "!" in punctuation or "?" in punctuation:
        return True
    token_start = text.rfind(" ", 0, match.start()) + 1
    token = text[token_start : match.start()].lstrip("\"'“‘«([").rstrip("\"'”’»)]")
    next_word = text[following.start(1) :].split(" ", 1)[0]
    return _period_ends(token, next_word, language, reader)


def _period_ends(token: str, next_word: str, language: str, reader: Reader | None) -> bool:
    """Whether a period after ``token``, before a capital or digit, ends a sentence."""
    word = token.lower().rstrip(".")
    abbreviation = table(reader).find(word) if reader is not None else None
    may_end = abbreviation is not None and abbreviation.can_end
    if abbreviation is not None and not may_end and (
        abbreviation.use != "before_number" or next_word[:1].isdigit()
    ):
        return False  # "Dr. Smith", "incl. VAT", "No. 5"
    openers = reader is not None and bool(reader.sentence_openers)
    if len(word) == 1 and word.isalpha():
        # initials, but "… than I. Then" where "I" is a word that opens sentences
        return token == "I" and reader is not None and reader.opens_sentence("I")
    if _DOTTED.fullmatch(word) or may_end:  # "U.S.", "etc.", "Mrd."
        return reader.opens_sentence(next_word) if reader is not None and openers else may_end
    return not (word.isdigit() and language in _ORDINAL_DOT_LANGUAGES)  # "am 3. März"
