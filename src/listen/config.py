"""Settings: command-line options > ``LISTEN_*`` environment > ``listen.toml`` > defaults.

``listen.toml`` is the publisher profile. Every key is optional: without it listen
still writes valid output, with defaults drawn from the article, and warns about
what a publisher should set. Unknown keys are errors, so a typo never passes silently.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from listen.errors import ConfigError
from listen.models import Article, Channel, SiteRule
from listen.tomlfile import parse_toml

CONFIG_NAME = "listen.toml"
MP3_BITRATES = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
"""What an MPEG-1 Layer III stream at 44.1 kHz can carry."""


@dataclass(frozen=True)
class Settings:
    """Everything one render needs beyond the source."""

    out_dir: Path = Path("output")
    voice: str | None = None
    """Voice profile name; None picks the best installed voice for the article's language."""
    voices_dir: Path | None = None
    """A folder of user voice profiles that override shipped ones by name."""
    cache_dir: Path | None = None
    """None: the user cache folder."""
    use_cache: bool = True
    jobs: int | None = None
    """Worker processes for synthesis; None: one per core."""
    cluster: str | None = None
    """A Dask scheduler's address (``tcp://host:8786``): takes are made on its workers."""
    show: Channel = field(default_factory=Channel)
    """``[show]``: the podcast the feed describes; empty values come from the article."""
    intro: bool = True
    """Speak "<title>. By <authors>. Published by <site> on <date>." first."""
    outro: bool = True
    outro_text: str = ""
    keep_captions: bool = False
    intro_audio: Path | None = None
    """A WAV, FLAC or MP3 played before the narration (a jingle)."""
    outro_audio: Path | None = None
    bitrate: int = 64
    srt: bool = False
    """Also write ``<slug>.srt``."""
    lexicon: Mapping[str, str] = field(default_factory=dict)
    """Publisher pronunciations: word or phrase → respelling."""
    sites: Mapping[str, SiteRule] = field(default_factory=dict)
    config_path: Path | None = None


_RENDER_KEYS = {
    "voice", "voices_dir", "intro", "outro", "outro_text", "keep_captions",
    "intro_audio", "outro_audio", "bitrate", "srt", "out_dir", "cache_dir", "jobs",
    "cluster",
}  # fmt: skip
_ENV = {
    "LISTEN_VOICE": "voice",
    "LISTEN_OUT": "out_dir",
    "LISTEN_CACHE": "cache_dir",
    "LISTEN_JOBS": "jobs",
    "LISTEN_BASE_URL": "show.base_url",
    "LISTEN_CLUSTER": "cluster",
}


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
            settings = _apply(settings, {key: os.environ[name]}, name)
    return _apply(settings, {k: v for k, v in overrides.items() if v is not None}, "option")


def _from_toml(path: Path) -> Settings:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    data = parse_toml(text, str(path))
    unknown = set(data) - {"show", "render", "lexicon", "sites"}
    if unknown:
        raise ConfigError(f"{path}: unknown section {sorted(unknown)[0]!r}; "
                          "valid: [show], [render], [lexicon], [sites.\"example.com\"]")
    base = path.parent
    render = _table(data, "render", path)
    _check_keys(render, _RENDER_KEYS, path, "render")
    values: dict[str, Any] = {k: _resolve_path(k, v, base) for k, v in render.items()}
    values["show"] = _show(_table(data, "show", path), path)
    values["lexicon"] = {str(k): str(v) for k, v in _table(data, "lexicon", path).items()}
    values["sites"] = _sites(_table(data, "sites", path), path)
    values["config_path"] = path
    return _apply(Settings(), values, str(path))


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


def _show(table: Mapping[str, Any], path: Path) -> Channel:
    _check_keys(table, {f.name for f in fields(Channel)}, path, "show")
    show: Channel = _typed(Channel(), table, str(path))
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


def _strings(value: Any, path: Path, key: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: {key} must be a list of CSS selectors")
    return value


def _resolve_path(key: str, value: Any, base: Path) -> Any:
    """Paths in listen.toml are relative to the file, not to the current folder."""
    if key in {"intro_audio", "outro_audio", "voices_dir", "out_dir", "cache_dir"}:
        return base / Path(str(value)).expanduser()
    return value


def _apply(settings: Settings, values: Mapping[str, Any], origin: str) -> Settings:
    show_values = {k.split(".", 1)[1]: v for k, v in values.items() if k.startswith("show.")}
    plain = {k: v for k, v in values.items() if not k.startswith("show.")}
    if show_values:
        plain["show"] = _typed(plain.get("show", settings.show), show_values, origin)
    updated: Settings = _typed(settings, plain, origin)
    if updated.bitrate not in MP3_BITRATES:
        raise ConfigError(f"{origin}: bitrate = {updated.bitrate} is not an MP3 bitrate; "
                          f"choose one of {', '.join(map(str, MP3_BITRATES))} (kbit/s)")
    return updated


def _typed(obj: Any, values: Mapping[str, Any], origin: str) -> Any:
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


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise ValueError(value)


def channel_for(settings: Settings, article: Article, cover_url: str) -> tuple[Channel, list[str]]:
    """The feed's channel, filling what the publisher left unset from the article.

    Returns the channel and one warning per default a publisher should set.
    """
    show = settings.show
    site = article.site or _host(article.url) or "listen"
    warnings = []
    if not show.title:
        warnings.append(f'feed title defaults to the site name "{site}": set [show] title')
    if not show.base_url:
        warnings.append("no base URL: the feed's enclosures point at local file names; "
                        "set [show] base_url (or --base-url) to where output/ is served")
    if not show.owner_email:
        warnings.append("Apple Podcasts wants an owner e-mail: set [show] owner_email")
    channel = Channel(
        title=show.title or site,
        link=show.link or _origin(article.url) or show.base_url or "",
        description=show.description or f"Articles from {site}, read aloud.",
        language=show.language or article.language,
        author=show.author or site,
        owner_name=show.owner_name or show.author or site,
        owner_email=show.owner_email,
        category=show.category,
        subcategory=show.subcategory,
        explicit=show.explicit,
        image=show.image or cover_url,
        base_url=show.base_url,
        max_items=show.max_items,
    )
    return channel, warnings


def _host(url: str | None) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or "" if url else ""


def _origin(url: str | None) -> str:
    from urllib.parse import urlsplit

    if not url:
        return ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/" if parts.scheme and parts.netloc else ""
