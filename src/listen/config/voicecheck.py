"""A chosen voice that does not speak the article's language, or an article read by
espeak-ng where a natural voice could be installed: the warning that says so."""

from __future__ import annotations

import re
from pathlib import Path

from listen.config.languages import language_name, primary_language
from listen.config.settings import Settings
from listen.models import VoiceProfile

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
    speaks = next(filter(None, named.groups())) if named else primary_language(profile.language)
    wanted = primary_language(language)
    if not wanted or wanted == speaks:
        return ""
    from listen.sound.voices import list_profiles, load_profile

    fitting = [p.name for p in list_profiles(settings.voices_dir, settings.voices_folder)
               if primary_language(p.language) == wanted]
    article_language, voice_language = language_name(language), language_name(speaks)
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
    name = language_name(language or "en")
    return (f"no natural voice for {name} is installed: the article was read by espeak-ng "
            f"({profile.name!r}), which listeners find harder to follow; for a natural "
            f"voice, {command}")
