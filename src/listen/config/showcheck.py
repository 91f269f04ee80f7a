"""``[show]`` values a podcast directory would refuse, refused with what a good one
looks like."""

from __future__ import annotations

import re
from pathlib import Path

from listen.config.languages import language_code_for, language_names
from listen.errors import ConfigError
from listen.models import Channel

_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[a-z0-9]{1,8})*", re.IGNORECASE)
_EMAIL = re.compile(r"[^@\s<>,;\"']+@[^@\s<>,;\"']+\.[a-z0-9-]{2,}", re.IGNORECASE)


def check_show(show: Channel, origin: str) -> None:
    """Refuse a ``[show]`` value that would make a feed podcast directories reject,
    naming the key, the bad value and what a good one looks like."""
    problems = [
        ("language", show.language, _language_problem),
        ("owner_email", show.owner_email, _email_problem),
        ("base_url", show.base_url, _web_address_problem),
        ("link", show.link, _web_address_problem),
        ("image", show.image, _image_problem),
    ]
    for key, value, problem_of in problems:
        problem = problem_of(value) if value else None
        if problem:
            raise ConfigError(f"{_named(origin, key, value)} {problem}")


def _named(origin: str, key: str, value: str) -> str:
    """How the user wrote the value: ``--base-url 'x'``, ``LISTEN_BASE_URL='x'`` or
    ``listen.toml: [show] base_url = 'x'``."""
    if origin == "option":
        return f"--{key.replace('_', '-')} {value!r}"
    if origin.startswith("LISTEN_"):
        return f"{origin}={value!r}"
    return f"{origin}: [show] {key} = {value!r}"


def _language_problem(tag: str) -> str | None:
    names = language_names()
    fixed = tag.strip().replace("_", "-")
    primary, _, rest = fixed.partition("-")
    if _LANGUAGE_TAG.fullmatch(fixed) and primary.lower() in names:
        return None if fixed == tag else f'is not a language tag: write "{fixed}"'
    guess = language_code_for(primary.lower(), tag)
    if guess:
        return f'is not a language tag: write "{guess}{"-" + rest if rest else ""}"'
    return ('is not a language tag: write a code like "en", "de" or "en-GB" '
            "(ISO 639-1, with a region if you like)")


def _email_problem(address: str) -> str | None:
    if _EMAIL.fullmatch(address.strip()):
        return None
    return 'is not an e-mail address: write the address alone, like "audio@example.com"'


def _web_address_problem(url: str) -> str | None:
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    if parts.scheme in {"http", "https"}:
        return None if parts.hostname else 'has no host name: write it like "https://example.com/"'
    if "://" in url:
        return (f"is not a web address: podcast apps fetch over https:// (or http://), "
                f"not {parts.scheme}://")
    return (f'does not start with https:// (or http://): write the full address, like '
            f'"https://{url.strip().lstrip("/")}"')


def _image_problem(image: str) -> str | None:
    if "://" in image:
        problem = _web_address_problem(image)
        return f"{problem} (or give the path of a local JPEG or PNG)" if problem else None
    if Path(image).is_file():
        return None
    return ("is neither an https:// address nor a file: give the URL of the show's "
            "square cover (JPEG or PNG, 1400 to 3000 pixels), or the path of one, "
            "relative to listen.toml")
