"""The web in speech: addresses, e-mail, domain names, handles and hashtags.

A URL is read as its site ("https://www.example.com/a/b" → "example.com"; the path
is noise to a listener); e-mail and domain names are spelled with the language's
words for "at" and "dot"; handles and hashtags with its "at" and "hashtag".
"""

from __future__ import annotations

import re

from listen.speech.reader import Reader

_URL = re.compile(r"\b(?:https?://|www\d?\.)[^\s<>\"']+", re.I)
_URL_PREFIX = re.compile(r"^(?:https?://)?(?:[^@/]*@)?(?:www\d?\.)?", re.I)
_URL_TRAILER = re.compile(r"[.,;:!?)\]]+$")
_URL_PATH = re.compile(r"[/?#:]")
_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]+)@((?:[\w-]+\.)+[A-Za-z]{2,})(?![\w-])")
_TLDS = (
    "com|org|net|edu|gov|mil|int|io|co|uk|eu|de|fr|ca|au|nz|ie|ch|nl|se|es|jp|cn|ru|at|be|"
    "it|mx|ar|cl|info|biz|ai|app|dev|tv|ly|fm|gg|xyz|news|blog|online|site|tech"
)
_DOMAIN = re.compile(rf"(?<![\w@./-])((?:[A-Za-z0-9-]+\.)+(?:{_TLDS}))(?![\w-]|\.\w)", re.I)
_HANDLE = re.compile(r"(?<![\w@.])@([A-Za-z0-9_]{1,30})(?![\w@])")
_HASHTAG = re.compile(r"(?<![\w#&])#([^\W\d_]\w*)")
_NUMBER_SIGN = re.compile(r"(?<![\w#&])#(\d+)\b")
_CAMEL_HUMP = re.compile(r"(?<=[a-z])(?=[A-Z])")


def web_addresses(text: str, reader: Reader | None = None) -> str:
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


def _dotted(name: str, reader: Reader) -> str:
    return (name.replace(".", f" {reader.word('dot')} ")
            .replace("_", f" {reader.word('underscore')} "))


def email_addresses(text: str, reader: Reader) -> str:
    """ "jane.doe@example.com" → "jane dot doe at example dot com"."""
    if "@" not in text:
        return text
    at = reader.word("at")
    return _EMAIL.sub(lambda m: f"{_dotted(m[1], reader)} {at} {_dotted(m[2], reader)}", text)


def domain_names(text: str, reader: Reader) -> str:
    """ "Amazon.com" → "Amazon dot com"."""
    if "." not in text:
        return text
    return _DOMAIN.sub(lambda m: _dotted(m[1], reader), text)


def handles_and_hashtags(text: str, reader: Reader) -> str:
    """ "@listen_audio" → "at listen audio", "#ClimateAction" → "hashtag Climate Action",
    "#1" → "number 1"."""
    if "@" not in text and "#" not in text:
        return text
    text = _HANDLE.sub(lambda m: f"{reader.word('at')} " + m[1].replace("_", " ").strip(), text)
    text = _NUMBER_SIGN.sub(lambda m: f"{reader.word('number')} {m[1]}", text)
    return _HASHTAG.sub(
        lambda m: f"{reader.word('hashtag')} " + _CAMEL_HUMP.sub(" ", m[1]), text
    )
