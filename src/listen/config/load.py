"""Where settings come from: ``listen.toml`` and its sections, the ``LISTEN_*``
environment and the command line's options, in rising order of strength."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

from listen.config.settings import Settings
from listen.config.values import apply_values, typed
from listen.errors import ConfigError
from listen.models import Channel, SiteRule
from listen.tomlfile import parse_toml

CONFIG_NAME = "listen.toml"

_RENDER_KEYS = {
    "voice", "voices_dir", "intro", "outro", "outro_text", "keep_captions",
    "intro_audio", "outro_audio", "bitrate", "srt", "out_dir", "cache_dir", "jobs",
    "cluster",
    "offline", "fetch_images", "parts", "verify", "whisper_model",
}  # fmt: skip
_ENV = {
    "LISTEN_VOICE": "voice",
    "LISTEN_OUT": "out_dir",
    "LISTEN_CACHE": "cache_dir",
    "LISTEN_JOBS": "jobs",
    "LISTEN_BASE_URL": "show.base_url",
    "LISTEN_CLUSTER": "cluster",
    "LISTEN_OFFLINE": "offline",
    "LISTEN_VOICES_URL": "voices_url",
    "LISTEN_VOICES_FOLDER": "voices_folder",
    "LISTEN_WHISPER_MODEL": "whisper_model",
}
_VOICES_KEYS = {"catalogue": "voices_url", "folder": "voices_folder"}
"""``[voices]`` keys and the settings they set."""


def find_config(explicit: Path | None) -> Path | None:
    """The ``--config`` file, else ``$LISTEN_CONFIG``, else ``./listen.toml`` if present."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"config file {explicit} not found: check the --config path")
        return explicit
    from_env = os.environ.get("LISTEN_CONFIG")
    if from_env:
        if not Path(from_env).is_file():
            raise ConfigError(f"config file {from_env} not found: check LISTEN_CONFIG")
        return Path(from_env)
    local = Path.cwd() / CONFIG_NAME
    return local if local.is_file() else None


def load_settings(config: Path | None = None, **overrides: Any) -> Settings:
    """Build settings from the config file, the environment and ``overrides`` (CLI)."""
    path = find_config(config)
    settings = _from_toml(path) if path else Settings()
    for name, key in _ENV.items():
        if os.environ.get(name):
            settings = apply_values(settings, {key: os.environ[name]}, name)
    return apply_values(settings, {k: v for k, v in overrides.items() if v is not None}, "option")


def _from_toml(path: Path) -> Settings:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    data = parse_toml(text, str(path))
    unknown = set(data) - {"show", "render", "lexicon", "sites", "voices", "speech"}
    if unknown:
        raise ConfigError(f"{path}: unknown section {sorted(unknown)[0]!r}; valid: [show], "
                          "[render], [voices], [lexicon], [sites.\"example.com\"], "
                          "[speech.<language>]")
    base = path.parent
    render = _table(data, "render", path)
    _check_keys(render, _RENDER_KEYS, path, "render")
    values: dict[str, Any] = {k: _resolve_path(k, v, base) for k, v in render.items()}
    if "parts" in values:
        from listen.sound.voices import check_parts

        values["parts"] = check_parts(values["parts"], f"{path} [render]")
    values["show"] = _show(_table(data, "show", path), path, base)
    values["lexicon"] = {str(k): str(v) for k, v in _table(data, "lexicon", path).items()}
    values["sites"] = _sites(_table(data, "sites", path), path)
    values.update(_voices(_table(data, "voices", path), path, base))
    values["speech"] = _table(data, "speech", path)
    values["config_path"] = path
    return apply_values(Settings(), values, str(path))


def _table(data: Mapping[str, Any], name: str, path: Path) -> dict[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [{name}] must be a table")
    return table


def _check_keys(table: Mapping[str, Any], valid: set[str], path: Path, section: str) -> None:
    unknown = sorted(set(table) - valid)
    if unknown:
        raise ConfigError(f"{path}: unknown key {unknown[0]!r} in [{section}]; "
                          f"valid keys: {', '.join(sorted(valid))}")


def _show(table: Mapping[str, Any], path: Path, base: Path) -> Channel:
    _check_keys(table, {f.name for f in fields(Channel)}, path, "show")
    image = table.get("image")
    if isinstance(image, str) and image.strip() and "://" not in image:
        # A local show cover, like the other paths here, is relative to the file.
        table = {**table, "image": str(base / Path(image.strip()).expanduser())}
    show: Channel = typed(Channel(), table, str(path))
    return show


def _sites(table: Mapping[str, Any], path: Path) -> dict[str, SiteRule]:
    rules: dict[str, SiteRule] = {}
    for domain, rule in table.items():
        if not isinstance(rule, dict):
            raise ConfigError(f'{path}: [sites."{domain}"] must be a table with keep and skip')
        _check_keys(rule, {"keep", "skip"}, path, f'sites."{domain}"')
        rules[domain.lower()] = SiteRule(
            keep=tuple(_strings(rule.get("keep", []), path, "keep")),
            skip=tuple(_strings(rule.get("skip", []), path, "skip")),
        )
    return rules


def _voices(table: Mapping[str, Any], path: Path, base: Path) -> dict[str, Any]:
    """``[voices]``: a catalogue folder and the voices folder are relative to the file."""
    _check_keys(table, set(_VOICES_KEYS), path, "voices")
    values = {_VOICES_KEYS[key]: str(value).strip() for key, value in table.items()}
    for key, value in values.items():
        if value and "://" not in value:
            values[key] = str(base / Path(value).expanduser())
    return values


def _strings(value: Any, path: Path, key: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: {key} must be a list of CSS selectors")
    return value


def _resolve_path(key: str, value: Any, base: Path) -> Any:
    """Paths in listen.toml are relative to the file, not to the current folder."""
    if key in {"intro_audio", "outro_audio", "voices_dir", "out_dir", "cache_dir",
               "whisper_model"}:
        return base / Path(str(value)).expanduser()
    return value
