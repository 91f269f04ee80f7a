"""Settings: command-line options > ``LISTEN_*`` environment > ``listen.toml`` > defaults.

``listen.toml`` is the publisher profile. Every key is optional: without it listen
still writes valid output, with defaults drawn from the article, and warns about
what a publisher should set. Unknown keys are errors, so a typo never passes silently.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from listen.errors import ConfigError
from listen.models import Article, Channel, SiteRule, VoiceProfile
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
    speech: Mapping[str, Any] = field(default_factory=dict)
    """``[speech.<language>.<table>]``: additions to the speech data (units, currencies,
    abbreviations …), by language; checked when a script is built."""
    sites: Mapping[str, SiteRule] = field(default_factory=dict)
    config_path: Path | None = None
    offline: bool = False
    """Fetch nothing: no URL sources, no lead images (the cover is generated)."""
    fetch_images: bool | None = None
    """Fetch the article's lead image for the cover; None: only for a URL source,
    so a render of a local file makes no network request unless asked."""
    voices_url: str = ""
    """``[voices] catalogue``: where ``listen voices`` finds Piper's voice catalogue (an
    address or a folder, for a mirror); "" for Piper's own."""
    voices_folder: Path | None = None
    """``[voices] folder``: where ``listen voices install`` puts voices; None: the user
    data folder."""
    verify: str = ""
    """``--verify``: "" (off), ``on`` (report takes that do not say their sentence) or
    ``strict`` (speak them again, and fail the render if they stay wrong)."""
    whisper_model: Path | None = None
    """A faster-whisper (CTranslate2) model folder for the listening check; None:
    pocketsphinx for English, no check for other languages."""
    parts: Mapping[str, str] = field(default_factory=dict)
    """``[render.parts]``: voice profiles for parts of the article (title, intro,
    heading, quote, outro), over the voice profile's own ``[parts]``."""


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
            settings = _apply(settings, {key: os.environ[name]}, name)
    return _apply(settings, {k: v for k, v in overrides.items() if v is not None}, "option")


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


def _show(table: Mapping[str, Any], path: Path, base: Path) -> Channel:
    _check_keys(table, {f.name for f in fields(Channel)}, path, "show")
    image = table.get("image")
    if isinstance(image, str) and image.strip() and "://" not in image:
        # A local show cover, like the other paths here, is relative to the file.
        table = {**table, "image": str(base / Path(image.strip()).expanduser())}
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


def _apply(settings: Settings, values: Mapping[str, Any], origin: str) -> Settings:
    show_values = {k.split(".", 1)[1]: v for k, v in values.items() if k.startswith("show.")}
    plain = {k: v for k, v in values.items() if not k.startswith("show.")}
    if show_values:
        plain["show"] = _typed(plain.get("show", settings.show), show_values, origin)
    if "verify" in plain:
        plain["verify"] = _verify_mode(plain["verify"], origin)
    updated: Settings = _typed(settings, plain, origin)
    if updated.bitrate not in MP3_BITRATES:
        raise ConfigError(f"{origin}: bitrate = {updated.bitrate} is not an MP3 bitrate; "
                          f"choose one of {', '.join(map(str, MP3_BITRATES))} (kbit/s)")
    if "show" in plain:
        _check_show(updated.show, origin)
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


def channel_for(
    settings: Settings, article: Article, cover_url: str, source_url: str | None = None
) -> tuple[Channel, list[str]]:
    """The feed's channel, filling what the publisher left unset from the article
    (and from ``source_url``, the address the page was fetched from, if any).

    Returns the channel and one warning per default a publisher should set.
    """
    show = settings.show
    name = publisher_name(article, source_url, show.link)
    warnings = []
    if not show.title:
        warnings.append(_title_warning(article, name))
    if not show.base_url:
        warnings.append("no base URL: the feed's enclosures point at local file names; "
                        "set [show] base_url (or --base-url) to where output/ is served")
    if not show.owner_email:
        warnings.append("Apple Podcasts wants an owner e-mail: set [show] owner_email")
    title = show.title or name or UNNAMED_SHOW
    channel = Channel(
        title=title,
        link=show.link or _origin(article.url) or _origin(source_url) or show.base_url or "",
        description=show.description
        or (f"Articles from {name}, read aloud." if name else "Articles, read aloud."),
        language=show.language or article.language,
        author=show.author or name,
        owner_name=show.owner_name or show.author or name or title,
        owner_email=show.owner_email,
        category=show.category,
        subcategory=show.subcategory,
        explicit=show.explicit,
        image=cover_url,
        base_url=show.base_url,
        max_items=show.max_items,
    )
    return channel, warnings


UNNAMED_SHOW = "Articles read aloud"
"""The show's title when neither listen.toml nor the page names one."""


def show_title(settings: Settings, article: Article, source_url: str | None = None) -> str:
    """The show's title, as the feed's channel and the MP3's album tag give it."""
    return (settings.show.title or publisher_name(article, source_url, settings.show.link)
            or UNNAMED_SHOW)


def publisher_name(article: Article, source_url: str | None = None, link: str = "") -> str:
    """The site's name, else the host name of the article's canonical URL, of the
    address it was fetched from, or of ``[show] link``; "" when none is known."""
    hosts = (_host(url).removeprefix("www.") for url in (article.url, source_url, link))
    return article.site or next((host for host in hosts if host), "")


def _title_warning(article: Article, name: str) -> str:
    if article.site:
        return f'feed title defaults to the site name "{name}": set [show] title'
    if name:
        return (f'feed title defaults to the host name "{name}" (the page names no site): '
                "set [show] title")
    return (f'feed title defaults to "{UNNAMED_SHOW}" (the page names no site and has no '
            "URL): set [show] title")


def _host(url: str | None) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or "" if url else ""


def _origin(url: str | None) -> str:
    from urllib.parse import urlsplit

    if not url:
        return ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/" if parts.scheme and parts.netloc else ""


# --- [show] values a podcast directory would refuse ----------------------------------

_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[a-z0-9]{1,8})*", re.IGNORECASE)
_EMAIL = re.compile(r"[^@\s<>,;\"']+@[^@\s<>,;\"']+\.[a-z0-9-]{2,}", re.IGNORECASE)


def _check_show(show: Channel, origin: str) -> None:
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
    names = _language_names()
    fixed = tag.strip().replace("_", "-")
    primary, _, rest = fixed.partition("-")
    if _LANGUAGE_TAG.fullmatch(fixed) and primary.lower() in names:
        return None if fixed == tag else f'is not a language tag: write "{fixed}"'
    guess = _language_code_for(primary.lower(), tag)
    if guess:
        return f'is not a language tag: write "{guess}{"-" + rest if rest else ""}"'
    return ('is not a language tag: write a code like "en", "de" or "en-GB" '
            "(ISO 639-1, with a region if you like)")


def _language_code_for(code: str, text: str) -> str | None:
    """The ISO 639-1 code a user meant: ``deu`` or ``ger`` → ``de``; "German" → ``de``."""
    from babel.core import get_global

    aliases: Mapping[str, str] = get_global("language_aliases")
    if code in aliases and "_" not in aliases[code]:
        return aliases[code]
    by_name = {name.lower(): code for code, name in _language_names().items() if "_" not in code}
    return next((by_name[word] for word in re.findall(r"\w+", text.lower()) if word in by_name),
                None)


def _language_names() -> Mapping[str, str]:
    """Language code → English name, from CLDR (babel comes with trafilatura)."""
    from babel import Locale

    names: Mapping[str, str] = Locale("en").languages
    return names


def _language_name(tag: str) -> str:
    """``de-AT`` → ``German``; the tag itself when CLDR does not know it."""
    return _language_names().get(_primary(tag), tag)


def _primary(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()


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


# --- a chosen voice that does not speak the article's language -----------------------

_VOICE_LANGUAGE = re.compile(r"([a-z]{2,3})_[A-Z]{2}-|[a-z]{3}/([a-z]{2,3})\b")
"""A voice id that names its language: Piper's ``de_DE-thorsten-medium``, espeak-ng's
``gmw/de``, ``roa/fr-BE``."""


def voice_warning(settings: Settings, profile: VoiceProfile, language: str) -> str:
    """A warning when the voice the user chose is for another language than the
    article's, naming the article's language and a voice that fits; "" otherwise.

    The automatic choice (no voice set, or ``default``) always fits; when it is
    espeak-ng, the warning names the natural voice to install."""
    if settings.voice in (None, "", "default"):
        return _natural_voice_warning(settings, profile, language)
    named = _VOICE_LANGUAGE.match(profile.voice) or _VOICE_LANGUAGE.match(
        Path(profile.voice).name)
    speaks = next(filter(None, named.groups())) if named else _primary(profile.language)
    wanted = _primary(language)
    if not wanted or wanted == speaks:
        return ""
    from listen.sound.voices import list_profiles, load_profile

    fitting = [p.name for p in list_profiles(settings.voices_dir, settings.voices_folder)
               if _primary(p.language) == wanted]
    article_language, voice_language = _language_name(language), _language_name(speaks)
    default = load_profile(None, language, settings.voices_dir, settings.voices_folder)
    if fitting and default.engine != "piper":  # the user's own profile beats espeak-ng
        advice = (f'set voice = "{fitting[0]}" in [render] of listen.toml, or give --voice '
                  f"{fitting[0]}")
    else:
        advice = ("leave voice unset (no --voice, no voice in listen.toml): the default for "
                  f"{article_language} is {default.name!r}")
        natural = _natural_voice(settings, default, language)
        advice += f" (for a natural voice, {natural})" if natural else ""
    return (f"the voice {profile.name!r} speaks {voice_language}, but the article is in "
            f"{article_language} ({language}): it is read with {voice_language} rules "
            f"and sounds; {advice}")


def _natural_voice(settings: Settings, profile: VoiceProfile, language: str) -> str:
    """What to run for a natural voice when the automatic choice is espeak-ng ("" when
    it is not, or when Piper has none for the language)."""
    if profile.engine != "pyttsx3" or profile.name == "default":  # a default.toml is chosen
        return ""
    from listen.sound.voices import install_suggestion

    return install_suggestion(language, settings.voices_url, settings.voices_folder)


def _natural_voice_warning(settings: Settings, profile: VoiceProfile, language: str) -> str:
    """When the automatic choice fell back to espeak-ng: which voice read the article,
    and the command that installs a natural one ("" when Piper has none to offer)."""
    command = _natural_voice(settings, profile, language)
    if not command:
        return ""
    name = _language_name(language or "en")
    return (f"no natural voice for {name} is installed: the article was read by espeak-ng "
            f"({profile.name!r}), which listeners find harder to follow; for a natural "
            f"voice, {command}")
