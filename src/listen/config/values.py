"""Values from a file, the environment or an option, turned into settings: each
converted to its field's type and checked, or a ``ConfigError`` naming where it came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from listen.config.settings import MP3_BITRATES, Settings
from listen.config.showcheck import check_show
from listen.errors import ConfigError


def apply_values(settings: Settings, values: Mapping[str, Any], origin: str) -> Settings:
    """``settings`` with ``values`` (``show.<key>`` for a ``[show]`` key) converted,
    checked and set; ``origin`` names where they came from in an error."""
    show_values = {k.split(".", 1)[1]: v for k, v in values.items() if k.startswith("show.")}
    plain = {k: v for k, v in values.items() if not k.startswith("show.")}
    if show_values:
        plain["show"] = typed(plain.get("show", settings.show), show_values, origin)
    if "verify" in plain:
        plain["verify"] = _verify_mode(plain["verify"], origin)
    updated: Settings = typed(settings, plain, origin)
    if updated.bitrate not in MP3_BITRATES:
        raise ConfigError(f"{origin}: bitrate = {updated.bitrate} is not an MP3 bitrate; "
                          f"choose one of {', '.join(map(str, MP3_BITRATES))} (kbit/s)")
    if "show" in plain:
        check_show(updated.show, origin)
    return updated


def typed(obj: Any, values: Mapping[str, Any], origin: str) -> Any:
    """``replace`` with each value converted to the field's type, or a ConfigError."""
    types = {f.name: f.type for f in fields(obj)}
    converted = {k: _convert(v, str(types[k]), k, origin) for k, v in values.items()}
    return replace(obj, **converted)


def _convert(value: Any, type_name: str, key: str, origin: str) -> Any:
    try:
        if "Path" in type_name:
            return Path(value).expanduser() if value is not None else None
        if type_name.startswith("bool"):
            return _to_bool(value)
        if type_name.startswith("int"):
            return int(value)
        if type_name.startswith("str"):
            return str(value) if value is not None else value
    except (TypeError, ValueError) as exc:
        kind = type_name.split(" ")[0]
        raise ConfigError(f"{origin}: {key} = {value!r} is not a valid {kind}") from exc
    return value


def _verify_mode(value: Any, origin: str) -> str:
    """``verify``: off (""), ``on`` or ``strict``; true and false as for a switch."""
    text = str(value).strip().lower()
    if text == "strict":
        return text
    try:
        return "on" if _to_bool(value) else ""
    except ValueError:
        raise ConfigError(f"{origin}: verify = {value!r}: use true, false or \"strict\""
                          ) from None


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise ValueError(value)
