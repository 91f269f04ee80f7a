"""Piper's voice catalogue: reading voices.json, choosing the voice for a language,
finding a voice by what a user types, and the cached copy."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from listen.errors import DownloadError, UnknownVoice
from listen.sound.catalogue import (
    Catalogue,
    cached_catalogue,
    catalogue_base,
    find_voice,
    for_language,
    load_catalogue,
    parse_catalogue,
)
from listen.sound.languages import fit, primary, region, usual_region
from localweb import serve

NOW = datetime(2026, 11, 5, tzinfo=timezone.utc)


def entry(key: str, *, speakers: int = 1, aliases: tuple[str, ...] = (),
          country: str = "", files: bool = True) -> dict[str, object]:
    """A voices.json entry in Piper's layout."""
    code, name, quality = key.split("-")
    family, area = code.split("_")
    names = {"de": "German", "pt": "Portuguese", "en": "English", "fr": "French"}
    folder = f"{family}/{code}/{name}/{quality}"
    return {
        "key": key, "name": name, "quality": quality, "num_speakers": speakers,
        "speaker_id_map": {}, "aliases": list(aliases),
        "language": {"code": code, "family": family, "region": area,
                     "name_native": names[family], "name_english": names[family],
                     "country_english": country},
        "files": {
            f"{folder}/{key}.onnx": {"size_bytes": 60_000_000, "md5_digest": "0" * 32},
            f"{folder}/{key}.onnx.json": {"size_bytes": 5_000, "md5_digest": "1" * 32},
            f"{folder}/MODEL_CARD": {"size_bytes": 300, "md5_digest": "2" * 32},
        } if files else {},
    }


KEYS = ["de_DE-thorsten-low", "de_DE-thorsten-high", "de_DE-thorsten-medium",
        "de_DE-kerstin-low", "pt_PT-tugão-medium", "pt_BR-faber-medium", "pt_BR-edresson-low",
        "en_GB-alba-medium", "en_US-lessac-medium", "en_US-amy-medium", "fr_FR-siwis-medium"]


def catalogue_json(**extra: dict[str, object]) -> bytes:
    entries = {key: entry(key) for key in KEYS}
    entries["de_DE-mls-medium"] = entry("de_DE-mls-medium", speakers=236)
    entries["de_DE-thorsten-medium"] = entry("de_DE-thorsten-medium",
                                             aliases=("de-thorsten-medium",), country="Germany")
    entries.update(extra)
    return json.dumps(entries, ensure_ascii=False).encode()


@pytest.fixture
def catalogue() -> Catalogue:
    return Catalogue("https://mirror.example/piper/", NOW, parse_catalogue(catalogue_json(), "t"))


# --- languages ---------------------------------------------------------------------------

@pytest.mark.parametrize(("tag", "code", "area", "usual"), [
    ("pt-BR", "pt", "BR", "BR"), ("pt_br", "pt", "BR", "BR"), ("pt", "pt", "", "BR"),
    ("de", "de", "", "DE"), ("en", "en", "", "US"), ("zh-Hans-CN", "zh", "CN", "CN"),
    ("es-419", "es", "419", "419"), ("nb", "no", "", "NO"), ("", "", "", ""),
])
def test_language_tags_in_any_spelling(tag: str, code: str, area: str, usual: str) -> None:
    assert (primary(tag), region(tag), usual_region(tag)) == (code, area, usual)


def test_a_voice_fits_its_region_first() -> None:
    assert fit("pt_BR", "pt-BR") == 0 and fit("pt_PT", "pt-BR") == 1
    assert fit("pt_BR", "pt") == 0  # most Portuguese speakers live in Brazil (CLDR)
    assert fit("en_GB", "en-GB") == 0 and fit("en_US", "en-GB") == 1
    assert fit("de", "de-AT") == 0  # a voice that names no region suits every region
    assert fit("de_DE", "fr") is None and fit("de_DE", "") is None


# --- reading voices.json -----------------------------------------------------------------

def test_every_voice_with_a_model_and_config_is_read(catalogue: Catalogue) -> None:
    thorsten = next(v for v in catalogue.voices if v.key == "de_DE-thorsten-medium")
    assert (thorsten.name, thorsten.language, thorsten.quality) == ("thorsten", "de_DE", "medium")
    assert thorsten.model.path == "de/de_DE/thorsten/medium/de_DE-thorsten-medium.onnx"
    assert thorsten.config.path == thorsten.model.path + ".json"
    assert (thorsten.model.size, thorsten.config.md5) == (60_000_000, "1" * 32)
    assert thorsten.card is not None and thorsten.card.path.endswith("medium/MODEL_CARD")
    assert thorsten.size == 60_005_300
    assert thorsten.described == "German (Germany), medium quality, 60.0 MB"
    assert catalogue.languages() == 4


def test_entries_that_cannot_be_installed_are_left_out() -> None:
    escaping = entry("de_DE-evil-medium")
    escaping["files"] = {"../../etc/x.onnx": {"size_bytes": 1, "md5_digest": ""},
                         "../../etc/x.onnx.json": {"size_bytes": 1, "md5_digest": ""}}
    data = catalogue_json(**{"de_DE-nofiles-medium": entry("de_DE-nofiles-medium", files=False),
                             "../outside": entry("de_DE-outside-medium"),
                             "de_DE-evil-medium": escaping})
    keys = {voice.key for voice in parse_catalogue(data, "t")}
    assert keys == set(KEYS) | {"de_DE-mls-medium"}


@pytest.mark.parametrize("data", [b"<html>404</html>", b"[1, 2]"])
def test_something_else_than_a_catalogue_is_an_error(data: bytes) -> None:
    with pytest.raises(DownloadError, match="is not a (Piper )?voice catalogue"):
        parse_catalogue(data, "https://mirror.example/voices.json")


def test_the_base_may_be_an_address_or_a_folder() -> None:
    assert catalogue_base("") == "https://huggingface.co/rhasspy/piper-voices/resolve/main/"
    assert catalogue_base("https://mirror.example/piper") == "https://mirror.example/piper/"
    assert catalogue_base("/srv/piper-voices") == "/srv/piper-voices"


# --- choosing ----------------------------------------------------------------------------

def test_the_best_voice_for_a_language(catalogue: Catalogue) -> None:
    german = [voice.key for voice in for_language(catalogue.voices, "de")]
    # the well-known voice, then one speaker before many, medium, high, low, then by name
    assert german == ["de_DE-thorsten-medium", "de_DE-thorsten-high", "de_DE-kerstin-low",
                      "de_DE-thorsten-low", "de_DE-mls-medium"]


@pytest.mark.parametrize(("language", "best"), [
    ("pt-BR", "pt_BR-faber-medium"), ("pt-PT", "pt_PT-tugão-medium"),
    ("pt", "pt_BR-faber-medium"), ("en-GB", "en_GB-alba-medium"),
    ("en", "en_US-lessac-medium"), ("en-AU", "en_US-lessac-medium"),
    ("fr-CA", "fr_FR-siwis-medium"),
])
def test_region_first(catalogue: Catalogue, language: str, best: str) -> None:
    assert for_language(catalogue.voices, language)[0].key == best


@pytest.mark.parametrize(("typed", "key"), [
    ("de_DE-thorsten-high", "de_DE-thorsten-high"),   # a key
    ("DE_de-Thorsten-High", "de_DE-thorsten-high"),   # in any case
    ("de-thorsten-medium", "de_DE-thorsten-medium"),  # an old name Piper keeps as an alias
    ("de", "de_DE-thorsten-medium"),                  # a language: its best voice
    ("pt-BR", "pt_BR-faber-medium"), ("pt_pt", "pt_PT-tugão-medium"),
    ("German", "de_DE-thorsten-medium"),              # a language by name
    ("thorsten", "de_DE-thorsten-medium"),            # a speaker: the best quality
    ("tugão", "pt_PT-tugão-medium"),
])
def test_find_a_voice_by_what_a_user_types(catalogue: Catalogue, typed: str, key: str) -> None:
    assert find_voice(catalogue, typed).key == key


@pytest.mark.parametrize(("typed", "suggested"), [
    ("de_DE-thorsten-hihg", "de_DE-thorsten-high"), ("Germn", "German"), ("xx", ""),
])
def test_a_name_the_catalogue_lacks_is_an_error_with_a_suggestion(
    catalogue: Catalogue, typed: str, suggested: str
) -> None:
    """A mistyped key never installs another voice of the same language."""
    with pytest.raises(UnknownVoice, match=f"no voice or language '{typed}'") as caught:
        find_voice(catalogue, typed)
    assert "listen voices --available" in str(caught.value)
    assert suggested in str(caught.value)


# --- fetching and the cached copy --------------------------------------------------------

def test_the_catalogue_is_fetched_once_a_day_and_kept(tmp_path: Path) -> None:
    routes = {"/piper/voices.json": ("application/json", catalogue_json())}
    with serve(routes) as site:
        first = load_catalogue(f"{site.url}/piper", tmp_path)
        again = load_catalogue(f"{site.url}/piper", tmp_path)
        refreshed = load_catalogue(f"{site.url}/piper/", tmp_path, refresh=True)
        assert site.requests == ["/piper/voices.json", "/piper/voices.json"]
    assert first.base == f"{site.url}/piper/" and not first.note
    assert len(first.voices) == len(again.voices) == len(refreshed.voices) == 12
    assert datetime.now(timezone.utc) - first.fetched < timedelta(minutes=1)
    offline = cached_catalogue(f"{site.url}/piper", tmp_path)
    assert offline is not None and offline.fetched == refreshed.fetched


def test_an_unreachable_catalogue_falls_back_to_the_copy_kept(tmp_path: Path) -> None:
    with serve({"/voices.json": ("application/json", catalogue_json())}) as site:
        load_catalogue(site.url, tmp_path)
    old = load_catalogue(site.url, tmp_path, refresh=True)  # the server is gone
    assert len(old.voices) == 12 and "cannot connect" in old.note
    with pytest.raises(DownloadError, match="cannot connect"):
        load_catalogue(site.url, tmp_path / "elsewhere")  # no copy to fall back on


def test_a_wrong_catalogue_address_says_which_setting_to_fix(tmp_path: Path) -> None:
    with serve({}) as site, pytest.raises(DownloadError) as caught:
        load_catalogue(f"{site.url}/nowhere/", tmp_path)
    assert "HTTP 404" in str(caught.value) and "[voices] catalogue" in str(caught.value)


def test_a_mirror_and_pipers_own_catalogue_are_kept_apart(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "voices.json").write_bytes(catalogue_json())
    load_catalogue(str(mirror), tmp_path)
    assert cached_catalogue(str(mirror), tmp_path) is not None
    assert cached_catalogue("", tmp_path) is None
