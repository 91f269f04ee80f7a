"""listen.toml, the environment and options, in that order of strength."""

from __future__ import annotations

from pathlib import Path

import pytest

from listen.config import channel_for, load_settings
from listen.errors import ConfigError
from listen.models import Article, SiteRule

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
