"""Which voice fits an article's language: the one rule ``default`` and ``voices install``
share.

Tags come in many spellings (``pt-BR``, ``pt_BR``, ``PT``); a voice fits when it speaks
the article's language, and fits best in the article's region, or, when the article
names none, in the region where most people speak the language (CLDR's likely
region: ``pt`` → Brazil, ``en`` → the United States, ``de`` → Germany).
"""

from __future__ import annotations

import functools

_SAME_LANGUAGE = {"nb": "no", "nn": "no", "iw": "he", "in": "id", "ji": "yi"}
"""Codes Piper and espeak-ng spell differently from some pages (Bokmål as Norwegian,
the withdrawn ISO 639 codes as their successors)."""


def primary(tag: str) -> str:
    """``pt-BR`` → ``pt``; ``nb`` → ``no``; "" for an empty tag."""
    code = tag.strip().replace("_", "-").split("-")[0].lower()
    return _SAME_LANGUAGE.get(code, code)


def region(tag: str) -> str:
    """``pt-BR``, ``pt_br`` → ``BR``; ``zh-Hans-CN`` → ``CN``; "" when the tag names none."""
    for part in tag.strip().replace("_", "-").split("-")[1:]:
        if len(part) == 2 and part.isalpha() or len(part) == 3 and part.isdigit():
            return part.upper()
    return ""


def usual_region(language: str) -> str:
    """The region a tag names, else CLDR's likely region for its language ("" if none)."""
    return region(language) or _likely_region(primary(language))


@functools.lru_cache(maxsize=64)
def _likely_region(code: str) -> str:
    from babel.core import get_global

    likely = get_global("likely_subtags")
    return region(str(likely.get(code, "")))


def fit(voice_language: str, article_language: str) -> int | None:
    """How well a voice for ``voice_language`` suits an article in ``article_language``:
    0 in the article's (or the language's usual) region, or for a voice that names no
    region; 1 in another region; None for another language."""
    if not article_language or primary(voice_language) != primary(article_language):
        return None
    speaks = region(voice_language)
    return 0 if not speaks or speaks == usual_region(article_language) else 1
