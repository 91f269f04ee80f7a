"""The engines, against the real libraries: espeak-ng through pyttsx3, Piper, tones."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import wave
from pathlib import Path

import pytest
from mutagen.id3 import ID3

import needs
from listen.errors import ConfigError, EngineError, UnknownVoice
from listen.models import VoiceProfile
from listen.sound.engines import engine_names, get_engine
from listen.sound.engines._guard import Watchdog
from listen.sound.engines.piper import PiperEngine
from listen.sound.engines.pyttsx3 import Pyttsx3Engine, espeak_library
from listen.sound.engines.tone import SAMPLE_RATE, ToneEngine, expected_samples

SENTENCE = "The night train to Vienna leaves at nine, and by midnight the carriage is asleep."
needs_piper = needs.needs_piper()


def espeak(voice: str = "gmw/en-us", rate: float = 1.0) -> VoiceProfile:
    return VoiceProfile(name="test", engine="pyttsx3", voice=voice, rate=rate)


def joe(voice: str = "", rate: float = 1.0) -> VoiceProfile:
    return VoiceProfile(name="test", engine="piper", voice=voice, rate=rate)


def write_wav(path: Path, pcm: bytes) -> Path:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(22050)
        wav.writeframes(pcm)
    return path


# --- registry -------------------------------------------------------------------------


def test_built_in_engines_register_through_entry_points() -> None:
    assert {"pyttsx3", "piper", "tone"} <= set(engine_names())
    assert get_engine("tone") is ToneEngine
    assert get_engine("pyttsx3") is Pyttsx3Engine


def test_a_wrong_engine_name_lists_the_valid_ones() -> None:
    with pytest.raises(ConfigError, match="pyttsx3") as caught:
        get_engine("festival")
    assert "festival" in str(caught.value) and "tone" in str(caught.value)


def test_importing_the_engines_imports_no_speech_library() -> None:
    code = (
        "import sys, listen.sound.engines, listen.sound.voices\n"
        "import listen.sound.synth, listen.sound.cache\n"
        "from listen.sound.engines import get_engine\n"
        "[get_engine(n) for n in ('pyttsx3', 'piper', 'tone')]\n"
        "print(sorted(m for m in ('pyttsx3', 'piper', 'onnxruntime') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- tone -----------------------------------------------------------------------------


def test_tone_lasts_exactly_sixty_ms_per_character() -> None:
    audio = ToneEngine().synthesize("Hello there, world.", VoiceProfile("t", "tone"))
    assert (audio.frame_rate, audio.channels, audio.sample_width) == (SAMPLE_RATE, 1, 2)
    assert int(audio.frame_count()) == expected_samples("Hello there, world.")
    assert len(audio) == 19 * 60


def test_tone_is_deterministic_and_follows_the_rate() -> None:
    engine = ToneEngine()
    first = engine.synthesize("two words", VoiceProfile("t", "tone"))
    assert first.raw_data == engine.synthesize("two words", VoiceProfile("t", "tone")).raw_data
    fast = engine.synthesize("two words", VoiceProfile("t", "tone", rate=2.0))
    assert int(fast.frame_count()) == expected_samples("two words", 2.0)
    assert fast.duration_seconds == pytest.approx(first.duration_seconds / 2, abs=0.001)


def test_tone_words_are_loud_and_spaces_silent() -> None:
    audio = ToneEngine().synthesize("ab cd", VoiceProfile("t", "tone"))
    word, space = audio[0:120], audio[125:175]
    assert word.dBFS > -20
    assert space.rms == 0


# --- pyttsx3 / espeak-ng ----------------------------------------------------------------


def test_espeak_speaks_a_sentence_of_plausible_length() -> None:
    audio = Pyttsx3Engine().synthesize(SENTENCE, espeak())
    assert (audio.frame_rate, audio.channels) == (22050, 1)
    assert 3.0 < audio.duration_seconds < 8.0
    assert audio.dBFS > -30


def test_espeak_rate_two_halves_the_duration() -> None:
    engine = Pyttsx3Engine()
    normal = engine.synthesize(SENTENCE, espeak()).duration_seconds
    fast = engine.synthesize(SENTENCE, espeak(rate=2.0)).duration_seconds
    again = engine.synthesize(SENTENCE, espeak()).duration_seconds
    assert 0.4 < fast / normal < 0.62
    assert again == pytest.approx(normal, rel=0.02)


def test_espeak_applies_the_rate_from_the_first_call_of_a_process() -> None:
    # pyttsx3 2.99 dropped the rate in about one process of three (see _apply_to_espeak).
    code = (
        "from listen.sound.engines.pyttsx3 import Pyttsx3Engine\n"
        "from listen.models import VoiceProfile as V\n"
        "e = Pyttsx3Engine(); t = 'Guten Tag, wie geht es Ihnen heute Abend?'\n"
        "d = [e.synthesize(t, V('x', 'pyttsx3', language='de', rate=r)).duration_seconds"
        " for r in (1.0, 2.0, 1.0)]\n"
        "print(d[0] / d[2], d[1] / d[2])"
    )
    for _run in range(3):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True)
        first, fast = map(float, out.stdout.split())
        assert first == pytest.approx(1.0, abs=0.02)
        assert fast < 0.65


def test_espeak_says_nothing_on_stdout(capfd: pytest.CaptureFixture[str]) -> None:
    Pyttsx3Engine().synthesize("Quiet, please.", espeak())
    out, _err = capfd.readouterr()
    assert out == ""


def test_espeak_lists_voices_with_their_language() -> None:
    voices = {voice.id: voice for voice in Pyttsx3Engine().voices()}
    assert voices["gmw/en-us"].language == "en-us"
    assert voices["gmw/de"].language == "de"
    assert len(voices) > 50


@pytest.mark.parametrize(("language", "voice"), [("de", "gmw/de"), ("en-GB", "gmw/en"),
                                                 ("en-US", "gmw/en-us"), ("fr", "roa/fr")])
def test_espeak_speaks_with_the_voice_of_the_profile_language(language: str, voice: str) -> None:
    """What espeak says in a language is what its voice for that language says
    (takes are byte-identical for the same voice), and not what the others say."""
    engine = Pyttsx3Engine()
    by_language = engine.synthesize("Guten Tag.", VoiceProfile("x", "pyttsx3", language=language))
    assert by_language.raw_data == engine.synthesize("Guten Tag.", espeak(voice)).raw_data
    others = {"gmw/de", "gmw/en", "gmw/en-us", "roa/fr"} - {voice}
    for other in sorted(others):
        assert by_language.raw_data != engine.synthesize("Guten Tag.", espeak(other)).raw_data


def test_espeak_refuses_an_unknown_voice_by_name() -> None:
    with pytest.raises(UnknownVoice, match="no-such-voice"):
        Pyttsx3Engine().synthesize("Hello.", espeak(voice="no-such-voice"))
    with pytest.raises(UnknownVoice, match="tlh"):
        Pyttsx3Engine().synthesize("Hello.", VoiceProfile("x", "pyttsx3", language="tlh"))


def test_espeak_refuses_text_longer_than_max_chars() -> None:
    with pytest.raises(EngineError, match="split it"):
        Pyttsx3Engine().synthesize("word " * 500, espeak())


def test_espeak_library_is_reported_and_versioned() -> None:
    path = espeak_library()
    assert Path(path).is_file() and "espeak-ng" in Path(path).name
    assert "espeak-ng 1." in Pyttsx3Engine.version()


def test_a_header_only_or_missing_wav_is_a_bad_take(tmp_path: Path) -> None:
    from listen.sound.engines.pyttsx3 import _BadTake, _read_checked

    with pytest.raises(_BadTake, match="no file"):
        _read_checked(tmp_path / "missing.wav", "Hello.", 1.0)
    with pytest.raises(_BadTake, match="no audio"):
        _read_checked(write_wav(tmp_path / "empty.wav", b""), "Hello.", 1.0)
    short = write_wav(tmp_path / "short.wav", b"\1\0" * 2205)  # 100 ms for 65 letters
    with pytest.raises(_BadTake, match="too short"):
        _read_checked(short, SENTENCE, 1.0)


def test_the_watchdog_bounds_a_hung_call() -> None:
    watchdog = Watchdog("test engine")
    started = time.monotonic()
    with pytest.raises(EngineError, match="did not finish within"):
        watchdog.run(lambda: time.sleep(2.0), 0.2)
    assert time.monotonic() - started < 1.0
    with pytest.raises(EngineError, match="still stuck"):
        watchdog.run(lambda: 1, 1.0)


# --- Piper ------------------------------------------------------------------------------


@needs_piper
def test_piper_joe_speaks_a_sentence() -> None:
    engine = PiperEngine()
    engine.prepare(joe(), threads=1)
    audio = engine.synthesize(SENTENCE, joe())
    assert (audio.frame_rate, audio.channels) == (22050, 1)
    assert 3.0 < audio.duration_seconds < 8.0
    faster = engine.synthesize(SENTENCE, joe(rate=1.5))
    # length_scale 1/1.5 shortens the phonemes; pauses at the edges shrink less.
    assert 0.6 < faster.duration_seconds / audio.duration_seconds < 0.82


@needs_piper
def test_piper_version_names_the_model_and_its_size() -> None:
    version = PiperEngine.version()
    assert "piper-tts 1." in version and "en_US-joe-medium.onnx" in version
    assert any(word.isdigit() and int(word) > 10_000_000 for word in version.split())


@needs_piper
def test_piper_refuses_a_missing_model(tmp_path: Path) -> None:
    with pytest.raises(UnknownVoice, match="no Piper model"):
        PiperEngine().synthesize("Hello.", joe(voice=str(tmp_path / "nobody.onnx")))
    with pytest.raises(UnknownVoice, match=".onnx"):
        PiperEngine().synthesize("Hello.", joe(voice="en_GB-alan-low"))


@pytest.mark.skipif(needs.HAS_PIPER, reason="checks the message shown without the piper extra")
def test_without_the_extra_piper_names_the_pip_command() -> None:
    from listen.errors import EngineUnavailable

    with pytest.raises(EngineUnavailable, match=r"pip install 'listen\[piper\]'"):
        PiperEngine.check()


# --- a third-party engine -------------------------------------------------------------

PLUGIN = '''
from listen.engines import Engine, VoiceProfile
from listen.sound.engines.tone import ToneEngine


class HumEngine(Engine):
    """A third party's engine: it imports only the public interface."""

    name = "hum"

    def synthesize(self, text: str, voice: VoiceProfile):
        return ToneEngine().synthesize(text, voice)
'''


def install_plugin(folder: Path) -> Path:
    """A package that registers ``hum`` through the ``listen.engines`` entry points."""
    (folder / "hum_engine.py").write_text(PLUGIN, encoding="utf-8")
    info = folder / "hum_engine-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: hum-engine\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[listen.engines]\nhum = hum_engine:HumEngine\n")
    return folder


def test_a_third_party_engine_registered_by_entry_point_loads_and_renders(
    tmp_path: Path, sample_article: Path
) -> None:
    (tmp_path / "plugins").mkdir()
    plugins = install_plugin(tmp_path / "plugins")
    profile = tmp_path / "hum.toml"
    profile.write_text('engine = "hum"\nlanguage = "en-US"\n', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(plugins)}
    listed = subprocess.run(
        [sys.executable, "-c", "import listen.engines as e; print(e.get_engine('hum').__name__,"
         " 'hum' in e.engine_names())"],
        capture_output=True, text=True, env=env, check=True,
    )
    assert listed.stdout.split() == ["HumEngine", "True"]
    out = tmp_path / "out"
    rendered = subprocess.run(
        [sys.executable, "-m", "listen", "render", str(sample_article), "--voice", str(profile),
         "--out", str(out), "--no-cache", "--quiet"],
        capture_output=True, text=True, env=env,
    )
    assert rendered.returncode == 0, rendered.stderr
    mp3 = Path(rendered.stdout.strip())
    assert mp3.is_file() and mp3.stat().st_size > 10_000
    assert ID3(mp3).getall("TXXX:voice")[0].text == ["hum"]
