"""Signs read as words: "R&D" → "R and D", "+5" → "plus 5", " = " → " equals ",
"1920×1080" and "2x8" → "by", "~5" → "about 5", "24/7", "½"; and signs standing
alone ("$", "%", "#") named, in the language's words.
"""

from __future__ import annotations

import re

from listen.speech.reader import Reader

_AMPERSAND = re.compile(r"(?<=\w) ?& ?(?=\w)| & ")
_PLUS_SIGN = re.compile(r"(?<![\w+])\+(?=\d)")
_PLUS = re.compile(r" \+ |(?<=\d)\+(?=\w)")
_MINUS = re.compile(r"(?<=\d) - (?=\d)")
_EQUALS = re.compile(r" = ")
_TIMES = re.compile(r"(?<=\d)[×x](?= |$)| × ")
_ABOUT = re.compile(r"(?<!\w)~(?=\d)")
_LONE_SIGN = re.compile(r"(?<!\d)[/$€₩£¥#%](?![\d])")
_SIGN_NAMES = {"#": "hash", "%": "percent", "/": "slash"}


def signs(text: str, reader: Reader) -> str:
    """Signs between words and numbers, said in the language."""
    words = reader.data.table("signs")
    if "&" in text:
        text = _AMPERSAND.sub(f" {reader.word('and')} ", text)
    if "+" in text:
        text = _PLUS.sub(f" {reader.word('plus')} ", text)
        text = _PLUS_SIGN.sub(f"{reader.word('plus')} ", text)
    if " - " in text and words.get("minus_between_numbers"):
        text = _MINUS.sub(f" {reader.word('minus')} ", text)
    if "=" in text:
        text = _EQUALS.sub(f" {reader.word('equals')} ", text)
    if "×" in text or "x" in text:
        text = _TIMES.sub(f" {reader.word('times')} ", text)
    if "~" in text:
        text = _ABOUT.sub(f"{reader.word('about')} ", text)
    return _lone_signs(text, reader)


def _lone_signs(text: str, reader: Reader) -> str:
    """ "$€£" written without a number, in a run of signs: each named. A lone "/"
    or "%" is named only in such a run ("/$"), never in "and/or"."""
    if not _LONE_SIGN.search(text):
        return text
    return _RUN.sub(lambda m: _named_run(m.group(), reader), text)


_RUN = re.compile(r"(?<![\w/])[/$€₩£¥#%A-Z]*[$€₩£¥][/$€₩£¥#%A-Z]*(?![\w\d])")


def _named_run(run: str, reader: Reader) -> str:
    said: list[str] = []
    letters = ""
    for char in run:
        if char.isalpha():
            letters += char
            continue
        if letters:
            said.append(letters)
            letters = ""
        currency = reader.currency(char)
        said.append(currency.name.one if currency else reader.word(_SIGN_NAMES[char]))
    if letters:
        said.append(letters)
    return " ".join(said)
