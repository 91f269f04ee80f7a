"""Language codes and their English names, from CLDR (babel)."""

from __future__ import annotations

import re
from collections.abc import Mapping


def language_code_for(code: str, text: str) -> str | None:
    """The ISO 639-1 code a user meant: ``deu`` or ``ger`` → ``de``; "German" → ``de``."""
    from babel.core import get_global

    aliases: Mapping[str, str] = get_global("language_aliases")
    if code in aliases and "_" not in aliases[code]:
        return aliases[code]
    by_name = {name.lower(): code for code, name in language_names().items() if "_" not in code}
    return next((by_name[word] for word in re.findall(r"\w+", text.lower()) if word in by_name),
                None)


def language_names() -> Mapping[str, str]:
    """Language code → English name, from CLDR (babel comes with trafilatura)."""
    from babel import Locale

    names: Mapping[str, str] = Locale("en").languages
    return names


def language_name(tag: str) -> str:
    """``de-AT`` → ``German``; the tag itself when CLDR does not know it."""
    return language_names().get(primary_language(tag), tag)


def primary_language(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()
