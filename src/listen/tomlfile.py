"""TOML reading for listen.toml, voice profiles and lexicons, with our errors."""

from __future__ import annotations

import sys
from typing import Any

from listen.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]


def parse_toml(text: str, where: str) -> dict[str, Any]:
    """Parse ``text``; a syntax error becomes a ConfigError naming ``where`` and the line."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where} is not valid TOML ({exc}): fix the line it names") from exc
    return data
