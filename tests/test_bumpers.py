"""A publisher's intro and outro audio, named in listen.toml, framing the narration."""

from __future__ import annotations

import json
import wave
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from listen.cli import app
from listen.sound.audio import decode_mp3

PAGE = Path(__file__).parent / "pages" / "harbour-ferry.html"
JINGLE_SECONDS = 2.0


def write_jingle(path: Path, rate: int = 48000) -> None:
    """A 2-second 660 Hz chime at -6 dBFS, as a 48 kHz stereo WAV."""
    t = np.arange(int(JINGLE_SECONDS * rate)) / rate
    tone = (0.5 * np.sin(2 * np.pi * 660 * t) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(np.repeat(tone, 2).tobytes())


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    work = tmp_path_factory.mktemp("bumpers")
    write_jingle(work / "jingle.wav")
    (work / "tone.toml").write_text('engine = "tone"\n', encoding="utf-8")
    (work / "listen.toml").write_text(
        '[render]\nintro_audio = "jingle.wav"\noutro_audio = "jingle.wav"\n', encoding="utf-8")
    result = CliRunner().invoke(app, [
        "render", str(PAGE), "--config", str(work / "listen.toml"),
        "--voice", str(work / "tone.toml"), "--out", str(work / "out"),
        "--cache", str(work / "cache")])
    assert result.exit_code == 0, result.stderr
    mp3 = Path(result.stdout.strip())
    return mp3, mp3.with_suffix(".vtt")


def rms_db(samples: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(samples.astype(np.float64) ** 2)) + 1e-12))


def test_the_jingle_opens_and_closes_the_programme(rendered: tuple[Path, Path]) -> None:
    mp3, _ = rendered
    samples, rate = decode_mp3(mp3)
    opening = samples[int(0.6 * rate): int(1.2 * rate)]
    closing = samples[-int(1.4 * rate): -int(0.8 * rate)]
    spectrum = np.abs(np.fft.rfft(opening))
    assert np.argmax(spectrum) * rate / len(opening) == pytest.approx(660, abs=5)
    assert rms_db(opening) > -30 and rms_db(closing) > -30


def test_the_jingle_fades_in(rendered: tuple[Path, Path]) -> None:
    mp3, _ = rendered
    samples, rate = decode_mp3(mp3)
    first = np.abs(samples[: int(0.02 * rate)]).max()
    middle = np.abs(samples[int(0.8 * rate): int(1.0 * rate)]).max()
    assert first < 0.2 * middle, "the jingle starts abruptly instead of fading in"


def test_cues_and_chapters_start_after_the_jingle(rendered: tuple[Path, Path]) -> None:
    mp3, vtt = rendered
    first_cue = vtt.read_text(encoding="utf-8").split("\n\n")[1].splitlines()[1]
    start = first_cue.split(" --> ")[0]
    hours, minutes, seconds = start.split(":")
    assert float(seconds) + 60 * int(minutes) >= JINGLE_SECONDS
    chapters = json.loads(mp3.with_suffix(".chapters.json").read_text(encoding="utf-8"))
    assert chapters["chapters"][0]["startTime"] == 0
