"""A voice per part of the article: a profile's ``[parts]`` and ``[render.parts]``.

The render test uses the real CLI, Joe (Piper) and espeak-ng, and checks the MP3 from
outside: ffmpeg decodes it and pyloudnorm meters each voice's spans.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
from typer.testing import CliRunner

from listen.cli import app
from listen.config import load_settings
from listen.errors import ConfigError
from listen.models import Cue
from listen.sound.voices import load_profile
from test_sample_render import RATE, decode, parse_vtt

ARTICLE = Path(__file__).parent / "fixtures" / "two-voices.html"
QUOTES = (
    "The wind took the shutters before midnight, and the lamp burned on without them "
    "until the morning boat came round the point.",
    "Fog all day.", "Three fishing boats in before dark.",
    "Trimmed the wick twice and read until the bell at ten.",
)


def test_the_shipped_example_reads_quotes_in_a_second_voice() -> None:
    profile = load_profile("joe-quotes")
    quote = profile.for_part("quote")
    assert (quote.engine, quote.name) == ("pyttsx3", "espeak-en-gb")
    assert profile.for_part("heading") is profile
    # finished like the main voice: one loudness, one rhythm
    assert (quote.loudness, quote.true_peak, quote.pauses) == (
        profile.loudness, profile.true_peak, profile.pauses)


def test_the_default_voice_is_never_a_cast_of_voices() -> None:
    assert load_profile(None, "en-US").parts == ()


def test_listen_toml_names_voices_for_parts_over_the_profile(tmp_path: Path) -> None:
    config = tmp_path / "listen.toml"
    config.write_text('[render]\nvoice = "joe-quotes"\n'
                      '[render.parts]\nquote = ""\nintro = "espeak-en-us"\n', encoding="utf-8")
    settings = load_settings(config)
    profile = load_profile(settings.voice, "en", parts=settings.parts)
    assert profile.for_part("quote") is profile, "an empty name gives the part back"
    assert profile.for_part("intro").name == "espeak-en-us"
    assert profile.for_part("title").name == "espeak-en-us", "the title goes with the intro"


@pytest.mark.parametrize("table, message", [
    ('[render.parts]\nchorus = "joe"\n', "unknown part 'chorus'"),
    ('[render.parts]\nquote = 3\n', "parts.quote must be a voice profile's name"),
])
def test_a_wrong_parts_table_is_a_clear_error(tmp_path: Path, table: str, message: str) -> None:
    config = tmp_path / "listen.toml"
    config.write_text(table, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_settings(config)


def test_a_part_voice_that_does_not_exist_is_named() -> None:
    with pytest.raises(ConfigError, match="no voice profile named 'nobody'"):
        load_profile("espeak-en-us", parts={"quote": "nobody"})


# ---------------------------------------------------------------- a render with two voices


@dataclass(frozen=True)
class Rendered:
    mp3: Path
    vtt: str
    cues: tuple[Cue, ...]
    takes_made: int
    """Take files the render added to the shared cache."""


def _render(voice: str, out: Path, cache: Path) -> Rendered:
    before = len(list(cache.glob("??/*.take")))
    result = CliRunner().invoke(app, ["render", str(ARTICLE), "--out", str(out),
                                      "--cache", str(cache), "--voice", voice])
    assert result.exit_code == 0, result.stderr or result.output
    mp3 = Path(result.stdout.strip())
    vtt = mp3.with_suffix(".vtt").read_text(encoding="utf-8")
    return Rendered(mp3, vtt, parse_vtt(vtt), len(list(cache.glob("??/*.take"))) - before)


@pytest.fixture(scope="module")
def renders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    pytest.importorskip("piper", reason="joe needs Piper: pip install 'listen[piper]'")
    cache = tmp_path_factory.mktemp("cache")
    return {voice: _render(voice, tmp_path_factory.mktemp(voice), cache)
            for voice in ("joe", "espeak-en-gb", "joe-quotes")}


def _durations(cues: tuple[Cue, ...], quotes: bool) -> list[float]:
    return [round(cue.end - cue.start, 3) for cue in cues if (cue.text in QUOTES) == quotes]


@pytest.mark.slow
@pytest.mark.piper
def test_quotes_come_from_the_second_voice_and_the_rest_from_joe(
    renders: dict[str, Rendered],
) -> None:
    duo, joe, espeak = renders["joe-quotes"], renders["joe"], renders["espeak-en-gb"]
    assert sum(cue.text in QUOTES for cue in duo.cues) == len(QUOTES)
    assert duo.takes_made == 0, "every take was one of Joe's or espeak-ng's, from the cache"
    # the VTT's times are rounded to the millisecond
    same = pytest.approx(_durations(espeak.cues, quotes=True), abs=0.0015)
    assert _durations(duo.cues, quotes=True) == same
    assert _durations(duo.cues, quotes=False) == pytest.approx(
        _durations(joe.cues, quotes=False), abs=0.0015)
    assert _durations(duo.cues, quotes=True) != pytest.approx(
        _durations(joe.cues, quotes=True), abs=0.0015)


@pytest.mark.slow
@pytest.mark.piper
def test_the_transcript_is_unchanged_apart_from_timing(renders: dict[str, Rendered]) -> None:
    duo, joe = renders["joe-quotes"], renders["joe"]
    assert [cue.text for cue in duo.cues] == [cue.text for cue in joe.cues]
    assert duo.mp3.with_suffix(".chapters.json").read_text(encoding="utf-8").count('"title"') \
        == joe.mp3.with_suffix(".chapters.json").read_text(encoding="utf-8").count('"title"')


@pytest.mark.slow
@pytest.mark.piper
def test_quotes_are_as_loud_as_the_body_within_one_lu(renders: dict[str, Rendered]) -> None:
    duo = renders["joe-quotes"]
    samples = np.frombuffer(decode(duo.mp3, RATE), dtype=np.float32).astype(np.float64)

    def loudness(quotes: bool) -> float:
        spans = [samples[int(cue.start * RATE): int(cue.end * RATE)]
                 for cue in duo.cues if (cue.text in QUOTES) == quotes]
        return float(pyloudnorm.Meter(RATE).integrated_loudness(np.concatenate(spans)))

    quotes, body = loudness(quotes=True), loudness(quotes=False)
    print(f"\nquotes {quotes:.2f} LUFS, body {body:.2f} LUFS")
    assert abs(quotes - body) <= 1.0
