"""listen.toml, the environment and options, in that order of strength."""

from __future__ import annotations

from pathlib import Path

import pytest

from listen.config import (
    UNNAMED_SHOW,
    Settings,
    channel_for,
    load_settings,
    show_title,
    voice_warning,
)
from listen.errors import ConfigError
from listen.models import Article, SiteRule, VoiceProfile
from listen.sound.voices import load_profile

TOML = """
[show]
title = "The Ledger, read aloud"
owner_email = "audio@ledger.example"
base_url = "https://cdn.ledger.example/audio/"
category = "News"

[render]
voice = "espeak-en-gb"
outro = false
intro_audio = "jingle.wav"

[lexicon]
"Nguyen" = "Nwin"

[sites."ledger.example"]
keep = ["article .entry"]
skip = [".promo", ".paywall"]
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "listen.toml"
    path.write_text(TOML, encoding="utf-8")
    return path


def test_file_values_are_read(config: Path) -> None:
    settings = load_settings(config)
    assert settings.voice == "espeak-en-gb"
    assert settings.outro is False
    assert settings.show.base_url == "https://cdn.ledger.example/audio/"
    assert settings.lexicon == {"Nguyen": "Nwin"}
    assert settings.sites["ledger.example"] == SiteRule(("article .entry",),
                                                        (".promo", ".paywall"))


def test_paths_are_relative_to_the_config_file(config: Path) -> None:
    assert load_settings(config).intro_audio == config.parent / "jingle.wav"


def test_environment_beats_file_and_option_beats_environment(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LISTEN_VOICE", "joe")
    monkeypatch.setenv("LISTEN_BASE_URL", "https://env.example/")
    assert load_settings(config).voice == "joe"
    assert load_settings(config).show.base_url == "https://env.example/"
    assert load_settings(config, voice="espeak-en-us").voice == "espeak-en-us"


def test_found_in_the_current_folder(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(config.parent)
    assert load_settings().config_path == config.parent / "listen.toml"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[show]\ntitel = 'x'\n", "unknown key 'titel' in [show]"),
        ("[render]\nvoise = 'x'\n", "unknown key 'voise' in [render]"),
        ("[shows]\n", "unknown section 'shows'"),
        ("[show\n", "is not valid TOML"),
        ("[render]\nbitrate = 'fast'\n", "bitrate = 'fast' is not a valid int"),
        ('[sites."a.example"]\nkeep = 3\n', "keep must be a list of CSS selectors"),
    ],
)
def test_mistakes_are_named(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "listen.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_settings(path)


def test_missing_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.toml")


def test_channel_defaults_come_from_the_article_with_warnings() -> None:
    article = Article(title="T", blocks=(), site="The Ledger", language="de",
                      url="https://ledger.example/news/t")
    channel, warnings = channel_for(load_settings(), article, "cover.jpg")
    assert channel.title == "The Ledger"
    assert channel.language == "de"
    assert channel.category == "News"
    assert channel.link == "https://ledger.example/"
    assert channel.image == "cover.jpg"
    assert any("base_url" in w for w in warnings)
    assert any("[show] title" in w for w in warnings)


def test_channel_from_config_has_no_title_warning(config: Path) -> None:
    article = Article(title="T", blocks=(), site="The Ledger")
    channel, warnings = channel_for(load_settings(config), article, "cover.jpg")
    assert channel.title == "The Ledger, read aloud"
    assert warnings == []


def test_a_bad_environment_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LISTEN_JOBS", "many")
    with pytest.raises(ConfigError, match="LISTEN_JOBS: jobs = 'many' is not a valid int"):
        load_settings()


def test_a_bitrate_mp3_cannot_carry_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "listen.toml"
    path.write_text("[render]\nbitrate = 65\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not an MP3 bitrate; choose one of 32, 40"):
        load_settings(path)


# --- [show] values that would make a feed directories refuse ---------------------------

@pytest.mark.parametrize(
    ("line", "says"),
    [
        ('language = "english please"', ('[show] language = \'english please\'',
                                         'is not a language tag', 'write "en"')),
        ('language = "en_GB"', ("[show] language = 'en_GB'", 'write "en-GB"')),
        ('language = "xx"', ("is not a language tag", '"en", "de" or "en-GB"')),
        ('owner_email = "audio desk"', ("[show] owner_email = 'audio desk'",
                                        "is not an e-mail address", "audio@example.com")),
        ('owner_email = "Desk <desk@ledger.example>"', ("is not an e-mail address",
                                                        "the address alone")),
        ('base_url = "cdn.example/audio"', ("[show] base_url = 'cdn.example/audio'",
                                            "does not start with https://",
                                            '"https://cdn.example/audio"')),
        ('base_url = "ftp://cdn.example/audio/"', ("is not a web address", "not ftp://")),
        ('link = "ledger.example"', ("[show] link = 'ledger.example'", "https://")),
        ('image = "show-art.png"', ("[show] image", "show-art.png",
                                    "is neither an https:// address nor a file", "JPEG or PNG")),
        ('image = "file:///srv/art.png"', ("[show] image", "not file://", "local JPEG or PNG")),
    ],
)
def test_show_values_a_directory_would_refuse_are_named(
    tmp_path: Path, line: str, says: tuple[str, ...]
) -> None:
    path = tmp_path / "listen.toml"
    path.write_text(f"[show]\n{line}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert message.startswith(str(path)), message
    for words in says:
        assert words in message, message


@pytest.mark.parametrize("line", ['language = "en-GB"', 'language = "pt-br"',
                                  'owner_email = "audio@ledger.example"',
                                  'base_url = "http://localhost:8000/audio/"',
                                  'link = "https://ledger.example/"',
                                  'image = "https://cdn.ledger.example/show.jpg"'])
def test_good_show_values_pass(tmp_path: Path, line: str) -> None:
    path = tmp_path / "listen.toml"
    path.write_text(f"[show]\n{line}\n", encoding="utf-8")
    load_settings(path)


def test_a_local_show_image_is_relative_to_the_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "art").mkdir()
    (tmp_path / "art" / "show.png").write_bytes(b"checked when rendering")
    path = tmp_path / "listen.toml"
    path.write_text('[show]\nimage = "art/show.png"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path / "art")  # not where the file is looked for
    assert load_settings(path).show.image == str(tmp_path / "art" / "show.png")


def test_a_bad_base_url_from_the_environment_or_option_names_where_it_came_from(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LISTEN_BASE_URL", "cdn.example/audio")
    with pytest.raises(ConfigError, match=r"^LISTEN_BASE_URL='cdn.example/audio' does not"):
        load_settings()
    monkeypatch.delenv("LISTEN_BASE_URL")
    with pytest.raises(ConfigError, match=r"^--base-url 'cdn.example' does not start with"):
        load_settings(**{"show.base_url": "cdn.example"})


def test_offline_and_lead_images_are_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (load_settings().offline, load_settings().fetch_images) == (False, None)
    path = tmp_path / "listen.toml"
    path.write_text("[render]\noffline = true\nfetch_images = true\n", encoding="utf-8")
    assert (load_settings(path).offline, load_settings(path).fetch_images) == (True, True)
    assert load_settings(path, fetch_images=False).fetch_images is False
    monkeypatch.setenv("LISTEN_OFFLINE", "1")
    assert load_settings().offline is True


# --- the show's name when listen.toml gives none -------------------------------------

def test_a_page_without_a_site_name_gives_the_feed_its_host_name() -> None:
    article = Article(title="T", blocks=(), language="en")
    channel, warnings = channel_for(load_settings(), article, "cover.jpg",
                                    "https://www.millbrook-news.example/river/weir")
    assert channel.title == "millbrook-news.example"
    assert channel.link == "https://www.millbrook-news.example/"
    assert channel.description == "Articles from millbrook-news.example, read aloud."
    (title_warning,) = [w for w in warnings if "title" in w]
    assert '"millbrook-news.example"' in title_warning and "[show] title" in title_warning
    assert show_title(load_settings(), article, "https://news.example/a") == "news.example"


def test_a_canonical_url_names_the_show_before_the_address_fetched() -> None:
    article = Article(title="T", blocks=(), url="https://ledger.example/a")
    channel, _ = channel_for(load_settings(), article, "cover.jpg", "https://mirror.example/a")
    assert channel.title == "ledger.example"


def test_a_page_with_no_name_and_no_address_is_not_titled_listen() -> None:
    article = Article(title="T", blocks=())
    channel, warnings = channel_for(load_settings(), article, "cover.jpg")
    assert channel.title == UNNAMED_SHOW != "listen"
    assert channel.description == "Articles, read aloud."
    assert any("[show] title" in w and "no site" in w for w in warnings)


def test_the_show_title_wins_over_site_and_host(config: Path) -> None:
    article = Article(title="T", blocks=(), site="Ledger Online", url="https://ledger.example/")
    assert show_title(load_settings(config), article) == "The Ledger, read aloud"
    assert show_title(load_settings(), article) == "Ledger Online"


# --- a chosen voice for another language --------------------------------------------

def test_a_chosen_english_voice_on_a_german_article_is_warned_about() -> None:
    settings = load_settings(voice="espeak-en-us")
    warning = voice_warning(settings, load_profile("espeak-en-us"), "de-DE")
    assert "'espeak-en-us' speaks English" in warning
    assert "the article is in German (de-DE)" in warning
    assert "the default for German is 'espeak-de'" in warning


def test_the_warning_names_what_the_default_would_read_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The warning and the default agree: an installed German voice is named, else
    espeak-ng's, with the natural voice to install."""
    import listen.sound.voices

    monkeypatch.setattr(listen.sound.voices, "piper_installed", lambda: True)
    settings = load_settings(voice="espeak-en-us", voices_folder=tmp_path)
    english = load_profile("espeak-en-us")
    assert voice_warning(settings, english, "de").endswith(
        "the default for German is 'espeak-de' (for a natural voice, run `listen voices "
        "install de` (de_DE-thorsten-medium))")
    (tmp_path / "de_DE-eva_k-x_low.onnx").write_bytes(b"model")
    (tmp_path / "de_DE-eva_k-x_low.toml").write_text(
        'engine = "piper"\nvoice = "de_DE-eva_k-x_low.onnx"\nlanguage = "de-DE"\n',
        encoding="utf-8")
    assert voice_warning(settings, english, "de").endswith(
        "the default for German is 'de_DE-eva_k-x_low'")


def test_the_warning_names_a_profile_that_fits(tmp_path: Path) -> None:
    (tmp_path / "heidi.toml").write_text('engine = "pyttsx3"\nlanguage = "de-AT"\n',
                                         encoding="utf-8")
    settings = load_settings(voice="espeak-en-gb", voices_dir=tmp_path)
    warning = voice_warning(settings, load_profile("espeak-en-gb", user_dir=tmp_path), "de")
    assert 'set voice = "heidi"' in warning and "--voice heidi" in warning


def test_no_voice_warning_when_the_voice_fits_or_was_not_chosen() -> None:
    english = load_profile("espeak-en-us")
    assert voice_warning(load_settings(voice="espeak-en-us"), english, "en-GB") == ""
    # the default's own choice is never called the wrong language
    assert "speaks" not in voice_warning(load_settings(), english, "de")
    assert "speaks" not in voice_warning(load_settings(voice="default"), english, "de")


@pytest.mark.parametrize(("engine", "voice"), [("piper", "/models/de_DE-thorsten-medium.onnx"),
                                               ("pyttsx3", "gmw/de")])
def test_a_voice_is_known_by_its_name_even_without_a_language_key(
    engine: str, voice: str
) -> None:
    german = VoiceProfile("german", engine, voice=voice)  # language left at its default, en
    settings = load_settings(voice="german")
    assert voice_warning(settings, german, "de") == ""
    assert "speaks German" in voice_warning(settings, german, "fr")


# --- [voices]: where Piper voices come from and go -----------------------------------

def test_voices_settings_from_listen_toml_are_relative_to_it(tmp_path: Path) -> None:
    path = tmp_path / "listen.toml"
    path.write_text('[voices]\ncatalogue = "mirror/piper"\nfolder = "voices"\n',
                    encoding="utf-8")
    settings = load_settings(path)
    assert settings.voices_url == str(tmp_path / "mirror" / "piper")
    assert settings.voices_folder == tmp_path / "voices"
    path.write_text('[voices]\ncatalogue = "https://mirror.example/piper/"\n', encoding="utf-8")
    assert load_settings(path).voices_url == "https://mirror.example/piper/"


def test_the_environment_overrides_listen_toml_for_voices(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "listen.toml"
    path.write_text('[voices]\ncatalogue = "https://a.example/"\n', encoding="utf-8")
    monkeypatch.setenv("LISTEN_VOICES_URL", "https://b.example/piper/")
    monkeypatch.setenv("LISTEN_VOICES_FOLDER", str(tmp_path / "v"))
    settings = load_settings(path)
    assert (settings.voices_url, settings.voices_folder) == ("https://b.example/piper/",
                                                             tmp_path / "v")
    assert (Settings().voices_url, Settings().voices_folder) == ("", None)


def test_an_unknown_voices_key_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "listen.toml"
    path.write_text('[voices]\nurl = "https://a.example/"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown key 'url' in \[voices\]; valid keys: "
                                          "catalogue, folder"):
        load_settings(path)
